#!/usr/bin/env bash
# The demo on a fresh Debian machine: the system package it uses, the npm packages, the window, then `npm run demo`.
# Arguments go to the demo (e.g. --headless --periods 2 --json, --data DIR).
set -euo pipefail
cd "$(dirname "$0")/.."
export ELECTRON_SKIP_BINARY_DOWNLOAD=1
if ! command -v socat >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends socat >/dev/null
  else
    echo "socat is not installed (sudo apt-get install socat): the serial link needs it" >&2
  fi
fi
[ -d node_modules ] || npm ci --no-audit --no-fund
npm run -s build:renderer >/dev/null
exec npm run -s demo -- "$@"
