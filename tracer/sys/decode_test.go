package sys

import (
	"strings"
	"testing"
)

// A callCase is one call as the tracer would see it: the arguments in the
// registers, the tracee's memory, and the return value. want is the line
// Call.String prints.
//
// Unless a comment says otherwise, the expected lines were printed by
// strace 6.1 on x86_64 (Debian's 6.1-0.1) tracing small C programs that
// made these calls; the memory reproduces what those programs passed,
// at the addresses strace printed.
type callCase struct {
	name   string
	arch   Arch // AMD64 unless set
	call   string
	args   []uint64
	mem    fakeMem
	after  fakeMem // regions the kernel wrote: replace mem's at exit
	ret    int64
	noExit bool // the call never returned
	limit  int  // -s; 0 for the default
	// verbose and xlat are -v and -X.
	verbose bool
	xlat    Xlat
	want    string
}

func runCallCases(t *testing.T, cases []callCase) {
	t.Helper()
	for _, tc := range cases {
		casesOf[tc.call]++
		t.Run(tc.name, func(t *testing.T) {
			c := testCall(tc)
			if got := c.String(); got != tc.want {
				t.Errorf("got\n  %s\nwant\n  %s", got, tc.want)
			}
		})
	}
}

func testCall(tc callCase) *Call {
	tc.mem.mustNotOverlap()
	arch := tc.arch
	if arch == ArchUnknown {
		arch = AMD64
	}
	c := &Call{Arch: arch, Name: tc.call}
	copy(c.Args[:], tc.args)
	opt := &Options{StringLimit: tc.limit, Verbose: tc.verbose, Xlat: tc.xlat}
	c.Enter(tc.mem, opt)
	if !tc.noExit {
		mem := tc.mem
		if tc.after != nil {
			mem = fakeMem{}
			for a, b := range tc.mem {
				mem[a] = b
			}
			for a, b := range tc.after {
				mem[a] = b
			}
			mem.mustNotOverlap()
		}
		c.Exit(mem, tc.ret, opt)
	}
	return c
}

// Errnos as the kernel returns them.
const (
	ePERM   = -1
	eNOENT  = -2
	eINTR   = -4
	eBADF   = -9
	eCHILD  = -10
	eACCES  = -13
	eFAULT  = -14
	eEXIST  = -17
	eNOTDIR = -20
	eINVAL  = -22
	eNOSYS  = -38
	eNOMEM  = -12
	eSRCH   = -3
	e2BIG   = -7
)

// neg is a negative int as a 64-bit register holds it.
func neg(v int64) uint64 { return uint64(v) }

func TestDecodeFiles(t *testing.T) {
	const (
		p1 = 0x402004 // "/tmp/st/f1"
		p2 = 0x402010
		pa = 0x7ffc0000
	)
	f1 := fakeMem{p1: cstr("/tmp/st/f1")}
	runCallCases(t, []callCase{
		{name: "open creat", call: "open", args: []uint64{p1, 01101, 0644}, mem: f1, ret: 3,
			want: `open("/tmp/st/f1", O_WRONLY|O_CREAT|O_TRUNC, 0644) = 3`},
		// The mode register holds garbage without O_CREAT; strace skips it.
		{name: "open rdonly", call: "open", args: []uint64{p1, 0, 0x7fff1234}, mem: f1, ret: 4,
			want: `open("/tmp/st/f1", O_RDONLY) = 4`},
		{name: "open flags", call: "open", args: []uint64{p1, 02006002}, mem: f1, ret: 5,
			want: `open("/tmp/st/f1", O_RDWR|O_APPEND|O_NONBLOCK|O_CLOEXEC) = 5`},
		{name: "open accmode", call: "open", args: []uint64{p1, 3}, mem: f1, ret: 7,
			want: `open("/tmp/st/f1", O_ACCMODE) = 7`},
		{name: "open unknown bit", call: "open", args: []uint64{p1, 0x40000000}, mem: f1, ret: 8,
			want: `open("/tmp/st/f1", O_RDONLY|0x40000000) = 8`},
		{name: "open tmpfile", call: "open", args: []uint64{0x402020, 020200002, 0600}, mem: fakeMem{0x402020: cstr("/tmp/st")}, ret: 9,
			want: `open("/tmp/st", O_RDWR|O_TMPFILE, 0600) = 9`},
		{name: "open path directory", call: "open", args: []uint64{0x402020, 010200000}, mem: fakeMem{0x402020: cstr("/tmp/st")}, ret: 11,
			want: `open("/tmp/st", O_RDONLY|O_PATH|O_DIRECTORY) = 11`},
		{name: "open enoent", call: "open", args: []uint64{0x402030, 0}, mem: fakeMem{0x402030: cstr("/nonexistent/x")}, ret: eNOENT,
			want: `open("/nonexistent/x", O_RDONLY) = -1 ENOENT (No such file or directory)`},
		{name: "open bad pointer", call: "open", args: []uint64{1, 0}, ret: eFAULT,
			want: `open(0x1, O_RDONLY) = -1 EFAULT (Bad address)`},
		{name: "open null", call: "open", args: []uint64{0, 0}, ret: eFAULT,
			want: `open(NULL, O_RDONLY) = -1 EFAULT (Bad address)`},
		{name: "open excl", call: "open", args: []uint64{p1, 0301, 0755}, mem: f1, ret: eEXIST,
			want: `open("/tmp/st/f1", O_WRONLY|O_CREAT|O_EXCL, 0755) = -1 EEXIST (File exists)`},
		// O_SYNC includes O_DSYNC's bit.
		{name: "open sync", call: "open", args: []uint64{p1, 01 | 0400 | 04010000 | 040000 | 0400000 | 01000000}, mem: f1, ret: 12,
			want: `open("/tmp/st/f1", O_WRONLY|O_NOCTTY|O_SYNC|O_DIRECT|O_NOFOLLOW|O_NOATIME) = 12`},
		{name: "open dsync", call: "open", args: []uint64{p1, 010001}, mem: f1, ret: 13,
			want: `open("/tmp/st/f1", O_WRONLY|O_DSYNC) = 13`},
		{name: "open setuid mode", call: "open", args: []uint64{p1, 0101, 04755}, mem: f1, ret: 14,
			want: `open("/tmp/st/f1", O_WRONLY|O_CREAT, 04755) = 14`},
		{name: "open zero mode", call: "open", args: []uint64{p1, 0101, 0}, mem: f1, ret: 15,
			want: `open("/tmp/st/f1", O_WRONLY|O_CREAT, 000) = 15`},
		{name: "open typed mode", call: "open", args: []uint64{p1, 0101, 0100644}, mem: f1, ret: 16,
			want: `open("/tmp/st/f1", O_WRONLY|O_CREAT, 0100644) = 16`},
		// strace shows O_LARGEFILE when the bit is set; a 64-bit libc
		// never sets it, so it is rarely seen.
		{name: "open largefile", call: "open", args: []uint64{p1, 0100000}, mem: f1, ret: 3,
			want: `open("/tmp/st/f1", O_RDONLY|O_LARGEFILE) = 3`},
		{name: "open bare tmpfile bit", call: "open", args: []uint64{p1, 020000000, 0177600}, mem: f1, ret: eINVAL,
			want: `open("/tmp/st/f1", O_RDONLY|__O_TMPFILE, 0177600) = -1 EINVAL (Invalid argument)`},
		{name: "open bare sync bit", call: "open", args: []uint64{p1, 04000100, 0177600}, mem: f1, ret: 5,
			want: `open("/tmp/st/f1", O_RDONLY|O_CREAT|__O_SYNC, 0177600) = 5`},
		{name: "open fasync", call: "open", args: []uint64{p1, 020000}, mem: f1, ret: 6,
			want: `open("/tmp/st/f1", O_RDONLY|FASYNC) = 6`},
		{name: "open escaped path", call: "open", args: []uint64{p2, 0}, mem: fakeMem{p2: cstr("/tmp/\n\t\"x\\y\x01\x018\xff")}, ret: eNOENT,
			want: `open("/tmp/\n\t\"x\\y\1\18\377", O_RDONLY) = -1 ENOENT (No such file or directory)`},
		{name: "openat cwd", call: "openat", args: []uint64{neg(-100), 0x402040, 0}, mem: fakeMem{0x402040: cstr("f1")}, ret: 17,
			want: `openat(AT_FDCWD, "f1", O_RDONLY) = 17`},
		{name: "openat dirfd", call: "openat", args: []uint64{3, 0x402040, 0100, 0600}, mem: fakeMem{0x402040: cstr("f1")}, ret: eNOTDIR,
			want: `openat(3, "f1", O_RDONLY|O_CREAT, 0600) = -1 ENOTDIR (Not a directory)`},
		{name: "openat bad dirfd", call: "openat", args: []uint64{neg(-1), 0x402040, 0}, mem: fakeMem{0x402040: cstr("f1")}, ret: eBADF,
			want: `openat(-1, "f1", O_RDONLY) = -1 EBADF (Bad file descriptor)`},
		// An fd is a C int: the upper half of the register is ignored.
		{name: "openat wide dirfd", call: "openat", args: []uint64{0xffffffff00000005, 0x402040, 0}, mem: fakeMem{0x402040: cstr("f1")}, ret: eNOTDIR,
			want: `openat(5, "f1", O_RDONLY) = -1 ENOTDIR (Not a directory)`},
		{name: "openat libc", call: "openat", args: []uint64{neg(-100), 0x7f0000001000, 02000000}, mem: fakeMem{0x7f0000001000: cstr("/lib/x86_64-linux-gnu/libc.so.6")}, ret: 3,
			want: `openat(AT_FDCWD, "/lib/x86_64-linux-gnu/libc.so.6", O_RDONLY|O_CLOEXEC) = 3`},
		{name: "creat", call: "creat", args: []uint64{p2, 0640}, mem: fakeMem{p2: cstr("/tmp/st/f2")}, ret: 18,
			want: `creat("/tmp/st/f2", 0640) = 18`},
		{name: "close", call: "close", args: []uint64{100}, ret: eBADF,
			want: `close(100) = -1 EBADF (Bad file descriptor)`},
		{name: "close minus one", call: "close", args: []uint64{neg(-1)}, ret: eBADF,
			want: `close(-1) = -1 EBADF (Bad file descriptor)`},
		{name: "ftruncate", call: "ftruncate", args: []uint64{3, 1024},
			want: `ftruncate(3, 1024) = 0`},
		{name: "ftruncate negative", call: "ftruncate", args: []uint64{3, neg(-1)}, ret: eINVAL,
			want: `ftruncate(3, 18446744073709551615) = -1 EINVAL (Invalid argument)`},
		{name: "truncate", call: "truncate", args: []uint64{p2, 4096}, mem: fakeMem{p2: cstr("/tmp/st/f2")},
			want: `truncate("/tmp/st/f2", 4096) = 0`},
		{name: "unlink", call: "unlink", args: []uint64{p2}, mem: fakeMem{p2: cstr("/tmp/st/f2")},
			want: `unlink("/tmp/st/f2") = 0`},
		{name: "unlinkat", call: "unlinkat", args: []uint64{neg(-100), p2, 0}, mem: fakeMem{p2: cstr("/tmp/st/f2")}, ret: eNOENT,
			want: `unlinkat(AT_FDCWD, "/tmp/st/f2", 0) = -1 ENOENT (No such file or directory)`},
		{name: "unlinkat removedir", call: "unlinkat", args: []uint64{neg(-100), p2, 0x200}, mem: fakeMem{p2: cstr("/tmp/st/d")}, ret: eNOENT,
			want: `unlinkat(AT_FDCWD, "/tmp/st/d", AT_REMOVEDIR) = -1 ENOENT (No such file or directory)`},
		{name: "unlinkat unknown flags", call: "unlinkat", args: []uint64{3, p2, 0x1234}, mem: fakeMem{p2: cstr("x")}, ret: eINVAL,
			want: `unlinkat(3, "x", AT_REMOVEDIR|AT_EMPTY_PATH|0x34) = -1 EINVAL (Invalid argument)`},
		{name: "dup", call: "dup", args: []uint64{1}, ret: 19, want: `dup(1) = 19`},
		{name: "dup2", call: "dup2", args: []uint64{1, 10}, ret: 10, want: `dup2(1, 10) = 10`},
		{name: "dup3 cloexec", call: "dup3", args: []uint64{1, 11, 02000000}, ret: 11, want: `dup3(1, 11, O_CLOEXEC) = 11`},
		{name: "dup3 zero", call: "dup3", args: []uint64{1, 12, 0}, ret: 12, want: `dup3(1, 12, 0) = 12`},
		{name: "dup3 unknown", call: "dup3", args: []uint64{1, 13, 1}, ret: eINVAL,
			want: `dup3(1, 13, 0x1 /* O_??? */) = -1 EINVAL (Invalid argument)`},
		// Not from strace: the same register values on aarch64, where
		// O_DIRECTORY, O_NOFOLLOW, O_DIRECT and O_LARGEFILE differ.
		{name: "arm64 open directory", arch: ARM64, call: "openat", args: []uint64{neg(-100), p1, 040000 | 02000000}, mem: f1, ret: 3,
			want: `openat(AT_FDCWD, "/tmp/st/f1", O_RDONLY|O_CLOEXEC|O_DIRECTORY) = 3`},
		{name: "arm64 open nofollow", arch: ARM64, call: "openat", args: []uint64{neg(-100), p1, 0100000}, mem: f1, ret: 3,
			want: `openat(AT_FDCWD, "/tmp/st/f1", O_RDONLY|O_NOFOLLOW) = 3`},
		{name: "arm64 open largefile", arch: ARM64, call: "openat", args: []uint64{neg(-100), p1, 0400000 | 0200000}, mem: f1, ret: 3,
			want: `openat(AT_FDCWD, "/tmp/st/f1", O_RDONLY|O_DIRECT|O_LARGEFILE) = 3`},
		{name: "arm64 open tmpfile", arch: ARM64, call: "openat", args: []uint64{neg(-100), p1, 020040002, 0600}, mem: f1, ret: 3,
			want: `openat(AT_FDCWD, "/tmp/st/f1", O_RDWR|O_TMPFILE, 0600) = 3`},
		{name: "arm64 dup3", arch: ARM64, call: "dup3", args: []uint64{1, 11, 02000000}, ret: 11, want: `dup3(1, 11, O_CLOEXEC) = 11`},
		// A path running into unmapped memory prints as its address.
		{name: "path into unmapped page", call: "open", args: []uint64{pa + pageSize - 4, 0}, mem: fakeMem{pa: append(make([]byte, pageSize-4), "abcd"...)}, ret: eFAULT,
			want: `open(0x7ffc0ffc, O_RDONLY) = -1 EFAULT (Bad address)`},
		{name: "path before unmapped page", call: "open", args: []uint64{pa + pageSize - 4, 0}, mem: fakeMem{pa: append(make([]byte, pageSize-4), "ab\x00d"...)}, ret: eNOENT,
			want: `open("ab", O_RDONLY) = -1 ENOENT (No such file or directory)`},
	})
}

