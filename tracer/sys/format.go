package sys

import (
	"bytes"
	"encoding/binary"
	"strconv"
	"strings"

	"github.com/mmtrace/mmtrace/internal/escape"
)

// This file holds the building blocks every decoder shares: numbers,
// pointers, strings read from tracee memory, flag sets and signals, each
// printed the way strace 6.1 prints them by default (no -v, -x or -y).

// pathMax is PATH_MAX: strace reads at most this many bytes of a path,
// whatever -s says.
const pathMax = 4096

// pageSize is the granularity of reads that look for a NUL. 4 KiB divides
// every page size Linux uses, so a chunk never straddles a mapped and an
// unmapped page.
const pageSize = 4096

// hexNum formats v as C's "%#x": zero has no 0x prefix.
func hexNum(v uint64) string {
	if v == 0 {
		return "0"
	}
	return "0x" + strconv.FormatUint(v, 16)
}

// ptr formats a pointer as strace's printaddr: NULL, or hex.
func ptr(v uint64) string {
	if v == 0 {
		return "NULL"
	}
	return "0x" + strconv.FormatUint(v, 16)
}

// udec and sdec format unsigned and signed decimals.
func udec(v uint64) string { return strconv.FormatUint(v, 10) }
func sdec(v int64) string {
	if v == -1 {
		return "-1" // fd -1 of every anonymous mmap; FormatInt allocates it
	}
	return strconv.FormatInt(v, 10)
}

// octMode formats a mode as C's "%#03o": 0644, 0100644, and 000 for zero.
func octMode(v uint64) string {
	s := strconv.FormatUint(v, 8)
	for len(s) < 2 {
		s = "0" + s
	}
	return "0" + s
}

// readFull reads exactly n bytes at a. Like strace's umoven it is all or
// nothing: a read that stops short fails, and the caller prints the
// address instead.
func readFull(mem Memory, a uint64, n uint64) ([]byte, bool) {
	if mem == nil || a+n < a {
		return nil, false
	}
	b := make([]byte, n)
	if n == 0 {
		return b, true
	}
	got, err := mem.Read(a, b)
	if err != nil || uint64(got) != n {
		return nil, false
	}
	return b, true
}

// readCString reads the NUL-terminated string at a, looking at no more
// than limit bytes. It returns the bytes before the NUL and whether the NUL
// was found within limit; ok is false when memory ran out before either, as
// strace's umovestr fails then. Reads never cross a page, so that a short
// string just before an unmapped page is still read. The first read asks
// for at most firstRead bytes: a path is most often far shorter than what
// is left of its page, and reading, clearing and searching up to 4 KiB per
// path was 9% of mmtrace's time on the stop path of `git status`.
func readCString(mem Memory, a uint64, limit int) (s []byte, terminated, ok bool) {
	if mem == nil {
		return nil, false, false
	}
	var out []byte
	most := firstRead
	for len(out) < limit {
		chunk := min(pageSize-int(a%pageSize), limit-len(out), most)
		most = pageSize
		if a+uint64(chunk) < a {
			return nil, false, false
		}
		buf := make([]byte, chunk)
		n, err := mem.Read(a, buf)
		n = max(0, min(n, chunk))
		if i := bytes.IndexByte(buf[:n], 0); i >= 0 {
			if out == nil {
				return buf[:i], true, true // the common case: no copy
			}
			return append(out, buf[:i]...), true, true
		}
		if err != nil || n < chunk {
			return nil, false, false
		}
		out = append(out, buf...)
		a += uint64(chunk)
	}
	return out, false, true
}

// firstRead bounds readCString's first read: longer than most paths and
// argv strings.
const firstRead = 256

func indexNUL(b []byte) int { return bytes.IndexByte(b, 0) }

// quote renders b between double quotes as strace's string_quote does
// without -x: C escapes for \t \n \v \f \r \" \\, printable ASCII as is,
// and every other byte in octal. The one implementation is shared with
// everything else that prints a string from outside (internal/escape).
func quote(b []byte) string { return escape.Quote(b) }

