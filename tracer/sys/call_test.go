package sys

import (
	"strings"
	"syscall"
	"testing"
)

// TestCallLifecycle follows calls through NewCall, Enter and Exit as the
// tracer makes them, numbered as each ABI numbers them.
func TestCallLifecycle(t *testing.T) {
	const p = 0x4000
	mem := fakeMem{p: cstr("/etc/hostname")}
	tests := []struct {
		name      string
		arch      Arch
		call      string
		args      [6]uint64
		ret       int64
		entry     string // ArgsText joined by "|" after Enter
		want      string // String after Exit
		errno     syscall.Errno
		resultTxt string
	}{
		{
			name: "amd64 open", arch: AMD64, call: "open", args: [6]uint64{p, 0},
			ret: 3, entry: `"/etc/hostname"|O_RDONLY`, want: `open("/etc/hostname", O_RDONLY) = 3`, resultTxt: "3",
		},
		{
			name: "arm64 openat", arch: ARM64, call: "openat", args: [6]uint64{neg(-100), p, 0},
			ret: eNOENT, entry: `AT_FDCWD|"/etc/hostname"|O_RDONLY`,
			want:  `openat(AT_FDCWD, "/etc/hostname", O_RDONLY) = -1 ENOENT (No such file or directory)`,
			errno: syscall.ENOENT, resultTxt: "-1 ENOENT (No such file or directory)",
		},
		{
			name: "arm64 fstat", arch: ARM64, call: "fstat", args: [6]uint64{3, 0x8000},
			ret: eBADF, entry: `3|`,
			want:  `fstat(3, 0x8000) = -1 EBADF (Bad file descriptor)`,
			errno: syscall.EBADF, resultTxt: "-1 EBADF (Bad file descriptor)",
		},
		{
			name: "amd64 mmap", arch: AMD64, call: "mmap", args: [6]uint64{0, 4096, 3, 0x22, neg(-1), 0},
			ret: 0x7f0000000000, entry: `NULL|4096|PROT_READ|PROT_WRITE|MAP_PRIVATE|MAP_ANONYMOUS|-1|0`,
			want: `mmap(NULL, 4096, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7f0000000000`, resultTxt: "0x7f0000000000",
		},
		{
			name: "restart", arch: AMD64, call: "read", args: [6]uint64{0, 0x9000, 10},
			ret: -512, entry: `0||`,
			want:  `read(0, 0x9000, 10) = ? ERESTARTSYS (To be restarted if SA_RESTART is set)`,
			errno: 512, resultTxt: "? ERESTARTSYS (To be restarted if SA_RESTART is set)",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			nr, ok := Number(tc.arch, tc.call)
			if !ok {
				t.Fatalf("%v has no %s", tc.arch, tc.call)
			}
			c := NewCall(tc.arch, nr, tc.args)
			if c.Name != tc.call || c.Nr != nr || c.Arch != tc.arch {
				t.Fatalf("NewCall = %+v", c)
			}
			c.Enter(mem, nil)
			if got := strings.Join(c.ArgsText(), "|"); got != tc.entry {
				t.Errorf("after Enter: %q, want %q", got, tc.entry)
			}
			if c.Done || c.ResultText() != "?" || c.Errno() != 0 {
				t.Errorf("before Exit: Done %v, ResultText %q, Errno %v", c.Done, c.ResultText(), c.Errno())
			}
			c.Exit(mem, tc.ret, &Options{})
			if !c.Done || c.Ret != tc.ret {
				t.Errorf("after Exit: Done %v, Ret %d", c.Done, c.Ret)
			}
			if got := c.String(); got != tc.want {
				t.Errorf("String = %s, want %s", got, tc.want)
			}
			if got := c.ResultText(); got != tc.resultTxt {
				t.Errorf("ResultText = %q, want %q", got, tc.resultTxt)
			}
			if got := c.Errno(); got != tc.errno {
				t.Errorf("Errno = %v, want %v", got, tc.errno)
			}
		})
	}
}

// TestStringLimitOption checks Options.StringLimit reaches the decoders,
// with zero and negative meaning strace's default of 32.
func TestStringLimitOption(t *testing.T) {
	const p = 0x4000
	mem := fakeMem{p: []byte(strings.Repeat("x", 100))}
	for _, tc := range []struct {
		opt  *Options
		want int
	}{{nil, 32}, {&Options{}, 32}, {&Options{StringLimit: -5}, 32}, {&Options{StringLimit: 4}, 4}, {&Options{StringLimit: 64}, 64}} {
		c := &Call{Arch: AMD64, Name: "write", Args: [6]uint64{1, p, 100}}
		c.Enter(mem, tc.opt)
		c.Exit(mem, 100, tc.opt)
		want := `"` + strings.Repeat("x", tc.want) + `"...`
		if got := c.ArgsText()[1]; got != want {
			t.Errorf("limit %+v: %s, want %s", tc.opt, got, want)
		}
	}
}

