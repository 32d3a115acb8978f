// pollsleep.c: a parent that polls waitpid(-1, WNOHANG) for a child
// that sleeps 30 ms and exits (issue 16). In a serial run each poll that
// finds nothing takes 1 ms of the trace's clock, so the parent polls
// until the child's 30 ms are up, the same number of times every run.
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int main(void) {
	pid_t c = fork();
	if (c < 0)
		return 1;
	if (c == 0) {
		struct timespec d = {0, 30000000L};
		nanosleep(&d, NULL);
		_exit(0);
	}
	for (;;) {
		pid_t w = waitpid(-1, NULL, WNOHANG);
		if (w == c)
			return 0;
		if (w < 0)
			return 2;
	}
}
