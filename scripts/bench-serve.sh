#!/usr/bin/env bash
# Benchmark (not a test): the local server (`fichier serve`) on the emulator, rate limits
# on, side by side with a reference on the same machine:
#   - sequential read through a stream link, next to curl on the token URL itself;
#   - time to first byte after a seek, token already in hand, next to curl on the token URL;
#   - API calls per hour of playback (a player's reads every quarter second, short-lived
#     tokens, scaled to 1fichier's 5-minute tokens);
#   - peak memory of the server with 4 streams at once;
#   - PROPFIND of a large folder from the cache, next to rclone serve webdav of the same
#     files in a local folder.
# Usage: scripts/bench-serve.sh [SIZE_MIB] [FOLDER_ITEMS] [PLAY_SECONDS]  (default 256 5000 60)
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
apt_ensure curl python3 rclone
ensure_rust

size_mib=${1:-256}
items=${2:-5000}
play=${3:-60}
build_bench_binaries

work=$(mktemp -d /dev/shm/fichier-bench-serve.XXXXXX 2>/dev/null || mktemp -d)
emu_pid=
serve_pid=
ref_pid=
stop_all() {
  for p in $serve_pid $ref_pid; do kill "$p" 2>/dev/null || true; done
  bench_emulator_stop
  rm -rf "$work"
}
trap stop_all EXIT
trap 'echo "bench-serve: a step failed at line $LINENO" >&2' ERR
key=BenchServeBenchServeBenchServe12
secret=bench-serve-secret

# The emulator's tokens live 12 s here (1fichier's about 300); the server keeps one 9 s
# (240 s against 1fichier), so a minute of playback shows what an hour costs.
"$emu_bin" --key "$key" --data "$work/data" --token-ttl-secs 12 > "$work/emu.out" 2>/dev/null &
emu_pid=$!
for _ in $(seq 100); do grep -q listening "$work/emu.out" 2>/dev/null && break; sleep 0.1; done
base=$(sed -n 's/.*listening on //p' "$work/emu.out")
export HOME="$work/home" XDG_DATA_HOME="$work/home/data" XDG_CONFIG_HOME="$work/home/config"
export FICHIER_API_BASE="$base/v1" FICHIER_API_KEY="$key" FICHIER_SERVE_SECRET="$secret"

"$fichier" serve --addr 127.0.0.1:0 --token-keep-secs 9 > "$work/serve.out" 2>&1 &
serve_pid=$!
for _ in $(seq 100); do grep -q 'WebDAV drive' "$work/serve.out" 2>/dev/null && break; sleep 0.1; done
dav=$(grep -oE 'http://[0-9.:]+/dav/' "$work/serve.out" | head -n1)
srv=${dav%/dav/}

api_count() { # endpoint
  curl -s "$base/_emulator/log/counts" | python3 -c 'import json,sys; print(json.load(sys.stdin)["by_endpoint"].get(sys.argv[1], 0))' "$1"
}
best_of() { # n cmd...: the smallest of n timings (seconds) printed by cmd
  local n=$1; shift
  for _ in $(seq "$n"); do "$@"; done | sort -g | head -n1
}
rate() { python3 -c "print(f'{$1 / $2:.1f}')"; }

