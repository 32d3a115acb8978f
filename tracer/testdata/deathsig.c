/* deathsig: exits with the death signal it was started with
 * (PR_GET_PDEATHSIG): 0 when nothing set one, as untraced. */
#include <sys/prctl.h>

int main(void) {
	int sig = -1;
	if (prctl(PR_GET_PDEATHSIG, &sig) != 0)
		return 100;
	return sig;
}
