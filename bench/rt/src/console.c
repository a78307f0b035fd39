/* SPDX-License-Identifier: MIT */
/* Freestanding printf onto the semihosting console (see rt/console.h). */
#include <stdatomic.h>
#include <stdint.h>

#include "rt/rt.h"

#define RT_SYS_WRITE0 0x04u
#define RT_CON_CHUNK 128u

/* Where formatted characters go: a caller's buffer or console chunks. */
struct rt_sink {
	char *dst;      /* snprintf buffer, or NULL for the console */
	size_t cap;     /* usable bytes in dst (excluding the NUL) */
	size_t len;     /* characters produced so far (snprintf semantics) */
	char chunk[RT_CON_CHUNK];
	size_t fill;
};

/* Core holding the console, -1 if none (acquire/release: the output). */
static _Atomic int rt_con_owner = -1;

static void rt_sink_flush(struct rt_sink *s)
{
	if (s->dst || !s->fill)
		return;
	s->chunk[s->fill] = '\0';
	(void)rt_semihost(RT_SYS_WRITE0, s->chunk);
	s->fill = 0;
}

static void rt_put(struct rt_sink *s, char c)
{
	if (s->dst) {
		if (s->len < s->cap)
			s->dst[s->len] = c;
	} else {
		if (s->fill == RT_CON_CHUNK - 1u)
			rt_sink_flush(s);
		s->chunk[s->fill++] = c;
	}
	s->len++;
}

static void rt_pad(struct rt_sink *s, char c, int n)
{
	for (; n > 0; n--)
		rt_put(s, c);
}

struct rt_spec {
	int left;  /* '-' */
	int zero;  /* '0' */
	int width;
	int prec;  /* -1 = none */
	int lng;   /* 0 int, 1 long, 2 long long, 3 size_t-ish (32-bit) */
};

static void rt_emit(struct rt_sink *s, const struct rt_spec *sp, const char *str,
		    int n, const char *prefix)
{
	int plen = 0;
	int pad;

	while (prefix[plen])
		plen++;
	pad = sp->width - n - plen;
	if (!sp->left && !sp->zero)
		rt_pad(s, ' ', pad);
	for (int i = 0; i < plen; i++)
		rt_put(s, prefix[i]);
	if (!sp->left && sp->zero)
		rt_pad(s, '0', pad);
	for (int i = 0; i < n; i++)
		rt_put(s, str[i]);
	if (sp->left)
		rt_pad(s, ' ', pad);
}

static void rt_number(struct rt_sink *s, const struct rt_spec *sp,
		      unsigned long long v, unsigned base, int upper,
		      const char *prefix)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char buf[24];
	int n = 0;

	do {
		buf[sizeof(buf) - 1u - (unsigned)n++] = digits[v % base];
		v /= base;
	} while (v);
	rt_emit(s, sp, &buf[sizeof(buf) - (unsigned)n], n, prefix);
}

static unsigned long long rt_arg_unsigned(va_list *ap, int lng)
{
	if (lng == 2)
		return va_arg(*ap, unsigned long long);
	if (lng == 1)
		return va_arg(*ap, unsigned long);
	return va_arg(*ap, unsigned int);
}

static long long rt_arg_signed(va_list *ap, int lng)
{
	if (lng == 2)
		return va_arg(*ap, long long);
	if (lng == 1)
		return va_arg(*ap, long);
	return va_arg(*ap, int);
}

static const char *rt_parse_spec(const char *f, struct rt_spec *sp, va_list *ap)
{
	*sp = (struct rt_spec){ .prec = -1 };
	for (;; f++) {
		if (*f == '-')
			sp->left = 1;
		else if (*f == '0')
			sp->zero = 1;
		else
			break;
	}
	if (*f == '*') {
		sp->width = va_arg(*ap, int);
		if (sp->width < 0) {
			sp->left = 1;
			sp->width = -sp->width;
		}
		f++;
	}
	for (; *f >= '0' && *f <= '9'; f++)
		sp->width = sp->width * 10 + (*f - '0');
	if (*f == '.') {
		sp->prec = 0;
		for (f++; *f >= '0' && *f <= '9'; f++)
			sp->prec = sp->prec * 10 + (*f - '0');
	}
	for (;; f++) {
		if (*f == 'l')
			sp->lng++;
		else if (*f != 'h' && *f != 'z' && *f != 'j' && *f != 't')
			break;
	}
	if (sp->lng > 2)
		sp->lng = 2;
	return f;
}

