package sys

import (
	"net"
	"net/netip"
	"strconv"
	"strings"
	"syscall"

	"github.com/mmtrace/mmtrace/internal/lazy"
	"golang.org/x/sys/unix"
)

// The socket calls: families, types and protocols by name, socket
// addresses of AF_UNIX, AF_INET, AF_INET6 and AF_NETLINK in strace's
// notation, message headers, and the common socket options.

// addrFamilies is addrfams.
var addrFamilies = flagSet{"AF_???", []flag{
	{0, "AF_UNSPEC"}, {1, "AF_UNIX"}, {2, "AF_INET"}, {3, "AF_AX25"}, {4, "AF_IPX"}, {5, "AF_APPLETALK"},
	{6, "AF_NETROM"}, {7, "AF_BRIDGE"}, {8, "AF_ATMPVC"}, {9, "AF_X25"}, {10, "AF_INET6"}, {11, "AF_ROSE"},
	{12, "AF_DECnet"}, {13, "AF_NETBEUI"}, {14, "AF_SECURITY"}, {15, "AF_KEY"}, {16, "AF_NETLINK"},
	{17, "AF_PACKET"}, {18, "AF_ASH"}, {19, "AF_ECONET"}, {20, "AF_ATMSVC"}, {21, "AF_RDS"}, {22, "AF_SNA"},
	{23, "AF_IRDA"}, {24, "AF_PPPOX"}, {25, "AF_WANPIPE"}, {26, "AF_LLC"}, {27, "AF_IB"}, {28, "AF_MPLS"},
	{29, "AF_CAN"}, {30, "AF_TIPC"}, {31, "AF_BLUETOOTH"}, {32, "AF_IUCV"}, {33, "AF_RXRPC"}, {34, "AF_ISDN"},
	{35, "AF_PHONET"}, {36, "AF_IEEE802154"}, {37, "AF_CAIF"}, {38, "AF_ALG"}, {39, "AF_NFC"}, {40, "AF_VSOCK"},
	{41, "AF_KCM"}, {42, "AF_QIPCRTR"}, {43, "AF_SMC"}, {44, "AF_XDP"}, {45, "AF_MCTP"},
}}

// The socket type and its flags: socktypes, sock_type_flags.
var (
	sockTypes = flagSet{"SOCK_???", []flag{
		{1, "SOCK_STREAM"}, {2, "SOCK_DGRAM"}, {3, "SOCK_RAW"}, {4, "SOCK_RDM"}, {5, "SOCK_SEQPACKET"},
		{6, "SOCK_DCCP"}, {10, "SOCK_PACKET"},
	}}
	sockTypeFlags = flagSet{"SOCK_???", []flag{{unix.SOCK_CLOEXEC, "SOCK_CLOEXEC"}, {unix.SOCK_NONBLOCK, "SOCK_NONBLOCK"}}}
)

// sockTypeText formats a socket type as strace's tprint_sock_type: the
// type by name, then the flags; an unknown type prints with the flags.
func sockTypeText(v uint64) string { return sockTypeIn(nil, v) }

// sockTypeIn is sockTypeText in o's -X style, the type and the flags
// each in it: 0x1|0x80000, 0x1 /* SOCK_STREAM */|0x80000 /* SOCK_CLOEXEC */.
func sockTypeIn(o *Options, v uint64) string {
	v = uint64(uint32(v))
	if o.xlat() != XlatAbbrev {
		t, rest := v&0xf, v&^0xf
		s := o.styledHex(t, sockTypes.xval(t))
		if rest != 0 {
			s += "|" + o.styledHex(rest, sockTypeFlags.flags(rest))
		}
		return s
	}
	if name, ok := sockTypes.lookup(v & 0xf); ok {
		if rest := v &^ 0xf; rest != 0 {
			named, _ := sockTypeFlags.bits(rest)
			return name + "|" + named
		}
		return name
	}
	return sockTypeFlags.flags(v)
}

// inetProtocols is inet_protocols; netlinkProtocols is
// netlink_protocols.
var (
	inetProtocols = flagSet{"IPPROTO_???", []flag{
		{0, "IPPROTO_IP"}, {1, "IPPROTO_ICMP"}, {2, "IPPROTO_IGMP"}, {4, "IPPROTO_IPIP"}, {6, "IPPROTO_TCP"},
		{8, "IPPROTO_EGP"}, {12, "IPPROTO_PUP"}, {17, "IPPROTO_UDP"}, {22, "IPPROTO_IDP"}, {29, "IPPROTO_TP"},
		{33, "IPPROTO_DCCP"}, {41, "IPPROTO_IPV6"}, {43, "IPPROTO_ROUTING"}, {44, "IPPROTO_FRAGMENT"},
		{46, "IPPROTO_RSVP"}, {47, "IPPROTO_GRE"}, {50, "IPPROTO_ESP"}, {51, "IPPROTO_AH"},
		{58, "IPPROTO_ICMPV6"}, {59, "IPPROTO_NONE"}, {60, "IPPROTO_DSTOPTS"}, {92, "IPPROTO_MTP"},
		{94, "IPPROTO_BEETPH"}, {98, "IPPROTO_ENCAP"}, {103, "IPPROTO_PIM"}, {108, "IPPROTO_COMP"},
		{115, "IPPROTO_L2TP"}, {132, "IPPROTO_SCTP"}, {135, "IPPROTO_MH"}, {136, "IPPROTO_UDPLITE"},
		{137, "IPPROTO_MPLS"}, {143, "IPPROTO_ETHERNET"}, {255, "IPPROTO_RAW"}, {262, "IPPROTO_MPTCP"},
	}}
	netlinkProtocols = flagSet{"NETLINK_???", []flag{
		{0, "NETLINK_ROUTE"}, {1, "NETLINK_UNUSED"}, {2, "NETLINK_USERSOCK"}, {3, "NETLINK_FIREWALL"},
		{4, "NETLINK_SOCK_DIAG"}, {5, "NETLINK_NFLOG"}, {6, "NETLINK_XFRM"}, {7, "NETLINK_SELINUX"},
		{8, "NETLINK_ISCSI"}, {9, "NETLINK_AUDIT"}, {10, "NETLINK_FIB_LOOKUP"}, {11, "NETLINK_CONNECTOR"},
		{12, "NETLINK_NETFILTER"}, {13, "NETLINK_IP6_FW"}, {14, "NETLINK_DNRTMSG"},
		{15, "NETLINK_KOBJECT_UEVENT"}, {16, "NETLINK_GENERIC"}, {18, "NETLINK_SCSITRANSPORT"},
		{19, "NETLINK_ECRYPTFS"}, {20, "NETLINK_RDMA"}, {21, "NETLINK_CRYPTO"}, {22, "NETLINK_SMC"},
	}}
)

