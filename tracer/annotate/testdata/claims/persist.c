/* persist: a file's pages outlive its mappings, and what was stored
 * through them is in the file. A child stores into all 16 pages of a
 * MAP_SHARED mapping and exits with the mapping still made; a second
 * child unmaps its inherited copy while the parent still maps the file;
 * then the parent unmaps it, the last mapping of all. mincore, on a
 * fresh mapping that touches nothing, then counts the file's pages still
 * in the page cache, and read() finds the child's bytes in the file. */
#include "facts.h"

#define PAGES 16

int main(int argc, char **argv)
{
	char path[4096];
	long page = sysconf(_SC_PAGESIZE);
	size_t len = PAGES * page;
	snprintf(path, sizeof path, "%s/persist.txt", argv[1]);
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (fd < 0 || ftruncate(fd, len) != 0)
		die("persist.txt");
	char *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED)
		die("mmap");
	int status;
	pid_t child = fork();
	if (child == 0) {
		for (size_t i = 0; i < len; i++)
			p[i] = 'a' + i / page;
		_exit(0);
	}
	waitpid(child, &status, 0);
	child = fork();
	if (child == 0) {
		munmap(p, len);
		_exit(0);
	}
	waitpid(child, &status, 0);
	munmap(p, len);

	char *q = mmap(NULL, len, PROT_READ, MAP_SHARED, fd, 0);
	if (q == MAP_FAILED)
		die("mmap again");
	fact("resident_after_last_munmap=%d/%d", resident(q, len), PAGES);
	munmap(q, len);
	int same = 1;
	static char buf[PAGES * 65536];
	if (pread(fd, buf, len, 0) != (ssize_t)len)
		die("pread");
	for (size_t i = 0; i < len; i++)
		if (buf[i] != 'a' + (char)(i / page))
			same = 0;
	fact("file_holds_child_stores=%d", same);
	close(fd);
	snprintf(path, sizeof path, "%s/facts", argv[1]);
	facts_write(path);
	return 0;
}
