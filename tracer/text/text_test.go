package text_test

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/mmtrace/mmtrace/tracer"
	"github.com/mmtrace/mmtrace/tracer/explain"
	"github.com/mmtrace/mmtrace/tracer/sys"
	"github.com/mmtrace/mmtrace/tracer/text"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// Addresses in the fake tracee memory.
const (
	pathAddr   = 0x1000
	statusAddr = 0x2000
	bufAddr    = 0x3000
)

// fakeMem is a tracee's memory: a few byte strings at fixed addresses.
type fakeMem map[uint64][]byte

func (m fakeMem) Read(addr uint64, p []byte) (int, error) {
	for base, b := range m {
		if addr >= base && addr < base+uint64(len(b)) {
			return copy(p, b[addr-base:]), nil
		}
	}
	return 0, syscall.EFAULT
}

var mem = fakeMem{
	pathAddr:   []byte("/tmp/ipc.dat\x00"),
	statusAddr: {0, 0, 0, 0}, // WIFEXITED, exit code 0
}

// script makes a trace event by event and renders each as the tracer
// delivers it: a Call changes from its entry to its exit, and the renderer
// sees it at both.
type script struct {
	t      *testing.T
	now    time.Duration
	inCall map[int]*sys.Call
	out    bytes.Buffer
	r      *text.Renderer
}

func newScript(t *testing.T, opt text.Options) *script {
	s := &script{t: t, inCall: map[int]*sys.Call{}}
	s.r = text.NewWithOptions(&s.out, opt)
	return s
}

// at sets the time of the next events, in milliseconds.
func (s *script) at(ms float64) *script {
	s.now = time.Duration(ms * float64(time.Millisecond))
	return s
}

func (s *script) add(e tracer.Event) *script {
	e.Time = s.now
	s.r.Event(&e)
	s.r.Flush() // as the tracer does whenever it waits
	return s
}

// timeline ends the trace (with Close if close) and returns the text.
func (s *script) timeline(close bool) string {
	if close {
		s.r.Close()
	}
	s.r.Flush()
	return s.out.String()
}

// enter starts call name in tid of process pid.
func (s *script) enter(pid, tid int, name string, args ...uint64) *script {
	s.t.Helper()
	nr, ok := sys.Number(sys.AMD64, name)
	if !ok {
		s.t.Fatalf("no syscall %s", name)
	}
	var a [6]uint64
	copy(a[:], args)
	c := sys.NewCall(sys.AMD64, nr, a)
	c.Enter(mem, nil)
	s.inCall[tid] = c
	return s.add(tracer.Event{Kind: tracer.CallEnter, Pid: pid, Tid: tid, Call: c})
}

// exit returns from tid's call with ret.
func (s *script) exit(pid, tid int, ret int64) *script {
	s.t.Helper()
	c := s.inCall[tid]
	if c == nil {
		s.t.Fatalf("tid %d is in no call", tid)
	}
	delete(s.inCall, tid)
	c.Exit(mem, ret, nil)
	return s.add(tracer.Event{Kind: tracer.CallExit, Pid: pid, Tid: tid, Call: c})
}

// call is enter and exit at the same time.
func (s *script) call(pid, tid int, ret int64, name string, args ...uint64) *script {
	s.t.Helper()
	return s.enter(pid, tid, name, args...).exit(pid, tid, ret)
}

// poll is the notes' waitpid(-1, NULL, WNOHANG), as wait4 with a status
// pointer, returning ret.
func (s *script) poll(pid int, ret int64) *script {
	s.t.Helper()
	return s.call(pid, pid, ret, "wait4", neg(-1), statusAddr, 1 /* WNOHANG */, 0)
}

// polls makes n polls returning 0, one every step milliseconds from now.
func (s *script) polls(pid, n int, step float64) *script {
	s.t.Helper()
	start := float64(s.now) / float64(time.Millisecond)
	for i := range n {
		s.at(start+float64(i)*step).poll(pid, 0)
	}
	return s
}

