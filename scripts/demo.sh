#!/usr/bin/env bash
# The main job on the embedded default: installs what it needs, builds Crosswalk and its plugins,
# and runs `crosswalk demo` (sandbox APIs, SQLite store, real plugins). Extra arguments go to the demo.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
echo "==> swift build"
swift build 2>&1 | grep -vE '^\[[0-9]+/[0-9]+\] (Compiling|Write|Emitting|Linking|Applying)' || true
[ "${PIPESTATUS[0]}" -eq 0 ] || { echo "build failed" >&2; exit 1; }
exec "$(swift build --show-bin-path)/crosswalk" demo "$@"
