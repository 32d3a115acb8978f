package sys

import (
	"strings"

	"github.com/mmtrace/mmtrace/internal/lazy"
	"golang.org/x/sys/unix"
)

// The calls on file descriptors that are not reads and writes: fcntl,
// pipes, polling (poll, select, epoll), and the fds that stand for
// something else (eventfd, timerfd, signalfd, inotify).

// fcntlCmds is fcntlcmds as strace 6.1 knows them. F_GETLK64 and its
// siblings are the 32-bit ABIs' numbers, which strace names everywhere.
var fcntlCmds = flagSet{"F_???", []flag{
	{unix.F_DUPFD, "F_DUPFD"}, {unix.F_GETFD, "F_GETFD"}, {unix.F_SETFD, "F_SETFD"},
	{unix.F_GETFL, "F_GETFL"}, {unix.F_SETFL, "F_SETFL"}, {unix.F_GETLK, "F_GETLK"},
	{unix.F_SETLK, "F_SETLK"}, {unix.F_SETLKW, "F_SETLKW"}, {unix.F_SETOWN, "F_SETOWN"},
	{unix.F_GETOWN, "F_GETOWN"}, {unix.F_SETSIG, "F_SETSIG"}, {unix.F_GETSIG, "F_GETSIG"},
	{12, "F_GETLK64"}, {13, "F_SETLK64"}, {14, "F_SETLKW64"},
	{unix.F_SETOWN_EX, "F_SETOWN_EX"}, {unix.F_GETOWN_EX, "F_GETOWN_EX"}, {17, "F_GETOWNER_UIDS"},
	{unix.F_OFD_GETLK, "F_OFD_GETLK"}, {unix.F_OFD_SETLK, "F_OFD_SETLK"}, {unix.F_OFD_SETLKW, "F_OFD_SETLKW"},
	{unix.F_SETLEASE, "F_SETLEASE"}, {unix.F_GETLEASE, "F_GETLEASE"}, {unix.F_NOTIFY, "F_NOTIFY"},
	{1029, "F_CANCELLK"}, {unix.F_DUPFD_CLOEXEC, "F_DUPFD_CLOEXEC"},
	{unix.F_SETPIPE_SZ, "F_SETPIPE_SZ"}, {unix.F_GETPIPE_SZ, "F_GETPIPE_SZ"},
	{unix.F_ADD_SEALS, "F_ADD_SEALS"}, {unix.F_GET_SEALS, "F_GET_SEALS"},
}}

// The tables of fcntl's arguments and results.
var (
	fdFlags   = flagSet{"FD_???", []flag{{unix.FD_CLOEXEC, "FD_CLOEXEC"}}}
	lockTypes = flagSet{"F_???", []flag{
		{unix.F_RDLCK, "F_RDLCK"}, {unix.F_WRLCK, "F_WRLCK"}, {unix.F_UNLCK, "F_UNLCK"},
		{4, "F_EXLCK"}, {8, "F_SHLCK"},
	}}
	ownerTypes = flagSet{"F_OWNER_???", []flag{
		{0, "F_OWNER_TID"}, {1, "F_OWNER_PID"}, {2, "F_OWNER_PGRP"},
	}}
	notifyFlags = flagSet{"DN_???", []flag{
		{0x1, "DN_ACCESS"}, {0x2, "DN_MODIFY"}, {0x4, "DN_CREATE"},
		{0x8, "DN_DELETE"}, {0x10, "DN_RENAME"}, {0x20, "DN_ATTRIB"},
		{0x80000000, "DN_MULTISHOT"},
	}}
	sealFlags = flagSet{"F_SEAL_???", []flag{
		{unix.F_SEAL_SEAL, "F_SEAL_SEAL"}, {unix.F_SEAL_SHRINK, "F_SEAL_SHRINK"},
		{unix.F_SEAL_GROW, "F_SEAL_GROW"}, {unix.F_SEAL_WRITE, "F_SEAL_WRITE"},
		{unix.F_SEAL_FUTURE_WRITE, "F_SEAL_FUTURE_WRITE"},
	}}
)

// flockSize is sizeof(struct flock) on a 64-bit ABI.
const flockSize = 32

