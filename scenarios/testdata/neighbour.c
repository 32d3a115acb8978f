/* neighbour.c places a writable mapping one page past a 4-byte mapping of
   a 4-byte file, stores there through the small one, and munmaps it: the
   store lands in the neighbour (TestMythsOOBNeighbour). */
#include <stdio.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/stat.h>
int main(int argc, char **argv) {
	long page = sysconf(_SC_PAGESIZE);
	int fd = open(argv[1], O_CREAT|O_RDWR|O_TRUNC, 0644);
	if (fd < 0 || ftruncate(fd, 4) != 0) return 2;
	/* Two pages of anonymous memory; the file's page over the first. */
	char *r = mmap(NULL, 2*page, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0);
	if (r == MAP_FAILED) return 3;
	char *p = mmap(r, 4, PROT_READ|PROT_WRITE, MAP_SHARED|MAP_FIXED, fd, 0);
	if (p != r) return 4;
	p[page] = 'X'; /* one page past the 4-byte mapping: the neighbour */
	int u = munmap(p, 4);
	struct stat st;
	fstat(fd, &st);
	printf("neighbour holds %c; munmap %d; file %ld bytes\n", r[page], u, (long)st.st_size);
	return 0;
}
