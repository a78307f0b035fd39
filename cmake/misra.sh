#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# MISRA C:2012 check with cppcheck's misra addon (Debian's cppcheck ships it;
# rules are reported by number, the rule texts are not needed). Every finding
# in the checked folders must be covered by cmake/misra-deviations.txt
# (rule, files, why); a deviation that covers nothing is an error too.
#   PRS_MISRA_DIRS   folders checked (default: every library folder)
# The library is analysed as it ships, once per target (both runs in
# parallel): the target-side code (mpu_backend.h's register accessors,
# own_word.h, the read-back) sits under #if __arm__ / __aarch64__ and is only
# seen with that target's predefined macro. Cortex-R52 is analysed with
# PRS_CACHE_MAINT=1 (its non-coherent set-up), so the maintenance calls are
# checked too.
# Not in scope, like tests/: programs and code that never run on the target:
# lib/tools (prs-gen, a build-machine program) and the host MPU model
# (lib/arch/host, prsched/mpu_model.h), a test double compiled only into the
# host build in place of the system registers.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 2
dirs=${PRS_MISRA_DIRS:-lib/src lib/include lib/arch sync/src sync/include percpu/src percpu/include}
host_only='lib/arch/host/* lib/arch/include/prsched/mpu_model.h'
devs=cmake/misra-deviations.txt
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

# The checked folders' units for one target: its own arch folder only.
# shellcheck disable=SC2086
units() { # <arch folder of the other target>
  find $dirs -name "$1" -prune -o -path lib/arch/host -prune -o -name '*.c' -print | sort
}
# shellcheck disable=SC2086
mapfile -t hdrs < <(find $dirs -name '*.h' | sort)

# run <name> <other target's arch folder> <defines...>
run() {
  local name=$1 other=$2 srcs
  shift 2
  mkdir -p "$out/$name"
  mapfile -t srcs < <(units "$other")
  # A header-only folder is checked through a unit that includes every
  # header; otherwise the headers are checked where the sources include them.
  if [ ${#srcs[@]} -eq 0 ]; then
    [ ${#hdrs[@]} -gt 0 ] || return 3
    srcs=("$out/$name/headers.c")
    for h in "${hdrs[@]}"; do echo "#include \"$PWD/$h\""; done > "${srcs[0]}"
  fi
  cppcheck --quiet --std=c11 --addon=misra --cppcheck-build-dir="$out/$name" \
    -Ilib/include -Ilib/arch/include -Isync/include -Ipercpu/include "$@" \
    --template='{file}:{line}: misra {id}' "${srcs[@]}" 2> "$out/$name.raw" >/dev/null
  if grep -vq ': misra misra-c2012-' "$out/$name.raw" && grep -qiE 'error|bailing|failed' "$out/$name.raw"; then
    echo "misra: cppcheck ($name) failed:"; cat "$out/$name.raw"; return 2
  fi
}
# The limits each target's CMake configuration uses (CMakeLists.txt).
run r52 aarch64 -D__arm__ -DPRS_MAX_REGIONS=24 -DPRS_MAX_CPUS=2 -DPRS_CACHE_MAINT=1 & r52=$!
run r82 aarch32 -D__aarch64__ -DPRS_MAX_REGIONS=32 -DPRS_MAX_CPUS=4 & r82=$!
rc=0
wait $r52 || rc=$?
wait $r82 || rc=$?
[ $rc -ne 3 ] || { echo "misra: nothing to check in $dirs"; exit 2; }
[ $rc -eq 0 ] || exit 2

# Findings inside the checked folders only (included headers of other folders
# are checked with their own folder), once per line for both targets.
sed -n "s|^$PWD/||; s|^\(.*\):\([0-9]*\): misra misra-c2012-\([0-9.]*\)$|\3 \1 \2|p" "$out"/*.raw |
  sort -u > "$out/findings"
awk -v dirs="$dirs" -v skip="$host_only" 'BEGIN { n = split(dirs, d, " "); m = split(skip, s, " ") }
  { for (i = 1; i <= m; i++) { p = s[i]; sub(/\*$/, "", p); if (index($2, p) == 1) next }
    for (i = 1; i <= n; i++) if (index($2, d[i] "/") == 1) { print; next } }' \
  "$out/findings" > "$out/mine"

python3 - "$devs" "$out/mine" <<'PY'
import fnmatch, sys
devs, used = [], set()
for n, line in enumerate(open(sys.argv[1]), 1):
    line = line.strip()
    if not line or line.startswith('#'):
        continue
    parts = line.split(None, 2)
    if len(parts) < 3 or len(parts[2]) < 10:
        print(f"misra: {sys.argv[1]}:{n}: a deviation needs <rule> <files> <why>")
        sys.exit(1)
    devs.append((n, parts[0], parts[1]))
bad = stale = total = 0
for f in open(sys.argv[2]):
    rule, path, line = f.split()
    total += 1
    hit = [d for d in devs if d[1] == rule and fnmatch.fnmatch(path, d[2])]
    if hit:
        used.update(d[0] for d in hit)
    else:
        print(f"{path}:{line}: MISRA C:2012 rule {rule} (no deviation)")
        bad += 1
for n, rule, pat in devs:
    if n not in used:
        print(f"misra: {sys.argv[1]}:{n}: deviation {rule} {pat} covers no finding: remove it")
        stale += 1
print(f"misra: {total} findings, {total - bad} under deviations, {bad} not; {stale} stale deviations")
sys.exit(1 if bad or stale else 0)
PY