echo "==> a ${size_mib} MiB file on the emulator"
head -c $((size_mib << 20)) /dev/urandom > "$work/movie.mkv"
"$fichier" --json --queue "$work/q.db" upload "$work/movie.mkv" > /dev/null
url=$("$fichier" --json ls | python3 -c 'import json,sys; print(next(f["url"] for f in json.load(sys.stdin)["files"] if f["filename"]=="movie.mkv"))')
id=${url##*\?}
link="$srv/s/$secret/$id/movie.mkv"

read_link() { curl -s -o /dev/null -w '%{time_total}\n' "$link"; }
read_token() {
  local t
  t=$("$fichier" --json link "$url" | python3 -c 'import json,sys; print(json.load(sys.stdin)["url"])')
  curl -s -o /dev/null -w '%{time_total}\n' "$t"
}
t_ours=$(best_of 3 read_link)
t_ref=$(best_of 3 read_token)
seq_ours=$(rate "$size_mib" "$t_ours")
seq_ref=$(rate "$size_mib" "$t_ref")

ttfb() { # url offset: the median of 10 first-byte times, in ms
  for k in $(seq 10); do
    curl -s -o /dev/null -r "$(( (k * 7919 * 4096) % ((size_mib - 1) << 20) ))-" --max-filesize 1 \
      -w '%{time_starttransfer}\n' "$1" || true
  done | sort -g | sed -n 5p | python3 -c 'import sys; print(f"{float(sys.stdin.read())*1000:.1f}")'
}
curl -s -o /dev/null -r 0-0 "$link"
tok=$("$fichier" --json link "$url" | python3 -c 'import json,sys; print(json.load(sys.stdin)["url"])')
ttfb_ours=$(ttfb "$link")
ttfb_ref=$(ttfb "$tok")

echo "==> ${play} s of playback (a 256 KiB read every 0.25 s)"
tokens0=$(api_count /v1/download/get_token.cgi)
lists0=$(api_count /v1/folder/ls.cgi)
api0=$(curl -s "$base/_emulator/log/counts" | python3 -c 'import json,sys; d=json.load(sys.stdin)["by_endpoint"]; print(sum(v for k,v in d.items() if k.startswith("/v1/")))')
end=$((SECONDS + play)); off=0
while [ $SECONDS -lt $end ]; do
  curl -s -o /dev/null -r "$off-$((off + 262143))" "$link" || true
  off=$(( (off + 262144) % ((size_mib - 1) << 20) ))
  sleep 0.25
done
tokens=$(( $(api_count /v1/download/get_token.cgi) - tokens0 ))
api1=$(curl -s "$base/_emulator/log/counts" | python3 -c 'import json,sys; d=json.load(sys.stdin)["by_endpoint"]; print(sum(v for k,v in d.items() if k.startswith("/v1/")))')
api=$((api1 - api0))
per_hour=$(python3 -c "print(round($api / $play * 3600 * 9 / 240, 1))")

echo "==> 4 streams at once"
streams=()
for _ in 1 2 3 4; do curl -s -o /dev/null "$link" & streams+=($!); done
wait "${streams[@]}"
peak=$(awk '/VmHWM/ {printf "%.1f", $2/1024}' "/proc/$serve_pid/status")

echo "==> a folder of $items files"
mkdir -p "$work/many"
python3 -c "
import os
for i in range($items):
    open(os.path.join('$work/many', f'item{i:05}.txt'), 'w').write(str(i))"
"$fichier" --json --queue "$work/q.db" upload "$work/many" > /dev/null
propfind() { curl -s -o "$work/pf.xml" -u "fichier:$secret" -X PROPFIND -H 'Depth: 1' -w '%{time_total}\n' "$1"; }
# The first listing may have to wait for the 30-second rule (the upload listed the root
# from another process): the server answers 503 with a Retry-After meanwhile.
for _ in $(seq 10); do
  code=$(curl -s -o /dev/null -u "fichier:$secret" -X PROPFIND -H 'Depth: 1' -w '%{http_code}' "${dav}many/")
  [ "$code" = 207 ] && break
  echo "    PROPFIND: $code, trying again in 5 s"
  sleep 5
done
lists_before=$(api_count /v1/folder/ls.cgi)
pf_ours=$(best_of 3 propfind "${dav}many/")
lists_after=$(api_count /v1/folder/ls.cgi)
entries=$(grep -o '<D:response>' "$work/pf.xml" | wc -l)
rclone serve webdav "$work/many" --addr 127.0.0.1:0 > "$work/rclone.out" 2>&1 &
ref_pid=$!
for _ in $(seq 100); do grep -qE 'http://127.0.0.1:[0-9]+' "$work/rclone.out" 2>/dev/null && break; sleep 0.1; done
ref_url=$(grep -oE 'http://127.0.0.1:[0-9]+/' "$work/rclone.out" | head -n1)
propfind "$ref_url" > /dev/null
pf_ref=$(best_of 3 propfind "$ref_url")

echo
echo "==> local server benchmark (${size_mib} MiB file, rate limits on)"
printf '    %-44s %12s %12s %8s\n' "" "ours" "reference" "ratio"
printf '    %-44s %9s MiB/s %7s MiB/s %7sx\n' "sequential read (ref: curl on the token URL)" "$seq_ours" "$seq_ref" "$(python3 -c "print(f'{$seq_ours/$seq_ref:.2f}')")"
printf '    %-44s %10s ms %10s ms %7sx\n' "first byte after a seek (token in hand)" "$ttfb_ours" "$ttfb_ref" "$(python3 -c "print(f'{$ttfb_ours/max($ttfb_ref,0.001):.2f}')")"
printf '    %-44s %9s ms %10s ms %7sx\n' "PROPFIND of $entries entries (ref: rclone serve)" "$(python3 -c "print(f'{$pf_ours*1000:.0f}')")" "$(python3 -c "print(f'{$pf_ref*1000:.0f}')")" "$(python3 -c "print(f'{$pf_ours/$pf_ref:.2f}')")"
echo "    PROPFIND from cache: $((lists_after - lists_before)) folder listing(s) for 3 PROPFINDs"
echo "    playback, ${play} s: $api API call(s) ($tokens token(s)) with 9 s tokens; at 1fichier's lifetime about $per_hour API calls per hour"
echo "    peak memory of the server after 4 streams at once: $peak MiB (goal: at most 64)"
