/* filtered: a plain file mapping, for traces whose -e hides the calls the
 * explanations depend on. openat, ftruncate to 8 KiB, mmap MAP_SHARED,
 * store, munmap while the fd is still open, close. mincore says the
 * range was mapped before the munmap and is not after; read() finds the
 * stored bytes in the file. */
#include "facts.h"

int main(int argc, char **argv)
{
	char path[4096];
	long page = sysconf(_SC_PAGESIZE);
	snprintf(path, sizeof path, "%s/hidden.txt", argv[1]);
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (fd < 0 || ftruncate(fd, 2 * page) != 0)
		die("hidden.txt");
	/* A call of each kind first, so that a trace showing only some of
	 * them has seen this process before the mapping below is made. */
	void *first = mmap(NULL, page, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (first == MAP_FAILED || munmap(first, page) != 0)
		die("first mapping");
	char *p = mmap(NULL, 2 * page, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED)
		die("mmap");
	memcpy(p, "hidden", 6);
	unsigned char v[2];
	fact("mapped_before=%s", errname(mincore(p, 2 * page, v) == 0 ? 0 : errno));
	fact("munmap=%s", errname(munmap(p, 2 * page) == 0 ? 0 : errno));
	fact("mapped_after=%s", errname(mincore(p, 2 * page, v) == 0 ? 0 : errno));
	char buf[6];
	fact("file_holds_store=%d", pread(fd, buf, 6, 0) == 6 && memcmp(buf, "hidden", 6) == 0);
	close(fd);
	snprintf(path, sizeof path, "%s/facts", argv[1]);
	facts_write(path);
	return 0;
}
