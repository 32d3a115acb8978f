package sys

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// The cases of -X and -v, each line as strace 6.1 printed it for the same
// call (strace -X raw / -X verbose / -v on testdata/xflags.c and small
// programs: mprotect with an unknown bit, lseek with whence 7, kill 0).

func TestXlatArguments(t *testing.T) {
	const path = 0x402000
	cwd := neg(-100)
	file := fakeMem{path: cstr("f.dat")}
	var cases []callCase
	for _, c := range []struct {
		name, call string
		args       []uint64
		mem        fakeMem
		ret        int64
		abbrev     string
		raw        string
		verbose    string
	}{
		{"open flags", "openat", []uint64{cwd, path, 0x80242, 0640}, file, 3,
			`openat(AT_FDCWD, "f.dat", O_RDWR|O_CREAT|O_TRUNC|O_CLOEXEC, 0640) = 3`,
			`openat(-100, "f.dat", 0x80242, 0640) = 3`,
			`openat(-100 /* AT_FDCWD */, "f.dat", 0x80242 /* O_RDWR|O_CREAT|O_TRUNC|O_CLOEXEC */, 0640) = 3`},
		{"O_RDONLY is zero", "openat", []uint64{cwd, path, 0}, file, 3,
			`openat(AT_FDCWD, "f.dat", O_RDONLY) = 3`,
			`openat(-100, "f.dat", 0) = 3`,
			`openat(-100 /* AT_FDCWD */, "f.dat", 0 /* O_RDONLY */) = 3`},
		{"an unknown bit among known ones", "mprotect", []uint64{0x7f0000000000, 4096, 0x101}, nil, eINVAL,
			`mprotect(0x7f0000000000, 4096, PROT_READ|0x100) = -1 EINVAL (Invalid argument)`,
			`mprotect(0x7f0000000000, 4096, 0x101) = -1 EINVAL (Invalid argument)`,
			`mprotect(0x7f0000000000, 4096, 0x101 /* PROT_READ|0x100 */) = -1 EINVAL (Invalid argument)`},
		{"only unknown bits", "mprotect", []uint64{0x7f0000000000, 4096, 0x100}, nil, eINVAL,
			`mprotect(0x7f0000000000, 4096, 0x100 /* PROT_??? */) = -1 EINVAL (Invalid argument)`,
			`mprotect(0x7f0000000000, 4096, 0x100) = -1 EINVAL (Invalid argument)`,
			`mprotect(0x7f0000000000, 4096, 0x100 /* PROT_??? */) = -1 EINVAL (Invalid argument)`},
		{"an unknown value", "lseek", []uint64{0, 0, 7}, nil, eINVAL,
			`lseek(0, 0, 0x7 /* SEEK_??? */) = -1 EINVAL (Invalid argument)`,
			`lseek(0, 0, 0x7) = -1 EINVAL (Invalid argument)`,
			`lseek(0, 0, 0x7 /* SEEK_??? */) = -1 EINVAL (Invalid argument)`},
		{"signal 0", "kill", []uint64{1234, 0}, nil, 0,
			`kill(1234, 0) = 0`, `kill(1234, 0) = 0`, `kill(1234, 0) = 0`},
		{"a signal", "kill", []uint64{1234, 10}, nil, 0,
			`kill(1234, SIGUSR1) = 0`, `kill(1234, 10) = 0`, `kill(1234, 10 /* SIGUSR1 */) = 0`},
		{"mmap", "mmap", []uint64{0, 4096, 3, 0x22, neg(-1), 0}, nil, 0x7f0000000000,
			`mmap(NULL, 4096, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7f0000000000`,
			`mmap(NULL, 4096, 0x3, 0x22, -1, 0) = 0x7f0000000000`,
			`mmap(NULL, 4096, 0x3 /* PROT_READ|PROT_WRITE */, 0x22 /* MAP_PRIVATE|MAP_ANONYMOUS */, -1, 0) = 0x7f0000000000`},
		{"clone", "clone", []uint64{0x1200011, 0, 0, 0x7f0000000a10, 0}, nil, 4321,
			`clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, child_tidptr=0x7f0000000a10) = 4321`,
			`clone(child_stack=NULL, flags=0x1200000|17, child_tidptr=0x7f0000000a10) = 4321`,
			`clone(child_stack=NULL, flags=0x1200000 /* CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID */|17 /* SIGCHLD */, child_tidptr=0x7f0000000a10) = 4321`},
		{"mknod", "mknod", []uint64{path, 020644, 0x103}, file, 0,
			`mknod("f.dat", S_IFCHR|0644, makedev(0x1, 0x3)) = 0`,
			`mknod("f.dat", 020644, 0x103) = 0`,
			`mknod("f.dat", 020644 /* S_IFCHR|0644 */, 0x103 /* makedev(0x1, 0x3) */) = 0`},
	} {
		for _, x := range []struct {
			x    Xlat
			want string
		}{{XlatAbbrev, c.abbrev}, {XlatRaw, c.raw}, {XlatVerbose, c.verbose}} {
			cases = append(cases, callCase{name: c.name + " " + XlatStyles[x.x], call: c.call, args: c.args,
				mem: c.mem, ret: c.ret, xlat: x.x, want: x.want})
		}
	}
	runCallCases(t, cases)
}

