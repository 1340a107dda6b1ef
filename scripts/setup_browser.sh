#!/usr/bin/env bash
# Install the system Chromium (and fonts) used by the web and GUI environments.
# Idempotent; run as root on Debian/Ubuntu. The Python `playwright` package drives this browser
# through its executable path; no browser is downloaded by playwright itself.
set -euo pipefail

CHROMIUM="${GYMHUB_CHROMIUM:-/usr/bin/chromium}"
if [ -x "$CHROMIUM" ] && fc-list 2>/dev/null | grep -qi "dejavu"; then
    echo "setup_browser: $("$CHROMIUM" --version 2>/dev/null || echo chromium) already installed"
    exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
    echo "setup_browser: must run as root to apt-get install chromium" >&2
    exit 1
fi

export DEBIAN_FRONTEND=noninteractive
apt-get -o DPkg::Lock::Timeout=600 update -qq
apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends chromium fonts-dejavu-core fontconfig >/dev/null
echo "setup_browser: installed $(/usr/bin/chromium --version 2>/dev/null || echo chromium)"
