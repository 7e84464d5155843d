#!/usr/bin/env bash
# Builds the Linux installers: the user interface, then a release build of the app bundled
# as .deb and .rpm by the Tauri CLI (from ui/node_modules), with the `fichier` command, its
# shell completions and its man page. Prints where they are.
# AppImage, MSI/NSIS and DMG are built by .github/workflows/release.yml on their systems.
#
# Usage: scripts/package.sh [BUNDLES=deb,rpm]
# PACKAGE_PROFILE=debug bundles a debug build instead (target/debug/bundle/): much quicker
# where the test suite has already built the app in debug, but not what users get.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

bundles=${1:-deb,rpm}
profile=${PACKAGE_PROFILE:-release}
case $profile in
  release) flags=() ;;
  debug) flags=(--debug) ;;
  *) echo "error: PACKAGE_PROFILE is release or debug, not $profile" >&2; exit 2 ;;
esac
apt_ensure "${BUILD_PACKAGES[@]}" libwebkit2gtk-4.1-dev libgtk-3-dev libsoup-3.0-dev \
  libjavascriptcoregtk-4.1-dev librsvg2-dev libayatana-appindicator3-dev libxdo-dev
ensure_rust
ensure_node

echo "==> building the user interface"
(cd ui && { [ -x node_modules/.bin/tauri ] || npm ci --no-audit --no-fund --silent; } &&
  npm run --silent build >/dev/null)

# From src-tauri, the CLI finds tauri.conf.json itself; frontendDist (../ui/dist) is
# already built and there is no beforeBuildCommand. Output goes to the workspace target/.
tauri() { (cd src-tauri && ../ui/node_modules/.bin/tauri "$@"); }
echo "==> building Fichier Desk ($profile)"
tauri build --ci --no-bundle "${flags[@]}"
# The release profile keeps debug info for profiling (200+ MB); what users install is
# stripped, as Debian packages are.
strip "target/$profile/fichier-desk"
# The `fichier` command goes into every installer next to the app (/usr/bin/fichier in
# the .deb and .rpm), with its completions and man page. Given at bundling only: the app's
# own build above stays the one the end-to-end tests use.
bash scripts/cli-extras.sh "$profile"
echo "==> bundling ($bundles)"
tauri bundle --ci --bundles "$bundles" "${flags[@]}" --config tauri.cli.conf.json

out=target/$profile/bundle
found=0
for f in "$out"/deb/*.deb "$out"/rpm/*.rpm; do
  [ -f "$f" ] || continue
  found=1
  size=$(stat -c %s "$f")
  printf '%s  %s bytes (%s)\n' "$f" "$size" "$(numfmt --to=iec --suffix=B "$size")"
done
[ "$found" = 1 ] || { echo "error: no package was produced under $out" >&2; exit 1; }
