#!/usr/bin/env bash
# Benchmark (not a test): `fichier` next to curl on the same file through the emulator, in
# one run. Prints throughput (best and median of RUNS), the ratio to curl, client CPU
# seconds per GiB and peak RSS, without and with Whirlpool verification, plus one core's
# Whirlpool speed and the peak RSS of `fichier` at several file sizes.
#
# Usage: scripts/bench.sh [SIZE_MIB=1024] [RUNS=3]; RSS_SIZES="256 1024 4096" for the
# memory-flatness check (default "256 1024"). Files live in /dev/shm when it exists.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
apt_ensure curl time python3
ensure_rust

size_mib=${1:-1024}
runs=${2:-3}
rss_sizes=${RSS_SIZES:-"256 1024"}

build_bench_binaries

work=$(mktemp -d /dev/shm/fichier-bench.XXXXXX 2>/dev/null || mktemp -d)
emu_pid=
cleanup() { [ -n "$emu_pid" ] && kill "$emu_pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
key=BenchBenchBenchBenchBenchBench01
"$emu_bin" --no-rate-limits --key "$key" --data "$work/data" > "$work/emu.out" &
emu_pid=$!
for _ in $(seq 100); do grep -q listening "$work/emu.out" 2>/dev/null && break; sleep 0.1; done
base=$(sed -n 's/.*listening on //p' "$work/emu.out")
export FICHIER_API_BASE="$base/v1" FICHIER_API_KEY="$key"

json() { python3 -c "import json,sys;print(json.load(sys.stdin)$1)"; }
make_file() { head -c $(($1 * 1048576)) /dev/urandom > "$2"; }
remove_all() {
  local urls
  urls=$(curl -s -H "Authorization: Bearer $key" -d '{"folder_id":0}' "$base/v1/file/ls.cgi" |
    python3 -c "import json,sys;print(json.dumps([{'url':i['url']} for i in json.load(sys.stdin).get('items',[])]))")
  [ "$urls" = "[]" ] || curl -s -o /dev/null -H "Authorization: Bearer $key" -d "{\"files\":$urls}" "$base/v1/file/rm.cgi"
}

# Runs a command under /usr/bin/time; prints "seconds cpu_seconds peak_rss_kib".
measure() {
  /usr/bin/time -f '%e %U %S %M' -o "$work/time.out" "$@" > /dev/null 2> "$work/cmd.err" ||
    { cat "$work/cmd.err" >&2; return 1; }
  awk '{printf "%s %.3f %s\n", $1, $2 + $3, $4}' "$work/time.out"
}

curl_upload() {
  local id
  id=$(curl -s "$base/v1/upload/get_upload_server.cgi" | json '["id"]')
  # An upload is complete when end.pl reports it (1fichier and the emulator hash the file
  # first), so curl's time includes that read, as fichier's does.
  measure sh -c 'curl -s -o /dev/null -H "Authorization: Bearer $1" -F "file[]=@$2;filename=bench.bin" "$3/upload.cgi?id=$4" &&
    curl -s -H "JSON: 1" "$3/end.pl?xid=$4" > "$5"' sh "$key" "$1" "$base" "$id" "$work/report"
  json '["links"][0]["download"]' < "$work/report" > "$work/url"
}
curl_download() {
  local tok
  tok=$(curl -s -H "Authorization: Bearer $key" -d "{\"url\":\"$1\"}" "$base/v1/download/get_token.cgi" | json '["url"]')
  measure curl -s -o "$work/curl.out" "$tok"
  rm -f "$work/curl.out"
}
fichier_upload() { # FILE EXTRA...
  local f=$1; shift
  rm -f "$work"/q.db*
  measure "$fichier" --queue "$work/q.db" "$@" upload "$f"
}
fichier_download() { # URL EXTRA...
  local u=$1; shift
  rm -rf "$work"/q.db* "$work/dl"
  # One connection, like curl (several: scripts/bench-segments.sh).
  measure "$fichier" --queue "$work/q.db" --connections 1 "$@" download "$u" -o "$work/dl"
  rm -rf "$work/dl"
}

file="$work/file.bin"
echo "==> $size_mib MiB of random data, $runs runs per side (after a warm-up)"
make_file "$size_mib" "$file"
make_file 64 "$work/warm.bin"
curl_upload "$work/warm.bin" > /dev/null; fichier_upload "$work/warm.bin" > /dev/null
curl_download "$(cat "$work/url")" > /dev/null; fichier_download "$(cat "$work/url")" > /dev/null
remove_all
curl_upload "$file" > /dev/null
ref_url=$(cat "$work/url")

declare -A results
record() { results[$1]+="$2"$'\n'; }
for run in $(seq "$runs"); do
  echo "    run $run/$runs"
  record "curl upload" "$(curl_upload "$file")"
  record "fichier upload" "$(fichier_upload "$file" --no-verify)"
  record "fichier upload +whirlpool" "$(fichier_upload "$file")"
  record "curl download" "$(curl_download "$ref_url")"
  record "fichier download" "$(fichier_download "$ref_url" --no-verify)"
  record "fichier download +whirlpool" "$(fichier_download "$ref_url")"
  remove_all; curl_upload "$file" > /dev/null; ref_url=$(cat "$work/url")
done
wp=$(measure "$fichier" hash "$file")
wp_speed=$(echo "$wp" | awk -v m="$size_mib" '{printf "%.0f", m / $1}')

summary() { # NAME -> "best median cpu_per_gib rss_mib"
  printf '%s' "${results[$1]}" | python3 -c "
import sys, statistics
rows = [list(map(float, l.split())) for l in sys.stdin if l.strip()]
mib = $size_mib
speeds = sorted(mib / r[0] for r in rows)
cpu = min(r[1] for r in rows) / (mib / 1024)
rss = max(r[2] for r in rows) / 1024
print(f'{speeds[-1]:.0f} {statistics.median(speeds):.0f} {cpu:.2f} {rss:.1f}')"
}
echo
echo "Whirlpool on one core (fichier hash): $wp_speed MiB/s"
echo
printf '%-30s %10s %10s %8s %10s %9s\n' "" "best MiB/s" "median" "vs curl" "CPU s/GiB" "RSS MiB"
for dir in upload download; do
  read -r cb cm cc cr <<< "$(summary "curl $dir")"
  for name in "curl $dir" "fichier $dir" "fichier $dir +whirlpool"; do
    read -r b m c r <<< "$(summary "$name")"
    ref=$cb
    case $name in *whirlpool*) ref=$(( cb < wp_speed ? cb : wp_speed ));; esac
    ratio=$(awk -v b="$b" -v r="$ref" 'BEGIN{printf "%.2f", b / r}')
    printf '%-30s %10s %10s %8s %10s %9s\n' "$name" "$b" "$m" "${ratio}x" "$c" "$r"
  done
done
echo "(+whirlpool is compared with min(curl, one core's Whirlpool speed))"

echo
echo "==> peak RSS of fichier by file size (with verification)"
printf '%8s %14s %16s\n' "MiB" "upload RSS MiB" "download RSS MiB"
for s in $rss_sizes; do
  remove_all
  make_file "$s" "$work/rss.bin"
  up=$(fichier_upload "$work/rss.bin" | awk '{printf "%.1f", $3 / 1024}')
  url=$(curl -s -H "Authorization: Bearer $key" -d '{"folder_id":0}' "$base/v1/file/ls.cgi" | json '["items"][0]["url"]')
  down=$(fichier_download "$url" | awk '{printf "%.1f", $3 / 1024}')
  printf '%8s %14s %16s\n' "$s" "$up" "$down"
  rm -f "$work/rss.bin"
done
