#!/usr/bin/env bash
# Installs what `make bench` measures with: wrk (Debian's package) and the peers from npm
# (Prism, WireMock's standalone jar, graphql-faker), each into its own prefix under
# bench/.tools/ (gitignored). Versions are pinned so runs compare like with like.
#
# Every step may fail without failing the bench: it then runs without that tool and its
# report says so. Each npm install has a time limit: resolving graphql-faker's peer
# dependencies can loop forever in npm 11 (hence --legacy-peer-deps), and a hung install
# must not hang `make bench`.
set -u
cd "$(dirname "$0")"
TOOLS=.tools
mkdir -p "$TOOLS"

say() { printf 'bench setup: %s\n' "$*"; }

if ! command -v wrk >/dev/null 2>&1; then
  if command -v apt-get >/dev/null 2>&1; then
    sudo=""
    [ "$(id -u)" -ne 0 ] && sudo="sudo -n"
    say "installing wrk (apt-get)"
    if ! { $sudo apt-get update -qq && $sudo apt-get install -y -qq wrk; } >"$TOOLS/wrk.log" 2>&1; then
      say "could not install wrk (see bench/$TOOLS/wrk.log): the Python load generator will run"
    fi
  else
    say "no wrk and no apt-get: the Python load generator will run"
  fi
fi
command -v taskset >/dev/null 2>&1 || say "taskset not found: servers will not be pinned to a core"

# install_peer NAME PACKAGE@VERSION FILE-THAT-PROVES-IT [npm options...]
install_peer() {
  local name=$1 spec=$2 marker=$3
  shift 3
  if [ -e "$TOOLS/$name/$marker" ]; then
    return 0
  fi
  if ! command -v npm >/dev/null 2>&1; then
    say "npm not found: $name will not be measured"
    return 0
  fi
  say "installing $spec into bench/$TOOLS/$name"
  mkdir -p "$TOOLS/$name"
  if ! timeout 300 npm install --prefix "$TOOLS/$name" --no-audit --no-fund --loglevel=error \
    "$@" "$spec" >"$TOOLS/$name.log" 2>&1 || [ ! -e "$TOOLS/$name/$marker" ]; then
    say "could not install $spec (see bench/$TOOLS/$name.log): $name will not be measured"
  fi
}

install_peer prism @stoplight/prism-cli@5.16.0 node_modules/@stoplight/prism-cli/dist/index.js
install_peer wiremock wiremock@3.13.2 node_modules/wiremock/build/wiremock-standalone-3.13.2.jar
# 2.0.0 on npm ships without its dist/ folder; the last release candidate is complete.
install_peer graphql-faker graphql-faker@2.0.0-rc.25 node_modules/graphql-faker/dist/index.js \
  --legacy-peer-deps
command -v java >/dev/null 2>&1 || say "java not found: WireMock will not be measured"
exit 0
