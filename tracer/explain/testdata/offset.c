/* offset.c maps a file at offset 1000 with glibc's mmap(), then at a page:
   it exits 0 if the first failed with EINVAL and the second worked. */
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/mman.h>
int main(int argc, char **argv) {
	int fd = open(argv[1], O_CREAT|O_RDWR|O_TRUNC, 0644);
	if (fd < 0 || ftruncate(fd, 8192) != 0) return 4;
	void *p = mmap(NULL, 4, PROT_READ|PROT_WRITE, MAP_SHARED, fd, 1000);
	if (p != MAP_FAILED) return 1;
	if (errno != EINVAL) return 2;
	p = mmap(NULL, 4, PROT_READ|PROT_WRITE, MAP_SHARED, fd, 4096);
	return p == MAP_FAILED ? 3 : 0;
}
