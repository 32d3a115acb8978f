/* forkfds: a child inherits every fd, also those opened by calls the
 * trace does not show (pipe, dup: not in the default set). The child
 * writes into the pipe's write end, the parent reads it from the read
 * end; the dup of the file reads the file. */
#include "facts.h"

int main(int argc, char **argv)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/kept.txt", argv[1]);
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (fd < 0 || write(fd, "kept", 4) != 4)
		die("kept.txt");
	int p[2];
	if (pipe(p) != 0)
		die("pipe");
	int d = dup(fd);
	close(fd);
	pid_t child = fork();
	if (child == 0) {
		char buf[4];
		int ok = pread(d, buf, 4, 0) == 4 && memcmp(buf, "kept", 4) == 0;
		char c = ok ? 'y' : 'n';
		write(p[1], &c, 1);
		_exit(0);
	}
	char c = 0;
	read(p[0], &c, 1);
	int status;
	waitpid(child, &status, 0);
	fact("child_read_dup_and_wrote_pipe=%d", c == 'y');
	fact("fds=%d,%d,%d", p[0], p[1], d);
	snprintf(path, sizeof path, "%s/facts", argv[1]);
	facts_write(path);
	return 0;
}
