#!/usr/bin/env bash
# Stores, reads back and deletes the API key in a real Secret Service (gnome-keyring on a
# private D-Bus session), and checks it with secret-tool. Installs what it needs.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
apt_ensure "${BUILD_PACKAGES[@]}" dbus dbus-x11 gnome-keyring libsecret-tools
ensure_rust
# Built as part of the workspace, with the workspace's features: after `cargo test
# --workspace` this compiles nothing (building one package alone resolves its
# dependencies' features differently and compiled most of them a second time).
cargo test -q --workspace --test keychain --no-run
exec dbus-run-session -- sh -c '
  eval "$(printf ci | gnome-keyring-daemon --unlock --components=secrets)"
  cargo test -q --workspace --test keychain -- --ignored
'
