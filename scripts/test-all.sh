#!/usr/bin/env bash
# `npm test`: every check of the project, in order, on a fresh clone too:
#   install (node_modules, the offline VS Code server in .tools/, Chromium when missing and we are root),
#   build, type-check, eslint, unit tests (Node's test runner), integration tests (real VS Code, packaged .vsix).
# Each stage runs even when an earlier one failed (except integration, which needs the build). The last
# line is `N passed, N failed` over all stages: unit and integration tests count one each; build,
# type-check and eslint count one check each. Exit status: 0 only when nothing failed.
# Logs of each stage go to test-results/<stage>.log.
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"
mkdir -p test-results

passed=0
failed=0
summary=()
t0=$SECONDS

stage() { # stage NAME COMMAND...  -> runs it with output to the terminal and test-results/NAME.log
  local name="$1"; shift
  local start=$SECONDS
  echo
  echo "=== $name"
  "$@" 2>&1 | tee "test-results/$name.log"
  local rc=${PIPESTATUS[0]}
  local secs=$((SECONDS - start))
  summary+=("$(printf '%-12s %-4s %4ss' "$name" "$([[ $rc == 0 ]] && echo ok || echo FAIL)" "$secs")")
  return "$rc"
}
check() { # a stage that counts as one check
  if stage "$@"; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
}

# --- install what is missing -------------------------------------------------------------------
if [[ ! -d node_modules ]]; then
  check install-npm npm ci --no-audit --no-fund
fi
if [[ ! -x /usr/bin/chromium && -z "${CHROMIUM:-}" ]]; then
  if [[ "$(id -u)" == 0 ]] && command -v apt-get >/dev/null; then
    check install-apt bash -c 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium python3-torch python3-torchvision python3-sklearn python3-numpy python3-onnx git pre-commit'
  else
    echo "Chromium is missing: sudo apt-get install -y chromium (or set CHROMIUM=/path/to/chromium)" >&2
  fi
fi
check setup-vscode bash scripts/setup-vscode-server.sh

# --- static checks ---------------------------------------------------------------------------
build_ok=0
if stage build npm run --silent build; then passed=$((passed + 1)); build_ok=1; else failed=$((failed + 1)); fi
check typecheck npx --no-install tsc -p . --noEmit
check eslint npx --no-install eslint src webview-ui test scripts

# --- unit tests: parse node's test runner summary ------------------------------------------------
stage unit npm run --silent test:unit
unit_pass=$(grep -E '^ℹ pass [0-9]+' test-results/unit.log | tail -1 | awk '{print $3}')
unit_fail=$(grep -E '^ℹ fail [0-9]+' test-results/unit.log | tail -1 | awk '{print $3}')
if [[ -z "$unit_pass" || -z "$unit_fail" ]]; then
  echo "unit tests: no summary found (the runner crashed?)" >&2
  unit_pass=${unit_pass:-0}
  unit_fail=$(( ${unit_fail:-0} + 1 ))
fi
passed=$((passed + unit_pass))
failed=$((failed + unit_fail))

# --- integration tests in the real VS Code ---------------------------------------------------------
if [[ $build_ok == 1 ]]; then
  stage integration node scripts/run-integration.mjs
  line=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' test-results/integration.log | tail -1)
  if [[ -n "$line" ]]; then
    passed=$((passed + $(echo "$line" | awk '{print $1}')))
    failed=$((failed + $(echo "$line" | awk '{print $3}')))
  else
    failed=$((failed + 1))
  fi
else
  echo "integration: skipped, the build failed" >&2
  failed=$((failed + 1))
fi

echo
echo "=== summary ($((SECONDS - t0)) s)"
printf '%s\n' "${summary[@]}"
echo "unit: ${unit_pass} passed, ${unit_fail} failed"
echo "${passed} passed, ${failed} failed"
[[ $failed == 0 ]]
