// straceflags.c: the program TestStraceFlags traces under strace and
// mmtrace with each of strace's output flags: a file written and read, a
// failed open, a pipe, a socketpair, a TCP connection on loopback, two
// signals caught, and a child whose write fails.
#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>

static void on(int sig) { (void)sig; }

int main(int argc, char **argv) {
	char buf[64];
	if (argc > 1 && chdir(argv[1]) < 0) return 2;
	int fd = open("f.dat", O_CREAT | O_WRONLY | O_TRUNC, 0644);
	write(fd, "hello\n\t\xff\x01 world", 16);
	close(fd);
	fd = open("f.dat", O_RDONLY);
	read(fd, buf, sizeof buf);
	lseek(fd, 0, SEEK_SET);
	close(fd);
	open("missing", O_RDONLY);
	int p[2];
	pipe(p);
	write(p[1], "x", 1);
	read(p[0], buf, 1);
	close(p[0]);
	close(p[1]);
	int sv[2];
	socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
	write(sv[0], "ab", 2);
	read(sv[1], buf, 2);
	close(sv[0]);
	close(sv[1]);
	int l = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	bind(l, (struct sockaddr *)&a, sizeof a);
	listen(l, 1);
	socklen_t len = sizeof a;
	getsockname(l, (struct sockaddr *)&a, &len);
	int c = socket(AF_INET, SOCK_STREAM, 0);
	connect(c, (struct sockaddr *)&a, sizeof a);
	int s = accept(l, NULL, NULL);
	write(c, "hi", 2);
	read(s, buf, 2);
	close(s);
	close(c);
	close(l);
	signal(SIGUSR1, on);
	signal(SIGUSR2, on);
	kill(getpid(), SIGUSR1);
	kill(getpid(), SIGUSR2);
	pid_t pid = fork();
	if (pid == 0) {
		write(-1, "x", 1);
		_exit(3);
	}
	int st;
	waitpid(pid, &st, 0);
	return 0;
}
