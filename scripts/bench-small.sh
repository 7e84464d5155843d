#!/usr/bin/env bash
# Benchmark (not a test): many small files uploaded through the emulator with its rate
# limits ON (3 API calls/s, flood lock), side by side in one run:
#   - fichier sending one upload request per file (--no-batch: how it worked before),
#   - fichier as it ships (small files batched, 100 per request),
#   - the reference: curl sending the same batches of 100 files per request, with the
#     same API budget (one get_upload_server per batch, calls 0.5 s apart) — what the
#     line and the emulator allow.
# Prints files/s, API calls and flood answers for each, and the ratio to the reference.
#
# Usage: scripts/bench-small.sh ["COUNT:SIZE_KB ..."]   (default "2000:10 200:1024")
# The per-file run is measured on at most PER_FILE_SAMPLE files (default 200) of each set:
# at about 2 files/s a full run of 2,000 would take a quarter of an hour.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
apt_ensure curl python3
ensure_rust

sets=${1:-"2000:10 200:1024"}
sample=${PER_FILE_SAMPLE:-200}
build_bench_binaries

work=$(mktemp -d /dev/shm/fichier-bench-small.XXXXXX 2>/dev/null || mktemp -d)
emu_pid=
trap 'bench_emulator_stop; rm -rf "$work"' EXIT
key=BenchSmallBenchSmallBenchSmall01

run_fichier() { # dir [flags...]
  local dir=$1; shift
  local t0 t1
  t0=$(date +%s.%N)
  HOME="$work/home" XDG_DATA_HOME="$work/home/data" FICHIER_API_BASE="$base/v1" FICHIER_API_KEY="$key" \
    "$fichier" "$@" --queue "$work/queue-$RANDOM.db" upload "$dir" > /dev/null 2> "$work/err" ||
    { cat "$work/err" >&2; return 1; }
  t1=$(date +%s.%N)
  echo "$t0 $t1"
}

run_curl() { # dir
  local dir=$1 t0 t1
  t0=$(date +%s.%N)
  python3 - "$dir" "$base" "$key" <<'PY'
import json, os, subprocess, sys, time
d, base, key = sys.argv[1:]
names = sorted(os.listdir(d))
last_api = 0.0
for i in range(0, len(names), 100):
    wait = last_api + 0.5 - time.time()
    if wait > 0:
        time.sleep(wait)
    last_api = time.time()
    out = subprocess.run(["curl", "-s", "-H", f"Authorization: Bearer {key}",
                          f"{base}/v1/upload/get_upload_server.cgi"], capture_output=True, check=True).stdout
    uid = json.loads(out)["id"]
    args = ["curl", "-s", "-o", "/dev/null", "-H", f"Authorization: Bearer {key}"]
    for n in names[i:i + 100]:
        args += ["-F", f"file[]=@{os.path.join(d, n)};filename={n}"]
    subprocess.run(args + [f"{base}/upload.cgi?id={uid}"], check=True)
    report = subprocess.run(["curl", "-s", "-H", "JSON: 1", f"{base}/end.pl?xid={uid}"],
                            capture_output=True, check=True).stdout
    assert len(json.loads(report)["links"]) == len(names[i:i + 100]), report[:200]
PY
  t1=$(date +%s.%N)
  echo "$t0 $t1"
}

rows=()
fps=
row() { # label files t0 t1 api floods; sets fps
  fps=$(python3 -c "print(f'{$2/($4-$3):.1f}')")
  rows+=("$(printf '%-34s %6s %9.1f %9s %6s %7s' "$1" "$2" "$(python3 -c "print($4-$3)")" "$fps" "$5" "$6")")
}

for set in $sets; do
  count=${set%%:*}
  kb=${set##*:}
  src="$work/src-$count-$kb"
  mkdir -p "$src"
  python3 - "$src" "$count" "$kb" <<'PY'
import os, sys
d, n, kb = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
for i in range(n):
    with open(os.path.join(d, f"f{i:05}.bin"), "wb") as f:
        f.write(os.urandom(kb * 1024))
PY
  n_sample=$(( count < sample ? count : sample ))
  sub="$work/sample-$count-$kb"
  mkdir -p "$sub"
  all=("$src"/*)
  for f in "${all[@]:0:n_sample}"; do ln "$f" "$sub/"; done

  echo "==> $count files of $kb KiB"
  bench_emulator_start
  read -r t0 t1 < <(run_curl "$src")
  read -r api floods < <(bench_api_counts)
  row "curl, batches of 100 (reference)" "$count" "$t0" "$t1" "$api" "$floods"
  ref=$fps

  bench_emulator_start
  read -r t0 t1 < <(run_fichier "$src")
  read -r api floods < <(bench_api_counts)
  row "fichier (batched)" "$count" "$t0" "$t1" "$api" "$floods"
  rows[-1]+=$(printf ' %7.2fx' "$(python3 -c "print($fps/$ref)")")

  bench_emulator_start
  read -r t0 t1 < <(run_fichier "$sub" --no-batch)
  read -r api floods < <(bench_api_counts)
  row "fichier, one request per file" "$n_sample" "$t0" "$t1" "$api" "$floods"
  rows[-1]+=$(printf ' %7.2fx' "$(python3 -c "print($fps/$ref)")")
  rm -rf "$src" "$sub"
done

echo
printf '%-34s %6s %9s %9s %6s %7s %8s\n' "" files seconds files/s "API" floods "vs ref"
printf '%s\n' "${rows[@]}"
echo "(rate limits on; the per-file run is measured on at most $sample files of each set)"
