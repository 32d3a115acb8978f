/* warm: touch N MiB of fresh memory in 2 MiB huge pages, then free it.
 *
 *   warm N
 *
 * bench/run.sh runs it before each contender of the copy group. In a VM
 * that reports free memory to its host (virtio-balloon free page
 * reporting), memory freed more than a second or two before has been
 * handed back, and the next first touch of it costs a fault in the host:
 * zero-filling 1 GiB of a copy's page cache took 1-3 s of CPU time
 * instead of about 0.1 s. Which contender met such memory depended on
 * what ran before it and for how long, not on the contender (measured:
 * the copy run right after cp, as faults-1 is in 4 rounds of 5, found it
 * cold more often than the one after another copy). Freeing N MiB of
 * touched 2 MiB pages just before each contender gives every one the same
 * start: warm free memory, as on a machine without reporting.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

int main(int argc, char **argv) {
	if (argc != 2 || atol(argv[1]) <= 0) {
		fprintf(stderr, "usage: warm MIB\n");
		return 2;
	}
	size_t n = (size_t)atol(argv[1]) << 20;
	char *p = mmap(NULL, n, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED) {
		perror("warm: mmap");
		return 1;
	}
	madvise(p, n, MADV_HUGEPAGE); /* best effort: small pages warm too */
	memset(p, 1, n);
	munmap(p, n);
	return 0;
}
