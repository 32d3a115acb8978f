/* unlinked: munmap can lose data. open, ftruncate, mmap, close, store,
 * unlink, munmap: after unlink the mapping is the file's last reference,
 * and the munmap frees the file and the stored bytes with it. inotify
 * tells when: IN_ATTRIB when unlink drops the link count, IN_DELETE_SELF
 * only when the inode itself goes (the watch does not keep it). */
#include "facts.h"
#include <sys/inotify.h>

/* events reads what inotify has queued, without waiting, as a bit set. */
static uint32_t events(int in)
{
	char buf[4096] __attribute__((aligned(8)));
	uint32_t mask = 0;
	ssize_t n;
	while ((n = read(in, buf, sizeof buf)) > 0)
		for (char *q = buf; q < buf + n;) {
			struct inotify_event *ev = (struct inotify_event *)q;
			mask |= ev->mask;
			q += sizeof *ev + ev->len;
		}
	return mask;
}

int main(int argc, char **argv)
{
	char path[4096];
	long page = sysconf(_SC_PAGESIZE);
	snprintf(path, sizeof path, "%s/gone.txt", argv[1]);
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (fd < 0 || ftruncate(fd, 4 * page) != 0)
		die("gone.txt");
	int in = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	if (in < 0 || inotify_add_watch(in, path, IN_ATTRIB | IN_DELETE_SELF) < 0)
		die("inotify");
	char *p = mmap(NULL, 4 * page, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED)
		die("mmap");
	close(fd);
	memset(p, 'z', 4 * page);
	events(in);
	if (unlink(path) != 0)
		die("unlink");
	uint32_t e = events(in);
	fact("unlink_dropped_link=%d", !!(e & IN_ATTRIB));
	fact("unlink_freed_file=%d", !!(e & IN_DELETE_SELF));
	munmap(p, 4 * page);
	e = events(in);
	fact("munmap_freed_file=%d", !!(e & IN_DELETE_SELF));
	snprintf(path, sizeof path, "%s/facts", argv[1]);
	facts_write(path);
	return 0;
}
