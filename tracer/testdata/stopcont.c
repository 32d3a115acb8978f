/* Stops itself with SIGSTOP (a group-stop), then, once continued, maps a
 * page and exits 6. */
#include <signal.h>
#include <sys/mman.h>
#include <unistd.h>

int main(void) {
	raise(SIGSTOP);
	mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	return 6;
}