// flockText formats a struct flock; l_pid only for F_GETLK, whose answer
// it is.
func flockText(b []byte, withPid bool) string {
	s := "{l_type=" + lockTypes.xval(uint64(le.Uint16(b[0:]))) +
		", l_whence=" + seekWhence.xval(uint64(le.Uint16(b[2:]))) +
		", l_start=" + sdec(int64(le.Uint64(b[8:]))) +
		", l_len=" + sdec(int64(le.Uint64(b[16:])))
	if withPid {
		s += ", l_pid=" + sdec(int64(int32(le.Uint32(b[24:]))))
	}
	return s + "}"
}

// The argument kinds and results of fcntl.
var (
	// FcntlCmd prints fcntl's command.
	FcntlCmd = xvalArg(&fcntlCmds)
	// Flock prints the struct flock of a lock request.
	Flock = fetchedN(flockSize, func(_ *decoder, b []byte) string { return flockText(b, false) })
	// FlockAnswer prints the struct flock F_GETLK filled in.
	FlockAnswer = fetchedN(flockSize, func(_ *decoder, b []byte) string { return flockText(b, true) })
	// OwnerEx prints a struct f_owner_ex.
	OwnerEx = fetchedN(8, func(_ *decoder, b []byte) string {
		return "{type=" + ownerTypes.xval(uint64(le.Uint32(b))) + ", pid=" + sdec(int64(int32(le.Uint32(b[4:])))) + "}"
	})
)

// fdFlagsResult, openModesResult, leaseResult, sealsResult and
// sigResult format what fcntl's getters return, as strace does: the
// value, then what it means (FD_CLOEXEC and the seals in the -X style,
// as strace prints them; the open flags by name whatever -X says, as
// strace 6.1 does).
func fdFlagsResult(d *decoder) string {
	if d.c.Ret == 0 {
		return "0"
	}
	v := uint64(d.c.Ret)
	return hexNum(v) + " (flags " + d.opt.styledHex(v, fdFlags.flagsNoDefault(v)) + ")"
}

func openModesResult(d *decoder) string {
	return hexNum(uint64(d.c.Ret)) + " (flags " + openFlags(d.c.Arch, uint64(d.c.Ret)) + ")"
}

func leaseResult(d *decoder) string {
	if name, ok := lockTypes.lookup(uint64(d.c.Ret)); ok {
		return hexNum(uint64(d.c.Ret)) + " (" + name + ")"
	}
	return hexNum(uint64(d.c.Ret))
}

func sealsResult(d *decoder) string {
	if d.c.Ret == 0 {
		return "0"
	}
	v := uint64(d.c.Ret)
	return hexNum(v) + " (seals " + d.opt.styledHex(v, sealFlags.flagsNoDefault(v)) + ")"
}

func sigResult(d *decoder) string {
	if d.c.Ret == 0 {
		return "0"
	}
	if name, ok := signame(d.c.Ret); ok {
		return sdec(d.c.Ret) + " (" + name + ")"
	}
	return sdec(d.c.Ret)
}

