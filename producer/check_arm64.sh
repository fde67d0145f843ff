#!/usr/bin/env bash
# deno task check:arm64 — runs the producer bundle with the aarch64 Deno
# (npm @deno/linux-arm64-glibc) under qemu-aarch64-static against the
# Raspberry Pi 4 fixture tree and prints the reading. Opt-in: it installs
# qemu-user-static and the aarch64 C library from apt when they are missing,
# and the aarch64 Deno into .cache/ from npm.
set -euo pipefail
cd "$(dirname "$0")/.."

DENO_VERSION=2.9.6
CACHE=.cache/deno-arm64
SYSROOT=/usr/aarch64-linux-gnu
FIXTURE=producer/sensors/fixtures/pi4_undervoltage/root

if ! command -v qemu-aarch64-static >/dev/null || [ ! -e "$SYSROOT/lib/ld-linux-aarch64.so.1" ]; then
  echo "installing qemu-user-static and the aarch64 C library (apt)" >&2
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq \
    qemu-user-static libc6-arm64-cross libgcc-s1-arm64-cross >/dev/null
fi

if [ ! -x "$CACHE/package/deno" ] || ! grep -q "\"version\": \"$DENO_VERSION\"" "$CACHE/package/package.json"; then
  echo "fetching @deno/linux-arm64-glibc@$DENO_VERSION (npm)" >&2
  rm -rf "$CACHE" && mkdir -p "$CACHE"
  (cd "$CACHE" && npm pack --silent "@deno/linux-arm64-glibc@$DENO_VERSION" >/dev/null && tar xzf ./*.tgz)
  chmod +x "$CACHE/package/deno"
fi

deno task bundle >&2
start=$(date +%s%N)
DENO_DIR="$CACHE/deno_dir" NO_COLOR=1 qemu-aarch64-static -L "$SYSROOT" "$CACHE/package/deno" \
  run -A dist/producer.js --once --root "$FIXTURE" --device pi4-under-qemu
elapsed_ms=$(( ($(date +%s%N) - start) / 1000000 ))
echo "aarch64 Deno $DENO_VERSION ran the bundle in $((elapsed_ms / 1000)).$(printf '%03d' $((elapsed_ms % 1000))) s under qemu-aarch64-static" >&2
