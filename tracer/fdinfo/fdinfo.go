// Package fdinfo says what a traced process's file descriptor refers to,
// as strace -y and -yy print it after the fd: a path, "pipe:[123]",
// "socket:[456]", and with -yy a socket's protocol and addresses,
// "TCP:[127.0.0.1:42005->127.0.0.1:45324]", "UNIX-STREAM:[789]".
//
// Like strace it reads /proc/TID/fd/N (and /proc/TID/cwd for AT_FDCWD).
// For -yy it asks the kernel about the socket: an IPv4 or IPv6 one is
// borrowed through pidfd_getfd for getsockname and getpeername (strace
// asks inet_diag; the answers are the same), a UNIX one is looked up by
// inode through sock_diag, which knows its peer and path, as strace
// does; /proc/TID/net is the last resort. A socket the kernel cannot
// describe (a TCP socket not yet bound) prints as "TCP:[inode]", its
// protocol read as strace reads it (the system.sockprotoname attribute).
// The last description of each socket is kept, as strace keeps it.
package fdinfo

import (
	"bufio"
	"encoding/hex"
	"fmt"
	"net"
	"os"
	"strconv"
	"strings"
	"sync"

	"golang.org/x/sys/unix"

	"github.com/mmtrace/mmtrace/internal/ptrace"
	"github.com/mmtrace/mmtrace/tracer/sys"
)

// Level is how much is said: Path (-y) or All (-yy).
type Level int

// The levels.
const (
	Path Level = 1
	All  Level = 2
)

// Resolver returns a sys.Options.FDPath for a trace: it finds the task
// from the tracee memory the decoder reads (the tracer's ptrace.Mem).
func Resolver(l Level) func(mem sys.Memory, fd int) (string, bool) {
	c := &cache{}
	return func(mem sys.Memory, fd int) (string, bool) {
		m, ok := mem.(*ptrace.Mem)
		if !ok || m.Tid <= 0 {
			return "", false
		}
		return c.describe(m.Tid, fd, l)
	}
}

// cache keeps, as strace's socketutils.c does, the last description of
// a socket the kernel described, in one of 256 slots by inode: a socket
// is shown as it was last seen whole, so that close(4) of a pair whose
// other end is gone still shows "UNIX-STREAM:[1235->1234]", as strace
// prints it.
type cache struct {
	mu    sync.Mutex
	slots [256]struct {
		ino  string
		text string
	}
}

func (c *cache) slot(ino string) int {
	n, _ := strconv.ParseUint(ino, 10, 64)
	return int(n & 255)
}

// Describe says what fd (or AT_FDCWD) of task tid refers to, without
// a cache.
func Describe(tid, fd int, l Level) (string, bool) {
	return (&cache{}).describe(tid, fd, l)
}

func (c *cache) describe(tid, fd int, l Level) (string, bool) {
	link := "/proc/" + strconv.Itoa(tid) + "/fd/" + strconv.Itoa(fd)
	if fd == unix.AT_FDCWD {
		link = "/proc/" + strconv.Itoa(tid) + "/cwd"
	}
	target, err := os.Readlink(link)
	if err != nil {
		return "", false
	}
	if l < All {
		return target, true
	}
	if ino, ok := strings.CutPrefix(target, "socket:["); ok {
		ino = strings.TrimSuffix(ino, "]")
		c.mu.Lock()
		e := c.slots[c.slot(ino)]
		c.mu.Unlock()
		if e.ino == ino {
			return e.text, true
		}
		s, ok := inetSocket(tid, fd, ino)
		if !ok {
			s, ok = unixSocket(ino)
		}
		if !ok {
			s, ok = socket(tid, ino)
		}
		if ok && !strings.HasSuffix(s, ":["+ino+"]") {
			// Described by the kernel, not by its inode alone.
			c.mu.Lock()
			c.slots[c.slot(ino)] = struct{ ino, text string }{ino, s}
			c.mu.Unlock()
			return s, true
		}
		if ok {
			return s, true
		}
		var buf [32]byte
		if n, err := unix.Getxattr(link, "system.sockprotoname", buf[:]); err == nil && n > 0 {
			return strings.TrimRight(string(buf[:n]), "\x00") + ":[" + ino + "]", true
		}
	}
	return target, true
}

