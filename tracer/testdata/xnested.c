// xnested.c: the calls whose structures hold named constants that
// strace's -X changes, for TestStraceFlags: a terminal's termios (a pty
// of its own), poll and ppoll's events, epoll_event, a socketpair passing
// an fd with SCM_RIGHTS, clone3's clone_args, waitid's siginfo, prctl's
// options and values, capget's header and sets, an AF_INET6 and a
// netlink address, and statx's flags with a zero sync type (strace 6.1
// -X raw prints them "|0x100"). Usage: xnested DIR (DIR exists, empty).
#define _GNU_SOURCE
#include <fcntl.h>
#include <linux/capability.h>
#include <linux/netlink.h>
#include <linux/sched.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

int main(int argc, char **argv) {
	if (argc < 2 || chdir(argv[1]) != 0)
		return 2;

	// A pty of its own: its termios is the kernel's default, the same
	// wherever the test runs.
	int m = open("/dev/ptmx", O_RDWR | O_NOCTTY);
	if (m >= 0) {
		int unlock = 0;
		ioctl(m, TIOCSPTLCK, &unlock);
		struct termios t;
		ioctl(m, TCGETS, &t);
		close(m);
	}

	int p[2];
	if (pipe(p) != 0 || write(p[1], "x", 1) != 1)
		return 1;
	struct pollfd pfd[2] = {{.fd = p[0], .events = POLLIN | POLLPRI}, {.fd = p[1], .events = POLLOUT}};
	poll(pfd, 2, 0);
	struct timespec ts = {0, 0};
	ppoll(pfd, 2, &ts, NULL);

	int ep = epoll_create1(EPOLL_CLOEXEC);
	struct epoll_event ev = {.events = EPOLLIN | EPOLLET, .data.u64 = 7};
	epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev);
	struct epoll_event got[2];
	epoll_wait(ep, got, 2, 0);
	close(ep);

	int sv[2];
	if (socketpair(AF_UNIX, SOCK_DGRAM, 0, sv) != 0)
		return 1;
	char data = 'd';
	struct iovec iov = {&data, 1};
	union {
		struct cmsghdr h;
		char buf[CMSG_SPACE(sizeof(int))];
	} c;
	memset(&c, 0, sizeof c);
	struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = c.buf, .msg_controllen = sizeof c.buf};
	struct cmsghdr *cm = CMSG_FIRSTHDR(&msg);
	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cm), &p[0], sizeof(int));
	sendmsg(sv[0], &msg, MSG_DONTWAIT);
	memset(&c, 0, sizeof c);
	msg.msg_controllen = sizeof c.buf;
	recvmsg(sv[1], &msg, MSG_CMSG_CLOEXEC);
	close(sv[0]);
	close(sv[1]);
	close(p[0]);
	close(p[1]);

	struct clone_args ca;
	memset(&ca, 0, sizeof ca);
	ca.flags = CLONE_CHILD_SETTID;
	ca.exit_signal = SIGCHLD;
	pid_t tid = 0;
	ca.child_tid = (unsigned long)&tid;
	long pid = syscall(SYS_clone3, &ca, sizeof ca);
	if (pid == 0)
		_exit(3);
	siginfo_t si;
	waitid(P_PID, pid, &si, WEXITED);

	prctl(PR_SET_NAME, "xnested");
	prctl(PR_GET_DUMPABLE);
	prctl(PR_SET_PDEATHSIG, SIGTERM);
	prctl(PR_CAPBSET_READ, CAP_SYS_ADMIN);
	prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);

	struct __user_cap_header_struct hdr = {_LINUX_CAPABILITY_VERSION_3, 0};
	struct __user_cap_data_struct cd[2];
	syscall(SYS_capget, &hdr, cd);

	int s6 = socket(AF_INET6, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	struct sockaddr_in6 a6 = {.sin6_family = AF_INET6, .sin6_port = htons(9), .sin6_addr = IN6ADDR_LOOPBACK_INIT};
	connect(s6, (struct sockaddr *)&a6, sizeof a6);
	close(s6);

	int nl = socket(AF_NETLINK, SOCK_RAW, NETLINK_ROUTE);
	struct sockaddr_nl an = {.nl_family = AF_NETLINK, .nl_groups = 1};
	bind(nl, (struct sockaddr *)&an, sizeof an);
	close(nl);

	struct statx sx;
	statx(AT_FDCWD, ".", AT_SYMLINK_NOFOLLOW, STATX_TYPE, &sx);
	return 0;
}