// quoteHex renders b as strace's QUOTE_FORCE_HEX does: every byte as \xNN.
// strace uses it for bytes past the end of a structure it knows.
func quoteHex(b []byte) string {
	const digits = "0123456789abcdef"
	var s strings.Builder
	s.Grow(len(b)*4 + 2)
	s.WriteByte('"')
	for _, c := range b {
		s.WriteString(`\x`)
		s.WriteByte(digits[c>>4])
		s.WriteByte(digits[c&15])
	}
	s.WriteByte('"')
	return s.String()
}

// buffer formats n bytes at a, a read or write buffer: strace's printstrn.
// At most limit bytes are shown, then "..." if there were more. strace
// fetches one byte past the limit, all or nothing; so does this.
func buffer(mem Memory, a, n uint64, limit int) string {
	if a == 0 {
		return "NULL"
	}
	lim := uint64(limit)
	b, ok := readFull(mem, a, min(n, lim+1))
	if !ok {
		return ptr(a)
	}
	if uint64(len(b)) > lim {
		b = b[:lim]
	}
	if n > lim {
		return quote(b) + "..."
	}
	return quote(b)
}

// cstring formats the NUL-terminated string at a, cut at limit bytes:
// strace's printstr, used for argv strings.
func cstring(mem Memory, a uint64, limit int) string {
	if a == 0 {
		return "NULL"
	}
	// One byte past the limit tells a string of exactly limit bytes from
	// a longer one.
	b, terminated, ok := readCString(mem, a, limit+1)
	if !ok {
		return ptr(a)
	}
	if terminated {
		return quote(b)
	}
	return quote(b[:limit]) + "..."
}

// path formats the file name at a. strace's printpath reads up to
// PATH_MAX bytes whatever -s says, and prints at most PATH_MAX-1 of them.
func path(mem Memory, a uint64) string {
	if a == 0 {
		return "NULL"
	}
	b, terminated, ok := readCString(mem, a, pathMax)
	if !ok {
		return ptr(a)
	}
	if terminated {
		return quote(b)
	}
	return quote(b[:pathMax-1]) + "..."
}

// readInt reads a 32-bit int at a and formats it as "[n]", strace's
// printnum_int; the address if it cannot.
func readInt(mem Memory, a uint64) string {
	if a == 0 {
		return "NULL"
	}
	b, ok := readFull(mem, a, 4)
	if !ok {
		return ptr(a)
	}
	return "[" + sdec(int64(int32(binary.LittleEndian.Uint32(b)))) + "]"
}

// A flag names one bit, or one multi-bit value, of a flag set.
type flag struct {
	val  uint64
	name string
}

// A flagSet is an xlat table: the names of a flag argument's bits in the
// order strace prints them, and the placeholder it prints when none of
// them matches ("PROT_???").
type flagSet struct {
	unknown string
	list    []flag
}

// flags formats v as strace's printflags: the names of the bits set in
// table order, joined with "|", then any bits left over in hex. Zero is
// the table's zero entry when it starts with one (PROT_NONE), else "0".
// When no name matches at all, strace prints the hex value with the
// placeholder in a comment: 0x100 /* PROT_??? */.
func (fs *flagSet) flags(v uint64) string {
	if v == 0 {
		if len(fs.list) > 0 && fs.list[0].val == 0 {
			return fs.list[0].name
		}
		return "0"
	}
	s, named := fs.bits(v)
	if !named {
		return s + " /* " + fs.unknown + " */"
	}
	return s
}

// bits formats nonzero v as names and leftover hex, and says whether any
// name matched; with none it is bare hex, as strace prints flags that
// follow others (mmap's after the sharing type, open's after the access
// mode).
func (fs *flagSet) bits(v uint64) (s string, named bool) {
	var parts []string
	rest := v
	for _, f := range fs.list {
		if f.val != 0 && rest&f.val == f.val {
			parts = append(parts, f.name)
			rest &^= f.val
			if rest == 0 {
				break
			}
		}
	}
	if len(parts) == 0 {
		return hexNum(v), false
	}
	if rest != 0 {
		parts = append(parts, hexNum(rest))
	}
	return strings.Join(parts, "|"), true
}

// lookup returns the name of the entry whose value is v.
func (fs *flagSet) lookup(v uint64) (string, bool) {
	for _, f := range fs.list {
		if f.val == v {
			return f.name, true
		}
	}
	return "", false
}

