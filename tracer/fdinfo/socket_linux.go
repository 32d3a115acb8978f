//go:build linux

package fdinfo

import (
	"encoding/binary"
	"fmt"
	"net"
	"os"
	"strconv"
	"strings"

	"golang.org/x/sys/unix"
)

// inetSocket describes an IPv4 or IPv6 socket of process pid, as strace
// -yy does: the protocol, then the local address and, when connected,
// the peer: "TCP:[127.0.0.1:42005->127.0.0.1:45324]"; one not bound yet
// by its inode, "TCP:[3248481]". The socket is borrowed through
// pidfd_getfd (the tracer may: it traces the process) for getsockname
// and getpeername, and let go at once: the process's own fd is
// untouched. false when the socket is not an inet one or cannot be
// borrowed.
func inetSocket(tid, fd int, ino string) (string, bool) {
	pid, ok := tgid(tid)
	if !ok {
		return "", false
	}
	pidfd, err := unix.PidfdOpen(pid, 0)
	if err != nil {
		return "", false
	}
	defer unix.Close(pidfd)
	s, err := unix.PidfdGetfd(pidfd, fd, 0)
	if err != nil {
		return "", false
	}
	defer unix.Close(s)
	domain, err1 := unix.GetsockoptInt(s, unix.SOL_SOCKET, unix.SO_DOMAIN)
	typ, err2 := unix.GetsockoptInt(s, unix.SOL_SOCKET, unix.SO_TYPE)
	proto, err3 := unix.GetsockoptInt(s, unix.SOL_SOCKET, unix.SO_PROTOCOL)
	if err1 != nil || err2 != nil || err3 != nil || (domain != unix.AF_INET && domain != unix.AF_INET6) {
		return "", false
	}
	var name string
	switch {
	case proto == unix.IPPROTO_TCP || (proto == 0 && typ == unix.SOCK_STREAM):
		name = "TCP"
	case proto == unix.IPPROTO_UDP || (proto == 0 && typ == unix.SOCK_DGRAM):
		name = "UDP"
	default:
		return "", false
	}
	if domain == unix.AF_INET6 {
		name += "v6"
	}
	local, err := unix.Getsockname(s)
	l, bound := inetAddr(local)
	if err != nil || !bound {
		return name + ":[" + ino + "]", true
	}
	if peer, err := unix.Getpeername(s); err == nil {
		if r, ok := inetAddr(peer); ok {
			return name + ":[" + l + "->" + r + "]", true
		}
	}
	return name + ":[" + l + "]", true
}

// inetAddr formats an address as strace does, 127.0.0.1:80 or
// [::1]:80; false for the unbound 0.0.0.0:0.
func inetAddr(sa unix.Sockaddr) (string, bool) {
	switch a := sa.(type) {
	case *unix.SockaddrInet4:
		ip := net.IP(a.Addr[:])
		return fmt.Sprintf("%s:%d", ip, a.Port), a.Port != 0 || !ip.IsUnspecified()
	case *unix.SockaddrInet6:
		ip := net.IP(a.Addr[:])
		return fmt.Sprintf("[%s]:%d", ip, a.Port), a.Port != 0 || !ip.IsUnspecified()
	}
	return "", false
}

// unixSocket describes an AF_UNIX socket by its inode, as strace -yy
// does, from the kernel's sock_diag: "UNIX-STREAM:[1234->1235]" for a
// connected one, with ',"path"' after the inodes for one bound to a path.
// false when sock_diag does not answer (no unix_diag in the kernel, the
// socket in another network namespace).
func unixSocket(ino string) (string, bool) {
	n, err := strconv.ParseUint(ino, 10, 32)
	if err != nil {
		return "", false
	}
	nl, err := unix.Socket(unix.AF_NETLINK, unix.SOCK_DGRAM|unix.SOCK_CLOEXEC, unix.NETLINK_SOCK_DIAG)
	if err != nil {
		return "", false
	}
	defer unix.Close(nl)
	const (
		showName = 1 << 0 // UDIAG_SHOW_NAME
		showPeer = 1 << 2 // UDIAG_SHOW_PEER
		attrName = 0      // UNIX_DIAG_NAME
		attrPeer = 2      // UNIX_DIAG_PEER
	)
	// struct nlmsghdr, then struct unix_diag_req.
	req := make([]byte, 16+24)
	le := binary.LittleEndian
	if !isLittleEndian() {
		return "", false
	}
	le.PutUint32(req[0:], uint32(len(req)))
	le.PutUint16(req[4:], unix.SOCK_DIAG_BY_FAMILY)
	le.PutUint16(req[6:], unix.NLM_F_REQUEST)
	req[16] = unix.AF_UNIX
	le.PutUint32(req[20:], 0xffffffff) // every state
	le.PutUint32(req[24:], uint32(n))
	le.PutUint32(req[28:], showName|showPeer)
	le.PutUint32(req[32:], 0xffffffff) // no cookie
	le.PutUint32(req[36:], 0xffffffff)
	if err := unix.Sendto(nl, req, 0, &unix.SockaddrNetlink{Family: unix.AF_NETLINK}); err != nil {
		return "", false
	}
	buf := make([]byte, 8192)
	m, _, err := unix.Recvfrom(nl, buf, 0)
	if err != nil || m < 16+16 {
		return "", false
	}
	buf = buf[:m]
	if int(le.Uint32(buf[0:])) > m || le.Uint16(buf[4:]) != unix.SOCK_DIAG_BY_FAMILY {
		return "", false // NLMSG_ERROR: not found, or no unix_diag
	}
	msg := buf[16:le.Uint32(buf[0:])]
	// struct unix_diag_msg: family, type, state, pad, ino, cookie[2].
	typ, gotIno := msg[1], le.Uint32(msg[4:])
	if gotIno != uint32(n) {
		return "", false
	}
	var peer uint32
	var path string
	for a := msg[16:]; len(a) >= 4; {
		l := int(le.Uint16(a[0:]))
		if l < 4 || l > len(a) {
			break
		}
		switch le.Uint16(a[2:]) {
		case attrPeer:
			if l >= 8 {
				peer = le.Uint32(a[4:])
			}
		case attrName:
			p := a[4:l]
			if len(p) > 0 && p[0] == 0 {
				path = "@" + string(p[1:]) // abstract
			} else {
				path = strings.TrimRight(string(p), "\x00")
			}
		}
		a = a[min((l+3)&^3, len(a)):]
	}
	s := "UNIX-" + unixType(typ) + ":[" + ino
	if peer != 0 {
		s += "->" + strconv.FormatUint(uint64(peer), 10)
	}
	if path != "" {
		s += "," + strconv.Quote(path)
	}
	return s + "]", true
}

func unixType(t byte) string {
	switch t {
	case unix.SOCK_DGRAM:
		return "DGRAM"
	case unix.SOCK_SEQPACKET:
		return "SEQPACKET"
	}
	return "STREAM"
}

// isLittleEndian: the netlink request is in host order, written here
// little-endian; both ABIs mmtrace traces (amd64, arm64) are.
func isLittleEndian() bool { return binary.NativeEndian.Uint16([]byte{1, 0}) == 1 }

// tgid returns the process a task belongs to, from /proc/TID/status.
func tgid(tid int) (int, bool) {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(tid) + "/status")
	if err != nil {
		return 0, false
	}
	for _, l := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(l, "Tgid:"); ok {
			n, err := strconv.Atoi(strings.TrimSpace(v))
			return n, err == nil
		}
	}
	return 0, false
}
