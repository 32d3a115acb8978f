/* cow: who gets a copy when a MAP_PRIVATE page shared by a fork is
 * stored to. /proc/self/pagemap gives the frame behind a page (root
 * only: without CAP_SYS_ADMIN the frame numbers read as 0).
 *
 * A file's page: the parent reads it (the page cache's frame), forks; the
 * child stores first and moves to a new frame; then the parent stores,
 * and it moves to a new frame too: every writer gets its own copy, the
 * page cache's page is never handed over.
 *
 * An anonymous page: the parent stores (its own zeroed frame), forks; the
 * child stores first and moves to a new frame; the parent, the last
 * sharer, stores and keeps the original frame. The child is alive until
 * the parent has stored. */
#include "facts.h"

int main(int argc, char **argv)
{
	char path[4096];
	long page = sysconf(_SC_PAGESIZE);
	snprintf(path, sizeof path, "%s/cow.txt", argv[1]);
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (fd < 0 || write(fd, "original", 8) != 8 || ftruncate(fd, page) != 0)
		die("cow.txt");
	volatile char *f = mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	volatile char *a = mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (f == MAP_FAILED || a == MAP_FAILED)
		die("mmap");
	close(fd);
	(void)f[0];
	a[0] = 'a';
	uint64_t file0 = pfn((void *)f), anon0 = pfn((void *)a);
	/* The child lives until the parent has stored: a frame it freed by
	 * exiting could be the parent's new copy, the same number (seen on
	 * arm64). It waits for the end of the "go" pipe. */
	int pipefd[2], go[2];
	if (pipe(pipefd) != 0 || pipe(go) != 0)
		die("pipe");
	pid_t child = fork();
	if (child == 0) {
		char c;
		close(go[1]);
		f[0] = 'c';
		a[0] = 'c';
		uint64_t got[2] = {pfn((void *)f), pfn((void *)a)};
		write(pipefd[1], got, sizeof got);
		read(go[0], &c, 1);
		_exit(0);
	}
	close(go[0]);
	uint64_t child_pfn[2];
	if (read(pipefd[0], child_pfn, sizeof child_pfn) != sizeof child_pfn)
		die("read");
	f[0] = 'p';
	a[0] = 'p';
	uint64_t file1 = pfn((void *)f), anon1 = pfn((void *)a);
	close(go[1]);
	int status;
	waitpid(child, &status, 0);
	fact("frames_readable=%d", file0 != 0 && anon0 != 0);
	fact("file_child_copied=%d", child_pfn[0] != file0);
	fact("file_parent_copied=%d", file1 != file0 && file1 != child_pfn[0]);
	fact("anon_child_copied=%d", child_pfn[1] != anon0);
	fact("anon_parent_kept_original=%d", anon1 == anon0);
	char buf[8];
	fd = open(path, O_RDONLY);
	fact("file_unchanged=%d", fd >= 0 && read(fd, buf, 8) == 8 && memcmp(buf, "original", 8) == 0);
	snprintf(path, sizeof path, "%s/facts", argv[1]);
	facts_write(path);
	return 0;
}
