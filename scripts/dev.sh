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
    echo "==> building the emulator"
    cargo build --release -q -p fichier-emulator
    echo "==> starting the 1fichier emulator with its demo account (Ctrl+C stops it)"
    exec ./target/release/fichier-emulator --demo --listen 127.0.0.1:8765 "$@"
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
    exec bash scripts/bench.sh "$@"
    ;;
  *)
    sed -n '2,7p' dev
    ;;
esac
