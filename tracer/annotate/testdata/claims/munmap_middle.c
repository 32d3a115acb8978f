/* munmap_middle: munmap needs a page-aligned address, not the one mmap
 * returned. On a 3-page mapping, munmap(p + 1, 4) fails with EINVAL (the
 * notes' p++), munmap(p + page, page) unmaps the middle page, and the
 * other two stay mapped (mincore says which pages are mapped at all:
 * ENOMEM for an address with no mapping). */
#include "facts.h"

int main(int argc, char **argv)
{
	char path[4096];
	long page = sysconf(_SC_PAGESIZE);
	snprintf(path, sizeof path, "%s/three.txt", argv[1]);
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (fd < 0 || ftruncate(fd, 3 * page) != 0)
		die("three.txt");
	char *p = mmap(NULL, 3 * page, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED)
		die("mmap");
	close(fd);
	memset(p, 'x', 3 * page);

	errno = 0;
	fact("munmap_plus1=%s", errname(munmap(p + 1, 4) == 0 ? 0 : errno));
	errno = 0;
	fact("munmap_middle=%s", errname(munmap(p + page, page) == 0 ? 0 : errno));
	unsigned char v;
	for (int i = 0; i < 3; i++)
		fact("mincore_page%d=%s", i, errname(mincore(p + i * page, page, &v) == 0 ? 0 : errno));
	fact("munmap_rest=%s", errname(munmap(p, 3 * page) == 0 ? 0 : errno));
	snprintf(path, sizeof path, "%s/facts", argv[1]);
	facts_write(path);
	return 0;
}
