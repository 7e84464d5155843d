#!/usr/bin/env bash
# Real clients against `fichier serve` on the emulator (1fichier's rate limits on):
#   litmus    the WebDAV compliance suite, every group, with its counts
#   rclone    its webdav backend: list, copy both ways, ranged cat, piped upload, move,
#             delete, byte-for-byte check
#   ffmpeg    a test video exported as .strm, read through its stream link with 20 seeks
# and what it all cost: download tokens, API errors (a flood lock would show), listings.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
apt_ensure litmus rclone ffmpeg
cargo build -q -p fichier-cli -p fichier-emulator
bin=target/debug

work=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

fail() { echo "serve clients: FAILED: $*"; exit 1; }

# Waits (at most 30 s) for a line matching $2 in file $1 and prints it.
wait_line() {
  for _ in $(seq 300); do
    if grep -m1 -E "$2" "$1" 2>/dev/null; then return 0; fi
    sleep 0.1
  done
  cat "$1" >&2
  return 1
}

key=ServeClientsKey0123456789abcdefg
secret=serve-clients-$RANDOM$RANDOM
"$bin/fichier-emulator" --listen 127.0.0.1:0 --key "$key" >"$work/emu.log" 2>&1 &
pids+=($!)
emu=$(wait_line "$work/emu.log" 'listening on http://' | grep -oE 'http://[0-9.:]+')
export FICHIER_API_BASE="$emu/v1" FICHIER_API_KEY="$key" FICHIER_SERVE_SECRET="$secret"
export XDG_CONFIG_HOME="$work/config" XDG_DATA_HOME="$work/data"

"$bin/fichier" serve --addr 127.0.0.1:0 >"$work/serve.log" 2>&1 &
pids+=($!)
dav=$(wait_line "$work/serve.log" 'WebDAV drive: http://' | grep -oE 'http://[0-9.:]+/dav/')
base=${dav%/dav/}
echo "==> emulator $emu, server $dav"

counts() { curl -fsS "$emu/_emulator/log/counts"; }
endpoint() { python3 -c 'import json,sys; print(json.load(sys.stdin)["by_endpoint"].get(sys.argv[1], 0))' "$1"; }
api_errors() {
  curl -fsS "$emu/_emulator/log" | python3 -c '
import json, sys
log = json.load(sys.stdin)
entries = log if isinstance(log, list) else log.get("entries", [])
bad = [e for e in entries if e["path"].startswith("/v1/") and e["status"] != 200]
for e in bad[:10]:
    print("   ", e["method"], e["path"], e["status"], file=sys.stderr)
print(len(bad))'
}

# ---------------------------------------------------------------- litmus
echo "==> litmus"
(cd "$work" && timeout 600 litmus -k "$dav" fichier "$secret") >"$work/litmus.log" 2>&1 || true
grep -E '^<- summary' "$work/litmus.log" || true
python3 - "$work/litmus.log" <<'PY' || fail "litmus"
import re, sys
want = {"basic": 16, "copymove": 13, "props": 30, "locks": 41, "http": 4}
got = {}
for m in re.finditer(r"summary for `(\w+)': of (\d+) tests run: (\d+) passed, (\d+) failed", open(sys.argv[1]).read()):
    got[m.group(1)] = (int(m.group(2)), int(m.group(3)), int(m.group(4)))
ok = True
for g, n in want.items():
    run, passed, failed = got.get(g, (0, 0, 0))
    print(f"    litmus {g:9} {passed:3}/{n} passed, {failed} failed, {n - run} not run")
    ok &= run == n and passed == n and failed == 0
total = sum(v[1] for v in got.values())
print(f"    litmus total     {total}/104")
sys.exit(0 if ok else 1)
PY

