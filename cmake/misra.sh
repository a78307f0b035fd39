#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# MISRA C:2012 check with cppcheck's misra addon (Debian's cppcheck ships it;
# rules are reported by number, the rule texts are not needed). Every finding
# in the checked folders must be covered by cmake/misra-deviations.txt
# (rule, files, why); a deviation that covers nothing is an error too.
#   PRS_MISRA_DIRS   folders checked (default: lib/src lib/include)
# lib/tools (prs-gen) is a build-machine program that never runs on the
# target: not in scope. sync/ and percpu/ join once their rewrite lands.
set -uo pipefail
cd "$(dirname "$0")/.."
dirs=${PRS_MISRA_DIRS:-lib/src lib/include}
devs=cmake/misra-deviations.txt
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

# shellcheck disable=SC2086
mapfile -t srcs < <(find $dirs -name '*.c' | sort)
mapfile -t hdrs < <(find $dirs -name '*.h' | sort)
[ ${#srcs[@]} -gt 0 ] || [ ${#hdrs[@]} -gt 0 ] || { echo "misra: nothing to check in $dirs"; exit 2; }
# A header-only folder is checked through a unit that includes every header;
# otherwise the headers are checked where the sources include them.
units=()
if [ ${#srcs[@]} -eq 0 ]; then
  units=("$out/headers.c")
  for h in "${hdrs[@]}"; do echo "#include \"$PWD/$h\""; done > "${units[0]}"
fi

cppcheck --quiet --std=c11 --addon=misra --cppcheck-build-dir="$out" \
  -Ilib/include -Isync/include -Ipercpu/include -DPRS_MAX_REGIONS=32 -DPRS_MAX_CPUS=8 \
  --template='{file}:{line}: misra {id}' "${srcs[@]}" "${units[@]}" 2> "$out/raw" >/dev/null
if grep -vq ': misra misra-c2012-' "$out/raw" && grep -qiE 'error|bailing|failed' "$out/raw"; then
  echo "misra: cppcheck failed:"; cat "$out/raw"; exit 2
fi

# Findings inside the checked folders only (included headers of other folders
# are checked with their own folder).
sed -n "s|^$PWD/||; s|^\(.*\):\([0-9]*\): misra misra-c2012-\([0-9.]*\)$|\3 \1 \2|p" "$out/raw" |
  sort -u > "$out/findings"
awk -v dirs="$dirs" 'BEGIN { n = split(dirs, d, " ") }
  { for (i = 1; i <= n; i++) if (index($2, d[i] "/") == 1) { print; next } }' \
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
bad = 0
total = 0
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
        bad += 1
print(f"misra: {total} findings, {total - bad if bad <= total else 0} under deviations, {bad} not")
sys.exit(1 if bad else 0)
PY
