/* Calls that touch DIR/f (argv[1] is DIR) by name, by a descriptor, by a
 * relative name after chdir(DIR), and calls that touch other files, for
 * -P. It renames f to g and back, links and symlinks it, maps it, polls
 * and selects on it, and removes what it made. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/select.h>
#include <sys/stat.h>
#include <unistd.h>

int main(int argc, char **argv) {
	if (argc < 2)
		return 2;
	char f[4096], g[4096], h[4096], l[4096], buf[64];
	snprintf(f, sizeof f, "%s/f", argv[1]);
	snprintf(g, sizeof g, "%s/g", argv[1]);
	snprintf(h, sizeof h, "%s/h", argv[1]);
	snprintf(l, sizeof l, "%s/l", argv[1]);
	struct stat st;

	int fd = open(f, O_RDWR | O_CREAT | O_TRUNC, 0644);
	write(fd, "hello", 5);
	fstat(fd, &st);
	lseek(fd, 0, SEEK_SET);
	pread(fd, buf, 5, 0);
	ftruncate(fd, 4096);
	fcntl(fd, F_GETFL);
	void *p = mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, 0);
	munmap(p, 4096);
	int d = dup(fd);
	dup2(fd, 10);
	dup3(fd, 11, O_CLOEXEC);
	struct pollfd pfd = {.fd = fd, .events = POLLIN};
	poll(&pfd, 1, 0);
	fd_set rs;
	FD_ZERO(&rs);
	FD_SET(fd, &rs);
	struct timeval tv = {0, 0};
	select(fd + 1, &rs, NULL, NULL, &tv);
	close(d);
	close(10);
	close(11);

	stat("/", &st); /* another file */
	access(f, R_OK);
	faccessat(AT_FDCWD, f, R_OK, 0);
	rename(f, g);
	renameat(AT_FDCWD, g, AT_FDCWD, f);
	link(f, h);
	unlink(h);
	linkat(AT_FDCWD, f, AT_FDCWD, h, 0);
	unlink(h);
	symlink(f, l);
	readlink(l, buf, sizeof buf);
	unlink(l);
	symlinkat(f, AT_FDCWD, l);
	unlink(l);

	chdir(argv[1]);
	int dir = open(".", O_RDONLY | O_DIRECTORY);
	fstatat(dir, "f", &st, 0); /* relative to a directory fd */
	int rel = open("f", O_RDONLY); /* relative to the working directory */
	close(rel);
	close(dir);
	close(fd);
	unlink(f);
	return 0;
}