static void rt_convert(struct rt_sink *s, char c, struct rt_spec *sp, va_list *ap)
{
	switch (c) {
	case 'd':
	case 'i': {
		long long v = rt_arg_signed(ap, sp->lng);
		unsigned long long mag = v < 0 ? 0ULL - (unsigned long long)v
					       : (unsigned long long)v;

		rt_number(s, sp, mag, 10, 0, v < 0 ? "-" : "");
		break;
	}
	case 'u':
		rt_number(s, sp, rt_arg_unsigned(ap, sp->lng), 10, 0, "");
		break;
	case 'x':
	case 'X':
		rt_number(s, sp, rt_arg_unsigned(ap, sp->lng), 16, c == 'X', "");
		break;
	case 'o':
		rt_number(s, sp, rt_arg_unsigned(ap, sp->lng), 8, 0, "");
		break;
	case 'p':
		sp->zero = 1;
		sp->width = 10;
		rt_number(s, sp, (uintptr_t)va_arg(*ap, void *), 16, 0, "0x");
		break;
	case 'c': {
		char ch = (char)va_arg(*ap, int);

		rt_emit(s, sp, &ch, 1, "");
		break;
	}
	case 's': {
		const char *str = va_arg(*ap, const char *);
		int n = 0;

		if (!str)
			str = "(null)";
		while (str[n] && (sp->prec < 0 || n < sp->prec))
			n++;
		sp->zero = 0;
		rt_emit(s, sp, str, n, "");
		break;
	}
	case '%':
		rt_put(s, '%');
		break;
	default: /* unknown: print it verbatim so the mistake shows */
		rt_put(s, '%');
		if (c)
			rt_put(s, c);
		break;
	}
}

static void rt_format(struct rt_sink *s, const char *fmt, va_list ap)
{
	struct rt_spec sp;
	va_list aq;

	va_copy(aq, ap);
	while (*fmt) {
		if (*fmt != '%') {
			rt_put(s, *fmt++);
			continue;
		}
		fmt = rt_parse_spec(fmt + 1, &sp, &aq);
		rt_convert(s, *fmt, &sp, &aq);
		if (*fmt)
			fmt++;
	}
	va_end(aq);
}

int rt_vsnprintf(char *buf, size_t n, const char *fmt, va_list ap)
{
	struct rt_sink s = { .dst = buf, .cap = n ? n - 1u : 0 };

	rt_format(&s, fmt, ap);
	if (n)
		buf[s.len < s.cap ? s.len : s.cap] = '\0';
	return (int)s.len;
}

int rt_snprintf(char *buf, size_t n, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = rt_vsnprintf(buf, n, fmt, ap);
	va_end(ap);
	return r;
}

/* Returns 1 if this call took the lock (0: already held by this core). */
static int rt_con_lock(void)
{
	int me = (int)rt_cpu_id();
	int expected = -1;

	/* Relaxed: only this core ever stores its own id. */
	if (atomic_load_explicit(&rt_con_owner, memory_order_relaxed) == me)
		return 0;
	/* acquire: the previous holder's output is complete. */
	while (!atomic_compare_exchange_weak_explicit(&rt_con_owner, &expected, me,
						      memory_order_acquire,
						      memory_order_relaxed)) {
		expected = -1;
		rt_wfe();
	}
	return 1;
}

static void rt_con_unlock(int taken)
{
	if (!taken)
		return;
	/* release: our output before the next holder's. */
	atomic_store_explicit(&rt_con_owner, -1, memory_order_release);
	rt_sev();
}

int rt_vprintf(const char *fmt, va_list ap)
{
	struct rt_sink s = { .dst = NULL };
	int taken = rt_con_lock();

	rt_format(&s, fmt, ap);
	rt_sink_flush(&s);
	rt_con_unlock(taken);
	return (int)s.len;
}

int rt_printf(const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = rt_vprintf(fmt, ap);
	va_end(ap);
	return r;
}

void rt_puts(const char *str)
{
	rt_printf("%s\n", str);
}
