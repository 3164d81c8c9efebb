#!/usr/bin/env bash
# Starts StreamingApp, installing what is missing first (idempotent; a second run downloads nothing).
#   ./run.sh                                   serve on http://localhost:5080 (or $ASPNETCORE_URLS)
#   ./run.sh analyze --pipeline <id> [--annotate DIR] <image>...
#                                              one JSON line per image on stdout (and DIR/<image> drawn on)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

eng/setup.sh
echo "[run] building (Release)" >&2
dotnet build StreamingApp/StreamingApp.csproj -c Release -nologo -v quiet -clp:NoSummary >&2
app=StreamingApp/bin/Release/net10.0/StreamingApp.dll

if [[ "${1:-}" == "analyze" ]]; then
  exec dotnet "$app" "$@"
fi

export ASPNETCORE_URLS="${ASPNETCORE_URLS:-http://localhost:5080}"
echo "[run] StreamingApp on ${ASPNETCORE_URLS}" >&2
# The content root is the project folder, so relative paths in configuration (data folder) land beside the code.
exec dotnet "$app" --contentRoot "$PWD/StreamingApp" "$@"
