/* A process whose pid outlives three programs. Stage 0: a thread that is
 * not the leader execs this program again (the kernel gives it the
 * leader's tid; the old leader vanishes). Stage 1: a thread ends itself
 * with the raw exit call (exit(42), not exit_group), then the leader execs
 * stage 2, which exits 5. */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

static char *self;

static void *execer(void *arg) {
	(void)arg;
	char *argv[] = {self, "1", NULL};
	execv(self, argv);
	return NULL;
}

static void *exiter(void *arg) {
	(void)arg;
	syscall(SYS_exit, 42); /* this thread only */
	return NULL;
}

int main(int argc, char **argv) {
	self = argv[0];
	pthread_t t;
	if (argc < 2) {
		pthread_create(&t, NULL, execer, NULL);
		pause(); /* the exec ends this thread */
		return 1;
	}
	if (strcmp(argv[1], "1") == 0) {
		pthread_create(&t, NULL, exiter, NULL);
		pthread_join(t, NULL);
		char *next[] = {self, "2", NULL};
		execv(self, next);
		return 1;
	}
	return 5;
}
