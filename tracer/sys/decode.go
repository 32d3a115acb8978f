package sys

import (
	"strings"
	"syscall"

	"github.com/mmtrace/mmtrace/internal/lazy"
	"golang.org/x/sys/unix"
)

// The syscall table is data, as in gVisor's pkg/sentry/strace: one case per
// call, keyed by name so that both ABIs share it, listing how each printed
// argument is formatted and whether it is read at entry or at exit, and
// how the result prints. A call not in the table prints as strace prints a
// call it has no decoder for: its arguments in hex, its result in decimal.
//
// newSpec builds the spec of the call called name, nil for a call with no
// decoder. It is a switch rather than a map so that nothing is built when
// mmtrace starts (the map cost every start about 350 allocations, 45 kB);
// lookup keeps each spec once built.
func newSpec(name string) *spec {
	switch name {
	case "open":
		return call(Path, OpenFlags, OpenMode).ret(RetFD)
	case "openat":
		return call(DirFD, Path, OpenFlags, OpenMode).ret(RetFD)
	case "creat":
		return call(Path, Mode).ret(RetFD)
	case "close":
		return call(FD)
	case "dup":
		return call(FD).ret(RetFD)
	case "dup2":
		return call(FD, FD).ret(RetFD)
	case "dup3":
		return call(FD, FD, Dup3Flags).ret(RetFD)
	case "read":
		return call(FD, exit(ReadBuf), exit(Size))
	case "write":
		return call(FD, WriteBuf, Size)
	case "pread64":
		return call(FD, exit(ReadBuf), exit(Size), exit(Offset))
	// pwrite64's offset is signed, as strace prints it; ftruncate's and
	// truncate's length unsigned, as strace 6.1 prints it.
	case "pwrite64":
		return call(FD, WriteBuf, Size, Offset)
	case "lseek":
		return call(FD, Offset, Whence)
	case "ftruncate":
		return call(FD, Size)
	case "truncate":
		return call(Path, Size)
	case "unlink":
		return call(Path)
	case "unlinkat":
		return call(DirFD, Path, AtFlags)
	case "fstat":
		return call(FD, exit(Stat))
	// strace prints newfstatat's flags at exit, after the struct.
	case "newfstatat":
		return call(DirFD, Path, exit(Stat), exit(AtFlags))

	case "mmap":
		return call(Addr, Size, Prot, MapFlags, FD, Hex).ret(RetAddr)
	case "munmap":
		return call(Addr, Size)
	case "mprotect":
		return call(Addr, Size, Prot)
	case "msync":
		return call(Addr, Size, MsyncFlags)
	case "madvise":
		return call(Addr, Size, Advice)
	case "mremap":
		return call(Addr, Size, Size, MremapFlags, MremapAddr).ret(RetAddr)
	case "brk":
		return call(Addr).ret(RetAddr)

	case "fork":
		return call().ret(RetPID)
	case "vfork":
		return call().ret(RetPID)
	case "clone":
		return call(CloneStack, CloneFlags, exit(CloneParentTid), exit(CloneTLS), exit(CloneChildTid)).ret(RetPID)
	case "clone3":
		return call(CloneArgs, Clone3Size).ret(RetPID)
	case "execve":
		return call(Path, Argv, Envp)
	case "execveat":
		return call(DirFD, Path, Argv, Envp, ExecveatFlags)
	case "exit":
		return call(Int).ret(RetNone)
	case "exit_group":
		return call(Int).ret(RetNone)
	case "wait4":
		return call(PID, exit(WaitStatus), exit(WaitOptions), exit(WaitRusage)).ret(RetPID)
	case "waitid":
		return call(IDType, PID, exit(WaitInfo), exit(WaitOptions), exit(Rusage))
	case "kill":
		return call(PID, Signal)
	case "tgkill":
		return call(PID, PID, Signal)

	// The old action is the kernel's answer: decoded at exit, like the
	// sigset size strace prints after it.
	case "rt_sigaction":
		return call(Signal, Sigaction, exit(Sigaction), exit(Size))

	// Files and directories.
	case "stat":
		return call(Path, exit(Stat))
	case "lstat":
		return call(Path, exit(Stat))
	case "statx":
		return call(DirFD, Path, StatxFlags, StatxMask, exit(Statx))
	case "statfs":
		return call(Path, exit(Statfs))
	case "fstatfs":
		return call(FD, exit(Statfs))
	case "access":
		return call(Path, AccessMode)
	case "faccessat":
		return call(DirFD, Path, AccessMode)
	case "faccessat2":
		return call(DirFD, Path, AccessMode, FaccessatFlags)
	case "readlink":
		return call(Path, exit(ReadlinkBuf), exit(Size))
	case "readlinkat":
		return call(DirFD, Path, exit(ReadlinkBuf), exit(Size))
	case "getcwd":
		return call(exit(CwdBuf), exit(Size))
	case "chdir":
		return call(Path)
	case "fchdir":
		return call(FD)
	case "chroot":
		return call(Path)
	case "mkdir":
		return call(Path, Mode)
	case "mkdirat":
		return call(DirFD, Path, Mode)
	case "rmdir":
		return call(Path)
	case "mknod":
		return call(Path, MknodMode, MknodDev)
	case "mknodat":
		return call(DirFD, Path, MknodMode, MknodDev)
	case "rename":
		return call(Path, Path)
	case "renameat":
		return call(DirFD, Path, DirFD, Path)
	case "renameat2":
		return call(DirFD, Path, DirFD, Path, RenameFlags)
	case "link":
		return call(Path, Path)
	case "linkat":
		return call(DirFD, Path, DirFD, Path, AtFlags)
	case "symlink":
		return call(Path, Path)
	case "symlinkat":
		return call(Path, DirFD, Path)
	case "chmod":
		return call(Path, Mode)
	case "fchmod":
		return call(FD, Mode)
	// strace 6.1 prints fchmodat's three arguments, not the flags the
	// kernel ignores.
	case "fchmodat":
		return call(DirFD, Path, Mode)
	case "chown":
		return call(Path, UID, UID)
	case "fchown":
		return call(FD, UID, UID)
	case "lchown":
		return call(Path, UID, UID)
	case "fchownat":
		return call(DirFD, Path, UID, UID, AtFlags)
	case "umask":
		return call(Umask).ret(RetOctal)
	case "getdents64":
		return call(FD, exit(Dirents64), exit(DirentCount))
	case "getdents":
		return call(FD, exit(Dirents), exit(DirentCount))
	case "flock":
		return call(FD, FlockOp)
	case "fsync":
		return call(FD)
	case "fdatasync":
		return call(FD)
	case "syncfs":
		return call(FD)
	case "fallocate":
		return call(FD, FallocFlags, Offset, Offset)
	case "fadvise64":
		return call(FD, Offset, Offset, FadviseAdvice)
	case "readahead":
		return call(FD, Offset, Size)

	// Reading and writing more than one buffer, and between fds.
	case "readv":
		return call(FD, exit(IovRead), exit(Size))
	case "writev":
		return call(FD, IovWrite, Size)
	case "preadv":
		return call(FD, exit(IovRead), exit(Size), exit(Offset))
	case "pwritev":
		return call(FD, IovWrite, Size, Offset)
	case "sendfile":
		return call(FD, FD, SendfileOffset, Size)
	case "copy_file_range":
		return call(FD, OffPtr, FD, OffPtr, Size, UInt)
	case "splice":
		return call(FD, OffPtr, FD, OffPtr, Size, SpliceFlags)
	case "tee":
		return call(FD, FD, Size, SpliceFlags)

	// Descriptors: fcntl, ioctl, pipes, polling, the event fds.
	case "fcntl":
		return fcntlSpec
	case "ioctl":
		return ioctlSpec
	case "close_range":
		return call(UInt, UInt, CloseRangeFlags)
	case "pipe":
		return call(exit(IntPair))
	case "pipe2":
		return call(exit(IntPair), exit(PipeFlags))
	case "poll":
		return call(PollFDs, UInt, Int).resText(func(d *decoder) string { return pollResult(d, 0, nil) })
	case "ppoll":
		return call(PollFDs, UInt, Timespec, sigsetArg(4), Size).resText(func(d *decoder) string { return pollResult(d, d.arg(2), timespecAt) })
	case "select":
		return call(Int, FDSet, FDSet, FDSet, Timeval).resText(func(d *decoder) string { return selectResult(d, timevalAt) })
	case "pselect6":
		return call(Int, FDSet, FDSet, FDSet, Timespec, PselectSig).resText(func(d *decoder) string { return selectResult(d, timespecAt) })
	case "epoll_create":
		return call(Int).ret(RetFD)
	case "epoll_create1":
		return call(EpollFlags).ret(RetFD)
	case "epoll_ctl":
		return call(FD, EpollOp, FD, EpollEvent)
	case "epoll_wait":
		return call(FD, exit(EpollEvents), exit(Int), exit(Int))
	case "epoll_pwait":
		return call(FD, exit(EpollEvents), exit(Int), exit(Int), exit(sigsetArg(5)), exit(Size))
	case "eventfd":
		return call(UInt).ret(RetFD)
	case "eventfd2":
		return call(UInt, EventfdFlags).ret(RetFD)
	case "timerfd_create":
		return call(ClockID, TimerfdFlags).ret(RetFD)
	case "timerfd_settime":
		return call(FD, TimerfdSetFlags, Itimerspec, exit(Itimerspec))
	case "timerfd_gettime":
		return call(FD, exit(Itimerspec))
	case "signalfd":
		return call(FD, sigsetArg(2), Size).ret(RetFD)
	case "signalfd4":
		return call(FD, sigsetArg(2), Size, SignalfdFlags).ret(RetFD)
	case "inotify_init":
		return call().ret(RetFD)
	case "inotify_init1":
		return call(InotifyInitFlags).ret(RetFD)
	case "inotify_add_watch":
		return call(FD, Path, InotifyMask)
	case "inotify_rm_watch":
		return call(FD, Int)
	case "memfd_create":
		return call(Str, MemfdFlags).ret(RetFD)

	// Sockets.
	case "socket":
		return call(AddrFamily, SockType, SockProtocol).ret(RetFD)
	case "socketpair":
		return call(AddrFamily, SockType, UInt, exit(IntPair))
	case "bind":
		return call(FD, SockaddrIn, Int)
	case "connect":
		return call(FD, SockaddrIn, Int)
	case "listen":
		return call(FD, Int)
	case "accept":
		return call(FD, SocknameAddr, SocknameLen).ret(RetFD)
	case "accept4":
		return call(FD, SocknameAddr, SocknameLen, SockFlags).ret(RetFD)
	case "getsockname":
		return call(FD, SocknameAddr, SocknameLen)
	case "getpeername":
		return call(FD, SocknameAddr, SocknameLen)
	case "sendto":
		return call(FD, SendBuf, Size, MsgFlags, SockaddrIn, Int)
	case "recvfrom":
		return call(FD, exit(RecvBuf), exit(Size), exit(MsgFlags), exit(RecvfromAddr), exit(RecvfromLen))
	case "sendmsg":
		return call(FD, MsghdrOut, MsgFlags)
	case "recvmsg":
		return call(FD, MsghdrIn, MsgFlags)
	case "shutdown":
		return call(FD, ShutdownHow)
	case "setsockopt":
		return call(FD, SockLevel, SockoptName, SetsockoptVal, Int)
	case "getsockopt":
		return call(FD, SockLevel, SockoptName, GetsockoptVal, GetsockoptLen)

	// Signals.
	case "rt_sigprocmask":
		return call(SigprocmaskHow, sigsetArg(3), exit(sigsetArg(3)), exit(Size))
	case "rt_sigreturn":
		return call(SigreturnFrame)
	case "rt_sigsuspend":
		return call(sigsetArg(1), Size)
	case "rt_sigpending":
		return call(exit(sigsetArg(1)), exit(Size))
	case "sigaltstack":
		return call(Stack, exit(Stack))
	case "tkill":
		return call(PID, Signal)

	// The process: ids, limits, the machine, time.
	case "set_tid_address":
		return call(Hex).ret(RetPID)
	case "set_robust_list":
		return call(Addr, Size)
	case "arch_prctl":
		return archPrctlSpec
	case "prctl":
		return prctlSpec
	case "prlimit64":
		return call(PID, Resource, Rlimit, exit(Rlimit))
	case "getrlimit":
		return call(Resource, exit(Rlimit))
	case "setrlimit":
		return call(Resource, Rlimit)
	case "uname":
		return call(exit(Utsname))
	case "sysinfo":
		return call(exit(Sysinfo))
	case "getrandom":
		return call(exit(RandomBuf), exit(Size), exit(GetrandomFlags))
	case "capget":
		return call(CapHeader, exit(CapData))
	case "capset":
		return call(CapHeader, CapData)
	case "futex":
		return futexSpec
	case "sched_getaffinity":
		return call(PID, UInt, exit(CPUSetOut))
	case "sched_setaffinity":
		return call(PID, UInt, CPUSetIn)
	case "sched_yield":
		return call()
	case "membarrier":
		return call(MembarrierCmd, MembarrierFlags, MembarrierCPU).resText(membarrierResult)
	case "nanosleep":
		return call(Timespec, exit(SleepRemain))
	case "clock_nanosleep":
		return call(ClockID, TimerFlags, Timespec, exit(SleepRemain))
	case "clock_gettime":
		return call(ClockID, exit(OutTimespec))
	case "clock_getres":
		return call(ClockID, exit(OutTimespec))
	case "clock_settime":
		return call(ClockID, Timespec)
	case "alarm":
		return call(UInt)
	case "getpgid":
		return call(PID)
	case "getsid":
		return call(PID)
	case "setpgid":
		return call(PID, PID)
	case "setuid":
		return call(UID)
	case "setgid":
		return call(UID)
	case "setfsuid":
		return call(UID)
	case "setfsgid":
		return call(UID)
	case "setreuid":
		return call(UID, UID)
	case "setregid":
		return call(UID, UID)
	case "setresuid":
		return call(UID, UID, UID)
	case "setresgid":
		return call(UID, UID, UID)
	case "getresuid":
		return call(exit(UIDPtr), exit(UIDPtr), exit(UIDPtr))
	case "getresgid":
		return call(exit(UIDPtr), exit(UIDPtr), exit(UIDPtr))
	case "getgroups":
		return call(Int, exit(GroupsOut))
	case "setgroups":
		return call(Int, GroupsIn)
	case "getpriority":
		return call(PriorityWhich, Int)
	case "setpriority":
		return call(PriorityWhich, Int, Int)
	}
	return nil
}

