package sys

import "testing"

// sockaddrIn lays out a struct sockaddr_in.
func sockaddrIn(port uint16, ip [4]byte) []byte {
	b := make([]byte, 16)
	le.PutUint16(b, 2)
	b[2], b[3] = byte(port>>8), byte(port)
	copy(b[4:], ip[:])
	return b
}

// sockaddrUn lays out a struct sockaddr_un of 110 bytes.
func sockaddrUn(path string) []byte {
	b := make([]byte, 110)
	le.PutUint16(b, 1)
	copy(b[2:], path)
	return b
}

func TestDecodeSockets(t *testing.T) {
	const (
		sa  = 0x7fffd08c2040
		sa2 = 0x7fffd08c2100
		ln  = 0x7fffd08c2200
		buf = 0x7fffd08c2300
		val = 0x7fffd08c1fdc
		fds = 0x7fffd08c2400
	)
	lo := sockaddrIn(80, [4]byte{10, 0, 0, 1})
	in6 := sized(28, u16s(10), []byte{0x01, 0xbb}, []byte{0, 0, 0, 5},
		[]byte{0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1})
	loop6 := sized(28, u16s(10), []byte{0, 9}, []byte{0, 0, 0, 0},
		[]byte{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1})
	runCallCases(t, []callCase{
		{name: "socket unix", call: "socket", args: []uint64{1, 2, 0}, ret: 3, want: `socket(AF_UNIX, SOCK_DGRAM, 0) = 3`},
		{name: "socket flags", call: "socket", args: []uint64{1, 1 | 0x80000 | 0x800, 0}, ret: eBADF,
			want: `socket(AF_UNIX, SOCK_STREAM|SOCK_CLOEXEC|SOCK_NONBLOCK, 0) = -1 EBADF (Bad file descriptor)`},
		{name: "socket tcp", call: "socket", args: []uint64{2, 1, 6}, ret: 3, want: `socket(AF_INET, SOCK_STREAM, IPPROTO_TCP) = 3`},
		{name: "socket inet zero", call: "socket", args: []uint64{2, 1 | 0x800, 0}, ret: 4,
			want: `socket(AF_INET, SOCK_STREAM|SOCK_NONBLOCK, IPPROTO_IP) = 4`},
		{name: "socket raw", call: "socket", args: []uint64{2, 3, 255}, ret: eBADF,
			want: `socket(AF_INET, SOCK_RAW, IPPROTO_RAW) = -1 EBADF (Bad file descriptor)`},
		{name: "socket netlink", call: "socket", args: []uint64{16, 3, 15}, ret: eBADF,
			want: `socket(AF_NETLINK, SOCK_RAW, NETLINK_KOBJECT_UEVENT) = -1 EBADF (Bad file descriptor)`},
		{name: "socket inet6", call: "socket", args: []uint64{10, 2 | 0x80000, 0}, ret: 3,
			want: `socket(AF_INET6, SOCK_DGRAM|SOCK_CLOEXEC, IPPROTO_IP) = 3`},
		{name: "socket unknown type", call: "socket", args: []uint64{2, 0xf, 0}, ret: eBADF,
			want: `socket(AF_INET, 0xf /* SOCK_??? */, IPPROTO_IP) = -1 EBADF (Bad file descriptor)`},
		{name: "socket unknown flag", call: "socket", args: []uint64{2, 0x10000, 0}, ret: eBADF,
			want: `socket(AF_INET, 0x10000 /* SOCK_??? */, IPPROTO_IP) = -1 EBADF (Bad file descriptor)`},
		{name: "socket unknown family", call: "socket", args: []uint64{116, 3, 0}, ret: -97,
			want: `socket(0x74 /* AF_??? */, SOCK_RAW, 0) = -1 EAFNOSUPPORT (Address family not supported by protocol)`},
		{name: "socketpair", call: "socketpair", args: []uint64{1, 1 | 0x80000, 0, fds}, mem: fakeMem{fds: int32s(3, 4)},
			want: `socketpair(AF_UNIX, SOCK_STREAM|SOCK_CLOEXEC, 0, [3, 4]) = 0`},
		{name: "bind unix", call: "bind", args: []uint64{3, sa, 110}, mem: fakeMem{sa: sockaddrUn("d/sock")},
			want: `bind(3, {sa_family=AF_UNIX, sun_path="d/sock"}, 110) = 0`},
		{name: "bind abstract", call: "bind", args: []uint64{99, sa, 11}, mem: fakeMem{sa: sockaddrUn("\x00abstract")}, ret: eBADF,
			want: `bind(99, {sa_family=AF_UNIX, sun_path=@"abstract"}, 11) = -1 EBADF (Bad file descriptor)`},
		{name: "bind unnamed", call: "bind", args: []uint64{99, sa, 2}, mem: fakeMem{sa: sockaddrUn("\x00abstract")}, ret: eBADF,
			want: `bind(99, {sa_family=AF_UNIX}, 2) = -1 EBADF (Bad file descriptor)`},
		{name: "bind short", call: "bind", args: []uint64{99, sa, 1}, mem: fakeMem{sa: sockaddrUn("")}, ret: eBADF,
			want: `bind(99, 0x7fffd08c2040, 1) = -1 EBADF (Bad file descriptor)`},
		{name: "bind -1 length", call: "bind", args: []uint64{99, sa, 0xffffffff}, mem: fakeMem{sa: sockaddrUn("")}, ret: eBADF,
			want: `bind(99, 0x7fffd08c2040, -1) = -1 EBADF (Bad file descriptor)`},
		{name: "bind long length", call: "bind", args: []uint64{99, sa, 200}, mem: fakeMem{sa: sized(200, sockaddrUn("/tmp/x"))}, ret: eBADF,
			want: `bind(99, {sa_family=AF_UNIX, sun_path="/tmp/x"}, 200) = -1 EBADF (Bad file descriptor)`},
		{name: "bind bad", call: "bind", args: []uint64{99, bad, 16}, ret: eBADF,
			want: `bind(99, 0xdeadbeef, 16) = -1 EBADF (Bad file descriptor)`},
		{name: "bind null", call: "bind", args: []uint64{99, 0, 16}, ret: eBADF,
			want: `bind(99, NULL, 16) = -1 EBADF (Bad file descriptor)`},
		{name: "bind inet", call: "bind", args: []uint64{3, sa, 16}, mem: fakeMem{sa: sockaddrIn(0, [4]byte{127, 0, 0, 1})},
			want: `bind(3, {sa_family=AF_INET, sin_port=htons(0), sin_addr=inet_addr("127.0.0.1")}, 16) = 0`},
		{name: "connect inet", call: "connect", args: []uint64{99, sa, 16}, mem: fakeMem{sa: lo}, ret: eBADF,
			want: `connect(99, {sa_family=AF_INET, sin_port=htons(80), sin_addr=inet_addr("10.0.0.1")}, 16) = -1 EBADF (Bad file descriptor)`},
		{name: "connect inet short", call: "connect", args: []uint64{99, sa, 8}, mem: fakeMem{sa: lo}, ret: eBADF,
			want: `connect(99, {sa_family=AF_INET, sa_data="\0P\n\0\0\1"}, 8) = -1 EBADF (Bad file descriptor)`},
		{name: "connect inet6", call: "connect", args: []uint64{3, sa, 28}, mem: fakeMem{sa: loop6},
			want: `connect(3, {sa_family=AF_INET6, sin6_port=htons(9), sin6_flowinfo=htonl(0), inet_pton(AF_INET6, "::1", &sin6_addr), sin6_scope_id=0}, 28) = 0`},
		{name: "connect inet6 short", call: "connect", args: []uint64{99, sa, 24}, mem: fakeMem{sa: in6}, ret: eBADF,
			want: `connect(99, {sa_family=AF_INET6, sin6_port=htons(443), sin6_flowinfo=htonl(5), inet_pton(AF_INET6, "fe80::1", &sin6_addr)}, 24) = -1 EBADF (Bad file descriptor)`},
		{name: "connect netlink", call: "bind", args: []uint64{99, sa, 12}, mem: fakeMem{sa: sized(12, u16s(16, 0), int32s(1234, 0x10))}, ret: eBADF,
			want: `bind(99, {sa_family=AF_NETLINK, nl_pid=1234, nl_groups=0x000010}, 12) = -1 EBADF (Bad file descriptor)`},
		{name: "connect unspec", call: "connect", args: []uint64{99, sa, 16}, mem: fakeMem{sa: sized(16, u16s(0), []byte("a"))}, ret: eBADF,
			want: `connect(99, {sa_family=AF_UNSPEC, sa_data="a\0\0\0\0\0\0\0\0\0\0\0\0\0"}, 16) = -1 EBADF (Bad file descriptor)`},
		{name: "connect unknown family", call: "connect", args: []uint64{99, sa, 16}, mem: fakeMem{sa: sized(16, u16s(99), []byte("a"))}, ret: eBADF,
			want: `connect(99, {sa_family=0x63 /* AF_??? */, sa_data="a\0\0\0\0\0\0\0\0\0\0\0\0\0"}, 16) = -1 EBADF (Bad file descriptor)`},
		{name: "connect null", call: "connect", args: []uint64{0xffffffff, 0, 0}, ret: eBADF,
			want: `connect(-1, NULL, 0) = -1 EBADF (Bad file descriptor)`},
		{name: "listen", call: "listen", args: []uint64{99, 0xffffffff}, ret: eBADF, want: `listen(99, -1) = -1 EBADF (Bad file descriptor)`},
		{name: "shutdown", call: "shutdown", args: []uint64{3, 1}, want: `shutdown(3, SHUT_WR) = 0`},
		{name: "shutdown unknown", call: "shutdown", args: []uint64{99, 7}, ret: eBADF,
			want: `shutdown(99, 0x7 /* SHUT_??? */) = -1 EBADF (Bad file descriptor)`},
		{name: "accept4", call: "accept4", args: []uint64{3, sa, ln, 0x80000}, ret: 5,
			mem:   fakeMem{sa: make([]byte, 16), ln: int32s(16)},
			after: fakeMem{sa: sockaddrIn(40600, [4]byte{127, 0, 0, 1})},
			want:  `accept4(3, {sa_family=AF_INET, sin_port=htons(40600), sin_addr=inet_addr("127.0.0.1")}, [16], SOCK_CLOEXEC) = 5`},
		{name: "accept4 null", call: "accept4", args: []uint64{99, 0, 0, 0x80801}, ret: eBADF,
			want: `accept4(99, NULL, NULL, SOCK_CLOEXEC|SOCK_NONBLOCK|0x1) = -1 EBADF (Bad file descriptor)`},
		{name: "accept null", call: "accept", args: []uint64{99, 0, 0}, ret: eBADF,
			want: `accept(99, NULL, NULL) = -1 EBADF (Bad file descriptor)`},
		{name: "accept unfinished", call: "accept", args: []uint64{3, sa, ln}, mem: fakeMem{ln: int32s(16)}, noExit: true,
			want: `accept(3,  <unfinished ...>) = ?`},
		{name: "getsockname", call: "getsockname", args: []uint64{3, sa, ln}, mem: fakeMem{sa: make([]byte, 110), ln: int32s(110)},
			after: fakeMem{sa: sockaddrUn("d/sock"), ln: int32s(9)},
			want:  `getsockname(3, {sa_family=AF_UNIX, sun_path="d/sock"}, [110 => 9]) = 0`},
		{name: "getsockname short", call: "getsockname", args: []uint64{7, sa, ln}, mem: fakeMem{sa: lo, ln: int32s(2)},
			after: fakeMem{ln: int32s(16)},
			want:  `getsockname(7, {sa_family=AF_INET}, [2 => 16]) = 0`},
		{name: "getsockname null length", call: "getsockname", args: []uint64{7, sa, 0}, ret: eFAULT,
			want: `getsockname(7, 0x7fffd08c2040, NULL) = -1 EFAULT (Bad address)`},
		{name: "getsockname null address", call: "getsockname", args: []uint64{7, 0, ln}, mem: fakeMem{ln: int32s(16)}, ret: eFAULT,
			want: `getsockname(7, NULL, 0x7fffd08c2200) = -1 EFAULT (Bad address)`},
		{name: "getsockname bad address", call: "getsockname", args: []uint64{7, bad, ln}, mem: fakeMem{ln: int32s(16)}, ret: eFAULT,
			want: `getsockname(7, 0xdeadbeef, [16]) = -1 EFAULT (Bad address)`},
		{name: "getpeername", call: "getpeername", args: []uint64{7, sa, ln}, mem: fakeMem{ln: int32s(16)}, ret: -107,
			want: `getpeername(7, 0x7fffd08c2040, [16]) = -1 ENOTCONN (Transport endpoint is not connected)`},
		{name: "sendto", call: "sendto", args: []uint64{3, buf, 4, 0, 0, 0}, mem: fakeMem{buf: []byte("ping")}, ret: 4,
			want: `sendto(3, "ping", 4, 0, NULL, 0) = 4`},
		{name: "sendto address", call: "sendto", args: []uint64{99, buf, 3, 0x80004040, sa, 16}, mem: fakeMem{buf: []byte("abc"), sa: lo}, ret: eBADF,
			want: `sendto(99, "abc", 3, MSG_DONTWAIT|MSG_NOSIGNAL|MSG_CMSG_COMPAT, {sa_family=AF_INET, sin_port=htons(80), sin_addr=inet_addr("10.0.0.1")}, 16) = -1 EBADF (Bad file descriptor)`},
		{name: "recvfrom", call: "recvfrom", args: []uint64{4, buf, 64, 0x40, 0, 0}, mem: fakeMem{buf: sized(64, []byte("ping"))}, ret: 4,
			want: `recvfrom(4, "ping", 64, MSG_DONTWAIT, NULL, NULL) = 4`},
		{name: "recvfrom again", call: "recvfrom", args: []uint64{4, buf, 64, 0x40, 0, 0}, ret: -11,
			want: `recvfrom(4, 0x7fffd08c2300, 64, MSG_DONTWAIT, NULL, NULL) = -1 EAGAIN (Resource temporarily unavailable)`},
		{name: "recvfrom address", call: "recvfrom", args: []uint64{3, buf, 64, 0, sa2, ln}, ret: 4,
			mem:   fakeMem{buf: sized(64, []byte("self")), sa2: make([]byte, 110), ln: int32s(110)},
			after: fakeMem{sa2: sockaddrUn("d/sock"), ln: int32s(9)},
			want:  `recvfrom(3, "self", 64, 0, {sa_family=AF_UNIX, sun_path="d/sock"}, [110 => 9]) = 4`},
		{name: "recvfrom unfinished", call: "recvfrom", args: []uint64{3, buf, 64, 0, 0, 0}, noExit: true,
			want: `recvfrom(3,  <unfinished ...>) = ?`},
		{name: "setsockopt int", call: "setsockopt", args: []uint64{3, 1, 2, val, 4}, mem: fakeMem{val: int32s(1)},
			want: `setsockopt(3, SOL_SOCKET, SO_REUSEADDR, [1], 4) = 0`},
		{name: "setsockopt long int", call: "setsockopt", args: []uint64{99, 1, 2, val, 8}, mem: fakeMem{val: words(2)}, ret: eBADF,
			want: `setsockopt(99, SOL_SOCKET, SO_REUSEADDR, [2], 8) = -1 EBADF (Bad file descriptor)`},
		{name: "setsockopt short int", call: "setsockopt", args: []uint64{99, 1, 2, val, 2}, mem: fakeMem{val: words(2)}, ret: eBADF,
			want: `setsockopt(99, SOL_SOCKET, SO_REUSEADDR, 0x7fffd08c1fdc, 2) = -1 EBADF (Bad file descriptor)`},
		{name: "setsockopt bad", call: "setsockopt", args: []uint64{99, 1, 2, bad, 4}, ret: eBADF,
			want: `setsockopt(99, SOL_SOCKET, SO_REUSEADDR, 0xdeadbeef, 4) = -1 EBADF (Bad file descriptor)`},
		{name: "setsockopt linger", call: "setsockopt", args: []uint64{99, 1, 13, val, 8}, mem: fakeMem{val: words(2)}, ret: eBADF,
			want: `setsockopt(99, SOL_SOCKET, SO_LINGER, {l_onoff=2, l_linger=0}, 8) = -1 EBADF (Bad file descriptor)`},
		{name: "setsockopt timeval", call: "setsockopt", args: []uint64{99, 1, 20, val, 16}, mem: fakeMem{val: words(2, 1<<32)}, ret: eBADF,
			want: `setsockopt(99, SOL_SOCKET, SO_RCVTIMEO_OLD, "\2\0\0\0\0\0\0\0\0\0\0\0\1\0\0\0", 16) = -1 EBADF (Bad file descriptor)`},
		{name: "setsockopt device", call: "setsockopt", args: []uint64{99, 1, 25, val, 5}, mem: fakeMem{val: cstr("eth0")}, ret: eBADF,
			want: `setsockopt(99, SOL_SOCKET, SO_BINDTODEVICE, "eth0\0", 5) = -1 EBADF (Bad file descriptor)`},
		{name: "setsockopt tcp", call: "setsockopt", args: []uint64{4, 6, 1, val, 4}, mem: fakeMem{val: int32s(1)},
			want: `setsockopt(4, SOL_TCP, TCP_NODELAY, [1], 4) = 0`},
		{name: "setsockopt ip", call: "setsockopt", args: []uint64{99, 0, 1, val, 4}, mem: fakeMem{val: int32s(1)}, ret: eBADF,
			want: `setsockopt(99, SOL_IP, IP_TOS, [1], 4) = -1 EBADF (Bad file descriptor)`},
		{name: "setsockopt ipv6", call: "setsockopt", args: []uint64{99, 41, 26, val, 4}, mem: fakeMem{val: int32s(1)}, ret: eBADF,
			want: `setsockopt(99, SOL_IPV6, IPV6_V6ONLY, [1], 4) = -1 EBADF (Bad file descriptor)`},
		{name: "setsockopt udp", call: "setsockopt", args: []uint64{99, 17, 1, val, 4}, mem: fakeMem{val: int32s(1)}, ret: eBADF,
			want: `setsockopt(99, SOL_UDP, UDP_CORK, [1], 4) = -1 EBADF (Bad file descriptor)`},
		{name: "setsockopt unknown level", call: "setsockopt", args: []uint64{99, 999, 26, val, 4}, mem: fakeMem{val: int32s(1)}, ret: eBADF,
			want: `setsockopt(99, 0x3e7 /* SOL_?? */, 26, [1], 4) = -1 EBADF (Bad file descriptor)`},
		{name: "setsockopt unknown option", call: "setsockopt", args: []uint64{99, 1, 999, val, 4}, mem: fakeMem{val: int32s(1)}, ret: eBADF,
			want: `setsockopt(99, SOL_SOCKET, 0x3e7 /* SO_??? */, [1], 4) = -1 EBADF (Bad file descriptor)`},
		{name: "getsockopt error", call: "getsockopt", args: []uint64{4, 1, 4, val, ln}, mem: fakeMem{val: int32s(0), ln: int32s(4)},
			want: `getsockopt(4, SOL_SOCKET, SO_ERROR, [0], [4]) = 0`},
		// Not from strace: an error SO_ERROR reports prints by name
		// (net.c's print_get_error).
		{name: "getsockopt error refused", call: "getsockopt", args: []uint64{4, 1, 4, val, ln}, mem: fakeMem{val: int32s(111), ln: int32s(4)},
			want: `getsockopt(4, SOL_SOCKET, SO_ERROR, [ECONNREFUSED], [4]) = 0`},
		{name: "getsockopt type", call: "getsockopt", args: []uint64{4, 1, 3, val, ln}, mem: fakeMem{val: int32s(1), ln: int32s(4)},
			want: `getsockopt(4, SOL_SOCKET, SO_TYPE, [1], [4]) = 0`},
		{name: "getsockopt shorter", call: "getsockopt", args: []uint64{7, 1, 8, val, ln}, mem: fakeMem{val: int32s(212992), ln: int32s(8)},
			after: fakeMem{ln: int32s(4)},
			want:  `getsockopt(7, SOL_SOCKET, SO_RCVBUF, [212992], [8 => 4]) = 0`},
		{name: "getsockopt linger", call: "getsockopt", args: []uint64{7, 1, 13, val, ln}, mem: fakeMem{val: words(0), ln: int32s(8)},
			want: `getsockopt(7, SOL_SOCKET, SO_LINGER, {l_onoff=0, l_linger=0}, [8]) = 0`},
		{name: "getsockopt peercred", call: "getsockopt", args: []uint64{3, 1, 17, val, ln}, mem: fakeMem{val: int32s(25883, 0, 0), ln: int32s(12)},
			want: `getsockopt(3, SOL_SOCKET, SO_PEERCRED, {pid=25883, uid=0, gid=0}, [12]) = 0`},
		{name: "getsockopt empty", call: "getsockopt", args: []uint64{7, 1, 25, val, ln}, mem: fakeMem{val: make([]byte, 16), ln: int32s(16)},
			after: fakeMem{ln: int32s(0)},
			want:  `getsockopt(7, SOL_SOCKET, SO_BINDTODEVICE, 0x7fffd08c1fdc, [16 => 0]) = 0`},
		{name: "getsockopt failed", call: "getsockopt", args: []uint64{7, 6, 1, val, ln}, mem: fakeMem{val: int32s(0), ln: int32s(4)}, ret: -95,
			want: `getsockopt(7, SOL_TCP, TCP_NODELAY, 0x7fffd08c1fdc, [4]) = -1 EOPNOTSUPP (Operation not supported)`},
		{name: "getsockopt bad length", call: "getsockopt", args: []uint64{99, 1, 4, val, bad}, ret: eBADF,
			want: `getsockopt(99, SOL_SOCKET, SO_ERROR, 0x7fffd08c1fdc, 0xdeadbeef) = -1 EBADF (Bad file descriptor)`},
	})
}

