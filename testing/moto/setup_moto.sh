#!/usr/bin/env bash
# Makes sure moto_server (the S3-compatible test server) can be started:
# does nothing when it is on PATH, else installs it with pip.
set -euo pipefail

say() { echo "moto: $*"; }

if command -v moto_server >/dev/null 2>&1; then
  say "present ($(command -v moto_server))"
  exit 0
fi

pip_install() {
  if command -v pip >/dev/null 2>&1; then pip install "$@"; else python3 -m pip install "$@"; fi
}

command -v python3 >/dev/null 2>&1 || { echo "moto: python3 is needed: apt-get install python3 python3-pip" >&2; exit 1; }
say "installing with pip install 'moto[server]'"
# Debian's system Python refuses plain pip installs (PEP 668); a user install is
# the least intrusive way that works there.
pip_install 'moto[server]' || pip_install --user --break-system-packages 'moto[server]'
hash -r
command -v moto_server >/dev/null 2>&1 || { echo "moto: installed, but moto_server is not on PATH (add ~/.local/bin)" >&2; exit 1; }
say "installed ($(command -v moto_server))"
