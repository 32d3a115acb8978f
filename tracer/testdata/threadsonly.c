/* A thread maps and unmaps a page; then a child, sent SIGUSR1 as soon as it
 * exists, waits for that signal and says whether it is traced: it exits 0
 * when it got the signal and has no tracer, 1 when traced; an alarm ends
 * it with 5 if the signal was lost. The process exits with its status. */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile sig_atomic_t got;
static void onusr1(int s) { (void)s; got = 1; }
static void onalarm(int s) { (void)s; _exit(5); }

static void *thread(void *arg) {
	(void)arg;
	void *p = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	munmap(p, 4096);
	return NULL;
}

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

int main(void) {
	pthread_t t;
	pthread_create(&t, NULL, thread, NULL);
	pthread_join(t, NULL);

	sigset_t usr1, none;
	sigemptyset(&usr1);
	sigemptyset(&none);
	sigaddset(&usr1, SIGUSR1);
	sigprocmask(SIG_BLOCK, &usr1, NULL);
	signal(SIGUSR1, onusr1);
	signal(SIGALRM, onalarm);
	pid_t p = fork();
	if (p == 0) {
		alarm(10);
		while (!got)
			sigsuspend(&none);
		_exit(traced());
	}
	kill(p, SIGUSR1);
	int st;
	if (waitpid(p, &st, 0) != p || !WIFEXITED(st))
		return 4;
	return WEXITSTATUS(st);
}