// protocolText formats socket's protocol as strace does for the
// family: by name for the internet and netlink families, else a number.
func protocolText(family, v uint64) string {
	switch family {
	case unix.AF_INET, unix.AF_INET6:
		return inetProtocols.xval(uint64(uint32(v)))
	case unix.AF_NETLINK:
		return netlinkProtocols.xval(uint64(uint32(v)))
	}
	return udec(v)
}

// msgFlags is msg_flags.
var msgFlags = flagSet{"MSG_???", []flag{
	{0x1, "MSG_OOB"}, {0x2, "MSG_PEEK"}, {0x4, "MSG_DONTROUTE"}, {0x8, "MSG_CTRUNC"}, {0x10, "MSG_PROBE"},
	{0x20, "MSG_TRUNC"}, {0x40, "MSG_DONTWAIT"}, {0x80, "MSG_EOR"}, {0x100, "MSG_WAITALL"}, {0x200, "MSG_FIN"},
	{0x400, "MSG_SYN"}, {0x800, "MSG_CONFIRM"}, {0x1000, "MSG_RST"}, {0x2000, "MSG_ERRQUEUE"},
	{0x4000, "MSG_NOSIGNAL"}, {0x8000, "MSG_MORE"}, {0x10000, "MSG_WAITFORONE"}, {0x20000, "MSG_SENDPAGE_NOPOLICY"},
	{0x40000, "MSG_BATCH"}, {0x4000000, "MSG_ZEROCOPY"}, {0x20000000, "MSG_FASTOPEN"},
	{0x40000000, "MSG_CMSG_CLOEXEC"}, {0x80000000, "MSG_CMSG_COMPAT"},
}}

// shutdownHow is shutdown_modes.
var shutdownHow = flagSet{"SHUT_???", []flag{{0, "SHUT_RD"}, {1, "SHUT_WR"}, {2, "SHUT_RDWR"}}}

// sockaddrStorage is sizeof(struct sockaddr_storage): strace reads no
// more of an address.
const sockaddrStorage = 128

// sockaddrText formats the socket address of n bytes at a as strace's
// decode_sockaddr: the address when shorter than a family or unreadable,
// else {sa_family=AF_INET, sin_port=htons(80), ...}.
func sockaddrText(mem Memory, a uint64, n int64) string { return sockaddrStyled(nil, mem, a, n) }

// sockaddrStyled is sockaddrText in o's -X style.
func sockaddrStyled(o *Options, mem Memory, a uint64, n int64) string {
	if n < 2 {
		return ptr(a)
	}
	if a == 0 {
		return "NULL"
	}
	n = min(n, sockaddrStorage)
	b, ok := readFull(mem, a, uint64(n))
	if !ok {
		return ptr(a)
	}
	return sockaddrBytes(o, b)
}

// sockaddrBytes formats a socket address, with -X raw the internet
// port and address as the bytes they are, with -X verbose those bytes
// and then strace's form in a comment:
// sin_port="\x00\x50" /* htons(80) */.
func sockaddrBytes(o *Options, b []byte) string {
	family := uint64(le.Uint16(b))
	s := "{sa_family=" + o.styledHex(family, addrFamilies.xval(family))
	data := b[2:]
	switch {
	case len(data) == 0:
	case family == unix.AF_UNIX:
		s += ", sun_path=" + sunPath(data)
	case family == unix.AF_INET && len(b) >= 16:
		port := "htons(" + udec(uint64(be16(data))) + ")"
		addr := "inet_addr(\"" + netip.AddrFrom4([4]byte(data[2:6])).String() + "\")"
		if o.xlat() != XlatAbbrev {
			port, addr = o.styled(quoteHex(data[:2]), port), o.styled(quoteHex(data[2:6]), addr)
		}
		s += ", sin_port=" + port + ", sin_addr=" + addr
	case family == unix.AF_INET6 && len(b) >= 24:
		addr := netip.AddrFrom16([16]byte(b[8:24]))
		port := "htons(" + udec(uint64(be16(data))) + ")"
		flow := "htonl(" + udec(uint64(be32(b[4:]))) + ")"
		if o.xlat() == XlatAbbrev {
			s += ", sin6_port=" + port + ", sin6_flowinfo=" + flow +
				", inet_pton(AF_INET6, \"" + addr.String() + "\", &sin6_addr)"
		} else {
			// -X raw and verbose name the address field and drop the
			// "&sin6_addr" from its comment.
			s += ", sin6_port=" + o.styled(quoteHex(data[:2]), port) +
				", sin6_flowinfo=" + o.styled(quoteHex(b[4:8]), flow) +
				", sin6_addr=" + o.styled(quoteHex(b[8:24]), "inet_pton(AF_INET6, \""+addr.String()+"\")")
		}
		if len(b) >= 28 {
			scope := le.Uint32(b[24:])
			s += ", sin6_scope_id=" + o.styledUdec(uint64(scope), scopeID(addr, scope))
		}
	case family == unix.AF_NETLINK && len(b) >= 12:
		s += ", nl_pid=" + udec(uint64(le.Uint32(b[4:]))) + ", nl_groups=" + hex08(uint64(le.Uint32(b[8:])))
	default:
		s += ", sa_data=" + quote(data)
	}
	return s + "}"
}

