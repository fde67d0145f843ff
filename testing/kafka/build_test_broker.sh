#!/usr/bin/env bash
# Builds the Kafka test broker (testing/kafka/kafka_test_broker.c) against a
# static librdkafka 2.15.1 into .cache/kafka-test-broker/ at the repo root.
#
# Idempotent: does nothing when the binary is newer than its sources. Needs
# npm (to fetch the librdkafka source), gcc, g++ and make; installs
# build-essential with apt-get when one of them is missing.
#
# The librdkafka source comes from the npm tarball of
# @confluentinc/kafka-javascript (deps/librdkafka). `npm pack` only downloads
# the tarball (integrity-checked by npm); it runs no install script.
set -euo pipefail

readonly NPM_PACKAGE="@confluentinc/kafka-javascript@1.10.1"
readonly LIBRDKAFKA_VERSION="2.15.1"
readonly LIBRDKAFKA_VERSION_HEX="0x020f01ff"

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cache="$root/.cache/kafka-test-broker"
src="$cache/librdkafka-$LIBRDKAFKA_VERSION"
lib="$src/src/librdkafka.a"
bin="$cache/bin/kafka_test_broker"
program="$here/kafka_test_broker.c"
script="$here/build_test_broker.sh"

say() { echo "kafka test broker: $*"; }
fail() {
  echo "kafka test broker: $*" >&2
  exit 1
}

mkdir -p "$cache/bin"

# One build at a time (parallel `deno task test:setup` runs share the cache).
if command -v flock >/dev/null 2>&1; then
  exec 9>"$cache/.lock"
  flock 9
fi

if [[ -x "$bin" && "$bin" -nt "$program" && "$bin" -nt "$script" && -f "$lib" && "$bin" -nt "$lib" ]]; then
  say "up to date ($bin)"
  exit 0
fi

started=$SECONDS

install_build_tools() {
  command -v apt-get >/dev/null 2>&1 || fail "no C/C++ compiler or make, and no apt-get: install gcc, g++ and make"
  local sudo=""
  if [[ $(id -u) -ne 0 ]]; then
    command -v sudo >/dev/null 2>&1 || fail "no C/C++ compiler or make: run as root or install build-essential"
    sudo="sudo"
  fi
  say "installing build-essential with apt-get"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq build-essential >/dev/null
}

# librdkafka's configure insists on a C++ compiler too, though only C is built.
for tool in cc c++ make ar; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    install_build_tools
    break
  fi
done
command -v npm >/dev/null 2>&1 || fail "npm is needed to fetch the librdkafka source ($NPM_PACKAGE)"

fetch_source() {
  local tmp
  tmp="$(mktemp -d "$cache/fetch.XXXXXX")"
  say "fetching librdkafka $LIBRDKAFKA_VERSION source (npm pack $NPM_PACKAGE)"
  (cd "$tmp" && npm pack "$NPM_PACKAGE" --silent >/dev/null)
  mkdir "$tmp/librdkafka"
  tar -xzf "$tmp"/*.tgz -C "$tmp/librdkafka" --strip-components=3 package/deps/librdkafka
  grep -q "define RD_KAFKA_VERSION $LIBRDKAFKA_VERSION_HEX" "$tmp/librdkafka/src/rdkafka.h" ||
    fail "$NPM_PACKAGE does not ship librdkafka $LIBRDKAFKA_VERSION"
  rm -rf "$src"
  mv "$tmp/librdkafka" "$src"
  rm -rf "$tmp"
}

build_librdkafka() {
  local log="$cache/librdkafka-build.log"
  say "building librdkafka $LIBRDKAFKA_VERSION (static, about 30 s on 2 cores; log: $log)"
  rm -f "$lib" "$src/.configured-with"
  if ! (cd "$src" &&
    ./configure "${configure_flags[@]}" &&
    make -C src -j"$(nproc 2>/dev/null || echo 2)" librdkafka.a) >"$log" 2>&1; then
    tail -n 30 "$log" >&2
    fail "librdkafka build failed (full log: $log)"
  fi
  echo "${configure_flags[*]}" >"$src/.configured-with"
}

# Only what the mock cluster needs: no TLS, SASL, compression libraries or
# HTTP, so the build depends on nothing but libc.
configure_flags=(--disable-ssl --disable-zlib --disable-zstd --disable-lz4-ext
  --disable-sasl --disable-gssapi --disable-curl --disable-syslog)

rm -rf "$cache"/fetch.* # left by an interrupted run
if [[ -f "$lib" && "$(cat "$src/.configured-with" 2>/dev/null)" == "${configure_flags[*]}" ]]; then
  say "librdkafka $LIBRDKAFKA_VERSION already built"
else
  [[ -f "$src/configure" ]] || fetch_source
  build_librdkafka
fi

say "linking $bin"
libs="$(sed -n 's/^LIBS+=[[:space:]]*//p' "$src/Makefile.config" | tr '\n' ' ')"
# shellcheck disable=SC2086 # $libs is a list of linker flags
cc -std=c11 -O2 -Wall -Wextra -isystem "$src/src" "$program" "$lib" $libs -o "$bin.tmp"
mv "$bin.tmp" "$bin"
say "built in $((SECONDS - started)) s: $bin"