// xval formats v as one value of the table, strace's printxval: the name,
// or hex with the placeholder in a comment (0x5 /* MADV_??? */).
func (fs *flagSet) xval(v uint64) string {
	if name, ok := fs.lookup(v); ok {
		return name
	}
	return hexNum(v) + " /* " + fs.unknown + " */"
}

// flagsIn is flags in o's -X style: the number with -X raw, the number
// and the names in a comment with -X verbose, as strace's printflags
// prints a flag word inside a structure as well as an argument.
func (fs *flagSet) flagsIn(o *Options, v uint64) string { return o.styledHex(v, fs.flags(v)) }

// xvalIn is xval in o's -X style, as strace's printxval.
func (fs *flagSet) xvalIn(o *Options, v uint64) string { return o.styledHex(v, fs.xval(v)) }

// flagsNoDefaultIn is flagsNoDefault in o's -X style: zero is nothing
// in every style, as strace prints flags with no placeholder.
func (fs *flagSet) flagsNoDefaultIn(o *Options, v uint64) string {
	if v == 0 {
		return ""
	}
	return o.styledHex(v, fs.flagsNoDefault(v))
}

// signalIn formats a signal number in o's -X style: SIGTERM, 15, or
// 15 /* SIGTERM */.
func signalIn(o *Options, n int64) string { return o.styledDec(n, signal(n)) }

// signalNames is strace's signalent for x86_64 and aarch64, which number
// signals alike. 32 is glibc's first real-time signal; strace calls the
// others SIGRT_1 to SIGRT_32.
var signalNames = [...]string{
	1: "SIGHUP", "SIGINT", "SIGQUIT", "SIGILL", "SIGTRAP", "SIGABRT", "SIGBUS",
	"SIGFPE", "SIGKILL", "SIGUSR1", "SIGSEGV", "SIGUSR2", "SIGPIPE", "SIGALRM",
	"SIGTERM", "SIGSTKFLT", "SIGCHLD", "SIGCONT", "SIGSTOP", "SIGTSTP", "SIGTTIN",
	"SIGTTOU", "SIGURG", "SIGXCPU", "SIGXFSZ", "SIGVTALRM", "SIGPROF", "SIGWINCH",
	"SIGIO", "SIGPWR", "SIGSYS", "SIGRTMIN",
}

// sigRTMin and sigRTMax bound the kernel's real-time signals.
const (
	sigRTMin = 32
	sigRTMax = 64
)

// signame returns strace's name for signal n, if it has one.
func signame(n int64) (string, bool) {
	switch {
	case n > 0 && n < int64(len(signalNames)):
		return signalNames[n], true
	case n > sigRTMin && n <= sigRTMax:
		return "SIGRT_" + strconv.FormatInt(n-sigRTMin, 10), true
	}
	return "", false
}

// signal formats a signal number as strace's printsignal: SIGTERM,
// SIGRT_2, or the number (0 stays 0: kill's existence probe).
func signal(n int64) string {
	if s, ok := signame(n); ok {
		return s
	}
	return sdec(n)
}

// sigmask formats a 64-signal mask as strace's sprintsigmask_n: [INT TERM]
// with the SIG prefix dropped, or, when two thirds or more of the signals
// are in it, the complement: ~[RTMIN RT_1], and ~[] for every signal.
func sigmask(m uint64) string { return sigmaskIn(nil, m) }

// sigmaskIn formats a signal mask in o's -X style: each signal as its
// number with -X raw ([15]), the number and the name with -X verbose
// ([15 /* TERM */]).
func sigmaskIn(o *Options, m uint64) string {
	var s strings.Builder
	if popcount(m) >= 64*2/3 {
		s.WriteByte('~')
		m = ^m
	}
	s.WriteByte('[')
	first := true
	for i := int64(1); i <= 64; i++ {
		if m&(1<<(i-1)) == 0 {
			continue
		}
		if !first {
			s.WriteByte(' ')
		}
		first = false
		name, _ := signame(i)
		if i <= sigRTMin {
			name = strings.TrimPrefix(name, "SIG")
		} else {
			name = "RT_" + strconv.FormatInt(i-sigRTMin, 10)
		}
		s.WriteString(o.styled(strconv.FormatInt(i, 10), name))
	}
	s.WriteByte(']')
	return s.String()
}

func popcount(m uint64) int {
	n := 0
	for ; m != 0; m &= m - 1 {
		n++
	}
	return n
}