# ---------------------------------------------------------------- rclone
echo "==> rclone (webdav backend)"
export RCLONE_CONFIG_D_TYPE=webdav RCLONE_CONFIG_D_URL="$dav" RCLONE_CONFIG_D_VENDOR=other
export RCLONE_CONFIG_D_USER=fichier RCLONE_CONFIG_D_PASS="$(rclone obscure "$secret")"
export RCLONE_CONFIG=/dev/null
mkdir -p "$work/up/sub" "$work/down"
for i in 1 2 3; do head -c $((i * 700000 + 13)) /dev/urandom >"$work/up/file$i.bin"; done
head -c 4096 /dev/urandom >"$work/up/sub/small.bin"
rclone -q mkdir D:rc || fail "rclone mkdir"
rclone -q copy "$work/up" D:rc || fail "rclone copy up"
rclone -q check --download "$work/up" D:rc || fail "rclone check after upload"
rclone -q copy D:rc "$work/down" || fail "rclone copy down"
diff -r "$work/up" "$work/down" >/dev/null || fail "downloaded files differ"
rclone cat --offset 100000 --count 5000 D:rc/file2.bin >"$work/part" || fail "rclone cat range"
cmp -s "$work/part" <(tail -c +100001 "$work/up/file2.bin" | head -c 5000) || fail "ranged cat differs"
head -c 300000 /dev/urandom >"$work/piped"
rclone -q rcat D:rc/piped.bin <"$work/piped" || fail "rclone rcat (upload without a length)"
rclone cat D:rc/piped.bin | cmp -s - "$work/piped" || fail "piped upload differs"
rclone -q moveto D:rc/file1.bin D:rc/sub/renamed.bin || fail "rclone moveto"
rclone -q delete D:rc/file3.bin || fail "rclone delete"
listing=$(rclone lsf -R D:rc | sort | tr '\n' ' ')
[ "$listing" = "file2.bin piped.bin sub/ sub/renamed.bin sub/small.bin " ] || fail "rclone listing: $listing"
rclone cat D:rc/sub/renamed.bin | cmp -s - "$work/up/file1.bin" || fail "moved file differs"
echo "    rclone: list, copy both ways, check, ranged cat, rcat, moveto, delete: all as expected"

# ---------------------------------------------------------------- ffmpeg through a stream link
echo "==> ffmpeg and ffprobe through a stream link"
ffmpeg -v error -f lavfi -i testsrc=duration=60:size=320x240:rate=25 -c:v mpeg4 -q:v 5 -g 25 \
  "$work/test.mkv" || fail "making the test video"
curl -fsS -u "fichier:$secret" -X MKCOL "$dav"Media/ >/dev/null || fail "MKCOL Media"
curl -fsS -u "fichier:$secret" -T "$work/test.mkv" "$dav"Media/Test%20Movie.mkv >/dev/null || fail "PUT video"
folder=$("$bin/fichier" --json ls | python3 -c 'import json,sys; d=json.load(sys.stdin); print(next(f["id"] for f in d["subFolders"] if f["name"]=="Media"))')
"$bin/fichier" export-strm "$folder" "$work/strm" --base "$base" || fail "export-strm"
strm="$work/strm/Test Movie.strm"
[ -f "$strm" ] || fail "no .strm written: $(ls -R "$work/strm")"
grep -q '^#EXTM3U' "$work/strm/Media.m3u" || fail "no playlist"
url=$(head -n1 "$strm")
before=$(counts)
tokens_before=$(echo "$before" | endpoint /v1/download/get_token.cgi)
duration=$(ffprobe -v error -show_entries format=duration -of csv=p=0 "$url") || fail "ffprobe"
echo "    ffprobe: duration $duration s"
frames=0
for s in $(seq 0 3 57); do
  n=$(ffmpeg -v error -ss "$s" -i "$url" -frames:v 5 -f framecrc - | grep -c '^0,') || true
  frames=$((frames + n))
done
after=$(counts)
tokens=$(( $(echo "$after" | endpoint /v1/download/get_token.cgi) - tokens_before ))
errors=$(api_errors)
lists=$(echo "$after" | endpoint /v1/folder/ls.cgi)
echo "    20 seeks: $frames frames decoded (100 asked), $tokens download token(s) asked, $errors API error answer(s), $lists folder listing(s) in the whole run"
[ "$frames" -eq 100 ] || fail "frames decoded: $frames of 100"
[ "$tokens" -le 1 ] || fail "$tokens tokens for one file"
[ "$errors" -eq 0 ] || fail "$errors API answers were errors (a flood lock or a broken listing rule)"

# A token that dies mid-playback: the same link goes on.
curl -fsS -X POST "$emu/_emulator/expire-tokens" >/dev/null
n=$(ffmpeg -v error -ss 30 -i "$url" -frames:v 5 -f framecrc - | grep -c '^0,') || true
[ "$n" -eq 5 ] || fail "after the token expired: $n frames"
echo "    after the token expired: 5 frames decoded through the same link"

echo "serve clients: all passed"
