#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# cppcheck and clang-tidy over the library (lib/ percpu/ sync/); any finding fails.
set -uo pipefail
cd "$(dirname "$0")/.."
build=${1:-build/host}
[ -f "$build/compile_commands.json" ] || { echo "lint: no $build/compile_commands.json (configure the host preset first)"; exit 2; }
mapfile -t srcs < <(git ls-files 'lib/*.c' 'sync/*.c' 'percpu/*.c' 2>/dev/null || find lib sync percpu -name '*.c')
[ ${#srcs[@]} -gt 0 ] || { echo "lint: no sources"; exit 2; }
rc=0

echo "cppcheck: ${#srcs[@]} files"
cppcheck --quiet --error-exitcode=1 --std=c11 --enable=warning,style,performance,portability \
  --inline-suppr --suppress=missingIncludeSystem --suppress=unusedFunction \
  -Ilib/include -Isync/include -Ipercpu/include -DPRS_MAX_REGIONS=32 -DPRS_MAX_CPUS=8 \
  "${srcs[@]}" || rc=1

echo "clang-tidy: ${#srcs[@]} files"
out=$(clang-tidy --quiet --config-file=cmake/clang-tidy.yaml -p "$build" "${srcs[@]}" 2>&1)
if printf '%s\n' "$out" | grep -qE '(warning|error):'; then
  printf '%s\n' "$out" | grep -vE '^[0-9]+ warnings? generated'
  rc=1
fi
[ $rc -eq 0 ] && echo "lint: clean"
exit $rc
