/* A program whose file names would take over a terminal if printed raw:
 * a newline followed by a forged timeline line, ESC sequences, a C1
 * control, a bidi override, and a Chinese name that must stay readable.
 * It does the mmap lesson's calls on them, writes one to stdout, dies of
 * SIGBUS in a child through one, and ends by exec'ing TRUE through a
 * symbolic link with such a name. Usage: hostilename DIR TRUE */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

/* NAME: a newline and a line as mmtrace prints one, an ESC sequence
 * that turns the terminal red, an OSC that sets its title (ended by
 * BEL), CSI as a C1 control (U+009B), a right-to-left override (U+202E)
 * and 数据 (U+6570 U+636E). */
#define NAME "x\n12345 0.0 openat(AT_FDCWD, \"forged\", O_RDONLY) = 3\x1b[31mRED\x1b]0;pwned\a\xc2\x9b" "31m\xe2\x80\xae" "txt.exe\xe6\x95\xb0\xe6\x8d\xae"

static char *join(const char *dir, const char *name) {
	char *s = malloc(strlen(dir) + strlen(name) + 2);
	if (!s) exit(1);
	strcpy(s, dir);
	strcat(s, "/");
	strcat(s, name);
	return s;
}

int main(int argc, char **argv) {
	if (argc != 3) { fprintf(stderr, "usage: hostilename DIR TRUE\n"); return 2; }
	char *path = join(argv[1], NAME);
	int fd = open(path, O_CREAT | O_RDWR | O_TRUNC, 0644);
	if (fd < 0) { perror("open"); return 1; }
	if (ftruncate(fd, 4096) < 0) { perror("ftruncate"); return 1; }
	char *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED) { perror("mmap"); return 1; }
	p[0] = 'a';
	munmap(p, 4096);
	close(fd);

	/* What a process writes is shown too (the SVG's lane caption). */
	static const char said[] = "said " NAME "\n";
	if (write(1, said, sizeof said - 1) < 0) return 1;

	/* Not there: the note for ENOENT names it. */
	char *missing = join(argv[1], NAME "-missing");
	open(missing, O_RDONLY);

	/* Past the end of an empty file: SIGBUS, whose note names the file. */
	pid_t pid = fork();
	if (pid == 0) {
		int e = open(path, O_RDWR | O_TRUNC);
		char *q = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, e, 0);
		if (q == MAP_FAILED) _exit(1);
		q[0] = 'b';
		_exit(0);
	}
	int status;
	waitpid(pid, &status, 0);
	unlink(path);

	/* The program's name, as the SVG and Perfetto take it from execve:
	 * here only escapes that strace prints with three digits (ESC before
	 * a digit, the bytes of 数), which a Go-style unquote would accept. */
	char *link = join(argv[1], "true\n12345 0.0 exec\x1b" "7\xe6\x95\xb0");
	if (symlink(argv[2], link) < 0) { perror("symlink"); return 1; }
	char *args[] = {link, NULL};
	execv(link, args);
	perror("execv");
	return 1;
}