// TestXlatStructures: the constants inside structures follow -X too:
// sigaction's handler, mask and flags, a signal set, st_mode and the
// device numbers, rlimits; a bad pointer still prints as its address.
func TestXlatStructures(t *testing.T) {
	const act, old, set, sb, rl = 0x7ffe0000, 0x7ffe0100, 0x7ffe0200, 0x7ffe0300, 0x7ffe0400
	sa := words(1, 0x14000000|0x1000, 0x7f0000001050, 1<<(2-1)|1<<(15-1))
	mem := fakeMem{act: sa, old: words(0, 0, 0, 0), set: words(1 << (12 - 1)), sb: statBytes(AMD64, 020666, 0, 0x103),
		rl: words(8192*1024, ^uint64(0))}
	var cases []callCase
	for _, c := range []struct {
		name, call string
		args       []uint64
		abbrev     string
		raw        string
		verbose    string
	}{
		{"sigaction", "rt_sigaction", []uint64{10, act, old, 8},
			`rt_sigaction(SIGUSR1, {sa_handler=SIG_IGN, sa_mask=[INT TERM], sa_flags=SA_RESTORER|SA_RESTART|0x1000, sa_restorer=0x7f0000001050}, {sa_handler=SIG_DFL, sa_mask=[], sa_flags=0}, 8) = 0`,
			`rt_sigaction(10, {sa_handler=0x1, sa_mask=[2 15], sa_flags=0x14001000, sa_restorer=0x7f0000001050}, {sa_handler=0, sa_mask=[], sa_flags=0}, 8) = 0`,
			`rt_sigaction(10 /* SIGUSR1 */, {sa_handler=0x1 /* SIG_IGN */, sa_mask=[2 /* INT */ 15 /* TERM */], sa_flags=0x14001000 /* SA_RESTORER|SA_RESTART|0x1000 */, sa_restorer=0x7f0000001050}, {sa_handler=0 /* SIG_DFL */, sa_mask=[], sa_flags=0}, 8) = 0`},
		{"sigaction bad pointer", "rt_sigaction", []uint64{10, 0xdeadbeef, 0, 8},
			`rt_sigaction(SIGUSR1, 0xdeadbeef, NULL, 8) = 0`,
			`rt_sigaction(10, 0xdeadbeef, NULL, 8) = 0`,
			`rt_sigaction(10 /* SIGUSR1 */, 0xdeadbeef, NULL, 8) = 0`},
		{"sigprocmask", "rt_sigprocmask", []uint64{0, set, 0, 8},
			`rt_sigprocmask(SIG_BLOCK, [USR2], NULL, 8) = 0`,
			`rt_sigprocmask(0, [12], NULL, 8) = 0`,
			`rt_sigprocmask(0 /* SIG_BLOCK */, [12 /* USR2 */], NULL, 8) = 0`},
		{"stat of a device", "fstat", []uint64{0, sb},
			`fstat(0, {st_mode=S_IFCHR|0666, st_rdev=makedev(0x1, 0x3), ...}) = 0`,
			`fstat(0, {st_mode=020666, st_rdev=0x103, ...}) = 0`,
			`fstat(0, {st_mode=020666 /* S_IFCHR|0666 */, st_rdev=0x103 /* makedev(0x1, 0x3) */, ...}) = 0`},
		{"rlimit", "prlimit64", []uint64{0, 3, 0, rl},
			`prlimit64(0, RLIMIT_STACK, NULL, {rlim_cur=8192*1024, rlim_max=RLIM64_INFINITY}) = 0`,
			`prlimit64(0, 0x3, NULL, {rlim_cur=8388608, rlim_max=18446744073709551615}) = 0`,
			`prlimit64(0, 0x3 /* RLIMIT_STACK */, NULL, {rlim_cur=8388608 /* 8192*1024 */, rlim_max=18446744073709551615 /* RLIM64_INFINITY */}) = 0`},
	} {
		for _, x := range []struct {
			x    Xlat
			want string
		}{{XlatAbbrev, c.abbrev}, {XlatRaw, c.raw}, {XlatVerbose, c.verbose}} {
			cases = append(cases, callCase{name: c.name + " " + XlatStyles[x.x], call: c.call, args: c.args,
				mem: mem, xlat: x.x, want: x.want})
		}
	}
	runCallCases(t, cases)
}

