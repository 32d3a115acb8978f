/* touch: what the first touch of a file's mapped pages costs here.
 *
 *   touch FILE
 *
 * It maps FILE (MAP_SHARED, read-only), reads one byte of every 4 KiB
 * page, then reads them all again, and prints both times and the page
 * faults of the first pass. The first pass pays for the faults and for
 * the first use of each new page-table entry; the second finds both done.
 * How many faults there are says how the page cache was mapped: one per
 * 2 MiB folio when it is made of them (a PMD entry each), about one per
 * 16 pages when it is made of small folios (fault-around maps 64 KiB).
 *
 * bench/run.sh's copy group copies two sources with the same bytes,
 * written in 8 KiB pieces (head -c) and in 2 MiB pieces (dd bs=2M), whose
 * page caches differ in just this way; the README's "The copy" gives what
 * this program measured on them.
 */
#include <fcntl.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

static double ms(void) {
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static long faults(void) {
	struct rusage r;
	getrusage(RUSAGE_SELF, &r);
	return r.ru_minflt + r.ru_majflt;
}

int main(int argc, char **argv) {
	if (argc != 2) {
		fprintf(stderr, "usage: touch FILE\n");
		return 2;
	}
	int fd = open(argv[1], O_RDONLY);
	if (fd < 0) {
		perror(argv[1]);
		return 1;
	}
	off_t n = lseek(fd, 0, SEEK_END);
	if (n <= 0) {
		fprintf(stderr, "touch: %s is empty\n", argv[1]);
		return 1;
	}
	volatile const char *p = mmap(NULL, n, PROT_READ, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED) {
		perror("touch: mmap");
		return 1;
	}
	long sum = 0, f0 = faults();
	double t0 = ms();
	for (off_t i = 0; i < n; i += 4096)
		sum += p[i];
	double t1 = ms();
	long f1 = faults();
	for (off_t i = 0; i < n; i += 4096)
		sum += p[i];
	double t2 = ms();
	printf("%s: %lld MiB, first pass %.1f ms (%ld faults), second pass %.1f ms%s\n", argv[1],
	       (long long)(n >> 20), t1 - t0, f1 - f0, t2 - t1, sum == 1 ? " " : "");
	return 0;
}