// sunPath formats sun_path: a NUL-terminated path, or an abstract name
// after "@".
func sunPath(b []byte) string {
	b = b[:min(len(b), 108)]
	if len(b) > 0 && b[0] == 0 {
		return "@" + quote(b[1:])
	}
	if i := indexNUL(b); i >= 0 {
		b = b[:i]
	}
	return quote(b)
}

// scopeID formats sin6_scope_id: for a link-local address, the
// interface it names, as strace prints it.
func scopeID(addr netip.Addr, id uint32) string {
	if addr.IsLinkLocalUnicast() || addr.IsLinkLocalMulticast() {
		if ifc, err := net.InterfaceByIndex(int(id)); err == nil && id != 0 {
			return "if_nametoindex(" + strconv.Quote(ifc.Name) + ")"
		}
	}
	return udec(uint64(id))
}

func be16(b []byte) uint16 { return uint16(b[0])<<8 | uint16(b[1]) }
func be32(b []byte) uint32 { return uint32(be16(b))<<16 | uint32(be16(b[2:])) }

// hex08 formats v as C's "%#08x": 00000000 for zero, else 0x and at
// least six digits.
func hex08(v uint64) string {
	if v == 0 {
		return "00000000"
	}
	s := strconv.FormatUint(v, 16)
	for len(s) < 6 {
		s = "0" + s
	}
	return "0x" + s
}

// iovecs formats an iovec array as strace's tprint_iov_upto: each
// buffer as a string when strs is set (at most data bytes in all; all of
// them when data is ^0), else as its address.
func iovecs(mem Memory, a, n, data uint64, strs bool, limit int) string {
	return array(mem, a, n, 16, limit, func(b []byte) string {
		base, size := le.Uint64(b), le.Uint64(b[8:])
		s := "{iov_base="
		if strs {
			l := min(size, data)
			if data != ^uint64(0) {
				data -= l
			}
			s += buffer(mem, base, l, limit)
		} else {
			s += ptr(base)
		}
		return s + ", iov_len=" + udec(size) + "}"
	})
}

// The layout of struct msghdr on a 64-bit ABI.
const (
	msghdrSize     = 56
	cmsghdrSize    = 16
	scmRights      = 1
	scmCredentials = 2
)

// socketLevels is socketlayers.
var socketLevels = flagSet{"SOL_??", []flag{
	{0, "SOL_IP"}, {1, "SOL_SOCKET"}, {6, "SOL_TCP"}, {17, "SOL_UDP"}, {41, "SOL_IPV6"}, {58, "SOL_ICMPV6"},
	{132, "SOL_SCTP"}, {136, "SOL_UDPLITE"}, {255, "SOL_RAW"}, {256, "SOL_IPX"}, {257, "SOL_AX25"},
	{258, "SOL_ATALK"}, {259, "SOL_NETROM"}, {260, "SOL_ROSE"}, {261, "SOL_DECNET"}, {262, "SOL_X25"},
	{263, "SOL_PACKET"}, {264, "SOL_ATM"}, {265, "SOL_AAL"}, {266, "SOL_IRDA"}, {267, "SOL_NETBEUI"},
	{268, "SOL_LLC"}, {269, "SOL_DCCP"}, {270, "SOL_NETLINK"}, {271, "SOL_TIPC"}, {272, "SOL_RXRPC"},
	{273, "SOL_PPPOL2TP"}, {274, "SOL_BLUETOOTH"}, {275, "SOL_PNPIPE"}, {276, "SOL_RDS"}, {277, "SOL_IUCV"},
	{278, "SOL_CAIF"}, {279, "SOL_ALG"}, {280, "SOL_NFC"}, {281, "SOL_KCM"}, {282, "SOL_TLS"}, {283, "SOL_XDP"},
	{284, "SOL_MPTCP"}, {285, "SOL_MCTP"}, {286, "SOL_SMC"},
}}

// scmTypes names the SOL_SOCKET control messages.
var scmTypes = flagSet{"SCM_???", []flag{
	{1, "SCM_RIGHTS"}, {2, "SCM_CREDENTIALS"}, {3, "SCM_SECURITY"}, {4, "SCM_PIDFD"},
	{29, "SO_TIMESTAMP_OLD"}, {35, "SO_TIMESTAMPNS_OLD"}, {37, "SO_TIMESTAMPING_OLD"},
}}

