/* A thread that is not the leader calls execve: the kernel gives it the
 * leader's tid and the old leader vanishes. The new program exits 5. */
#include <pthread.h>
#include <unistd.h>

static void *run(void *arg) {
	(void)arg;
	char *argv[] = {"sh", "-c", "exit 5", NULL};
	execv("/bin/sh", argv);
	return NULL;
}

int main(void) {
	pthread_t t;
	pthread_create(&t, NULL, run, NULL);
	pause(); /* the leader waits; the exec ends it */
	return 1;
}
