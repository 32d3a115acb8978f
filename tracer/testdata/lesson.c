/* The mmap lesson's calls, for the tracer's integration tests: a file
 * created and sized, mapped shared, a child writing through the mapping,
 * the mistakes the notes list, a child killed by a signal, and a distinct
 * exit status. Usage: lesson FILE */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv) {
	const char *path = argc > 1 ? argv[1] : "dd.txt";
	int fd = open(path, O_CREAT | O_RDWR | O_TRUNC, 0644);
	if (fd < 0) { perror("open"); return 1; }
	if (ftruncate(fd, 4) < 0) { perror("ftruncate"); return 1; }
	char *p = mmap(NULL, 4, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED) { perror("mmap"); return 1; }

	/* The notes' mistakes: each fails with EINVAL. */
	mmap(NULL, 0, PROT_READ, MAP_SHARED, fd, 0);
	mmap(NULL, 4, PROT_READ, MAP_SHARED, fd, 1);
	munmap(p + 1, 4);
	/* A shared writable mapping of a read-only fd: EACCES. */
	int ro = open(path, O_RDONLY);
	mmap(NULL, 4, PROT_READ | PROT_WRITE, MAP_SHARED, ro, 0);
	close(ro);

	pid_t pid = fork();
	if (pid == 0) {
		strcpy(p, "abc");
		munmap(p, 4);
		exit(0);
	}
	int status;
	waitpid(pid, &status, 0);

	pid = fork();
	if (pid == 0) {
		kill(getpid(), SIGTERM);
		_exit(9);
	}
	waitpid(pid, &status, 0);

	int seen = memcmp(p, "abc", 3) == 0;
	munmap(p, 4);
	close(fd);
	unlink(path);
	return seen ? 3 : 2;
}