// A spec is one call's line in the table.
type spec struct {
	args   []Arg
	result Ret
	// sel, if set, picks the spec that prints this call from its
	// arguments: the command of fcntl, ioctl, prctl, futex. It returns a
	// spec of the table's, never a new one, and nil for the default.
	sel func(c *Call) *spec
	// res, if set, formats a successful result in place of the Ret:
	// fcntl's "0x8002 (flags O_RDWR|O_LARGEFILE)", poll's revents.
	res func(d *decoder) string
}

// call builds a spec whose result is a plain number.
func call(args ...Arg) *spec { return &spec{args: args, result: RetInt} }

// ret sets how the result prints.
func (s *spec) ret(r Ret) *spec { s.result = r; return s }

// resText sets the formatter of a successful result.
func (s *spec) resText(f func(d *decoder) string) *spec { s.res = f; return s }

// specOf returns the spec that prints c, or nil for a call with no
// decoder.
func specOf(c *Call) *spec {
	sp := lookup(c.Arch, c.Nr, c.Name)
	if sp != nil && sp.sel != nil {
		if s := sp.sel(c); s != nil {
			return s
		}
	}
	return sp
}

// exit marks an argument as one the kernel fills in, printed at the exit
// stop. strace prints every argument after it at exit too, so an
// unfinished call shows only those before; formatEntry enforces that.
func exit(a Arg) Arg { a.atExit = true; return a }