// cmsgsText formats a msghdr's control messages as strace's
// decode_msg_control does for the SOL_SOCKET ones; others print their
// level and type. The level and a SOL_SOCKET type are in o's -X style.
func cmsgsText(o *Options, mem Memory, a, n uint64, limit int) string {
	if n < cmsghdrSize {
		return ptr(a)
	}
	// strace reads no more than the kernel's optmem_max: a few pages.
	n = min(n, 1<<16)
	b, ok := readFull(mem, a, n)
	if !ok {
		return ptr(a)
	}
	var s strings.Builder
	s.WriteByte('[')
	left := n
	off := uint64(0)
	for left >= cmsghdrSize {
		if off != 0 {
			s.WriteString(", ")
		}
		h := b[off:]
		clen := le.Uint64(h)
		level := int64(int32(le.Uint32(h[8:])))
		typ := uint64(le.Uint32(h[12:]))
		s.WriteString("{cmsg_len=" + udec(clen) + ", cmsg_level=" + socketLevels.xvalIn(o, uint64(uint32(level))) + ", cmsg_type=")
		l := min(clen, left)
		dlen := uint64(0)
		if l > cmsghdrSize {
			dlen = l - cmsghdrSize
		}
		data := h[cmsghdrSize : cmsghdrSize+dlen]
		if level == unix.SOL_SOCKET {
			s.WriteString(scmTypes.xvalIn(o, typ))
			switch {
			case typ == scmRights && dlen >= 4:
				s.WriteString(", cmsg_data=[")
				for i := uint64(0); i+4 <= dlen; i += 4 {
					if i > 0 {
						s.WriteString(", ")
					}
					if i/4 >= uint64(limit) {
						s.WriteString("...")
						break
					}
					s.WriteString(sdec(int64(int32(le.Uint32(data[i:])))))
				}
				s.WriteByte(']')
			case typ == scmCredentials && dlen >= 12:
				s.WriteString(", cmsg_data={pid=" + sdec(int64(int32(le.Uint32(data)))) +
					", uid=" + udec(uint64(le.Uint32(data[4:]))) + ", gid=" + udec(uint64(le.Uint32(data[8:]))) + "}")
			}
		} else {
			s.WriteString(hexNum(typ))
		}
		s.WriteByte('}')
		if l < cmsghdrSize {
			left -= cmsghdrSize
			break
		}
		step := (clen + 7) &^ 7
		if step >= left {
			left = 0
			break
		}
		off += step
		left -= step
	}
	if left != 0 {
		s.WriteString(", ... /* " + ptr(a+(n-left)) + " */")
	}
	s.WriteByte(']')
	return s.String()
}

// msghdrText formats a struct msghdr as strace's print_struct_msghdr.
// userNamelen is the msg_namelen the caller passed (recvmsg), or -1;
// data is how many bytes the iovecs carried (^0 for all of them).
func msghdrText(o *Options, mem Memory, a uint64, userNamelen int64, data uint64, limit int) string {
	if a == 0 {
		return "NULL"
	}
	b, ok := readFull(mem, a, msghdrSize)
	if !ok {
		return ptr(a)
	}
	name, namelen := le.Uint64(b), int64(int32(le.Uint32(b[8:])))
	shown := namelen
	if userNamelen >= 0 && namelen > userNamelen {
		shown = userNamelen
	}
	iov, iovlen := le.Uint64(b[16:]), le.Uint64(b[24:])
	ctl, ctllen := le.Uint64(b[32:]), le.Uint64(b[40:])
	flags := uint64(le.Uint32(b[48:]))
	s := "{msg_name=" + sockaddrStyled(o, mem, name, shown) + ", msg_namelen="
	if userNamelen >= 0 && userNamelen != namelen {
		s += sdec(userNamelen) + " => "
	}
	s += sdec(namelen) + ", msg_iov=" + iovecs(mem, iov, iovlen, data, true, limit) +
		", msg_iovlen=" + udec(iovlen)
	if ctllen != 0 {
		s += ", msg_control=" + cmsgsText(o, mem, ctl, ctllen, limit)
	}
	return s + ", msg_controllen=" + udec(ctllen) + ", msg_flags=" + msgFlags.flagsIn(o, flags) + "}"
}

