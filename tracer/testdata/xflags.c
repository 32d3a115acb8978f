// xflags.c: the calls whose lines strace's -v and -X change, for
// TestStraceFlags: flag words and values (open, lseek, mmap, mprotect with
// an unknown bit), AT_FDCWD, signals and signal sets (rt_sigaction,
// rt_sigprocmask, kill), struct stat of a file and of a device, struct
// statx (with a sync type that is not zero; xnested.c has a zero one,
// which strace 6.1 -X raw prints as nothing), rlimits,
// uname, an execve with its own argv and environment, wait4's rusage and
// the SIGCHLD that comes with it. Usage: xflags DIR (DIR exists, empty).
#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv) {
	if (argc < 2 || chdir(argv[1]) != 0)
		return 2;
	int fd = open("f.dat", O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0640);
	if (fd < 0 || write(fd, "abc", 3) != 3)
		return 1;
	struct stat st;
	fstat(fd, &st);
	stat("f.dat", &st);
	lstat("/dev/null", &st);
	struct statx sx;
	statx(AT_FDCWD, "f.dat", AT_STATX_DONT_SYNC, STATX_BASIC_STATS | STATX_BTIME, &sx);
	lseek(fd, 0, SEEK_END);
	ftruncate(fd, 4096);
	char *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED)
		return 1;
	mprotect(p, 4096, PROT_READ | 0x100); /* an unknown bit: EINVAL */
	munmap(p, 4096);

	struct sigaction sa, old;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = SIG_IGN;
	sigaddset(&sa.sa_mask, SIGTERM);
	sigaddset(&sa.sa_mask, SIGINT);
	sa.sa_flags = SA_RESTART;
	sigaction(SIGUSR1, &sa, &old);
	sigset_t set, oldset;
	sigemptyset(&set);
	sigaddset(&set, SIGUSR2);
	sigprocmask(SIG_BLOCK, &set, &oldset);
	kill(getpid(), SIGUSR1);

	struct rlimit rl;
	getrlimit(RLIMIT_STACK, &rl);
	rl.rlim_cur = rl.rlim_max < 8 << 20 ? rl.rlim_max : 8 << 20;
	setrlimit(RLIMIT_STACK, &rl);
	struct utsname u;
	uname(&u);

	pid_t pid = fork();
	if (pid == 0) {
		char *args[] = {"/bin/true", "one", "two", NULL};
		char *env[] = {"A=1", "B=2", NULL};
		execve(args[0], args, env);
		_exit(127);
	}
	int status;
	struct rusage ru;
	wait4(pid, &status, 0, &ru);
	open("/nonexistent/f", O_RDONLY);
	close(fd);
	unlink("f.dat");
	return 0;
}