// TestXlatSiginfo: the signal line's siginfo in each style, as strace
// printed SIGUSR1 from kill and tkill and a SIGCHLD.
func TestXlatSiginfo(t *testing.T) {
	for _, c := range []struct {
		si   Siginfo
		x    Xlat
		want string
	}{
		{Siginfo{Signo: 10, Code: 0, Pid: 7, Uid: 0}, XlatRaw, `{si_signo=10, si_code=0, si_pid=7, si_uid=0}`},
		{Siginfo{Signo: 10, Code: -6, Pid: 7, Uid: 0}, XlatRaw, `{si_signo=10, si_code=0xfffffffa, si_pid=7, si_uid=0}`},
		{Siginfo{Signo: 10, Code: -6, Pid: 7, Uid: 0}, XlatVerbose, `{si_signo=10 /* SIGUSR1 */, si_code=0xfffffffa /* SI_TKILL */, si_pid=7, si_uid=0}`},
		{Siginfo{Signo: 17, Code: 1, Pid: 7}, XlatVerbose, `{si_signo=17 /* SIGCHLD */, si_code=0x1 /* CLD_EXITED */, si_pid=7, si_uid=0, si_status=0, si_utime=0, si_stime=0}`},
		{Siginfo{Signo: 17, Code: 2, Pid: 7, Status: 9}, XlatRaw, `{si_signo=17, si_code=0x2, si_pid=7, si_uid=0, si_status=9, si_utime=0, si_stime=0}`},
		{Siginfo{Signo: 11, Code: 1, Addr: 8}, XlatAbbrev, `{si_signo=SIGSEGV, si_code=SEGV_MAPERR, si_addr=0x8}`},
		// rt_sigqueueinfo with si_errno 2, as strace 6.1 printed it.
		{Siginfo{Signo: 10, Code: -1, Errno: 2, Pid: 7}, XlatAbbrev, `{si_signo=SIGUSR1, si_code=SI_QUEUE, si_errno=ENOENT, si_pid=7, si_uid=0}`},
		{Siginfo{Signo: 10, Code: -1, Errno: 2, Pid: 7}, XlatRaw, `{si_signo=10, si_code=0xffffffff, si_errno=2, si_pid=7, si_uid=0}`},
		{Siginfo{Signo: 10, Code: -1, Errno: 2, Pid: 7}, XlatVerbose, `{si_signo=10 /* SIGUSR1 */, si_code=0xffffffff /* SI_QUEUE */, si_errno=2 /* ENOENT */, si_pid=7, si_uid=0}`},
	} {
		if got := c.si.Text(c.x); got != c.want {
			t.Errorf("%+v -X %s:\n got %s\nwant %s", c.si, XlatStyles[c.x], got, c.want)
		}
		// String, as the page, the SVG and Perfetto print it: in the
		// style the trace carries.
		si := c.si
		si.Style = c.x
		if got := si.String(); got != c.want {
			t.Errorf("%+v String:\n got %s\nwant %s", si, got, c.want)
		}
	}
}

// fullStat is a struct stat of arch with every field set apart: a decoder
// that reads a field at another's offset prints a wrong number.
func fullStat(arch Arch, mode uint32, rdev uint64) []byte {
	l := statFor(arch)
	b := statBytes(arch, mode, 3, rdev)
	le.PutUint64(b[l.dev:], 0xfe00)
	le.PutUint64(b[l.ino:], 10248605)
	if l.nlinkSize == 8 {
		le.PutUint64(b[l.nlink:], 2)
	} else {
		le.PutUint32(b[l.nlink:], 2)
	}
	le.PutUint32(b[l.uid:], 1000)
	le.PutUint32(b[l.gid:], 100)
	if l.blksizeSize == 8 {
		le.PutUint64(b[l.blksize:], 4096)
	} else {
		le.PutUint32(b[l.blksize:], 4096)
	}
	le.PutUint64(b[l.blocks:], 8)
	for k, tm := range [][2]uint64{{1796078764, 614290427}, {1777320873, 0}, {1796078765, 1}} {
		le.PutUint64(b[l.times+16*k:], tm[0])
		le.PutUint64(b[l.times+16*k+8:], tm[1])
	}
	return b
}

// date formats a time as strace's comment shows it, written out field by
// field rather than with the layout statIn uses.
func date(sec int64, nsec int) string {
	tm := time.Unix(sec, int64(nsec)).Local()
	_, off := tm.Zone()
	sign := '+'
	if off < 0 {
		sign, off = '-', -off
	}
	frac := ""
	if nsec != 0 {
		frac = fmt.Sprintf(".%09d", nsec)
	}
	return fmt.Sprintf("%04d-%02d-%02dT%02d:%02d:%02d%s%c%02d%02d", tm.Year(), tm.Month(), tm.Day(),
		tm.Hour(), tm.Minute(), tm.Second(), frac, sign, off/3600, off/60%60)
}

