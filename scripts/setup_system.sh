#!/usr/bin/env bash
# System packages and services the tests need: bubblewrap, a Docker engine with the sandbox
# image, and Chromium. Idempotent and fast when everything is in place. Needs root (or sudo).
set -euo pipefail
cd "$(dirname "$0")"

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"
  elif command -v sudo >/dev/null 2>&1; then sudo -E "$@"
  else echo "setup_system: $* needs root (run as root or install sudo)" >&2; return 1
  fi
}

as_root bash ./setup_sandboxes.sh
as_root bash ./setup_browser.sh
