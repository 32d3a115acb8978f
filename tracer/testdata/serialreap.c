// serialreap.c: a parent that reaps many children while another process
// is due to run (tracer.Config.Serial, issue 12).
//
//   P1 forks P2, which calls getpid and sleeps 1 ms, 20 times. Then P1
//   forks a child that exits at once and waits for it, 100 times.
//
// In a serial run P1 (first in rank) runs whenever it can, so every reap
// is followed by P1's next fork, and P2 runs only once P1 is done. Each
// reap wakes P1, but the kernel may do it a little after the trace's own
// wait4 has reaped the child: a trace that then took P1 for asleep let
// P2 run in between, at a different place each run.
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int main(void) {
	pid_t ticker = fork();
	if (ticker == 0) {
		struct timespec ms = {0, 1000000L};
		for (int i = 0; i < 20; i++) {
			syscall(SYS_getpid);
			syscall(SYS_nanosleep, &ms, NULL);
		}
		_exit(0);
	}
	for (int i = 0; i < 100; i++) {
		pid_t c = fork();
		if (c == 0)
			_exit(0);
		if (c < 0 || waitpid(c, NULL, 0) != c)
			return 1;
	}
	return waitpid(ticker, NULL, 0) == ticker ? 0 : 1;
}
