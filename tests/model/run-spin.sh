#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# One model-checking run of publish.pml, as a ctest.
#
#   run-spin.sh SPIN CC MODEL WORKDIR EXPECT [spin -D options...]
#
# EXPECT "ok": exhaustive search, no error, search completed.
# EXPECT "violation": spin must find an error (assertion or invalid end
#   state); the run then replays the trail and prints the end of it.
# EXPECT "long-ok": like ok, but skipped (exit 77) unless PRS_MODEL_LONG=1.
# Everything is generated in WORKDIR (the build tree), never the sources.
set -uo pipefail
spin=$1 cc=$2 model=$3 work=$4 expect=$5
shift 5

if [ "$expect" = long-ok ]; then
	if [ "${PRS_MODEL_LONG:-0}" != 1 ]; then
		echo "skipped: set PRS_MODEL_LONG=1 to run this larger configuration"
		exit 77
	fi
	expect=ok
fi

rm -rf "$work" && mkdir -p "$work" || exit 1
cp "$model" "$work/" || exit 1
cd "$work" || exit 1
name=$(basename "$model")

echo "spin -a $* $name"
if ! "$spin" -a "$@" "$name" > spin.log 2>&1; then
	cat spin.log
	echo "FAIL: spin could not generate the verifier"
	exit 1
fi
# -DSAFETY: safety properties only; -DCOLLAPSE: lossless state compression
# (the search stays exhaustive).
if ! "$cc" -O2 -w -DSAFETY -DCOLLAPSE -o pan pan.c > cc.log 2>&1; then
	cat cc.log
	echo "FAIL: pan.c does not compile"
	exit 1
fi

t0=$(date +%s.%N)
./pan -m200000 > pan.out 2>&1
t1=$(date +%s.%N)
grep -v '^Depth=' pan.out | sed -n '1,40p'
awk -v a="$t0" -v b="$t1" 'BEGIN { printf "wall time: %.1f s\n", b - a }'

errors=$(sed -n 's/.*errors: \([0-9][0-9]*\).*/\1/p' pan.out | head -n1)
if [ -z "$errors" ]; then
	echo "FAIL: no result line in pan output"
	exit 1
fi

case "$expect" in
ok)
	if [ "$errors" != 0 ]; then
		"$spin" -t "$@" "$name" > trail.txt 2>&1
		"$spin" -t -p "$@" "$name" > trail-steps.txt 2>&1
		tail -n 40 trail.txt
		echo "FAIL: spin found a protocol error (trail above, full: $work/trail.txt)"
		exit 1
	fi
	if grep -qE 'max search depth too small|Search not completed' pan.out; then
		echo "FAIL: the search was not exhaustive"
		exit 1
	fi
	echo "PASS: exhaustive, no error"
	;;
violation)
	if [ "$errors" = 0 ]; then
		echo "FAIL: spin accepted a broken variant of the protocol"
		exit 1
	fi
	if ! grep -qE 'assertion violated|invalid end state' pan.out; then
		echo "FAIL: spin stopped with an unexpected kind of error"
		exit 1
	fi
	"$spin" -t "$@" "$name" > trail.txt 2>&1
	"$spin" -t -p "$@" "$name" > trail-steps.txt 2>&1
	echo "--- counterexample (protocol events; every step: $work/trail-steps.txt)"
	# the printed events and the failed check; not the final variable dump
	grep -vE '^(spin: trail ends|[0-9]+ processes created|#processes|\s*$)' trail.txt |
		grep -vE '^\s+[A-Za-z_]+(\[[0-9]+\])? = |^\s*[0-9]+:\s+proc ' |
		sed -E 's/^ +//' | tail -n 40
	echo "PASS: the broken variant is rejected"
	;;
*)
	echo "FAIL: unknown expectation '$expect'"
	exit 1
	;;
esac
