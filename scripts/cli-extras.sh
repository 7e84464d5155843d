#!/usr/bin/env bash
# Builds the `fichier` command for the installers and what comes with it, generated from
# its own definitions: completions for bash, zsh and fish, and the man page.
#
# Usage: scripts/cli-extras.sh [release|debug] [RUST_TARGET]
# Writes target/cli-extras/{fichier,fichier.bash,_fichier,fichier.fish,fichier.1.gz} and
# src-tauri/binaries/fichier-<target triple>[.exe], the name Tauri's externalBin wants
# (src-tauri/tauri.cli.conf.json, passed to `tauri bundle --config`).
set -euo pipefail
cd "$(dirname "$0")/.."

profile=${1:-release}
target=${2:-}
flags=()
case $profile in
  release) flags+=(--release) ;;
  debug) ;;
  *) echo "error: the profile is release or debug, not $profile" >&2; exit 2 ;;
esac
[ -n "$target" ] && flags+=(--target "$target")
triple=${target:-$(rustc -vV | sed -n 's/^host: //p')}
ext=
case $triple in *windows*) ext=.exe ;; esac

echo "==> building fichier ($profile, $triple)"
cargo build -q "${flags[@]}" -p fichier-cli
dir=target${target:+/$target}/$profile
bin="$dir/fichier$ext"

out=target/cli-extras
rm -rf "$out" && mkdir -p "$out" src-tauri/binaries
cp "$bin" "$out/fichier$ext"
if [ "$profile" = release ] && [ -z "$ext" ] && command -v strip >/dev/null; then
  strip "$out/fichier$ext" 2>/dev/null || true
fi
cp "$out/fichier$ext" "src-tauri/binaries/fichier-$triple$ext"

# The completions and the manual do not depend on the target: a binary that can't run
# here (another architecture) leaves them to the host's build.
runner="$out/fichier$ext"
if ! "$runner" --version >/dev/null 2>&1; then
  cargo build -q -p fichier-cli
  runner=target/debug/fichier
fi
"$runner" completions bash > "$out/fichier.bash"
"$runner" completions zsh > "$out/_fichier"
"$runner" completions fish > "$out/fichier.fish"
"$runner" manpage | gzip -9n > "$out/fichier.1.gz"
for f in fichier.bash _fichier fichier.fish fichier.1.gz; do
  [ -s "$out/$f" ] || { echo "error: $out/$f is empty" >&2; exit 1; }
done
echo "==> $out: fichier$ext, completions (bash, zsh, fish), fichier.1.gz"