// fcntlSpecs are fcntl's lines by command, as strace 6.1's print_fcntl
// prints them; any other command prints its argument in hex.
var fcntlSpecs = lazy.Of(func() map[uint32]*spec {
	return map[uint32]*spec{
		unix.F_DUPFD:         call(FD, FcntlCmd, Int).ret(RetFD),
		unix.F_DUPFD_CLOEXEC: call(FD, FcntlCmd, Int).ret(RetFD),
		unix.F_GETFD:         call(FD, FcntlCmd).resText(fdFlagsResult),
		unix.F_SETFD:         call(FD, FcntlCmd, flags64Arg(&fdFlags)),
		unix.F_GETFL:         call(FD, FcntlCmd).resText(openModesResult),
		unix.F_SETFL:         call(FD, FcntlCmd, OpenFlags),
		unix.F_GETLK:         call(FD, FcntlCmd, exit(FlockAnswer)),
		unix.F_SETLK:         call(FD, FcntlCmd, Flock),
		unix.F_SETLKW:        call(FD, FcntlCmd, Flock),
		unix.F_OFD_GETLK:     call(FD, FcntlCmd, exit(FlockAnswer)),
		unix.F_OFD_SETLK:     call(FD, FcntlCmd, Flock),
		unix.F_OFD_SETLKW:    call(FD, FcntlCmd, Flock),
		unix.F_SETOWN:        call(FD, FcntlCmd, Int),
		unix.F_GETOWN:        call(FD, FcntlCmd),
		unix.F_SETOWN_EX:     call(FD, FcntlCmd, OwnerEx),
		unix.F_GETOWN_EX:     call(FD, FcntlCmd, exit(OwnerEx)),
		unix.F_SETSIG:        call(FD, FcntlCmd, Signal),
		unix.F_GETSIG:        call(FD, FcntlCmd).resText(sigResult),
		unix.F_SETLEASE:      call(FD, FcntlCmd, val(lockTypes.xval)),
		unix.F_GETLEASE:      call(FD, FcntlCmd).resText(leaseResult),
		unix.F_NOTIFY:        call(FD, FcntlCmd, flags64Arg(&notifyFlags)),
		unix.F_SETPIPE_SZ:    call(FD, FcntlCmd, Int),
		unix.F_GETPIPE_SZ:    call(FD, FcntlCmd),
		unix.F_ADD_SEALS:     call(FD, FcntlCmd, flags64Arg(&sealFlags)),
		unix.F_GET_SEALS:     call(FD, FcntlCmd).resText(sealsResult),
	}
})

// fcntlSpec is fcntl's default line.
var fcntlSpec = &spec{
	args:   []Arg{FD, FcntlCmd, Hex},
	result: RetInt,
	sel:    func(c *Call) *spec { return fcntlSpecs.Get()[uint32(c.Args[1])] },
}

// pollFlags is pollflags.
var pollFlags = flagSet{"POLL???", []flag{
	{0x1, "POLLIN"}, {0x2, "POLLPRI"}, {0x4, "POLLOUT"},
	{0x8, "POLLERR"}, {0x10, "POLLHUP"}, {0x20, "POLLNVAL"},
	{0x40, "POLLRDNORM"}, {0x80, "POLLRDBAND"}, {0x100, "POLLWRNORM"},
	{0x200, "POLLWRBAND"}, {0x400, "POLLMSG"}, {0x1000, "POLLREMOVE"}, {0x2000, "POLLRDHUP"},
	{0x8000, "POLL_BUSY_LOOP"},
}}

// array formats n elements of size bytes at a as strace's print_array:
// NULL, [], the address when the first cannot be read, "..." after limit
// elements, and "... /* 0x... */" where memory runs out.
func array(mem Memory, a, n, size uint64, limit int, elem func(b []byte) string) string {
	if a == 0 {
		return "NULL"
	}
	if n == 0 {
		return "[]"
	}
	if total := n * size; total/size != n || a+total <= a {
		return ptr(a)
	}
	var s strings.Builder
	for i := uint64(0); i < n; i++ {
		cur := a + i*size
		if i > 0 {
			s.WriteString(", ")
		}
		b, ok := readFull(mem, cur, size)
		if !ok {
			if i == 0 {
				return ptr(cur)
			}
			s.WriteString("... /* " + ptr(cur) + " */")
			break
		}
		if i == 0 {
			s.WriteByte('[')
		}
		if i >= uint64(limit) {
			s.WriteString("...")
			break
		}
		s.WriteString(elem(b))
	}
	s.WriteByte(']')
	return s.String()
}

// pollfdIn formats a struct pollfd as poll's input: {fd=3,
// events=POLLIN}, the events in o's -X style, or just the fd when it is
// negative.
func pollfdIn(o *Options, b []byte) string {
	fd := int32(le.Uint32(b))
	if fd < 0 {
		return "{fd=" + sdec(int64(fd)) + "}"
	}
	return "{fd=" + sdec(int64(fd)) + ", events=" + pollFlags.flagsIn(o, uint64(le.Uint16(b[4:]))) + "}"
}

