#!/usr/bin/env bash
# End-to-end tests of the real window: builds the UI and the app, then runs desk_e2e.py
# under Xvfb, on a private D-Bus session with an unlocked gnome-keyring and dunst, with
# tauri-driver + WebKitWebDriver, against a fresh emulator. Screenshots and metrics go to
# artifacts/e2e/.
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/lib.sh

apt_ensure xvfb xauth imagemagick x11-utils webkit2gtk-driver dbus dbus-x11 gnome-keyring \
  libsecret-tools dunst libnotify-bin libwebkit2gtk-4.1-dev libgtk-3-dev libsoup-3.0-dev \
  libjavascriptcoregtk-4.1-dev librsvg2-dev libayatana-appindicator3-dev libxdo-dev
ensure_rust
ensure_node
export PATH="$HOME/.cargo/bin:$PATH"
# Not ours to lint: the suite's clippy wrapper is left out of building it.
command -v tauri-driver >/dev/null || env -u RUSTC_WORKSPACE_WRAPPER -u CLIPPY_ARGS cargo install tauri-driver --locked --quiet

(cd ui && { [ -d node_modules ] || npm ci --no-audit --no-fund --silent; } && npm run --silent build >/dev/null)
# The app as the package builds it (assets embedded, tauri build --debug): after the
# package step of the suite this compiles nothing.
(cd src-tauri && ../ui/node_modules/.bin/tauri build --ci --no-bundle --debug >/dev/null)
cargo build -q -p fichier-emulator

art="$PWD/artifacts/e2e"
rm -rf "$art" && mkdir -p "$art"
work=$(mktemp -d)
export E2E_WORK="$work/files" E2E_ARTIFACTS="$art" E2E_NOTIFY_LOG="$work/notify.log"
# A drop can't be synthesised through WebDriver: the test's files folder is granted to the
# app from its environment, the way a launcher script would (the window itself can't).
export FICHIER_DESK_GRANT_DIRS="$work/files"
export XDG_CONFIG_HOME="$work/config" XDG_DATA_HOME="$work/data" XDG_CACHE_HOME="$work/cache"
mkdir -p "$E2E_WORK" "$XDG_CONFIG_HOME" "$XDG_DATA_HOME" "$XDG_CACHE_HOME"
export FICHIER_DESK_BIN="$PWD/target/debug/fichier-desk"
export E2E_KEY=E2eTestKeyE2eTestKeyE2eTestKey01

./target/debug/fichier-emulator --listen 127.0.0.1:0 --key "$E2E_KEY" --flood-lock-secs 15 > "$work/emu.out" 2> "$work/emu.err" &
emu=$!
cleanup() { kill "$emu" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
for _ in $(seq 100); do grep -q listening "$work/emu.out" && break; sleep 0.1; done
export EMULATOR_URL=$(sed -n 's/.*listening on //p' "$work/emu.out")
export FICHIER_API_BASE="$EMULATOR_URL/v1"

inner=$(cat <<'INNER'
set -euo pipefail
eval "$(printf e2e | gnome-keyring-daemon --unlock --components=secrets)"
export GNOME_KEYRING_CONTROL SSH_AUTH_SOCK
Xvfb :91 -screen 0 1280x800x24 -nolisten tcp >/dev/null 2>&1 &
xvfb=$!
export DISPLAY=:91
# Xvfb has only software GL: in WebKit's compositing mode the X display can show a frame
# seconds old, so screenshots would not show what the page shows. Painting directly keeps
# them current. (The installed-package smoke test measures the app in its default mode.)
export WEBKIT_DISABLE_COMPOSITING_MODE=1
for _ in $(seq 50); do xdpyinfo >/dev/null 2>&1 && break; sleep 0.1; done
dunst >/dev/null 2>&1 &
dbus-monitor "interface='org.freedesktop.Notifications',member='Notify'" > "$E2E_NOTIFY_LOG" 2>&1 &
tauri-driver --port 4444 > "$E2E_ARTIFACTS/driver.log" 2>&1 &
driver=$!
for _ in $(seq 100); do curl -s http://127.0.0.1:4444/status >/dev/null 2>&1 && break; sleep 0.1; done
status=0
python3 tests/e2e/desk_e2e.py || status=$?
kill $driver $xvfb 2>/dev/null || true
exit $status
INNER
)
dbus-run-session -- bash -c "$inner"
