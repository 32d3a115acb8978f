// pollwait.c: the waitpid scenario's loop in small (issue 16).
//
//   The first process forks a child, which closes fd -1 (a shown call,
//   so a stop) 50 times and exits, and polls waitpid(-1, WNOHANG), each
//   call a stop too, until it has reaped it.
//
// wait4 reports the tracer's own child, the first process, before any
// other tracee: a tracer that got back to its wait only after the poller
// had stopped again saw nothing but the poller, and the child, stopped,
// never got its turn.
#include <sys/wait.h>
#include <unistd.h>

int main(void) {
	pid_t c = fork();
	if (c < 0)
		return 1;
	if (c == 0) {
		for (int i = 0; i < 50; i++)
			close(-1);
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
