#!/usr/bin/env bash
# Measures curl uploading and downloading one file through the emulator on loopback.
# Usage: scripts/emulator-throughput.sh [SIZE_MIB] [RUNS]. Stored files go to /dev/shm when
# it exists, so the disk is not what is measured.
set -euo pipefail
cd "$(dirname "$0")/.."
size_mib=${1:-1024}
runs=${2:-3}
cargo build --release -q -p fichier-emulator
work=$(mktemp -d /dev/shm/fichier-bench.XXXXXX 2>/dev/null || mktemp -d)
trap 'kill $emu_pid 2>/dev/null || true; rm -rf "$work"' EXIT
key=BenchBenchBenchBenchBenchBench01
./target/release/fichier-emulator --no-rate-limits --key "$key" --data "$work/data" > "$work/out" &
emu_pid=$!
for _ in $(seq 50); do grep -q listening "$work/out" 2>/dev/null && break; sleep 0.1; done
base=$(sed -n 's/.*listening on //p' "$work/out")
head -c $((size_mib * 1048576)) /dev/urandom > "$work/file.bin"
json() { python3 -c "import json,sys;print(json.load(sys.stdin)$1)"; }
printf '%-10s %-5s %10s %12s\n' direction run seconds MiB/s
for run in $(seq "$runs"); do
  id=$(curl -s "$base/v1/upload/get_upload_server.cgi" | json '["id"]')
  t=$(curl -s -o /dev/null -w '%{time_total}' -H "Authorization: Bearer $key" \
      -F "file[]=@$work/file.bin;filename=file.bin" "$base/upload.cgi?id=$id")
  printf '%-10s %-5s %10.3f %12.0f\n' upload "$run" "$t" "$(echo "$size_mib / $t" | bc -l)"
  url=$(curl -s -H 'JSON: 1' "$base/end.pl?xid=$id" | json '["links"][0]["download"]')
  tok=$(curl -s -H "Authorization: Bearer $key" -d "{\"url\":\"$url\"}" "$base/v1/download/get_token.cgi" | json '["url"]')
  t=$(curl -s -o /dev/null -w '%{time_total}' "$tok")
  printf '%-10s %-5s %10.3f %12.0f\n' download "$run" "$t" "$(echo "$size_mib / $t" | bc -l)"
  curl -s -o /dev/null -H "Authorization: Bearer $key" -d "{\"files\":[{\"url\":\"$url\"}]}" "$base/v1/file/rm.cgi"
done