// The socket options by level, as strace 6.1 names them.
var (
	solSocketOptions = flagSet{"SO_???", []flag{
		{1, "SO_DEBUG"}, {2, "SO_REUSEADDR"}, {3, "SO_TYPE"}, {4, "SO_ERROR"}, {5, "SO_DONTROUTE"},
		{6, "SO_BROADCAST"}, {7, "SO_SNDBUF"}, {8, "SO_RCVBUF"}, {9, "SO_KEEPALIVE"}, {10, "SO_OOBINLINE"},
		{11, "SO_NO_CHECK"}, {12, "SO_PRIORITY"}, {13, "SO_LINGER"}, {14, "SO_BSDCOMPAT"}, {15, "SO_REUSEPORT"},
		{16, "SO_PASSCRED"}, {17, "SO_PEERCRED"}, {18, "SO_RCVLOWAT"}, {19, "SO_SNDLOWAT"},
		{20, "SO_RCVTIMEO_OLD"}, {21, "SO_SNDTIMEO_OLD"}, {22, "SO_SECURITY_AUTHENTICATION"},
		{23, "SO_SECURITY_ENCRYPTION_TRANSPORT"}, {24, "SO_SECURITY_ENCRYPTION_NETWORK"},
		{25, "SO_BINDTODEVICE"}, {26, "SO_ATTACH_FILTER"}, {27, "SO_DETACH_FILTER"}, {28, "SO_PEERNAME"},
		{29, "SO_TIMESTAMP_OLD"}, {30, "SO_ACCEPTCONN"}, {31, "SO_PEERSEC"}, {32, "SO_SNDBUFFORCE"},
		{33, "SO_RCVBUFFORCE"}, {34, "SO_PASSSEC"}, {35, "SO_TIMESTAMPNS_OLD"}, {36, "SO_MARK"},
		{37, "SO_TIMESTAMPING_OLD"}, {38, "SO_PROTOCOL"}, {39, "SO_DOMAIN"}, {40, "SO_RXQ_OVFL"},
		{41, "SO_WIFI_STATUS"}, {42, "SO_PEEK_OFF"}, {43, "SO_NOFCS"}, {44, "SO_LOCK_FILTER"},
		{45, "SO_SELECT_ERR_QUEUE"}, {46, "SO_BUSY_POLL"}, {47, "SO_MAX_PACING_RATE"},
		{48, "SO_BPF_EXTENSIONS"}, {49, "SO_INCOMING_CPU"}, {50, "SO_ATTACH_BPF"},
		{51, "SO_ATTACH_REUSEPORT_CBPF"}, {52, "SO_ATTACH_REUSEPORT_EBPF"}, {53, "SO_CNX_ADVICE"},
		{54, "SCM_TIMESTAMPING_OPT_STATS"}, {55, "SO_MEMINFO"}, {56, "SO_INCOMING_NAPI_ID"},
		{57, "SO_COOKIE"}, {58, "SCM_TIMESTAMPING_PKTINFO"}, {59, "SO_PEERGROUPS"}, {60, "SO_ZEROCOPY"},
		{61, "SO_TXTIME"}, {62, "SO_BINDTOIFINDEX"}, {63, "SO_TIMESTAMP_NEW"}, {64, "SO_TIMESTAMPNS_NEW"},
		{65, "SO_TIMESTAMPING_NEW"}, {66, "SO_RCVTIMEO_NEW"}, {67, "SO_SNDTIMEO_NEW"},
		{68, "SO_DETACH_REUSEPORT_BPF"}, {69, "SO_PREFER_BUSY_POLL"}, {70, "SO_BUSY_POLL_BUDGET"},
		{71, "SO_NETNS_COOKIE"}, {72, "SO_BUF_LOCK"}, {73, "SO_RESERVE_MEM"}, {74, "SO_TXREHASH"},
		{75, "SO_RCVMARK"},
	}}
	solTCPOptions = flagSet{"TCP_???", []flag{
		{1, "TCP_NODELAY"}, {2, "TCP_MAXSEG"}, {3, "TCP_CORK"}, {4, "TCP_KEEPIDLE"}, {5, "TCP_KEEPINTVL"},
		{6, "TCP_KEEPCNT"}, {7, "TCP_SYNCNT"}, {8, "TCP_LINGER2"}, {9, "TCP_DEFER_ACCEPT"},
		{10, "TCP_WINDOW_CLAMP"}, {11, "TCP_INFO"}, {12, "TCP_QUICKACK"}, {13, "TCP_CONGESTION"},
		{14, "TCP_MD5SIG"}, {15, "TCP_COOKIE_TRANSACTIONS"}, {16, "TCP_THIN_LINEAR_TIMEOUTS"},
		{17, "TCP_THIN_DUPACK"}, {18, "TCP_USER_TIMEOUT"}, {19, "TCP_REPAIR"}, {20, "TCP_REPAIR_QUEUE"},
		{21, "TCP_QUEUE_SEQ"}, {22, "TCP_REPAIR_OPTIONS"}, {23, "TCP_FASTOPEN"}, {24, "TCP_TIMESTAMP"},
		{25, "TCP_NOTSENT_LOWAT"}, {26, "TCP_CC_INFO"}, {27, "TCP_SAVE_SYN"}, {28, "TCP_SAVED_SYN"},
		{29, "TCP_REPAIR_WINDOW"}, {30, "TCP_FASTOPEN_CONNECT"}, {31, "TCP_ULP"}, {32, "TCP_MD5SIG_EXT"},
		{33, "TCP_FASTOPEN_KEY"}, {34, "TCP_FASTOPEN_NO_COOKIE"}, {35, "TCP_ZEROCOPY_RECEIVE"},
		{36, "TCP_INQ"}, {37, "TCP_TX_DELAY"},
	}}
	solIPOptions = flagSet{"IP_???", []flag{
		{1, "IP_TOS"}, {2, "IP_TTL"}, {3, "IP_HDRINCL"}, {4, "IP_OPTIONS"}, {5, "IP_ROUTER_ALERT"},
		{6, "IP_RECVOPTS"}, {7, "IP_RETOPTS"}, {8, "IP_PKTINFO"}, {9, "IP_PKTOPTIONS"},
		{10, "IP_MTU_DISCOVER"}, {11, "IP_RECVERR"}, {12, "IP_RECVTTL"}, {13, "IP_RECVTOS"}, {14, "IP_MTU"},
		{15, "IP_FREEBIND"}, {16, "IP_IPSEC_POLICY"}, {17, "IP_XFRM_POLICY"}, {18, "IP_PASSSEC"},
		{19, "IP_TRANSPARENT"}, {20, "IP_ORIGDSTADDR"}, {21, "IP_MINTTL"}, {22, "IP_NODEFRAG"},
		{23, "IP_CHECKSUM"}, {24, "IP_BIND_ADDRESS_NO_PORT"}, {25, "IP_RECVFRAGSIZE"},
		{26, "IP_RECVERR_RFC4884"}, {32, "IP_MULTICAST_IF"}, {33, "IP_MULTICAST_TTL"},
		{34, "IP_MULTICAST_LOOP"}, {35, "IP_ADD_MEMBERSHIP"}, {36, "IP_DROP_MEMBERSHIP"},
		{37, "IP_UNBLOCK_SOURCE"}, {38, "IP_BLOCK_SOURCE"}, {39, "IP_ADD_SOURCE_MEMBERSHIP"},
		{40, "IP_DROP_SOURCE_MEMBERSHIP"}, {41, "IP_MSFILTER"}, {42, "MCAST_JOIN_GROUP"},
		{43, "MCAST_BLOCK_SOURCE"}, {44, "MCAST_UNBLOCK_SOURCE"}, {45, "MCAST_LEAVE_GROUP"},
		{46, "MCAST_JOIN_SOURCE_GROUP"}, {47, "MCAST_LEAVE_SOURCE_GROUP"}, {48, "MCAST_MSFILTER"},
		{49, "IP_MULTICAST_ALL"}, {50, "IP_UNICAST_IF"},
	}}
	solIPv6Options = flagSet{"IPV6_???", []flag{
		{1, "IPV6_ADDRFORM"}, {2, "IPV6_2292PKTINFO"}, {3, "IPV6_2292HOPOPTS"}, {4, "IPV6_2292DSTOPTS"},
		{5, "IPV6_2292RTHDR"}, {6, "IPV6_2292PKTOPTIONS"}, {7, "IPV6_CHECKSUM"}, {8, "IPV6_2292HOPLIMIT"},
		{9, "IPV6_NEXTHOP"}, {10, "IPV6_AUTHHDR"}, {11, "IPV6_FLOWINFO"}, {16, "IPV6_UNICAST_HOPS"},
		{17, "IPV6_MULTICAST_IF"}, {18, "IPV6_MULTICAST_HOPS"}, {19, "IPV6_MULTICAST_LOOP"},
		{20, "IPV6_ADD_MEMBERSHIP"}, {21, "IPV6_DROP_MEMBERSHIP"}, {22, "IPV6_ROUTER_ALERT"},
		{23, "IPV6_MTU_DISCOVER"}, {24, "IPV6_MTU"}, {25, "IPV6_RECVERR"}, {26, "IPV6_V6ONLY"},
		{27, "IPV6_JOIN_ANYCAST"}, {28, "IPV6_LEAVE_ANYCAST"}, {29, "IPV6_MULTICAST_ALL"},
		{30, "IPV6_ROUTER_ALERT_ISOLATE"}, {31, "IPV6_RECVERR_RFC4884"}, {32, "IPV6_FLOWLABEL_MGR"},
		{33, "IPV6_FLOWINFO_SEND"}, {34, "IPV6_IPSEC_POLICY"}, {35, "IPV6_XFRM_POLICY"}, {36, "IPV6_HDRINCL"},
		{49, "IPV6_RECVPKTINFO"}, {50, "IPV6_PKTINFO"}, {51, "IPV6_RECVHOPLIMIT"}, {52, "IPV6_HOPLIMIT"},
		{53, "IPV6_RECVHOPOPTS"}, {54, "IPV6_HOPOPTS"}, {55, "IPV6_RTHDRDSTOPTS"}, {56, "IPV6_RECVRTHDR"},
		{57, "IPV6_RTHDR"}, {58, "IPV6_RECVDSTOPTS"}, {59, "IPV6_DSTOPTS"}, {60, "IPV6_RECVPATHMTU"},
		{61, "IPV6_PATHMTU"}, {62, "IPV6_DONTFRAG"}, {66, "IPV6_RECVTCLASS"}, {67, "IPV6_TCLASS"},
		{68, "IPV6_AUTOFLOWLABEL"}, {69, "IPV6_ADDR_PREFERENCES"}, {70, "IPV6_MINHOPCOUNT"},
		{71, "IPV6_ORIGDSTADDR"}, {72, "IPV6_TRANSPARENT"}, {73, "IPV6_UNICAST_IF"},
		{74, "IPV6_RECVFRAGSIZE"}, {75, "IPV6_FREEBIND"},
	}}
	solUDPOptions = flagSet{"UDP_???", []flag{
		{1, "UDP_CORK"}, {100, "UDP_ENCAP"}, {101, "UDP_NO_CHECK6_TX"}, {102, "UDP_NO_CHECK6_RX"},
		{103, "UDP_SEGMENT"}, {104, "UDP_GRO"},
	}}
)

