#!/usr/bin/env bash
# Runs the whole test suite headless (EGL surfaceless; llvmpipe when there is no GPU).
# Installs what it needs first (scripts/setup.sh). Ends with a line "tests: N passed, N failed, N skipped".
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$ROOT/scripts/setup.sh"

log=$(mktemp)
trap 'rm -f "$log"' EXIT
set +e
dotnet test "$ROOT/VisionPlugin.sln" -c Release --nologo "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e

# Sum the per-assembly summaries: "Passed!  - Failed:     0, Passed:    28, Skipped:     0, Total:    28".
read -r passed failed skipped < <(grep -E '(Passed|Failed)! +- +Failed:' "$log" | sed -E 's/.*Failed: *([0-9]+), Passed: *([0-9]+), Skipped: *([0-9]+).*/\2 \1 \3/' |
  awk '{p+=$1; f+=$2; s+=$3} END {print p+0, f+0, s+0}')
echo "tests: ${passed} passed, ${failed} failed, ${skipped} skipped"
if [[ $status -eq 0 && $passed -eq 0 ]]; then echo "tests: no test ran" >&2; exit 1; fi
exit "$status"
