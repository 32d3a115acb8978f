package sys

import "testing"

// flockBytes lays out a struct flock of a 64-bit ABI.
func flockBytes(typ, whence uint16, start, length int64, pid int32) []byte {
	b := make([]byte, flockSize)
	le.PutUint16(b[0:], typ)
	le.PutUint16(b[2:], whence)
	le.PutUint64(b[8:], uint64(start))
	le.PutUint64(b[16:], uint64(length))
	le.PutUint32(b[24:], uint32(pid))
	return b
}

func TestDecodeFcntl(t *testing.T) {
	const fl = 0x7ffd31bddf50
	runCallCases(t, []callCase{
		{name: "getfd zero", call: "fcntl", args: []uint64{3, 1}, want: `fcntl(3, F_GETFD) = 0`},
		{name: "getfd cloexec", call: "fcntl", args: []uint64{3, 1}, ret: 1, want: `fcntl(3, F_GETFD) = 0x1 (flags FD_CLOEXEC)`},
		{name: "setfd", call: "fcntl", args: []uint64{3, 2, 1}, want: `fcntl(3, F_SETFD, FD_CLOEXEC) = 0`},
		{name: "setfd unknown", call: "fcntl", args: []uint64{99, 2, 5}, ret: eBADF,
			want: `fcntl(99, F_SETFD, FD_CLOEXEC|0x4) = -1 EBADF (Bad file descriptor)`},
		{name: "setfd zero", call: "fcntl", args: []uint64{99, 2, 0}, ret: eBADF,
			want: `fcntl(99, F_SETFD, 0) = -1 EBADF (Bad file descriptor)`},
		{name: "getfl", call: "fcntl", args: []uint64{3, 3}, ret: 0x8002, want: `fcntl(3, F_GETFL) = 0x8002 (flags O_RDWR|O_LARGEFILE)`},
		{name: "getfl rdonly", call: "fcntl", args: []uint64{3, 3}, ret: 0x8c00,
			want: `fcntl(3, F_GETFL) = 0x8c00 (flags O_RDONLY|O_APPEND|O_NONBLOCK|O_LARGEFILE)`},
		{name: "setfl", call: "fcntl", args: []uint64{3, 4, 0xc00}, want: `fcntl(3, F_SETFL, O_RDONLY|O_APPEND|O_NONBLOCK) = 0`},
		{name: "setfl every bit", call: "fcntl", args: []uint64{99, 4, 0xffffffff}, ret: eBADF,
			want: `fcntl(99, F_SETFL, O_ACCMODE|O_CREAT|O_EXCL|O_NOCTTY|O_TRUNC|O_APPEND|O_NONBLOCK|O_SYNC|O_DIRECT|O_LARGEFILE|O_NOFOLLOW|O_NOATIME|O_CLOEXEC|O_PATH|O_TMPFILE|FASYNC|0xff80003c) = -1 EBADF (Bad file descriptor)`},
		{name: "dupfd", call: "fcntl", args: []uint64{3, 0, 20}, ret: 20, want: `fcntl(3, F_DUPFD, 20) = 20`},
		{name: "dupfd cloexec", call: "fcntl", args: []uint64{3, 1030, 30}, ret: 30, want: `fcntl(3, F_DUPFD_CLOEXEC, 30) = 30`},
		{name: "setlk", call: "fcntl", args: []uint64{3, 6, fl}, mem: fakeMem{fl: flockBytes(0, 0, 0, 10, 0)},
			want: `fcntl(3, F_SETLK, {l_type=F_RDLCK, l_whence=SEEK_SET, l_start=0, l_len=10}) = 0`},
		{name: "getlk", call: "fcntl", args: []uint64{3, 5, fl}, mem: fakeMem{fl: flockBytes(1, 0, 0, 10, 0)},
			after: fakeMem{fl: flockBytes(2, 0, 0, 10, 0)},
			want:  `fcntl(3, F_GETLK, {l_type=F_UNLCK, l_whence=SEEK_SET, l_start=0, l_len=10, l_pid=0}) = 0`},
		{name: "getlk failed", call: "fcntl", args: []uint64{99, 5, fl}, mem: fakeMem{fl: flockBytes(1, 0, 0, 10, 0)}, ret: eBADF,
			want: `fcntl(99, F_GETLK, 0x7ffd31bddf50) = -1 EBADF (Bad file descriptor)`},
		{name: "setlk bad", call: "fcntl", args: []uint64{99, 6, bad}, ret: eBADF,
			want: `fcntl(99, F_SETLK, 0xdeadbeef) = -1 EBADF (Bad file descriptor)`},
		{name: "setlk null", call: "fcntl", args: []uint64{99, 6, 0}, ret: eBADF,
			want: `fcntl(99, F_SETLK, NULL) = -1 EBADF (Bad file descriptor)`},
		{name: "setlkw unknown type", call: "fcntl", args: []uint64{99, 7, fl}, mem: fakeMem{fl: flockBytes(5, 0, 3735928559, 1, 0)}, ret: eBADF,
			want: `fcntl(99, F_SETLKW, {l_type=0x5 /* F_??? */, l_whence=SEEK_SET, l_start=3735928559, l_len=1}) = -1 EBADF (Bad file descriptor)`},
		{name: "ofd setlk", call: "fcntl", args: []uint64{99, 37, fl}, mem: fakeMem{fl: flockBytes(5, 0, 3735928559, 1, 0)}, ret: eBADF,
			want: `fcntl(99, F_OFD_SETLK, {l_type=0x5 /* F_??? */, l_whence=SEEK_SET, l_start=3735928559, l_len=1}) = -1 EBADF (Bad file descriptor)`},
		{name: "setown", call: "fcntl", args: []uint64{3, 8, 0xfffffffb}, want: `fcntl(3, F_SETOWN, -5) = 0`},
		{name: "getown", call: "fcntl", args: []uint64{3, 9}, want: `fcntl(3, F_GETOWN) = 0`},
		{name: "getown_ex", call: "fcntl", args: []uint64{3, 16, fl}, mem: fakeMem{fl: int32s(0, 0)},
			want: `fcntl(3, F_GETOWN_EX, {type=F_OWNER_TID, pid=0}) = 0`},
		{name: "getown_ex failed", call: "fcntl", args: []uint64{99, 16, fl}, mem: fakeMem{fl: int32s(0, 0)}, ret: eBADF,
			want: `fcntl(99, F_GETOWN_EX, 0x7ffd31bddf50) = -1 EBADF (Bad file descriptor)`},
		{name: "setown_ex unknown", call: "fcntl", args: []uint64{99, 15, fl}, mem: fakeMem{fl: int32s(5, 0)}, ret: eBADF,
			want: `fcntl(99, F_SETOWN_EX, {type=0x5 /* F_OWNER_??? */, pid=0}) = -1 EBADF (Bad file descriptor)`},
		{name: "setsig", call: "fcntl", args: []uint64{3, 10, 10}, want: `fcntl(3, F_SETSIG, SIGUSR1) = 0`},
		{name: "getsig", call: "fcntl", args: []uint64{3, 11}, ret: 10, want: `fcntl(3, F_GETSIG) = 10 (SIGUSR1)`},
		{name: "getsig zero", call: "fcntl", args: []uint64{3, 11}, want: `fcntl(3, F_GETSIG) = 0`},
		{name: "setlease", call: "fcntl", args: []uint64{99, 1024, 1}, ret: eBADF,
			want: `fcntl(99, F_SETLEASE, F_WRLCK) = -1 EBADF (Bad file descriptor)`},
		{name: "getlease", call: "fcntl", args: []uint64{3, 1025}, ret: 2, want: `fcntl(3, F_GETLEASE) = 0x2 (F_UNLCK)`},
		{name: "notify", call: "fcntl", args: []uint64{99, 1026, 0x8000000f}, ret: eBADF,
			want: `fcntl(99, F_NOTIFY, DN_ACCESS|DN_MODIFY|DN_CREATE|DN_DELETE|DN_MULTISHOT) = -1 EBADF (Bad file descriptor)`},
		{name: "pipe size", call: "fcntl", args: []uint64{5, 1031, 8192}, ret: 8192, want: `fcntl(5, F_SETPIPE_SZ, 8192) = 8192`},
		{name: "get pipe size", call: "fcntl", args: []uint64{5, 1032}, ret: 65536, want: `fcntl(5, F_GETPIPE_SZ) = 65536`},
		{name: "add seals", call: "fcntl", args: []uint64{99, 1033, 0xff}, ret: eBADF,
			want: `fcntl(99, F_ADD_SEALS, F_SEAL_SEAL|F_SEAL_SHRINK|F_SEAL_GROW|F_SEAL_WRITE|F_SEAL_FUTURE_WRITE|0xe0) = -1 EBADF (Bad file descriptor)`},
		{name: "get seals", call: "fcntl", args: []uint64{4, 1034}, ret: 3, want: `fcntl(4, F_GET_SEALS) = 0x3 (seals F_SEAL_SEAL|F_SEAL_SHRINK)`},
		{name: "get no seals", call: "fcntl", args: []uint64{4, 1034}, want: `fcntl(4, F_GET_SEALS) = 0`},
		{name: "unknown command", call: "fcntl", args: []uint64{99, 0xff, 0x1234}, ret: eBADF,
			want: `fcntl(99, 0xff /* F_??? */, 0x1234) = -1 EBADF (Bad file descriptor)`},
		// F_DUPFD_QUERY is newer than strace 6.1.
		{name: "newer command", call: "fcntl", args: []uint64{99, 1027, 1}, ret: eBADF,
			want: `fcntl(99, 0x403 /* F_??? */, 0x1) = -1 EBADF (Bad file descriptor)`},
		{name: "cancellk", call: "fcntl", args: []uint64{99, 1029, 0xffffffffffffff80}, ret: eBADF,
			want: `fcntl(99, F_CANCELLK, 0xffffffffffffff80) = -1 EBADF (Bad file descriptor)`},
		{name: "getlk64", call: "fcntl", args: []uint64{99, 12, fl}, ret: eBADF,
			want: `fcntl(99, F_GETLK64, 0x7ffd31bddf50) = -1 EBADF (Bad file descriptor)`},
		{name: "negative fd", call: "fcntl", args: []uint64{0xffffffff, 1}, ret: eBADF,
			want: `fcntl(-1, F_GETFD) = -1 EBADF (Bad file descriptor)`},
		// Not from strace: aarch64's open flags in F_GETFL's answer.
		{name: "arm64 getfl", arch: ARM64, call: "fcntl", args: []uint64{3, 3}, ret: 0x20002,
			want: `fcntl(3, F_GETFL) = 0x20002 (flags O_RDWR|O_LARGEFILE)`},
	})
}

