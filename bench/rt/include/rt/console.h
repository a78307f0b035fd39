/* SPDX-License-Identifier: MIT */
/*
 * Console: semihosting SYS_WRITE0 on QEMU's semihosting chardev (one stream
 * for both cores, in order with the exit code). A spinlock keeps each
 * rt_printf() call whole when two cores print; an abort taken while the same
 * core holds it prints anyway instead of deadlocking.
 *
 * Conversions: %d %i %u %x %X %o %c %s %p %%, length h hh l ll z j t, flags
 * '-' and '0', width (digits or *), precision for %s.
 */
#ifndef RT_CONSOLE_H
#define RT_CONSOLE_H

#include <stdarg.h>
#include <stddef.h>

int rt_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int rt_vprintf(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));
/* Like snprintf: always NUL-terminates when n > 0, returns the full length. */
int rt_snprintf(char *buf, size_t n, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int rt_vsnprintf(char *buf, size_t n, const char *fmt, va_list ap)
	__attribute__((format(printf, 3, 0)));
/* Writes s and a newline. */
void rt_puts(const char *s);

#endif