func (s *script) exited(pid, tid, code int) *script {
	e := tracer.Event{Kind: tracer.Exit, Pid: pid, Tid: tid, ExitCode: code, Leader: pid == tid}
	if c := s.inCall[tid]; c != nil {
		e.Call = c
		delete(s.inCall, tid)
	}
	return s.add(e)
}

func neg(v int64) uint64 { return uint64(v) }

func TestRenderer(t *testing.T) {
	const (
		P  = 100 // the parent
		C  = 101 // a child
		T2 = 102 // a second thread of the child
	)
	tests := []struct {
		name   string
		script func(s *script)
		opt    text.Options
		close  bool
		// want are substrings the timeline must hold, besides the golden.
		want []string
		// lines is the timeline's line count, when it matters.
		lines int
	}{
		{
			name: "plain",
			script: func(s *script) {
				s.at(1).call(P, P, 3, "openat", neg(-100), pathAddr, 2|0o100, 0o664)
				s.at(2).call(P, P, 0, "ftruncate", 3, 28)
				s.at(3).call(P, P, 0x7f0000000000, "mmap", 0, 28, 3, 1, 3, 0)
				s.at(4).call(P, P, 0, "close", 3)
			},
			want: []string{
				`openat(AT_FDCWD, "/tmp/ipc.dat", O_RDWR|O_CREAT, 0664) = 3`,
				`mmap(NULL, 28, PROT_READ|PROT_WRITE, MAP_SHARED, 3, 0) = 0x7f0000000000`,
			},
			lines: 4,
		},
		{
			name: "unfinished and resumed",
			script: func(s *script) {
				s.at(1).enter(P, P, "wait4", neg(-1), statusAddr, 0, 0)
				s.at(2).call(C, C, 0, "munmap", 0x7f0000000000, 28)
				s.at(3).enter(C, C, "exit_group", 0)
				s.exited(C, C, 0)
				s.at(4).exit(P, P, C)
			},
			want: []string{
				"100      0.001000 wait4(-1,  <unfinished ...>\n",
				"101      0.003000 exit_group(0) = ?\n",
				"101      0.003000 +++ exited with 0 +++\n",
				"100      0.004000 <... wait4 resumed>[{WIFEXITED(s) && WEXITSTATUS(s) == 0}], 0, NULL) = 101\n",
			},
			lines: 5,
		},
		{
			name: "two threads in calls",
			script: func(s *script) {
				s.at(1).enter(C, C, "read", 3, bufAddr, 28)
				s.at(2).enter(C, T2, "close", 4)
				s.at(3).exit(C, T2, 0)
				s.at(4).exit(C, C, 0)
			},
			want: []string{
				"101      0.001000 read(3,  <unfinished ...>\n" +
					"102      0.002000 close(4) = 0\n" +
					"101      0.004000 <... read resumed>\"\", 28) = 0\n",
			},
			lines: 3,
		},
		{
			name: "a folded thread's calls do not split another's",
			script: func(s *script) {
				s.at(1).polls(P, 2, 1)
				s.at(3).enter(C, C, "munmap", 0x7f0000000000, 28)
				s.at(4).polls(P, 5, 1)
				s.at(9).exit(C, C, 0)
				s.at(10).poll(P, C)
			},
			want: []string{
				"101      0.003000 munmap(0x7f0000000000, 28) = 0\n",
				"(repeated 6 more times over 7.00 ms)\n",
			},
			lines: 4,
		},
		{
			name: "killed inside a call",
			script: func(s *script) {
				s.at(1).enter(C, C, "read", 3, bufAddr, 28)
				s.at(2).add(tracer.Event{Kind: tracer.Exit, Pid: C, Tid: C, KilledBy: syscall.SIGKILL, Leader: true})
			},
			want: []string{
				"101      0.001000 read(3,  <unfinished ...>) = ?\n",
				"101      0.002000 +++ killed by SIGKILL +++\n",
			},
			lines: 2,
		},
		{
			name: "signal and core dump",
			script: func(s *script) {
				s.at(1).add(tracer.Event{Kind: tracer.Signal, Pid: C, Tid: C, Signal: syscall.SIGBUS,
					Siginfo: sys.Siginfo{Signo: syscall.SIGBUS, Code: 2, Addr: 0x7f0000000000}})
				s.at(2).add(tracer.Event{Kind: tracer.Exit, Pid: C, Tid: C, KilledBy: syscall.SIGBUS, CoreDumped: true, Leader: true})
				s.at(3).add(tracer.Event{Kind: tracer.Signal, Pid: P, Tid: P, Signal: syscall.SIGCHLD,
					Siginfo: sys.Siginfo{Signo: syscall.SIGCHLD, Code: 3, Pid: C, Status: int32(syscall.SIGBUS)}})
				s.at(4).add(tracer.Event{Kind: tracer.Stopped, Pid: P, Tid: P, Signal: syscall.SIGSTOP})
				s.at(5).exited(P, P, 0)
			},
			want: []string{
				"--- SIGBUS {si_signo=SIGBUS",
				"+++ killed by SIGBUS (core dumped) +++",
				"--- SIGCHLD {si_signo=SIGCHLD",
				"--- stopped by SIGSTOP ---",
				"+++ exited with 0 +++",
			},
			lines: 5,
		},
		{
			name: "superseded",
			script: func(s *script) {
				s.at(1).enter(C, T2, "execve", pathAddr, 0, 0)
				s.at(2).add(tracer.Event{Kind: tracer.Exit, Pid: C, Tid: C, ExitCode: 0})
				s.at(3).add(tracer.Event{Kind: tracer.Superseded, Pid: C, Tid: C, OldTid: T2})
				s.inCall[C] = s.inCall[T2] // the execve returns in the leader's tid
				s.at(4).exit(C, C, 0)
			},
			want: []string{
				`102      0.001000 execve("/tmp/ipc.dat", NULL, NULL <unfinished ...>`,
				"101      0.003000 +++ superseded by execve in pid 102 +++\n",
				"101      0.004000 <... execve resumed>) = 0\n",
			},
			lines: 4,
		},
		{
			// strace ends the execve's open line with the leader's tid,
			// and prints the superseded line under the leader, naming the
			// thread that execed (strace.c, maybe_switch_tcbs).
			name: "superseded, the execve's line open",
			script: func(s *script) {
				s.at(1).enter(C, T2, "execve", pathAddr, 0, 0)
				s.at(3).add(tracer.Event{Kind: tracer.Superseded, Pid: C, Tid: T2, OldTid: T2})
				s.inCall[C] = s.inCall[T2]
				s.at(4).exit(C, C, 0)
			},
			want: []string{
				"102      0.001000 execve(\"/tmp/ipc.dat\", NULL, NULL <pid changed to 101 ...>\n" +
					"101      0.003000 +++ superseded by execve in pid 102 +++\n" +
					"101      0.004000 <... execve resumed>) = 0\n",
			},
			lines: 3,
		},
		{
			name: "fold",
			script: func(s *script) {
				s.at(1).polls(P, 1000, 1)
				s.at(1001).poll(P, C)
			},
			want: []string{
				"100      0.001000 wait4(-1, 0x2000, WNOHANG, NULL) = 0\n",
				"100      1.000000 wait4(-1, 0x2000, WNOHANG, NULL) = 0  (repeated 999 more times over 999 ms)\n",
				"100      1.001000 wait4(-1, [{WIFEXITED(s) && WEXITSTATUS(s) == 0}], WNOHANG, NULL) = 101\n",
			},
			lines: 3,
		},
		{
			name: "fold in Chinese",
			script: func(s *script) {
				s.at(1).polls(P, 1000, 1)
				s.at(1001).poll(P, C)
			},
			opt: text.Options{Lang: explain.ZH},
			want: []string{
				"100      1.000000 wait4(-1, 0x2000, WNOHANG, NULL) = 0  （又重复了 999 次，历时 999 ms）\n",
			},
			lines: 3,
		},
		{
			name: "fold off",
			script: func(s *script) {
				s.at(1).polls(P, 5, 1)
			},
			opt:   text.Options{NoFold: true},
			lines: 5,
		},
		{
			name: "twice is not a fold",
			script: func(s *script) {
				s.at(1).polls(P, 2, 1)
				s.at(3).call(P, P, 0, "close", 3)
			},
			want: []string{
				"100      0.001000 wait4(-1, 0x2000, WNOHANG, NULL) = 0\n100      0.002000 wait4(-1, 0x2000, WNOHANG, NULL) = 0\n",
			},
			lines: 3,
		},
		{
			name: "different call breaks the fold",
			script: func(s *script) {
				s.at(1).polls(P, 10, 1)
				s.at(11).call(P, P, 0, "close", 3)
				s.at(12).polls(P, 4, 1)
				s.at(16).call(P, P, 0, "close", 3)
			},
			want: []string{
				"0.010000 wait4(-1, 0x2000, WNOHANG, NULL) = 0  (repeated 9 more times over 9.00 ms)\n100      0.011000 close(3) = 0\n",
				"0.015000 wait4(-1, 0x2000, WNOHANG, NULL) = 0  (repeated 3 more times over 3.00 ms)\n100      0.016000 close(3) = 0\n",
			},
			lines: 6,
		},
		{
			name: "different arguments break the fold",
			script: func(s *script) {
				s.at(1).polls(P, 3, 1)
				s.at(4).call(P, P, 0, "wait4", neg(-1), statusAddr, 0, 0)
			},
			want:  []string{"(repeated 2 more times over 2.00 ms)\n100      0.004000 wait4(-1, 0x2000, 0, NULL) = 0\n"},
			lines: 3,
		},
		{
			name: "different result breaks the fold",
			script: func(s *script) {
				s.at(1).polls(P, 3, 1)
				s.at(4).call(P, P, -10, "wait4", neg(-1), statusAddr, 1, 0)
			},
			want: []string{
				"(repeated 2 more times over 2.00 ms)\n",
				"wait4(-1, 0x2000, WNOHANG, NULL) = -1 ECHILD (No child processes)\n",
			},
			lines: 3,
		},
		{
			name: "other threads do not break a fold",
			script: func(s *script) {
				s.at(1).polls(P, 3, 1)
				s.at(4).call(C, C, 3, "openat", neg(-100), pathAddr, 0)
				// The parent's entry, then the child's line, then the
				// parent's exit: no "unfinished" for what is a repeat.
				s.at(5).enter(P, P, "wait4", neg(-1), statusAddr, 1, 0)
				s.at(6).call(C, C, 0, "close", 3)
				s.at(7).exit(P, P, 0)
				s.at(8).polls(P, 2, 1)
				s.at(10).enter(C, C, "exit_group", 0)
				s.exited(C, C, 0)
				s.at(11).poll(P, C)
			},
			want: []string{
				"101      0.004000 openat(AT_FDCWD, \"/tmp/ipc.dat\", O_RDONLY) = 3\n101      0.006000 close(3) = 0\n",
				"100      0.009000 wait4(-1, 0x2000, WNOHANG, NULL) = 0  (repeated 5 more times over 8.00 ms)\n100      0.011000 wait4(-1, [{",
			},
			lines: 7,
		},
		{
			name: "a different call in flight prints whole",
			script: func(s *script) {
				s.at(1).polls(P, 3, 1)
				s.at(4).enter(P, P, "wait4", neg(-1), statusAddr, 1, 0)
				s.at(5).call(C, C, 0, "close", 3)
				s.at(6).exit(P, P, C)
			},
			want: []string{
				"101      0.005000 close(3) = 0\n100      0.003000 wait4(-1, 0x2000, WNOHANG, NULL) = 0  (repeated 2 more times over 2.00 ms)\n100      0.004000 wait4(-1, [{",
			},
			lines: 4,
		},
		{
			name: "exit ends the fold",
			script: func(s *script) {
				s.at(1).polls(P, 4, 1)
				s.at(5).enter(P, P, "exit_group", 0)
				s.exited(P, P, 0)
			},
			want: []string{
				"100      0.004000 wait4(-1, 0x2000, WNOHANG, NULL) = 0  (repeated 3 more times over 3.00 ms)\n100      0.005000 exit_group(0) = ?\n",
			},
			lines: 4,
		},
		{
			name: "close ends the fold",
			script: func(s *script) {
				s.at(1).polls(P, 1500, 1)
			},
			close: true,
			want: []string{
				"100      1.500000 wait4(-1, 0x2000, WNOHANG, NULL) = 0  (repeated 1499 more times over 1.50 s)\n",
			},
			lines: 2,
		},
		{
			name: "a flush with nothing new ends the fold",
			script: func(s *script) {
				s.at(1).polls(P, 1500, 1)
			},
			want: []string{
				"100      1.500000 wait4(-1, 0x2000, WNOHANG, NULL) = 0  (repeated 1499 more times over 1.50 s)\n",
			},
			lines: 2,
		},
		{
			name: "one repeat prints as the call",
			script: func(s *script) {
				s.at(1).polls(P, 2, 1)
			},
			close: true,
			lines: 2,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := newScript(t, tc.opt)
			tc.script(s)
			got := s.timeline(tc.close)
			for _, w := range tc.want {
				if !strings.Contains(got, w) {
					t.Errorf("timeline lacks %q:\n%s", w, got)
				}
			}
			if n := strings.Count(got, "\n"); tc.lines != 0 && n != tc.lines {
				t.Errorf("%d lines, want %d:\n%s", n, tc.lines, got)
			}
			golden(t, got)
		})
	}
}