// TestVerboseStat: with -v, struct stat prints every field in strace's
// order, on both ABIs, the times with their dates; without, the short
// form; a bad pointer is its address either way.
func TestVerboseStat(t *testing.T) {
	const sb = 0x7ffe0300
	times := fmt.Sprintf("st_atime=1796078764 /* %s */, st_atime_nsec=614290427, "+
		"st_mtime=1777320873 /* %s */, st_mtime_nsec=0, st_ctime=1796078765 /* %s */, st_ctime_nsec=1",
		date(1796078764, 614290427), date(1777320873, 0), date(1796078765, 1))
	var cases []callCase
	for _, arch := range []Arch{AMD64, ARM64} {
		cases = append(cases,
			callCase{name: arch.String() + " file", arch: arch, call: "fstat", args: []uint64{3, sb},
				mem: fakeMem{sb: fullStat(arch, 0100640, 0)}, verbose: true,
				want: `fstat(3, {st_dev=makedev(0xfe, 0), st_ino=10248605, st_mode=S_IFREG|0640, st_nlink=2, st_uid=1000, st_gid=100, st_blksize=4096, st_blocks=8, st_size=3, ` + times + `}) = 0`},
			callCase{name: arch.String() + " device, raw", arch: arch, call: "fstat", args: []uint64{0, sb},
				mem: fakeMem{sb: fullStat(arch, 020666, 0x103)}, verbose: true, xlat: XlatRaw,
				want: `fstat(0, {st_dev=0xfe00, st_ino=10248605, st_mode=020666, st_nlink=2, st_uid=1000, st_gid=100, st_blksize=4096, st_blocks=8, st_rdev=0x103, ` + times + `}) = 0`},
			callCase{name: arch.String() + " not verbose", arch: arch, call: "fstat", args: []uint64{3, sb},
				mem:  fakeMem{sb: fullStat(arch, 0100640, 0)},
				want: `fstat(3, {st_mode=S_IFREG|0640, st_size=3, ...}) = 0`},
		)
	}
	cases = append(cases, callCase{name: "bad pointer", call: "fstat", args: []uint64{3, 0xdeadbeef}, verbose: true,
		want: `fstat(3, 0xdeadbeef) = 0`})
	runCallCases(t, cases)
}

// TestVerboseOthers: execve's lists, wait4's rusage and uname's
// utsname, whole with -v.
func TestVerboseOthers(t *testing.T) {
	const (
		path, argvA, envA, s1, s2, s3 = 0x400000, 0x401000, 0x402000, 0x403000, 0x403100, 0x403200
		st, ru, uts                   = 0x7ffe0000, 0x7ffe0100, 0x7ffe1000
	)
	// 40 environment strings: more than -s 32, which cuts the list only
	// without -v.
	env := make([]uint64, 41)
	for i := range 40 {
		env[i] = s3
	}
	mem := fakeMem{path: cstr("/bin/true"), argvA: words(s1, s2, 0), envA: words(env...),
		s1: cstr("true"), s2: cstr("one"), s3: cstr("A=1")}
	envList := "[" + strings.Repeat(`"A=1", `, 39) + `"A=1"]`
	rusage := words(0, 3931, 0, 7862, 964, 0, 0, 0, 67, 1, 0, 8, 16, 0, 0, 0, 65, 3)
	u := make([]byte, 6*65)
	for k, f := range []string{"Linux", "vm", "6.18.44", "#1 SMP", "x86_64", "(none)"} {
		copy(u[65*k:], f)
	}
	runCallCases(t, []callCase{
		{name: "execve", call: "execve", args: []uint64{path, argvA, envA}, mem: mem, verbose: true,
			want: `execve("/bin/true", ["true", "one"], ` + envList + `) = 0`},
		{name: "execve not verbose", call: "execve", args: []uint64{path, argvA, envA}, mem: mem,
			want: `execve("/bin/true", ["true", "one"], 0x402000 /* 40 vars */) = 0`},
		{name: "execve environment runs into a bad page", call: "execve", args: []uint64{path, argvA, 0x7fff0ff0},
			mem: fakeMem{path: cstr("/bin/true"), argvA: words(s1, 0), s1: cstr("true"), 0x7fff0ff0: words(s3, s3), s3: cstr("A=1")}, verbose: true,
			want: `execve("/bin/true", ["true"], ["A=1", "A=1", ... /* 0x7fff1000 */]) = 0`},
		{name: "execve NULL environment", call: "execve", args: []uint64{path, argvA, 0}, mem: mem, verbose: true,
			want: `execve("/bin/true", ["true", "one"], NULL) = 0`},
		{name: "wait4 rusage", call: "wait4", args: []uint64{4321, st, 0, ru}, mem: fakeMem{st: int32s(0), ru: rusage}, ret: 4321, verbose: true,
			want: `wait4(4321, [{WIFEXITED(s) && WEXITSTATUS(s) == 0}], 0, {ru_utime={tv_sec=0, tv_usec=3931}, ru_stime={tv_sec=0, tv_usec=7862}, ru_maxrss=964, ru_ixrss=0, ru_idrss=0, ru_isrss=0, ru_minflt=67, ru_majflt=1, ru_nswap=0, ru_inblock=8, ru_oublock=16, ru_msgsnd=0, ru_msgrcv=0, ru_nsignals=0, ru_nvcsw=65, ru_nivcsw=3}) = 4321`},
		{name: "wait4 rusage not verbose", call: "wait4", args: []uint64{4321, st, 0, ru}, mem: fakeMem{st: int32s(0), ru: rusage}, ret: 4321,
			want: `wait4(4321, [{WIFEXITED(s) && WEXITSTATUS(s) == 0}], 0, {ru_utime={tv_sec=0, tv_usec=3931}, ru_stime={tv_sec=0, tv_usec=7862}, ...}) = 4321`},
		{name: "wait4 rusage bad pointer", call: "wait4", args: []uint64{4321, st, 0, 0xdeadbeef}, mem: fakeMem{st: int32s(0)}, ret: 4321, verbose: true,
			want: `wait4(4321, [{WIFEXITED(s) && WEXITSTATUS(s) == 0}], 0, 0xdeadbeef) = 4321`},
		{name: "uname", call: "uname", args: []uint64{uts}, mem: fakeMem{uts: u}, verbose: true,
			want: `uname({sysname="Linux", nodename="vm", release="6.18.44", version="#1 SMP", machine="x86_64", domainname="(none)"}) = 0`},
		{name: "uname not verbose", call: "uname", args: []uint64{uts}, mem: fakeMem{uts: u},
			want: `uname({sysname="Linux", nodename="vm", ...}) = 0`},
	})
}