func TestDecodeMemory(t *testing.T) {
	const p = 0x7fb089f13000
	runCallCases(t, []callCase{
		{name: "mmap anon", call: "mmap", args: []uint64{0, 8192, 3, 0x22, neg(-1), 0}, ret: 0x7fde7d9eb000,
			want: `mmap(NULL, 8192, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7fde7d9eb000`},
		{name: "mmap file fixed", call: "mmap", args: []uint64{0x7fde7d826000, 1400832, 5, 0x812, 3, 0x26000}, ret: 0x7fde7d826000,
			want: `mmap(0x7fde7d826000, 1400832, PROT_READ|PROT_EXEC, MAP_PRIVATE|MAP_FIXED|MAP_DENYWRITE, 3, 0x26000) = 0x7fde7d826000`},
		{name: "mmap prot none", call: "mmap", args: []uint64{0, 4096, 0, 0x22, neg(-1), 0}, ret: 0x7fb089f13000,
			want: `mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7fb089f13000`},
		{name: "mmap shared rwx", call: "mmap", args: []uint64{0, 4096, 7, 0x21, neg(-1), 0}, ret: 0x7fb089f12000,
			want: `mmap(NULL, 4096, PROT_READ|PROT_WRITE|PROT_EXEC, MAP_SHARED|MAP_ANONYMOUS, -1, 0) = 0x7fb089f12000`},
		{name: "mmap prot unknown bit", call: "mmap", args: []uint64{0, 4096, 0x101, 0x22, neg(-1), 0}, ret: 0x7fb089f11000,
			want: `mmap(NULL, 4096, PROT_READ|0x100, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7fb089f11000`},
		{name: "mmap prot only unknown", call: "mmap", args: []uint64{0, 4096, 0x100, 0x22, neg(-1), 0}, ret: 0x7fb089f10000,
			want: `mmap(NULL, 4096, 0x100 /* PROT_??? */, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7fb089f10000`},
		{name: "mmap growsdown", call: "mmap", args: []uint64{0, 4096, 0x1000001, 0x122, neg(-1), 0}, ret: 0x7fb089f0f000,
			want: `mmap(NULL, 4096, PROT_READ|PROT_GROWSDOWN, MAP_PRIVATE|MAP_ANONYMOUS|MAP_GROWSDOWN, -1, 0) = 0x7fb089f0f000`},
		{name: "mmap sem growsup", call: "mmap", args: []uint64{0, 4096, 0x2000009, 0x22, neg(-1), 0}, ret: 0x7fb089d25000,
			want: `mmap(NULL, 4096, PROT_READ|PROT_SEM|PROT_GROWSUP, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7fb089d25000`},
		{name: "mmap shared validate", call: "mmap", args: []uint64{0, 4096, 1, 0x23, neg(-1), 0}, ret: eINVAL,
			want: `mmap(NULL, 4096, PROT_READ, MAP_SHARED_VALIDATE|MAP_ANONYMOUS, -1, 0) = -1 EINVAL (Invalid argument)`},
		{name: "mmap type zero", call: "mmap", args: []uint64{0, 4096, 1, 0x20, neg(-1), 0}, ret: eINVAL,
			want: `mmap(NULL, 4096, PROT_READ, MAP_FILE|MAP_ANONYMOUS, -1, 0) = -1 EINVAL (Invalid argument)`},
		{name: "mmap type unknown", call: "mmap", args: []uint64{0, 4096, 1, 0x24, neg(-1), 0}, ret: eINVAL,
			want: `mmap(NULL, 4096, PROT_READ, 0x4 /* MAP_??? */|MAP_ANONYMOUS, -1, 0) = -1 EINVAL (Invalid argument)`},
		{name: "mmap type only unknown", call: "mmap", args: []uint64{0, 4096, 1, 0xf, neg(-1), 0}, ret: eBADF,
			want: `mmap(NULL, 4096, PROT_READ, 0xf /* MAP_??? */, -1, 0) = -1 EBADF (Bad file descriptor)`},
		{name: "mmap huge", call: "mmap", args: []uint64{0, 1 << 21, 1, 0x40022 | 21<<26, neg(-1), 0}, ret: eNOMEM,
			want: `mmap(NULL, 2097152, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS|MAP_HUGETLB|21<<MAP_HUGE_SHIFT, -1, 0) = -1 ENOMEM (Cannot allocate memory)`},
		{name: "mmap every flag", call: "mmap", args: []uint64{0, 1 << 21, 1, 0x2 | 0x20 | 0x40 | 0x4000 | 0x8000 | 0x10000 | 0x800 | 0x1000 | 0x2000 | 0x20000 | 0x40000 | 0x80000 | 0x4000000 | 0x80 | 0x200 | 0x400, neg(-1), 0}, ret: eINVAL,
			want: `mmap(NULL, 2097152, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS|MAP_32BIT|MAP_NORESERVE|MAP_POPULATE|MAP_NONBLOCK|MAP_DENYWRITE|MAP_EXECUTABLE|MAP_LOCKED|MAP_STACK|MAP_HUGETLB|MAP_SYNC|0x680|1<<MAP_HUGE_SHIFT, -1, 0) = -1 EINVAL (Invalid argument)`},
		{name: "mmap fixed noreplace", call: "mmap", args: []uint64{p, 4096, 1, 0x100022, neg(-1), 0}, ret: eEXIST,
			want: `mmap(0x7fb089f13000, 4096, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = -1 EEXIST (File exists)`},
		{name: "mmap offset", call: "mmap", args: []uint64{p, 4096, 1, 0x12, 3, 0x123000}, ret: p,
			want: `mmap(0x7fb089f13000, 4096, PROT_READ, MAP_PRIVATE|MAP_FIXED, 3, 0x123000) = 0x7fb089f13000`},
		{name: "mmap negative offset", call: "mmap", args: []uint64{0, 4096, 1, 2, 100, neg(-4096)}, ret: eBADF,
			want: `mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, 100, 0xfffffffffffff000) = -1 EBADF (Bad file descriptor)`},
		{name: "mmap high flag bit", call: "mmap", args: []uint64{0, 4096, 1, 0x80000002, 100, 0}, ret: eBADF,
			want: `mmap(NULL, 4096, PROT_READ, MAP_PRIVATE|32<<MAP_HUGE_SHIFT, 100, 0) = -1 EBADF (Bad file descriptor)`},
		{name: "mmap huge only", call: "mmap", args: []uint64{0, 4096, 1, 0x10000000, 100, 0}, ret: eBADF,
			want: `mmap(NULL, 4096, PROT_READ, MAP_FILE|4<<MAP_HUGE_SHIFT, 100, 0) = -1 EBADF (Bad file descriptor)`},
		{name: "mmap stack", call: "mmap", args: []uint64{0, 8392704, 0, 0x20022, neg(-1), 0}, ret: 0x7f8fb0c6b000,
			want: `mmap(NULL, 8392704, PROT_NONE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_STACK, -1, 0) = 0x7f8fb0c6b000`},
		// Not from strace: MAP_32BIT is x86's; on aarch64 0x40 is unknown.
		{name: "arm64 mmap 32bit", arch: ARM64, call: "mmap", args: []uint64{0, 4096, 1, 0x62, neg(-1), 0}, ret: eINVAL,
			want: `mmap(NULL, 4096, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS|0x40, -1, 0) = -1 EINVAL (Invalid argument)`},
		{name: "mprotect", call: "mprotect", args: []uint64{p, 4096, 3}, want: `mprotect(0x7fb089f13000, 4096, PROT_READ|PROT_WRITE) = 0`},
		{name: "mprotect none", call: "mprotect", args: []uint64{p, 4096, 0}, want: `mprotect(0x7fb089f13000, 4096, PROT_NONE) = 0`},
		{name: "mprotect unknown", call: "mprotect", args: []uint64{p, 4096, 0x80}, ret: eINVAL,
			want: `mprotect(0x7fb089f13000, 4096, 0x80 /* PROT_??? */) = -1 EINVAL (Invalid argument)`},
		{name: "mprotect bad addr", call: "mprotect", args: []uint64{1, 4096, 1}, ret: eINVAL,
			want: `mprotect(0x1, 4096, PROT_READ) = -1 EINVAL (Invalid argument)`},
		{name: "msync", call: "msync", args: []uint64{p, 4096, 3}, want: `msync(0x7fb089f13000, 4096, MS_ASYNC|MS_INVALIDATE) = 0`},
		{name: "msync sync invalidate", call: "msync", args: []uint64{p, 4096, 6}, want: `msync(0x7fb089f13000, 4096, MS_SYNC|MS_INVALIDATE) = 0`},
		{name: "msync zero", call: "msync", args: []uint64{p, 4096, 0}, want: `msync(0x7fb089f13000, 4096, 0) = 0`},
		{name: "msync unknown", call: "msync", args: []uint64{p, 4096, 0x10}, ret: eINVAL,
			want: `msync(0x7fb089f13000, 4096, 0x10 /* MS_??? */) = -1 EINVAL (Invalid argument)`},
		{name: "msync sync unknown", call: "msync", args: []uint64{p, 4096, 0x14}, ret: eINVAL,
			want: `msync(0x7fb089f13000, 4096, MS_SYNC|0x10) = -1 EINVAL (Invalid argument)`},
		{name: "madvise dontneed", call: "madvise", args: []uint64{0x7f8fb0c6b000, 8368128, 4}, want: `madvise(0x7f8fb0c6b000, 8368128, MADV_DONTNEED) = 0`},
		{name: "madvise normal", call: "madvise", args: []uint64{p, 4096, 0}, want: `madvise(0x7fb089f13000, 4096, MADV_NORMAL) = 0`},
		{name: "madvise sequential", call: "madvise", args: []uint64{p, 4096, 2}, want: `madvise(0x7fb089f13000, 4096, MADV_SEQUENTIAL) = 0`},
		{name: "madvise hugepage", call: "madvise", args: []uint64{p, 4096, 14}, want: `madvise(0x7fb089f13000, 4096, MADV_HUGEPAGE) = 0`},
		{name: "madvise remove", call: "madvise", args: []uint64{p, 4096, 9}, ret: eACCES,
			want: `madvise(0x7fb089f13000, 4096, MADV_REMOVE) = -1 EACCES (Permission denied)`},
		{name: "madvise unknown", call: "madvise", args: []uint64{p, 4096, 5}, ret: eINVAL,
			want: `madvise(0x7fb089f13000, 4096, 0x5 /* MADV_??? */) = -1 EINVAL (Invalid argument)`},
		{name: "madvise minus one", call: "madvise", args: []uint64{p, 4096, 0xffffffff}, ret: eINVAL,
			want: `madvise(0x7fb089f13000, 4096, 0xffffffff /* MADV_??? */) = -1 EINVAL (Invalid argument)`},
		{name: "mremap maymove", call: "mremap", args: []uint64{p, 4096, 8192, 1}, ret: 0x7fb089d23000,
			want: `mremap(0x7fb089f13000, 4096, 8192, MREMAP_MAYMOVE) = 0x7fb089d23000`},
		{name: "mremap shrink", call: "mremap", args: []uint64{0x7fb089d23000, 8192, 4096, 0}, ret: 0x7fb089d23000,
			want: `mremap(0x7fb089d23000, 8192, 4096, 0) = 0x7fb089d23000`},
		{name: "mremap fixed", call: "mremap", args: []uint64{0x7fb089d23000, 4096, 4096, 3, 0x700000000000}, ret: 0x700000000000,
			want: `mremap(0x7fb089d23000, 4096, 4096, MREMAP_MAYMOVE|MREMAP_FIXED, 0x700000000000) = 0x700000000000`},
		{name: "mremap dontunmap", call: "mremap", args: []uint64{0x700000000000, 4096, 4096, 5, 0x710000000000}, ret: 0x710000000000,
			want: `mremap(0x700000000000, 4096, 4096, MREMAP_MAYMOVE|MREMAP_DONTUNMAP) = 0x710000000000`},
		{name: "mremap fixed alone", call: "mremap", args: []uint64{0x700000000000, 4096, 4096, 2, 0x710000000000}, ret: eINVAL,
			want: `mremap(0x700000000000, 4096, 4096, MREMAP_FIXED) = -1 EINVAL (Invalid argument)`},
		{name: "mremap unknown", call: "mremap", args: []uint64{0x700000000000, 4096, 4096, 0x10, 0x710000000000}, ret: eINVAL,
			want: `mremap(0x700000000000, 4096, 4096, 0x10 /* MREMAP_??? */) = -1 EINVAL (Invalid argument)`},
		{name: "munmap", call: "munmap", args: []uint64{0x7fde7d9e2000, 33519}, want: `munmap(0x7fde7d9e2000, 33519) = 0`},
		{name: "munmap null", call: "munmap", args: []uint64{0, 0}, ret: eINVAL, want: `munmap(NULL, 0) = -1 EINVAL (Invalid argument)`},
		{name: "brk null", call: "brk", args: []uint64{0}, ret: 0x55948146b000, want: `brk(NULL) = 0x55948146b000`},
		{name: "brk", call: "brk", args: []uint64{0x55948146d000}, ret: 0x55948146d000, want: `brk(0x55948146d000) = 0x55948146d000`},
		{name: "brk refused", call: "brk", args: []uint64{1}, ret: 0x55948146d000, want: `brk(0x1) = 0x55948146d000`},
	})
}

