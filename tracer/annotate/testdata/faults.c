// faults.c: one page-fault case per run, for faults_claims_test.go.
//
//   faults DIR CASE FACTS
//
// Each case sets up a mapping with the calls mmtrace traces (openat,
// ftruncate, mmap), then between its mmap and its munmap does only the
// case's loads and stores, measured from inside with calls mmtrace does
// not trace by default, through fds opened before: getrusage for the fault
// counts, /proc/self/io for read_bytes, /proc/self/pagemap for the pages
// the mapping has in the page tables. After the munmap it writes what it
// measured to FACTS, one "name value" a line. mmtrace's note for those
// faults is the one under the munmap.
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

static int iofd, pmfd;
static long pagesz;
static char iobuf[4096];
static uint64_t pmbuf[512];

static long long read_bytes(void) {
	ssize_t n = pread(iofd, iobuf, sizeof iobuf - 1, 0);
	if (n <= 0)
		return -1;
	iobuf[n] = 0;
	char *p = strstr(iobuf, "\nread_bytes: ");
	return p ? atoll(p + 13) : -1;
}

// mapped counts the pages of [p, p+len) present in the page tables, and
// of those, the anonymous ones (pagemap bit 61 clear: not a file page).
static void mapped(char *p, size_t len, long *present, long *anon) {
	*present = *anon = 0;
	size_t n = len / pagesz;
	off_t off = (uintptr_t)p / pagesz * 8;
	if (n > 512 || pread(pmfd, pmbuf, n * 8, off) != (ssize_t)(n * 8)) {
		*present = *anon = -1;
		return;
	}
	for (size_t i = 0; i < n; i++) {
		if (pmbuf[i] >> 63 & 1) {
			(*present)++;
			if (!(pmbuf[i] >> 61 & 1))
				(*anon)++;
		}
	}
}

static int openfile(const char *dir, const char *name, int flags) {
	char path[4096];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	int fd = open(path, flags, 0644);
	if (fd < 0) {
		perror(path);
		exit(2);
	}
	return fd;
}

