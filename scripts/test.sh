#!/usr/bin/env bash
# The whole test suite: Rust workspace, then the user interface. Installs what it needs.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

# A clean machine builds once: incremental data would only take disk (several GB over
# clippy, the tests and the package build), and disk is what a fresh machine may lack.
# Panics still name their file and line without debug info; only backtraces lose lines,
# and the test binaries (over 40 of them) get markedly smaller and link faster.
if [ -n "${CI:-}" ]; then export CARGO_INCREMENTAL=0 CARGO_PROFILE_DEV_DEBUG=0; fi
disk() { df -h --output=avail . | tail -n1 | tr -d ' '; }
echo "==> disk free at start: $(disk)"

apt_ensure "${BUILD_PACKAGES[@]}"
ensure_rust
# The desktop crate embeds ui/dist when it compiles, so the UI is built first.
build_ui

failed=()
timings=()
run() {
  local name=$1; shift
  local start=$SECONDS
  echo
  echo "==> $name"
  if "$@"; then echo "==> $name: passed"; else echo "==> $name: FAILED"; failed+=("$name"); fi
  timings+=("$(printf '%-22s %4d s   (disk free after: %s)' "$name" $((SECONDS - start)) "$(disk)")")
}

# Clippy lints the workspace inside the one build the tests use: with clippy-driver as the
# wrapper of the workspace's own crates, `cargo test` compiles each target once, lints
# denied as errors, instead of `cargo clippy` checking every crate and its dependencies in
# a second, check-only pass. It covers what `cargo clippy --all-targets` covers (libraries,
# binaries, tests; the workspace has no examples or benches). Every later cargo build in
# the suite keeps the same wrapper, so none of them rebuilds the workspace for it.
export RUSTC_WORKSPACE_WRAPPER
RUSTC_WORKSPACE_WRAPPER=$(command -v clippy-driver)
export CLIPPY_ARGS="-D__CLIPPY_HACKERY__warnings__CLIPPY_HACKERY__"

run "cargo fmt" cargo fmt --all --check
run "cargo clippy" cargo test --workspace --no-run -q
run "cargo test" cargo test --workspace
run "keychain" bash scripts/keychain-test.sh
run "serve clients" bash scripts/serve-clients.sh
run "user interface" bash ui/scripts/ci.sh
# The package is built before the end-to-end tests: both use the same debug build of the
# app with its assets embedded (tauri build --debug), so it is compiled once.
run "package" bash -c 'PACKAGE_PROFILE=debug bash scripts/package.sh && bash scripts/package-smoke.sh'
run "desktop end-to-end" bash tests/e2e/run.sh
run "workflows" bash scripts/lint-workflows.sh

# A benchmark is not a test: it prints its table (ours against curl, side by side) and
# never fails the suite. The 1 GiB run is `./dev bench`.
echo
echo "==> benchmark (64 MiB, informational, on the debug build the tests used)"
start=$SECONDS
BENCH_PROFILE=debug RSS_SIZES="64 256" bash scripts/bench.sh 64 1 || echo "==> benchmark could not run"
echo "==> segmented download benchmark (128 MiB, connections capped at 20 MiB/s, informational)"
BENCH_PROFILE=debug bash scripts/bench-segments.sh 128 || echo "==> segmented download benchmark could not run"
echo "==> local server benchmark (32 MiB, 500 items, 20 s of playback, informational)"
BENCH_PROFILE=debug bash scripts/bench-serve.sh 32 500 20 || echo "==> local server benchmark could not run"
echo "==> backup benchmark (2,000 files, informational)"
BENCH_PROFILE=debug bash scripts/bench-backup.sh 2000 || echo "==> backup benchmark could not run"
timings+=("$(printf '%-22s %4d s' benchmark $((SECONDS - start)))")

echo
echo "==> time per part"
printf '    %s\n' "${timings[@]}"
printf '    %-22s %4d s   (target/: %s)\n' "whole suite" "$SECONDS" "$(du -sh target 2>/dev/null | cut -f1)"

echo
if [ ${#failed[@]} -gt 0 ]; then
  echo "test suite: FAILED: ${failed[*]}"
  exit 1
fi
echo "test suite: all parts passed"
