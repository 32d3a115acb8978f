/* Says whether a program run by exec is traced. "check" exits 0 when its
 * /proc/self/status says no tracer, 1 when one traces it. With no
 * argument, a child execs "check" and the parent exits with its status;
 * with "self", the process itself execs "check". */
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static int traced(void) {
	char line[256];
	int pid = -1;
	FILE *f = fopen("/proc/self/status", "r");
	if (!f)
		return 2;
	while (fgets(line, sizeof line, f))
		if (sscanf(line, "TracerPid: %d", &pid) == 1)
			break;
	fclose(f);
	return pid == 0 ? 0 : pid > 0 ? 1 : 2;
}

int main(int argc, char **argv) {
	char *check[] = {argv[0], "check", NULL};
	if (argc > 1 && strcmp(argv[1], "check") == 0)
		return traced();
	if (argc > 1 && strcmp(argv[1], "self") == 0) {
		execv(argv[0], check);
		return 3;
	}
	pid_t p = fork();
	if (p == 0) {
		execv(argv[0], check);
		_exit(3);
	}
	int st;
	if (waitpid(p, &st, 0) != p || !WIFEXITED(st))
		return 4;
	return WEXITSTATUS(st);
}
