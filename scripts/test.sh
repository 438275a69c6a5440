#!/usr/bin/env bash
# The whole test suite: installs what it needs, builds, runs the Swift tests (real .so plugins,
# real HTTP on loopback, real SQLite files) and the fidelity tests (published Python clients
# against the sandbox). Ends with one line "total: N passed, M failed".
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh || exit 1

echo "==> swift build (debug, with tests)"
swift build --build-tests 2>&1 | grep -vE '^\[[0-9]+/[0-9]+\] (Compiling|Write|Emitting|Linking|Applying)' || true
[ "${PIPESTATUS[0]}" -eq 0 ] || { echo "build failed"; exit 1; }

echo "==> throw-away PostgreSQL server for the store tests"
pg_dir=$(mktemp -d -u "${TMPDIR:-/tmp}/crosswalk-test-pg.XXXXXX")
CROSSWALK_TEST_POSTGRES_URL=$(bash scripts/pg-test-server.sh start "$pg_dir") || { echo "the PostgreSQL test server did not start"; exit 1; }
trap 'bash scripts/pg-test-server.sh stop "$pg_dir"' EXIT
CROSSWALK_TEST_POSTGRES_PASSWORD=$(cat "$pg_dir/password")
export CROSSWALK_TEST_POSTGRES_URL CROSSWALK_TEST_POSTGRES_PASSWORD
echo "    $CROSSWALK_TEST_POSTGRES_URL"

echo "==> swift test"
log=$(mktemp)
swift test --skip-build 2>&1 | tee "$log" | grep -E '^(✘|􀢄)|recorded an issue|Test run with|error:' 
swift_status=${PIPESTATUS[0]}
swift_total=$(grep -oE 'Test run with [0-9]+ tests?' "$log" | tail -1 | grep -oE '[0-9]+' || echo 0)
swift_failed=$(grep -cE '^✘ Test .* failed' "$log" || true)
swift_passed=$((swift_total - swift_failed))

py_passed=0; py_failed=0; py_status=0
if [ -x Tests/Fidelity/run.sh ]; then
  echo "==> fidelity tests (published Python clients against the sandbox)"
  plog=$(mktemp)
  CROSSWALK_SANDBOX_CMD="$(swift build --show-bin-path)/crosswalk sandbox --port 0 --seed 50" Tests/Fidelity/run.sh 2>&1 | tee "$plog"
  py_status=${PIPESTATUS[0]}
  py_passed=$(grep -oE '[0-9]+ passed' "$plog" | tail -1 | grep -oE '[0-9]+' || echo 0)
  py_failed=$(grep -oE '[0-9]+ (failed|error)' "$plog" | tail -1 | grep -oE '[0-9]+' || echo 0)
fi

echo "swift: $swift_passed passed, $swift_failed failed; fidelity: $py_passed passed, $py_failed failed"
echo "total: $((swift_passed + py_passed)) passed, $((swift_failed + py_failed)) failed"
[ "$swift_status" -eq 0 ] && [ "$py_status" -eq 0 ]
