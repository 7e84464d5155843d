#!/usr/bin/env bash
# Regenerates the app icons from icons/fichier-desk.svg: a 1024 px PNG rendered with
# rsvg-convert, then every size the bundles need (PNG, ICO, ICNS, Windows tiles) with
# `tauri icon`, into src-tauri/icons/. Mobile icons are not kept: this is a desktop app.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
apt_ensure librsvg2-bin
ensure_node
(cd ui && { [ -x node_modules/.bin/tauri ] || npm ci --no-audit --no-fund --silent; })

rsvg-convert -w 1024 -h 1024 icons/fichier-desk.svg -o icons/icon-1024.png
rm -rf src-tauri/icons
(cd ui && npx --no-install tauri icon ../icons/icon-1024.png -o ../src-tauri/icons >/dev/null 2>&1)
# 256 px too: the first PNG in bundle.icon is the Linux window and tray icon, and the
# deb/rpm install one hicolor icon per size.
(cd ui && npx --no-install tauri icon ../icons/icon-1024.png -p 256 -o ../src-tauri/icons >/dev/null 2>&1)
rm -rf src-tauri/icons/android src-tauri/icons/ios
ls src-tauri/icons
