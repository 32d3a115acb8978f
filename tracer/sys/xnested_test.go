package sys

import (
	"strings"
	"testing"
)

// TestXlatNested: the named constants inside structures follow -X, as
// strace 6.1 printed each of these lines with -X abbrev, raw and verbose
// (testdata/xnested.c of the tracer's tests, and small programs making
// the odd cases: a TCSETS with no flags and an input speed, capset with
// a high word, a link-local address, a killed child).
func TestXlatNested(t *testing.T) {
	const (
		arg, fds, ts, ev, mh, iov, b1, ctl, ca, tid, si, hdr, data, sa = 0x7ffd0000, 0x7ffd0100, 0x7ffd0200, 0x7ffd0300,
			0x7ffd0400, 0x7ffd0500, 0x7ffd0600, 0x7ffd0700, 0x7ffd0800, 0x7ffd0900, 0x7ffd0a00, 0x7ffd0b00, 0x7ffd0c00, 0x7ffd0d00
	)
	cc := []byte{0x3, 0x1c, 0x7f, 0x15, 0x4, 0, 0x1, 0, 0x11, 0x13, 0x1a, 0, 0x12, 0xf, 0x17, 0x16, 0, 0, 0}
	tios := append(append(int32s(0x500, 0x5, 0xbf, 0x8a3b), 0), cc...)
	bare := append(append(int32s(0, 0, 0x100f00bf, 0), 0), cc...)
	ccText := `c_cc=[[VINTR]=0x3, [VQUIT]=0x1c, [VERASE]=0x7f, [VKILL]=0x15, [VEOF]=0x4, [VTIME]=0, [VMIN]=0x1, [VSWTC]=0, [VSTART]=0x11, [VSTOP]=0x13, [VSUSP]=0x1a, [VEOL]=0, [VREPRINT]=0x12, [VDISCARD]=0xf, [VWERASE]=0x17, [VLNEXT]=0x16, [VEOL2]=0, [17]=0, [18]=0]`

	// A struct msghdr passing one fd, as sendmsg and recvmsg see it.
	msghdr := func(flags uint64) []byte { return words(0, 0, iov, 1, ctl, 24, flags) }
	rights := sized(24, words(20), int32s(1, 1), int32s(3))
	siginfo := sized(siginfoSize, int32s(17, 0, 2, 0, 1735, 0, 9))
	caps := func(ws ...int32) []byte { return int32s(ws...) }
	in6 := func(port byte, flow byte, addr []byte, scope byte) []byte {
		b := make([]byte, 28)
		b[0], b[3], b[7], b[24] = 10, port, flow, scope
		copy(b[8:], addr)
		return b
	}
	loopback := make([]byte, 16)
	loopback[15] = 1

	// The capabilities root has in the test's container: all but
	// CAP_SYS_RESOURCE, as strace named them.
	lo := strings.Join([]string{"1<<CAP_CHOWN", "1<<CAP_DAC_OVERRIDE", "1<<CAP_DAC_READ_SEARCH", "1<<CAP_FOWNER",
		"1<<CAP_FSETID", "1<<CAP_KILL", "1<<CAP_SETGID", "1<<CAP_SETUID", "1<<CAP_SETPCAP", "1<<CAP_LINUX_IMMUTABLE",
		"1<<CAP_NET_BIND_SERVICE", "1<<CAP_NET_BROADCAST", "1<<CAP_NET_ADMIN", "1<<CAP_NET_RAW", "1<<CAP_IPC_LOCK",
		"1<<CAP_IPC_OWNER", "1<<CAP_SYS_MODULE", "1<<CAP_SYS_RAWIO", "1<<CAP_SYS_CHROOT", "1<<CAP_SYS_PTRACE",
		"1<<CAP_SYS_PACCT", "1<<CAP_SYS_ADMIN", "1<<CAP_SYS_BOOT", "1<<CAP_SYS_NICE", "1<<CAP_SYS_TIME",
		"1<<CAP_SYS_TTY_CONFIG", "1<<CAP_MKNOD", "1<<CAP_LEASE", "1<<CAP_AUDIT_WRITE", "1<<CAP_AUDIT_CONTROL",
		"1<<CAP_SETFCAP"}, "|")
	hi := "1<<CAP_MAC_OVERRIDE|1<<CAP_MAC_ADMIN|1<<CAP_SYSLOG|1<<CAP_WAKE_ALARM|1<<CAP_BLOCK_SUSPEND|1<<CAP_AUDIT_READ|1<<CAP_PERFMON|1<<CAP_BPF|1<<CAP_CHECKPOINT_RESTORE"
	root := caps(-0x1000001, -0x1000001, 0, 0x1ff, 0x1ff, 0)

	var cases []callCase
	for _, c := range []struct {
		name, call           string
		args                 []uint64
		mem                  fakeMem
		ret                  int64
		abbrev, raw, verbose string
	}{
		{"termios", "ioctl", []uint64{3, 0x5401, arg}, fakeMem{arg: tios}, 0,
			`ioctl(3, TCGETS, {c_iflag=ICRNL|IXON, c_oflag=NL0|CR0|TAB0|BS0|VT0|FF0|OPOST|ONLCR, c_cflag=B38400|CS8|CREAD, c_lflag=ISIG|ICANON|ECHO|ECHOE|ECHOK|IEXTEN|ECHOCTL|ECHOKE, c_line=N_TTY, ` + ccText + `}) = 0`,
			`ioctl(3, 0x5401, {c_iflag=0x500, c_oflag=0|0|0|0|0|0|0x5, c_cflag=0xf|0x30|0x80, c_lflag=0x8a3b, c_line=0, ` + ccText + `}) = 0`,
			`ioctl(3, 0x5401 /* TCGETS */, {c_iflag=0x500 /* ICRNL|IXON */, c_oflag=0 /* NL0 */|0 /* CR0 */|0 /* TAB0 */|0 /* BS0 */|0 /* VT0 */|0 /* FF0 */|0x5 /* OPOST|ONLCR */, c_cflag=0xf /* B38400 */|0x30 /* CS8 */|0x80 /* CREAD */, c_lflag=0x8a3b /* ISIG|ICANON|ECHO|ECHOE|ECHOK|IEXTEN|ECHOCTL|ECHOKE */, c_line=0 /* N_TTY */, ` + ccText + `}) = 0`},
		{"termios, no flags, an input speed", "ioctl", []uint64{4, 0x5402, arg}, fakeMem{arg: bare}, 0,
			`ioctl(4, SNDCTL_TMR_START or TCSETS, {c_iflag=, c_oflag=NL0|CR0|TAB0|BS0|VT0|FF0|, c_cflag=B38400|B4000000<<IBSHIFT|CS8|CREAD, c_lflag=, c_line=N_TTY, ` + ccText + `}) = 0`,
			`ioctl(4, 0x5402, {c_iflag=, c_oflag=0|0|0|0|0|0|, c_cflag=0xf|0x100f<<0x10|0x30|0x80, c_lflag=, c_line=0, ` + ccText + `}) = 0`,
			`ioctl(4, 0x5402 /* SNDCTL_TMR_START or TCSETS */, {c_iflag=, c_oflag=0 /* NL0 */|0 /* CR0 */|0 /* TAB0 */|0 /* BS0 */|0 /* VT0 */|0 /* FF0 */|, c_cflag=0xf /* B38400 */|0x100f /* B4000000 */<<0x10 /* IBSHIFT */|0x30 /* CS8 */|0x80 /* CREAD */, c_lflag=, c_line=0 /* N_TTY */, ` + ccText + `}) = 0`},
		{"TCXONC", "ioctl", []uint64{4, 0x540a, 1}, nil, 0,
			`ioctl(4, TCXONC, TCOON) = 0`, `ioctl(4, 0x540a, 0x1) = 0`, `ioctl(4, 0x540a /* TCXONC */, 0x1 /* TCOON */) = 0`},
		{"TIOCMBIS", "ioctl", []uint64{4, 0x5416, arg}, fakeMem{arg: int32s(6)}, -25,
			`ioctl(4, TIOCMBIS, [TIOCM_DTR|TIOCM_RTS]) = -1 ENOTTY (Inappropriate ioctl for device)`,
			`ioctl(4, 0x5416, [0x6]) = -1 ENOTTY (Inappropriate ioctl for device)`,
			`ioctl(4, 0x5416 /* TIOCMBIS */, [0x6 /* TIOCM_DTR|TIOCM_RTS */]) = -1 ENOTTY (Inappropriate ioctl for device)`},
		{"poll", "poll", []uint64{fds, 2, 0}, fakeMem{fds: pollfds([3]int32{3, 3, 1}, [3]int32{4, 4, 4})}, 2,
			`poll([{fd=3, events=POLLIN|POLLPRI}, {fd=4, events=POLLOUT}], 2, 0) = 2 ([{fd=3, revents=POLLIN}, {fd=4, revents=POLLOUT}])`,
			`poll([{fd=3, events=0x3}, {fd=4, events=0x4}], 2, 0) = 2 ([{fd=3, revents=0x1}, {fd=4, revents=0x4}])`,
			`poll([{fd=3, events=0x3 /* POLLIN|POLLPRI */}, {fd=4, events=0x4 /* POLLOUT */}], 2, 0) = 2 ([{fd=3, revents=0x1 /* POLLIN */}, {fd=4, revents=0x4 /* POLLOUT */}])`},
		{"ppoll", "ppoll", []uint64{fds, 2, ts, 0, 8}, fakeMem{fds: pollfds([3]int32{3, 3, 1}, [3]int32{4, 4, 4}), ts: words(0, 0)}, 2,
			`ppoll([{fd=3, events=POLLIN|POLLPRI}, {fd=4, events=POLLOUT}], 2, {tv_sec=0, tv_nsec=0}, NULL, 8) = 2 ([{fd=3, revents=POLLIN}, {fd=4, revents=POLLOUT}], left {tv_sec=0, tv_nsec=0})`,
			`ppoll([{fd=3, events=0x3}, {fd=4, events=0x4}], 2, {tv_sec=0, tv_nsec=0}, NULL, 8) = 2 ([{fd=3, revents=0x1}, {fd=4, revents=0x4}], left {tv_sec=0, tv_nsec=0})`,
			`ppoll([{fd=3, events=0x3 /* POLLIN|POLLPRI */}, {fd=4, events=0x4 /* POLLOUT */}], 2, {tv_sec=0, tv_nsec=0}, NULL, 8) = 2 ([{fd=3, revents=0x1 /* POLLIN */}, {fd=4, revents=0x4 /* POLLOUT */}], left {tv_sec=0, tv_nsec=0})`},
		{"epoll_ctl", "epoll_ctl", []uint64{5, 1, 3, ev}, fakeMem{ev: append(int32s(-0x7fffffff), words(7)...)}, 0,
			`epoll_ctl(5, EPOLL_CTL_ADD, 3, {events=EPOLLIN|EPOLLET, data={u32=7, u64=7}}) = 0`,
			`epoll_ctl(5, 0x1, 3, {events=0x80000001, data={u32=7, u64=7}}) = 0`,
			`epoll_ctl(5, 0x1 /* EPOLL_CTL_ADD */, 3, {events=0x80000001 /* EPOLLIN|EPOLLET */, data={u32=7, u64=7}}) = 0`},
		{"epoll_wait", "epoll_wait", []uint64{5, ev, 2, 0}, fakeMem{ev: append(int32s(1), words(7)...)}, 1,
			`epoll_wait(5, [{events=EPOLLIN, data={u32=7, u64=7}}], 2, 0) = 1`,
			`epoll_wait(5, [{events=0x1, data={u32=7, u64=7}}], 2, 0) = 1`,
			`epoll_wait(5, [{events=0x1 /* EPOLLIN */, data={u32=7, u64=7}}], 2, 0) = 1`},
		{"sendmsg SCM_RIGHTS", "sendmsg", []uint64{5, mh, 0x40}, fakeMem{mh: msghdr(0), iov: words(b1, 1), b1: []byte("d"), ctl: rights}, 1,
			`sendmsg(5, {msg_name=NULL, msg_namelen=0, msg_iov=[{iov_base="d", iov_len=1}], msg_iovlen=1, msg_control=[{cmsg_len=20, cmsg_level=SOL_SOCKET, cmsg_type=SCM_RIGHTS, cmsg_data=[3]}], msg_controllen=24, msg_flags=0}, MSG_DONTWAIT) = 1`,
			`sendmsg(5, {msg_name=NULL, msg_namelen=0, msg_iov=[{iov_base="d", iov_len=1}], msg_iovlen=1, msg_control=[{cmsg_len=20, cmsg_level=0x1, cmsg_type=0x1, cmsg_data=[3]}], msg_controllen=24, msg_flags=0}, 0x40) = 1`,
			`sendmsg(5, {msg_name=NULL, msg_namelen=0, msg_iov=[{iov_base="d", iov_len=1}], msg_iovlen=1, msg_control=[{cmsg_len=20, cmsg_level=0x1 /* SOL_SOCKET */, cmsg_type=0x1 /* SCM_RIGHTS */, cmsg_data=[3]}], msg_controllen=24, msg_flags=0}, 0x40 /* MSG_DONTWAIT */) = 1`},
		{"recvmsg msg_flags", "recvmsg", []uint64{6, mh, 0x40000000}, fakeMem{mh: msghdr(0x40000000), iov: words(b1, 1), b1: []byte("d"), ctl: rights}, 1,
			`recvmsg(6, {msg_name=NULL, msg_namelen=0, msg_iov=[{iov_base="d", iov_len=1}], msg_iovlen=1, msg_control=[{cmsg_len=20, cmsg_level=SOL_SOCKET, cmsg_type=SCM_RIGHTS, cmsg_data=[3]}], msg_controllen=24, msg_flags=MSG_CMSG_CLOEXEC}, MSG_CMSG_CLOEXEC) = 1`,
			`recvmsg(6, {msg_name=NULL, msg_namelen=0, msg_iov=[{iov_base="d", iov_len=1}], msg_iovlen=1, msg_control=[{cmsg_len=20, cmsg_level=0x1, cmsg_type=0x1, cmsg_data=[3]}], msg_controllen=24, msg_flags=0x40000000}, 0x40000000) = 1`,
			`recvmsg(6, {msg_name=NULL, msg_namelen=0, msg_iov=[{iov_base="d", iov_len=1}], msg_iovlen=1, msg_control=[{cmsg_len=20, cmsg_level=0x1 /* SOL_SOCKET */, cmsg_type=0x1 /* SCM_RIGHTS */, cmsg_data=[3]}], msg_controllen=24, msg_flags=0x40000000 /* MSG_CMSG_CLOEXEC */}, 0x40000000 /* MSG_CMSG_CLOEXEC */) = 1`},
		{"clone3", "clone3", []uint64{ca, 88}, fakeMem{ca: sized(88, words(0x1000000, 0, tid, 0, 17))}, 32153,
			`clone3({flags=CLONE_CHILD_SETTID, child_tid=0x7ffd0900, exit_signal=SIGCHLD, stack=NULL, stack_size=0}, 88) = 32153`,
			`clone3({flags=0x1000000, child_tid=0x7ffd0900, exit_signal=17, stack=NULL, stack_size=0}, 88) = 32153`,
			`clone3({flags=0x1000000 /* CLONE_CHILD_SETTID */, child_tid=0x7ffd0900, exit_signal=17 /* SIGCHLD */, stack=NULL, stack_size=0}, 88) = 32153`},
		{"waitid", "waitid", []uint64{1, 1735, si, 4, 0}, fakeMem{si: siginfo}, 0,
			`waitid(P_PID, 1735, {si_signo=SIGCHLD, si_code=CLD_KILLED, si_pid=1735, si_uid=0, si_status=SIGKILL, si_utime=0, si_stime=0}, WEXITED, NULL) = 0`,
			`waitid(0x1, 1735, {si_signo=17, si_code=0x2, si_pid=1735, si_uid=0, si_status=9, si_utime=0, si_stime=0}, 0x4, NULL) = 0`,
			`waitid(0x1 /* P_PID */, 1735, {si_signo=17 /* SIGCHLD */, si_code=0x2 /* CLD_KILLED */, si_pid=1735, si_uid=0, si_status=9 /* SIGKILL */, si_utime=0, si_stime=0}, 0x4 /* WEXITED */, NULL) = 0`},
		{"PR_SET_PDEATHSIG", "prctl", []uint64{1, 15}, nil, 0,
			`prctl(PR_SET_PDEATHSIG, SIGTERM) = 0`, `prctl(0x1, 15) = 0`, `prctl(0x1 /* PR_SET_PDEATHSIG */, 15 /* SIGTERM */) = 0`},
		{"PR_SET_PDEATHSIG past the signals", "prctl", []uint64{1, 200}, nil, eINVAL,
			`prctl(PR_SET_PDEATHSIG, 200) = -1 EINVAL (Invalid argument)`, `prctl(0x1, 200) = -1 EINVAL (Invalid argument)`,
			`prctl(0x1 /* PR_SET_PDEATHSIG */, 200) = -1 EINVAL (Invalid argument)`},
		{"PR_GET_PDEATHSIG", "prctl", []uint64{2, arg}, fakeMem{arg: int32s(9)}, 0,
			`prctl(PR_GET_PDEATHSIG, [SIGKILL]) = 0`, `prctl(0x2, [9]) = 0`, `prctl(0x2 /* PR_GET_PDEATHSIG */, [9 /* SIGKILL */]) = 0`},
		{"PR_SET_DUMPABLE", "prctl", []uint64{4, 1}, nil, 0,
			`prctl(PR_SET_DUMPABLE, SUID_DUMP_USER) = 0`, `prctl(0x4, 0x1) = 0`, `prctl(0x4 /* PR_SET_DUMPABLE */, 0x1 /* SUID_DUMP_USER */) = 0`},
		{"PR_GET_DUMPABLE", "prctl", []uint64{3}, nil, 1,
			`prctl(PR_GET_DUMPABLE) = 1 (SUID_DUMP_USER)`, `prctl(0x3) = 1 (SUID_DUMP_USER)`, `prctl(0x3 /* PR_GET_DUMPABLE */) = 1 (SUID_DUMP_USER)`},
		{"PR_CAPBSET_READ", "prctl", []uint64{23, 21}, nil, 1,
			`prctl(PR_CAPBSET_READ, CAP_SYS_ADMIN) = 1`, `prctl(0x17, 0x15) = 1`, `prctl(0x17 /* PR_CAPBSET_READ */, 0x15 /* CAP_SYS_ADMIN */) = 1`},
		{"PR_CAPBSET_READ unknown", "prctl", []uint64{23, 99}, nil, eINVAL,
			`prctl(PR_CAPBSET_READ, 0x63 /* CAP_??? */) = -1 EINVAL (Invalid argument)`, `prctl(0x17, 0x63) = -1 EINVAL (Invalid argument)`,
			`prctl(0x17 /* PR_CAPBSET_READ */, 0x63 /* CAP_??? */) = -1 EINVAL (Invalid argument)`},
		{"PR_CAP_AMBIENT", "prctl", []uint64{47, 1, 5, 0, 0}, nil, 0,
			`prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_IS_SET, CAP_KILL, 0, 0) = 0`, `prctl(0x2f, 0x1, 0x5, 0, 0) = 0`,
			`prctl(0x2f /* PR_CAP_AMBIENT */, 0x1 /* PR_CAP_AMBIENT_IS_SET */, 0x5 /* CAP_KILL */, 0, 0) = 0`},
		{"PR_SET_PTRACER_ANY", "prctl", []uint64{0x59616d61, neg(-1)}, nil, eINVAL,
			`prctl(PR_SET_PTRACER, PR_SET_PTRACER_ANY) = -1 EINVAL (Invalid argument)`, `prctl(0x59616d61, -1) = -1 EINVAL (Invalid argument)`,
			`prctl(0x59616d61 /* PR_SET_PTRACER */, -1 /* PR_SET_PTRACER_ANY */) = -1 EINVAL (Invalid argument)`},
		{"PR_GET_SECUREBITS", "prctl", []uint64{27}, nil, 0x10,
			`prctl(PR_GET_SECUREBITS) = 0x10 (SECBIT_KEEP_CAPS)`, `prctl(0x1b) = 0x10`, `prctl(0x1b /* PR_GET_SECUREBITS */) = 0x10 (SECBIT_KEEP_CAPS)`},
		{"PR_SET_VMA", "prctl", []uint64{0x53564d41, 0, 0x1000, 4096, b1}, fakeMem{b1: cstr("x")}, eINVAL,
			`prctl(PR_SET_VMA, PR_SET_VMA_ANON_NAME, 0x1000, 4096, "x") = -1 EINVAL (Invalid argument)`,
			`prctl(0x53564d41, 0, 0x1000, 4096, "x") = -1 EINVAL (Invalid argument)`,
			`prctl(0x53564d41 /* PR_SET_VMA */, 0 /* PR_SET_VMA_ANON_NAME */, 0x1000, 4096, "x") = -1 EINVAL (Invalid argument)`},
		{"capget", "capget", []uint64{hdr, data}, fakeMem{hdr: int32s(0x20080522, 0), data: root}, 0,
			`capget({version=_LINUX_CAPABILITY_VERSION_3, pid=0}, {effective=` + lo + `|` + hi + `, permitted=` + lo + `|` + hi + `, inheritable=0}) = 0`,
			`capget({version=0x20080522, pid=0}, {effective=0xfeffffff|0x1ff, permitted=0xfeffffff|0x1ff, inheritable=0}) = 0`,
			`capget({version=0x20080522 /* _LINUX_CAPABILITY_VERSION_3 */, pid=0}, {effective=0xfeffffff /* ` + lo + ` */|0x1ff /* ` + hi + ` */, permitted=0xfeffffff /* ` + lo + ` */|0x1ff /* ` + hi + ` */, inheritable=0}) = 0`},
		{"capset, high words", "capset", []uint64{hdr, data}, fakeMem{hdr: int32s(0x20080522, 0), data: caps(0, 0x20, 0, 1, 1, 0x800)}, 0,
			`capset({version=_LINUX_CAPABILITY_VERSION_3, pid=0}, {effective=1<<CAP_MAC_OVERRIDE, permitted=1<<CAP_KILL|1<<CAP_MAC_OVERRIDE, inheritable=0x800 /* CAP_??? */}) = 0`,
			`capset({version=0x20080522, pid=0}, {effective=0x1, permitted=0x20|0x1, inheritable=0x800}) = 0`,
			`capset({version=0x20080522 /* _LINUX_CAPABILITY_VERSION_3 */, pid=0}, {effective=0x1 /* 1<<CAP_MAC_OVERRIDE */, permitted=0x20 /* 1<<CAP_KILL */|0x1 /* 1<<CAP_MAC_OVERRIDE */, inheritable=0x800 /* CAP_??? */}) = 0`},
		{"capget, an unknown version", "capget", []uint64{hdr, data}, fakeMem{hdr: int32s(0x12345, 0)}, eINVAL,
			`capget({version=0x12345 /* _LINUX_CAPABILITY_VERSION_??? */, pid=0}, 0x7ffd0c00) = -1 EINVAL (Invalid argument)`,
			`capget({version=0x12345, pid=0}, 0x7ffd0c00) = -1 EINVAL (Invalid argument)`,
			`capget({version=0x12345 /* _LINUX_CAPABILITY_VERSION_??? */, pid=0}, 0x7ffd0c00) = -1 EINVAL (Invalid argument)`},
		{"AF_INET6", "connect", []uint64{3, sa, 28}, fakeMem{sa: in6(9, 0, loopback, 0)}, 0,
			`connect(3, {sa_family=AF_INET6, sin6_port=htons(9), sin6_flowinfo=htonl(0), inet_pton(AF_INET6, "::1", &sin6_addr), sin6_scope_id=0}, 28) = 0`,
			`connect(3, {sa_family=0xa, sin6_port="\x00\x09", sin6_flowinfo="\x00\x00\x00\x00", sin6_addr="\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x01", sin6_scope_id=0}, 28) = 0`,
			`connect(3, {sa_family=0xa /* AF_INET6 */, sin6_port="\x00\x09" /* htons(9) */, sin6_flowinfo="\x00\x00\x00\x00" /* htonl(0) */, sin6_addr="\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x01" /* inet_pton(AF_INET6, "::1") */, sin6_scope_id=0}, 28) = 0`},
		{"AF_INET6 without the scope", "connect", []uint64{3, sa, 24}, fakeMem{sa: in6(9, 5, append(make([]byte, 10), 0xff, 0xff, 0x7f, 0, 0, 1), 0)[:24]}, 0,
			`connect(3, {sa_family=AF_INET6, sin6_port=htons(9), sin6_flowinfo=htonl(5), inet_pton(AF_INET6, "::ffff:127.0.0.1", &sin6_addr)}, 24) = 0`,
			`connect(3, {sa_family=0xa, sin6_port="\x00\x09", sin6_flowinfo="\x00\x00\x00\x05", sin6_addr="\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\xff\xff\x7f\x00\x00\x01"}, 24) = 0`,
			`connect(3, {sa_family=0xa /* AF_INET6 */, sin6_port="\x00\x09" /* htons(9) */, sin6_flowinfo="\x00\x00\x00\x05" /* htonl(5) */, sin6_addr="\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\xff\xff\x7f\x00\x00\x01" /* inet_pton(AF_INET6, "::ffff:127.0.0.1") */}, 24) = 0`},
		{"AF_NETLINK", "bind", []uint64{3, sa, 12}, fakeMem{sa: append(u16s(16, 0), int32s(0, 1)...)}, 0,
			`bind(3, {sa_family=AF_NETLINK, nl_pid=0, nl_groups=0x000001}, 12) = 0`,
			`bind(3, {sa_family=0x10, nl_pid=0, nl_groups=0x000001}, 12) = 0`,
			`bind(3, {sa_family=0x10 /* AF_NETLINK */, nl_pid=0, nl_groups=0x000001}, 12) = 0`},
	} {
		for _, x := range []struct {
			x    Xlat
			want string
		}{{XlatAbbrev, c.abbrev}, {XlatRaw, c.raw}, {XlatVerbose, c.verbose}} {
			cases = append(cases, callCase{name: c.name + " " + XlatStyles[x.x], call: c.call, args: c.args,
				mem: c.mem, ret: c.ret, xlat: x.x, verbose: true, want: x.want})
		}
	}
	runCallCases(t, cases)
}

