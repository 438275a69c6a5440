#!/usr/bin/env bash
# Runs the fidelity tests: real published API clients against a running Crosswalk sandbox.
#   CROSSWALK_SANDBOX_CMD="path/to/crosswalk sandbox --port 0 --seed 50" Tests/Fidelity/run.sh [pytest args]
# Without CROSSWALK_SANDBOX_CMD, .build/debug/crosswalk is used if it exists.
# The venv lives in .build-fidelity/venv and is rebuilt only when requirements.txt changes.
# pytest's exit code 5 (no tests collected) becomes 0 with a note, unless FIDELITY_REQUIRE_TESTS=1.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
venv="$root/.build-fidelity/venv"
stamp="$venv/.requirements.sha256"
wanted="$(sha256sum "$here/requirements.txt" | cut -d' ' -f1)"

if [[ ! -x "$venv/bin/python" || ! -f "$stamp" || "$(cat "$stamp")" != "$wanted" ]]; then
    rm -rf "$venv"
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check -r "$here/requirements.txt"
    echo "$wanted" > "$stamp"
fi

if [[ -z "${CROSSWALK_SANDBOX_CMD:-}" && -x "$root/.build/debug/crosswalk" ]]; then
    export CROSSWALK_SANDBOX_CMD="$root/.build/debug/crosswalk sandbox --port 0 --seed 50"
fi
if [[ -z "${CROSSWALK_SANDBOX_CMD:-}" ]]; then
    echo "run.sh: set CROSSWALK_SANDBOX_CMD (e.g. \"crosswalk sandbox --port 0 --seed 50\") or build .build/debug/crosswalk" >&2
    exit 2
fi

cd "$here"
export PYTHONDONTWRITEBYTECODE=1
status=0
"$venv/bin/python" -m pytest -q -p no:cacheprovider "$@" || status=$?
if [[ $status -eq 5 ]]; then
    echo "run.sh: pytest collected no fidelity tests"
    [[ "${FIDELITY_REQUIRE_TESTS:-0}" == "1" ]] && exit 5
    exit 0
fi
exit $status
