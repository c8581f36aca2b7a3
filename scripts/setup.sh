#!/usr/bin/env bash
# Create .venv with the package and its extras, and make sure Graphviz's `dot` is present.
# Usage: scripts/setup.sh [extras]   (default extras: dev,notebooks,export,fast)
# "fast" is numba's compiled kernels (leave it out for the numpy kernels only). The extra
# "distributed" (Ray, tf.train.Server) is opt-in: scripts/setup.sh dev,notebooks,export,fast,distributed
# The extra "browser" also installs Chromium (Debian's package, for the player's browser
# test), e.g. scripts/setup.sh dev,notebooks,browser
set -euo pipefail
cd "$(dirname "$0")/.."
extras="${1:-dev,notebooks,export,fast}"

sudo_cmd=""
[ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1 && sudo_cmd="sudo"
# apt_install PACKAGE WHAT HINT: install PACKAGE with apt-get, or print HINT if impossible.
apt_install() {
  if command -v apt-get >/dev/null 2>&1; then
    echo "Installing $2 with apt-get..."
    $sudo_cmd apt-get update -qq && $sudo_cmd apt-get install -y -qq "$1" >/dev/null
  else
    echo "NOTE: $2 was not found and apt-get is unavailable. $3" >&2
  fi
}
if ! command -v dot >/dev/null 2>&1; then
  apt_install graphviz "Graphviz (the 'dot' program)" "Install it from \
https://graphviz.org/download/ (e.g. 'brew install graphviz') to render graph images; \
everything else works without it."
fi
if [[ ",${extras}," == *",browser,"* ]] && ! command -v chromium >/dev/null 2>&1 \
    && ! command -v chromium-browser >/dev/null 2>&1; then
  apt_install chromium "Chromium (for the browser tests)" "Install Chromium or Chrome \
to run the player's browser test; without it the test is skipped."
fi

if [ ! -x .venv/bin/python ]; then
  if ! python3 -m venv .venv 2>/dev/null; then
    rm -rf .venv
    if command -v apt-get >/dev/null 2>&1; then
      echo "Installing python3-venv with apt-get..."
      $sudo_cmd apt-get install -y -qq python3-venv >/dev/null
      python3 -m venv .venv
    else
      echo "ERROR: 'python3 -m venv' failed; install your system's venv package." >&2
      exit 1
    fi
  fi
fi
# Installing again is skipped when pyproject.toml and the extras are as last time (a stamp
# in .venv), so the README's commands cost nothing after the first.
stamp=".venv/.setup-stamp"
wanted="$(sha256sum pyproject.toml | cut -c1-16) ${extras}"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$wanted" ]; then
  echo "Environment ready in .venv (extras: ${extras}; set up already)."
  exit 0
fi
.venv/bin/python -m pip install -q --upgrade pip >/dev/null
.venv/bin/python -m pip install -q -e ".[${extras}]"
echo "$wanted" > "$stamp"
echo "Environment ready in .venv (extras: ${extras})."
