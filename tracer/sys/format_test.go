package sys

import (
	"encoding/binary"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// fakeMem is tracee memory for tests: regions of bytes by start address.
// Reading past a region continues into the next one only if it starts
// right there; anything else is unmapped, and a read that reaches it
// returns the bytes before it and an error, as the real Memory does.
type fakeMem map[uint64][]byte

var errFault = errors.New("bad address")

func (m fakeMem) Read(a uint64, p []byte) (int, error) {
	n := 0
	for n < len(p) {
		b, ok := m.at(a + uint64(n))
		if !ok {
			return n, errFault
		}
		n += copy(p[n:], b)
	}
	return n, nil
}

// mustNotOverlap panics if two regions overlap: a test whose memory is
// ambiguous would pass or fail with map order.
func (m fakeMem) mustNotOverlap() {
	for a, ab := range m {
		for b := range m {
			if a < b && a+uint64(len(ab)) > b {
				panic(fmt.Sprintf("fake memory regions %#x (%d bytes) and %#x overlap", a, len(ab), b))
			}
		}
	}
}

// at returns the mapped bytes from a to the end of its region.
func (m fakeMem) at(a uint64) ([]byte, bool) {
	for start, b := range m {
		if a >= start && a-start < uint64(len(b)) {
			return b[a-start:], true
		}
	}
	return nil, false
}

// cstr is s with its terminating NUL.
func cstr(s string) []byte { return append([]byte(s), 0) }

// words encodes 64-bit little-endian words: pointer arrays, structs.
func words(ws ...uint64) []byte {
	b := make([]byte, 8*len(ws))
	for i, w := range ws {
		binary.LittleEndian.PutUint64(b[8*i:], w)
	}
	return b
}

// int32s encodes C ints.
func int32s(vs ...int32) []byte {
	b := make([]byte, 4*len(vs))
	for i, v := range vs {
		binary.LittleEndian.PutUint32(b[4*i:], uint32(v))
	}
	return b
}

func TestQuote(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string
	}{
		{"empty", "", `""`},
		{"plain", "hello world", `"hello world"`},
		{"c escapes", "a\nb\tc\rd\ve\ff", `"a\nb\tc\rd\ve\ff"`},
		{"quotes and backslash", `"q" \ 'x'`, `"\"q\" \\ 'x'"`},
		// \a, \b and ESC have no letter escape in strace: octal.
		{"bell backspace escape", "\a\b\x1bz", `"\7\10\33z"`},
		{"nul", "\x00", `"\0"`},
		// Padded to three digits only before an octal digit.
		{"nul before digit", "\x00" + "1", `"\0001"`},
		{"nul before 8", "\x00" + "9", `"\09"`},
		{"nul nul", "\x00\x00", `"\0\0"`},
		{"high bytes", "\xff\x80\x7f8", `"\377\200\1778"`},
		{"one before digit", "\x01" + "7", `"\0017"`},
		{"del", "\x7f", `"\177"`},
		// From strace 6.1: open("/tmp/\n\t\"x\\y\001\0018\377", O_RDONLY).
		{"strace path", "/tmp/\n\t\"x\\y\x01\x018\xff", `"/tmp/\n\t\"x\\y\1\18\377"`},
		// From strace 6.1: the start of libc's ELF header, read(3, ...).
		{"elf header", "\x7fELF\x02\x01\x01\x03\x00\x00", `"\177ELF\2\1\1\3\0\0"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := quote([]byte(tc.in)); got != tc.want {
				t.Errorf("quote(%q) = %s, want %s", tc.in, got, tc.want)
			}
		})
	}
}

func TestQuoteHex(t *testing.T) {
	if got, want := quoteHex([]byte{0, 0xab, 0x10}), `"\x00\xab\x10"`; got != want {
		t.Errorf("quoteHex = %s, want %s", got, want)
	}
}

func TestFlags(t *testing.T) {
	tests := []struct {
		name string
		fs   *flagSet
		v    uint64
		want string
	}{
		{"prot zero", &protFlags, 0, "PROT_NONE"},
		{"prot known", &protFlags, 3, "PROT_READ|PROT_WRITE"},
		{"prot all", &protFlags, 7, "PROT_READ|PROT_WRITE|PROT_EXEC"},
		{"prot unknown bit", &protFlags, 0x101, "PROT_READ|0x100"},
		{"prot only unknown", &protFlags, 0x100, "0x100 /* PROT_??? */"},
		{"prot sem growsup", &protFlags, 0x2000009, "PROT_READ|PROT_SEM|PROT_GROWSUP"},
		{"msync zero", &msyncFlags, 0, "0"},
		{"msync order", &msyncFlags, 6, "MS_SYNC|MS_INVALIDATE"},
		{"msync async", &msyncFlags, 3, "MS_ASYNC|MS_INVALIDATE"},
		{"msync unknown", &msyncFlags, 0x10, "0x10 /* MS_??? */"},
		{"msync sync unknown", &msyncFlags, 0x14, "MS_SYNC|0x10"},
		{"wait zero", &waitOptions, 0, "0"},
		// WUNTRACED is WSTOPPED's alias; strace prints WSTOPPED.
		{"wuntraced", &waitOptions, 2, "WSTOPPED"},
		{"wall", &waitOptions, 0x40000000, "__WALL"},
		{"wait several", &waitOptions, 0xe, "WEXITED|WSTOPPED|WCONTINUED"},
		{"wait unknown", &waitOptions, 0x1000, "0x1000 /* W??? */"},
		{"at flags", &atFlags, 0x1234, "AT_REMOVEDIR|AT_EMPTY_PATH|0x34"},
		{"at unknown", &atFlags, 0x4000, "0x4000 /* AT_??? */"},
		{"sa flags glibc", &saFlags, 0x14000000, "SA_RESTORER|SA_RESTART"},
		{"sa flags unknown", &saFlags, 0x210, "0x210 /* SA_??? */"},
		{"clone3 flags", &clone3FlagSet, 0x100480080, "CLONE_SETTLS|CLONE_NEWTIME|CLONE_CLEAR_SIGHAND|0x400000"},
		{"mremap", &mremapFlags, 5, "MREMAP_MAYMOVE|MREMAP_DONTUNMAP"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.fs.flags(tc.v); got != tc.want {
				t.Errorf("flags(%#x) = %s, want %s", tc.v, got, tc.want)
			}
		})
	}
}

func TestXval(t *testing.T) {
	tests := []struct {
		name string
		fs   *flagSet
		v    uint64
		want string
	}{
		{"madv zero", &madvAdvice, 0, "MADV_NORMAL"},
		{"madv dontneed", &madvAdvice, 4, "MADV_DONTNEED"},
		{"madv hole", &madvAdvice, 5, "0x5 /* MADV_??? */"},
		{"madv hugepage", &madvAdvice, 14, "MADV_HUGEPAGE"},
		{"madv collapse", &madvAdvice, 25, "MADV_COLLAPSE"},
		{"madv past collapse", &madvAdvice, 26, "0x1a /* MADV_??? */"},
		{"madv soft offline", &madvAdvice, 101, "MADV_SOFT_OFFLINE"},
		// MADV_GUARD_INSTALL and MADV_GUARD_REMOVE are newer than
		// strace 6.1 (which prints 0x66 /* MADV_??? */); mmtrace names
		// them as current strace does (issue 13).
		{"madv guard", &madvAdvice, 102, "MADV_GUARD_INSTALL"},
		{"madv guard remove", &madvAdvice, 103, "MADV_GUARD_REMOVE"},
		{"madv past guard", &madvAdvice, 104, "0x68 /* MADV_??? */"},
		{"waitid type", &waitidTypes, 7, "0x7 /* P_??? */"},
		{"ptrace event", &ptraceEvents, 9, "0x9 /* PTRACE_EVENT_??? */"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.fs.xval(tc.v); got != tc.want {
				t.Errorf("xval(%#x) = %s, want %s", tc.v, got, tc.want)
			}
		})
	}
}

// TestFlagTablesHaveNoDuplicates guards against a bit named twice, which
// would never print under its second name.
func TestFlagTablesHaveNoDuplicates(t *testing.T) {
	sets := map[string]*flagSet{
		"prot": &protFlags, "map amd64": &mapFlagsAMD64, "map arm64": &mapFlagsARM64,
		"msync": &msyncFlags, "madvise": &madvAdvice, "mremap": &mremapFlags,
		"open amd64": &openFlagsAMD64, "open arm64": &openFlagsARM64, "clone3": &clone3FlagSet,
		"wait": &waitOptions, "at": &atFlags, "sa": &saFlags,
		"access": &accessModes, "faccessat": &faccessatFlags, "rename": &renameFlags,
		"falloc": &fallocFlags, "splice": &spliceFlags, "close_range": &closeRangeFlags,
		"fadvise": &fadviseAdvice, "memfd": &memfdFlags, "statx sync": &statxSyncTypes,
		"statx attrs": &statxAttrs, "statfs": &statfsFlags, "fsmagic": &fsMagic,
		"fcntl": &fcntlCmds, "fd": &fdFlags, "lock": &lockTypes, "owner": &ownerTypes,
		"notify": &notifyFlags, "seals": &sealFlags, "poll": &pollFlags, "epoll": &epollEvents,
		"epoll ctl": &epollCtlOps, "eventfd": &eventfdFlags, "timerfd": &timerfdFlags,
		"signalfd": &signalfdFlags, "inotify init": &inotifyInit, "inotify": &inotifyMask,
		"ioctl dirs": &ioctlDirs, "iflags": &termIflags, "oflags": &termOflags, "cflags": &termCflags,
		"csize": &termCsize, "baud": &baudOptions, "lflags": &termLflags, "modem": &modemFlags,
		"tcxonc": &tcxoncOptions, "tcflsh": &tcflshOptions, "af": &addrFamilies, "sock types": &sockTypes,
		"sock flags": &sockTypeFlags, "inet": &inetProtocols, "netlink": &netlinkProtocols,
		"msg": &msgFlags, "shutdown": &shutdownHow, "sol": &socketLevels, "scm": &scmTypes,
		"so": &solSocketOptions, "tcp": &solTCPOptions, "ip": &solIPOptions, "ipv6": &solIPv6Options,
		"udp": &solUDPOptions, "rlimit": &rlimitResources, "cap versions": &capVersions,
		"arch_prctl": &archPrctlCodes, "clocks": &clockNames, "timer": &timerFlags,
		"getrandom": &getrandomFlags, "membarrier": &membarrierCmds, "priority": &priorityWhich,
		"sigprocmask": &sigprocmaskHow, "sigaltstack": &sigaltstackFl, "futex": futexOps.Get(),
		"wake ops": &futexWakeOps, "wake cmps": &futexWakeCmps, "prctl": &prctlOptions,
		"dumpable": &prDumpable, "ambient": &prCapAmbient, "seccomp": &seccompModes, "secbits": &secBits,
		"set mm": &prSetMM, "execveat": &execveatFlags,
	}
	for i := range termOdelays {
		sets["oflag delay "+strconv.Itoa(i)] = &termOdelays[i].fs
	}
	for name, fs := range sets {
		seen := map[uint64]string{}
		for _, f := range fs.list {
			if prev, ok := seen[f.val]; ok {
				t.Errorf("%s: %#x is both %s and %s", name, f.val, prev, f.name)
			}
			seen[f.val] = f.name
		}
	}
}

func TestSignal(t *testing.T) {
	tests := []struct {
		n    int64
		want string
	}{
		{0, "0"},
		{9, "SIGKILL"},
		{7, "SIGBUS"},
		{16, "SIGSTKFLT"},
		{31, "SIGSYS"},
		{32, "SIGRTMIN"},
		{33, "SIGRT_1"},
		{34, "SIGRT_2"}, // glibc's SIGRTMIN
		{64, "SIGRT_32"},
		{65, "65"},
		{-3, "-3"},
	}
	for _, tc := range tests {
		if got := signal(tc.n); got != tc.want {
			t.Errorf("signal(%d) = %s, want %s", tc.n, got, tc.want)
		}
	}
}

func TestSigmask(t *testing.T) {
	tests := []struct {
		name string
		m    uint64
		want string
	}{
		{"empty", 0, "[]"},
		{"two", 1<<(2-1) | 1<<(15-1), "[INT TERM]"},
		{"rt", 1<<(2-1) | 1<<(15-1) | 1<<(40-1), "[INT TERM RT_8]"},
		{"first and last", 1 | 1<<63, "[HUP RT_32]"},
		{"all", ^uint64(0), "~[]"},
		// sigfillset minus glibc's two internal signals.
		{"glibc fill", ^uint64(0) &^ (1<<31 | 1<<32), "~[RTMIN RT_1]"},
		{"all but hup", ^uint64(1), "~[HUP]"},
		// 42 of 64 is two thirds: inverted; 41 is listed.
		{"42 set", 1<<42 - 1, "~[RT_11 RT_12 RT_13 RT_14 RT_15 RT_16 RT_17 RT_18 RT_19 RT_20 RT_21 RT_22 RT_23 RT_24 RT_25 RT_26 RT_27 RT_28 RT_29 RT_30 RT_31 RT_32]"},
		{"41 set", 1<<41 - 1, "[HUP INT QUIT ILL TRAP ABRT BUS FPE KILL USR1 SEGV USR2 PIPE ALRM TERM STKFLT CHLD CONT STOP TSTP TTIN TTOU URG XCPU XFSZ VTALRM PROF WINCH IO PWR SYS RTMIN RT_1 RT_2 RT_3 RT_4 RT_5 RT_6 RT_7 RT_8 RT_9]"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := sigmask(tc.m); got != tc.want {
				t.Errorf("sigmask(%#x) = %s, want %s", tc.m, got, tc.want)
			}
		})
	}
}

func TestWaitStatus(t *testing.T) {
	tests := []struct {
		name string
		st   int32
		want string
	}{
		// From strace 6.1 output.
		{"exited 0", 0, "[{WIFEXITED(s) && WEXITSTATUS(s) == 0}]"},
		{"exited 3", 3 << 8, "[{WIFEXITED(s) && WEXITSTATUS(s) == 3}]"},
		{"signalled", 15, "[{WIFSIGNALED(s) && WTERMSIG(s) == SIGTERM}]"},
		{"cored", 6 | 0x80, "[{WIFSIGNALED(s) && WTERMSIG(s) == SIGABRT && WCOREDUMP(s)}]"},
		{"bus", 7, "[{WIFSIGNALED(s) && WTERMSIG(s) == SIGBUS}]"},
		{"stopped", 19<<8 | 0x7f, "[{WIFSTOPPED(s) && WSTOPSIG(s) == SIGSTOP}]"},
		{"syscall stop", (5|0x80)<<8 | 0x7f, "[{WIFSTOPPED(s) && WSTOPSIG(s) == SIGTRAP | 0x80}]"},
		{"fork event", 1<<16 | 5<<8 | 0x7f, "[{WIFSTOPPED(s) && WSTOPSIG(s) == SIGTRAP}|PTRACE_EVENT_FORK<<16]"},
		{"exit event", 6<<16 | 5<<8 | 0x7f, "[{WIFSTOPPED(s) && WSTOPSIG(s) == SIGTRAP}|PTRACE_EVENT_EXIT<<16]"},
		{"stop event", 128<<16 | 19<<8 | 0x7f, "[{WIFSTOPPED(s) && WSTOPSIG(s) == SIGSTOP}|PTRACE_EVENT_STOP<<16]"},
		{"continued", 0xffff, "[{WIFCONTINUED(s)}]"},
		// Not from a kernel, but strace prints them so.
		{"unknown event", 9<<16 | 5<<8 | 0x7f, "[{WIFSTOPPED(s) && WSTOPSIG(s) == SIGTRAP}|0x9 /* PTRACE_EVENT_??? */<<16]"},
		{"odd", 0x1ff, "[0x1ff]"},
		{"rt signal", 40, "[{WIFSIGNALED(s) && WTERMSIG(s) == SIGRT_8}]"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := waitStatus(tc.st); got != tc.want {
				t.Errorf("waitStatus(%#x) = %s, want %s", tc.st, got, tc.want)
			}
		})
	}
}

func TestSymbolicMode(t *testing.T) {
	tests := []struct {
		mode uint32
		want string
	}{
		{0100644, "S_IFREG|0644"},
		{0100600, "S_IFREG|0600"},
		{041777, "S_IFDIR|S_ISVTX|0777"},
		{0107777, "S_IFREG|S_ISUID|S_ISGID|S_ISVTX|0777"},
		{020666, "S_IFCHR|0666"},
		{060600, "S_IFBLK|0600"},
		{0120777, "S_IFLNK|0777"},
		{010644, "S_IFIFO|0644"},
		{0140777, "S_IFSOCK|0777"},
		{0100000, "S_IFREG|000"},
		{0644, "0644"},
		{030644, "030644"}, // no such file type
	}
	for _, tc := range tests {
		if got := symbolicMode(tc.mode); got != tc.want {
			t.Errorf("symbolicMode(%#o) = %s, want %s", tc.mode, got, tc.want)
		}
	}
}

func TestMakedev(t *testing.T) {
	tests := []struct {
		dev  uint64
		want string
	}{
		{0x103, "makedev(0x1, 0x3)"},
		{0x700, "makedev(0x7, 0)"},
		{0, "makedev(0, 0)"},
		// glibc's encoding of a major and minor past 12 and 8 bits.
		{0x100056723489, "makedev(0x1234, 0x56789)"},
	}
	for _, tc := range tests {
		if got := makedev(tc.dev); got != tc.want {
			t.Errorf("makedev(%#x) = %s, want %s", tc.dev, got, tc.want)
		}
	}
}

func TestReadCString(t *testing.T) {
	// A page whose last bytes hold "ab\0d", and then nothing mapped.
	const page = 0x10000
	tail := make([]byte, pageSize)
	copy(tail[pageSize-4:], "ab\x00d")
	unterminated := make([]byte, pageSize)
	copy(unterminated[pageSize-4:], "abcd")
	tests := []struct {
		name           string
		mem            fakeMem
		addr           uint64
		limit          int
		want           string
		terminated, ok bool
	}{
		{"short", fakeMem{0x1000: cstr("hi")}, 0x1000, 10, "hi", true, true},
		{"empty", fakeMem{0x1000: cstr("")}, 0x1000, 10, "", true, true},
		{"limit reached", fakeMem{0x1000: cstr("hello")}, 0x1000, 3, "hel", false, true},
		{"nul at limit", fakeMem{0x1000: cstr("hel")}, 0x1000, 4, "hel", true, true},
		{"unmapped", fakeMem{}, 0x1000, 10, "", false, false},
		{"nul before unmapped page", fakeMem{page: tail}, page + pageSize - 4, 100, "ab", true, true},
		{"runs into unmapped page", fakeMem{page: unterminated}, page + pageSize - 4, 100, "", false, false},
		{"crosses pages", fakeMem{page: unterminated, page + pageSize: cstr("ef")}, page + pageSize - 4, 100, "abcdef", true, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, term, ok := readCString(tc.mem, tc.addr, tc.limit)
			if string(s) != tc.want || term != tc.terminated || ok != tc.ok {
				t.Errorf("readCString = %q, %v, %v; want %q, %v, %v", s, term, ok, tc.want, tc.terminated, tc.ok)
			}
		})
	}
	if _, _, ok := readCString(nil, 0x1000, 10); ok {
		t.Error("readCString(nil memory) succeeded")
	}
}

func TestStrings(t *testing.T) {
	const a = 0x5000
	long := strings.Repeat("0123456789", 4) // 40 bytes
	tests := []struct {
		name  string
		f     func(mem Memory, limit int) string
		mem   fakeMem
		limit int
		want  string
	}{
		{"buffer exact limit", func(m Memory, l int) string { return buffer(m, a, 32, l) }, fakeMem{a: []byte(long)}, 32, `"01234567890123456789012345678901"`},
		{"buffer over limit", func(m Memory, l int) string { return buffer(m, a, 33, l) }, fakeMem{a: []byte(long)}, 32, `"01234567890123456789012345678901"...`},
		{"buffer -s 8", func(m Memory, l int) string { return buffer(m, a, 31, l) }, fakeMem{a: []byte(long)}, 8, `"01234567"...`},
		{"buffer empty", func(m Memory, l int) string { return buffer(m, a, 0, l) }, fakeMem{}, 32, `""`},
		{"buffer null", func(m Memory, l int) string { return buffer(m, 0, 5, l) }, fakeMem{}, 32, `NULL`},
		{"buffer unreadable", func(m Memory, l int) string { return buffer(m, 1, 5, l) }, fakeMem{}, 32, `0x1`},
		// strace fetches limit+1 bytes, all or nothing: 4 readable bytes
		// of 8 print the address (strace 6.1: write(3, 0x7f0d7be71ffc, 8)).
		{"buffer short read", func(m Memory, l int) string { return buffer(m, a, 8, l) }, fakeMem{a: []byte("abcd")}, 32, `0x5000`},
		{"buffer nul inside", func(m Memory, l int) string { return buffer(m, a, 4, l) }, fakeMem{a: []byte("a\x00b\x00")}, 32, `"a\0b\0"`},
		{"cstring exact limit", func(m Memory, l int) string { return cstring(m, a, l) }, fakeMem{a: cstr(long[:32])}, 32, `"01234567890123456789012345678901"`},
		{"cstring over limit", func(m Memory, l int) string { return cstring(m, a, l) }, fakeMem{a: cstr(long[:33])}, 32, `"01234567890123456789012345678901"...`},
		{"cstring -s 4", func(m Memory, l int) string { return cstring(m, a, l) }, fakeMem{a: cstr("nonexist")}, 4, `"none"...`},
		{"cstring short", func(m Memory, l int) string { return cstring(m, a, l) }, fakeMem{a: cstr("a b")}, 4, `"a b"`},
		{"cstring unreadable", func(m Memory, l int) string { return cstring(m, a, l) }, fakeMem{}, 4, `0x5000`},
		{"path ignores limit", func(m Memory, _ int) string { return path(m, a) }, fakeMem{a: cstr(long)}, 4, `"` + long + `"`},
		{"path null", func(m Memory, _ int) string { return path(m, 0) }, fakeMem{}, 4, `NULL`},
		{"path unreadable", func(m Memory, _ int) string { return path(m, 1) }, fakeMem{}, 4, `0x1`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.f(tc.mem, tc.limit); got != tc.want {
				t.Errorf("got %s, want %s", got, tc.want)
			}
		})
	}
}

// TestPathMax checks strace 6.1's output for paths around PATH_MAX: a
// 4095-byte path prints whole; a longer one prints 4095 bytes and "...".
func TestPathMax(t *testing.T) {
	const a = 0x100000
	for _, tc := range []struct {
		n        int
		want     int
		ellipsis bool
	}{{4094, 4094, false}, {4095, 4095, false}, {4096, 4095, true}, {4999, 4095, true}} {
		got := path(fakeMem{a: cstr(strings.Repeat("b", tc.n))}, a)
		want := `"` + strings.Repeat("b", tc.want) + `"`
		if tc.ellipsis {
			want += "..."
		}
		if got != want {
			t.Errorf("path of %d bytes: got %d bytes of output, want %d", tc.n, len(got), len(want))
		}
	}
}

func TestArgv(t *testing.T) {
	const (
		arr  = 0x1000
		strs = 0x2000
		page = 0x10000
	)
	// Strings at strs, strs+0x100, ...
	mem := func(vec []byte, ss ...string) fakeMem {
		m := fakeMem{arr: vec}
		for i, s := range ss {
			m[strs+uint64(i)*0x100] = cstr(s)
		}
		return m
	}
	str := func(i int) uint64 { return strs + uint64(i)*0x100 }
	many := func(n int) (fakeMem, []string) {
		var ss []string
		var ws []uint64
		for i := 0; i < n; i++ {
			ss = append(ss, "a"+sdec(int64(i)))
			ws = append(ws, str(i))
		}
		return mem(words(append(ws, 0)...), ss...), ss
	}
	m32, s32 := many(32)
	m33, _ := many(33)
	quoted := func(ss []string) string {
		var q []string
		for _, s := range ss {
			q = append(q, `"`+s+`"`)
		}
		return strings.Join(q, ", ")
	}
	// An array of two pointers ending a page, with no NULL after them.
	edge := fakeMem{page: make([]byte, pageSize), strs: cstr("p"), strs + 0x100: cstr("q")}
	copy(edge[page][pageSize-16:], words(str(0), str(1)))

	tests := []struct {
		name  string
		mem   fakeMem
		addr  uint64
		limit int
		want  string
	}{
		// From strace 6.1 output.
		{"three", mem(words(str(0), str(1), str(2), 0), "nonexist", "a b", "tab\there"), arr, 32, `["nonexist", "a b", "tab\there"]`},
		{"three -s 4", mem(words(str(0), str(1), str(2), 0), "nonexist", "a b", "tab\there"), arr, 4, `["none"..., "a b", "tab\t"...]`},
		{"null", fakeMem{}, 0, 32, `NULL`},
		{"empty", mem(words(0)), arr, 32, `[]`},
		{"unreadable", fakeMem{}, 0x1, 32, `0x1`},
		{"bad element", mem(words(str(0), 1, str(1), 0), "ok", "long-argument-0123456789012345678901234567890"), arr, 32, `["ok", 0x1, "long-argument-012345678901234567"...]`},
		{"exactly 32", m32, arr, 32, "[" + quoted(s32) + "]"},
		{"33 cut at 32", m33, arr, 32, "[" + quoted(s32) + ", ...]"},
		{"unterminated", edge, page + pageSize - 16, 32, `["p", "q", ... /* 0x11000 */]`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := argv(tc.mem, tc.addr, tc.limit, false); got != tc.want {
				t.Errorf("argv =\n %s\nwant\n %s", got, tc.want)
			}
		})
	}
}

func TestEnvCount(t *testing.T) {
	const page = 0x10000
	edge := fakeMem{page: make([]byte, pageSize)}
	copy(edge[page][pageSize-16:], words(0x2000, 0x2100))
	tests := []struct {
		name string
		mem  fakeMem
		addr uint64
		want string
	}{
		{"two", fakeMem{0x1000: words(0x2000, 0x2100, 0)}, 0x1000, "0x1000 /* 2 vars */"},
		{"one", fakeMem{0x1000: words(0x2000, 0)}, 0x1000, "0x1000 /* 1 var */"},
		{"none", fakeMem{0x1000: words(0)}, 0x1000, "0x1000 /* 0 vars */"},
		{"null", fakeMem{}, 0, "NULL"},
		{"unreadable", fakeMem{}, 0x1, "0x1"},
		// strace 6.1: 0x7f1545936ff0 /* 2 vars, unterminated */.
		{"unterminated", edge, page + pageSize - 16, "0x10ff0 /* 2 vars, unterminated */"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := envCount(tc.mem, tc.addr); got != tc.want {
				t.Errorf("envCount = %s, want %s", got, tc.want)
			}
		})
	}
}

// TestArityCoversTables checks that every call of both tables has an
// arity, so that no undecoded call prints six arguments it does not take.
func TestArityCoversTables(t *testing.T) {
	var missing []string
	for _, arch := range []Arch{AMD64, ARM64} {
		for _, name := range Names(arch) {
			if _, ok := arity.Get()[name]; !ok {
				missing = append(missing, arch.String()+":"+name)
			}
		}
	}
	sort.Strings(missing)
	if len(missing) > 0 {
		t.Errorf("no arity for %v", missing)
	}
}

// readCounter counts reads of the memory it wraps.
type readCounter struct {
	fakeMem
	reads int
}

func (c *readCounter) Read(a uint64, p []byte) (int, error) {
	c.reads++
	return c.fakeMem.Read(a, p)
}

// TestVectorReadsInBulk: an environment of 100 pointers within one page is
// one read, not a hundred (execve's entry is on the path of every program
// mmtrace starts).
func TestVectorReadsInBulk(t *testing.T) {
	var ws []uint64
	for i := 0; i < 100; i++ {
		ws = append(ws, 0x2000)
	}
	mem := &readCounter{fakeMem: fakeMem{0x1000: words(append(ws, 0)...), 0x2000: cstr("A=1")}}
	if got, want := envCount(mem, 0x1000), "0x1000 /* 100 vars */"; got != want {
		t.Fatalf("envCount = %s, want %s", got, want)
	}
	// 101 words: 808 bytes, two reads of at most 64 words each.
	if mem.reads > 2 {
		t.Fatalf("envCount read %d times, want at most 2", mem.reads)
	}
	mem.reads = 0
	if got := argv(mem, 0x1000, 2, false); got != `["A="..., "A="..., ...]` {
		t.Fatalf("argv = %s", got)
	}
	if mem.reads > 3 { // the vector's first 64 words, then two strings
		t.Fatalf("argv read %d times, want at most 3", mem.reads)
	}
}