// pollResult formats poll's and ppoll's result as strace does: the
// count, then the fds with events and the time left (ppoll).
func pollResult(d *decoder, ts uint64, timeText func(Memory, uint64) string) string {
	n := d.c.Ret
	if n == 0 {
		return "0 (Timeout)"
	}
	var s strings.Builder
	start, nfds := d.arg(0), uint64(uint32(d.arg(1)))
	end := start + 8*nfds
	if start != 0 && nfds != 0 && end > start {
		printed := 0
		for cur := start; cur < end; cur += 8 {
			b, ok := readFull(d.mem, cur, 8)
			if !ok {
				s.WriteString(sepOrOpen(s.Len()))
				s.WriteString(ptr(cur))
				break
			}
			revents := le.Uint16(b[6:])
			if revents == 0 {
				continue
			}
			s.WriteString(sepOrOpen(s.Len()))
			if printed >= d.limit {
				s.WriteString("...")
				break
			}
			s.WriteString("{fd=" + sdec(int64(int32(le.Uint32(b)))) + ", revents=" + pollFlags.flagsNoDefaultIn(d.opt, uint64(revents)) + "}")
			printed++
		}
		if s.Len() > 0 {
			s.WriteByte(']')
		}
	}
	if timeText != nil && ts != 0 {
		if s.Len() > 0 {
			s.WriteString(", ")
		}
		s.WriteString("left " + timeText(d.mem, ts))
	}
	if s.Len() == 0 {
		return sdec(n)
	}
	return sdec(n) + " (" + s.String() + ")"
}

func sepOrOpen(n int) string {
	if n == 0 {
		return "["
	}
	return ", "
}

// timespecAt and timevalAt format the struct at a as strace's sprint_
// functions do: NULL, the address when unreadable, or the struct.
func timespecAt(mem Memory, a uint64) string {
	if a == 0 {
		return "NULL"
	}
	b, ok := readFull(mem, a, 16)
	if !ok {
		return ptr(a)
	}
	return timespec(b)
}

func timevalAt(mem Memory, a uint64) string {
	if a == 0 {
		return "NULL"
	}
	b, ok := readFull(mem, a, 16)
	if !ok {
		return ptr(a)
	}
	return timeval(b)
}

// fdSetSize is how many bytes of each fd_set select reads for nfds:
// whole longs, as the kernel does.
func fdSetSize(nfds int32) uint64 {
	if nfds < 0 {
		nfds = 0
	}
	nfds = min(nfds, 1024*1024)
	return uint64((nfds+7)/8+7) &^ 7
}

// fdSetFDs calls f with each fd in the set below nfds.
func fdSetFDs(b []byte, nfds int32, f func(fd int)) {
	for fd := 0; fd < int(nfds) && fd/8 < len(b); fd++ {
		if b[fd/8]&(1<<(fd%8)) != 0 {
			f(fd)
		}
	}
}

// FDSet prints one of select's fd sets at entry: [3 4].
var FDSet = Arg{text: func(d *decoder, i int) string {
	a := d.arg(i)
	nfds := int32(d.arg(0))
	size := fdSetSize(nfds)
	if size == 0 || a == 0 {
		return ptr(a)
	}
	b, ok := readFull(d.mem, a, size)
	if !ok {
		return ptr(a)
	}
	var s strings.Builder
	s.WriteByte('[')
	first := true
	fdSetFDs(b, max(nfds, 0), func(fd int) {
		if !first {
			s.WriteByte(' ')
		}
		first = false
		s.WriteString(sdec(int64(fd)))
	})
	s.WriteByte(']')
	return s.String()
}}

// selectResult formats select's and pselect6's result: the fds ready in
// each set and the time left, as strace's decode_select does (with the
// "]" it adds after each set once anything is printed).
func selectResult(d *decoder, timeText func(Memory, uint64) string) string {
	ready := d.c.Ret
	if ready == 0 {
		return "0 (Timeout)"
	}
	nfds := max(int32(d.arg(0)), 0)
	size := fdSetSize(nfds)
	var s strings.Builder
	sep := ""
	for i := 0; i < 3 && ready > 0; i++ {
		a := d.arg(i + 1)
		if a == 0 || size == 0 {
			continue
		}
		b, ok := readFull(d.mem, a, size)
		if !ok {
			continue
		}
		first := true
		for fd := 0; fd < int(nfds) && fd/8 < len(b); fd++ {
			if b[fd/8]&(1<<(fd%8)) == 0 {
				continue
			}
			if first {
				s.WriteString(sep + [...]string{"in", "out", "except"}[i] + " [" + sdec(int64(fd)))
				first = false
				sep = ", "
			} else {
				s.WriteString(" " + sdec(int64(fd)))
			}
			if ready--; ready == 0 {
				break
			}
		}
		if s.Len() > 0 {
			s.WriteByte(']')
		}
	}
	if t := d.arg(4); t != 0 {
		s.WriteString(sep + "left " + timeText(d.mem, t))
	}
	return sdec(d.c.Ret) + " (" + s.String() + ")"
}