// TestFoldNotFlushedEarly checks that a fold in progress prints nothing
// when the tracer flushes between two repeats, or when other threads'
// lines come between them.
func TestFoldNotFlushedEarly(t *testing.T) {
	s := newScript(t, text.Options{})
	s.at(1).polls(100, 50, 1)
	s.at(60).call(101, 101, 0, "close", 3)
	s.at(61).polls(100, 50, 1)
	want := "100      0.001000 wait4(-1, 0x2000, WNOHANG, NULL) = 0\n" +
		"101      0.060000 close(3) = 0\n"
	if got := s.out.String(); got != want {
		t.Errorf("got %q, want only the first call and the other thread's %q", got, want)
	}
}

// golden compares got with testdata/<test name>.golden; -update rewrites it.
func golden(t *testing.T, got string) {
	t.Helper()
	name := regexp.MustCompile(`[^A-Za-z0-9/_-]+`).ReplaceAllString(t.Name(), "_")
	path := filepath.Join("testdata", filepath.FromSlash(name)+".golden")
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("timeline differs from %s:\n--- got\n%s--- want\n%s", path, got, want)
	}
}

// TestRepeatWithOtherNotesPrints: the same call line twice is a repeat
// only if its notes are the same too: a second munmap of a range is
// explained differently, and its note must not be swallowed by the fold.
func TestRepeatWithOtherNotesPrints(t *testing.T) {
	s := newScript(t, text.Options{})
	munmap := func(note string) {
		nr, _ := sys.Number(sys.AMD64, "munmap")
		c := sys.NewCall(sys.AMD64, nr, [6]uint64{0x7f0000000000, 4096})
		c.Enter(mem, nil)
		s.add(tracer.Event{Kind: tracer.CallEnter, Pid: 100, Tid: 100, Call: c})
		c.Exit(mem, 0, nil)
		s.add(tracer.Event{Kind: tracer.CallExit, Pid: 100, Tid: 100, Call: c, Notes: []string{note}})
	}
	s.at(1)
	munmap("1 page unmapped")
	s.at(2)
	munmap("unmapped already")
	s.at(3)
	munmap("unmapped already")
	got := s.timeline(true)
	want := "100      0.001000 munmap(0x7f0000000000, 4096) = 0\n" +
		"                  > 1 page unmapped\n" +
		"100      0.002000 munmap(0x7f0000000000, 4096) = 0\n" +
		"                  > unmapped already\n" +
		"100      0.003000 munmap(0x7f0000000000, 4096) = 0\n"
	if got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}
