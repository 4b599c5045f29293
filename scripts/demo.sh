#!/usr/bin/env bash
# The demo on a fresh Debian machine: the system packages it uses (socat for the serial link, tor for a private Tor
# network on loopback), the npm packages, the window, then `npm run demo`. Without them the demo still runs, with
# embedded stand-ins it names (an in-process serial stream, a plain local SOCKS hop).
# Arguments go to the demo (e.g. --headless --periods 2 --json, --data DIR, --no-tor).
set -euo pipefail
cd "$(dirname "$0")/.."
export ELECTRON_SKIP_BINARY_DOWNLOAD=1
missing=()
for cmd in socat tor; do command -v "$cmd" >/dev/null 2>&1 || missing+=("$cmd"); done
if ((${#missing[@]})); then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq
    # Keep apt from starting a system tor: the demo runs its own private network.
    printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null || true
    rm -f /usr/sbin/policy-rc.d
  else
    echo "not installed: ${missing[*]} (sudo apt-get install ${missing[*]}); the demo uses its stand-ins" >&2
  fi
fi
[ -d node_modules ] || npm ci --no-audit --no-fund
npm run -s build:renderer >/dev/null
exec npm run -s demo -- "$@"
