/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target: fuzzer bytes drive the same case generator as the random
 * property test (statics, base, partitions, stack + guard, raw overlapping
 * tables), and the granule-painting oracle judges every build. Any
 * disagreement aborts with the oracle's reason.
 *
 * Built with clang-14 in the host preset only (tests/lib/CMakeLists.txt).
 * Longer run on demand, from <host-build>/tests/lib:
 *   ./fuzz_build -max_total_time=3600 -jobs=2 -workers=2 fuzz-corpus <src>/tests/lib/corpus
 */
#include <stdio.h>
#include <stdlib.h>
#include "prs_oracle.h"
#include "prsched/error.h"

struct prs_bytes {
	const uint8_t *p;
	size_t n;
};

/* Up to eight bytes per choice; an exhausted input reads as zeros. */
static uint64_t prs_bytes_next(void *ctx)
{
	struct prs_bytes *b = ctx;
	uint64_t v = 0;

	for (unsigned i = 0; i < 8u && b->n; i++, b->n--)
		v |= (uint64_t)*b->p++ << (8u * i);
	return v;
}

static struct prs_oracle_case prs_case;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct prs_bytes b = { data, size };
	struct prs_oracle_src src = { prs_bytes_next, &b };
	const char *why;
	int rc = -1;

	prs_oracle_generate(&prs_case, &src);
	why = prs_oracle_check(&prs_case, &rc);
	if (why) {
		(void)fprintf(stderr, "oracle: %s (builder returned %s)\n", why, prs_errname(rc));
		abort();
	}
	return 0;
}
