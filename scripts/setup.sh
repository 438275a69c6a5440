#!/usr/bin/env bash
# Installs what Crosswalk needs on a Debian machine (idempotent; needs root or sudo for apt-get).
set -euo pipefail
# postgresql: the tests start a throw-away server of their own (scripts/pg-test-server.sh); Debian's
# package may also start its own cluster on 5432, which the tests do not use.
packages=(libcurl4-openssl-dev libsqlite3-dev libffi-dev libcjson-dev python3-venv openssl postgresql)
missing=()
for p in "${packages[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  echo "==> installing ${missing[*]}"
  sudo_cmd=""; [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${missing[@]}" >/dev/null
fi
command -v swift >/dev/null || { echo "error: Swift 6.3 is needed (https://swift.org/install); 'swift' is not on PATH" >&2; exit 1; }