// TestVerboseStatx: with -v, struct statx prints every field strace
// 6.1 prints, the times, the mount id and the direct I/O alignments only
// where stx_mask has them; -X verbose prints statx's flags in two parts,
// as strace does.
func TestVerboseStatx(t *testing.T) {
	const path, buf = 0x402000, 0x7ffe0000
	sx := func(mask uint32) []byte {
		b := make([]byte, statxSize)
		le.PutUint32(b[0:], mask)
		le.PutUint32(b[4:], 4096)
		le.PutUint32(b[16:], 1)
		le.PutUint32(b[20:], 1000)
		le.PutUint32(b[24:], 100)
		le.PutUint16(b[28:], 0100600)
		le.PutUint64(b[32:], 10256659)
		le.PutUint64(b[40:], 3)
		le.PutUint64(b[48:], 8)
		le.PutUint64(b[56:], 0x2000)
		for k := range 4 {
			le.PutUint64(b[64+16*k:], uint64(1796079648+k))
			le.PutUint32(b[64+16*k+8:], uint32(k))
		}
		le.PutUint32(b[136:], 254)
		le.PutUint64(b[144:], 0x1a)
		le.PutUint32(b[152:], 512)
		le.PutUint32(b[156:], 4)
		return b
	}
	ts := func(name string, k int) string {
		return fmt.Sprintf(", %s={tv_sec=%d, tv_nsec=%d} /* %s */", name, 1796079648+k, k, date(int64(1796079648+k), k))
	}
	head := `statx(AT_FDCWD, "f", AT_STATX_SYNC_AS_STAT|AT_SYMLINK_NOFOLLOW, `
	fields := `stx_blksize=4096, stx_attributes=0, stx_nlink=1, stx_uid=1000, stx_gid=100, stx_mode=S_IFREG|0600, stx_ino=10256659, stx_size=3, stx_blocks=8, stx_attributes_mask=STATX_ATTR_MOUNT_ROOT`
	devs := `, stx_rdev_major=0, stx_rdev_minor=0, stx_dev_major=254, stx_dev_minor=0`
	mem := func(mask uint32) fakeMem { return fakeMem{path: cstr("f"), buf: sx(mask)} }
	runCallCases(t, []callCase{
		{name: "all", call: "statx", args: []uint64{neg(-100), path, 0x100, 0x2fff, buf}, mem: mem(0x3fff), verbose: true,
			want: head + `STATX_ALL|STATX_DIOALIGN, {stx_mask=STATX_ALL|STATX_MNT_ID|STATX_DIOALIGN, ` + fields +
				ts("stx_atime", 0) + ts("stx_btime", 1) + ts("stx_ctime", 2) + ts("stx_mtime", 3) + devs +
				`, stx_mnt_id=0x1a, stx_dio_mem_align=512, stx_dio_offset_align=4}) = 0`},
		{name: "what the kernel filled", call: "statx", args: []uint64{neg(-100), path, 0x100, 0x2, buf}, mem: mem(0x2f), verbose: true,
			want: head + `STATX_MODE, {stx_mask=STATX_TYPE|STATX_MODE|STATX_NLINK|STATX_UID|STATX_ATIME, ` + fields +
				ts("stx_atime", 0) + devs + `}) = 0`},
		{name: "not verbose", call: "statx", args: []uint64{neg(-100), path, 0x100, 0x2, buf}, mem: mem(0x2f),
			want: head + `STATX_MODE, {stx_mask=STATX_TYPE|STATX_MODE|STATX_NLINK|STATX_UID|STATX_ATIME, stx_attributes=0, stx_mode=S_IFREG|0600, stx_size=3, ...}) = 0`},
		{name: "flags -X verbose", call: "statx", args: []uint64{neg(-100), path, 0x100, 0x2, 0xdeadbeef}, mem: mem(0x2f), xlat: XlatVerbose, ret: eFAULT,
			want: `statx(-100 /* AT_FDCWD */, "f", 0 /* AT_STATX_SYNC_AS_STAT */|0x100 /* AT_SYMLINK_NOFOLLOW */, 0x2 /* STATX_MODE */, 0xdeadbeef) = -1 EFAULT (Bad address)`},
		// strace 6.1 -X raw prints the sync type, then "|" and the AT_
		// flags, each only when it is not zero: "0x4000|0x900", "|0x900",
		// "0x4000", and nothing at all for 0.
		{name: "flags -X raw", call: "statx", args: []uint64{neg(-100), path, 0x4100, 0x2, 0xdeadbeef}, mem: mem(0x2f), xlat: XlatRaw, ret: eFAULT,
			want: `statx(-100, "f", 0x4000|0x100, 0x2, 0xdeadbeef) = -1 EFAULT (Bad address)`},
		{name: "flags -X raw, sync type zero", call: "statx", args: []uint64{neg(-100), path, 0x900, 0x7ff, 0xdeadbeef}, mem: mem(0x2f), xlat: XlatRaw, ret: eFAULT,
			want: `statx(-100, "f", |0x900, 0x7ff, 0xdeadbeef) = -1 EFAULT (Bad address)`},
		{name: "flags -X raw, sync type only", call: "statx", args: []uint64{neg(-100), path, 0x4000, 0x7ff, 0xdeadbeef}, mem: mem(0x2f), xlat: XlatRaw, ret: eFAULT,
			want: `statx(-100, "f", 0x4000, 0x7ff, 0xdeadbeef) = -1 EFAULT (Bad address)`},
		{name: "flags -X raw, zero", call: "statx", args: []uint64{neg(-100), path, 0, 0x7ff, 0xdeadbeef}, mem: mem(0x2f), xlat: XlatRaw, ret: eFAULT,
			want: `statx(-100, "f", , 0x7ff, 0xdeadbeef) = -1 EFAULT (Bad address)`},
	})
}

