package sys

import (
	"encoding/binary"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// The structures the decoded calls read from tracee memory, each decoded
// from little-endian bytes at the offsets of the tracee's ABI and printed
// as strace 6.1 abbreviates it by default.

var le = binary.LittleEndian

// statLayout says where struct stat keeps its fields.
type statLayout struct {
	size, mode, rdev, fileSize int
	// The fields strace prints only with -v; nlink is 8 bytes on x86_64,
	// 4 on aarch64, and so is blksize.
	dev, ino, nlink, nlinkSize, uid, gid, blksize, blksizeSize, blocks, times int
}

var (
	// x86_64 has its own struct stat (arch/x86/include/uapi/asm/stat.h):
	// st_nlink is 64-bit and comes before st_mode.
	statAMD64 = statLayout{size: 144, mode: 24, rdev: 40, fileSize: 48,
		dev: 0, ino: 8, nlink: 16, nlinkSize: 8, uid: 28, gid: 32, blksize: 56, blksizeSize: 8, blocks: 64, times: 72}
	// aarch64 uses the generic one (include/uapi/asm-generic/stat.h).
	statARM64 = statLayout{size: 128, mode: 16, rdev: 32, fileSize: 48,
		dev: 0, ino: 8, nlink: 20, nlinkSize: 4, uid: 24, gid: 28, blksize: 56, blksizeSize: 4, blocks: 64, times: 72}
)

func statFor(arch Arch) statLayout {
	if arch == ARM64 {
		return statARM64
	}
	return statAMD64
}

// statText formats a struct stat as strace does without -v:
// {st_mode=S_IFREG|0644, st_size=1234, ...}, with st_rdev in place of
// st_size for devices.
func statText(b []byte, l statLayout) string { return statIn(nil, b, l) }

// statIn is statText in o's style: st_mode by -X, and with -v every
// field in strace's order, the times with their date in a comment.
func statIn(o *Options, b []byte, l statLayout) string {
	mode := le.Uint32(b[l.mode:])
	dev := mode&syscall.S_IFMT == syscall.S_IFCHR || mode&syscall.S_IFMT == syscall.S_IFBLK
	word := func(off, size int) string {
		if size == 4 {
			return udec(uint64(le.Uint32(b[off:])))
		}
		return udec(le.Uint64(b[off:]))
	}
	var s strings.Builder
	if o.verbose() {
		s.WriteString("{st_dev=" + devIn(o, le.Uint64(b[l.dev:])) +
			", st_ino=" + udec(le.Uint64(b[l.ino:])) + ", st_mode=")
	} else {
		s.WriteString("{st_mode=")
	}
	s.WriteString(o.styledOct(uint64(mode), symbolicMode(mode)))
	if o.verbose() {
		s.WriteString(", st_nlink=" + word(l.nlink, l.nlinkSize) +
			", st_uid=" + udec(uint64(le.Uint32(b[l.uid:]))) +
			", st_gid=" + udec(uint64(le.Uint32(b[l.gid:]))) +
			", st_blksize=" + word(l.blksize, l.blksizeSize) +
			", st_blocks=" + udec(le.Uint64(b[l.blocks:])))
	}
	if dev {
		s.WriteString(", st_rdev=")
		s.WriteString(devIn(o, le.Uint64(b[l.rdev:])))
	} else {
		s.WriteString(", st_size=")
		s.WriteString(udec(le.Uint64(b[l.fileSize:])))
	}
	if !o.verbose() {
		s.WriteString(", ...}")
		return s.String()
	}
	for k, name := range [...]string{"st_atime", "st_mtime", "st_ctime"} {
		off := l.times + 16*k
		sec, nsec := int64(le.Uint64(b[off:])), le.Uint64(b[off+8:])
		s.WriteString(", " + name + "=" + sdec(sec) + dateComment(sec, nsec) +
			", " + name + "_nsec=" + udec(nsec))
	}
	s.WriteByte('}')
	return s.String()
}

// dateComment formats a time in seconds and nanoseconds since the epoch
// as strace's sprinttime_nsec, in a comment: local time, the fraction
// only when it is not zero, the zone's offset:
// " /* 2026-11-30T14:51:05.059021860+0000 */".
func dateComment(sec int64, nsec uint64) string {
	if nsec >= 1e9 {
		return ""
	}
	t := time.Unix(sec, int64(nsec)).Local()
	f := "2006-01-02T15:04:05-0700"
	if nsec != 0 {
		f = "2006-01-02T15:04:05.000000000-0700"
	}
	return " /* " + t.Format(f) + " */"
}

// symbolicMode formats st_mode as strace's print_symbolic_mode_t:
// S_IFDIR|S_ISVTX|0777. A file type it does not know prints the whole
// mode in octal.
func symbolicMode(mode uint32) string {
	const special = syscall.S_ISUID | syscall.S_ISGID | syscall.S_ISVTX
	var s strings.Builder
	if t := uint64(mode & syscall.S_IFMT); t != 0 {
		name, ok := modeTypes.lookup(t)
		if !ok {
			return octMode(uint64(mode))
		}
		s.WriteString(name)
		s.WriteByte('|')
	}
	if mode&syscall.S_ISUID != 0 {
		s.WriteString("S_ISUID|")
	}
	if mode&syscall.S_ISGID != 0 {
		s.WriteString("S_ISGID|")
	}
	if mode&syscall.S_ISVTX != 0 {
		s.WriteString("S_ISVTX|")
	}
	s.WriteString(octMode(uint64(mode &^ (syscall.S_IFMT | special))))
	return s.String()
}

// makedev formats a device number with glibc's major() and minor(), as
// strace's print_dev_t: makedev(0x1, 0x3).
func makedev(dev uint64) string {
	major := uint32((dev>>8)&0xfff) | uint32(dev>>32)&^0xfff
	minor := uint32(dev&0xff) | uint32(dev>>12)&^0xff
	return "makedev(" + hexNum(uint64(major)) + ", " + hexNum(uint64(minor)) + ")"
}

// devIn is makedev in o's -X style: the number in hex with -X raw,
// then makedev(...) in a comment with -X verbose.
func devIn(o *Options, dev uint64) string { return o.styledHex(dev, makedev(dev)) }

// rusageSize is sizeof(struct rusage) on a 64-bit ABI: two timevals and
// fourteen longs.
const rusageSize = 144

// rusageText formats a struct rusage as strace does without -v: the two
// times, then "...".
func rusageText(b []byte) string { return rusageIn(nil, b) }

// rusageFields are struct rusage's longs after the two times, which
// strace prints only with -v.
var rusageFields = [...]string{"ru_maxrss", "ru_ixrss", "ru_idrss", "ru_isrss", "ru_minflt", "ru_majflt",
	"ru_nswap", "ru_inblock", "ru_oublock", "ru_msgsnd", "ru_msgrcv", "ru_nsignals", "ru_nvcsw", "ru_nivcsw"}

// rusageIn is rusageText, with -v every field, unsigned as strace -v
// prints them.
func rusageIn(o *Options, b []byte) string {
	s := "{ru_utime=" + timeval(b[0:]) + ", ru_stime=" + timeval(b[16:])
	if !o.verbose() {
		return s + ", ...}"
	}
	for k, name := range rusageFields {
		s += ", " + name + "=" + udec(le.Uint64(b[32+8*k:]))
	}
	return s + "}"
}

// timeval formats a struct timeval as strace's print_timeval_t: tv_usec
// unsigned, as strace prints it (tv_usec=18446744073709551615 for -1).
func timeval(b []byte) string {
	return "{tv_sec=" + sdec(int64(le.Uint64(b))) + ", tv_usec=" + udec(le.Uint64(b[8:])) + "}"
}

// siginfoSize is sizeof(siginfo_t).
const siginfoSize = 128

// siginfoText formats a siginfo_t as strace's printsiginfo. waitid fills
// one in for SIGCHLD; with WNOHANG and no child ready it is all zeros,
// which strace prints as {}.
func siginfoText(b []byte) string { return siginfoIn(nil, b) }

// siginfoIn is siginfoText in o's -X style: si_signo, si_code, si_errno
// and a signal in si_status as numbers with -X raw, the names after them
// with -X verbose.
func siginfoIn(o *Options, b []byte) string {
	signo := int64(int32(le.Uint32(b[0:])))
	errno := int32(le.Uint32(b[4:]))
	code := int32(le.Uint32(b[8:]))
	if signo == 0 {
		return "{}"
	}
	var s strings.Builder
	s.WriteString("{si_signo=")
	s.WriteString(signalIn(o, signo))
	s.WriteString(", si_code=")
	s.WriteString(o.styledHex(uint64(uint32(code)), siCode(signo, code)))
	if errno != 0 {
		s.WriteString(", si_errno=")
		if name := ErrnoName(syscall.Errno(errno)); name != "" {
			s.WriteString(o.styledUdec(uint64(uint32(errno)), name))
		} else {
			s.WriteString(sdec(int64(errno)))
		}
	}
	pid := sdec(int64(int32(le.Uint32(b[16:]))))
	uid := udec(uint64(le.Uint32(b[20:])))
	source := ", si_pid=" + pid + ", si_uid=" + uid
	sival := ", si_int=" + sdec(int64(int32(le.Uint32(b[24:])))) + ", si_ptr=" + ptr(le.Uint64(b[24:]))
	switch {
	case code <= 0: // SI_FROMUSER: sent by kill, tgkill, sigqueue...
		switch code {
		case -2: // SI_TIMER
			s.WriteString(", si_timerid=" + hexNum(uint64(le.Uint32(b[16:]))))
			s.WriteString(", si_overrun=" + sdec(int64(int32(le.Uint32(b[20:])))))
			s.WriteString(sival)
		case -5: // SI_SIGIO
			s.WriteString(", si_band=" + sdec(int64(le.Uint64(b[16:]))))
			s.WriteString(", si_fd=" + sdec(int64(int32(le.Uint32(b[24:])))))
		case 0, -6: // SI_USER, SI_TKILL
			s.WriteString(source)
		default:
			s.WriteString(source)
			if le.Uint64(b[24:]) != 0 {
				s.WriteString(sival)
			}
		}
	case signo == int64(syscall.SIGCHLD):
		s.WriteString(source)
		status := int64(int32(le.Uint32(b[24:])))
		if code == 1 { // CLD_EXITED: an exit code; otherwise a signal
			s.WriteString(", si_status=" + sdec(status))
		} else {
			s.WriteString(", si_status=" + signalIn(o, status))
		}
		s.WriteString(", si_utime=" + clockTicks(le.Uint64(b[32:])))
		s.WriteString(", si_stime=" + clockTicks(le.Uint64(b[40:])))
	case signo == int64(syscall.SIGILL), signo == int64(syscall.SIGFPE),
		signo == int64(syscall.SIGSEGV), signo == int64(syscall.SIGBUS),
		signo == int64(syscall.SIGTRAP):
		s.WriteString(", si_addr=" + ptr(le.Uint64(b[16:])))
	default:
		if le.Uint64(b[16:]) != 0 { // si_pid or si_uid
			s.WriteString(source)
		}
		if le.Uint64(b[24:]) != 0 {
			s.WriteString(sival)
		}
	}
	s.WriteByte('}')
	return s.String()
}

// siCode names si_code: the codes any signal may carry first, then the
// signal's own; strace prints anything else in hex.
func siCode(signo int64, code int32) string {
	if name, ok := siCodes.lookup(uint64(uint32(code))); ok {
		return name
	}
	var codes *flagSet
	switch syscall.Signal(signo) {
	case syscall.SIGCHLD:
		codes = &cldCodes
	case syscall.SIGSEGV:
		codes = &segvCodes
	case syscall.SIGBUS:
		codes = &busCodes
	}
	if codes != nil {
		if name, ok := codes.lookup(uint64(uint32(code))); ok {
			return name
		}
	}
	return hexNum(uint64(uint32(code)))
}

// sigactionSize is the kernel's struct sigaction on x86_64 and aarch64:
// handler, flags, restorer, and a 64-bit mask, in that order.
const sigactionSize = 32

// sigactionText formats a struct sigaction as strace's
// decode_new_sigaction: {sa_handler=SIG_IGN, sa_mask=[], sa_flags=0}, with
// sa_restorer only when SA_RESTORER says it is valid.
func sigactionText(b []byte) string { return sigactionIn(nil, b) }

// sigactionIn is sigactionText in o's -X style.
func sigactionIn(o *Options, b []byte) string {
	handler := le.Uint64(b[0:])
	flags := le.Uint64(b[8:])
	restorer := le.Uint64(b[16:])
	mask := le.Uint64(b[24:])
	var s strings.Builder
	s.WriteString("{sa_handler=")
	if name, ok := saHandlers.lookup(handler); ok {
		s.WriteString(o.styledHex(handler, name))
	} else {
		s.WriteString(ptr(handler))
	}
	s.WriteString(", sa_mask=" + sigmaskIn(o, mask))
	s.WriteString(", sa_flags=" + o.styledHex(flags, saFlags.flags(flags)))
	if flags&saRestorer != 0 {
		s.WriteString(", sa_restorer=" + ptr(restorer))
	}
	s.WriteByte('}')
	return s.String()
}

// waitStatus formats a wait status as strace's printstatus:
// [{WIFEXITED(s) && WEXITSTATUS(s) == 0}], with a ptrace event and any
// bits left over after "|".
func waitStatus(st int32) string {
	var s strings.Builder
	s.WriteByte('[')
	u := uint32(st)
	switch {
	case u&0xff == 0x7f: // WIFSTOPPED
		sig := (u >> 8) & 0xff
		s.WriteString("{WIFSTOPPED(s) && WSTOPSIG(s) == " + signal(int64(sig&0x7f)))
		if sig&0x80 != 0 {
			s.WriteString(" | 0x80") // PTRACE_O_TRACESYSGOOD's syscall stop
		}
		s.WriteByte('}')
		u &^= sig<<8 | 0x7f
	case u&0x7f != 0 && u&0x7f != 0x7f: // WIFSIGNALED
		s.WriteString("{WIFSIGNALED(s) && WTERMSIG(s) == " + signal(int64(u&0x7f)))
		if u&0x80 != 0 {
			s.WriteString(" && WCOREDUMP(s)")
		}
		s.WriteByte('}')
		u &^= u&0x7f | 0x80
	case u&0x7f == 0: // WIFEXITED
		s.WriteString("{WIFEXITED(s) && WEXITSTATUS(s) == " + strconv.Itoa(int((u>>8)&0xff)) + "}")
		u &^= u & 0xff00
	case u == 0xffff: // WIFCONTINUED
		s.WriteString("{WIFCONTINUED(s)}")
		u = 0
	default:
		s.WriteString(hexNum(uint64(u)))
		s.WriteByte(']')
		return s.String()
	}
	if event := u >> 16; event != 0 {
		s.WriteString("|" + ptraceEvents.xval(uint64(event)) + "<<16")
		u &= 0xffff
	}
	if u != 0 {
		s.WriteString("|" + hexNum(uint64(u)))
	}
	s.WriteByte(']')
	return s.String()
}

// cloneArgsSize is sizeof(struct clone_args) as strace 6.1 knows it, up to
// cgroup; cloneArgsMin is CLONE_ARGS_SIZE_VER0, which ends after tls.
const (
	cloneArgsSize = 88
	cloneArgsMin  = 64
)

// The struct clone_args fields, by offset.
const (
	caFlags      = 0
	caPidfd      = 8
	caChildTid   = 16
	caParentTid  = 24
	caExitSignal = 32
	caStack      = 40
	caStackSize  = 48
	caTLS        = 56
	caSetTid     = 64
	caSetTidSize = 72
	caCgroup     = 80
)

// cloneArgsText formats clone3's struct clone_args at entry as strace
// does: fields that only matter with some flag are printed only with it;
// the flags and the exit signal in o's -X style.
func cloneArgsText(o *Options, mem Memory, a, size uint64, limit int) string {
	fetch := min(size, cloneArgsSize)
	if fetch < cloneArgsMin {
		return ptr(a)
	}
	raw, ok := readFull(mem, a, fetch)
	if !ok {
		return ptr(a)
	}
	b := make([]byte, cloneArgsSize)
	copy(b, raw)
	f := le.Uint64(b[caFlags:])
	var s strings.Builder
	s.WriteString("{flags=" + clone3FlagSet.flagsIn(o, f))
	if f&cloneFlagPIDFD != 0 {
		s.WriteString(", pidfd=" + ptr(le.Uint64(b[caPidfd:])))
	}
	if f&(cloneFlagChildSettid|cloneFlagChildCleartid) != 0 {
		s.WriteString(", child_tid=" + ptr(le.Uint64(b[caChildTid:])))
	}
	if f&cloneFlagParentSettid != 0 {
		s.WriteString(", parent_tid=" + ptr(le.Uint64(b[caParentTid:])))
	}
	if sig := le.Uint64(b[caExitSignal:]); sig < 1<<31-1 {
		s.WriteString(", exit_signal=" + signalIn(o, int64(int32(sig))))
	} else {
		s.WriteString(", exit_signal=" + udec(sig))
	}
	s.WriteString(", stack=" + ptr(le.Uint64(b[caStack:])))
	s.WriteString(", stack_size=" + hexNum(le.Uint64(b[caStackSize:])))
	if f&cloneFlagSettls != 0 {
		s.WriteString(", tls=" + ptr(le.Uint64(b[caTLS:])))
	}
	setTid, setTidSize := le.Uint64(b[caSetTid:]), le.Uint64(b[caSetTidSize:])
	if setTid != 0 || setTidSize != 0 {
		s.WriteString(", set_tid=")
		if setTid == 0 || setTidSize == 0 || setTidSize > 32 {
			s.WriteString(ptr(setTid))
		} else {
			s.WriteString(intArray(mem, setTid, setTidSize, limit))
		}
		s.WriteString(", set_tid_size=" + udec(setTidSize))
	}
	if fetch > caCgroup && (le.Uint64(b[caCgroup:]) != 0 || f&cloneFlagIntoCgroup != 0) {
		s.WriteString(", cgroup=" + udec(le.Uint64(b[caCgroup:])))
	}
	if size > fetch {
		s.WriteString(tailBytes(mem, a, fetch, size, limit, ", "))
	}
	s.WriteByte('}')
	return s.String()
}

// cloneArgsExit is what strace adds to clone3's struct at exit: the pidfd
// and the child's tid the kernel stored, after " => ". Nothing when the
// call failed or stored nothing.
func cloneArgsExit(mem Memory, a, size uint64, limit int) string {
	fetch := min(size, cloneArgsSize)
	if fetch < cloneArgsMin {
		return ""
	}
	raw, ok := readFull(mem, a, fetch)
	if !ok {
		return " => " + ptr(a)
	}
	b := make([]byte, cloneArgsSize)
	copy(b, raw)
	f := le.Uint64(b[caFlags:])
	var parts []string
	if f&cloneFlagPIDFD != 0 {
		parts = append(parts, "pidfd="+readInt(mem, le.Uint64(b[caPidfd:])))
	}
	if f&cloneFlagParentSettid != 0 {
		parts = append(parts, "parent_tid="+readInt(mem, le.Uint64(b[caParentTid:])))
	}
	if size > fetch {
		if t := tailBytes(mem, a, fetch, size, limit, ""); t != "" {
			parts = append(parts, t)
		}
	}
	if len(parts) == 0 {
		return ""
	}
	return " => {" + strings.Join(parts, ", ") + "}"
}

// tailBytes is strace's print_nonzero_bytes for a structure larger than
// strace knows: the bytes past the known part, up to a page, in hex, if
// any of them is not zero. sep goes before them when they print.
func tailBytes(mem Memory, a, from, size uint64, limit int, sep string) string {
	end := min(size, pageSize)
	if from >= end {
		return ""
	}
	b, ok := readFull(mem, a+from, end-from)
	if !ok {
		return sep + "???"
	}
	if indexNonzero(b) < 0 {
		return ""
	}
	s := sep + "/* bytes " + udec(from) + ".." + udec(end-1) + " */ "
	if len(b) > limit {
		return s + quoteHex(b[:limit]) + "..."
	}
	return s + quoteHex(b)
}

func indexNonzero(b []byte) int {
	for i, c := range b {
		if c != 0 {
			return i
		}
	}
	return -1
}

// intArray formats n ints at a as strace's print_array: [1, 2], cut after
// limit elements.
func intArray(mem Memory, a, n uint64, limit int) string {
	b, ok := readFull(mem, a, 4*n)
	if !ok {
		return ptr(a)
	}
	var s strings.Builder
	s.WriteByte('[')
	for i := uint64(0); i < n; i++ {
		if i > 0 {
			s.WriteString(", ")
		}
		if i >= uint64(limit) {
			s.WriteString("...")
			break
		}
		s.WriteString(sdec(int64(int32(le.Uint32(b[4*i:])))))
	}
	s.WriteByte(']')
	return s.String()
}

// The clone flags the decoders test, as uint64 for clone3's 64-bit field.
const (
	cloneFlagPIDFD         = 0x1000
	cloneFlagSettls        = 0x80000
	cloneFlagParentSettid  = 0x100000
	cloneFlagChildCleartid = 0x200000
	cloneFlagChildSettid   = 0x1000000
	cloneFlagIntoCgroup    = 0x200000000
)

// argv formats execve's argument vector as strace's printargv: ["cp",
// "a", "b"], at most limit strings (then "...") unless all (-v), each
// cut at limit bytes.
// A vector that runs into unreadable memory ends with "... /* 0x... */".
func argv(mem Memory, a uint64, limit int, all bool) string {
	if a == 0 {
		return "NULL"
	}
	var s strings.Builder
	n := 0
	bad, stopped := eachWord(mem, a, func(w uint64) bool {
		if n == 0 {
			s.WriteByte('[')
		}
		if w == 0 {
			return false
		}
		if n != 0 {
			s.WriteString(", ")
		}
		if n >= limit && !all {
			s.WriteString("...")
			return false
		}
		s.WriteString(cstring(mem, w, limit))
		n++
		return true
	})
	if !stopped {
		if s.Len() == 0 {
			return ptr(bad)
		}
		s.WriteString(", ... /* " + ptr(bad) + " */")
	}
	s.WriteByte(']')
	return s.String()
}

// eachWord calls f with each 8-byte word of the array at a, in order, until
// f returns false (stopped). It reads up to 64 words at once but never past
// the end of a page, unless a word straddles it: an array that runs into
// unmapped memory reads as far as it goes, and a long environment costs a
// read a page instead of a read a word. If memory runs out (or the address
// wraps) first, bad is the address of the first word it could not read.
func eachWord(mem Memory, a uint64, f func(w uint64) bool) (bad uint64, stopped bool) {
	if mem == nil {
		return a, false
	}
	var buf [512]byte
	for p := a; ; {
		n := min(len(buf), pageSize-int(p%pageSize)) &^ 7
		if n == 0 {
			n = 8
		}
		if p < a || p+uint64(n) < p {
			return p, false
		}
		got, _ := mem.Read(p, buf[:n])
		got &^= 7
		if got == 0 {
			return p, false
		}
		for i := 0; i < got; i += 8 {
			if !f(le.Uint64(buf[i:])) {
				return 0, true
			}
		}
		p += uint64(got)
	}
}

// envCount formats execve's environment as strace does without -v: the
// address and a count, 0x7ffc... /* 20 vars */.
func envCount(mem Memory, a uint64) string {
	if a == 0 {
		return "NULL"
	}
	n := 0
	_, terminated := eachWord(mem, a, func(w uint64) bool {
		if w == 0 {
			return false
		}
		n++
		return true
	})
	if !terminated && n == 0 {
		return ptr(a)
	}
	s := ptr(a) + " /* " + strconv.Itoa(n) + " var"
	if n != 1 {
		s += "s"
	}
	if !terminated {
		s += ", unterminated"
	}
	return s + " */"
}
