#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# expect-fail.sh STATUS REGEX CMD...: passes only if CMD exits with exactly
# STATUS and its output matches the extended regex REGEX. Used to show that
# the QEMU runner fails a guest for the right reason, not just for any.
set -u
want=$1
re=$2
shift 2
out=$("$@" 2>&1)
rc=$?
printf '%s\n' "$out"
if [ "$rc" -ne "$want" ]; then
  echo "expect-fail: FAIL: exit status $rc, expected $want"
  exit 1
fi
if ! printf '%s\n' "$out" | grep -Eq -- "$re"; then
  echo "expect-fail: FAIL: output does not match /$re/"
  exit 1
fi
echo "expect-fail: ok: failed as expected (status $rc, /$re/)"