// Arg says how one argument of a call prints.
type Arg struct {
	// atExit: formatted at the exit stop, from memory the kernel filled
	// in or from the result.
	atExit bool
	// lateIf, if set, decides at entry that the argument is printed at
	// exit after all (clone3's size, after what the kernel stored).
	lateIf func(d *decoder, i int) bool
	// sepAtExit: strace prints the ", " before this exit argument at exit
	// rather than at entry (clone: "<... clone resumed>, child_tidptr=").
	sepAtExit bool
	// text formats the argument printed at position i (by default the
	// i-th raw argument).
	text func(d *decoder, i int) string
	// omit, if set, says strace leaves the argument out of this call.
	omit func(c *Call, i int) bool
	// then, if set, formats at exit what strace appends to an argument
	// formatted at entry (clone3's " => {parent_tid=[1234]}").
	then func(d *decoder, i int) string
	// keep, if set, reads at entry a value the exit formatter compares
	// with what the kernel left (getsockname's "[128 => 16]"); it is
	// stored in the Call by raw argument index.
	keep func(d *decoder, i int) uint64
	// raw, if set, formats the argument as a number, for -X raw and
	// -X verbose: the argument is a named constant (flags, a command, a
	// signal) and text prints its names.
	raw func(d *decoder, i int) string

	// The common kinds of argument are described by the fields below
	// rather than by a closure over their parameters, which would be
	// allocated when the package starts: with these, the argument formats
	// of the table are static data, built by the compiler.

	// num, if set, formats the argument from its raw value alone (val).
	num func(v uint64) string
	// rawNum, if set, is raw from the raw value alone (named).
	rawNum func(v uint64) string
	// fs, if set, prints the argument by a flag table, as fsKind says
	// (flagsArg and its kin).
	fs     *flagSet
	fsKind fsKind
	// fetch, if set, formats the fetchLen bytes (or fetchSize's, if set)
	// the pointer argument points to (fetched).
	fetch     func(d *decoder, b []byte) string
	fetchLen  uint64
	fetchSize func(d *decoder) uint64
}