// statBytes lays out a struct stat for arch, every other byte a pattern
// so that a decoder reading the wrong offsets prints something else.
func statBytes(arch Arch, mode uint32, size int64, rdev uint64) []byte {
	l := statFor(arch)
	b := make([]byte, l.size)
	for i := range b {
		b[i] = 0x5a
	}
	le.PutUint32(b[l.mode:], mode)
	le.PutUint64(b[l.rdev:], rdev)
	le.PutUint64(b[l.fileSize:], uint64(size))
	return b
}

func TestDecodeStat(t *testing.T) {
	const sb = 0x7fff3121f3a0
	cwd := neg(-100)
	runCallCases(t, []callCase{
		{name: "fstat file", call: "fstat", args: []uint64{3, sb}, mem: fakeMem{sb: statBytes(AMD64, 0100600, 179, 0)},
			want: `fstat(3, {st_mode=S_IFREG|0600, st_size=179, ...}) = 0`},
		{name: "fstat char device", call: "fstat", args: []uint64{0, sb}, mem: fakeMem{sb: statBytes(AMD64, 020666, 0, 0x103)},
			want: `fstat(0, {st_mode=S_IFCHR|0666, st_rdev=makedev(0x1, 0x3), ...}) = 0`},
		{name: "fstat special bits", call: "fstat", args: []uint64{3, sb}, mem: fakeMem{sb: statBytes(AMD64, 0107777, 179, 0)},
			want: `fstat(3, {st_mode=S_IFREG|S_ISUID|S_ISGID|S_ISVTX|0777, st_size=179, ...}) = 0`},
		{name: "fstat socket", call: "fstat", args: []uint64{4, sb}, mem: fakeMem{sb: statBytes(AMD64, 0140777, 0, 0)},
			want: `fstat(4, {st_mode=S_IFSOCK|0777, st_size=0, ...}) = 0`},
		{name: "fstat bad pointer", call: "fstat", args: []uint64{3, 1}, ret: eFAULT,
			want: `fstat(3, 0x1) = -1 EFAULT (Bad address)`},
		{name: "newfstatat empty path", call: "newfstatat", args: []uint64{3, 0x7f0000002000, sb, 0x1000}, mem: fakeMem{0x7f0000002000: cstr(""), sb: statBytes(AMD64, 0100644, 33519, 0)},
			want: `newfstatat(3, "", {st_mode=S_IFREG|0644, st_size=33519, ...}, AT_EMPTY_PATH) = 0`},
		{name: "newfstatat dev null", call: "newfstatat", args: []uint64{cwd, 0x402000, sb, 0}, mem: fakeMem{0x402000: cstr("/dev/null"), sb: statBytes(AMD64, 020666, 0, 0x103)},
			want: `newfstatat(AT_FDCWD, "/dev/null", {st_mode=S_IFCHR|0666, st_rdev=makedev(0x1, 0x3), ...}, 0) = 0`},
		{name: "newfstatat dir", call: "newfstatat", args: []uint64{cwd, 0x402000, sb, 0x100}, mem: fakeMem{0x402000: cstr("/tmp"), sb: statBytes(AMD64, 041777, 4096, 0)},
			want: `newfstatat(AT_FDCWD, "/tmp", {st_mode=S_IFDIR|S_ISVTX|0777, st_size=4096, ...}, AT_SYMLINK_NOFOLLOW) = 0`},
		{name: "newfstatat block", call: "newfstatat", args: []uint64{cwd, 0x402000, sb, 0}, mem: fakeMem{0x402000: cstr("/dev/loop0"), sb: statBytes(AMD64, 060600, 0, 0x700)},
			want: `newfstatat(AT_FDCWD, "/dev/loop0", {st_mode=S_IFBLK|0600, st_rdev=makedev(0x7, 0), ...}, 0) = 0`},
		{name: "newfstatat symlink", call: "newfstatat", args: []uint64{cwd, 0x402000, sb, 0x900}, mem: fakeMem{0x402000: cstr("/proc/self/exe"), sb: statBytes(AMD64, 0120777, 0, 0)},
			want: `newfstatat(AT_FDCWD, "/proc/self/exe", {st_mode=S_IFLNK|0777, st_size=0, ...}, AT_SYMLINK_NOFOLLOW|AT_NO_AUTOMOUNT) = 0`},
		{name: "newfstatat fifo", call: "newfstatat", args: []uint64{cwd, 0x402000, sb, 0}, mem: fakeMem{0x402000: cstr("/tmp/st/fifo"), sb: statBytes(AMD64, 010644, 0, 0)},
			want: `newfstatat(AT_FDCWD, "/tmp/st/fifo", {st_mode=S_IFIFO|0644, st_size=0, ...}, 0) = 0`},
		{name: "newfstatat unknown flag", call: "newfstatat", args: []uint64{cwd, 0x402000, sb, 0x4000}, mem: fakeMem{0x402000: cstr("/tmp"), sb: statBytes(AMD64, 041777, 4096, 0)},
			want: `newfstatat(AT_FDCWD, "/tmp", {st_mode=S_IFDIR|S_ISVTX|0777, st_size=4096, ...}, 0x4000 /* AT_??? */) = 0`},
		// A failed call wrote nothing: the pointer, even if readable.
		{name: "newfstatat enoent", call: "newfstatat", args: []uint64{cwd, 0x402000, sb, 0}, mem: fakeMem{0x402000: cstr("/nonexistent"), sb: statBytes(AMD64, 0100644, 1, 0)}, ret: eNOENT,
			want: `newfstatat(AT_FDCWD, "/nonexistent", 0x7fff3121f3a0, 0) = -1 ENOENT (No such file or directory)`},
		{name: "newfstatat null", call: "newfstatat", args: []uint64{cwd, 0x402000, 0, 0}, mem: fakeMem{0x402000: cstr("/tmp")}, ret: eFAULT,
			want: `newfstatat(AT_FDCWD, "/tmp", NULL, 0) = -1 EFAULT (Bad address)`},
		{name: "newfstatat null path", call: "newfstatat", args: []uint64{cwd, 0, 0x7ff8846b0000, 0}, ret: eFAULT,
			want: `newfstatat(AT_FDCWD, NULL, 0x7ff8846b0000, 0) = -1 EFAULT (Bad address)`},
		// Not from strace: a successful call whose buffer cannot be read
		// (it was unmapped under the call) prints the pointer.
		{name: "fstat unreadable", call: "fstat", args: []uint64{3, sb}, mem: fakeMem{sb: make([]byte, 100)},
			want: `fstat(3, 0x7fff3121f3a0) = 0`},
		// Not from strace (no aarch64 here): the generic layout, with
		// st_mode at 16 and st_rdev at 32.
		{name: "arm64 fstat file", arch: ARM64, call: "fstat", args: []uint64{3, sb}, mem: fakeMem{sb: statBytes(ARM64, 0100755, 1926232, 0)},
			want: `fstat(3, {st_mode=S_IFREG|0755, st_size=1926232, ...}) = 0`},
		{name: "arm64 newfstatat device", arch: ARM64, call: "newfstatat", args: []uint64{cwd, 0x402000, sb, 0}, mem: fakeMem{0x402000: cstr("/dev/null"), sb: statBytes(ARM64, 020666, 0, 0x103)},
			want: `newfstatat(AT_FDCWD, "/dev/null", {st_mode=S_IFCHR|0666, st_rdev=makedev(0x1, 0x3), ...}, 0) = 0`},
		// arm64's struct is 128 bytes: 128 readable bytes are enough.
		{name: "arm64 stat size", arch: ARM64, call: "fstat", args: []uint64{3, sb}, mem: fakeMem{sb: statBytes(ARM64, 0100644, 5, 0)},
			want: `fstat(3, {st_mode=S_IFREG|0644, st_size=5, ...}) = 0`},
		{name: "amd64 stat needs 144 bytes", call: "fstat", args: []uint64{3, sb}, mem: fakeMem{sb: statBytes(ARM64, 0100644, 5, 0)},
			want: `fstat(3, 0x7fff3121f3a0) = 0`},
	})
}

