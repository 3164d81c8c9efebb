#!/usr/bin/env bash
# Server memory while upload jobs run, per video resolution (docs/PERFORMANCE.md, "Job memory").
# Starts the Release build on a free port with an empty data folder, submits one clip per size made from the COCO
# test photos, samples the server's resident set (VmRSS) every 50 ms while each job runs, and reports the peak growth
# over the RSS just before that job; then the RSS after the process has been idle, and what an 8K clip gets at submit.
#
#   dotnet build StreamingApp.sln -c Release && eng/measure-job-memory.sh [pipeline] [repo-root]
#
# pipeline: yolo (default) or ocr. repo-root: the checkout whose build to measure (default: this one), so an older
# commit can be measured the same way from its own worktree.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
pipeline="${1:-yolo}"
repo="$(cd "${2:-$here}" && pwd)"
photos="$here/../shared/media/coco"
idle_seconds="${IDLE_SECONDS:-30}"
work="$(mktemp -d)"
trap 'kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; rm -rf "$work"' EXIT

# The test clip's recipe (StreamingApp.Tests/TestSupport/TestVideo.cs) at any size: 8 photos, 1 s each, 5 fps.
make_clip() { # width height path
  local args=() filter="" i=0
  for p in 000000000632 000000001000 000000001296 000000001353 000000001425 000000001490 000000001532 000000001584; do
    args+=(-loop 1 -framerate 5 -t 1 -i "$photos/$p.jpg")
    filter+="[$i:v]scale=$1:$2:force_original_aspect_ratio=decrease,pad=$1:$2:(ow-iw)/2:(oh-ih)/2,setsar=1,format=yuv420p[v$i];"
    i=$((i + 1))
  done
  for j in $(seq 0 7); do filter+="[v$j]"; done
  ffmpeg -v error -y "${args[@]}" -filter_complex "${filter}concat=n=8:v=1:a=0[out]" -map "[out]" \
    -c:v libx264 -preset veryfast -crf 18 -pix_fmt yuv420p -r 5 "$3"
}

for size in 640x480 3840x2160; do make_clip "${size%x*}" "${size#*x}" "$work/$size.mp4"; done
ffmpeg -v error -f lavfi -i color=c=gray:s=7680x4320:r=5:d=0.4 -c:v libx264 -preset ultrafast -pix_fmt yuv420p "$work/7680x4320.mp4"

port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
url="http://127.0.0.1:$port"
ASPNETCORE_URLS="$url" Jobs__DataDirectory="$work/data" ConsoleLog__Format=Off \
  dotnet "$repo/StreamingApp/bin/Release/net10.0/StreamingApp.dll" --contentRoot "$repo/StreamingApp" &
server=$!
until curl -sf "$url/v1/pipelines/list" > /dev/null; do sleep 0.2; done

rss() { awk '/^VmRSS/ { print int($2 / 1024) }' "/proc/$server/status"; }

run_job() { # clip label
  local before peak now id status
  before=$(rss); peak=$before
  id=$(curl -sf -F "file=@$1" "$url/v1/video/submit?pipeline_id=$pipeline" | python3 -c 'import json,sys; print(json.load(sys.stdin)["job_id"])')
  while :; do
    now=$(rss); [ "$now" -gt "$peak" ] && peak=$now
    status=$(curl -sf "$url/v1/video/status/$id" | python3 -c 'import json,sys; print(json.load(sys.stdin)["status"])')
    case "$status" in completed|failed) break ;; esac
    sleep 0.05
  done
  printf '%-12s %-9s RSS before %5d MiB  peak %5d MiB  growth %+5d MiB\n' "$2" "$status" "$before" "$peak" $((peak - before))
}

echo "pipeline $pipeline, $(nproc) cores, load: $(cut -d' ' -f1-3 /proc/loadavg)"
run_job "$work/640x480.mp4" "warm-up"
run_job "$work/640x480.mp4" "640x480"
run_job "$work/3840x2160.mp4" "3840x2160"
run_job "$work/640x480.mp4" "640x480"
sleep "$idle_seconds"
echo "after ${idle_seconds} s idle: RSS $(rss) MiB"
printf '7680x4320 at submit: '
curl -s -F "file=@$work/7680x4320.mp4" "$url/v1/video/submit?pipeline_id=$pipeline"
echo