// TestErrnoRange checks which returns are errors: -1 to -4095 only. An
// address above that (mmap can return one near the top on some ABIs) is
// not.
func TestErrnoRange(t *testing.T) {
	for _, tc := range []struct {
		ret  int64
		want syscall.Errno
	}{{-1, 1}, {-4095, 4095}, {-4096, 0}, {0, 0}, {5, 0}} {
		c := &Call{Arch: AMD64, Name: "close"}
		c.Exit(nil, tc.ret, nil)
		if got := c.Errno(); got != tc.want {
			t.Errorf("ret %d: Errno %d, want %d", tc.ret, got, tc.want)
		}
	}
	c := &Call{Arch: AMD64, Name: "mmap"}
	c.Exit(nil, -4096, nil)
	if got, want := c.ResultText(), "0xfffffffffffff000"; got != want {
		t.Errorf("mmap returning -4096: %s, want %s", got, want)
	}
}

// TestSplitLines checks the two halves strace prints when another thread's
// line comes between a call's entry and its exit. The lines are strace
// 6.1's, from tracing programs that fork.
func TestSplitLines(t *testing.T) {
	const (
		st   = 0x7ffcb3033b58
		si   = 0x7ffcb3033a40
		ptid = 0x7ffe2f55084c
		ca   = 0x7fff1c10f600
	)
	siginfo := make([]byte, siginfoSize)
	copy(siginfo, int32s(17, 0, 2, 0, 9560, 0, 9))
	cargs := make([]byte, cloneArgsSize)
	copy(cargs, words(0x1101000, 0x7fff1c10f5fc, 0x7fff1c10f658, ptid, 17))
	cgroup := make([]byte, cloneArgsSize)
	copy(cgroup, words(0x200000000, 0, 0, 0, 17, 0x5000, 0x1000, 0, 0, 0, 7))
	tests := []struct {
		name    string
		call    string
		args    []uint64
		mem     fakeMem
		ret     int64
		entered string
		resumed string
	}{
		{"wait4", "wait4", []uint64{9557, st, 0, 0}, fakeMem{st: int32s(0)}, 9557,
			`wait4(9557,  <unfinished ...>`,
			`<... wait4 resumed>[{WIFEXITED(s) && WEXITSTATUS(s) == 0}], 0, NULL) = 9557`},
		{"vfork", "vfork", nil, nil, 9558,
			`vfork( <unfinished ...>`,
			`<... vfork resumed>) = 9558`},
		{"clone at entry", "clone", []uint64{0x4111}, nil, 9564,
			`clone(child_stack=NULL, flags=CLONE_VM|CLONE_VFORK|SIGCHLD <unfinished ...>`,
			`<... clone resumed>) = 9564`},
		{"clone at exit", "clone", []uint64{0x580000, 0x1000, ptid, 0x2000, 0x3000}, fakeMem{ptid: int32s(15581)}, 15581,
			`clone(child_stack=0x1000, flags=CLONE_SETTLS|CLONE_PARENT_SETTID|0x400000 <unfinished ...>`,
			`<... clone resumed>, parent_tid=[15581], tls=0x3000) = 15581`},
		{"clone fork", "clone", []uint64{0x1200011, 0, 0, 0x7ff8844c3a10}, nil, 15583,
			`clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD <unfinished ...>`,
			`<... clone resumed>, child_tidptr=0x7ff8844c3a10) = 15583`},
		{"clone3 at exit", "clone3", []uint64{ca, 64}, fakeMem{ca: cargs[:64], 0x7fff1c10f5fc: int32s(3), ptid: int32s(25265)}, 25265,
			`clone3({flags=CLONE_PIDFD|CLONE_PARENT_SETTID|CLONE_CHILD_SETTID, pidfd=0x7fff1c10f5fc, child_tid=0x7fff1c10f658, parent_tid=0x7ffe2f55084c, exit_signal=SIGCHLD, stack=NULL, stack_size=0} <unfinished ...>`,
			`<... clone3 resumed> => {pidfd=[3], parent_tid=[25265]}, 64) = 25265`},
		{"clone3 at entry", "clone3", []uint64{ca, 88}, fakeMem{ca: cgroup}, eBADF,
			`clone3({flags=CLONE_INTO_CGROUP, exit_signal=SIGCHLD, stack=0x5000, stack_size=0x1000, cgroup=7}, 88 <unfinished ...>`,
			`<... clone3 resumed>) = -1 EBADF (Bad file descriptor)`},
		{"waitid", "waitid", []uint64{1, 9560, si, 0x1000004, 0}, fakeMem{si: siginfo}, 0,
			`waitid(P_PID, 9560,  <unfinished ...>`,
			`<... waitid resumed>{si_signo=SIGCHLD, si_code=CLD_KILLED, si_pid=9560, si_uid=0, si_status=SIGKILL, si_utime=0, si_stime=0}, WEXITED|WNOWAIT, NULL) = 0`},
		{"openat", "openat", []uint64{neg(-100), 0x1000, 01102, 0600}, fakeMem{0x1000: cstr("/tmp/st/empty")}, 3,
			`openat(AT_FDCWD, "/tmp/st/empty", O_RDWR|O_CREAT|O_TRUNC, 0600 <unfinished ...>`,
			`<... openat resumed>) = 3`},
		{"rt_sigaction", "rt_sigaction", []uint64{6, 0x1000, 0x2000, 8}, fakeMem{0x1000: words(0, 0x14000000, 0x7f0d7bcc4050, 1<<5), 0x2000: words(0, 0, 0, 0)}, 0,
			`rt_sigaction(SIGABRT, {sa_handler=SIG_DFL, sa_mask=[ABRT], sa_flags=SA_RESTORER|SA_RESTART, sa_restorer=0x7f0d7bcc4050},  <unfinished ...>`,
			`<... rt_sigaction resumed>{sa_handler=SIG_DFL, sa_mask=[], sa_flags=0}, 8) = 0`},
		{"kill", "kill", []uint64{19201, 9}, nil, 0,
			`kill(19201, SIGKILL <unfinished ...>`,
			`<... kill resumed>) = 0`},
		{"pause", "pause", nil, nil, -514,
			`pause( <unfinished ...>`,
			`<... pause resumed>) = ? ERESTARTNOHAND (To be restarted if no handler)`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.mem.mustNotOverlap()
			c := &Call{Arch: AMD64, Name: tc.call}
			copy(c.Args[:], tc.args)
			c.Enter(tc.mem, nil)
			if got := c.EnteredText() + " <unfinished ...>"; got != tc.entered {
				t.Errorf("entered\n  %s\nwant\n  %s", got, tc.entered)
			}
			c.Exit(tc.mem, tc.ret, nil)
			if got := "<... " + c.Name + " resumed>" + c.ResumedText() + ") = " + c.ResultText(); got != tc.resumed {
				t.Errorf("resumed\n  %s\nwant\n  %s", got, tc.resumed)
			}
		})
	}
}