func TestDecodeIO(t *testing.T) {
	const (
		buf = 0x7fff3121f430
		lit = 0x402000
	)
	var bin []byte
	for i := 0; i < 40; i++ {
		bin = append(bin, byte(i*7))
	}
	file := []byte("hello\n\t\"q\"\\ 'x' \r\v\f\a\b\x1bz\x00\x001")
	runCallCases(t, []callCase{
		{name: "write escapes", call: "write", args: []uint64{3, lit, 26}, mem: fakeMem{lit: file}, ret: 26,
			want: `write(3, "hello\n\t\"q\"\\ 'x' \r\v\f\7\10\33z\0\0001", 26) = 26`},
		{name: "write binary", call: "write", args: []uint64{3, lit, 40}, mem: fakeMem{lit: bin}, ret: 40,
			want: `write(3, "\0\7\16\25\34#*18?FMT[bipw~\205\214\223\232\241\250\257\266\275\304\313\322\331"..., 40) = 40`},
		{name: "write octal padding", call: "write", args: []uint64{3, lit, 9}, mem: fakeMem{lit: []byte("\x001\x009\xff\x80\x7f8\x00")}, ret: 9,
			want: `write(3, "\0001\09\377\200\1778\0", 9) = 9`},
		{name: "write 31", call: "write", args: []uint64{3, lit, 31}, mem: fakeMem{lit: cstr("0123456789012345678901234567890")}, ret: 31,
			want: `write(3, "0123456789012345678901234567890", 31) = 31`},
		{name: "write 32", call: "write", args: []uint64{3, lit, 32}, mem: fakeMem{lit: cstr("01234567890123456789012345678901")}, ret: 32,
			want: `write(3, "01234567890123456789012345678901", 32) = 32`},
		{name: "write 33", call: "write", args: []uint64{3, lit, 33}, mem: fakeMem{lit: cstr("012345678901234567890123456789012")}, ret: 33,
			want: `write(3, "01234567890123456789012345678901"..., 33) = 33`},
		{name: "write -s 8", call: "write", args: []uint64{3, lit, 26}, mem: fakeMem{lit: file}, ret: 26, limit: 8,
			want: `write(3, "hello\n\t\""..., 26) = 26`},
		{name: "write -s 8 padding", call: "write", args: []uint64{3, lit, 9}, mem: fakeMem{lit: []byte("\x001\x009\xff\x80\x7f8\x00")}, ret: 9, limit: 8,
			want: `write(3, "\0001\09\377\200\1778"..., 9) = 9`},
		{name: "write empty", call: "write", args: []uint64{3, lit, 0}, mem: fakeMem{lit: cstr("")},
			want: `write(3, "", 0) = 0`},
		{name: "write null", call: "write", args: []uint64{3, 0, 5}, ret: eFAULT,
			want: `write(3, NULL, 5) = -1 EFAULT (Bad address)`},
		{name: "write bad pointer", call: "write", args: []uint64{3, 1, 5}, ret: eFAULT,
			want: `write(3, 0x1, 5) = -1 EFAULT (Bad address)`},
		{name: "write bad fd", call: "write", args: []uint64{neg(-1), lit, 1}, mem: fakeMem{lit: cstr("x")}, ret: eBADF,
			want: `write(-1, "x", 1) = -1 EBADF (Bad file descriptor)`},
		{name: "write page edge", call: "write", args: []uint64{3, 0x7f0d7be71ffc, 4}, mem: fakeMem{0x7f0d7be71ffc: []byte("abcd")}, ret: 4,
			want: `write(3, "abcd", 4) = 4`},
		{name: "write past page edge", call: "write", args: []uint64{3, 0x7f0d7be71ffc, 8}, mem: fakeMem{0x7f0d7be71ffc: []byte("abcd")}, ret: 4,
			want: `write(3, 0x7f0d7be71ffc, 8) = 4`},
		{name: "pwrite64", call: "pwrite64", args: []uint64{3, lit, 3, 100}, mem: fakeMem{lit: cstr("abc")}, ret: 3,
			want: `pwrite64(3, "abc", 3, 100) = 3`},
		{name: "pwrite64 negative offset", call: "pwrite64", args: []uint64{3, lit, 3, neg(-1)}, mem: fakeMem{lit: cstr("abc")}, ret: eINVAL,
			want: `pwrite64(3, "abc", 3, -1) = -1 EINVAL (Invalid argument)`},
		{name: "lseek cur", call: "lseek", args: []uint64{3, 0, 1}, ret: 0,
			want: `lseek(3, 0, SEEK_CUR) = 0`},
		{name: "lseek end", call: "lseek", args: []uint64{3, neg(-2), 2}, ret: 11,
			want: `lseek(3, -2, SEEK_END) = 11`},
		{name: "lseek set", call: "lseek", args: []uint64{3, 3, 0}, ret: 3,
			want: `lseek(3, 3, SEEK_SET) = 3`},
		{name: "lseek unknown whence", call: "lseek", args: []uint64{3, 0, 5}, ret: eINVAL,
			want: `lseek(3, 0, 0x5 /* SEEK_??? */) = -1 EINVAL (Invalid argument)`},
		{name: "lseek data", call: "lseek", args: []uint64{3, 0, 3}, ret: 0,
			want: `lseek(3, 0, SEEK_DATA) = 0`},
		{name: "lseek hole", call: "lseek", args: []uint64{3, 0, 4}, ret: 13,
			want: `lseek(3, 0, SEEK_HOLE) = 13`},
		{name: "lseek bad fd", call: "lseek", args: []uint64{neg(-1), 0, 0}, ret: eBADF,
			want: `lseek(-1, 0, SEEK_SET) = -1 EBADF (Bad file descriptor)`},
		{name: "read", call: "read", args: []uint64{3, buf, 10}, mem: fakeMem{buf: file[:10]}, ret: 10,
			want: `read(3, "hello\n\t\"q\"", 10) = 10`},
		{name: "read long", call: "read", args: []uint64{3, buf, 200}, mem: fakeMem{buf: append(file[10:], bin...)}, ret: 161,
			want: `read(3, "\\ 'x' \r\v\f\7\10\33z\0\0001\0\7\16\25\34#*18?FMT[bi"..., 200) = 161`},
		{name: "read -s 8", call: "read", args: []uint64{3, buf, 10}, mem: fakeMem{buf: file[:10]}, ret: 10, limit: 8,
			want: `read(3, "hello\n\t\""..., 10) = 10`},
		{name: "read eof", call: "read", args: []uint64{3, buf, 0}, mem: fakeMem{}, ret: 0,
			want: `read(3, "", 0) = 0`},
		{name: "read error", call: "read", args: []uint64{neg(-1), buf, 10}, mem: fakeMem{buf: file}, ret: eBADF,
			want: `read(-1, 0x7fff3121f430, 10) = -1 EBADF (Bad file descriptor)`},
		{name: "read null", call: "read", args: []uint64{3, 0, 10}, ret: 0,
			want: `read(3, NULL, 10) = 0`},
		{name: "read elf", call: "read", args: []uint64{3, buf, 832}, mem: fakeMem{buf: append([]byte("\x7fELF\x02\x01\x01\x03\x00\x00\x00\x00\x00\x00\x00\x00\x03\x00>\x00\x01\x00\x00\x00\x10t\x02\x00\x00\x00\x00\x00"), make([]byte, 800)...)}, ret: 832,
			want: `read(3, "\177ELF\2\1\1\3\0\0\0\0\0\0\0\0\3\0>\0\1\0\0\0\20t\2\0\0\0\0\0"..., 832) = 832`},
		{name: "pread64", call: "pread64", args: []uint64{3, buf, 5, 2}, mem: fakeMem{buf: file[2:7]}, ret: 5,
			want: `pread64(3, "llo\n\t", 5, 2) = 5`},
		{name: "pread64 eof", call: "pread64", args: []uint64{3, buf, 5, 100000}, mem: fakeMem{}, ret: 0,
			want: `pread64(3, "", 5, 100000) = 0`},
		{name: "read interrupted", call: "read", args: []uint64{5, buf, 10}, ret: -512,
			want: `read(5, 0x7fff3121f430, 10) = ? ERESTARTSYS (To be restarted if SA_RESTART is set)`},
		// What the text renderer shows before the exit arrives.
		{name: "read unfinished", call: "read", args: []uint64{3, buf, 10}, noExit: true,
			want: `read(3,  <unfinished ...>) = ?`},
	})
}

