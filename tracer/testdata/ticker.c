/* A long-running program to attach to: every 10 ms it maps and unmaps a
 * page and writes a line to stdout, until killed. */
#include <stdio.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

int main(void) {
	struct timespec ts = {0, 10 * 1000 * 1000};
	setvbuf(stdout, NULL, _IOLBF, 0);
	for (long i = 0;; i++) {
		void *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		munmap(p, 4096);
		printf("tick %ld\n", i);
		nanosleep(&ts, NULL);
	}
}
