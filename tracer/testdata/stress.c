/* Many short-lived processes of several threads each: issue 10's load,
 * under which a new thread's exit is often reported before its creator's
 * clone event. Usage: stress [PROCS [THREADS [AT_ONCE [wait]]]], by
 * default 1,000 processes of 4 threads (the leader and 3 it creates), 8 at
 * once; with "wait", it first reads a byte from stdin (time to attach).
 * Every process joins its threads and exits 0; the root exits 0 when every
 * child did, 1 otherwise. */
#include <pthread.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

static void *run(void *arg) {
	(void)arg;
	return NULL; /* a thread that ends at once */
}

static int child(int threads) {
	pthread_t t[64];
	int n = threads - 1;
	if (n > 64)
		n = 64;
	for (int i = 0; i < n; i++)
		if (pthread_create(&t[i], NULL, run, NULL) != 0)
			return 2;
	for (int i = 0; i < n; i++)
		pthread_join(t[i], NULL);
	return 0;
}

int main(int argc, char **argv) {
	int procs = argc > 1 ? atoi(argv[1]) : 1000;
	int threads = argc > 2 ? atoi(argv[2]) : 4;
	int atOnce = argc > 3 ? atoi(argv[3]) : 8;
	int running = 0, failed = 0, status;
	char go;
	if (argc > 4 && read(0, &go, 1) != 1)
		return 4;
	for (int i = 0; i < procs; i++) {
		if (running == atOnce) {
			if (wait(&status) > 0 && !(WIFEXITED(status) && WEXITSTATUS(status) == 0))
				failed++;
			running--;
		}
		pid_t pid = fork();
		if (pid < 0)
			return 3;
		if (pid == 0)
			_exit(child(threads));
		running++;
	}
	while (wait(&status) > 0)
		if (!(WIFEXITED(status) && WEXITSTATUS(status) == 0))
			failed++;
	return failed ? 1 : 0;
}