int main(int argc, char **argv) {
	if (argc != 4) {
		fprintf(stderr, "usage: faults DIR CASE FACTS\n");
		return 2;
	}
	const char *dir = argv[1], *c = argv[2];
	pagesz = sysconf(_SC_PAGESIZE);
	iofd = open("/proc/self/io", O_RDONLY);
	pmfd = open("/proc/self/pagemap", O_RDONLY);
	if (iofd < 0 || pmfd < 0) {
		perror("/proc/self");
		return 2;
	}
	// Touch the buffers and the code of the measurements before the window.
	long present, anon, evicted = -1, unchanged = -1, moved = -1;
	struct rusage r0, r1;
	mapped((char *)pmbuf, 0, &present, &anon);
	long long io0 = read_bytes(), io1;
	getrusage(RUSAGE_SELF, &r0);

	size_t len;
	char *p;
	int fd = -1;
	volatile char sink;
	(void)sink;
	if (!strcmp(c, "anon100")) {
		// 100 stores into fresh anonymous pages.
		len = 100 * pagesz;
		p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p == MAP_FAILED)
			return 2;
		io0 = read_bytes();
		getrusage(RUSAGE_SELF, &r0);
		for (size_t i = 0; i < len; i += pagesz)
			p[i] = 1;
	} else if (!strcmp(c, "newfile")) {
		// A store into the page of a just-created 4-byte file.
		fd = openfile(dir, "new.txt", O_RDWR | O_CREAT | O_TRUNC);
		if (ftruncate(fd, 4))
			return 2;
		len = pagesz;
		p = mmap(NULL, 4, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
		if (p == MAP_FAILED)
			return 2;
		io0 = read_bytes();
		getrusage(RUSAGE_SELF, &r0);
		p[0] = 'a';
	} else if (!strcmp(c, "evicted")) {
		// A load from a page dropped from the page cache.
		fd = openfile(dir, "old.txt", O_RDWR | O_CREAT | O_TRUNC);
		memset(iobuf, 'x', pagesz);
		if (write(fd, iobuf, pagesz) != pagesz || fsync(fd))
			return 2;
		posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
		len = pagesz;
		p = mmap(NULL, len, PROT_READ, MAP_SHARED, fd, 0);
		if (p == MAP_FAILED)
			return 2;
		unsigned char v;
		mincore(p, len, &v);
		evicted = !(v & 1);
		io0 = read_bytes();
		getrusage(RUSAGE_SELF, &r0);
		sink = p[0];
	} else if (!strcmp(c, "private")) {
		// A store into a MAP_PRIVATE mapping of a file in the page cache.
		fd = openfile(dir, "priv.txt", O_RDWR | O_CREAT | O_TRUNC);
		memset(iobuf, 'x', pagesz);
		if (write(fd, iobuf, pagesz) != pagesz)
			return 2;
		len = pagesz;
		p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
		if (p == MAP_FAILED)
			return 2;
		io0 = read_bytes();
		getrusage(RUSAGE_SELF, &r0);
		p[0] = 'y';
	} else if (!strcmp(c, "cached16")) {
		// Loads from each page of a 16-page file in the page cache.
		fd = openfile(dir, "cached.txt", O_RDWR | O_CREAT | O_TRUNC);
		memset(iobuf, 'x', pagesz);
		for (int i = 0; i < 16; i++)
			if (write(fd, iobuf, pagesz) != pagesz)
				return 2;
		len = 16 * pagesz;
		p = mmap(NULL, len, PROT_READ, MAP_SHARED, fd, 0);
		if (p == MAP_FAILED)
			return 2;
		io0 = read_bytes();
		getrusage(RUSAGE_SELF, &r0);
		for (size_t i = 0; i < len; i += pagesz)
			sink = p[i];
	} else if (!strcmp(c, "forkcow")) {
		// After a fork, a store into a private anonymous page the
		// parent had touched: the child gets a copy of its own.
		len = pagesz;
		p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p == MAP_FAILED)
			return 2;
		p[0] = 1;
		pid_t child = fork();
		if (child < 0)
			return 2;
		if (child > 0) {
			int st;
			if (waitpid(child, &st, 0) != child || !WIFEXITED(st))
				return 2;
			return WEXITSTATUS(st);
		}
		// /proc/self opened before the fork is the parent's.
		close(iofd);
		close(pmfd);
		iofd = open("/proc/self/io", O_RDONLY);
		pmfd = open("/proc/self/pagemap", O_RDONLY);
		if (iofd < 0 || pmfd < 0)
			return 2;
		uint64_t before = pread(pmfd, pmbuf, 8, (uintptr_t)p / pagesz * 8) == 8 ? pmbuf[0] : 0;
		io0 = read_bytes();
		// r0 and r1 are on the stack, shared copy-on-write since the
		// fork: getrusage's own store into r0 would take a fault after
		// it counted them, inside the window, where the stack's layout
		// puts r0 on a page the child has not stored to yet (seen on
		// arm64). Store into both first.
		memset(&r0, 0, sizeof r0);
		memset(&r1, 0, sizeof r1);
		getrusage(RUSAGE_SELF, &r0);
		p[0] = 2;
		getrusage(RUSAGE_SELF, &r1);
		uint64_t after = pread(pmfd, pmbuf, 8, (uintptr_t)p / pagesz * 8) == 8 ? pmbuf[0] : 0;
		// The frame number shows only with CAP_SYS_ADMIN; 0 otherwise.
		uint64_t pfn = (1ULL << 55) - 1;
		if ((before & pfn) && (after & pfn))
			moved = (before & pfn) != (after & pfn);
	} else {
		fprintf(stderr, "faults: no case %s\n", c);
		return 2;
	}
	if (strcmp(c, "forkcow"))
		getrusage(RUSAGE_SELF, &r1);
	io1 = read_bytes();
	mapped(p, len, &present, &anon);
	if (!strcmp(c, "private")) {
		char b = 0;
		unchanged = pread(fd, &b, 1, 0) == 1 && b == 'x';
	}
	munmap(p, len);

	FILE *f = fopen(argv[3], "w");
	if (!f)
		return 2;
	fprintf(f, "minflt %ld\nmajflt %ld\nread_bytes %lld\npresent %ld\nanon %ld\nevicted %ld\nunchanged %ld\nmoved %ld\n",
		r1.ru_minflt - r0.ru_minflt, r1.ru_majflt - r0.ru_majflt, io1 - io0, present, anon, evicted, unchanged, moved);
	return fclose(f) ? 2 : 0;
}
