#!/usr/bin/env bash
# The demo on a fresh Debian machine: Node checked first, the system packages it uses (socat for the serial link, tor
# for a private Tor network on loopback), the npm packages (again whenever package-lock.json changed), the window,
# then `npm run demo`. Without socat or tor the demo still runs, with embedded stand-ins it names (an in-process
# serial stream, a plain local SOCKS hop).
# Arguments go to the demo (e.g. --headless --periods 2 --json, --data DIR, --no-tor).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/setup-steps.sh
need_node
export ELECTRON_SKIP_BINARY_DOWNLOAD=1

missing=()
for cmd in socat tor; do command -v "$cmd" >/dev/null 2>&1 || missing+=("$cmd"); done
if ((${#missing[@]})); then
  if [ "$(id -u)" = 0 ]; then
    echo "installing ${missing[*]} (apt-get) ..." >&2
    apt_install "${missing[@]}" || echo "apt-get install ${missing[*]} failed (its message is above)." >&2
  else
    echo "not installed: ${missing[*]} (to install: sudo apt-get install ${missing[*]})" >&2
  fi
  for cmd in "${missing[@]}"; do
    command -v "$cmd" >/dev/null 2>&1 && continue
    case $cmd in
      socat) echo "without socat, the demo's serial link is an in-process byte stream instead of a pty pair (same telegram decoder)." >&2 ;;
      tor) echo "without tor, the demo pays through its built-in local SOCKS5 hop instead of a private Tor network: NOT anonymous." >&2 ;;
    esac
  done
fi
if ! npm_packages_current; then
  echo "installing the npm packages (npm ci: none yet, or package-lock.json changed since the last install) ..." >&2
  npm ci --no-audit --no-fund
fi
npm run -s build:renderer >/dev/null
exec npm run -s demo -- "$@"