// fsKind says how an Arg prints its value by its flag table.
type fsKind uint8

const (
	fsFlags32 fsKind = iota // flags of the low 32 bits: an int argument
	fsFlags64               // flags of the whole long
	fsXval32                // one value, of the low 32 bits
	fsXval64                // one value, of the whole long
)

// textOf formats the argument printed at position i, whichever kind of
// argument a is.
func (a *Arg) textOf(d *decoder, i int) string {
	switch {
	case a.text != nil:
		return a.text(d, i)
	case a.num != nil:
		return a.num(d.arg(i))
	case a.fs != nil:
		v := d.arg(i)
		switch a.fsKind {
		case fsFlags32:
			return a.fs.flags(uint64(uint32(v)))
		case fsFlags64:
			return a.fs.flags(v)
		case fsXval32:
			return a.fs.xval(uint64(uint32(v)))
		}
		return a.fs.xval(v)
	case a.fetch != nil:
		p := d.arg(i)
		if p == 0 || (d.c.Done && d.failed()) {
			return ptr(p)
		}
		n := a.fetchLen
		if a.fetchSize != nil {
			n = a.fetchSize(d)
		}
		b, ok := readFull(d.mem, p, n)
		if !ok {
			return ptr(p)
		}
		return a.fetch(d, b)
	}
	return ""
}

// format formats the argument printed at position i in the -X style.
func (a *Arg) format(d *decoder, i int) string {
	s := a.textOf(d, i)
	if (a.raw != nil || a.rawNum != nil) && d.opt.xlat() != XlatAbbrev {
		var r string
		if a.raw != nil {
			r = a.raw(d, i)
		} else {
			r = a.rawNum(d.arg(i))
		}
		s = d.opt.styled(r, s)
	}
	return s
}

// named gives a a raw form: the argument's value formatted by f, with
// -X raw and -X verbose.
func named(a Arg, f func(v uint64) string) Arg {
	a.rawNum = f
	return a
}

// hex32 formats a C int or unsigned int in hex, the raw form of most
// flag words and commands.
func hex32(v uint64) string { return hexNum(uint64(uint32(v))) }

// dec32 formats a C int in decimal, the raw form of a signal number.
func dec32(v uint64) string { return sdec(int64(int32(v))) }

// Ret says how a call's result prints when it did not fail.
type Ret uint8

// The result formats.
const (
	// RetInt is a signed decimal, strace's default.
	RetInt Ret = iota
	// RetFD is a file descriptor: decimal (strace without -y).
	RetFD
	// RetPID is a process or thread id: decimal.
	RetPID
	// RetAddr is an address: hex (mmap, mremap, brk).
	RetAddr
	// RetNone is a call that does not return (exit, exit_group): "?".
	RetNone
	// RetOctal is octal with at least three digits, as strace prints
	// umask's: 022, 000.
	RetOctal
	// RetHex is hex: 0x3ff.
	RetHex
)

// decoder is what a formatter sees: the call, the tracee's memory, and the
// string limit.
type decoder struct {
	c     *Call
	mem   Memory
	limit int
	opt   *Options
}

// fd formats a file descriptor (or AT_FDCWD) as strace does, with -y
// what it refers to after it: 3</tmp/f.dat>, AT_FDCWD</home/me>.
func (d *decoder) fd(n int64) string {
	s := sdec(n)
	if n == unix.AT_FDCWD {
		s = d.opt.styled(s, "AT_FDCWD")
	}
	if d.opt != nil && d.opt.FDPath != nil && (n >= 0 || n == unix.AT_FDCWD) {
		if p, ok := d.opt.FDPath(d.mem, int(n)); ok {
			s += "<" + p + ">"
		}
	}
	return s
}

func (d *decoder) arg(i int) uint64 { return d.c.Args[i] }

// decoder returns the call's own decoder, set for this stop: kept in the
// Call, which is on the heap anyway, so that a stop allocates none.
func (c *Call) decoder(mem Memory, opt *Options) *decoder {
	c.dec = decoder{c: c, mem: mem, limit: opt.stringLimit(), opt: opt}
	return &c.dec
}

// failed says the call returned an error; the kernel then wrote nothing
// strace would read, and it prints the pointers instead.
func (d *decoder) failed() bool { return d.c.Ret < 0 && d.c.Ret >= -maxErrno }

// val makes an Arg that only needs the raw value.
func val(f func(v uint64) string) Arg { return Arg{num: f} }

// fetched makes an Arg that reads size bytes at the pointer argument and
// formats them with f; a NULL pointer prints as NULL, one that cannot be
// read as its address. At exit, a failed call prints the address too.
func fetched(size func(d *decoder) uint64, f func(d *decoder, b []byte) string) Arg {
	return Arg{fetch: f, fetchSize: size}
}

