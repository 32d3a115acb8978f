/* pagefacts: what `mmtrace explain page` says about touching pages.
 *
 * Fault-around: reading one byte of each of 16 pages of a file already in
 * the page cache takes fewer faults than pages: a read fault also maps
 * the cached neighbours. It is for read faults only: storing into each of
 * 16 pages of a MAP_PRIVATE mapping takes a fault per page, each copying
 * its page. getrusage's ru_minflt counts the faults. The file is written
 * a page at a time, so that its page cache is made of single pages and a
 * fault maps one page unless fault-around adds more.
 *
 * The last page: a 100-byte file mapped twice. A store at byte 200, past
 * the end but within the last page, is seen through the other mapping;
 * it never reaches the file: read() stops at byte 100, and after
 * ftruncate grows the file to 300 bytes, byte 200 reads as zero. */
#include "facts.h"
#include <sys/resource.h>

#define PAGES 16

static long minflt(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_minflt;
}

int main(int argc, char **argv)
{
	char path[4096];
	long page = sysconf(_SC_PAGESIZE);
	size_t len = PAGES * page;
	static char buf[65536];

	snprintf(path, sizeof path, "%s/cached.bin", argv[1]);
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		die("cached.bin");
	memset(buf, 'c', page);
	for (int i = 0; i < PAGES; i++)
		if (write(fd, buf, page) != page)
			die("write");
	/* Placed at a multiple of 16 pages, as fault-around's window is. */
	char *r = mmap(NULL, 2 * len, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (r == MAP_FAILED)
		die("reserve");
	char *ra = (char *)(((uintptr_t)r + len - 1) / len * len);
	if (mmap(ra, len, PROT_READ, MAP_SHARED | MAP_FIXED, fd, 0) != ra)
		die("mmap");
	volatile char sink = 0;
	long f0 = minflt();
	for (int i = 0; i < PAGES; i++)
		sink += ra[i * page];
	long reads = minflt() - f0;
	char *w = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	if (w == MAP_FAILED)
		die("mmap private");
	f0 = minflt();
	for (int i = 0; i < PAGES; i++)
		w[i * page] = 'w';
	long stores = minflt() - f0;
	fact("read_faults_16_cached_pages=%ld", reads);
	fact("private_store_faults_16_pages=%ld", stores);
	munmap(r, 2 * len);
	munmap(w, len);
	close(fd);

	snprintf(path, sizeof path, "%s/short.txt", argv[1]);
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
	memset(buf, 's', 100);
	if (fd < 0 || write(fd, buf, 100) != 100)
		die("short.txt");
	volatile char *m1 = mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	volatile char *m2 = mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (m1 == MAP_FAILED || m2 == MAP_FAILED)
		die("mmap short");
	fact("past_eof_reads_zero=%d", m1[200] == 0);
	m1[200] = 'X';
	fact("past_eof_store_seen_by_other_mapping=%d", m2[200] == 'X');
	fact("read_returns=%zd", pread(fd, buf, page, 0));
	munmap((void *)m1, page);
	munmap((void *)m2, page);
	if (ftruncate(fd, 300) != 0)
		die("ftruncate");
	buf[0] = 1;
	fact("after_growing_byte_200=%d", pread(fd, buf, 1, 200) == 1 ? buf[0] : -1);
	close(fd);
	snprintf(path, sizeof path, "%s/facts", argv[1]);
	facts_write(path);
	return 0;
}