// termios lays out a kernel struct termios.
func termios(i, o, c, l uint32) []byte {
	return sized(termiosSize, int32s(int32(i), int32(o), int32(c), int32(l)))
}

func TestDecodeIoctl(t *testing.T) {
	const (
		arg = 0x7ffd59d4cb70
		ws  = 0x7ffd59d4cbac
	)
	pty := termios(0x500, 0x5, 0xbf, 0x8a3b)
	const ptyText = `{c_iflag=ICRNL|IXON, c_oflag=NL0|CR0|TAB0|BS0|VT0|FF0|OPOST|ONLCR, c_cflag=B38400|CS8|CREAD, c_lflag=ISIG|ICANON|ECHO|ECHOE|ECHOK|IEXTEN|ECHOCTL|ECHOKE, ...}`
	runCallCases(t, []callCase{
		{name: "tcgets", call: "ioctl", args: []uint64{3, 0x5401, arg}, mem: fakeMem{arg: pty},
			want: `ioctl(3, TCGETS, ` + ptyText + `) = 0`},
		{name: "tcgets not a tty", call: "ioctl", args: []uint64{1, 0x5401, arg}, ret: -25,
			want: `ioctl(1, TCGETS, 0x7ffd59d4cb70) = -1 ENOTTY (Inappropriate ioctl for device)`},
		{name: "tcsets", call: "ioctl", args: []uint64{3, 0x5402, arg}, mem: fakeMem{arg: pty},
			want: `ioctl(3, SNDCTL_TMR_START or TCSETS, ` + ptyText + `) = 0`},
		{name: "tcsetsw", call: "ioctl", args: []uint64{3, 0x5403, arg}, mem: fakeMem{arg: pty},
			want: `ioctl(3, SNDCTL_TMR_STOP or TCSETSW, ` + ptyText + `) = 0`},
		// strace 6.1 prints nothing for a zero flag word, and leaves the
		// "|" after c_oflag's and c_cflag's fields.
		{name: "tcsets zero", call: "ioctl", args: []uint64{0, 0x5402, arg}, mem: fakeMem{arg: termios(0, 0, 0, 0)},
			want: `ioctl(0, SNDCTL_TMR_START or TCSETS, {c_iflag=, c_oflag=NL0|CR0|TAB0|BS0|VT0|FF0|, c_cflag=B0|CS5|, c_lflag=, ...}) = 0`},
		{name: "tcsets every bit", call: "ioctl", args: []uint64{0, 0x5402, arg}, mem: fakeMem{arg: termios(0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff)},
			want: `ioctl(0, SNDCTL_TMR_START or TCSETS, {c_iflag=IGNBRK|BRKINT|IGNPAR|PARMRK|INPCK|ISTRIP|INLCR|IGNCR|ICRNL|IUCLC|IXON|IXANY|IXOFF|IMAXBEL|IUTF8|0xffff8000, c_oflag=NL1|CR3|XTABS|BS1|VT1|FF1|OPOST|OLCUC|ONLCR|OCRNL|ONOCR|ONLRET|OFILL|OFDEL|0xffff0000, c_cflag=B4000000|B4000000<<IBSHIFT|CS8|CSTOPB|CREAD|PARENB|PARODD|HUPCL|CLOCAL|CMSPAR|CRTSCTS|0x2ff0e000, c_lflag=ISIG|ICANON|XCASE|ECHO|ECHOE|ECHOK|ECHONL|NOFLSH|IEXTEN|ECHOCTL|ECHOPRT|ECHOKE|FLUSHO|PENDIN|TOSTOP|EXTPROC|0xfffe2000, ...}) = 0`},
		{name: "tcsets unknown bits", call: "ioctl", args: []uint64{0, 0x5402, arg}, mem: fakeMem{arg: termios(0x10000, 0x1e00, 0x100f1032, 0x20000)},
			want: `ioctl(0, SNDCTL_TMR_START or TCSETS, {c_iflag=0x10000, c_oflag=NL0|CR3|XTABS|BS0|VT0|FF0|, c_cflag=B115200|B4000000<<IBSHIFT|CS8|, c_lflag=0x20000, ...}) = 0`},
		{name: "tcsets bother", call: "ioctl", args: []uint64{0, 0x5402, arg}, mem: fakeMem{arg: termios(0x10000, 0x1e00, 0x1010, 0x20000)},
			want: `ioctl(0, SNDCTL_TMR_START or TCSETS, {c_iflag=0x10000, c_oflag=NL0|CR3|XTABS|BS0|VT0|FF0|, c_cflag=BOTHER|CS6|, c_lflag=0x20000, ...}) = 0`},
		{name: "tcsets bad", call: "ioctl", args: []uint64{0, 0x5402, bad},
			want: `ioctl(0, SNDCTL_TMR_START or TCSETS, 0xdeadbeef) = 0`},
		{name: "tcseta", call: "ioctl", args: []uint64{0, 0x5406, arg}, mem: fakeMem{arg: sized(termioSize, u16s(0, 0x1, 0x1e00, 0))},
			want: `ioctl(0, TCSETA, {c_iflag=, c_oflag=NL0|CR0|TAB0|BS0|VT0|FF0|OPOST, c_cflag=BOTHER|CS5|PARODD|HUPCL|CLOCAL, c_lflag=, ...}) = 0`},
		{name: "tcsets2", call: "ioctl", args: []uint64{0, 0x402c542b, arg}, mem: fakeMem{arg: sized(termios2Size, int32s(0x10000, 0x1e00, 0x1010, 0x20000))},
			want: `ioctl(0, TCSETS2, {c_iflag=0x10000, c_oflag=NL0|CR3|XTABS|BS0|VT0|FF0|, c_cflag=BOTHER|CS6|, c_lflag=0x20000, ...}) = 0`},
		{name: "tiocgwinsz", call: "ioctl", args: []uint64{3, 0x5413, ws}, mem: fakeMem{ws: u16s(24, 80, 0, 0)},
			want: `ioctl(3, TIOCGWINSZ, {ws_row=24, ws_col=80, ws_xpixel=0, ws_ypixel=0}) = 0`},
		{name: "tiocgwinsz not a tty", call: "ioctl", args: []uint64{3, 0x5413, ws}, ret: -25,
			want: `ioctl(3, TIOCGWINSZ, 0x7ffd59d4cbac) = -1 ENOTTY (Inappropriate ioctl for device)`},
		{name: "tiocswinsz", call: "ioctl", args: []uint64{0, 0x5414, ws}, mem: fakeMem{ws: u16s(1, 2, 3, 4)},
			want: `ioctl(0, TIOCSWINSZ, {ws_row=1, ws_col=2, ws_xpixel=3, ws_ypixel=4}) = 0`},
		{name: "fionread", call: "ioctl", args: []uint64{3, 0x541b, ws}, mem: fakeMem{ws: int32s(-1)}, after: fakeMem{ws: int32s(3)},
			want: `ioctl(3, FIONREAD, [3]) = 0`},
		{name: "fionbio", call: "ioctl", args: []uint64{3, 0x5421, ws}, mem: fakeMem{ws: int32s(3)},
			want: `ioctl(3, FIONBIO, [3]) = 0`},
		{name: "fionbio bad", call: "ioctl", args: []uint64{0, 0x5421, bad}, want: `ioctl(0, FIONBIO, 0xdeadbeef) = 0`},
		{name: "fionbio null", call: "ioctl", args: []uint64{0, 0x5421, 0}, want: `ioctl(0, FIONBIO, NULL) = 0`},
		{name: "tiocgpgrp failed", call: "ioctl", args: []uint64{2, 0x540f, ws}, mem: fakeMem{ws: int32s(0)}, ret: -25,
			want: `ioctl(2, TIOCGPGRP, 0x7ffd59d4cbac) = -1 ENOTTY (Inappropriate ioctl for device)`},
		{name: "tiocsptlck", call: "ioctl", args: []uint64{3, 0x40045431, ws}, mem: fakeMem{ws: int32s(0)},
			want: `ioctl(3, TIOCSPTLCK, [0]) = 0`},
		{name: "tiocgptn", call: "ioctl", args: []uint64{3, 0x80045430, ws}, mem: fakeMem{ws: int32s(1)},
			want: `ioctl(3, TIOCGPTN, [1]) = 0`},
		{name: "tiocmset", call: "ioctl", args: []uint64{0, 0x5418, ws}, mem: fakeMem{ws: int32s(7)},
			want: `ioctl(0, TIOCMSET, [TIOCM_LE|TIOCM_DTR|TIOCM_RTS]) = 0`},
		{name: "tiocmset every bit", call: "ioctl", args: []uint64{0, 0x5418, ws}, mem: fakeMem{ws: int32s(0x7fffffff)},
			want: `ioctl(0, TIOCMSET, [TIOCM_LE|TIOCM_DTR|TIOCM_RTS|TIOCM_ST|TIOCM_SR|TIOCM_CTS|TIOCM_CAR|TIOCM_RNG|TIOCM_DSR|TIOCM_OUT1|TIOCM_OUT2|TIOCM_LOOP|0x7fff1e00]) = 0`},
		{name: "tiocmset zero", call: "ioctl", args: []uint64{0, 0x5418, ws}, mem: fakeMem{ws: int32s(0)},
			want: `ioctl(0, TIOCMSET, [0]) = 0`},
		{name: "tcxonc unknown", call: "ioctl", args: []uint64{0, 0x540a, 7}, want: `ioctl(0, TCXONC, 0x7 /* TC??? */) = 0`},
		{name: "tcflsh", call: "ioctl", args: []uint64{0, 0x540b, 2}, want: `ioctl(0, TCFLSH, TCIOFLUSH) = 0`},
		{name: "tcsbrk", call: "ioctl", args: []uint64{0, 0x5409, 0xffffffff}, want: `ioctl(0, TCSBRK, -1) = 0`},
		{name: "tiocsti", call: "ioctl", args: []uint64{0, 0x5412, ws}, mem: fakeMem{ws: cstr("xyz")}, want: `ioctl(0, TIOCSTI, "x") = 0`},
		{name: "fioclex", call: "ioctl", args: []uint64{0xffffffff, 0x5451, 0}, ret: eBADF,
			want: `ioctl(-1, FIOCLEX) = -1 EBADF (Bad file descriptor)`},
		{name: "unknown read", call: "ioctl", args: []uint64{3, 0x80047801, 0x7ffd59d4cbb4}, ret: -25,
			want: `ioctl(3, _IOC(_IOC_READ, 0x78, 0x1, 0x4), 0x7ffd59d4cbb4) = -1 ENOTTY (Inappropriate ioctl for device)`},
		{name: "unknown write", call: "ioctl", args: []uint64{0, 0x40047801, 0x7ffd268e1344},
			want: `ioctl(0, _IOC(_IOC_WRITE, 0x78, 0x1, 0x4), 0x7ffd268e1344) = 0`},
		{name: "unknown read write", call: "ioctl", args: []uint64{0, 0xc0047801, 0x7ffd268e1344},
			want: `ioctl(0, _IOC(_IOC_READ|_IOC_WRITE, 0x78, 0x1, 0x4), 0x7ffd268e1344) = 0`},
		{name: "unknown none", call: "ioctl", args: []uint64{0, 0x7801, 5}, want: `ioctl(0, _IOC(_IOC_NONE, 0x78, 0x1, 0), 0x5) = 0`},
		{name: "unknown zero arg", call: "ioctl", args: []uint64{0, 0x80047801, 0}, want: `ioctl(0, _IOC(_IOC_READ, 0x78, 0x1, 0x4), 0) = 0`},
		{name: "all ones", call: "ioctl", args: []uint64{0, 0xffffffff, 9}, want: `ioctl(0, _IOC(_IOC_READ|_IOC_WRITE, 0xff, 0xff, 0x3fff), 0x9) = 0`},
		{name: "known, not decoded", call: "ioctl", args: []uint64{0, 0x5460, 0}, want: `ioctl(0, FIOQSIZE, 0) = 0`},
		{name: "tiocsig", call: "ioctl", args: []uint64{0, 0x40045436, 9}, want: `ioctl(0, TIOCSIG, 0x9) = 0`},
		{name: "ficlone", call: "ioctl", args: []uint64{4, 0x40049409, 3}, ret: -95,
			want: `ioctl(4, BTRFS_IOC_CLONE or FICLONE, 3) = -1 EOPNOTSUPP (Operation not supported)`},
		{name: "sound timer", call: "ioctl", args: []uint64{4, 0x54a0, 0}, want: `ioctl(4, SNDRV_TIMER_IOCTL_START, 0) = 0`},
		{name: "timerfd ticks", call: "ioctl", args: []uint64{4, 0x40085400, 0x7ffc01f5daec}, want: `ioctl(4, TFD_IOC_SET_TICKS, 0x7ffc01f5daec) = 0`},
		{name: "socket request", call: "ioctl", args: []uint64{0xffffffff, 0x8933, 0x1000}, ret: eBADF,
			want: `ioctl(-1, SIOCGIFINDEX, 0x1000) = -1 EBADF (Bad file descriptor)`},
	})
}

