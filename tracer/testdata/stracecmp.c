// stracecmp makes, in a fixed order and with results that do not depend on
// timing, the calls a strace user meets every day: files, directories,
// fds, pipes, terminals, sockets, signals, a thread, polling, the event
// fds, and the process's own ids and limits. The comparison test runs it
// under strace and under mmtrace and compares the lines.
//
// Usage: stracecmp DIR (an empty directory it may fill and empties again).
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/futex.h>
#include <linux/membarrier.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/capability.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/file.h>
#include <sys/inotify.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <sys/select.h>
#include <sys/sendfile.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/sysinfo.h>
#include <sys/timerfd.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <sys/utsname.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t got;
static void on_signal(int sig) { got = sig; }

static int futexword;
static int tpipe[2];

// worker makes futex calls whose results do not depend on the main
// thread (nobody waits, the word is not what it expects), then says it
// is done through a pipe.
static void *worker(void *arg) {
	(void)arg;
	syscall(SYS_futex, &futexword, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
	syscall(SYS_futex, &futexword, FUTEX_WAIT_PRIVATE, 1, NULL, NULL, 0);
	if (write(tpipe[1], "t", 1) != 1)
		_exit(20);
	return NULL;
}

static void files(void) {
	char buf[256];
	struct stat st;
	struct statx stx;

	if (!getcwd(buf, sizeof buf))
		_exit(2);
	umask(022);
	mkdir("d", 0755);
	mkdirat(AT_FDCWD, "d/sub", 0700);
	int fd = open("d/f", O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		_exit(3);
	if (write(fd, "hello, world\n", 13) != 13)
		_exit(4);
	pwrite(fd, "HELLO", 5, 0);
	pread(fd, buf, sizeof buf, 0);
	pread(fd, buf, 4, 2);
	lseek(fd, 0, SEEK_SET);
	char a[4], b[32];
	struct iovec iov[2] = {{a, sizeof a}, {b, sizeof b}};
	readv(fd, iov, 2);
	lseek(fd, -3, SEEK_END);
	struct iovec wv[2] = {{"ab", 2}, {"cdef\n", 5}};
	writev(fd, wv, 2);
	read(fd, buf, sizeof buf);
	read(-1, buf, 1);
	write(fd, NULL, 0);
	fstat(fd, &st);
	stat("d/f", &st);
	stat("d", &st);
	stat("/dev/null", &st);
	lstat("d/f", &st);
	stat("d/none", &st);
	fstatat(AT_FDCWD, "d/f", &st, AT_SYMLINK_NOFOLLOW);
	statx(AT_FDCWD, "d/f", AT_STATX_SYNC_AS_STAT, STATX_BASIC_STATS, &stx);
	statx(fd, "", AT_EMPTY_PATH, STATX_SIZE | STATX_MODE, &stx);
	access("d/f", R_OK | W_OK);
	access("d/none", F_OK);
	syscall(SYS_faccessat, AT_FDCWD, "d/f", X_OK);
	syscall(SYS_faccessat2, AT_FDCWD, "d/f", R_OK, AT_EACCESS);
	symlink("f", "d/l");
	symlinkat("f", AT_FDCWD, "d/l2");
	readlink("d/l", buf, sizeof buf);
	readlinkat(AT_FDCWD, "d/l2", buf, 1);
	readlink("d/f", buf, sizeof buf);
	link("d/f", "d/h");
	linkat(AT_FDCWD, "d/f", AT_FDCWD, "d/h2", 0);
	rename("d/h", "d/h1");
	renameat(AT_FDCWD, "d/h1", AT_FDCWD, "d/h3");
	syscall(SYS_renameat2, AT_FDCWD, "d/h3", AT_FDCWD, "d/h2", RENAME_NOREPLACE);
	chmod("d/f", 0600);
	fchmod(fd, 0644);
	fchmodat(AT_FDCWD, "d/f", 04640, 0);
	chown("d/f", 0, 0);
	fchown(fd, -1, -1);
	lchown("d/l", 0, -1);
	fchownat(AT_FDCWD, "d/f", 0, 0, AT_SYMLINK_NOFOLLOW);
	chdir("d");
	chdir("..");
	fallocate(fd, 0, 0, 8192);
	fallocate(fd, FALLOC_FL_KEEP_SIZE | FALLOC_FL_PUNCH_HOLE, 0, 4096);
	int g = open("d/g", O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	off_t off = 0;
	sendfile(g, fd, &off, 5);
	sendfile(g, fd, NULL, 3);
	loff_t in = 0, out = 100;
	copy_file_range(fd, &in, g, &out, 4, 0);
	int p[2];
	pipe(p);
	splice(fd, NULL, p[1], NULL, 6, SPLICE_F_MOVE);
	splice(p[0], NULL, g, NULL, 6, 0);
	close(p[0]);
	close(p[1]);
	truncate("d/g", 3);
	ftruncate(g, 2);
	close(g);
	struct statfs sfs;
	statfs("d/none", &sfs);
	fstatfs(-1, &sfs);
	flock(fd, LOCK_EX);
	flock(fd, LOCK_UN);
	fsync(fd);
	fdatasync(fd);
	int dfd = open("d", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	syscall(SYS_getdents64, dfd, buf, sizeof buf);
	syscall(SYS_getdents64, dfd, buf, sizeof buf);
	syscall(SYS_getdents64, dfd, (void *)0, 0);
	fchdir(dfd);
	chdir("..");
	close(dfd);
	unlink("d/l");
	unlinkat(AT_FDCWD, "d/l2", 0);
	unlink("d/h2");
	unlink("d/g");
	rmdir("d/sub");
	close(fd);
}

static void fds(void) {
	int fd = open("d/f", O_RDONLY);
	int d = dup(fd);
	dup2(d, 10);
	dup3(10, 11, O_CLOEXEC);
	dup2(-1, 12);
	fcntl(fd, F_GETFD);
	fcntl(fd, F_SETFD, FD_CLOEXEC);
	fcntl(fd, F_GETFD);
	fcntl(fd, F_GETFL);
	fcntl(fd, F_SETFL, O_NONBLOCK | O_APPEND);
	fcntl(fd, F_GETFL);
	fcntl(fd, F_DUPFD, 20);
	fcntl(fd, F_DUPFD_CLOEXEC, 30);
	struct flock fl = {.l_type = F_RDLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 10};
	fcntl(fd, F_SETLK, &fl);
	fl.l_type = F_WRLCK;
	fcntl(fd, F_GETLK, &fl);
	fcntl(fd, F_GETOWN);
	fcntl(fd, F_SETOWN, 0);
	fcntl(fd, F_GETPIPE_SZ);
	fcntl(fd, F_ADD_SEALS, F_SEAL_SEAL);
	fcntl(-1, F_GETFD);
	close(d);
	close(10);
	close(11);
	close(20);
	close(30);
	close(fd);

	int p[2];
	pipe2(p, O_CLOEXEC | O_NONBLOCK);
	write(p[1], "xyz", 3);
	int n = -1;
	ioctl(p[0], FIONREAD, &n);
	struct winsize ws;
	ioctl(p[0], TIOCGWINSZ, &ws);
	struct termios t;
	ioctl(p[0], TCGETS, &t);
	ioctl(p[0], _IOR('x', 1, int), &n);
	ioctl(p[0], FIONBIO, &n);
	struct pollfd pfd[2] = {{p[0], POLLIN, 0}, {p[1], POLLOUT, 0}};
	poll(pfd, 2, 0);
	pfd[0].events = POLLIN | POLLPRI;
	struct timespec ts = {0, 0};
	ppoll(pfd, 1, &ts, NULL);
	fd_set rs, ws2;
	FD_ZERO(&rs);
	FD_ZERO(&ws2);
	FD_SET(p[0], &rs);
	FD_SET(p[1], &ws2);
	struct timeval tv = {0, 0};
	select(p[1] + 1, &rs, &ws2, NULL, &tv);
	FD_ZERO(&rs);
	FD_SET(p[0], &rs);
	pselect(p[0] + 1, &rs, NULL, NULL, &ts, NULL);
	char buf[8];
	read(p[0], buf, sizeof buf);
	read(p[0], buf, sizeof buf);
	poll(pfd, 1, 0);

	int ep = epoll_create1(EPOLL_CLOEXEC);
	struct epoll_event ev = {.events = EPOLLIN | EPOLLET, .data.u64 = 7};
	epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev);
	ev.events = EPOLLOUT;
	ev.data.fd = p[1];
	epoll_ctl(ep, EPOLL_CTL_ADD, p[1], &ev);
	epoll_ctl(ep, EPOLL_CTL_DEL, p[1], NULL);
	struct epoll_event evs[4];
	epoll_wait(ep, evs, 4, 0);
	write(p[1], "q", 1);
	epoll_wait(ep, evs, 4, 0);
	sigset_t set;
	sigemptyset(&set);
	epoll_pwait(ep, evs, 4, 0, &set);
	close(ep);
	close(p[0]);
	close(p[1]);

	int efd = eventfd(3, EFD_CLOEXEC | EFD_NONBLOCK);
	uint64_t v = 0;
	read(efd, &v, sizeof v);
	v = 2;
	write(efd, &v, sizeof v);
	close(efd);

	int tfd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
	struct itimerspec its = {{0, 0}, {100, 0}}, old;
	timerfd_settime(tfd, 0, &its, &old);
	its.it_value.tv_sec = 0;
	timerfd_settime(tfd, 0, &its, NULL);
	timerfd_gettime(tfd, &old);
	close(tfd);

	int mfd = memfd_create("cmp", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	ftruncate(mfd, 4096);
	close(mfd);

	sigaddset(&set, SIGUSR2);
	sigprocmask(SIG_BLOCK, &set, NULL);
	int sfd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
	struct signalfd_siginfo ssi;
	read(sfd, &ssi, sizeof ssi);
	close(sfd);
	sigprocmask(SIG_UNBLOCK, &set, NULL);

	int ifd = inotify_init1(IN_CLOEXEC);
	int w = inotify_add_watch(ifd, "d", IN_CREATE | IN_DELETE | IN_ONLYDIR);
	inotify_rm_watch(ifd, w);
	close(ifd);

	int m = posix_openpt(O_RDWR | O_NOCTTY);
	if (m >= 0) {
		struct termios tt;
		ioctl(m, TCGETS, &tt);
		int lock = 0;
		ioctl(m, TIOCSPTLCK, &lock);
		int ptn;
		ioctl(m, TIOCGPTN, &ptn);
		struct winsize sz = {24, 80, 0, 0};
		ioctl(m, TIOCSWINSZ, &sz);
		ioctl(m, TIOCGWINSZ, &sz);
		ioctl(m, TCSETS, &tt);
		ioctl(m, TCSETSW, &tt);
		ioctl(m, TIOCGPGRP, &ptn);
		close(m);
	}
}

static void sockets(void) {
	int sv[2];
	socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv);
	send(sv[0], "ping", 4, 0);
	char buf[64];
	recv(sv[1], buf, sizeof buf, MSG_DONTWAIT);
	recv(sv[1], buf, sizeof buf, MSG_DONTWAIT);
	struct iovec iov = {"abc", 3};
	struct msghdr mh = {.msg_iov = &iov, .msg_iovlen = 1};
	sendmsg(sv[0], &mh, 0);
	struct iovec riov = {buf, sizeof buf};
	struct msghdr rmh = {.msg_iov = &riov, .msg_iovlen = 1};
	recvmsg(sv[1], &rmh, 0);
	shutdown(sv[0], SHUT_WR);
	close(sv[0]);
	close(sv[1]);

	int u = socket(AF_UNIX, SOCK_DGRAM, 0);
	struct sockaddr_un un = {.sun_family = AF_UNIX};
	strcpy(un.sun_path, "d/sock");
	bind(u, (struct sockaddr *)&un, sizeof un);
	struct sockaddr_un un2;
	socklen_t ul = sizeof un2;
	getsockname(u, (struct sockaddr *)&un2, &ul);
	sendto(u, "self", 4, 0, (struct sockaddr *)&un, sizeof un);
	ul = sizeof un2;
	recvfrom(u, buf, sizeof buf, 0, (struct sockaddr *)&un2, &ul);
	close(u);
	unlink("d/sock");

	int l = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
	int one = 1;
	setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	struct sockaddr_in sin = {.sin_family = AF_INET, .sin_port = 0};
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	bind(l, (struct sockaddr *)&sin, sizeof sin);
	listen(l, 4);
	socklen_t sl = sizeof sin;
	getsockname(l, (struct sockaddr *)&sin, &sl);
	int c = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	// The port is the kernel's choice: print it through a fixed one is
	// not possible, so the comparison normalises sin_port.
	connect(c, (struct sockaddr *)&sin, sizeof sin);
	struct sockaddr_in peer;
	socklen_t pl = sizeof peer;
	int a = accept4(l, (struct sockaddr *)&peer, &pl, SOCK_CLOEXEC);
	int val = 0;
	socklen_t vl = sizeof val;
	getsockopt(c, SOL_SOCKET, SO_ERROR, &val, &vl);
	getsockopt(c, SOL_SOCKET, SO_TYPE, &val, &vl);
	setsockopt(c, IPPROTO_TCP, 1 /* TCP_NODELAY */, &one, sizeof one);
	pl = sizeof peer;
	getpeername(a, (struct sockaddr *)&peer, &pl);
	sendto(a, "hi", 2, MSG_NOSIGNAL, NULL, 0);
	struct pollfd pfd = {c, POLLIN, 0};
	poll(&pfd, 1, -1);
	recvfrom(c, buf, sizeof buf, 0, NULL, NULL);
	close(a);
	close(c);
	close(l);

	int s6 = socket(AF_INET6, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (s6 >= 0) {
		struct sockaddr_in6 s = {.sin6_family = AF_INET6, .sin6_port = htons(9), .sin6_addr = IN6ADDR_LOOPBACK_INIT};
		connect(s6, (struct sockaddr *)&s, sizeof s);
		close(s6);
	}
	socket(AF_NETLINK + 100, SOCK_RAW, 0);
	connect(-1, NULL, 0);
}

static void signals(void) {
	struct sigaction sa = {0};
	sa.sa_handler = on_signal;
	sa.sa_flags = SA_RESTART;
	sigemptyset(&sa.sa_mask);
	sigaddset(&sa.sa_mask, SIGTERM);
	sigaction(SIGUSR1, &sa, NULL);
	sa.sa_handler = SIG_IGN;
	sa.sa_flags = 0;
	struct sigaction old;
	sigaction(SIGPIPE, &sa, &old);
	sigaction(SIGPIPE, NULL, &old);
	sigset_t set, oldset;
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigprocmask(SIG_BLOCK, &set, &oldset);
	kill(getpid(), SIGUSR1);
	sigprocmask(SIG_SETMASK, &oldset, NULL);
	syscall(SYS_tgkill, getpid(), syscall(SYS_gettid), SIGUSR1);
	raise(0);
	stack_t ss = {.ss_sp = malloc(65536), .ss_size = 65536, .ss_flags = 0};
	sigaltstack(&ss, NULL);
	stack_t os;
	sigaltstack(NULL, &os);
	ss.ss_flags = SS_DISABLE;
	sigaltstack(&ss, NULL);
	kill(-1234567, 0);
}

static void process(void) {
	getpid();
	getppid();
	syscall(SYS_gettid);
	getuid();
	geteuid();
	getgid();
	getegid();
	uid_t r, e, s;
	getresuid(&r, &e, &s);
	gid_t gr, ge, gs;
	getresgid(&gr, &ge, &gs);
	getpgrp();
	getpgid(0);
	getsid(0);
	struct rlimit rl;
	syscall(SYS_getrlimit, RLIMIT_NOFILE, &rl);
	syscall(SYS_setrlimit, RLIMIT_CORE, &rl);
	getrlimit(RLIMIT_STACK, &rl);
	setrlimit(RLIMIT_NOFILE, &rl);
	struct rlimit64 nr = {1024, 4096};
	prlimit64(0, RLIMIT_CORE, &nr, NULL);
	struct utsname u;
	uname(&u);
	struct sysinfo si;
	sysinfo(&si);
	umask(077);
	umask(022);
	cpu_set_t cs;
	sched_getaffinity(0, sizeof cs, &cs);
	sched_yield();
	syscall(SYS_membarrier, MEMBARRIER_CMD_QUERY, 0, 0);
	char name[16];
	prctl(PR_SET_NAME, "cmp-test");
	prctl(PR_GET_NAME, name);
	prctl(PR_GET_DUMPABLE);
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	prctl(PR_GET_PDEATHSIG, &r);
	prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
	prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0);
	prctl(PR_CAPBSET_READ, 0);
	prctl(PR_SET_VMA, 0, 0, 0, 0);
	prctl(9999);
	struct __user_cap_header_struct hdr = {_LINUX_CAPABILITY_VERSION_3, 0};
	struct __user_cap_data_struct data[2];
	syscall(SYS_capget, &hdr, data);
	unsigned char rnd[8];
	getrandom(rnd, sizeof rnd, GRND_NONBLOCK);
	struct timespec ts = {0, 1000}, rem;
	nanosleep(&ts, &rem);
	clock_nanosleep(CLOCK_MONOTONIC, 0, &ts, NULL);
	syscall(SYS_clock_gettime, CLOCK_BOOTTIME, &ts);
	syscall(SYS_clock_getres, CLOCK_REALTIME, &ts);
#ifdef SYS_arch_prctl /* x86 only */
	syscall(SYS_arch_prctl, 0x1001 /* ARCH_SET_GS */ + 0x10000, 0);
#endif
	void *m = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	madvise(m, 4096, MADV_DONTNEED);
	madvise(m, 4096, 102 /* MADV_GUARD_INSTALL */);
	madvise(m, 4096, 103 /* MADV_GUARD_REMOVE */);
	munmap(m, 8192);
	syscall(SYS_execveat, AT_FDCWD, "d/none", NULL, NULL, 0x10000 /* AT_EXECVE_CHECK */);
}

int main(int argc, char **argv) {
	if (argc != 2 || chdir(argv[1]) != 0)
		return 1;
	files();
	fds();
	sockets();
	signals();
	process();

	pipe(tpipe);
	pthread_t t;
	if (pthread_create(&t, NULL, worker, NULL) != 0)
		return 5;
	char c;
	if (read(tpipe[0], &c, 1) != 1)
		return 6;
	// Wait for the thread to end without a call whose result depends on
	// when it does: pthread_tryjoin_np only looks at the tid the kernel
	// clears.
	while (pthread_tryjoin_np(t, NULL) != 0)
		;
	unlink("d/f");
	unlink("d/h3");
	rmdir("d");
	return 0;
}