// sockoptName formats a socket option by its level's table, or as a
// number for a level strace has none for.
func sockoptName(level, name uint64) string {
	var fs *flagSet
	switch uint32(level) {
	case unix.SOL_SOCKET:
		fs = &solSocketOptions
	case unix.SOL_TCP:
		fs = &solTCPOptions
	case unix.SOL_IP:
		fs = &solIPOptions
	case unix.SOL_IPV6:
		fs = &solIPv6Options
	case unix.SOL_UDP:
		fs = &solUDPOptions
	default:
		return udec(uint64(uint32(name)))
	}
	return fs.xval(uint64(uint32(name)))
}

// intLikeSockopts are the SOL_SOCKET options strace prints as an int.
// Built on first use: only setsockopt and getsockopt need it.
var intLikeSockopts = lazy.Of(func() map[uint32]bool {
	m := map[uint32]bool{}
	for _, o := range []uint32{1, 2, 5, 6, 7, 8, 9, 10, 11, 12, 14, 15, 16, 18, 19, 27, 29, 30, 32, 33, 34,
		35, 36, 37, 40, 41, 42, 43, 44, 45, 46, 49, 53, 56, 60, 63, 64, 65, 68, 69, 70, 73, 75} {
		m[o] = true
	}
	return m
})

// sockoptValue formats a socket option's value of n bytes at a, as
// strace's print_setsockopt (get false) or print_getsockopt (get true).
func sockoptValue(mem Memory, level, name, a uint64, n int64, get bool, limit int) string {
	level, name = uint64(uint32(level)), uint64(uint32(name))
	intOpt := func() string {
		if n < 4 {
			if get {
				return quoteHexN(mem, a, n)
			}
			return ptr(a)
		}
		return readInt(mem, a)
	}
	if a != 0 {
		switch level {
		case unix.SOL_SOCKET:
			switch {
			case name == unix.SO_LINGER:
				if !get && n < 8 {
					return ptr(a)
				}
				b, ok := readFull(mem, a, uint64(min(n, 8)))
				if !ok {
					return ptr(a)
				}
				s := "{"
				if len(b) >= 4 {
					s += "l_onoff=" + sdec(int64(int32(le.Uint32(b))))
				}
				if len(b) >= 8 {
					s += ", l_linger=" + sdec(int64(int32(le.Uint32(b[4:]))))
				}
				return s + "}"
			case name == unix.SO_PEERCRED && get:
				b, ok := readFull(mem, a, uint64(min(n, 12)))
				if !ok {
					return ptr(a)
				}
				var parts []string
				if len(b) >= 4 {
					parts = append(parts, "pid="+sdec(int64(int32(le.Uint32(b)))))
				}
				if len(b) >= 8 {
					parts = append(parts, "uid="+udec(uint64(le.Uint32(b[4:]))))
				}
				if len(b) >= 12 {
					parts = append(parts, "gid="+udec(uint64(le.Uint32(b[8:]))))
				}
				return "{" + strings.Join(parts, ", ") + "}"
			case name == unix.SO_ERROR && get:
				if n < 4 {
					return quoteHexN(mem, a, n)
				}
				b, ok := readFull(mem, a, 4)
				if !ok {
					return ptr(a)
				}
				e := le.Uint32(b)
				if name := errnoName(e); name != "" {
					return "[" + name + "]"
				}
				return "[" + udec(uint64(e)) + "]"
			case intLikeSockopts.Get()[uint32(name)]:
				return intOpt()
			}
		case 270: // SOL_NETLINK
			if get {
				return readInt(mem, a)
			}
			return intOpt()
		}
	}
	if n == 4 {
		return readInt(mem, a)
	}
	return buffer(mem, a, uint64(n), limit)
}

