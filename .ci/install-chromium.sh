#!/usr/bin/env bash
# The browser tests drive Debian's Chromium: Playwright cannot download its own build here.
# Without recommends the install stays small; fonts-liberation keeps screenshots legible.
set -euo pipefail

if [ -x /usr/bin/chromium ]; then
  exit 0
fi

export DEBIAN_FRONTEND=noninteractive
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends chromium fonts-liberation >/dev/null
/usr/bin/chromium --version