// pollfds lays out struct pollfd entries: fd, events, revents.
func pollfds(es ...[3]int32) []byte {
	var b []byte
	for _, e := range es {
		b = append(b, int32s(e[0])...)
		b = append(b, u16s(uint16(e[1]), uint16(e[2]))...)
	}
	return b
}

func TestDecodePolling(t *testing.T) {
	const (
		fds = 0x7ffd59d4c000
		ts  = 0x7ffd59d4c100
		rd  = 0x7ffd59d4c200
		wr  = 0x7ffd59d4c300
		sig = 0x7ffd59d4c400
		evs = 0x7ffd59d4c500
		ev  = 0x7ffd59d4c600
	)
	fdset := func(fds ...int) []byte {
		b := make([]byte, 8)
		for _, fd := range fds {
			b[fd/8] |= 1 << (fd % 8)
		}
		return b
	}
	runCallCases(t, []callCase{
		{name: "poll", call: "poll", args: []uint64{fds, 2, 0}, ret: 2,
			mem:   fakeMem{fds: pollfds([3]int32{3, 1, 0}, [3]int32{4, 4, 0})},
			after: fakeMem{fds: pollfds([3]int32{3, 1, 1}, [3]int32{4, 4, 4})},
			want:  `poll([{fd=3, events=POLLIN}, {fd=4, events=POLLOUT}], 2, 0) = 2 ([{fd=3, revents=POLLIN}, {fd=4, revents=POLLOUT}])`},
		{name: "poll timeout", call: "poll", args: []uint64{fds, 1, 0}, mem: fakeMem{fds: pollfds([3]int32{3, 3, 0})},
			want: `poll([{fd=3, events=POLLIN|POLLPRI}], 1, 0) = 0 (Timeout)`},
		{name: "poll infinite", call: "poll", args: []uint64{fds, 1, 0xffffffff}, ret: 1, mem: fakeMem{fds: pollfds([3]int32{4, 1, 1})},
			want: `poll([{fd=4, events=POLLIN}], 1, -1) = 1 ([{fd=4, revents=POLLIN}])`},
		{name: "poll negative fd and every event", call: "poll", args: []uint64{fds, 3, 5}, ret: 2,
			mem:  fakeMem{fds: pollfds([3]int32{-1, 1, 0}, [3]int32{0, 0xffff, 0x145}, [3]int32{1, 4, 4})},
			want: `poll([{fd=-1}, {fd=0, events=POLLIN|POLLPRI|POLLOUT|POLLERR|POLLHUP|POLLNVAL|POLLRDNORM|POLLRDBAND|POLLWRNORM|POLLWRBAND|POLLMSG|POLLREMOVE|POLLRDHUP|POLL_BUSY_LOOP|0x4800}, {fd=1, events=POLLOUT}], 3, 5) = 2 ([{fd=0, revents=POLLIN|POLLOUT|POLLRDNORM|POLLWRNORM}, {fd=1, revents=POLLOUT}])`},
		{name: "poll bad", call: "poll", args: []uint64{bad, 1, 0}, ret: eFAULT, want: `poll(0xdeadbeef, 1, 0) = -1 EFAULT (Bad address)`},
		{name: "poll null", call: "poll", args: []uint64{0, 0, 0}, want: `poll(NULL, 0, 0) = 0 (Timeout)`},
		{name: "poll unfinished", call: "poll", args: []uint64{fds, 1, 0xffffffff}, mem: fakeMem{fds: pollfds([3]int32{4, 1, 0})}, noExit: true,
			want: `poll([{fd=4, events=POLLIN}], 1, -1 <unfinished ...>) = ?`},
		{name: "ppoll", call: "ppoll", args: []uint64{fds, 1, ts, 0, 8}, ret: 1,
			mem:  fakeMem{fds: pollfds([3]int32{3, 3, 1}), ts: words(0, 0)},
			want: `ppoll([{fd=3, events=POLLIN|POLLPRI}], 1, {tv_sec=0, tv_nsec=0}, NULL, 8) = 1 ([{fd=3, revents=POLLIN}], left {tv_sec=0, tv_nsec=0})`},
		{name: "ppoll no timeout", call: "ppoll", args: []uint64{fds, 1, 0, 0, 8}, ret: 1, mem: fakeMem{fds: pollfds([3]int32{0, 1, 0x145})},
			want: `ppoll([{fd=0, events=POLLIN}], 1, NULL, NULL, 8) = 1 ([{fd=0, revents=POLLIN|POLLOUT|POLLRDNORM|POLLWRNORM}])`},
		{name: "ppoll timeout", call: "ppoll", args: []uint64{fds, 1, ts, 0, 8}, mem: fakeMem{fds: pollfds([3]int32{-1, 1, 0}), ts: words(0, 0)},
			want: `ppoll([{fd=-1}], 1, {tv_sec=0, tv_nsec=0}, NULL, 8) = 0 (Timeout)`},
		{name: "pselect6", call: "pselect6", args: []uint64{5, rd, wr, 0, ts, 0}, ret: 2,
			mem:  fakeMem{rd: fdset(3), wr: fdset(4), ts: words(0, 0)},
			want: `pselect6(5, [3], [4], NULL, {tv_sec=0, tv_nsec=0}, NULL) = 2 (in [3], out [4], left {tv_sec=0, tv_nsec=0})`},
		{name: "pselect6 sigmask", call: "pselect6", args: []uint64{4, rd, 0, 0, ts, sig}, ret: 1,
			mem:  fakeMem{rd: fdset(3), ts: words(0, 0), sig: words(0, 8)},
			want: `pselect6(4, [3], NULL, NULL, {tv_sec=0, tv_nsec=0}, {sigmask=NULL, sigsetsize=8}) = 1 (in [3], left {tv_sec=0, tv_nsec=0})`},
		{name: "select", call: "select", args: []uint64{3, rd, 0, bad, ts}, ret: eFAULT,
			mem:  fakeMem{rd: fdset(0, 2), ts: words(1, 500)},
			want: `select(3, [0 2], NULL, 0xdeadbeef, {tv_sec=1, tv_usec=500}) = -1 EFAULT (Bad address)`},
		{name: "select timeout", call: "select", args: []uint64{0, 0, 0, 0, ts}, mem: fakeMem{ts: words(1, 494)},
			want: `select(0, NULL, NULL, NULL, {tv_sec=1, tv_usec=494}) = 0 (Timeout)`},
		{name: "select negative", call: "select", args: []uint64{0xffffffff, rd, 0, 0, ts}, ret: eINVAL, mem: fakeMem{rd: fdset(0), ts: words(0, 0)},
			want: `select(-1, 0x7ffd59d4c200, NULL, NULL, {tv_sec=0, tv_usec=0}) = -1 EINVAL (Invalid argument)`},
		{name: "epoll_create1", call: "epoll_create1", args: []uint64{0x80000}, ret: 5, want: `epoll_create1(EPOLL_CLOEXEC) = 5`},
		{name: "epoll_create1 unknown", call: "epoll_create1", args: []uint64{1}, ret: eINVAL,
			want: `epoll_create1(0x1 /* EPOLL_??? */) = -1 EINVAL (Invalid argument)`},
		{name: "epoll_ctl add", call: "epoll_ctl", args: []uint64{5, 1, 3, ev}, mem: fakeMem{ev: sized(12, int32s(int32(-0x7fffffff)), words(7))},
			want: `epoll_ctl(5, EPOLL_CTL_ADD, 3, {events=EPOLLIN|EPOLLET, data={u32=7, u64=7}}) = 0`},
		{name: "epoll_ctl del", call: "epoll_ctl", args: []uint64{5, 2, 4, 0}, want: `epoll_ctl(5, EPOLL_CTL_DEL, 4, NULL) = 0`},
		{name: "epoll_ctl del pointer", call: "epoll_ctl", args: []uint64{99, 2, 1, ev}, mem: fakeMem{ev: make([]byte, 12)}, ret: eBADF,
			want: `epoll_ctl(99, EPOLL_CTL_DEL, 1, 0x7ffd59d4c600) = -1 EBADF (Bad file descriptor)`},
		{name: "epoll_ctl unknown", call: "epoll_ctl", args: []uint64{99, 9, 1, bad}, ret: eFAULT,
			want: `epoll_ctl(99, 0x9 /* EPOLL_CTL_??? */, 1, 0xdeadbeef) = -1 EFAULT (Bad address)`},
		{name: "epoll_ctl null", call: "epoll_ctl", args: []uint64{99, 1, 1, 0}, ret: eFAULT,
			want: `epoll_ctl(99, EPOLL_CTL_ADD, 1, NULL) = -1 EFAULT (Bad address)`},
		{name: "epoll_wait none", call: "epoll_wait", args: []uint64{5, evs, 4, 0}, want: `epoll_wait(5, [], 4, 0) = 0`},
		{name: "epoll_wait one", call: "epoll_wait", args: []uint64{5, evs, 4, 0}, ret: 1, mem: fakeMem{evs: sized(48, int32s(1), words(7))},
			want: `epoll_wait(5, [{events=EPOLLIN, data={u32=7, u64=7}}], 4, 0) = 1`},
		{name: "epoll_wait failed", call: "epoll_wait", args: []uint64{99, evs, 1, 0xffffffff}, ret: eBADF,
			want: `epoll_wait(99, 0x7ffd59d4c500, 1, -1) = -1 EBADF (Bad file descriptor)`},
		{name: "epoll_wait unfinished", call: "epoll_wait", args: []uint64{5, evs, 4, 0xffffffff}, noExit: true,
			want: `epoll_wait(5,  <unfinished ...>) = ?`},
		{name: "epoll_pwait", call: "epoll_pwait", args: []uint64{5, evs, 4, 0, sig, 8}, mem: fakeMem{sig: words(0)},
			want: `epoll_pwait(5, [], 4, 0, [], 8) = 0`},
		// Not from strace: aarch64's struct epoll_event is not packed.
		{name: "arm64 epoll_ctl", arch: ARM64, call: "epoll_ctl", args: []uint64{5, 1, 3, ev}, mem: fakeMem{ev: words(0x80000001, 7)},
			want: `epoll_ctl(5, EPOLL_CTL_ADD, 3, {events=EPOLLIN|EPOLLET, data={u32=7, u64=7}}) = 0`},
	})
}

