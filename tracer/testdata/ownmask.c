/* ownmask: a program that binds itself to CPUs keeps its mask, whatever
 * the pin does. argv[2] says what it binds itself to: "cur", the CPU it
 * runs on (under a pinned trace, the very mask the pin gave it); a CPU
 * number; "fail", a call that fails (an empty mask: EINVAL); "none", no
 * call. Then it forks a child, which reads its own mask, and reads its
 * own right after the fork and again 200 ms after the child's exit, long
 * enough for the pin's monitor to have taken the tracees back onto one
 * CPU. It writes "set=", "after_fork=", "child=" and "later=" lines to
 * argv[1], each a CPU list like "0,1". */
#define _GNU_SOURCE
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void list(char *out, size_t n, const cpu_set_t *set)
{
	size_t len = 0;
	out[0] = 0;
	for (int c = 0; c < CPU_SETSIZE && len + 8 < n; c++)
		if (CPU_ISSET(c, set))
			len += snprintf(out + len, n - len, len ? ",%d" : "%d", c);
}

static void mine(char *out, size_t n)
{
	cpu_set_t set;
	if (sched_getaffinity(0, sizeof set, &set) != 0) {
		perror("sched_getaffinity");
		exit(98);
	}
	list(out, n, &set);
}

int main(int argc, char **argv)
{
	if (argc != 3)
		return 2;
	FILE *f = fopen(argv[1], "w");
	if (!f)
		return 98;
	cpu_set_t set;
	CPU_ZERO(&set);
	char buf[512];
	if (strcmp(argv[2], "none") == 0) {
		fprintf(f, "set=none\n");
	} else {
		if (strcmp(argv[2], "cur") == 0)
			CPU_SET(sched_getcpu(), &set);
		else if (strcmp(argv[2], "fail") != 0)
			CPU_SET(atoi(argv[2]), &set);
		if (sched_setaffinity(0, sizeof set, &set) != 0) {
			fprintf(f, "set=fail\n");
		} else {
			list(buf, sizeof buf, &set);
			fprintf(f, "set=%s\n", buf);
		}
	}
	int p[2];
	if (pipe(p) != 0)
		return 98;
	pid_t child = fork();
	if (child < 0)
		return 98;
	if (child == 0) {
		mine(buf, sizeof buf);
		write(p[1], buf, strlen(buf));
		_exit(0);
	}
	mine(buf, sizeof buf);
	fprintf(f, "after_fork=%s\n", buf);
	close(p[1]);
	ssize_t n = read(p[0], buf, sizeof buf - 1);
	buf[n > 0 ? n : 0] = 0;
	fprintf(f, "child=%s\n", buf);
	waitpid(child, NULL, 0);
	struct timespec ts = {0, 200 * 1000 * 1000};
	nanosleep(&ts, NULL);
	mine(buf, sizeof buf);
	fprintf(f, "later=%s\n", buf);
	return fclose(f) == 0 ? 0 : 98;
}