// TestVerboseTermios: with -v, a termios ends with c_line and c_cc, as
// strace -v printed stty's TCGETS on a pty; a termios2 adds its speeds,
// a termio has 8 slots; a bad pointer is its address.
func TestVerboseTermios(t *testing.T) {
	const arg = 0x7ffd59d4cb70
	cc := []byte{0x3, 0x1c, 0x7f, 0x15, 0x4, 0, 0x1, 0, 0x11, 0x13, 0x1a, 0, 0x12, 0xf, 0x17, 0x16, 0, 0, 0}
	tios := append(append(int32s(0x500, 0x5, 0xbf, 0x8a3b), 0), cc...)
	tios2 := append(append([]byte{}, tios...), int32s(38400, 9600)...)
	tio := append(append([]byte{0, 5, 5, 0, 0xbf, 0, 0x3b, 0x8a}, 0x40), cc[:8]...)
	tio = append(tio, 0)
	flags := `{c_iflag=ICRNL|IXON, c_oflag=NL0|CR0|TAB0|BS0|VT0|FF0|OPOST|ONLCR, c_cflag=B38400|CS8|CREAD, c_lflag=ISIG|ICANON|ECHO|ECHOE|ECHOK|IEXTEN|ECHOCTL|ECHOKE`
	ccText := `[[VINTR]=0x3, [VQUIT]=0x1c, [VERASE]=0x7f, [VKILL]=0x15, [VEOF]=0x4, [VTIME]=0, [VMIN]=0x1, [VSWTC]=0`
	ccRest := `, [VSTART]=0x11, [VSTOP]=0x13, [VSUSP]=0x1a, [VEOL]=0, [VREPRINT]=0x12, [VDISCARD]=0xf, [VWERASE]=0x17, [VLNEXT]=0x16, [VEOL2]=0, [17]=0, [18]=0]`
	runCallCases(t, []callCase{
		{name: "TCGETS", call: "ioctl", args: []uint64{0, 0x5401, arg}, mem: fakeMem{arg: tios}, verbose: true,
			want: `ioctl(0, TCGETS, ` + flags + `, c_line=N_TTY, c_cc=` + ccText + ccRest + `}) = 0`},
		{name: "TCGETS not verbose", call: "ioctl", args: []uint64{0, 0x5401, arg}, mem: fakeMem{arg: tios},
			want: `ioctl(0, TCGETS, ` + flags + `, ...}) = 0`},
		{name: "TCGETS2", call: "ioctl", args: []uint64{0, 0x802c542a, arg}, mem: fakeMem{arg: tios2}, verbose: true,
			want: `ioctl(0, TCGETS2, ` + flags + `, c_line=N_TTY, c_cc=` + ccText + ccRest + `, c_ispeed=38400, c_ospeed=9600}) = 0`},
		{name: "TCGETA, an unknown line discipline", call: "ioctl", args: []uint64{0, 0x5405, arg}, mem: fakeMem{arg: tio}, verbose: true,
			want: `ioctl(0, TCGETA, ` + flags + `, c_line=0x40 /* N_??? */, c_cc=` + ccText + `]}) = 0`},
		{name: "TCGETS bad pointer", call: "ioctl", args: []uint64{0, 0x5401, 0xdeadbeef}, verbose: true,
			want: `ioctl(0, TCGETS, 0xdeadbeef) = 0`},
	})
}

