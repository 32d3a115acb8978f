/* rdonly: which read-only opens can be mapped. A /proc file cannot be
 * mapped at all (mmap fails), a regular file opened O_RDONLY can, with
 * MAP_PRIVATE and PROT_WRITE. */
#include "facts.h"

int main(int argc, char **argv)
{
	char path[4096];
	int fd = open("/proc/self/stat", O_RDONLY);
	if (fd < 0)
		die("/proc/self/stat");
	void *p = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, fd, 0);
	fact("proc_mmap=%s", errname(p == MAP_FAILED ? errno : 0));
	close(fd);

	snprintf(path, sizeof path, "%s/plain.txt", argv[1]);
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (fd < 0 || write(fd, "plain", 5) != 5)
		die("plain.txt");
	close(fd);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		die("plain.txt");
	char *q = mmap(NULL, 5, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	fact("regular_private_write_mmap=%s", errname(q == MAP_FAILED ? errno : 0));
	if (q != MAP_FAILED)
		munmap(q, 5);
	close(fd);
	snprintf(path, sizeof path, "%s/facts", argv[1]);
	facts_write(path);
	return 0;
}