// dirent lays out one old struct linux_dirent of reclen bytes: the name,
// its NUL, and d_type in the last byte.
func dirent(ino, off uint64, reclen uint16, typ byte, name string) []byte {
	b := make([]byte, reclen)
	le.PutUint64(b, ino)
	le.PutUint64(b[8:], off)
	le.PutUint16(b[16:], reclen)
	copy(b[direntHeader:], name)
	b[reclen-1] = typ
	return b
}

// TestVerboseGetdents: with -v, the old getdents prints its entries as
// strace 6.1 -v printed them (x86_64 only has the call): d_name, then
// d_type, the entry's last byte, in the -X style.
func TestVerboseGetdents(t *testing.T) {
	const buf = 0x7ffc7cb317c0
	long := "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"
	two := append(dirent(10264979, 2232908316014189079, 72, 8, long), dirent(10264949, 5458696195717123220, 24, 4, ".")...)
	entries := func(t1, t2 string) string {
		return `getdents(3, [{d_ino=10264979, d_off=2232908316014189079, d_reclen=72, d_name="` + long + `", d_type=` + t1 +
			`}, {d_ino=10264949, d_off=5458696195717123220, d_reclen=24, d_name=".", d_type=` + t2 + `}], 4096) = 96`
	}
	runCallCases(t, []callCase{
		{name: "two entries", call: "getdents", args: []uint64{3, buf, 4096}, mem: fakeMem{buf: two}, ret: 96, verbose: true,
			want: entries("DT_REG", "DT_DIR")},
		{name: "two entries, -X raw", call: "getdents", args: []uint64{3, buf, 4096}, mem: fakeMem{buf: two}, ret: 96, verbose: true, xlat: XlatRaw,
			want: entries("0x8", "0x4")},
		{name: "two entries, -X verbose", call: "getdents", args: []uint64{3, buf, 4096}, mem: fakeMem{buf: two}, ret: 96, verbose: true, xlat: XlatVerbose,
			want: entries("0x8 /* DT_REG */", "0x4 /* DT_DIR */")},
		{name: "not verbose", call: "getdents", args: []uint64{3, buf, 4096}, mem: fakeMem{buf: two}, ret: 96,
			want: `getdents(3, 0x7ffc7cb317c0 /* 2 entries */, 4096) = 96`},
		{name: "none", call: "getdents", args: []uint64{3, 0xdeadbeef, 4096}, ret: 0, verbose: true,
			want: `getdents(3, [], 4096) = 0`},
		{name: "failed", call: "getdents", args: []uint64{3, buf, 40}, ret: eINVAL, verbose: true,
			want: `getdents(3, 0x7ffc7cb317c0, 40) = -1 EINVAL (Invalid argument)`},
	})
}
