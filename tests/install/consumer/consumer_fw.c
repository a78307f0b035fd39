/* SPDX-License-Identifier: MIT */
/*
 * A bare-metal user of the library (r52, r82): only linked. On r52 its
 * float argument makes a hard-float object (VFP register arguments) under
 * -mfloat-abi=hard, which a soft-float libprsched.a refuses at link time.
 * (R82 kernels build with -mgeneral-regs-only: no float there.)
 */
#include <stddef.h>
#include "prsched/error.h"
#include "prsched/percpu.h"
#include "prs_gen.h" /* prs_generate_sets(): sets.txt */

void consumer_entry(void);
#if defined(__arm__)
float consumer_scale(float x, float k);
volatile float consumer_out;

float consumer_scale(float x, float k)
{
	return x * k;
}
#endif
void *memcpy(void *d, const void *s, size_t n);
void *memmove(void *d, const void *s, size_t n);
void *memset(void *d, int c, size_t n);

static struct prs_cpu consumer_cpu;

void *memcpy(void *d, const void *s, size_t n)
{
	return memmove(d, s, n);
}

void *memmove(void *d, const void *s, size_t n)
{
	unsigned char *p = d;
	const unsigned char *q = s;

	if (p < q)
		for (size_t i = 0; i < n; i++)
			p[i] = q[i];
	else
		for (size_t i = n; i > 0; i--)
			p[i - 1] = q[i - 1];
	return d;
}

void *memset(void *d, int c, size_t n)
{
	unsigned char *p = d;

	for (size_t i = 0; i < n; i++)
		p[i] = (unsigned char)c;
	return d;
}

void consumer_entry(void)
{
#if defined(__arm__)
	consumer_out = consumer_scale((float)prs_errname(PRS_E_ALIGN)[0], 2.0f);
#else
	(void)prs_errname(PRS_E_ALIGN);
#endif
	prs_reload(&consumer_cpu);
	(void)prs_gen_sets[PRS_GEN_THREAD_worker][PRS_GEN_CPU_k0]->ndyn;
	for (;;)
		;
}