func TestDecodeExec(t *testing.T) {
	const (
		path = 0x402004
		arr  = 0x7ffe06449000
		envp = 0x7ffe06449060
		s0   = 0x402100
	)
	str := func(i int) uint64 { return s0 + uint64(i)*0x40 }
	mem := fakeMem{
		path:           cstr("/nonexistent/bin"),
		arr:            words(str(0), str(1), str(2), 0),
		envp:           words(str(3), str(4), 0),
		str(0):         cstr("nonexist"),
		str(1):         cstr("a b"),
		str(2):         cstr("tab\there"),
		str(3):         cstr("A=1"),
		str(4):         cstr("B=2"),
		0x7f0000000000: cstr(""),
		0x7f0000000100: cstr("/bin/true"),
		0x7f0000000200: words(0x7f0000000300, 0),
		0x7f0000000300: cstr("true"),
		0x7ffe06449058: words(0),
		0x7ffe06449040: words(0x402200, 0),
		0x402200:       cstr("X=1"),
		0x7ffe064491e8: words(append(make([]uint64, 39), 0)...),
		0x7ffe06448f80: words(str(6), 1, str(5), 0),
		str(5):         cstr("long-argument-0123456789012345678901234567890"),
		str(6):         cstr("ok"),
	}
	for i := range 39 {
		le.PutUint64(mem[0x7ffe064491e8][8*i:], str(3))
	}
	runCallCases(t, []callCase{
		{name: "execve", call: "execve", args: []uint64{path, arr, envp}, mem: mem, ret: eNOENT,
			want: `execve("/nonexistent/bin", ["nonexist", "a b", "tab\there"], 0x7ffe06449060 /* 2 vars */) = -1 ENOENT (No such file or directory)`},
		{name: "execve -s 4", call: "execve", args: []uint64{path, arr, envp}, mem: mem, ret: eNOENT, limit: 4,
			want: `execve("/nonexistent/bin", ["none"..., "a b", "tab\t"...], 0x7ffe06449060 /* 2 vars */) = -1 ENOENT (No such file or directory)`},
		{name: "execve null vectors", call: "execve", args: []uint64{path, 0, 0}, mem: mem, ret: eNOENT,
			want: `execve("/nonexistent/bin", NULL, NULL) = -1 ENOENT (No such file or directory)`},
		{name: "execve empty vectors", call: "execve", args: []uint64{path, 0x7ffe06449058, 0x7ffe06449058}, mem: mem, ret: eNOENT,
			want: `execve("/nonexistent/bin", [], 0x7ffe06449058 /* 0 vars */) = -1 ENOENT (No such file or directory)`},
		{name: "execve one var", call: "execve", args: []uint64{path, 0x7ffe06449058, 0x7ffe06449040}, mem: mem, ret: eNOENT,
			want: `execve("/nonexistent/bin", [], 0x7ffe06449040 /* 1 var */) = -1 ENOENT (No such file or directory)`},
		{name: "execve bad element", call: "execve", args: []uint64{path, 0x7ffe06448f80, 1}, mem: mem, ret: eNOENT,
			want: `execve("/nonexistent/bin", ["ok", 0x1, "long-argument-012345678901234567"...], 0x1) = -1 ENOENT (No such file or directory)`},
		{name: "execve null path", call: "execve", args: []uint64{0, 0, 0}, ret: eFAULT,
			want: `execve(NULL, NULL, NULL) = -1 EFAULT (Bad address)`},
		{name: "execve unreadable vectors", call: "execve", args: []uint64{path, 0x7f1545937000, 0x7f1545937000}, mem: mem, ret: eNOENT,
			want: `execve("/nonexistent/bin", 0x7f1545937000, 0x7f1545937000) = -1 ENOENT (No such file or directory)`},
		{name: "execve 39 vars", call: "execve", args: []uint64{0x7f0000000100, 0x7f0000000200, 0x7ffe064491e8}, mem: mem,
			want: `execve("/bin/true", ["true"], 0x7ffe064491e8 /* 39 vars */) = 0`},
		{name: "execveat", call: "execveat", args: []uint64{3, str(0), arr, envp, 0}, mem: mem, ret: eNOENT,
			want: `execveat(3, "nonexist", ["nonexist", "a b", "tab\there"], 0x7ffe06449060 /* 2 vars */, 0) = -1 ENOENT (No such file or directory)`},
		{name: "execveat empty path", call: "execveat", args: []uint64{neg(-100), 0x7f0000000000, arr, envp, 0x1000}, mem: mem, ret: eACCES,
			want: `execveat(AT_FDCWD, "", ["nonexist", "a b", "tab\there"], 0x7ffe06449060 /* 2 vars */, AT_EMPTY_PATH) = -1 EACCES (Permission denied)`},
		{name: "execveat flags", call: "execveat", args: []uint64{3, str(0), arr, envp, 0x1100}, mem: mem, ret: eNOENT,
			want: `execveat(3, "nonexist", ["nonexist", "a b", "tab\there"], 0x7ffe06449060 /* 2 vars */, AT_SYMLINK_NOFOLLOW|AT_EMPTY_PATH) = -1 ENOENT (No such file or directory)`},
		// AT_EXECVE_CHECK is newer than strace 6.1, which prints
		// 0x10000 /* AT_??? */; mmtrace names it as current strace does
		// (issue 13).
		{name: "execveat check", call: "execveat", args: []uint64{3, str(0), arr, envp, 0x10000}, mem: mem, ret: eNOENT,
			want: `execveat(3, "nonexist", ["nonexist", "a b", "tab\there"], 0x7ffe06449060 /* 2 vars */, AT_EXECVE_CHECK) = -1 ENOENT (No such file or directory)`},
		{name: "execveat unknown flag", call: "execveat", args: []uint64{3, str(0), arr, envp, 0x20000}, mem: mem, ret: eNOENT,
			want: `execveat(3, "nonexist", ["nonexist", "a b", "tab\there"], 0x7ffe06449060 /* 2 vars */, 0x20000 /* AT_??? */) = -1 ENOENT (No such file or directory)`},
		{name: "execveat every flag", call: "execveat", args: []uint64{3, str(0), arr, envp, 0x11100}, mem: mem, ret: eNOENT,
			want: `execveat(3, "nonexist", ["nonexist", "a b", "tab\there"], 0x7ffe06449060 /* 2 vars */, AT_SYMLINK_NOFOLLOW|AT_EMPTY_PATH|AT_EXECVE_CHECK) = -1 ENOENT (No such file or directory)`},
	})
}

