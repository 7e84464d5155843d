#!/usr/bin/env bash
# Smoke test of the built .deb on this machine: installs it with apt, starts the installed
# /usr/bin/fichier-desk --demo on a private X server and D-Bus session with throwaway XDG
# folders, checks that the window appears and shows the demo account, measures start time
# and memory, takes a screenshot (artifacts/package/), then uninstalls the package. The
# installed `fichier` command is checked too: its version, its bash, zsh and fish
# completions and man page, and `fichier whoami` against the emulator. The .rpm built beside
# it is installed into a throwaway root with rpm (no RPM-based system here) and its
# `fichier` and `fichier-desk`, completions and man page are checked there.
#
# Usage: scripts/package-smoke.sh [PATH.deb]   (default: the newest under target/*/bundle/deb)
# Needs root or sudo: it installs and removes a system package.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
apt_ensure xvfb xauth imagemagick x11-utils xdotool dbus dbus-x11 procps rpm

deb=${1:-$(ls -t target/*/bundle/deb/*.deb 2>/dev/null | head -n1 || true)}
if [ -z "$deb" ] || [ ! -f "$deb" ]; then
  echo "error: no .deb found; run scripts/package.sh first" >&2
  exit 1
fi
deb=$(realpath "$deb")
art="$PWD/artifacts/package"
rm -rf "$art" && mkdir -p "$art"
work=$(mktemp -d)
chmod 755 "$work"

passed=0 failed=0
check() { # NAME COMMAND...
  local name=$1; shift
  if "$@"; then echo "  ok    $name"; passed=$((passed + 1))
  else echo "  FAIL  $name"; failed=$((failed + 1)); fi
}

installed=0
cleanup() {
  if [ "$installed" = 1 ]; then
    as_root env DEBIAN_FRONTEND=noninteractive apt-get remove -y -qq fichier-desk >/dev/null 2>&1 || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

if dpkg-query -W -f='${Status}' fichier-desk 2>/dev/null | grep -q "install ok installed"; then
  echo "note: fichier-desk is already installed; it will be replaced, then removed"
fi

deb_size=$(stat -c %s "$deb")
echo "==> installing $(basename "$deb") ($(numfmt --to=iec --suffix=B "$deb_size"))"
# A copy with a plain name that apt's unprivileged download user can read.
cp "$deb" "$work/fichier-desk.deb" && chmod 644 "$work/fichier-desk.deb"
if as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$work/fichier-desk.deb" > "$art/apt-install.log" 2>&1; then
  installed=1
fi
check "apt-get installs the package" test "$installed" = 1
if [ "$installed" != 1 ]; then
  tail -20 "$art/apt-install.log"
  echo "package smoke: $passed passed, $((failed)) failed"
  exit 1
fi
dpkg -L fichier-desk > "$art/files.txt"
check "binary installed at /usr/bin/fichier-desk" test -x /usr/bin/fichier-desk
check "desktop entry installed" grep -q '^/usr/share/applications/.*\.desktop$' "$art/files.txt"
check "icons installed in the hicolor theme" grep -q '^/usr/share/icons/hicolor/.*/apps/.*\.png$' "$art/files.txt"
check "every shared library resolves" sh -c '! ldd /usr/bin/fichier-desk | grep -q "not found"'

echo "==> the fichier command from the package"
version=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -n1)
check "fichier installed at /usr/bin/fichier" test -x /usr/bin/fichier
check "fichier --version says $version" sh -c '/usr/bin/fichier --version | grep -qx "fichier $1"' sh "$version"
check "bash completion installed" grep -qx /usr/share/bash-completion/completions/fichier "$art/files.txt"
check "bash completion loads and completes subcommands" bash -c '
  source /usr/share/bash-completion/completions/fichier && complete -p fichier >/dev/null &&
  COMP_WORDS=(fichier wh) COMP_CWORD=1 COMP_LINE="fichier wh" COMP_POINT=10 &&
  _fichier fichier wh fichier && printf "%s\n" "${COMPREPLY[@]}" | grep -qx whoami'
check "zsh completion installed" grep -qx /usr/share/zsh/vendor-completions/_fichier "$art/files.txt"
check "fish completion installed" grep -qx /usr/share/fish/vendor_completions.d/fichier.fish "$art/files.txt"
check "man page installed and names the commands" sh -c \
  'zcat /usr/share/man/man1/fichier.1.gz | grep -q "^\.TH fichier 1" && zcat /usr/share/man/man1/fichier.1.gz | grep -q whoami'
# `fichier whoami` against the emulator, with a throwaway home so no keychain or pacing
# state of this machine is touched.
emulator=target/debug/fichier-emulator
[ -x "$emulator" ] || cargo build -q -p fichier-emulator
key=SmokeKeySmokeKeySmokeKeySmokeKey
"$emulator" --listen 127.0.0.1:0 --key "$key" --data "$work/emu-data" > "$work/emu.out" 2>&1 &
emu=$!
for _ in $(seq 100); do grep -q listening "$work/emu.out" 2>/dev/null && break; sleep 0.1; done
emu_base=$(sed -n 's/.*listening on //p' "$work/emu.out")
whoami_ok() {
  HOME="$work/cli-home" XDG_DATA_HOME="$work/cli-home/data" FICHIER_API_BASE="$emu_base/v1" \
    FICHIER_API_KEY="$key" /usr/bin/fichier --json whoami > "$work/whoami.json" 2> "$work/whoami.err" &&
    python3 -c 'import json,sys; a=json.load(open(sys.argv[1])); assert a["email"] and a["offer"], a' "$work/whoami.json"
}
check "installed fichier whoami answers from the emulator" whoami_ok
kill "$emu" 2>/dev/null; wait "$emu" 2>/dev/null || true

echo "==> starting the installed app with the demo account"
export XDG_CONFIG_HOME="$work/config" XDG_DATA_HOME="$work/data" XDG_CACHE_HOME="$work/cache"
export XDG_RUNTIME_DIR="$work/runtime" SMOKE_WORK="$work" SMOKE_ART="$art"
mkdir -p "$XDG_CONFIG_HOME" "$XDG_DATA_HOME" "$XDG_CACHE_HOME" "$XDG_RUNTIME_DIR"
chmod 700 "$XDG_RUNTIME_DIR"
log="$XDG_DATA_HOME/app.fichierdesk.desktop/logs/fichier-desk.log"
export SMOKE_LOG="$log"

inner=$(cat <<'INNER'
set -uo pipefail
exec 3>"$SMOKE_WORK/display"
Xvfb -displayfd 3 -screen 0 1280x800x24 -nolisten tcp > "$SMOKE_WORK/xvfb.log" 2>&1 &
xvfb=$!
for _ in $(seq 100); do [ -s "$SMOKE_WORK/display" ] && break; sleep 0.05; done
export DISPLAY=":$(cat "$SMOKE_WORK/display")"
for _ in $(seq 100); do xdpyinfo >/dev/null 2>&1 && break; sleep 0.05; done

now() { date +%s.%N; }
t0=$(now)
/usr/bin/fichier-desk --demo > "$SMOKE_WORK/app.out" 2>&1 &
app=$!
echo "$app" > "$SMOKE_WORK/app.pid"
mapped= wid=
for _ in $(seq 600); do # up to 30 s
  if wid=$(xdotool search --onlyvisible --name '^Fichier Desk$' 2>/dev/null | head -n1) && [ -n "$wid" ]; then
    mapped=$(now); break
  fi
  kill -0 "$app" 2>/dev/null || break
  sleep 0.05
done
if [ -n "$mapped" ]; then
  awk -v a="$t0" -v b="$mapped" 'BEGIN{printf "%.2f\n", b - a}' > "$SMOKE_WORK/cold_start"
fi
xwininfo -root -tree > "$SMOKE_WORK/windows.txt" 2>&1
# The demo account opens once the built-in emulator is up; then give the page time to draw.
for _ in $(seq 200); do
  if grep -q "demo account opened" "$SMOKE_LOG" 2>/dev/null; then
    awk -v a="$t0" -v b="$(now)" 'BEGIN{printf "%.2f\n", b - a}' > "$SMOKE_WORK/demo_open"; break
  fi
  sleep 0.1
done
# Idle memory ~10 s after launch: the app and its WebKit helpers (all its descendants).
while awk -v a="$t0" -v b="$(now)" 'BEGIN{exit !(b - a < 10)}'; do sleep 0.2; done
descendants() { local p; for p in $(pgrep -P "$1"); do echo "$p"; descendants "$p"; done; }
rss=0 pss=0 procs=""
for p in "$app" $(descendants "$app"); do
  [ -r "/proc/$p/smaps_rollup" ] || continue
  r=$(awk '/^Rss:/{print $2}' "/proc/$p/smaps_rollup"); s=$(awk '/^Pss:/{print $2}' "/proc/$p/smaps_rollup")
  rss=$((rss + ${r:-0})); pss=$((pss + ${s:-0}))
  procs="$procs $(cat "/proc/$p/comm")=$((${r:-0} / 1024))/$((${s:-0} / 1024))"
done
echo "$rss $pss$procs" > "$SMOKE_WORK/memory"
import -window root "$SMOKE_ART/demo.png" 2>/dev/null
[ -n "$wid" ] && import -window "$wid" "$SMOKE_ART/window.png" 2>/dev/null
kill -0 "$app" 2>/dev/null && echo alive > "$SMOKE_WORK/alive"
kill -TERM "$app" 2>/dev/null
for _ in $(seq 50); do kill -0 "$app" 2>/dev/null || break; sleep 0.1; done
kill -KILL "$app" 2>/dev/null
kill "$xvfb" 2>/dev/null
exit 0
INNER
)
dbus-run-session -- bash -c "$inner" 2> "$art/session-stderr.log"
cp "$work/app.out" "$art/app-stdout.log" 2>/dev/null || true
cp "$log" "$art/fichier-desk.log" 2>/dev/null || true
cp "$work/windows.txt" "$art/windows.txt" 2>/dev/null || true

check "app still running 10 s after launch" test -f "$work/alive"
check "a window titled \"Fichier Desk\" is shown" test -s "$work/cold_start"
check "the log says the demo account opened" grep -q "demo account opened" "$log"
check "no error in the log" sh -c '! grep -q " ERROR " "$1"' sh "$log"
colours=0
[ -f "$art/demo.png" ] && colours=$(identify -format %k "$art/demo.png" 2>/dev/null || echo 0)
check "screenshot is not blank ($colours colours)" test "$colours" -gt 200

echo "==> the .rpm, installed into a throwaway root"
rpm_file=$(ls -t "$(dirname "$deb")"/../rpm/*.rpm 2>/dev/null | head -n1 || true)
check "an .rpm was built beside the .deb" test -n "$rpm_file"
if [ -n "$rpm_file" ]; then
  root="$work/rpm-root"
  mkdir -p "$root"
  rpm_ok=0
  as_root rpm --root "$root" --dbpath /var/lib/rpm --initdb > "$art/rpm-install.log" 2>&1 &&
    as_root rpm --root "$root" --dbpath /var/lib/rpm -i --nodeps --noscripts --nosignature \
      --ignorearch --ignoreos "$rpm_file" >> "$art/rpm-install.log" 2>&1 && rpm_ok=1
  check "rpm installs the package" test "$rpm_ok" = 1
  as_root rpm --root "$root" --dbpath /var/lib/rpm -ql fichier-desk > "$art/rpm-files.txt" 2>&1 || true
  for f in /usr/bin/fichier-desk /usr/bin/fichier /usr/share/bash-completion/completions/fichier \
    /usr/share/zsh/site-functions/_fichier /usr/share/fish/vendor_completions.d/fichier.fish; do
    check "rpm installs $f" test -f "$root$f"
  done
  check "the rpm's man page names the commands" sh -c 'ls "$1"/usr/share/man/man1/fichier.1* >/dev/null 2>&1 &&
    (zcat -f "$1"/usr/share/man/man1/fichier.1*) | grep -q whoami' sh "$root"
  check "the rpm's fichier --version says $version" \
    sh -c '"$1"/usr/bin/fichier --version | grep -qx "fichier $2"' sh "$root" "$version"
  as_root rm -rf "$root"
fi

echo "==> uninstalling"
if as_root env DEBIAN_FRONTEND=noninteractive apt-get remove -y -qq fichier-desk > "$art/apt-remove.log" 2>&1; then
  installed=0
fi
check "apt-get removes the package" test "$installed" = 0
check "binary gone after removal" test ! -e /usr/bin/fichier-desk
check "fichier gone after removal" test ! -e /usr/bin/fichier

echo
printf '.deb size:     %s bytes (%s)\n' "$deb_size" "$(numfmt --to=iec --suffix=B "$deb_size")"
if [ -s "$work/cold_start" ]; then
  echo "cold start:    $(cat "$work/cold_start") s (launch to window mapped, first run after install)"
fi
if [ -s "$work/demo_open" ]; then
  echo "demo open:     $(cat "$work/demo_open") s (launch to \"demo account opened\" in the log)"
fi
if [ -s "$work/memory" ]; then
  read -r rss pss procs < "$work/memory"
  printf 'idle memory:   %s MiB RSS summed, %s MiB PSS, after 10 s (RSS/PSS MiB:%s)\n' \
    "$((rss / 1024))" "$((pss / 1024))" " $procs"
fi
echo "screenshots:   $art/demo.png (screen), $art/window.png (window)"
{
  echo "deb_bytes=$deb_size"
  echo "cold_start_s=$(cat "$work/cold_start" 2>/dev/null)"
  echo "demo_open_s=$(cat "$work/demo_open" 2>/dev/null)"
  [ -s "$work/memory" ] && echo "idle_rss_kib=$rss idle_pss_kib=$pss processes=$procs"
} > "$art/metrics.txt"
echo "package smoke: $passed passed, $failed failed"
[ "$failed" = 0 ]
