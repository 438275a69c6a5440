#!/usr/bin/env bash
# Installs what Crosswalk needs on a Debian machine (idempotent; needs root or sudo for apt-get).
# The browser packages (chromium, its driver and a font) are for the dashboard's browser test
# (Tests/Fidelity/test_dashboard.py); they go in without recommended packages (~70 s less).
set -euo pipefail
# postgresql: the tests start a throw-away server of their own (scripts/pg-test-server.sh); Debian's
# package may also start its own cluster on 5432, which the tests do not use.
packages=(libcurl4-openssl-dev libsqlite3-dev libffi-dev libcjson-dev python3-venv openssl postgresql)
browser=(chromium chromium-driver fonts-liberation)
missing=(); missing_browser=()
for p in "${packages[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
for p in "${browser[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing_browser+=("$p"); done
sudo_cmd=""; [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
if [ ${#missing[@]} -gt 0 ] || [ ${#missing_browser[@]} -gt 0 ]; then
  $sudo_cmd apt-get update -qq
fi
if [ ${#missing[@]} -gt 0 ]; then
  echo "==> installing ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${missing[@]}" >/dev/null
fi
if [ ${#missing_browser[@]} -gt 0 ]; then
  echo "==> installing ${missing_browser[*]} (for the dashboard's browser test)"
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing_browser[@]}" >/dev/null
fi
command -v swift >/dev/null || { echo "error: Swift 6.3 is needed (https://swift.org/install); 'swift' is not on PATH" >&2; exit 1; }