func TestDecodeProcess(t *testing.T) {
	const (
		st   = 0x7ffcb3033b58
		ru   = 0x7ffcb3034000
		si   = 0x7ffcb3033a40
		ptid = 0x7ffe2f55084c
	)
	status := func(s int32) fakeMem { return fakeMem{st: int32s(s)} }
	rusage := func(usec int64) []byte {
		b := make([]byte, rusageSize)
		le.PutUint64(b[8:], uint64(usec))
		for i := 32; i < rusageSize; i++ {
			b[i] = 0x11
		}
		return b
	}
	siginfo := func(signo, code, pid, status int32) []byte {
		b := make([]byte, siginfoSize)
		copy(b, int32s(signo, 0, code, 0, pid, 0, status))
		return b
	}
	runCallCases(t, []callCase{
		{name: "fork", call: "fork", ret: 9557, want: `fork() = 9557`},
		{name: "vfork", call: "vfork", ret: 9558, want: `vfork() = 9558`},
		{name: "vfork unfinished", call: "vfork", noExit: true, want: `vfork( <unfinished ...>) = ?`},
		{name: "exit", call: "exit", args: []uint64{3}, noExit: true, want: `exit(3) = ?`},
		{name: "exit_group", call: "exit_group", args: []uint64{0}, noExit: true, want: `exit_group(0) = ?`},
		{name: "exit_group 256", call: "exit_group", args: []uint64{256}, noExit: true, want: `exit_group(256) = ?`},
		{name: "wait4 exited", call: "wait4", args: []uint64{9557, st, 0, 0}, mem: status(0), ret: 9557,
			want: `wait4(9557, [{WIFEXITED(s) && WEXITSTATUS(s) == 0}], 0, NULL) = 9557`},
		{name: "wait4 rusage", call: "wait4", args: []uint64{neg(-1), st, 0, ru}, mem: fakeMem{st: int32s(3 << 8), ru: rusage(82)}, ret: 9558,
			want: `wait4(-1, [{WIFEXITED(s) && WEXITSTATUS(s) == 3}], 0, {ru_utime={tv_sec=0, tv_usec=82}, ru_stime={tv_sec=0, tv_usec=0}, ...}) = 9558`},
		// strace prints tv_usec unsigned (print_timeval_t's
		// PRINT_FIELD_U): a forged -1 shows as 18446744073709551615
		// (issue 13, found comparing with strace 6.1).
		{name: "wait4 rusage usec -1", call: "wait4", args: []uint64{neg(-1), st, 0, ru}, mem: fakeMem{st: int32s(3 << 8), ru: rusage(-1)}, ret: 9558,
			want: `wait4(-1, [{WIFEXITED(s) && WEXITSTATUS(s) == 3}], 0, {ru_utime={tv_sec=0, tv_usec=18446744073709551615}, ru_stime={tv_sec=0, tv_usec=0}, ...}) = 9558`},
		{name: "wait4 signalled", call: "wait4", args: []uint64{9559, st, 0x40000000, 0}, mem: status(15), ret: 9559,
			want: `wait4(9559, [{WIFSIGNALED(s) && WTERMSIG(s) == SIGTERM}], __WALL, NULL) = 9559`},
		{name: "wait4 core", call: "wait4", args: []uint64{13118, st, 0, 0}, mem: status(6 | 0x80), ret: 13118,
			want: `wait4(13118, [{WIFSIGNALED(s) && WTERMSIG(s) == SIGABRT && WCOREDUMP(s)}], 0, NULL) = 13118`},
		{name: "wait4 wnohang none", call: "wait4", args: []uint64{9560, st, 1, 0}, mem: status(0x1234), ret: 0,
			want: `wait4(9560, 0x7ffcb3033b58, WNOHANG, NULL) = 0`},
		{name: "wait4 wnohang null", call: "wait4", args: []uint64{9560, 0, 3, 0}, ret: 0,
			want: `wait4(9560, NULL, WNOHANG|WSTOPPED, NULL) = 0`},
		{name: "wait4 stopped", call: "wait4", args: []uint64{9560, st, 2, 0}, mem: status(19<<8 | 0x7f), ret: 9560,
			want: `wait4(9560, [{WIFSTOPPED(s) && WSTOPSIG(s) == SIGSTOP}], WSTOPPED, NULL) = 9560`},
		{name: "wait4 continued", call: "wait4", args: []uint64{9560, st, 8, 0}, mem: status(0xffff), ret: 9560,
			want: `wait4(9560, [{WIFCONTINUED(s)}], WCONTINUED, NULL) = 9560`},
		{name: "wait4 syscall stop", call: "wait4", args: []uint64{13182, st, 0x40000000, 0}, mem: status((5|0x80)<<8 | 0x7f), ret: 13182,
			want: `wait4(13182, [{WIFSTOPPED(s) && WSTOPSIG(s) == SIGTRAP | 0x80}], __WALL, NULL) = 13182`},
		{name: "wait4 ptrace event", call: "wait4", args: []uint64{13182, st, 0x40000000, 0}, mem: status(1<<16 | 5<<8 | 0x7f), ret: 13182,
			want: `wait4(13182, [{WIFSTOPPED(s) && WSTOPSIG(s) == SIGTRAP}|PTRACE_EVENT_FORK<<16], __WALL, NULL) = 13182`},
		{name: "wait4 einval", call: "wait4", args: []uint64{neg(-1), 1, 0x1000, 2}, ret: eINVAL,
			want: `wait4(-1, 0x1, 0x1000 /* W??? */, 0x2) = -1 EINVAL (Invalid argument)`},
		{name: "wait4 echild", call: "wait4", args: []uint64{neg(-1), st, 0, 2}, mem: status(0), ret: eCHILD,
			want: `wait4(-1, 0x7ffcb3033b58, 0, 0x2) = -1 ECHILD (No child processes)`},
		{name: "wait4 unfinished", call: "wait4", args: []uint64{9557, st, 0, 0}, noExit: true,
			want: `wait4(9557,  <unfinished ...>) = ?`},
		// Not from strace: a status pointer that cannot be read.
		{name: "wait4 unreadable status", call: "wait4", args: []uint64{9557, 0x10, 0, 0}, ret: 9557,
			want: `wait4(9557, 0x10, 0, NULL) = 9557`},
		{name: "waitid killed", call: "waitid", args: []uint64{1, 9560, si, 0x1000004, 0}, mem: fakeMem{si: siginfo(17, 2, 9560, 9)},
			want: `waitid(P_PID, 9560, {si_signo=SIGCHLD, si_code=CLD_KILLED, si_pid=9560, si_uid=0, si_status=SIGKILL, si_utime=0, si_stime=0}, WEXITED|WNOWAIT, NULL) = 0`},
		{name: "waitid rusage", call: "waitid", args: []uint64{1, 9560, si, 4, ru}, mem: fakeMem{si: siginfo(17, 2, 9560, 9), ru: rusage(193)},
			want: `waitid(P_PID, 9560, {si_signo=SIGCHLD, si_code=CLD_KILLED, si_pid=9560, si_uid=0, si_status=SIGKILL, si_utime=0, si_stime=0}, WEXITED, {ru_utime={tv_sec=0, tv_usec=193}, ru_stime={tv_sec=0, tv_usec=0}, ...}) = 0`},
		{name: "waitid exited", call: "waitid", args: []uint64{0, 0, si, 0xe, 0}, mem: fakeMem{si: siginfo(17, 1, 9561, 7)},
			want: `waitid(P_ALL, 0, {si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=9561, si_uid=0, si_status=7, si_utime=0, si_stime=0}, WEXITED|WSTOPPED|WCONTINUED, NULL) = 0`},
		// strace's print_clock_t: CPU ticks that are not zero get their
		// seconds in a comment (USER_HZ is 100).
		{name: "waitid cpu times", call: "waitid", args: []uint64{0, 0, si, 4, 0}, mem: fakeMem{si: func() []byte {
			b := siginfo(17, 1, 9561, 0)
			le.PutUint64(b[32:], 22)
			le.PutUint64(b[40:], 1234)
			return b
		}()},
			want: `waitid(P_ALL, 0, {si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=9561, si_uid=0, si_status=0, si_utime=22 /* 0.22 s */, si_stime=1234 /* 12.34 s */}, WEXITED, NULL) = 0`},
		{name: "waitid echild", call: "waitid", args: []uint64{2, 0, si, 5, 0}, mem: fakeMem{si: siginfo(17, 1, 1, 1)}, ret: eCHILD,
			want: `waitid(P_PGID, 0, 0x7ffcb3033a40, WNOHANG|WEXITED, NULL) = -1 ECHILD (No child processes)`},
		{name: "waitid bad type", call: "waitid", args: []uint64{7, 0, 0, 0x12, 0}, ret: eINVAL,
			want: `waitid(0x7 /* P_??? */, 0, NULL, WSTOPPED|0x10, NULL) = -1 EINVAL (Invalid argument)`},
		// Not from strace's output, but from its printsiginfo: WNOHANG
		// with no child ready leaves the siginfo zeroed.
		{name: "waitid wnohang none", call: "waitid", args: []uint64{0, 0, si, 5, 0}, mem: fakeMem{si: make([]byte, siginfoSize)},
			want: `waitid(P_ALL, 0, {}, WNOHANG|WEXITED, NULL) = 0`},
		{name: "kill", call: "kill", args: []uint64{9559, 15}, want: `kill(9559, SIGTERM) = 0`},
		{name: "kill probe", call: "kill", args: []uint64{9559, 0}, want: `kill(9559, 0) = 0`},
		{name: "kill rt", call: "kill", args: []uint64{neg(-1234567), 64}, ret: eSRCH,
			want: `kill(-1234567, SIGRT_32) = -1 ESRCH (No such process)`},
		{name: "kill bad signal", call: "kill", args: []uint64{0, 65}, ret: eINVAL,
			want: `kill(0, 65) = -1 EINVAL (Invalid argument)`},
		{name: "kill glibc rtmin", call: "kill", args: []uint64{99999999, 34}, ret: eSRCH,
			want: `kill(99999999, SIGRT_2) = -1 ESRCH (No such process)`},
		{name: "kill negative signal", call: "kill", args: []uint64{99999999, neg(-3)}, ret: eSRCH,
			want: `kill(99999999, -3) = -1 ESRCH (No such process)`},
		{name: "tgkill", call: "tgkill", args: []uint64{9560, 9560, 9}, want: `tgkill(9560, 9560, SIGKILL) = 0`},
		{name: "tgkill bad", call: "tgkill", args: []uint64{neg(-1), neg(-2), 0}, ret: eINVAL,
			want: `tgkill(-1, -2, 0) = -1 EINVAL (Invalid argument)`},
		{name: "clone3 pidfd", call: "clone3", args: []uint64{0x7ffe2f5507f0, 64}, ret: 9603,
			mem: fakeMem{
				0x7ffe2f5507f0: words(0x1101000, 0x7ffe2f5507ec, 0x7ffe2f550848, ptid, 17, 0, 0, 0),
				0x7ffe2f5507ec: int32s(3),
				ptid:           int32s(9603),
			},
			want: `clone3({flags=CLONE_PIDFD|CLONE_PARENT_SETTID|CLONE_CHILD_SETTID, pidfd=0x7ffe2f5507ec, child_tid=0x7ffe2f550848, parent_tid=0x7ffe2f55084c, exit_signal=SIGCHLD, stack=NULL, stack_size=0} => {pidfd=[3], parent_tid=[9603]}, 64) = 9603`},
	})
}

func TestDecodeClone(t *testing.T) {
	const ptid = 0x7ffe2f55084c
	runCallCases(t, []callCase{
		// glibc's fork().
		{name: "fork", call: "clone", args: []uint64{0x1200011, 0, 0, 0x7f6ac0b8aa10, 0}, ret: 9559,
			want: `clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, child_tidptr=0x7f6ac0b8aa10) = 9559`},
		{name: "signal only", call: "clone", args: []uint64{17}, ret: 9562,
			want: `clone(child_stack=NULL, flags=SIGCHLD) = 9562`},
		{name: "no flags", call: "clone", args: []uint64{0}, ret: 9563,
			want: `clone(child_stack=NULL, flags=0) = 9563`},
		{name: "vfork flags", call: "clone", args: []uint64{0x4111}, ret: 9564,
			want: `clone(child_stack=NULL, flags=CLONE_VM|CLONE_VFORK|SIGCHLD) = 9564`},
		{name: "parent settid", call: "clone", args: []uint64{0x110000c, 0, ptid, 0x7ffe2f550848, 0}, mem: fakeMem{ptid: int32s(9599)}, ret: 9599,
			want: `clone(child_stack=NULL, flags=CLONE_PARENT_SETTID|CLONE_CHILD_SETTID|SIGUSR2, parent_tid=[9599], child_tidptr=0x7ffe2f550848) = 9599`},
		{name: "pidfd failed", call: "clone", args: []uint64{0x10021011}, ret: eFAULT,
			want: `clone(child_stack=NULL, flags=CLONE_PIDFD|CLONE_NEWNS|CLONE_NEWUSER|SIGCHLD, parent_tid=NULL) = -1 EFAULT (Bad address)`},
		{name: "detached", call: "clone", args: []uint64{0x400011, 0x1000}, ret: 15580,
			want: `clone(child_stack=0x1000, flags=0x400000 /* CLONE_??? */|SIGCHLD) = 15580`},
		{name: "settls", call: "clone", args: []uint64{0x580000, 0x1000, ptid, 0x2000, 0x3000}, mem: fakeMem{ptid: int32s(15581)}, ret: 15581,
			want: `clone(child_stack=0x1000, flags=CLONE_SETTLS|CLONE_PARENT_SETTID|0x400000, parent_tid=[15581], tls=0x3000) = 15581`},
		{name: "thread", call: "clone", args: []uint64{0x3d0f00, 0x7f0000100000, ptid, 0x7f0000200000, 0x7f0000300000}, mem: fakeMem{ptid: int32s(42)}, ret: 42,
			want: `clone(child_stack=0x7f0000100000, flags=CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|CLONE_THREAD|CLONE_SYSVSEM|CLONE_SETTLS|CLONE_PARENT_SETTID|CLONE_CHILD_CLEARTID, parent_tid=[42], tls=0x7f0000300000, child_tidptr=0x7f0000200000) = 42`},
		// Not from strace (no aarch64 here): aarch64 passes tls fourth and
		// the child's tid pointer fifth, strace's order for most ABIs.
		{name: "arm64 thread", arch: ARM64, call: "clone", args: []uint64{0x3d0f00, 0x7f0000100000, ptid, 0x7f0000200000, 0x7f0000300000}, mem: fakeMem{ptid: int32s(42)}, ret: 42,
			want: `clone(child_stack=0x7f0000100000, flags=CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|CLONE_THREAD|CLONE_SYSVSEM|CLONE_SETTLS|CLONE_PARENT_SETTID|CLONE_CHILD_CLEARTID, parent_tid=[42], tls=0x7f0000200000, child_tidptr=0x7f0000300000) = 42`},
		{name: "arm64 fork", arch: ARM64, call: "clone", args: []uint64{0x1200011, 0, 0, 0, 0xffffa0b8aa10}, ret: 77,
			want: `clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, child_tidptr=0xffffa0b8aa10) = 77`},
		{name: "failed parent tid", call: "clone", args: []uint64{0x100011, 0, ptid}, mem: fakeMem{ptid: int32s(1)}, ret: eINVAL,
			want: `clone(child_stack=NULL, flags=CLONE_PARENT_SETTID|SIGCHLD, parent_tid=0x7ffe2f55084c) = -1 EINVAL (Invalid argument)`},
		{name: "interrupted", call: "clone", args: []uint64{0x1200011, 0, 0, 0x7f754ef0daf0}, ret: -513,
			want: `clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, child_tidptr=0x7f754ef0daf0) = ? ERESTARTNOINTR (To be restarted)`},
		{name: "unfinished", call: "clone", args: []uint64{0x4111}, noExit: true,
			want: `clone(child_stack=NULL, flags=CLONE_VM|CLONE_VFORK|SIGCHLD <unfinished ...>) = ?`},
	})
}

