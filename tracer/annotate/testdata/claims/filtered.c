/* filtered: a plain file mapping, for traces whose -e hides the calls the
 * explanations depend on. openat, ftruncate to 20 pages, mmap MAP_SHARED,
 * store, munmap while the fd is still open, close. mincore says the
 * range was mapped before the munmap and is not after; read() finds the
 * stored bytes in the file. */
#include "facts.h"

/* PAGES is the mapping's size, larger than any munmap the loader makes
 * here: on arm64 it reserves anonymous memory around libc, whose
 * segments are 64 KiB-aligned, and unmaps the slack on either side, at
 * most 15 pages, of a size that changes with ASLR. With 2 pages, a
 * loader's munmap of 8192 bytes was once taken for this one. */
enum { PAGES = 20 };

int main(int argc, char **argv)
{
	char path[4096];
	long page = sysconf(_SC_PAGESIZE);
	snprintf(path, sizeof path, "%s/hidden.txt", argv[1]);
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (fd < 0 || ftruncate(fd, PAGES * page) != 0)
		die("hidden.txt");
	/* A call of each kind first, so that a trace showing only some of
	 * them has seen this process before the mapping below is made. */
	void *first = mmap(NULL, page, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (first == MAP_FAILED || munmap(first, page) != 0)
		die("first mapping");
	char *p = mmap(NULL, PAGES * page, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED)
		die("mmap");
	memcpy(p, "hidden", 6);
	unsigned char v[PAGES];
	fact("mapped_before=%s", errname(mincore(p, PAGES * page, v) == 0 ? 0 : errno));
	fact("munmap=%s", errname(munmap(p, PAGES * page) == 0 ? 0 : errno));
	fact("mapped_after=%s", errname(mincore(p, PAGES * page, v) == 0 ? 0 : errno));
	char buf[6];
	fact("file_holds_store=%d", pread(fd, buf, 6, 0) == 6 && memcmp(buf, "hidden", 6) == 0);
	close(fd);
	snprintf(path, sizeof path, "%s/facts", argv[1]);
	facts_write(path);
	return 0;
}