// The argument kinds of the polling calls.
var (
	// PollFDs prints poll's array at entry.
	PollFDs = Arg{text: func(d *decoder, i int) string {
		return array(d.mem, d.arg(i), uint64(uint32(d.arg(i+1))), 8, d.limit, func(b []byte) string { return pollfdIn(d.opt, b) })
	}}
	// PselectSig prints pselect6's last argument: the address of a
	// {sigmask, sigsetsize} pair.
	PselectSig = fetchedN(16, func(d *decoder, b []byte) string {
		return "{sigmask=" + sigsetAt(d.mem, le.Uint64(b), le.Uint64(b[8:])) + ", sigsetsize=" + udec(le.Uint64(b[8:])) + "}"
	})
)

// epollEvents is epollevents.
var epollEvents = flagSet{"EPOLL???", []flag{
	{0x1, "EPOLLIN"}, {0x2, "EPOLLPRI"}, {0x4, "EPOLLOUT"},
	{0x8, "EPOLLERR"}, {0x10, "EPOLLHUP"}, {0x20, "EPOLLNVAL"},
	{0x40, "EPOLLRDNORM"}, {0x80, "EPOLLRDBAND"}, {0x100, "EPOLLWRNORM"},
	{0x200, "EPOLLWRBAND"}, {0x400, "EPOLLMSG"}, {0x2000, "EPOLLRDHUP"},
	{0x10000000, "EPOLLEXCLUSIVE"}, {0x20000000, "EPOLLWAKEUP"},
	{0x40000000, "EPOLLONESHOT"}, {1 << 31, "EPOLLET"},
}}

// The other tables of the event-fd calls.
var (
	epollCtlOps  = flagSet{"EPOLL_CTL_???", []flag{{1, "EPOLL_CTL_ADD"}, {2, "EPOLL_CTL_DEL"}, {3, "EPOLL_CTL_MOD"}}}
	epollFlags   = flagSet{"EPOLL_???", []flag{{unix.EPOLL_CLOEXEC, "EPOLL_CLOEXEC"}}}
	eventfdFlags = flagSet{"EFD_???", []flag{{1, "EFD_SEMAPHORE"}, {unix.EFD_CLOEXEC, "EFD_CLOEXEC"}, {unix.EFD_NONBLOCK, "EFD_NONBLOCK"}}}
	// timerfdFlags is timerfd_flags, for timerfd_create and
	// timerfd_settime alike.
	timerfdFlags = flagSet{"TFD_???", []flag{
		{1, "TFD_TIMER_ABSTIME"}, {2, "TFD_TIMER_CANCEL_ON_SET"},
		{unix.TFD_CLOEXEC, "TFD_CLOEXEC"}, {unix.TFD_NONBLOCK, "TFD_NONBLOCK"},
	}}
	signalfdFlags = flagSet{"SFD_???", []flag{{unix.SFD_CLOEXEC, "SFD_CLOEXEC"}, {unix.SFD_NONBLOCK, "SFD_NONBLOCK"}}}
	inotifyInit   = flagSet{"IN_???", []flag{{unix.IN_NONBLOCK, "IN_NONBLOCK"}, {unix.IN_CLOEXEC, "IN_CLOEXEC"}}}
	inotifyMask   = flagSet{"IN_???", []flag{
		{unix.IN_ACCESS, "IN_ACCESS"}, {unix.IN_MODIFY, "IN_MODIFY"}, {unix.IN_ATTRIB, "IN_ATTRIB"},
		{unix.IN_CLOSE_WRITE, "IN_CLOSE_WRITE"}, {unix.IN_CLOSE_NOWRITE, "IN_CLOSE_NOWRITE"},
		{unix.IN_OPEN, "IN_OPEN"}, {unix.IN_MOVED_FROM, "IN_MOVED_FROM"}, {unix.IN_MOVED_TO, "IN_MOVED_TO"},
		{unix.IN_CREATE, "IN_CREATE"}, {unix.IN_DELETE, "IN_DELETE"}, {unix.IN_DELETE_SELF, "IN_DELETE_SELF"},
		{unix.IN_MOVE_SELF, "IN_MOVE_SELF"}, {unix.IN_UNMOUNT, "IN_UNMOUNT"}, {unix.IN_Q_OVERFLOW, "IN_Q_OVERFLOW"},
		{unix.IN_IGNORED, "IN_IGNORED"}, {unix.IN_ONLYDIR, "IN_ONLYDIR"}, {unix.IN_DONT_FOLLOW, "IN_DONT_FOLLOW"},
		{unix.IN_EXCL_UNLINK, "IN_EXCL_UNLINK"}, {0x10000000, "IN_MASK_CREATE"}, {unix.IN_MASK_ADD, "IN_MASK_ADD"},
		{unix.IN_ISDIR, "IN_ISDIR"}, {unix.IN_ONESHOT, "IN_ONESHOT"},
	}}
)

