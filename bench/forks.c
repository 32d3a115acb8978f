/* forks [N]: fork N children (default 1000), one at a time; each exits at
 * once and is reaped before the next is made. A fork-heavy workload for
 * bench/run.sh: every fork, exit and wait4 is one of the lesson's calls. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv) {
	int n = argc > 1 ? atoi(argv[1]) : 1000;
	for (int i = 0; i < n; i++) {
		pid_t pid = fork();
		if (pid < 0) {
			perror("forks: fork");
			return 1;
		}
		if (pid == 0)
			_exit(0);
		int status;
		if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
			fprintf(stderr, "forks: child %d failed\n", (int)pid);
			return 1;
		}
	}
	return 0;
}