// fetchedN is fetched of a fixed size.
func fetchedN(n uint64, f func(d *decoder, b []byte) string) Arg {
	return Arg{fetch: f, fetchLen: n}
}

// The argument formats of the table.
var (
	// Hex prints a number in hex: strace's form for arguments it does not
	// decode, and for mmap's offset.
	Hex = val(hexNum)
	// Addr prints a pointer: NULL or hex.
	Addr = val(ptr)
	// Size prints an unsigned decimal: lengths and counts.
	Size = val(udec)
	// Offset prints a signed 64-bit decimal: pread64's, pwrite64's, lseek's.
	Offset = val(func(v uint64) string { return sdec(int64(v)) })
	// Int prints a C int.
	Int = val(func(v uint64) string { return sdec(int64(int32(v))) })
	// FD prints a file descriptor, a C int; with -y, what it refers to
	// after it: 3</tmp/f.dat>.
	FD = Arg{text: func(d *decoder, i int) string { return d.fd(int64(int32(d.arg(i)))) }}
	// PID prints a process id, a C int.
	PID = Int
	// DirFD prints the directory of a *at call: AT_FDCWD or the fd.
	DirFD = Arg{text: func(d *decoder, i int) string { return d.fd(int64(int32(d.arg(i)))) }}
	// Mode prints file permissions in octal, as umode_t: 0644.
	Mode = val(func(v uint64) string { return octMode(uint64(uint16(v))) })
	// Signal prints a signal number by name: SIGTERM, or 0.
	Signal = named(val(func(v uint64) string { return signal(int64(int32(v))) }), dec32)
	// Path prints a NUL-terminated file name, up to PATH_MAX bytes.
	Path = Arg{text: func(d *decoder, i int) string { return path(d.mem, d.arg(i)) }}

	// OpenFlags prints open's flags: the access mode, then the flags.
	OpenFlags = named(Arg{text: func(d *decoder, i int) string { return openFlags(d.c.Arch, d.arg(i)) }}, hex32)
	// OpenMode prints open's mode, which strace shows only when the flags
	// (the argument before) create a file.
	OpenMode = Arg{
		text: func(d *decoder, i int) string { return Mode.textOf(d, i) },
		omit: func(c *Call, i int) bool { return c.Args[i-1]&(oCreat|oTmpBit) == 0 },
	}
	// Dup3Flags prints dup3's flags: O_CLOEXEC.
	Dup3Flags = named(Arg{text: func(d *decoder, i int) string {
		return openFlagsOf(d.c.Arch).flags(uint64(uint32(d.arg(i))))
	}}, hex32)
	// AtFlags prints the AT_ flags of unlinkat and newfstatat.
	AtFlags = flagsArg(&atFlags)
	// ExecveatFlags prints execveat's flags.
	ExecveatFlags = flagsArg(&execveatFlags)

	// Prot prints mmap's and mprotect's protection: PROT_READ|PROT_WRITE.
	Prot = flags64Arg(&protFlags)
	// MapFlags prints mmap's flags: the sharing type, the flags, the huge
	// page size.
	MapFlags = named(Arg{text: func(d *decoder, i int) string { return mapFlags(d.c.Arch, d.arg(i)) }}, hexNum)
	// MsyncFlags prints msync's flags.
	MsyncFlags = flagsArg(&msyncFlags)
	// Whence prints lseek's whence: SEEK_CUR.
	Whence = xvalArg(&seekWhence)
	// Advice prints madvise's advice: MADV_DONTNEED.
	Advice = xvalArg(&madvAdvice)
	// MremapFlags prints mremap's flags.
	MremapFlags = flags64Arg(&mremapFlags)
	// MremapAddr prints mremap's new address, which strace shows only with
	// both MREMAP_MAYMOVE and MREMAP_FIXED.
	MremapAddr = Arg{
		text: func(d *decoder, i int) string { return Addr.textOf(d, i) },
		omit: func(c *Call, i int) bool {
			const both = unix.MREMAP_MAYMOVE | unix.MREMAP_FIXED
			return c.Args[3]&both != both
		},
	}

	// WriteBuf prints the buffer of write and pwrite64, whose length is
	// the argument after it, cut at the string limit.
	WriteBuf = Arg{text: func(d *decoder, i int) string {
		return buffer(d.mem, d.arg(i), d.arg(i+1), d.limit)
	}}
	// ReadBuf prints the buffer of read and pread64 at exit: as many bytes
	// as the call returned.
	ReadBuf = Arg{text: func(d *decoder, i int) string {
		if d.failed() {
			return ptr(d.arg(i))
		}
		return buffer(d.mem, d.arg(i), uint64(d.c.Ret), d.limit)
	}}
	// Stat prints a struct stat at exit, in the tracee ABI's layout.
	Stat = fetched(
		func(d *decoder) uint64 { return uint64(statFor(d.c.Arch).size) },
		func(d *decoder, b []byte) string { return statIn(d.opt, b, statFor(d.c.Arch)) })

	// Argv prints execve's argument strings.
	Argv = Arg{text: func(d *decoder, i int) string { return argv(d.mem, d.arg(i), d.limit, d.opt.verbose()) }}
	// Envp prints execve's environment as strace does by default: its
	// address and how many strings it holds; with -v, the strings.
	Envp = Arg{text: func(d *decoder, i int) string {
		if d.opt.verbose() {
			return argv(d.mem, d.arg(i), d.limit, true)
		}
		return envCount(d.mem, d.arg(i))
	}}

	// WaitStatus prints wait4's status at exit. A call that returned 0
	// (WNOHANG, no child ready) wrote nothing: strace prints the pointer.
	WaitStatus = Arg{text: func(d *decoder, i int) string {
		a := d.arg(i)
		if d.c.Ret == 0 || d.failed() || a == 0 {
			return ptr(a)
		}
		b, ok := readFull(d.mem, a, 4)
		if !ok {
			return ptr(a)
		}
		return waitStatus(int32(le.Uint32(b)))
	}}
	// WaitOptions prints the options of wait4 and waitid.
	WaitOptions = flagsArg(&waitOptions)
	// WaitRusage prints wait4's struct rusage, filled in only when a child
	// was reaped.
	WaitRusage = Arg{text: func(d *decoder, i int) string {
		if d.c.Ret <= 0 {
			return ptr(d.arg(i))
		}
		return Rusage.textOf(d, i)
	}}
	// Rusage prints a struct rusage at exit: the two times, then "...".
	Rusage = fetchedN(rusageSize, func(d *decoder, b []byte) string { return rusageIn(d.opt, b) })
	// IDType prints waitid's idtype: P_PID.
	IDType = xvalArg(&waitidTypes)
	// WaitInfo prints the siginfo_t waitid fills in.
	WaitInfo = fetchedN(siginfoSize, func(d *decoder, b []byte) string { return siginfoIn(d.opt, b) })

	// Sigaction prints a struct sigaction: the new action at entry, the
	// old one at exit.
	Sigaction = fetchedN(sigactionSize, func(d *decoder, b []byte) string { return sigactionIn(d.opt, b) })

	// CloneArgs prints clone3's struct clone_args at entry, and at exit
	// what the kernel stored through it.
	CloneArgs = Arg{
		text: func(d *decoder, i int) string {
			return cloneArgsText(d.opt, d.mem, d.arg(i), d.arg(i+1), d.limit)
		},
		then: func(d *decoder, i int) string {
			// strace looks again only when it deferred the size to exit.
			if d.failed() || d.c.exitFrom > 1 {
				return ""
			}
			return cloneArgsExit(d.mem, d.arg(i), d.arg(i+1), d.limit)
		},
	}
	// Clone3Size prints clone3's size argument: at exit, after what the
	// kernel stored, when strace reads the struct again then.
	Clone3Size = Arg{
		text:      func(d *decoder, i int) string { return Size.textOf(d, i) },
		sepAtExit: true,
		lateIf: func(d *decoder, i int) bool {
			a, size := d.arg(i-1), d.arg(i)
			fetch := min(size, cloneArgsSize)
			if fetch < cloneArgsMin {
				return false
			}
			b, ok := readFull(d.mem, a, fetch)
			return ok && (size > cloneArgsSize ||
				le.Uint64(b[caFlags:])&(cloneFlagPIDFD|cloneFlagParentSettid) != 0)
		},
	}
	// CloneStack, CloneFlags, CloneParentTid, CloneTLS and CloneChildTid
	// are clone's arguments, which strace prints by name and in this
	// order, whatever order the ABI passes them in.
	CloneStack = Arg{text: func(d *decoder, _ int) string {
		return "child_stack=" + ptr(d.arg(cloneArgStack))
	}}
	// CloneFlags prints clone's flags and exit signal.
	CloneFlags = Arg{text: func(d *decoder, _ int) string {
		return "flags=" + cloneFlagsIn(d.opt, d.arg(cloneArgFlags))
	}}
	// CloneParentTid prints where the kernel stored the child's tid (or
	// pidfd): its value at exit.
	CloneParentTid = Arg{
		text: func(d *decoder, _ int) string {
			a := d.arg(cloneArgParentTid)
			if d.failed() {
				return "parent_tid=" + ptr(a)
			}
			return "parent_tid=" + readInt(d.mem, a)
		},
		sepAtExit: true,
		omit: func(c *Call, _ int) bool {
			return c.Args[cloneArgFlags]&(cloneFlagParentSettid|cloneFlagPIDFD) == 0
		},
	}
	// CloneTLS prints clone's new TLS pointer.
	CloneTLS = Arg{
		text:      func(d *decoder, _ int) string { return "tls=" + ptr(d.arg(cloneArgTLS(d.c.Arch))) },
		sepAtExit: true,
		omit:      func(c *Call, _ int) bool { return c.Args[cloneArgFlags]&cloneFlagSettls == 0 },
	}
	// CloneChildTid prints the child's tid pointer.
	CloneChildTid = Arg{
		text: func(d *decoder, _ int) string {
			return "child_tidptr=" + ptr(d.arg(cloneArgChildTid(d.c.Arch)))
		},
		sepAtExit: true,
		omit: func(c *Call, _ int) bool {
			return c.Args[cloneArgFlags]&(cloneFlagChildSettid|cloneFlagChildCleartid) == 0
		},
	}
)

