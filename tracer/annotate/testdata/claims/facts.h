/* facts.h: what a claims fixture measured, as "key=value" lines, written
 * at the end to the file named by argv[1] (so that the traced program's
 * stdout stays the test's). Every fixture includes it. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

static char facts_buf[8192];
static size_t facts_len;

/* fact appends one "key=value" line. */
static void fact(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(facts_buf + facts_len, sizeof facts_buf - facts_len, fmt, ap);
	va_end(ap);
	if (n > 0 && facts_len + n + 1 < sizeof facts_buf) {
		facts_len += n;
		facts_buf[facts_len++] = '\n';
	}
}

/* facts_write writes the facts to path, or exits 99. */
static void facts_write(const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0 || write(fd, facts_buf, facts_len) != (ssize_t)facts_len)
		exit(99);
	close(fd);
}

/* errname is errno's name for the errors the fixtures expect. */
__attribute__((unused)) static const char *errname(int e)
{
	switch (e) {
	case 0: return "0";
	case EINVAL: return "EINVAL";
	case ENOMEM: return "ENOMEM";
	case EACCES: return "EACCES";
	case ENODEV: return "ENODEV";
	case EINTR: return "EINTR";
	case EBADF: return "EBADF";
	}
	return "other";
}

/* die reports a setup failure: a fixture that cannot set up exits 98. */
static void die(const char *what)
{
	perror(what);
	exit(98);
}

/* pfn is the page frame number of the page at p in this process, from
 * /proc/self/pagemap (0 without CAP_SYS_ADMIN, or if not present). It
 * opens the file each time: an fd opened before a fork would still read
 * the parent's. */
__attribute__((unused)) static uint64_t pfn(void *p)
{
	int fd = open("/proc/self/pagemap", O_RDONLY);
	if (fd < 0)
		return 0;
	uint64_t e = 0;
	long page = sysconf(_SC_PAGESIZE);
	ssize_t n = pread(fd, &e, 8, (uintptr_t)p / page * 8);
	close(fd);
	if (n != 8 || !(e >> 63 & 1))
		return 0;
	return e & ((1ULL << 55) - 1);
}

/* resident counts the pages of [p, p+n) in memory, with mincore. */
__attribute__((unused)) static int resident(void *p, size_t n)
{
	long page = sysconf(_SC_PAGESIZE);
	unsigned char v[4096];
	size_t pages = (n + page - 1) / page;
	if (pages > sizeof v || mincore(p, n, v) != 0)
		return -1;
	int c = 0;
	for (size_t i = 0; i < pages; i++)
		c += v[i] & 1;
	return c;
}
