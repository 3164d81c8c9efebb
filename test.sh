#!/usr/bin/env bash
# Runs every test: the same setup as ./run.sh (plus Chromium and fonts for browser and OCR tests),
# then the browser-side unit tests (node --test) and the .NET suite (unit, integration, Playwright).
# The exit code tells: 0 only when everything passed.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

eng/setup.sh --with-test-tools
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 DOTNET_CLI_TELEMETRY_OPTOUT=1

echo "[test] build (Release, warnings are errors)" >&2
dotnet build StreamingApp.sln -c Release -nologo -v quiet -clp:NoSummary

status=0
rm -rf TestResults
if compgen -G "wwwroot-assets/test/*.test.mjs" >/dev/null; then
  echo "[test] browser modules (node --test)" >&2
  mkdir -p TestResults
  node --test --test-reporter=spec --test-reporter-destination=stdout \
    --test-reporter=junit --test-reporter-destination=TestResults/node.junit.xml wwwroot-assets/test/ || status=1
fi

echo "[test] .NET tests" >&2
dotnet test StreamingApp.sln -c Release --no-build -nologo --logger "console;verbosity=normal" \
  --results-directory TestResults --logger "trx;LogFileName=results.trx" || status=1

# The failed tests (name and message) and one plain closing line for CI, summed over every test run above.
node eng/summarize-tests.mjs TestResults || status=1
exit $status
