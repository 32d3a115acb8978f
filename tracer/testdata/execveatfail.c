/* A program whose own execveat fails (the path does not exist): it goes on
 * and exits 0. Its tracer must not take the failure for its own start's. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(void) {
	char *argv[] = {"nothing", NULL};
	char *envp[] = {NULL};
	syscall(SYS_execveat, AT_FDCWD, "/nonexistent/mmtrace-test", argv, envp, 0);
	return 0;
}