// quoteHexN prints n bytes at a in hex, as strace's QUOTE_FORCE_HEX.
func quoteHexN(mem Memory, a uint64, n int64) string {
	if a == 0 {
		return "NULL"
	}
	b, ok := readFull(mem, a, uint64(max(n, 0)))
	if !ok {
		return ptr(a)
	}
	return quoteHex(b)
}

// errnoName names an errno for SO_ERROR: "" for 0 and unknown numbers
// (strace prints 0 as a number).
func errnoName(e uint32) string {
	if e == 0 || e > maxErrno {
		return ""
	}
	return ErrnoName(syscall.Errno(e))
}

// The argument kinds of the socket calls.
var (
	// AddrFamily prints a socket family.
	AddrFamily = xvalArg(&addrFamilies)
	// SockType prints a socket type with its flags.
	SockType = Arg{text: func(d *decoder, i int) string { return sockTypeIn(d.opt, d.arg(i)) }}
	// SockProtocol prints socket's protocol, by the family before it.
	SockProtocol = Arg{
		text: func(d *decoder, i int) string { return protocolText(d.arg(i-2), d.arg(i)) },
		raw: func(d *decoder, i int) string {
			switch d.arg(i - 2) {
			case unix.AF_INET, unix.AF_INET6, unix.AF_NETLINK:
				return hex32(d.arg(i))
			}
			return udec(d.arg(i))
		},
	}
	// SockFlags prints accept4's flags.
	SockFlags = flagsArg(&sockTypeFlags)
	// MsgFlags prints the flags of the send and receive calls.
	MsgFlags = flagsArg(&msgFlags)
	// ShutdownHow prints shutdown's how.
	ShutdownHow = xvalArg(&shutdownHow)
	// SockaddrIn prints a socket address the caller passes, its length
	// the next argument.
	SockaddrIn = Arg{text: func(d *decoder, i int) string {
		return sockaddrStyled(d.opt, d.mem, d.arg(i), int64(int32(d.arg(i+1))))
	}}
	// SockLevel prints a socket option's level.
	SockLevel = xvalArg(&socketLevels)
	// SockoptName prints a socket option's name, by its level.
	SockoptName = Arg{text: func(d *decoder, i int) string { return sockoptName(d.arg(i-1), d.arg(i)) }}
	// SetsockoptVal prints setsockopt's value.
	SetsockoptVal = Arg{text: func(d *decoder, i int) string {
		return sockoptValue(d.mem, d.arg(1), d.arg(2), d.arg(i), int64(int32(d.arg(i+1))), false, d.limit)
	}}
	// SendBuf prints the buffer of send and sendto: a write buffer.
	SendBuf = WriteBuf
	// RecvBuf prints the buffer of recv and recvfrom: what the call
	// returned, at most the buffer's size.
	RecvBuf = Arg{text: func(d *decoder, i int) string {
		if d.failed() {
			return ptr(d.arg(i))
		}
		return buffer(d.mem, d.arg(i), min(uint64(d.c.Ret), d.arg(i+1)), d.limit)
	}}
	// MsghdrOut prints sendmsg's message.
	MsghdrOut = Arg{text: func(d *decoder, i int) string {
		return msghdrText(d.opt, d.mem, d.arg(i), -1, ^uint64(0), d.limit)
	}}
	// MsghdrIn prints recvmsg's message at exit, and keeps the
	// msg_namelen the caller passed.
	MsghdrIn = Arg{
		lateIf: func(d *decoder, i int) bool { return d.arg(i) != 0 && readable(d.mem, d.arg(i), msghdrSize) },
		keep: func(d *decoder, i int) uint64 {
			b, ok := readFull(d.mem, d.arg(i), msghdrSize)
			if !ok || d.arg(i) == 0 {
				return 0
			}
			return uint64(le.Uint32(b[8:]))
		},
		text: func(d *decoder, i int) string {
			a := d.arg(i)
			if !d.c.Done {
				return ptr(a)
			}
			namelen := int64(int32(d.c.kept[i]))
			if d.failed() {
				return "{msg_namelen=" + sdec(namelen) + "}"
			}
			return msghdrText(d.opt, d.mem, a, namelen, uint64(d.c.Ret), d.limit)
		},
	}
)