// socket describes the socket of inode ino from the process's network
// tables.
func socket(tid int, ino string) (string, bool) {
	net := "/proc/" + strconv.Itoa(tid) + "/net/"
	for _, t := range []struct{ file, proto string }{
		{"tcp", "TCP"}, {"tcp6", "TCPv6"}, {"udp", "UDP"}, {"udp6", "UDPv6"},
	} {
		if local, remote, ok := inetEntry(net+t.file, ino); ok {
			switch {
			case remote != "":
				return t.proto + ":[" + local + "->" + remote + "]", true
			default:
				return t.proto + ":[" + local + "]", true
			}
		}
	}
	if typ, path, ok := unixEntry(net+"unix", ino); ok {
		s := "UNIX-" + typ + ":[" + ino
		if path != "" {
			s += "," + strconv.Quote(path)
		}
		return s + "]", true
	}
	return "", false
}

// inetEntry finds inode ino in a /proc/net/tcp-style table and returns
// its local and, when connected, remote address as strace prints them:
// 127.0.0.1:80, [::1]:80.
func inetEntry(file, ino string) (local, remote string, ok bool) {
	f, err := os.Open(file)
	if err != nil {
		return "", "", false
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Scan() // the heading
	for sc.Scan() {
		// sl local rem st tx:rx tr:when retrnsmt uid timeout inode
		fs := strings.Fields(sc.Text())
		if len(fs) < 10 || fs[9] != ino {
			continue
		}
		local, ok1 := hexAddr(fs[1])
		rem, ok2 := hexAddr(fs[2])
		if !ok1 || !ok2 {
			return "", "", false
		}
		if strings.HasSuffix(fs[2], ":0000") && allZero(fs[2]) {
			rem = ""
		}
		return local, rem, true
	}
	return "", "", false
}

func allZero(s string) bool { return strings.Trim(s, "0:") == "" }

// hexAddr decodes /proc/net's "0100007F:A415": the address in the
// kernel's byte order, 32-bit word by word, then the port in hex.
func hexAddr(s string) (string, bool) {
	a, p, ok := strings.Cut(s, ":")
	if !ok {
		return "", false
	}
	raw, err := hex.DecodeString(a)
	port, perr := strconv.ParseUint(p, 16, 16)
	if err != nil || perr != nil || (len(raw) != 4 && len(raw) != 16) {
		return "", false
	}
	for i := 0; i+4 <= len(raw); i += 4 { // each word is little-endian
		raw[i], raw[i+1], raw[i+2], raw[i+3] = raw[i+3], raw[i+2], raw[i+1], raw[i]
	}
	ip := net.IP(raw)
	if len(raw) == 16 {
		return fmt.Sprintf("[%s]:%d", ip, port), true
	}
	return fmt.Sprintf("%s:%d", ip, port), true
}

// unixEntry finds inode ino in /proc/net/unix: its type (STREAM, DGRAM,
// SEQPACKET) and path ("@name" for an abstract one).
func unixEntry(file, ino string) (typ, path string, ok bool) {
	f, err := os.Open(file)
	if err != nil {
		return "", "", false
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Scan()
	for sc.Scan() {
		// Num RefCount Protocol Flags Type St Inode Path
		fs := strings.Fields(sc.Text())
		if len(fs) < 7 || fs[6] != ino {
			continue
		}
		switch fs[4] {
		case "0001":
			typ = "STREAM"
		case "0002":
			typ = "DGRAM"
		case "0005":
			typ = "SEQPACKET"
		default:
			typ = "STREAM"
		}
		if len(fs) > 7 {
			path = fs[7]
		}
		return typ, path, true
	}
	return "", "", false
}