func TestDecodeClone3(t *testing.T) {
	const (
		ca   = 0x7f8fb146b000
		ptid = 0x7f8fb146b990
	)
	args := func(ws ...uint64) []byte {
		b := make([]byte, 16*8)
		copy(b, words(ws...))
		return b
	}
	runCallCases(t, []callCase{
		// pthread_create.
		{name: "thread", call: "clone3", args: []uint64{ca, 88}, ret: 9604,
			mem:  fakeMem{ca: args(0x3d0f00, 0, ptid, ptid, 0, 0x7f8fb0c6b000, 0x7fff80, 0x7f8fb146b6c0), ptid: int32s(9604)},
			want: `clone3({flags=CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|CLONE_THREAD|CLONE_SYSVSEM|CLONE_SETTLS|CLONE_PARENT_SETTID|CLONE_CHILD_CLEARTID, child_tid=0x7f8fb146b990, parent_tid=0x7f8fb146b990, exit_signal=0, stack=0x7f8fb0c6b000, stack_size=0x7fff80, tls=0x7f8fb146b6c0} => {parent_tid=[9604]}, 88) = 9604`},
		{name: "fork", call: "clone3", args: []uint64{ca, 88}, ret: 9602, mem: fakeMem{ca: args(0, 0, 0, 0, 17)},
			want: `clone3({flags=0, exit_signal=SIGCHLD, stack=NULL, stack_size=0}, 88) = 9602`},
		{name: "null", call: "clone3", args: []uint64{0, 88}, ret: eFAULT,
			want: `clone3(NULL, 88) = -1 EFAULT (Bad address)`},
		{name: "too small", call: "clone3", args: []uint64{ca, 8}, ret: eINVAL, mem: fakeMem{ca: args(0)},
			want: `clone3(0x7f8fb146b000, 8) = -1 EINVAL (Invalid argument)`},
		{name: "bad pointer", call: "clone3", args: []uint64{8, 88}, ret: eFAULT,
			want: `clone3(0x8, 88) = -1 EFAULT (Bad address)`},
		{name: "clone3 flags", call: "clone3", args: []uint64{ca, 88}, ret: eINVAL,
			mem:  fakeMem{ca: args(0x100480080, 0, 0, 0, 0, 0x5000, 0x1000, 0x1234)},
			want: `clone3({flags=CLONE_SETTLS|CLONE_NEWTIME|CLONE_CLEAR_SIGHAND|0x400000, exit_signal=0, stack=0x5000, stack_size=0x1000, tls=0x1234}, 88) = -1 EINVAL (Invalid argument)`},
		{name: "tail bytes", call: "clone3", args: []uint64{ca, 112}, ret: e2BIG,
			mem:  fakeMem{ca: args(0, 0, 0, 0, 0xffffffff, 0x5000, 0x1000, 0, 0, 0, 0, 0, 0xab, 0)},
			want: `clone3({flags=0, exit_signal=4294967295, stack=0x5000, stack_size=0x1000, /* bytes 88..111 */ "\x00\x00\x00\x00\x00\x00\x00\x00\xab\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"}, 112) = -1 E2BIG (Argument list too long)`},
		{name: "set_tid", call: "clone3", args: []uint64{ca, 104}, ret: 1234,
			mem:  fakeMem{ca: args(0, 0, 0, 0, 17, 0x5000, 0x1000, 0, 0x7ffd00000000, 1), 0x7ffd00000000: int32s(1234)},
			want: `clone3({flags=0, exit_signal=SIGCHLD, stack=0x5000, stack_size=0x1000, set_tid=[1234], set_tid_size=1}, 104) = 1234`},
		{name: "cgroup", call: "clone3", args: []uint64{ca, 88}, ret: eBADF,
			mem:  fakeMem{ca: args(0x200000000, 0, 0, 0, 17, 0x5000, 0x1000, 0, 0, 0, 7)},
			want: `clone3({flags=CLONE_INTO_CGROUP, exit_signal=SIGCHLD, stack=0x5000, stack_size=0x1000, cgroup=7}, 88) = -1 EBADF (Bad file descriptor)`},
		{name: "cgroup cut off", call: "clone3", args: []uint64{ca, 80}, ret: eINVAL,
			mem:  fakeMem{ca: args(0x200000000, 0, 0, 0, 17, 0x5000, 0x1000, 0, 0, 0, 7)},
			want: `clone3({flags=CLONE_INTO_CGROUP, exit_signal=SIGCHLD, stack=0x5000, stack_size=0x1000}, 80) = -1 EINVAL (Invalid argument)`},
		// Not from strace: the same on aarch64, whose struct clone_args is
		// the same.
		{name: "arm64 thread", arch: ARM64, call: "clone3", args: []uint64{ca, 88}, ret: 9604,
			mem:  fakeMem{ca: args(0x3d0f00, 0, ptid, ptid, 0, 0x7f8fb0c6b000, 0x7fff80, 0x7f8fb146b6c0), ptid: int32s(9604)},
			want: `clone3({flags=CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|CLONE_THREAD|CLONE_SYSVSEM|CLONE_SETTLS|CLONE_PARENT_SETTID|CLONE_CHILD_CLEARTID, child_tid=0x7f8fb146b990, parent_tid=0x7f8fb146b990, exit_signal=0, stack=0x7f8fb0c6b000, stack_size=0x7fff80, tls=0x7f8fb146b6c0} => {parent_tid=[9604]}, 88) = 9604`},
	})
}

func TestDecodeSigaction(t *testing.T) {
	const (
		act = 0x7fff3121f300
		old = 0x7fff3121f210
	)
	runCallCases(t, []callCase{
		{name: "glibc handler", call: "rt_sigaction", args: []uint64{17, act, 0, 8}, ret: 0,
			mem:  fakeMem{act: words(0x55cd0deff229, 0xffffffffdc000007, 0x7f0d7bcc4050, 1<<1|1<<14|1<<39)},
			want: `rt_sigaction(SIGCHLD, {sa_handler=0x55cd0deff229, sa_mask=[INT TERM RT_8], sa_flags=SA_RESTORER|SA_ONSTACK|SA_RESTART|SA_NODEFER|SA_RESETHAND|SA_SIGINFO|SA_NOCLDSTOP|SA_NOCLDWAIT|0xffffffff00000000, sa_restorer=0x7f0d7bcc4050}, NULL, 8) = 0`},
		{name: "old action", call: "rt_sigaction", args: []uint64{17, 0, old, 8}, ret: 0,
			mem:  fakeMem{old: words(0x55cd0deff229, 0xdc000007, 0x7f0d7bcc4050, 1<<1|1<<14|1<<39)},
			want: `rt_sigaction(SIGCHLD, NULL, {sa_handler=0x55cd0deff229, sa_mask=[INT TERM RT_8], sa_flags=SA_RESTORER|SA_ONSTACK|SA_RESTART|SA_NODEFER|SA_RESETHAND|SA_SIGINFO|SA_NOCLDSTOP|SA_NOCLDWAIT, sa_restorer=0x7f0d7bcc4050}, 8) = 0`},
		{name: "both", call: "rt_sigaction", args: []uint64{1, act, old, 8}, ret: 0,
			mem:  fakeMem{act: words(0x55cd0deff229, 0x04000000, 0x7f0d7bcc4050, ^uint64(0)&^(1<<31|1<<32)), old: words(0, 0, 0, 0)},
			want: `rt_sigaction(SIGHUP, {sa_handler=0x55cd0deff229, sa_mask=~[RTMIN RT_1], sa_flags=SA_RESTORER, sa_restorer=0x7f0d7bcc4050}, {sa_handler=SIG_DFL, sa_mask=[], sa_flags=0}, 8) = 0`},
		{name: "ignore", call: "rt_sigaction", args: []uint64{12, act, old, 8}, ret: 0,
			mem:  fakeMem{act: words(1, 0x14000000, 0x7f8fb14ab050, 1<<11), old: words(0, 0, 0, 0)},
			want: `rt_sigaction(SIGUSR2, {sa_handler=SIG_IGN, sa_mask=[USR2], sa_flags=SA_RESTORER|SA_RESTART, sa_restorer=0x7f8fb14ab050}, {sa_handler=SIG_DFL, sa_mask=[], sa_flags=0}, 8) = 0`},
		{name: "full mask no restorer", call: "rt_sigaction", args: []uint64{2, act, 0, 8}, ret: 0,
			mem:  fakeMem{act: words(1, 0, 0, ^uint64(0))},
			want: `rt_sigaction(SIGINT, {sa_handler=SIG_IGN, sa_mask=~[], sa_flags=0}, NULL, 8) = 0`},
		{name: "null restorer", call: "rt_sigaction", args: []uint64{2, act, 0, 8}, ret: 0,
			mem:  fakeMem{act: words(0, 0x4000000, 0, 1|1<<63)},
			want: `rt_sigaction(SIGINT, {sa_handler=SIG_DFL, sa_mask=[HUP RT_32], sa_flags=SA_RESTORER, sa_restorer=NULL}, NULL, 8) = 0`},
		{name: "sig_err", call: "rt_sigaction", args: []uint64{2, act, old, 8}, ret: 0,
			mem:  fakeMem{act: words(^uint64(0), 0x210, 0, 0x5555555555555555), old: words(0, 0x4000000, 0, 1|1<<63)},
			want: `rt_sigaction(SIGINT, {sa_handler=SIG_ERR, sa_mask=[HUP QUIT TRAP BUS KILL SEGV PIPE TERM CHLD STOP TTIN URG XFSZ PROF IO SYS RT_1 RT_3 RT_5 RT_7 RT_9 RT_11 RT_13 RT_15 RT_17 RT_19 RT_21 RT_23 RT_25 RT_27 RT_29 RT_31], sa_flags=0x210 /* SA_??? */}, {sa_handler=SIG_DFL, sa_mask=[HUP RT_32], sa_flags=SA_RESTORER, sa_restorer=NULL}, 8) = 0`},
		{name: "failed", call: "rt_sigaction", args: []uint64{9, act, old, 8}, ret: eINVAL,
			mem:  fakeMem{act: words(0, 0x4000000, 0, 1|1<<63), old: words(0, 0, 0, 0)},
			want: `rt_sigaction(SIGKILL, {sa_handler=SIG_DFL, sa_mask=[HUP RT_32], sa_flags=SA_RESTORER, sa_restorer=NULL}, 0x7fff3121f210, 8) = -1 EINVAL (Invalid argument)`},
		{name: "zero signal", call: "rt_sigaction", args: []uint64{0, 0, 0, 8}, ret: eINVAL,
			want: `rt_sigaction(0, NULL, NULL, 8) = -1 EINVAL (Invalid argument)`},
		{name: "bad pointers", call: "rt_sigaction", args: []uint64{2, 1, 2, 8}, ret: eFAULT,
			want: `rt_sigaction(SIGINT, 0x1, 0x2, 8) = -1 EFAULT (Bad address)`},
		{name: "bad signal", call: "rt_sigaction", args: []uint64{100, 0, 0, 7}, ret: eINVAL,
			want: `rt_sigaction(100, NULL, NULL, 7) = -1 EINVAL (Invalid argument)`},
		{name: "sa_interrupt", call: "rt_sigaction", args: []uint64{10, act, 0, 8},
			mem:  fakeMem{act: words(1, 0x20000000, 0, 0)},
			want: `rt_sigaction(SIGUSR1, {sa_handler=SIG_IGN, sa_mask=[], sa_flags=SA_INTERRUPT}, NULL, 8) = 0`},
		// Not from strace (no aarch64 here): glibc on aarch64 does not set
		// SA_RESTORER, so no sa_restorer prints; the layout is the same.
		{name: "arm64 handler", arch: ARM64, call: "rt_sigaction", args: []uint64{2, act, old, 8},
			mem:  fakeMem{act: words(0xaaaad0deff229, 0x10000000, 0, 1<<14), old: words(0, 0, 0, 0)},
			want: `rt_sigaction(SIGINT, {sa_handler=0xaaaad0deff229, sa_mask=[TERM], sa_flags=SA_RESTART}, {sa_handler=SIG_DFL, sa_mask=[], sa_flags=0}, 8) = 0`},
	})
}

