/* Creates short-lived threads without end, several at a time, until
 * killed: a process whose thread list changes while a tracer attaches. */
#include <pthread.h>

static void *run(void *arg) {
	return arg;
}

int main(void) {
	pthread_t t[4];
	for (;;) {
		for (int i = 0; i < 4; i++)
			pthread_create(&t[i], 0, run, 0);
		for (int i = 0; i < 4; i++)
			pthread_join(t[i], 0);
	}
}
