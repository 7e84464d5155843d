# Shared helpers for the scripts in this folder. Sourced, not run.

# Runs a command as root: directly when we are root, through sudo otherwise.
as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

APT_UPDATED=0
# Installs the Debian packages among "$@" that are not installed yet.
apt_ensure() {
  local missing=()
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "==> installing Debian packages: ${missing[*]}"
  if [ "$APT_UPDATED" = 0 ]; then
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    APT_UPDATED=1
  fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# A Rust toolchain recent enough for the workspace (edition 2024).
ensure_rust() {
  if ! command -v cargo >/dev/null 2>&1; then
    [ -x "$HOME/.cargo/bin/cargo" ] && export PATH="$HOME/.cargo/bin:$PATH"
  fi
  if ! command -v cargo >/dev/null 2>&1; then
    apt_ensure curl ca-certificates
    echo "==> installing Rust with rustup"
    curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs | sh -s -- -y --profile minimal
    export PATH="$HOME/.cargo/bin:$PATH"
  fi
  # The test suite checks formatting and lints.
  if command -v rustup >/dev/null 2>&1 && ! { cargo fmt --version && cargo clippy --version; } >/dev/null 2>&1; then
    rustup component add rustfmt clippy
  fi
}

# Node.js 20 or newer with npm, for the web front end.
ensure_node() {
  if ! command -v npm >/dev/null 2>&1; then
    apt_ensure nodejs npm
  fi
  local major
  major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
  if [ "$major" -lt 20 ]; then
    echo "error: Node.js 20 or newer is needed for the user interface (found $(node --version 2>/dev/null || echo none))." >&2
    echo "       Install it from your distribution's backports or nodejs.org, then run this again." >&2
    exit 1
  fi
}

# C toolchain and the libraries the workspace links against (WebKitGTK for the window).
BUILD_PACKAGES=(build-essential pkg-config curl file libssl-dev libdbus-1-dev
  libwebkit2gtk-4.1-dev libgtk-3-dev libsoup-3.0-dev libjavascriptcoregtk-4.1-dev
  librsvg2-dev libayatana-appindicator3-dev libxdo-dev)

# The window's web front end, built into ui/dist (the app embeds it when compiled).
build_ui() {
  ensure_node
  echo "==> building the user interface"
  (cd ui && npm ci --no-audit --no-fund --loglevel=error && npm run --silent build)
}

# Builds the emulator and fichier for a benchmark, in BENCH_PROFILE (release, or debug:
# dependencies optimised, our crates not; the test suite's quick look). Sets emu_bin and
# fichier to the binaries.
build_bench_binaries() {
  local profile=${BENCH_PROFILE:-release} flags=()
  case $profile in
    release) flags=(--release) ;;
    debug) ;;
    *) echo "error: BENCH_PROFILE is release or debug, not $profile" >&2; exit 2 ;;
  esac
  echo "==> building the emulator and fichier ($profile)"
  cargo build "${flags[@]}" -q -p fichier-emulator -p fichier-cli
  emu_bin=$PWD/target/$profile/fichier-emulator
  fichier=$PWD/target/$profile/fichier
}

# A fresh emulator for a benchmark, its rate limits on, with the account $key, its files
# under $work/data; sets $emu_pid and $base. (The caller stops it on exit.)
bench_emulator_stop() { [ -n "${emu_pid:-}" ] && kill "$emu_pid" 2>/dev/null; wait "${emu_pid:-}" 2>/dev/null || true; emu_pid=; }
bench_emulator_start() {
  bench_emulator_stop
  rm -rf "${work:?}/data" "${work:?}/home"
  "$emu_bin" --key "$key" --data "$work/data" > "$work/emu.out" 2>/dev/null &
  emu_pid=$!
  for _ in $(seq 100); do grep -q listening "$work/emu.out" 2>/dev/null && break; sleep 0.1; done
  base=$(sed -n 's/.*listening on //p' "$work/emu.out")
}

# "api_calls floods" from the emulator's request log.
bench_api_counts() {
  curl -s "$base/_emulator/log" | python3 -c '
import json, sys
log = json.load(sys.stdin)
entries = log["entries"] if isinstance(log, dict) else log
api = [e for e in entries if e["path"].startswith("/v1/")]
print(len(api), sum(1 for e in api if e["status"] in (403, 429)))'
}
