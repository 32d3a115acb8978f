/* A child that uses at least 10 clock ticks of CPU time in user mode before
 * it exits 3: its parent's SIGCHLD then carries si_utime that is not zero. */
#include <sys/times.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void) {
	pid_t p = fork();
	if (p == 0) {
		struct tms t;
		volatile unsigned long x = 0;
		do {
			for (unsigned long i = 0; i < 1000000UL; i++)
				x += i;
			times(&t);
		} while (t.tms_utime < 10);
		_exit(3);
	}
	int st;
	waitpid(p, &st, 0);
	return 0;
}
