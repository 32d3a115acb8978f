/* grow: ftruncate that grows a file, then a store past its new end. An
 * empty file grows to one page; a child stores into the second page of a
 * two-page mapping of it and dies of SIGBUS. fstat gives the size before
 * and after the ftruncate. */
#include "facts.h"

int main(int argc, char **argv)
{
	char path[4096];
	long page = sysconf(_SC_PAGESIZE);
	struct stat st;
	snprintf(path, sizeof path, "%s/grown.txt", argv[1]);
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (fd < 0 || fstat(fd, &st) != 0)
		die("grown.txt");
	fact("size_before=%lld", (long long)st.st_size);
	if (ftruncate(fd, page) != 0 || fstat(fd, &st) != 0)
		die("ftruncate");
	fact("size_after=%lld", (long long)st.st_size);
	char *p = mmap(NULL, 2 * page, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED)
		die("mmap");
	pid_t child = fork();
	if (child == 0) {
		p[page] = 'x';
		_exit(0);
	}
	int status;
	waitpid(child, &status, 0);
	fact("child=%s", WIFSIGNALED(status) && WTERMSIG(status) == SIGBUS ? "SIGBUS" : "other");
	munmap(p, 2 * page);
	close(fd);
	snprintf(path, sizeof path, "%s/facts", argv[1]);
	facts_write(path);
	return 0;
}
