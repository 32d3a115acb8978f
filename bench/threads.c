/* threads [N [ITER]]: start N threads (default 64) that each make ITER
 * small calls (default 2000: getppid and a 1-byte write to /dev/null),
 * then join them. A parallel workload for bench/run.sh: the threads run
 * at once, and only thread creation and exit are the lesson's calls. */
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static int iters = 2000;
static int devnull;

static void *work(void *arg) {
	(void)arg;
	char c = 0;
	for (int i = 0; i < iters; i++) {
		getppid();
		if (write(devnull, &c, 1) != 1)
			return (void *)1;
	}
	return NULL;
}

int main(int argc, char **argv) {
	int n = argc > 1 ? atoi(argv[1]) : 64;
	if (argc > 2)
		iters = atoi(argv[2]);
	devnull = open("/dev/null", O_WRONLY);
	if (devnull < 0) {
		perror("threads: /dev/null");
		return 1;
	}
	pthread_t *t = calloc(n, sizeof *t);
	for (int i = 0; i < n; i++) {
		int err = pthread_create(&t[i], NULL, work, NULL);
		if (err != 0) {
			fprintf(stderr, "threads: pthread_create: error %d\n", err);
			return 1;
		}
	}
	int failed = 0;
	for (int i = 0; i < n; i++) {
		void *ret;
		pthread_join(t[i], &ret);
		failed |= ret != NULL;
	}
	return failed;
}
