/* 100,000 shown calls: 50,000 times a page mapped and unmapped, each
   a change to the address space, none of them a repeat to fold. */
#include <sys/mman.h>
int main(void) {
	for (int i = 0; i < 50000; i++) {
		char *p = mmap(0, 4096 * (1 + i % 4), PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p == MAP_FAILED)
			return 1;
		munmap(p, 4096 * (1 + i % 4));
	}
	return 0;
}
