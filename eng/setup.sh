#!/usr/bin/env bash
# Idempotent setup shared by ./run.sh and ./test.sh:
#   system packages -> model files.
# Downloads are cached under $STREAMINGAPP_CACHE so a second run (or a second clone) downloads nothing.
# Usage: eng/setup.sh [--with-test-tools]
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cache="${STREAMINGAPP_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/streamingapp}"

log() { printf '[setup] %s\n' "$*" >&2; }

install_system_packages() {
  local wanted=(libturbojpeg0 ffmpeg fonts-dejavu-core)
  command -v npm >/dev/null 2>&1 || wanted+=(nodejs npm)
  if [[ "${1:-}" == "--with-test-tools" ]]; then wanted+=(chromium postgresql nginx openssl); fi
  local missing=()
  for p in "${wanted[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [[ ${#missing[@]} -eq 0 ]] && return 0
  if [[ $(id -u) -ne 0 ]]; then
    echo "Missing system packages. Run this, then run me again:" >&2
    echo "  sudo apt-get update && sudo apt-get install -y --no-install-recommends ${missing[*]}" >&2
    exit 1
  fi
  log "installing ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# The model files named in models/models.json. Their SHA-256s are checked by the app itself before anything runs on them.
fetch() {
  node "$repo/eng/fetch.mjs" "$repo" "$cache"
}

install_system_packages "${1:-}"
fetch