// clone's raw arguments. x86_64 passes the child's tid pointer before the
// TLS pointer, aarch64 (and most others) after: strace's ARG_CTID and
// ARG_TLS in src/clone.c.
const (
	cloneArgFlags     = 0
	cloneArgStack     = 1
	cloneArgParentTid = 2
)

func cloneArgTLS(arch Arch) int {
	if arch == ARM64 {
		return 3
	}
	return 4
}

func cloneArgChildTid(arch Arch) int {
	if arch == ARM64 {
		return 4
	}
	return 3
}

// cloneFlagsText formats clone's flags word: the CLONE_ flags, then the
// exit signal in the low byte by name: CLONE_VM|SIGCHLD, or just the
// signal (0 for none).
func cloneFlagsText(v uint64) string { return cloneFlagsIn(nil, v) }

// cloneFlagsIn is cloneFlagsText in o's -X style, each part on its own
// as strace prints it: 0x1200000|17, or with -X verbose
// 0x1200000 /* CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID */|17 /* SIGCHLD */.
func cloneFlagsIn(o *Options, v uint64) string {
	sig := o.styledDec(int64(v&cloneSignal), signal(int64(v&cloneSignal)))
	f := v &^ cloneSignal
	if f == 0 {
		return sig
	}
	s := o.styledHex(f, cloneFlagSet.flags(f))
	if v&cloneSignal != 0 {
		s += "|" + sig
	}
	return s
}