// TestDecodeAllocs: decoding a call allocates the Call and the strings it
// formats, nothing more: close(3) = 0 and a failing close(-1), whose texts
// need no new string, allocate only the Call.
func TestDecodeAllocs(t *testing.T) {
	nr, _ := Number(HostArch(), "close")
	opt := &Options{}
	for _, fd := range []uint64{3, ^uint64(0)} {
		ret := int64(0)
		if fd != 3 {
			ret = -int64(syscall.EBADF)
		}
		allocs := testing.AllocsPerRun(100, func() {
			c := NewCall(HostArch(), nr, [6]uint64{fd})
			c.Enter(nil, opt)
			c.Exit(nil, ret, opt)
		})
		if allocs != 1 {
			t.Errorf("close(%d): %.1f allocations, want 1 (the Call)", int32(fd), allocs)
		}
	}
}

func TestCallResult(t *testing.T) {
	for name, want := range map[string]Ret{
		"mmap": RetAddr, "brk": RetAddr, "openat": RetFD, "dup2": RetFD, "fork": RetPID,
		"wait4": RetPID, "exit_group": RetNone, "close": RetInt, "getuid": RetInt,
	} {
		nr, ok := Number(HostArch(), name)
		if !ok {
			continue
		}
		if got := NewCall(HostArch(), nr, [6]uint64{}).Result(); got != want {
			t.Errorf("%s: Result() = %d, want %d", name, got, want)
		}
	}
}
