/* fixed: a MAP_FIXED mapping replaces what was there; a second munmap of
 * a range already unmapped succeeds and does nothing; mprotect of one
 * page.
 *
 * Four anonymous pages at p (the first stored to); a file page mapped
 * MAP_FIXED at p + page: reading there gives the file's byte, the first
 * page still holds its store. Then p + page is unmapped twice, and
 * mincore says nothing is mapped there. mprotect makes page 0 read-only,
 * as /proc/self/maps shows. */
#include "facts.h"

/* perms copies the permissions /proc/self/maps shows for the mapping
 * starting at p into out (5 bytes). */
static void perms(void *p, char *out)
{
	char want[32], line[512];
	snprintf(want, sizeof want, "%lx-", (unsigned long)p);
	strcpy(out, "?");
	FILE *f = fopen("/proc/self/maps", "r");
	while (f && fgets(line, sizeof line, f))
		if (strncmp(line, want, strlen(want)) == 0) {
			sscanf(strchr(line, ' ') + 1, "%4s", out);
			break;
		}
	if (f)
		fclose(f);
}

int main(int argc, char **argv)
{
	char path[4096];
	long page = sysconf(_SC_PAGESIZE);
	snprintf(path, sizeof path, "%s/fixed.txt", argv[1]);
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (fd < 0 || write(fd, "F", 1) != 1 || ftruncate(fd, page) != 0)
		die("fixed.txt");
	char *p = mmap(NULL, 4 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		die("mmap");
	p[0] = 'a';
	char *q = mmap(p + page, page, PROT_READ, MAP_SHARED | MAP_FIXED, fd, 0);
	fact("fixed_at_asked_address=%d", q == p + page);
	fact("fixed_reads_file=%d", q == p + page && q[0] == 'F');
	fact("neighbour_kept=%d", p[0] == 'a');
	close(fd);

	errno = 0;
	fact("munmap_first=%s", errname(munmap(p + page, page) == 0 ? 0 : errno));
	errno = 0;
	fact("munmap_again=%s", errname(munmap(p + page, page) == 0 ? 0 : errno));
	unsigned char v;
	fact("mincore_after=%s", errname(mincore(p + page, page, &v) == 0 ? 0 : errno));

	errno = 0;
	fact("mprotect=%s", errname(mprotect(p, page, PROT_READ) == 0 ? 0 : errno));
	char prm[8];
	perms(p, prm);
	fact("perms_page0=%s", prm);
	munmap(p, 4 * page);
	snprintf(path, sizeof path, "%s/facts", argv[1]);
	facts_write(path);
	return 0;
}