// dirent64 lays out one struct linux_dirent64 of reclen bytes.
func dirent64(ino, off uint64, reclen uint16, typ byte, name string) []byte {
	b := make([]byte, max(int(reclen), dirent64Header+len(name)+1))
	le.PutUint64(b, ino)
	le.PutUint64(b[8:], off)
	le.PutUint16(b[16:], reclen)
	b[18] = typ
	copy(b[19:], name)
	return b[:reclen]
}

// TestVerboseGetdents64: with -v, getdents64 prints the entries the
// kernel wrote, as strace's xgetdents walks them: ls's two entries (as
// strace -v printed them), none, and the cases it comments on.
func TestVerboseGetdents64(t *testing.T) {
	const buf = 0x5558107af2a0
	two := append(dirent64(10257717, 6357504699377170974, 24, 4, "."), dirent64(10248609, 9223372036854775807, 24, 4, "..")...)
	one := dirent64(1, 2, 24, 8, "a")
	over := append(dirent64(1, 2, 24, 8, "a"), 0)
	le.PutUint16(over[16:], 40)
	under := append(dirent64(1, 2, 24, 8, "a"), make([]byte, 8)...)
	le.PutUint16(under[16:], 8)
	runCallCases(t, []callCase{
		{name: "two entries", call: "getdents64", args: []uint64{3, buf, 32768}, mem: fakeMem{buf: two}, ret: 48, verbose: true,
			want: `getdents64(3, [{d_ino=10257717, d_off=6357504699377170974, d_reclen=24, d_type=DT_DIR, d_name="."}, {d_ino=10248609, d_off=9223372036854775807, d_reclen=24, d_type=DT_DIR, d_name=".."}], 32768) = 48`},
		{name: "two entries, not verbose", call: "getdents64", args: []uint64{3, buf, 32768}, mem: fakeMem{buf: two}, ret: 48,
			want: `getdents64(3, 0x5558107af2a0 /* 2 entries */, 32768) = 48`},
		{name: "none", call: "getdents64", args: []uint64{3, buf, 32768}, ret: 0, verbose: true,
			want: `getdents64(3, [], 32768) = 0`},
		{name: "raw type", call: "getdents64", args: []uint64{3, buf, 32768}, mem: fakeMem{buf: one}, ret: 24, verbose: true, xlat: XlatRaw,
			want: `getdents64(3, [{d_ino=1, d_off=2, d_reclen=24, d_type=0x8, d_name="a"}], 32768) = 24`},
		{name: "d_reclen past the end", call: "getdents64", args: []uint64{3, buf, 32768}, mem: fakeMem{buf: over}, ret: 25, verbose: true,
			want: `getdents64(3, [{d_ino=1, d_off=2, d_reclen=40 /* 15 bytes overflow */, d_type=DT_REG, d_name="a"}], 32768) = 25`},
		{name: "d_reclen short of the header", call: "getdents64", args: []uint64{3, buf, 32768}, mem: fakeMem{buf: under}, ret: 32, verbose: true,
			want: `getdents64(3, [{d_ino=1, d_off=2, d_reclen=8 /* 11 bytes underflow */, d_type=DT_REG}], 32768) = 32`},
		{name: "bytes left over", call: "getdents64", args: []uint64{3, buf, 32768}, mem: fakeMem{buf: append(one, 1, 2, 3, 4)}, ret: 28, verbose: true,
			want: `getdents64(3, [{d_ino=1, d_off=2, d_reclen=24, d_type=DT_REG, d_name="a"}, "\x01\x02\x03\x04"], 32768) = 28`},
		{name: "the second entry unreadable", call: "getdents64", args: []uint64{3, buf, 32768}, mem: fakeMem{buf: one}, ret: 48, verbose: true,
			want: `getdents64(3, [{d_ino=1, d_off=2, d_reclen=24, d_type=DT_REG, d_name="a"}, ... /* 0x5558107af2b8 */], 32768) = 48`},
		{name: "unreadable", call: "getdents64", args: []uint64{3, 0xdeadbeef, 32768}, ret: 48, verbose: true,
			want: `getdents64(3, 0xdeadbeef, 32768) = 48`},
		{name: "failed", call: "getdents64", args: []uint64{3, buf, 32768}, mem: fakeMem{buf: one}, ret: eFAULT, verbose: true,
			want: `getdents64(3, 0x5558107af2a0, 32768) = -1 EFAULT (Bad address)`},
	})
}

