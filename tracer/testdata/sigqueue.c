/* sigqueue: queues itself an ignored SIGUSR1 whose siginfo has si_errno 2
 * (ENOENT), for the signal line in every renderer and -X style. */
#define _GNU_SOURCE
#include <signal.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>
int main(void) {
	signal(SIGUSR1, SIG_IGN);
	siginfo_t si; memset(&si, 0, sizeof si);
	si.si_signo = SIGUSR1; si.si_code = SI_QUEUE; si.si_errno = 2;
	si.si_pid = getpid(); si.si_uid = getuid();
	syscall(SYS_rt_sigqueueinfo, getpid(), SIGUSR1, &si);
	return 0;
}