// epollEventSize is sizeof(struct epoll_event): packed on x86_64, where
// the data follows the events directly; aligned on aarch64.
func epollEventSize(arch Arch) uint64 {
	if arch == ARM64 {
		return 16
	}
	return 12
}

// epollEventIn formats a struct epoll_event, its events in o's -X
// style.
func epollEventIn(o *Options, arch Arch, b []byte) string {
	off := 4
	if arch == ARM64 {
		off = 8
	}
	data := le.Uint64(b[off:])
	return "{events=" + epollEvents.flagsIn(o, uint64(le.Uint32(b))) +
		", data={u32=" + udec(uint64(uint32(data))) + ", u64=" + udec(data) + "}}"
}

// The argument kinds of epoll and the event fds.
var (
	// EpollFlags prints epoll_create1's flags.
	EpollFlags = flagsArg(&epollFlags)
	// EpollOp prints epoll_ctl's operation.
	EpollOp = xvalArg(&epollCtlOps)
	// EpollEvent prints epoll_ctl's event; EPOLL_CTL_DEL takes none, and
	// strace prints its pointer.
	EpollEvent = Arg{text: func(d *decoder, i int) string {
		a := d.arg(i)
		if uint32(d.arg(1)) == 2 || a == 0 {
			return ptr(a)
		}
		size := epollEventSize(d.c.Arch)
		b, ok := readFull(d.mem, a, size)
		if !ok {
			return ptr(a)
		}
		return epollEventIn(d.opt, d.c.Arch, b)
	}}
	// EpollEvents prints the events epoll_wait returned.
	EpollEvents = Arg{text: func(d *decoder, i int) string {
		a := d.arg(i)
		if d.failed() {
			return ptr(a)
		}
		arch := d.c.Arch
		return array(d.mem, a, uint64(d.c.Ret), epollEventSize(arch), d.limit, func(b []byte) string {
			return epollEventIn(d.opt, arch, b)
		})
	}}
	// EventfdFlags, TimerfdFlags, TimerfdSetFlags, SignalfdFlags,
	// InotifyInitFlags and InotifyMask print those calls' flags.
	EventfdFlags     = flagsArg(&eventfdFlags)
	TimerfdFlags     = flagsArg(&timerfdFlags)
	TimerfdSetFlags  = flagsArg(&timerfdFlags)
	SignalfdFlags    = flagsArg(&signalfdFlags)
	InotifyInitFlags = flagsArg(&inotifyInit)
	InotifyMask      = flagsArg(&inotifyMask)
	// Itimerspec prints a struct itimerspec read at entry or, at exit,
	// one the kernel filled in.
	Itimerspec = fetchedN(32, func(_ *decoder, b []byte) string {
		return "{it_interval=" + timespec(b) + ", it_value=" + timespec(b[16:]) + "}"
	})
	// IntPair prints the two fds pipe and socketpair stored: [3, 4].
	IntPair = fetchedN(8, func(d *decoder, b []byte) string {
		return "[" + d.fd(int64(int32(le.Uint32(b)))) + ", " + d.fd(int64(int32(le.Uint32(b[4:])))) + "]"
	})
)