// openFlagsOf returns the open flags table of the tracee's ABI.
func openFlagsOf(arch Arch) *flagSet {
	if arch == ARM64 {
		return &openFlagsARM64
	}
	return &openFlagsAMD64
}

// openFlags formats open's flags as strace's tprint_open_modes: the access
// mode first, always (O_RDONLY is zero), then the other flags, then any
// unknown bits in hex.
func openFlags(arch Arch, v uint64) string {
	v = uint64(uint32(v))
	s := openAccModes.xval(v & unix.O_ACCMODE)
	if rest := v &^ unix.O_ACCMODE; rest != 0 {
		named, _ := openFlagsOf(arch).bits(rest)
		s += "|" + named
	}
	return s
}

// mapFlags formats mmap's flags as strace's print_mmap_flags: the sharing
// type by value, then the flags, then the huge page size as
// 21<<MAP_HUGE_SHIFT.
func mapFlags(arch Arch, v uint64) string {
	s := mapTypes.xval(v & mapType)
	rest := v &^ (mapType | mapHugeMask)
	if rest != 0 {
		fs := &mapFlagsAMD64
		if arch == ARM64 {
			fs = &mapFlagsARM64
		}
		named, _ := fs.bits(rest)
		s += "|" + named
	}
	if huge := v & mapHugeMask; huge != 0 {
		s += "|" + udec(huge>>unix.MAP_HUGE_SHIFT) + "<<MAP_HUGE_SHIFT"
	}
	return s
}

// slots are the printed arguments of a call: their Args and raw indexes.
// Fixed arrays, so that listing them allocates nothing (a call has at most
// six arguments; TestSpecsTakeAtMostSix checks the table).
type slots struct {
	n    int
	args [6]Arg
	idx  [6]int
}

// slotsOf lists in s the printed arguments of c, without those strace
// omits for this call.
func slotsOf(sp *spec, c *Call, s *slots) {
	s.n = 0
	for i, a := range sp.args {
		if a.omit != nil && a.omit(c, i) {
			continue
		}
		s.args[s.n], s.idx[s.n] = a, i
		s.n++
	}
}

// formatEntry formats, into c, the arguments strace prints at entry; from
// the first it prints at exit on, they stay "" until formatExit.
func formatEntry(c *Call, mem Memory, opt *Options) {
	c.suffix = ""
	sp := specOf(c)
	if sp == nil {
		c.args = genericArgs(c)
		c.exitFrom, c.sepAtExit = len(c.args), false
		return
	}
	d := c.decoder(mem, opt)
	var sl slots
	slotsOf(sp, c, &sl)
	c.args = c.argBuf[:sl.n]
	clear(c.args)
	c.exitFrom, c.sepAtExit = sl.n, false
	for k, a := range sl.args[:sl.n] {
		if a.keep != nil {
			c.kept[sl.idx[k]] = a.keep(d, sl.idx[k])
		}
	}
	for k, a := range sl.args[:sl.n] {
		if a.atExit || (a.lateIf != nil && a.lateIf(d, sl.idx[k])) {
			c.exitFrom, c.sepAtExit = k, a.sepAtExit
			break
		}
		c.args[k] = opt.strings(a.format(d, sl.idx[k]))
	}
}

// formatExit fills in, in c, the arguments formatted at exit and what
// strace appends at exit to those formatted at entry, and returns the
// result as strace prints it after " = ".
func formatExit(c *Call, mem Memory, opt *Options) string {
	if c.args == nil {
		// No entry stop was seen (the tracer attached mid-call): format
		// everything now, as well as memory allows.
		formatEntry(c, mem, opt)
	}
	sp := specOf(c)
	if sp == nil {
		return result(c, RetInt)
	}
	d := c.decoder(mem, opt)
	var sl slots
	slotsOf(sp, c, &sl)
	for k, a := range sl.args[:sl.n] {
		if k >= len(c.args) {
			break // c.Args was changed between the stops: keep what we have
		}
		if k >= c.exitFrom {
			c.args[k] = opt.strings(a.format(d, sl.idx[k]))
		} else if a.then != nil {
			s := opt.strings(a.then(d, sl.idx[k]))
			c.args[k] += s
			c.suffix += s
		}
	}
	if sp.res != nil && sp.result != RetNone && !d.failed() {
		return sp.res(d)
	}
	if sp.result == RetFD && !d.failed() {
		return d.fd(c.Ret)
	}
	return result(c, sp.result)
}

// result formats the return value: an error as "-1 ENOENT (No such file
// or directory)", otherwise in the call's format.
func result(c *Call, r Ret) string {
	if r == RetNone {
		return "?"
	}
	if c.Ret < 0 && c.Ret >= -maxErrno {
		return errnoResult(syscall.Errno(-c.Ret))
	}
	switch r {
	case RetAddr, RetHex:
		return hexNum(uint64(c.Ret))
	case RetOctal:
		return octMode(uint64(c.Ret))
	}
	return sdec(c.Ret)
}

// genericArgs formats a call with no decoder as strace's printargs does:
// as many arguments as the call takes, in hex; all six when the call is
// unknown.
func genericArgs(c *Call) []string {
	n, ok := arity.Get()[c.Name]
	if !ok {
		n = len(c.Args)
	}
	out := c.argBuf[:n]
	for i := range out {
		out[i] = hexNum(c.Args[i])
	}
	return out
}

