#!/usr/bin/env bash
# Implementation of ./dev; see that file for the commands.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

cmd=${1:-help}
shift || true
case "$cmd" in
  run)
    apt_ensure "${BUILD_PACKAGES[@]}"
    ensure_rust
    build_ui
    echo "==> building Fichier Desk"
    cargo build --release -q -p fichier-desk
    if [ -z "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
      echo "error: no graphical display (DISPLAY or WAYLAND_DISPLAY) to open the window on." >&2
      echo "       Run this from a desktop session, or under Xvfb: xvfb-run -a ./dev run" >&2
      exit 1
    fi
    echo "==> starting Fichier Desk (the demo account when no API key is stored)"
    exec ./target/release/fichier-desk --demo-unless-key "$@"
    ;;
  emulator)
    ensure_rust
    cargo build --release -q -p fichier-emulator
    exec ./target/release/fichier-emulator "$@"
    ;;
  test)
    exec bash scripts/test.sh "$@"
    ;;
  bench)
    bash scripts/bench.sh "$@"
    bash scripts/bench-small.sh
    bash scripts/bench-segments.sh 1024
    bash scripts/bench-serve.sh 256 5000 60
    exec bash scripts/bench-backup.sh "2000 20000"
    ;;
  package) exec bash scripts/package.sh "$@" ;;
  *)
    sed -n '2,8p' dev
    ;;
esac
