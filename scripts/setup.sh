#!/usr/bin/env bash
# Create .venv with the package and its extras, and make sure Graphviz's `dot` is present.
# Usage: scripts/setup.sh [extras]   (default extras: dev,notebooks)
# The extra "browser" also installs Chromium (Debian's package, for the player's browser
# test), e.g. scripts/setup.sh dev,notebooks,browser
set -euo pipefail
cd "$(dirname "$0")/.."
extras="${1:-dev,notebooks}"

sudo_cmd=""
[ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1 && sudo_cmd="sudo"
if ! command -v dot >/dev/null 2>&1; then
  if command -v apt-get >/dev/null 2>&1; then
    echo "Installing Graphviz (the 'dot' program) with apt-get..."
    $sudo_cmd apt-get update -qq && $sudo_cmd apt-get install -y -qq graphviz >/dev/null
  else
    echo "NOTE: Graphviz's 'dot' program was not found and apt-get is unavailable." >&2
    echo "      Install it from https://graphviz.org/download/ (e.g. 'brew install graphviz')" >&2
    echo "      to render graph images; everything else works without it." >&2
  fi
fi

if [[ ",${extras}," == *",browser,"* ]] && ! command -v chromium >/dev/null 2>&1 \
    && ! command -v chromium-browser >/dev/null 2>&1; then
  if command -v apt-get >/dev/null 2>&1; then
    echo "Installing Chromium with apt-get (for the browser tests)..."
    $sudo_cmd apt-get update -qq && $sudo_cmd apt-get install -y -qq chromium >/dev/null
  else
    echo "NOTE: Chromium was not found and apt-get is unavailable; the browser test will" >&2
    echo "      be skipped. Install Chromium or Chrome to run it." >&2
  fi
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
.venv/bin/python -m pip install -q --upgrade pip >/dev/null
.venv/bin/python -m pip install -q -e ".[${extras}]"
echo "Environment ready in .venv (extras: ${extras})."
