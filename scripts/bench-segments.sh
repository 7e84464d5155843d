#!/usr/bin/env bash
# Benchmark (not a test): one download on several connections, each connection capped by
# the emulator like a slow route to a download host (CAP MiB/s per connection, LATENCY ms
# before each answer). Side by side in one run on the same file: curl (one connection),
# aria2c -x N -s N on a token URL asked without `single`, and fichier --connections N,
# for N in CONNECTIONS. Prints MiB/s, fichier against aria2c with the same N, and against
# N × curl (what N capped connections could give at best). aria2c doesn't verify what it
# wrote; fichier does (Whirlpool, as 1fichier reports it), so the table also shows aria2c
# followed by a Whirlpool pass over its file, and the hash's own speed here: with enough
# connections, one core hashing is the ceiling of a verified download on this machine.
#
# Usage: scripts/bench-segments.sh [SIZE_MIB=1024] [CAP_MIB=20] [LATENCY_MS=20]
#        CONNECTIONS="1 3 8" by default.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
apt_ensure curl aria2 python3
ensure_rust

size_mib=${1:-1024}
cap_mib=${2:-20}
latency=${3:-20}
connections=${CONNECTIONS:-"1 3 8"}
build_bench_binaries

work=$(mktemp -d /dev/shm/fichier-bench-seg.XXXXXX 2>/dev/null || mktemp -d)
emu_pid=
trap 'bench_emulator_stop; rm -rf "$work"' EXIT
key=BenchSegmentsBenchSegmentsBench1
"$emu_bin" --no-rate-limits --key "$key" --data "$work/data" > "$work/emu.out" 2>/dev/null &
emu_pid=$!
for _ in $(seq 100); do grep -q listening "$work/emu.out" 2>/dev/null && break; sleep 0.1; done
base=$(sed -n 's/.*listening on //p' "$work/emu.out")
export FICHIER_API_BASE="$base/v1" FICHIER_API_KEY="$key"
json() { python3 -c "import json,sys;print(json.load(sys.stdin)$1)"; }

echo "==> $size_mib MiB, each connection capped at $cap_mib MiB/s with $latency ms latency"
head -c $((size_mib * 1048576)) /dev/urandom > "$work/file.bin"
url=$("$fichier" --json --queue "$work/up.db" upload "$work/file.bin" | json '[0]["url"]')
rm -f "$work/file.bin"
want=$(curl -s -H "Authorization: Bearer $key" -d "{\"url\":\"$url\"}" "$base/v1/file/info.cgi" | json '["checksum"]')
curl -s -o /dev/null -H 'Content-Type: application/json' \
  -d "{\"throttle_bytes_per_sec\": $((cap_mib * 1048576)), \"download_latency_ms\": $latency}" \
  "$base/_emulator/faults"

# Each timed command asks for its own token, as fichier does (it also reads file/info).
cat > "$work/token" <<TOKEN
#!/bin/sh
curl -s -H "Authorization: Bearer $key" -d "{\"url\":\"$url\",\"single\":\$1}" \
  "$base/v1/download/get_token.cgi" | python3 -c 'import json,sys;print(json.load(sys.stdin)["url"])'
TOKEN
chmod +x "$work/token"

seconds() { # command... -> elapsed seconds (the command's output goes to $work/out)
  local t0 t1
  t0=$(date +%s.%N)
  "$@" > "$work/out" 2> "$work/err" || { cat "$work/err" >&2; return 1; }
  t1=$(date +%s.%N)
  awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.2f", b - a}'
}
same_as_1fichier() { # "fichier hash" output, file -> the Whirlpool is 1fichier's, or the run does not count
  local got
  got=$(awk '{print tolower($1)}' <<< "$1")
  [ "$got" = "$(echo "$want" | tr 'A-F' 'a-f')" ] || { echo "    wrong content in $2" >&2; return 1; }
}
check() { # file -> the Whirlpool matches 1fichier's
  same_as_1fichier "$("$fichier" hash "$1")" "$1"
}

rate() { awk -v s="$1" -v m="$size_mib" 'BEGIN{printf "%.1f", m / s}'; }
rm -rf "$work/curl"; mkdir -p "$work/curl"
t_curl=$(seconds sh -c 'curl -s -o "$1" "$("$2" 1)"' sh "$work/curl/file.bin" "$work/token")
check "$work/curl/file.bin"; rm -rf "$work/curl"
curl_rate=$(rate "$t_curl")
echo
head -c $((size_mib * 1048576)) /dev/zero > "$work/zero.bin"
t_hash=$(seconds "$fichier" hash "$work/zero.bin"); rm -f "$work/zero.bin"
echo "Whirlpool alone, one core: $(rate "$t_hash") MiB/s"
printf '%-12s %12s %12s %10s %12s %16s %14s\n' connections "aria2c MiB/s" "fichier MiB/s" "vs aria2c" "vs N x curl" "aria2c+hash MiB/s" "vs aria2c+hash"
printf '%-12s %12s %12s %10s %12s\n' "curl (1)" "" "" "" "$curl_rate MiB/s"
for n in $connections; do
  rm -rf "$work/aria"
  t_aria=$(seconds sh -c 'aria2c -q -x "$3" -s "$3" -k 1M --file-allocation=none --allow-overwrite=true \
    --auto-file-renaming=false -d "$1" -o file.bin "$("$2" 0)"' sh "$work/aria" "$work/token" "$n")
  # The timed Whirlpool pass is also the check of aria2c's file.
  t_verify=$(seconds "$fichier" hash "$work/aria/file.bin")
  same_as_1fichier "$(cat "$work/out")" "$work/aria/file.bin"; rm -rf "$work/aria"
  rm -rf "$work/dl" "$work"/q.db*
  t_ours=$(seconds "$fichier" --queue "$work/q.db" --connections "$n" download "$url" -o "$work/dl")
  check "$work/dl/$(ls "$work/dl")"; rm -rf "$work/dl"
  a=$(rate "$t_aria"); o=$(rate "$t_ours")
  av=$(rate "$(awk -v a="$t_aria" -v h="$t_verify" 'BEGIN{print a + h}')")
  printf '%-12s %12s %12s %9.2fx %11.2fx %16s %13.2fx\n' "$n" "$a" "$o" \
    "$(awk -v o="$o" -v a="$a" 'BEGIN{print o / a}')" \
    "$(awk -v o="$o" -v c="$curl_rate" -v n="$n" 'BEGIN{print o / (n * c)}')" \
    "$av" "$(awk -v o="$o" -v a="$av" 'BEGIN{print o / a}')"
done
