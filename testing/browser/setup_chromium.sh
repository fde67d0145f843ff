#!/usr/bin/env bash
# Makes sure Debian's Chromium is installed for the browser tests
# (playwright-core drives it; it never downloads a browser of its own).
set -euo pipefail

if command -v chromium >/dev/null 2>&1; then
  echo "chromium: present ($(command -v chromium))"
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "chromium: not found and no apt-get here; install Chromium and put it on PATH as 'chromium'" >&2
  exit 1
fi
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
echo "chromium: installing with apt-get install chromium"
$sudo apt-get update -qq || echo "chromium: apt-get update failed, trying the install anyway" >&2
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium >/dev/null
echo "chromium: installed ($(command -v chromium))"
