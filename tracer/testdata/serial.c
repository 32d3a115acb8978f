// serial.c: processes whose order a serial trace makes the same every run
// (tracer.Config.Serial). Without it the order of their calls is the
// scheduler's.
//
//   P1 (the parent) makes a pipe and forks P2; it calls getppid three
//   times and reads the pipe, which blocks until P2 writes. P2 calls
//   getpid three times, writes, calls getpid and exits.
//   P1 then forks P3, which sleeps 45 ms and exits, and polls
//   waitpid(WNOHANG) with a 20 ms sleep between polls until it has it.
//   Last P1 forks P4, which sleeps 20 ms, while P1 sleeps 10 ms, calls
//   getppid, and waits for P4.
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void nap(long ms) {
	struct timespec ts = {0, ms * 1000000L};
	syscall(SYS_nanosleep, &ts, NULL);
}

int main(void) {
	int fd[2];
	char c;
	if (pipe(fd) != 0)
		return 1;
	pid_t a = fork();
	if (a == 0) {
		for (int i = 0; i < 3; i++)
			syscall(SYS_getpid);
		if (write(fd[1], "x", 1) != 1)
			_exit(1);
		syscall(SYS_getpid);
		_exit(0);
	}
	for (int i = 0; i < 3; i++)
		syscall(SYS_getppid);
	if (read(fd[0], &c, 1) != 1)
		return 1;
	syscall(SYS_getppid);
	waitpid(a, NULL, 0);

	pid_t b = fork();
	if (b == 0) {
		nap(45);
		_exit(0);
	}
	while (waitpid(b, NULL, WNOHANG) == 0)
		nap(20);

	pid_t d = fork();
	if (d == 0) {
		nap(20);
		syscall(SYS_getpid);
		_exit(0);
	}
	nap(10);
	syscall(SYS_getppid);
	waitpid(d, NULL, 0);
	return 0;
}
