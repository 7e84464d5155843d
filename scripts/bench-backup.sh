#!/usr/bin/env bash
# Benchmark (not a test): backups of a tree of small files through the emulator with its
# rate limits ON, next to a plain `fichier upload` of the same tree (the reference: what a
# cron line of `fichier upload` costs every time it runs).
#   - sync, first run: everything goes up (batched), every file read once;
#   - sync, nothing changed: no file read, no upload, API calls counted;
#   - sync after a folder of 50 files was renamed: server-side moves, nothing sent.
# Prints seconds, API calls and flood answers for each, and the time ratio to the upload.
#
# Usage: scripts/bench-backup.sh ["COUNT ..."]   (default "2000"; `./dev bench` adds 20000)
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
apt_ensure curl python3
ensure_rust

counts=${1:-"2000"}
build_bench_binaries

work=$(mktemp -d /dev/shm/fichier-bench-backup.XXXXXX 2>/dev/null || mktemp -d)
emu_pid=
trap 'bench_emulator_stop; rm -rf "$work"' EXIT
key=BenchBackupBenchBackupBenchBack1

# "api_calls floods" since the last call (the log is emptied after each reading).
counts_since_last() {
  bench_api_counts
  curl -s -X DELETE "$base/_emulator/log" > /dev/null
}

fichier_run() { # args...; prints "seconds", keeps the JSON in $work/out.json
  local t0 t1
  t0=$(date +%s.%N)
  HOME="$work/home" XDG_DATA_HOME="$work/home/data" FICHIER_API_BASE="$base/v1" \
    FICHIER_API_KEY="$key" FICHIER_BACKUP_SETTLE_MS=0 \
    "$fichier" --json --queue "$work/home/queue.db" "$@" > "$work/out.json" 2> "$work/err" ||
    { cat "$work/err" >&2; return 1; }
  t1=$(date +%s.%N)
  python3 -c "print(f'{$t1-$t0:.2f}')"
}

field() { python3 -c "import json; print(json.load(open('$work/out.json')).get('$1', ''))"; }

rows=()
row() { # label files seconds api floods ratio-base
  local ratio=""
  [ -n "${6:-}" ] && ratio=$(python3 -c "print(f'{$3/$6:.2f}x')")
  rows+=("$(printf '%-50s %6s %9s %6s %7s %9s' "$1" "$2" "$3" "$4" "$5" "$ratio")")
}

for count in $counts; do
  src="$work/tree-$count"
  python3 - "$src" "$count" <<'PY'
import os, sys
d, n = sys.argv[1], int(sys.argv[2])
for i in range(n):
    sub = os.path.join(d, f"dir{i // 100:03}")
    os.makedirs(sub, exist_ok=True)
    with open(os.path.join(sub, f"f{i:05}.txt"), "wb") as f:
        f.write(os.urandom(2048 + (i * 37) % 8192))
PY
  echo "==> $count small files in $(( (count + 99) / 100 )) folders"
  bench_emulator_start
  up=$(fichier_run upload "$src")
  read -r api floods < <(counts_since_last)
  row "fichier upload (reference)" "$count" "$up" "$api" "$floods"

  bench_emulator_start
  t=$(fichier_run sync "$src" /Backups/tree --mirror)
  read -r api floods < <(counts_since_last)
  row "fichier sync, first run (uploaded $(field uploaded))" "$count" "$t" "$api" "$floods" "$up"

  t=$(fichier_run sync "$src" /Backups/tree --mirror)
  read -r api floods < <(counts_since_last)
  row "fichier sync, no change (read $(field hashed))" "$count" "$t" "$api" "$floods" "$up"

  # 50 files move with their folder: dir000 holds the first 100, so split off 50.
  mkdir -p "$src/renamed"
  for f in $(ls "$src/dir000" | head -50); do mv "$src/dir000/$f" "$src/renamed/"; done
  t=$(fichier_run sync "$src" /Backups/tree --mirror)
  read -r api floods < <(counts_since_last)
  row "fichier sync, 50 files moved (moved $(field moved), sent $(field uploaded))" "$count" "$t" "$api" "$floods" "$up"
  rm -rf "$src"
done

echo
printf '%-50s %6s %9s %6s %7s %9s\n' "" files seconds "API" floods "vs upload"
printf '%s\n' "${rows[@]}"
echo "(rate limits on; API = calls to /v1/ endpoints, floods = answers 403/429)"
