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

# True when node_modules holds every package of package-lock.json at its version, as npm recorded at its last install
# (node_modules/.package-lock.json); optional packages of other platforms may be absent. A lock changed by a pull or a
# checkout makes it false. Needs node (need_node first).
npm_packages_current() {
  [ -f node_modules/.package-lock.json ] && node -e '
    const want = require(process.cwd() + "/package-lock.json").packages ?? {};
    const have = require(process.cwd() + "/node_modules/.package-lock.json").packages ?? {};
    const ok = Object.entries(want).every(([path, p]) => path === "" || (have[path] ? have[path].version === p.version : p.optional === true));
    process.exit(ok ? 0 : 1);' 2>/dev/null
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
