/* restart: a SIGCHLD arriving while the parent waits for another child.
 *
 * The parent forks A and B and waits for A. A waits until the parent
 * sleeps in wait4 (its /proc wchan is do_wait), notes how often it has
 * slept so far, and lets B go (closing the pipe B reads): B exits, and its
 * SIGCHLD reaches the parent during wait4(A). A exits only once that
 * SIGCHLD has been dealt with: traced (its own TracerPid is not 0), when
 * the parent has slept at least twice more and is back in do_wait (it was
 * woken, stopped for the tracer, and restarted the call); untraced, when
 * B is a zombie, which it becomes only after its SIGCHLD was sent.
 *
 * SIGCHLD is left at its default action, which is to ignore it: the
 * fixture reads its disposition from /proc/self/status. wait4(A) returns
 * A's pid, never EINTR; how often the parent slept in it (voluntary
 * context switches) shows whether B's SIGCHLD woke it: untraced, once. */
#include "facts.h"

/* field returns the number after key in /proc/PID/status (pid 0: self),
 * or -1. */
static long field(pid_t pid, const char *key)
{
	char name[64], buf[8192];
	if (pid)
		snprintf(name, sizeof name, "/proc/%d/status", pid);
	else
		strcpy(name, "/proc/self/status");
	int fd = open(name, O_RDONLY);
	ssize_t n = fd < 0 ? -1 : read(fd, buf, sizeof buf - 1);
	if (fd >= 0)
		close(fd);
	if (n <= 0)
		return -1;
	buf[n] = 0;
	char *line = strstr(buf, key);
	return line ? strtol(line + strlen(key), NULL, 10) : -1;
}

/* sigbit says whether signal sig is set in the hex mask on the line of
 * /proc/self/status that starts with key. */
static int sigbit(const char *key, int sig)
{
	char buf[8192];
	int fd = open("/proc/self/status", O_RDONLY);
	ssize_t n = fd < 0 ? -1 : read(fd, buf, sizeof buf - 1);
	if (fd >= 0)
		close(fd);
	if (n <= 0)
		return -1;
	buf[n] = 0;
	char *line = strstr(buf, key);
	if (!line)
		return -1;
	unsigned long long mask = strtoull(line + strlen(key), NULL, 16);
	return mask >> (sig - 1) & 1;
}

/* in_wait says whether pid sleeps in a wait call. */
static int in_wait(pid_t pid)
{
	char name[64], wchan[64];
	snprintf(name, sizeof name, "/proc/%d/wchan", pid);
	int fd = open(name, O_RDONLY);
	ssize_t n = fd < 0 ? -1 : read(fd, wchan, sizeof wchan - 1);
	if (fd >= 0)
		close(fd);
	if (n <= 0)
		return 0;
	wchan[n] = 0;
	return strcmp(wchan, "do_wait") == 0;
}

/* zombie says whether pid is a zombie. */
static int zombie(pid_t pid)
{
	char name[64], buf[512];
	snprintf(name, sizeof name, "/proc/%d/stat", pid);
	int fd = open(name, O_RDONLY);
	ssize_t n = fd < 0 ? -1 : read(fd, buf, sizeof buf - 1);
	if (fd >= 0)
		close(fd);
	if (n <= 0)
		return 0;
	buf[n] = 0;
	char *p = strrchr(buf, ')');
	return p && p[1] == ' ' && p[2] == 'Z';
}

int main(int argc, char **argv)
{
	char path[4096];
	fact("sigchld_caught=%d", sigbit("SigCgt:", SIGCHLD));
	fact("sigchld_ignored=%d", sigbit("SigIgn:", SIGCHLD));
	int go[2];
	if (pipe(go) != 0)
		die("pipe");
	pid_t parent = getpid();
	pid_t b = fork();
	if (b == 0) {
		char c;
		close(go[1]);
		while (read(go[0], &c, 1) > 0)
			;
		_exit(0);
	}
	pid_t a = fork();
	if (a == 0) {
		close(go[0]);
		while (!in_wait(parent))
			usleep(1000);
		long slept = field(parent, "voluntary_ctxt_switches:");
		close(go[1]); /* B goes */
		if (field(0, "TracerPid:") != 0) {
			while (field(parent, "voluntary_ctxt_switches:") < slept + 2 || !in_wait(parent))
				usleep(1000);
		} else {
			while (!zombie(b))
				usleep(1000);
		}
		_exit(0);
	}
	close(go[0]);
	close(go[1]);
	int status;
	errno = 0;
	long before = field(0, "voluntary_ctxt_switches:");
	pid_t got = wait4(a, &status, 0, NULL);
	long after = field(0, "voluntary_ctxt_switches:");
	fact("wait4_a=%s", got == a ? "A" : errname(errno));
	/* How many times the parent went to sleep during wait4(A): once if
	 * only A's exit woke it, more if B's SIGCHLD did too. */
	fact("wait4_a_sleeps=%ld", after - before);
	got = wait4(b, &status, 0, NULL);
	fact("wait4_b=%s", got == b ? "B" : errname(errno));
	snprintf(path, sizeof path, "%s/facts", argv[1]);
	facts_write(path);
	return 0;
}