// readable says the n bytes at a can be read.
func readable(mem Memory, a, n uint64) bool {
	_, ok := readFull(mem, a, n)
	return ok
}

// socklenAt reads the int a socklen_t pointer points to.
func socklenAt(mem Memory, a uint64) (int64, bool) {
	if a == 0 {
		return 0, false
	}
	b, ok := readFull(mem, a, 4)
	if !ok {
		return 0, false
	}
	return int64(int32(le.Uint32(b))), true
}

// sockname returns the two arguments of a call that stores a socket
// address and its length (accept, getsockname, recvfrom), at raw indexes
// a and a+1: strace reads the length at entry and, when it could, prints
// both at exit, the length as [ulen => rlen]; when it could not, it
// prints both pointers at entry. recvfrom always prints them at exit.
func sockname(alwaysLate bool) (addr, length Arg) {
	known := func(d *decoder, i int) bool {
		_, ok := socklenAt(d.mem, d.arg(i+1))
		return d.arg(i) != 0 && ok
	}
	addr = Arg{
		lateIf: func(d *decoder, i int) bool { return alwaysLate || known(d, i) },
		text: func(d *decoder, i int) string {
			a := d.arg(i)
			if !d.c.Done {
				return ptr(a)
			}
			ulen := int64(int32(d.c.kept[i+1]))
			rlen, ok := socklenAt(d.mem, d.arg(i+1))
			if !ok || a == 0 || d.failed() {
				return ptr(a)
			}
			return sockaddrStyled(d.opt, d.mem, a, min(ulen, rlen))
		},
	}
	length = Arg{
		keep: func(d *decoder, i int) uint64 {
			v, _ := socklenAt(d.mem, d.arg(i))
			return uint64(v)
		},
		text: func(d *decoder, i int) string {
			a := d.arg(i)
			if !d.c.Done {
				return ptr(a)
			}
			ulen := int64(int32(d.c.kept[i]))
			rlen, ok := socklenAt(d.mem, a)
			if alwaysLate && (!ok || d.arg(i-1) == 0) {
				return ptr(a)
			}
			if !ok || d.failed() {
				return "[" + sdec(ulen) + "]"
			}
			if ulen != rlen {
				return "[" + sdec(ulen) + " => " + sdec(rlen) + "]"
			}
			return "[" + sdec(rlen) + "]"
		},
	}
	return addr, length
}

var (
	// SocknameAddr and SocknameLen are the address and length of
	// accept, accept4, getsockname and getpeername.
	SocknameAddr, SocknameLen = sockname(false)
	// RecvfromAddr and RecvfromLen are recvfrom's.
	RecvfromAddr, RecvfromLen = sockname(true)
)

// getsockoptValue and getsockoptLen are getsockopt's value and length,
// printed at exit when strace could read the length at entry.
var (
	GetsockoptVal = Arg{
		lateIf: func(d *decoder, i int) bool { _, ok := socklenAt(d.mem, d.arg(i+1)); return ok },
		text: func(d *decoder, i int) string {
			a := d.arg(i)
			if !d.c.Done {
				return ptr(a)
			}
			ulen := int64(int32(d.c.kept[i+1]))
			rlen, ok := socklenAt(d.mem, d.arg(i+1))
			if !ok || d.failed() || ulen <= 0 || rlen <= 0 {
				return ptr(a)
			}
			return sockoptValue(d.mem, d.arg(1), d.arg(2), a, rlen, true, d.limit)
		},
	}
	GetsockoptLen = Arg{
		keep: func(d *decoder, i int) uint64 { v, _ := socklenAt(d.mem, d.arg(i)); return uint64(v) },
		text: func(d *decoder, i int) string {
			a := d.arg(i)
			if !d.c.Done {
				return ptr(a)
			}
			ulen := int64(int32(d.c.kept[i]))
			rlen, ok := socklenAt(d.mem, a)
			if !ok {
				return "[" + sdec(ulen) + "]"
			}
			if ulen != rlen {
				return "[" + sdec(ulen) + " => " + sdec(rlen) + "]"
			}
			return "[" + sdec(rlen) + "]"
		},
	}
)

// The iovec arguments of readv and writev.
var (
	// IovWrite prints the buffers of writev and pwritev at entry, their
	// count the next argument.
	IovWrite = Arg{text: func(d *decoder, i int) string {
		return iovecs(d.mem, d.arg(i), d.arg(i+1), ^uint64(0), true, d.limit)
	}}
	// IovRead prints the buffers of readv and preadv at exit: as many
	// bytes as the call returned, or the buffers' addresses when it
	// failed.
	IovRead = Arg{text: func(d *decoder, i int) string {
		if d.failed() {
			return iovecs(d.mem, d.arg(i), d.arg(i+1), 0, false, d.limit)
		}
		return iovecs(d.mem, d.arg(i), d.arg(i+1), uint64(d.c.Ret), true, d.limit)
	}}
)
