#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Installs what prsched's build, tests and benchmarks need on Debian bookworm.
# Idempotent: when everything is present it only checks (well under 5 s).
set -euo pipefail

say() { printf 'bootstrap: %s\n' "$*" >&2; }
die() { say "error: $*"; exit 1; }

# Debian package -> a file or command that proves it is installed.
PKGS=(
  "cmake:/usr/bin/cmake"
  "make:/usr/bin/make"
  "pkg-config:/usr/bin/pkg-config"
  "gcc-arm-none-eabi:/usr/bin/arm-none-eabi-gcc"
  "binutils-arm-none-eabi:/usr/bin/arm-none-eabi-objdump"
  "libnewlib-arm-none-eabi:/usr/lib/arm-none-eabi/include/string.h"
  "gcc-aarch64-linux-gnu:/usr/bin/aarch64-linux-gnu-gcc"
  # r82-user: AArch64 Linux programs run under qemu-aarch64. qemu-user comes
  # from bookworm itself (7.2, security-supported, ~100 MB): user mode needs
  # no board model, and 7.2's AArch64 decoder has every Armv8.4 instruction
  # GCC emits for -march=armv8-r (LDAR/STLR, LDAPR, LSE). The backports 10.0
  # build is the static all-targets package (~370 MB) and buys nothing here.
  "libc6-dev-arm64-cross:/usr/aarch64-linux-gnu/include/stdio.h"
  "qemu-user:/usr/bin/qemu-aarch64"
  "libck-dev:/usr/include/ck_pr.h"
  "liburcu-dev:/usr/include/x86_64-linux-gnu/urcu/urcu-qsbr.h"
  "clang-14:/usr/bin/clang-14"
  "libclang-rt-14-dev:/usr/lib/llvm-14/lib/clang/14.0.6/lib/linux/libclang_rt.fuzzer-x86_64.a"
  "clang-tidy:/usr/bin/clang-tidy"
  "cppcheck:/usr/bin/cppcheck"
  "spin:/usr/bin/spin"
  "gnuplot-nox:/usr/bin/gnuplot"
  "valgrind:/usr/bin/valgrind"
  "gcc:/usr/bin/gcc"
  "python3:/usr/bin/python3"
  "git:/usr/bin/git"
)
QEMU_MIN_MAJOR=9

missing=()
for entry in "${PKGS[@]}"; do
  [ -e "${entry#*:}" ] || missing+=("${entry%%:*}")
done

qemu_ok() {
  command -v qemu-system-arm >/dev/null 2>&1 || return 1
  local v
  v=$(qemu-system-arm --version | sed -n 's/^QEMU emulator version \([0-9]*\)\..*/\1/p')
  [ -n "$v" ] && [ "$v" -ge "$QEMU_MIN_MAJOR" ] || return 1
  qemu-system-arm -M help | grep -q '^mps3-an536 '
}

if [ ${#missing[@]} -eq 0 ] && qemu_ok; then
  exit 0
fi

[ "$(id -u)" -eq 0 ] || die "missing packages (${missing[*]:-qemu-system-arm>=$QEMU_MIN_MAJOR}) and not root: run 'make' as root or install them"
command -v apt-get >/dev/null || die "apt-get not found: prsched's bootstrap supports Debian bookworm only"

export DEBIAN_FRONTEND=noninteractive
if ! grep -rqs '^[^#]*bookworm-backports' /etc/apt/sources.list /etc/apt/sources.list.d/; then
  say "adding the bookworm-backports suite (qemu-system-arm >= $QEMU_MIN_MAJOR lives there)"
  echo 'deb http://deb.debian.org/debian bookworm-backports main' \
    > /etc/apt/sources.list.d/prsched-bookworm-backports.list
fi
say "apt-get update"
apt-get update -qq || die "apt-get update failed"

install() { # install(pkgs...) with an optional -t suite first
  local log; log=$(mktemp)
  if ! apt-get install -y -qq --no-install-recommends "$@" >"$log" 2>&1; then
    cat "$log" >&2; rm -f "$log"
    die "could not install: $* (see apt's reason above)"
  fi
  rm -f "$log"
}

for p in "${missing[@]}"; do
  apt-cache show "$p" >/dev/null 2>&1 || die "package '$p' is not in the configured archives"
done
if [ ${#missing[@]} -gt 0 ]; then
  say "installing: ${missing[*]}"
  install "${missing[@]}"
fi
if ! qemu_ok; then
  say "installing qemu-system-arm from bookworm-backports"
  install -t bookworm-backports qemu-system-arm
  qemu_ok || die "qemu-system-arm $(qemu-system-arm --version | head -n1) lacks the mps3-an536 board or is older than $QEMU_MIN_MAJOR.0"
fi
for entry in "${PKGS[@]}"; do
  [ -e "${entry#*:}" ] || die "package '${entry%%:*}' installed but '${entry#*:}' is still missing"
done
say "done"
