#!/usr/bin/env bash
# CPU time per image of the `ocr` pipeline through the analyze CLI (file read, TurboJPEG decode, pipeline), with
# process start-up (JIT, SHA-256 checks, session creation) subtracted: (CPU of 1 + N images - CPU of 1 image) / N.
# CPU time stays comparable on a shared machine where wall time does not; peer-ocr.mjs reports the peer's.
#   StreamingApp.Benchmarks/peer/ours-cpu.sh <image.jpg> [N=30]   (after: dotnet build -c Release StreamingApp)
set -euo pipefail
image=$1
n=${2:-30}
dll=$(dirname "$0")/../../StreamingApp/bin/Release/net10.0/StreamingApp.dll

cpu_seconds() {
  local report
  report=$( { TIMEFORMAT='%3U %3S'; time dotnet "$dll" analyze --pipeline ocr "$@" >/dev/null 2>&1; } 2>&1 )
  awk '{ print $1 + $2 }' <<<"$report"
}

images=()
for _ in $(seq "$n"); do images+=("$image"); done
one=$(cpu_seconds "$image")
many=$(cpu_seconds "$image" "${images[@]}")
awk -v one="$one" -v many="$many" -v n="$n" -v f="$image" \
  'BEGIN { printf "ours ocr pipeline | %s | CPU %.1f ms per image (1 intra-op thread; %d images)\n", f, (many - one) * 1000 / n, n }'