// TestXlatSockets: socket's type and flags each in the style, the
// protocol by family, the address's family, port and address (the
// bytes with -X raw), fcntl's FD_CLOEXEC and seals, as strace 6.1
// printed them.
func TestXlatSockets(t *testing.T) {
	const sa, un = 0x7ffe0000, 0x7ffe0100
	inet := []byte{2, 0, 0, 9, 0x7f, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0}
	unixAddr := make([]byte, 110)
	unixAddr[0] = 1
	copy(unixAddr[2:], "/nonexistent/x")
	mem := fakeMem{sa: inet, un: unixAddr}
	var cases []callCase
	for _, c := range []struct {
		name, call           string
		args                 []uint64
		ret                  int64
		abbrev, raw, verbose string
	}{
		{"socket", "socket", []uint64{2, 0x80001, 0}, 3,
			`socket(AF_INET, SOCK_STREAM|SOCK_CLOEXEC, IPPROTO_IP) = 3`,
			`socket(0x2, 0x1|0x80000, 0) = 3`,
			`socket(0x2 /* AF_INET */, 0x1 /* SOCK_STREAM */|0x80000 /* SOCK_CLOEXEC */, 0 /* IPPROTO_IP */) = 3`},
		{"socket unknown type", "socket", []uint64{2, 7, 0}, -94,
			`socket(AF_INET, 0x7 /* SOCK_??? */, IPPROTO_IP) = -1 ESOCKTNOSUPPORT (Socket type not supported)`,
			`socket(0x2, 0x7, 0) = -1 ESOCKTNOSUPPORT (Socket type not supported)`,
			`socket(0x2 /* AF_INET */, 0x7 /* SOCK_??? */, 0 /* IPPROTO_IP */) = -1 ESOCKTNOSUPPORT (Socket type not supported)`},
		{"unix socket", "socket", []uint64{1, 2, 0}, 4,
			`socket(AF_UNIX, SOCK_DGRAM, 0) = 4`, `socket(0x1, 0x2, 0) = 4`, `socket(0x1 /* AF_UNIX */, 0x2 /* SOCK_DGRAM */, 0) = 4`},
		{"connect inet", "connect", []uint64{3, sa, 16}, -111,
			`connect(3, {sa_family=AF_INET, sin_port=htons(9), sin_addr=inet_addr("127.0.0.1")}, 16) = -1 ECONNREFUSED (Connection refused)`,
			`connect(3, {sa_family=0x2, sin_port="\x00\x09", sin_addr="\x7f\x00\x00\x01"}, 16) = -1 ECONNREFUSED (Connection refused)`,
			`connect(3, {sa_family=0x2 /* AF_INET */, sin_port="\x00\x09" /* htons(9) */, sin_addr="\x7f\x00\x00\x01" /* inet_addr("127.0.0.1") */}, 16) = -1 ECONNREFUSED (Connection refused)`},
		{"connect unix", "connect", []uint64{4, un, 110}, -2,
			`connect(4, {sa_family=AF_UNIX, sun_path="/nonexistent/x"}, 110) = -1 ENOENT (No such file or directory)`,
			`connect(4, {sa_family=0x1, sun_path="/nonexistent/x"}, 110) = -1 ENOENT (No such file or directory)`,
			`connect(4, {sa_family=0x1 /* AF_UNIX */, sun_path="/nonexistent/x"}, 110) = -1 ENOENT (No such file or directory)`},
		{"connect bad pointer", "connect", []uint64{4, 0xdeadbeef, 16}, -14,
			`connect(4, 0xdeadbeef, 16) = -1 EFAULT (Bad address)`,
			`connect(4, 0xdeadbeef, 16) = -1 EFAULT (Bad address)`,
			`connect(4, 0xdeadbeef, 16) = -1 EFAULT (Bad address)`},
		{"F_GETFD", "fcntl", []uint64{3, 1}, 1,
			`fcntl(3, F_GETFD) = 0x1 (flags FD_CLOEXEC)`, `fcntl(3, 0x1) = 0x1 (flags 0x1)`,
			`fcntl(3, 0x1 /* F_GETFD */) = 0x1 (flags 0x1 /* FD_CLOEXEC */)`},
		{"F_GET_SEALS", "fcntl", []uint64{4, 0x40a}, 2,
			`fcntl(4, F_GET_SEALS) = 0x2 (seals F_SEAL_SHRINK)`, `fcntl(4, 0x40a) = 0x2 (seals 0x2)`,
			`fcntl(4, 0x40a /* F_GET_SEALS */) = 0x2 (seals 0x2 /* F_SEAL_SHRINK */)`},
		{"F_GETFL", "fcntl", []uint64{3, 3}, 0x8000,
			`fcntl(3, F_GETFL) = 0x8000 (flags O_RDONLY|O_LARGEFILE)`, `fcntl(3, 0x3) = 0x8000 (flags O_RDONLY|O_LARGEFILE)`,
			`fcntl(3, 0x3 /* F_GETFL */) = 0x8000 (flags O_RDONLY|O_LARGEFILE)`},
	} {
		for _, x := range []struct {
			x    Xlat
			want string
		}{{XlatAbbrev, c.abbrev}, {XlatRaw, c.raw}, {XlatVerbose, c.verbose}} {
			cases = append(cases, callCase{name: c.name + " " + XlatStyles[x.x], call: c.call, args: c.args,
				mem: mem, ret: c.ret, xlat: x.x, want: x.want})
		}
	}
	runCallCases(t, cases)
}
