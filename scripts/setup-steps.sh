# Set-up steps shared by scripts/demo.sh and .ci/run (sourced from the repository's root, never run alone).

# Stops with a clear message unless Node.js is at least package.json's "engines" version (Debian 12's own is 18).
need_node() {
  local want have
  want=$(sed -n 's/^ *"node": *">= *\([0-9.]*\)".*/\1/p' package.json)
  if ! command -v node >/dev/null 2>&1; then
    echo "Node.js $want or newer is needed and none is installed: install Node.js 20 LTS or newer (nodejs.org, NodeSource or nvm; Debian 12's own nodejs is 18, too old), then run this again." >&2
    return 1
  fi
  have=$(node -p process.versions.node)
  if [ "$(printf '%s\n%s\n' "$want" "$have" | sort -V | head -n 1)" != "$want" ]; then
    echo "Node.js $have is too old: Sipster Home needs $want or newer (package.json \"engines\"). Debian 12's own nodejs is 18: install Node.js 20 LTS or newer (nodejs.org, NodeSource or nvm), then run this again." >&2
    return 1
  fi
}

# True when node_modules was installed from this package-lock.json: npm writes node_modules/.package-lock.json at
# every install, so a lock changed since (a pull, a checkout) is newer than it.
npm_packages_current() {
  [ -f node_modules/.package-lock.json ] && ! [ package-lock.json -nt node_modules/.package-lock.json ]
}

# apt-get install of the given Debian packages, quietly, without starting their services (policy-rc.d answers
# "not allowed": the tests and the demo start their own tor and PostgreSQL). A policy-rc.d already there is kept.
apt_install() {
  local policy=/usr/sbin/policy-rc.d ours=0 rc=0
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod +x "$policy" && ours=1
  fi
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null; } || rc=$?
  if ((ours)); then rm -f "$policy"; fi
  return "$rc"
}