func TestDecodeGeneric(t *testing.T) {
	runCallCases(t, []callCase{
		{name: "no args", call: "getpid", ret: 8962, want: `getpid() = 8962`},
		{name: "rseq", call: "rseq", args: []uint64{0x7fde7d7fe060, 0x20, 0, 0x53053053, 0x5555, 0x6666},
			want: `rseq(0x7fde7d7fe060, 0x20, 0, 0x53053053) = 0`},
		{name: "errno", call: "tuxcall", args: []uint64{1, 0, 0x7fa5ee6de45d}, ret: ePERM,
			want: `tuxcall(0x1, 0, 0x7fa5ee6de45d) = -1 EPERM (Operation not permitted)`},
		{name: "unnamed errno", call: "tuxcall", args: []uint64{0x86, 0xffffffffffffff80, 0xffffffffffffff80}, ret: -134,
			want: `tuxcall(0x86, 0xffffffffffffff80, 0xffffffffffffff80) = -1 (errno 134)`},
		{name: "unknown call", call: "syscall_0x2732", args: []uint64{1, 2, 3, 0, 0x55948146b000, 0x55948146b000}, ret: eNOSYS,
			want: `syscall_0x2732(0x1, 0x2, 0x3, 0, 0x55948146b000, 0x55948146b000) = -1 ENOSYS (Function not implemented)`},
		{name: "pause", call: "pause", ret: -514,
			want: `pause() = ? ERESTARTNOHAND (To be restarted if no handler)`},
		{name: "restart block", call: "nanosleep", args: []uint64{0x7ffd00001000, 0}, ret: -516,
			want: `nanosleep(0x7ffd00001000, NULL) = ? ERESTART_RESTARTBLOCK (Interrupted by signal)`},
		{name: "eintr", call: "rt_sigreturn", ret: eINTR,
			want: `rt_sigreturn() = -1 EINTR (Interrupted system call)`},
		{name: "unfinished", call: "rseq", args: []uint64{0x7fde7d7fe060, 0x20, 0, 0x53053053}, noExit: true,
			want: `rseq(0x7fde7d7fe060, 0x20, 0, 0x53053053 <unfinished ...>) = ?`},
	})
}

// TestEntryThenExit checks what the tracer sees between the two stops:
// the arguments known at entry, and "" for those strace prints at exit.
func TestEntryThenExit(t *testing.T) {
	const buf = 0x1000
	c := &Call{Arch: AMD64, Name: "read", Args: [6]uint64{3, buf, 10}}
	mem := fakeMem{buf: []byte("0123456789")}
	c.Enter(mem, nil)
	if got, want := strings.Join(c.ArgsText(), "|"), "3||"; got != want {
		t.Errorf("after Enter: %q, want %q", got, want)
	}
	if c.ResultText() != "?" {
		t.Errorf("ResultText before Exit = %q", c.ResultText())
	}
	// The buffer is filled in by the kernel: what Exit reads is what
	// prints, not what was there at entry.
	mem[buf] = []byte("abcdefghij")
	c.Exit(mem, 4, nil)
	if got, want := strings.Join(c.ArgsText(), "|"), `3|"abcd"|10`; got != want {
		t.Errorf("after Exit: %q, want %q", got, want)
	}

	// And the reverse for write: the buffer is read at entry.
	w := &Call{Arch: AMD64, Name: "write", Args: [6]uint64{1, buf, 3}}
	mem[buf] = []byte("abc")
	w.Enter(mem, nil)
	delete(mem, buf)
	w.Exit(mem, 3, nil)
	if got, want := w.String(), `write(1, "abc", 3) = 3`; got != want {
		t.Errorf("write = %s, want %s", got, want)
	}
}

// TestExitWithoutEnter covers a tracer that attached mid-call.
func TestExitWithoutEnter(t *testing.T) {
	c := &Call{Arch: AMD64, Name: "wait4", Args: [6]uint64{neg(-1), 0x10, 0, 0}}
	c.Exit(fakeMem{0x10: int32s(0)}, 42, nil)
	if got, want := c.String(), `wait4(-1, [{WIFEXITED(s) && WEXITSTATUS(s) == 0}], 0, NULL) = 42`; got != want {
		t.Errorf("got %s, want %s", got, want)
	}
}

// TestNoPanics feeds every decoder hostile registers and memory: nothing
// may panic, whatever the tracee does.
func TestNoPanics(t *testing.T) {
	vals := []uint64{0, 1, 8, 0xfff, 0x1000, ^uint64(0), 1 << 63, 0x7ffffffff000, 0xfffffffffffff000}
	junk := make([]byte, 64)
	for i := range junk {
		junk[i] = 0xff
	}
	mems := []Memory{nil, fakeMem{}, fakeMem{0x1000: junk, 0xff0: junk}, fakeMem{0: make([]byte, 0x3000)}}
	rets := []int64{0, -1, -4095, -512, 1 << 40, -1 << 40, 7}
	names := []string{"nonesuch", "getpid"}
	for name := range tableSpecs() {
		names = append(names, name)
	}
	for _, name := range names {
		for _, arch := range []Arch{AMD64, ARM64, ArchUnknown} {
			for _, v := range vals {
				for _, mem := range mems {
					for _, ret := range rets {
						c := &Call{Arch: arch, Name: name, Args: [6]uint64{v, v, v, v, v, v}}
						func() {
							defer func() {
								if r := recover(); r != nil {
									t.Fatalf("%s(%#x...) ret %d: panic %v", name, v, ret, r)
								}
							}()
							c.Enter(mem, &Options{StringLimit: 1})
							_ = c.String()
							c.Exit(mem, ret, nil)
							_ = c.String()
						}()
					}
				}
			}
		}
	}
}

// TestSpecsTakeAtMostSix: the decoder lists a call's arguments in fixed
// arrays of six (slots, Call.argBuf).
func TestSpecsTakeAtMostSix(t *testing.T) {
	for name, sp := range tableSpecs() {
		if len(sp.args) > 6 {
			t.Errorf("%s: %d arguments in its spec", name, len(sp.args))
		}
	}
	for name, n := range arity.Get() {
		if n > 6 {
			t.Errorf("%s: arity %d", name, n)
		}
	}
}

// TestNoPanicsByCommand feeds hostile arguments to every command of the
// calls whose line depends on one: each line of fcntl, ioctl, prctl,
// futex and arch_prctl.
func TestNoPanicsByCommand(t *testing.T) {
	type cmd struct {
		call string
		at   int // the argument that selects the line
		v    uint64
	}
	var cmds []cmd
	for v := range fcntlSpecs.Get() {
		cmds = append(cmds, cmd{"fcntl", 1, uint64(v)})
	}
	for v := range ioctlSpecs.Get() {
		cmds = append(cmds, cmd{"ioctl", 1, uint64(v)})
	}
	for v := range prctlSpecs.Get() {
		cmds = append(cmds, cmd{"prctl", 0, uint64(v)})
	}
	for _, v := range []uint64{22, 47, 0x53564d41} {
		cmds = append(cmds, cmd{"prctl", 0, v})
	}
	for v := range futexSpecs.Get() {
		cmds = append(cmds, cmd{"futex", 1, uint64(v)}, cmd{"futex", 1, uint64(v) | futexPrivate | futexClockRealtime})
	}
	for v := range archPrctlSpecs.Get() {
		cmds = append(cmds, cmd{"arch_prctl", 0, uint64(v)})
	}
	vals := []uint64{0, 1, 2, 0x1000, ^uint64(0), 1 << 63}
	junk := make([]byte, 256)
	for i := range junk {
		junk[i] = 0xff
	}
	mems := []Memory{nil, fakeMem{}, fakeMem{0x1000: junk}}
	for _, c := range cmds {
		for _, v := range vals {
			for _, mem := range mems {
				for _, ret := range []int64{0, -14, 1 << 40} {
					args := [6]uint64{v, v, v, v, v, v}
					args[c.at] = c.v
					call := &Call{Arch: AMD64, Name: c.call, Args: args}
					func() {
						defer func() {
							if r := recover(); r != nil {
								t.Fatalf("%s(%#x...) command %#x: panic %v", c.call, v, c.v, r)
							}
						}()
						call.Enter(mem, nil)
						_ = call.String()
						call.Exit(mem, ret, nil)
						_ = call.String()
					}()
				}
			}
		}
	}
}
