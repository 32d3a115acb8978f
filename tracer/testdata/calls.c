/* A syscall-heavy program for the tracer's benchmarks: N getppid() calls
 * (not in the default set), then M close(-1) calls (in it; they fail with
 * EBADF). Usage: calls N M */
#include <stdlib.h>
#include <unistd.h>

int main(int argc, char **argv) {
	long n = argc > 1 ? atol(argv[1]) : 1000;
	long m = argc > 2 ? atol(argv[2]) : 0;
	for (long i = 0; i < n; i++)
		getppid();
	for (long i = 0; i < m; i++)
		close(-1);
	return 0;
}
