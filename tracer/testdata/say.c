/* say.c: a program that prints as the scenarios' processes do, in every
 * way a line reaches stdout or stderr: a line in two writes, one to
 * stderr, three lines in one writev, a line from a child, a line longer
 * than a message, a last line with no newline. Between them, calls the
 * timeline shows (openat, close, fork, wait4), so a test can check each
 * line's place; and a write to another fd, which is no message. */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv) {
	struct stat out, null;
	int isnull = fstat(1, &out) == 0 && stat("/dev/null", &null) == 0 &&
		S_ISCHR(out.st_mode) && out.st_rdev == null.st_rdev;
	int fd = open(argc > 1 ? argv[1] : "/etc/hostname", O_RDONLY);
	write(1, "first ", 6);
	write(1, "line\n", 5);
	dprintf(2, "stdout is /dev/null: %s\n", isnull ? "yes" : "no");
	struct iovec iov[3] = {{"two ", 4}, {"lines\nand ", 10}, {"a third\n", 8}};
	writev(1, iov, 3);
	int other = open("/dev/null", O_WRONLY);
	write(other, "not a message\n", 14);
	close(other);
	close(fd);
	pid_t pid = fork();
	if (pid == 0) {
		write(1, "child says\n", 11);
		_exit(0);
	}
	waitpid(pid, NULL, 0);
	static char big[10000];
	memset(big, 'x', sizeof big);
	big[sizeof big - 1] = '\n';
	write(1, big, sizeof big);
	write(1, "no newline", 10);
	return 0;
}