func TestDecodeEventFDs(t *testing.T) {
	const (
		its  = 0x7ffd59d4c000
		old  = 0x7ffd59d4c100
		mask = 0x7ffd59d4c200
		p    = 0x402004
	)
	runCallCases(t, []callCase{
		{name: "eventfd2", call: "eventfd2", args: []uint64{3, 0x80800}, ret: 3, want: `eventfd2(3, EFD_CLOEXEC|EFD_NONBLOCK) = 3`},
		{name: "eventfd2 unknown", call: "eventfd2", args: []uint64{0, 7}, ret: eINVAL, want: `eventfd2(0, EFD_SEMAPHORE|0x6) = -1 EINVAL (Invalid argument)`},
		{name: "eventfd2 only unknown", call: "eventfd2", args: []uint64{0, 2}, ret: eINVAL, want: `eventfd2(0, 0x2 /* EFD_??? */) = -1 EINVAL (Invalid argument)`},
		{name: "timerfd_create", call: "timerfd_create", args: []uint64{1, 0x80800}, ret: 3,
			want: `timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC|TFD_NONBLOCK) = 3`},
		{name: "timerfd_create odd", call: "timerfd_create", args: []uint64{99, 1}, ret: eINVAL,
			want: `timerfd_create(0x63 /* CLOCK_??? */, TFD_TIMER_ABSTIME) = -1 EINVAL (Invalid argument)`},
		{name: "timerfd_settime", call: "timerfd_settime", args: []uint64{3, 0, its, old}, mem: fakeMem{its: words(0, 0, 100, 0), old: words(1, 1, 1, 1)},
			after: fakeMem{old: words(0, 0, 0, 0)},
			want:  `timerfd_settime(3, 0, {it_interval={tv_sec=0, tv_nsec=0}, it_value={tv_sec=100, tv_nsec=0}}, {it_interval={tv_sec=0, tv_nsec=0}, it_value={tv_sec=0, tv_nsec=0}}) = 0`},
		{name: "timerfd_settime no old", call: "timerfd_settime", args: []uint64{3, 0, its, 0}, mem: fakeMem{its: words(0, 0, 0, 0)},
			want: `timerfd_settime(3, 0, {it_interval={tv_sec=0, tv_nsec=0}, it_value={tv_sec=0, tv_nsec=0}}, NULL) = 0`},
		{name: "timerfd_gettime", call: "timerfd_gettime", args: []uint64{3, old}, mem: fakeMem{old: words(0, 0, 0, 0)},
			want: `timerfd_gettime(3, {it_interval={tv_sec=0, tv_nsec=0}, it_value={tv_sec=0, tv_nsec=0}}) = 0`},
		{name: "signalfd4", call: "signalfd4", args: []uint64{0xffffffff, mask, 8, 0x80800}, mem: fakeMem{mask: words(1 << 11)}, ret: 3,
			want: `signalfd4(-1, [USR2], 8, SFD_CLOEXEC|SFD_NONBLOCK) = 3`},
		{name: "signalfd4 short set", call: "signalfd4", args: []uint64{0xffffffff, mask, 4, 0}, mem: fakeMem{mask: words(1 << 11)}, ret: eINVAL,
			want: `signalfd4(-1, 0x7ffd59d4c200, 4, 0) = -1 EINVAL (Invalid argument)`},
		{name: "inotify_init1", call: "inotify_init1", args: []uint64{0x80000}, ret: 3, want: `inotify_init1(IN_CLOEXEC) = 3`},
		{name: "inotify_init1 unknown", call: "inotify_init1", args: []uint64{0x80801}, ret: eINVAL,
			want: `inotify_init1(IN_NONBLOCK|IN_CLOEXEC|0x1) = -1 EINVAL (Invalid argument)`},
		{name: "inotify_add_watch", call: "inotify_add_watch", args: []uint64{3, p, 0x1000300}, mem: fakeMem{p: cstr("d")}, ret: 1,
			want: `inotify_add_watch(3, "d", IN_CREATE|IN_DELETE|IN_ONLYDIR) = 1`},
		{name: "inotify_add_watch all", call: "inotify_add_watch", args: []uint64{99, p, 0x80000fff}, mem: fakeMem{p: cstr("/")}, ret: eBADF,
			want: `inotify_add_watch(99, "/", IN_ACCESS|IN_MODIFY|IN_ATTRIB|IN_CLOSE_WRITE|IN_CLOSE_NOWRITE|IN_OPEN|IN_MOVED_FROM|IN_MOVED_TO|IN_CREATE|IN_DELETE|IN_DELETE_SELF|IN_MOVE_SELF|IN_ONESHOT) = -1 EBADF (Bad file descriptor)`},
		{name: "inotify_rm_watch", call: "inotify_rm_watch", args: []uint64{3, 1}, want: `inotify_rm_watch(3, 1) = 0`},
	})
}