func TestDecodeMessages(t *testing.T) {
	const (
		mh   = 0x7ffca3810000
		iov  = 0x7ffca3810100
		b1   = 0x7ffca3810200
		b2   = 0x7ffca3810300
		ctl  = 0x7ffca3810400
		name = 0x7ffca3810280
	)
	// msghdr lays out a struct msghdr.
	msghdr := func(name uint64, namelen uint32, iov, iovlen, ctl, ctllen uint64, flags uint32) []byte {
		b := words(name, uint64(namelen), iov, iovlen, ctl, ctllen, uint64(flags))
		return b
	}
	rights := sized(24, words(24), int32s(1, 1), int32s(0, 1))
	runCallCases(t, []callCase{
		{name: "sendmsg", call: "sendmsg", args: []uint64{3, mh, 0}, ret: 3,
			mem:  fakeMem{mh: msghdr(0, 0, iov, 1, 0, 0, 0), iov: words(b1, 3), b1: []byte("abc")},
			want: `sendmsg(3, {msg_name=NULL, msg_namelen=0, msg_iov=[{iov_base="abc", iov_len=3}], msg_iovlen=1, msg_controllen=0, msg_flags=0}, 0) = 3`},
		{name: "sendmsg rights", call: "sendmsg", args: []uint64{3, mh, 0x40}, ret: 5,
			mem:  fakeMem{mh: msghdr(0, 0, iov, 1, ctl, 24, 0), iov: words(b1, 5), b1: []byte("hello"), ctl: rights},
			want: `sendmsg(3, {msg_name=NULL, msg_namelen=0, msg_iov=[{iov_base="hello", iov_len=5}], msg_iovlen=1, msg_control=[{cmsg_len=24, cmsg_level=SOL_SOCKET, cmsg_type=SCM_RIGHTS, cmsg_data=[0, 1]}], msg_controllen=24, msg_flags=0}, MSG_DONTWAIT) = 5`},
		{name: "recvmsg", call: "recvmsg", args: []uint64{4, mh, 0}, ret: 3,
			mem:  fakeMem{mh: msghdr(0, 0, iov, 1, 0, 0, 0), iov: words(b1, 64), b1: sized(64, []byte("abc"))},
			want: `recvmsg(4, {msg_name=NULL, msg_namelen=0, msg_iov=[{iov_base="abc", iov_len=64}], msg_iovlen=1, msg_controllen=0, msg_flags=0}, 0) = 3`},
		{name: "recvmsg rights", call: "recvmsg", args: []uint64{4, mh, 0x40000000}, ret: 5,
			mem: fakeMem{mh: msghdr(name, 110, iov, 2, ctl, 64, 0), iov: words(b1, 2, b2, 60), b1: []byte("he"), b2: sized(60, []byte("llo")),
				ctl: make([]byte, 64), name: make([]byte, 110)},
			after: fakeMem{mh: msghdr(name, 0, iov, 2, ctl, 24, 0x40000000), ctl: sized(64, words(24), int32s(1, 1), int32s(5, 6))},
			want:  `recvmsg(4, {msg_name=0x7ffca3810280, msg_namelen=110 => 0, msg_iov=[{iov_base="he", iov_len=2}, {iov_base="llo", iov_len=60}], msg_iovlen=2, msg_control=[{cmsg_len=24, cmsg_level=SOL_SOCKET, cmsg_type=SCM_RIGHTS, cmsg_data=[5, 6]}], msg_controllen=24, msg_flags=MSG_CMSG_CLOEXEC}, MSG_CMSG_CLOEXEC) = 5`},
		{name: "recvmsg failed", call: "recvmsg", args: []uint64{4, mh, 0x40}, ret: -11,
			mem:  fakeMem{mh: msghdr(name, 0, iov, 2, ctl, 64, 0)},
			want: `recvmsg(4, {msg_namelen=0}, MSG_DONTWAIT) = -1 EAGAIN (Resource temporarily unavailable)`},
		{name: "recvmsg name", call: "recvmsg", args: []uint64{7, mh, 0}, ret: 1,
			mem: fakeMem{mh: msghdr(name, 28, iov, 1, 0, 0, 0), iov: words(b1, 2), b1: []byte("x\x00"),
				name: make([]byte, 28)},
			after: fakeMem{mh: msghdr(name, 16, iov, 1, 0, 0, 0), name: sized(28, sockaddrIn(5555, [4]byte{127, 0, 0, 1}))},
			want:  `recvmsg(7, {msg_name={sa_family=AF_INET, sin_port=htons(5555), sin_addr=inet_addr("127.0.0.1")}, msg_namelen=28 => 16, msg_iov=[{iov_base="x", iov_len=2}], msg_iovlen=1, msg_controllen=0, msg_flags=0}, 0) = 1`},
		{name: "recvmsg bad", call: "recvmsg", args: []uint64{4, bad, 0}, ret: eFAULT,
			want: `recvmsg(4, 0xdeadbeef, 0) = -1 EFAULT (Bad address)`},
		{name: "sendmsg bad", call: "sendmsg", args: []uint64{4, bad, 0}, ret: eFAULT,
			want: `sendmsg(4, 0xdeadbeef, 0) = -1 EFAULT (Bad address)`},
	})
}
