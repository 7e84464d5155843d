#!/usr/bin/env bash
# The UI's checks, from a fresh machine: Chromium for the browser suite, then install,
# type-check, build, unit tests and browser tests. Exits non-zero on the first failure.
set -euo pipefail

cd "$(dirname "$0")/.."

if [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi
  echo "== installing chromium"
  if ! $SUDO apt-get install -y --no-install-recommends chromium >/dev/null 2>&1; then
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends chromium
  fi
fi

echo "== npm ci"
npm ci --no-audit --no-fund
echo "== npm run check"
npm run check
echo "== npm run build"
npm run build
echo "== npm run build:harness"
npm run build:harness
echo "== npm test"
npm test
echo "== npm run test:e2e"
npm run test:e2e