// arity is how many arguments each call takes, for printing a call with no
// decoder: strace's nargs, from its src/linux/x86_64/syscallent.h,
// src/linux/64/syscallent.h and src/linux/generic/syscallent-common.h
// (calls newer than strace 6.1 by their kernel definitions). It is built on
// first use: only a call with no decoder needs it, and a map built at init
// would cost every start of mmtrace.
var arity = lazy.Of(func() map[string]int {
	m := make(map[string]int)
	for n, names := range [...]string{
		0: `rt_sigreturn sched_yield pause getpid fork vfork getuid getgid geteuid
			getegid getppid getpgrp setsid munlockall vhangup sync gettid
			restart_syscall inotify_init
			uprobe uretprobe rseq_slice_yield`,
		1: `close pipe dup alarm exit fsync fdatasync chdir fchdir rmdir unlink
			umask sysinfo times setuid setgid getpgid setfsuid setfsgid getsid
			uselib personality sched_getscheduler sched_get_priority_max
			sched_get_priority_min mlockall _sysctl adjtimex chroot acct swapoff
			iopl get_kernel_syms brk time set_thread_area io_destroy get_thread_area
			epoll_create set_tid_address timer_getoverrun timer_delete exit_group
			unshare eventfd epoll_create1 inotify_init1 syncfs userfaultfd pkey_free
			memfd_secret uname shmdt mq_unlink`,
		2: `stat fstat lstat munmap access dup2 nanosleep getitimer shutdown listen
			kill msgget flock truncate ftruncate getcwd rename mkdir creat link
			symlink chmod fchmod gettimeofday getrlimit getrusage setpgid setreuid
			setregid getgroups setgroups capget capset rt_sigpending rt_sigsuspend
			sigaltstack utime ustat statfs fstatfs getpriority sched_setparam
			sched_getparam sched_rr_get_interval mlock munlock pivot_root arch_prctl
			setrlimit settimeofday umount2 swapon sethostname setdomainname
			create_module delete_module removexattr lremovexattr fremovexattr tkill
			io_setup timer_gettime clock_settime clock_gettime clock_getres utimes
			ioprio_get inotify_rm_watch set_robust_list timerfd_create
			timerfd_gettime eventfd2 pipe2 fanotify_init clock_adjtime setns
			memfd_create pkey_alloc io_uring_setup fsopen pidfd_open clone3
			landlock_restrict_self process_mrelease mq_notify`,
		3: `read write open poll lseek mprotect ioctl readv writev msync mincore
			madvise shmget shmat shmctl setitimer socket connect accept sendmsg
			recvmsg bind getsockname getpeername execve semget semop msgctl fcntl
			getdents readlink chown fchown lchown syslog setresuid getresuid
			setresgid getresgid rt_sigqueueinfo mknod sysfs setpriority
			sched_setscheduler modify_ldt init_module ioperm nfsservctl tuxcall
			security readahead listxattr llistxattr flistxattr sched_setaffinity
			sched_getaffinity io_submit io_cancel lookup_dcookie getdents64
			timer_create tgkill set_mempolicy ioprio_set inotify_add_watch mkdirat
			futimesat unlinkat symlinkat fchmodat faccessat get_robust_list signalfd
			dup3 getcpu finit_module sched_setattr seccomp getrandom bpf membarrier
			mlock2 open_tree fsmount fspick close_range pidfd_getfd
			landlock_create_ruleset map_shadow_stack lsm_list_modules mseal
			open_by_handle_at mq_getsetattr`,
		4: `rt_sigaction rt_sigprocmask pread64 pwrite64 sendfile socketpair wait4
			semctl msgsnd ptrace rt_sigtimedwait reboot quotactl getxattr lgetxattr
			fgetxattr epoll_ctl_old epoll_wait_old semtimedop fadvise64
			timer_settime clock_nanosleep epoll_wait epoll_ctl mq_open kexec_load
			request_key migrate_pages openat mknodat newfstatat renameat readlinkat
			tee sync_file_range vmsplice utimensat fallocate timerfd_settime accept4
			signalfd4 preadv pwritev rt_tgsigqueueinfo prlimit64 sendmmsg
			sched_getattr pkey_mprotect rseq pidfd_send_signal io_uring_register
			openat2 faccessat2 quotactl_fd landlock_add_rule set_mempolicy_home_node
			cachestat fchmodat2 futex_wake futex_requeue statmount listmount
			lsm_get_self_attr lsm_set_self_attr removexattrat listns`,
		5: `select mremap clone setsockopt getsockopt msgrcv prctl mount
			query_module getpmsg putpmsg afs_syscall setxattr lsetxattr fsetxattr
			io_getevents remap_file_pages vserver get_mempolicy mq_timedsend
			mq_timedreceive waitid add_key keyctl fchownat linkat ppoll
			perf_event_open recvmmsg fanotify_mark name_to_handle_at kcmp renameat2
			kexec_file_load execveat statx move_mount fsconfig process_madvise
			mount_setattr futex_waitv listxattrat open_tree_attr file_getattr
			file_setattr`,
		6: `mmap sendto recvfrom futex mbind pselect6 splice move_pages epoll_pwait
			process_vm_readv process_vm_writev copy_file_range preadv2 pwritev2
			io_pgetevents io_uring_enter epoll_pwait2 futex_wait setxattrat
			getxattrat`,
	} {
		for _, name := range strings.Fields(names) {
			m[name] = n
		}
	}
	return m
})

// Decoded says whether mmtrace decodes the call called name as strace
// does, rather than printing its arguments in hex.
func Decoded(name string) bool { return lookupName(AMD64, name) != nil }
