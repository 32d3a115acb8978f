// quietgap.c: two shown calls (close of fd -1) with a quiet stretch
// between them: a nanosleep of 350 ms, which the default filter does not
// show, so that no event comes for more than three of the tracer's flush
// ticks (issue 16).
#include <time.h>
#include <unistd.h>

int main(void) {
	close(-1);
	struct timespec quiet = {0, 350000000L};
	nanosleep(&quiet, NULL);
	close(-1);
	return 0;
}
