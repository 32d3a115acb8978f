package step

import (
	"bytes"
	"io"
	"strings"
	"syscall"
	"testing"

	"github.com/mmtrace/mmtrace/internal/cells"
	"github.com/mmtrace/mmtrace/tracer"
	"github.com/mmtrace/mmtrace/tracer/sys"
)

type flushCount struct{ n int }

// terminal is the class at a terminal: each Read gives one line of what
// they type and echoes it to the screen, as a terminal does.
type terminal struct {
	lines []string
	echo  io.Writer
}

func typing(echo io.Writer, typed string) *terminal {
	return &terminal{lines: strings.SplitAfter(typed, "\n"), echo: echo}
}

func (t *terminal) Read(p []byte) (int, error) {
	for len(t.lines) > 0 && t.lines[0] == "" {
		t.lines = t.lines[1:]
	}
	if len(t.lines) == 0 {
		return 0, io.EOF
	}
	n := copy(p, t.lines[0])
	t.echo.Write(p[:n])
	t.lines[0] = t.lines[0][n:]
	return n, nil
}

func (f *flushCount) Event(*tracer.Event) {}
func (f *flushCount) Flush() error        { f.n++; return nil }

// newCall is call name of pid entered with args.
func newCall(t *testing.T, name string, args ...uint64) *sys.Call {
	t.Helper()
	nr, ok := sys.Number(sys.HostArch(), name)
	if !ok {
		t.Skipf("no %s here", name)
	}
	var a [6]uint64
	copy(a[:], args)
	c := sys.NewCall(sys.HostArch(), nr, a)
	c.Enter(fakeMem{0x1000: []byte("/tmp/dd.txt\x00")}, nil)
	return c
}

func enter(name string) *tracer.Event {
	nr, _ := sys.Number(sys.HostArch(), name)
	c := sys.NewCall(sys.HostArch(), nr, [6]uint64{3})
	c.Enter(nil, nil)
	return &tracer.Event{Kind: tracer.CallEnter, Pid: 42, Tid: 42, Call: c}
}

func TestAsksThenRunsOn(t *testing.T) {
	var out bytes.Buffer
	fc := &flushCount{}
	s := New(strings.NewReader("\nc\n"), &out, Options{}, fc)
	s.Event(enter("close"))
	if !strings.Contains(out.String(), "next in 42: close(3)") || fc.n != 1 {
		t.Fatalf("first question: %q, flushes %d", out.String(), fc.n)
	}
	s.Event(&tracer.Event{Kind: tracer.CallExit})
	s.Event(enter("close")) // answered "c"
	s.Event(enter("close")) // runs on: no question
	if got := strings.Count(out.String(), "what will it return"); got != 2 {
		t.Fatalf("%d questions, want 2:\n%s", got, out.String())
	}
	if got := strings.Count(out.String(), "step mode:"); got != 1 {
		t.Errorf("the how-to line came %d times, want once:\n%s", got, out.String())
	}
}

// A call and what it did, for the guessing tests.
type outcome struct {
	name  string
	args  []uint64
	ret   int64
	ended bool // the process ended in the call: no exit stop
}

var (
	openat3    = outcome{name: "openat", args: []uint64{uint64(^uint32(99)), 0x1000, 0}, ret: 3}
	mmapAddr   = outcome{name: "mmap", args: []uint64{0, 4096, 3, 1, 3, 0}, ret: 0x7f0000000000}
	mmapEINVAL = outcome{name: "mmap", args: []uint64{0, 0, 3, 1, 3, 0}, ret: -int64(syscall.EINVAL)}
	fork1234   = hostCall(outcome{name: "fork", ret: 1234}, outcome{name: "clone", args: []uint64{uint64(syscall.SIGCHLD)}, ret: 1234})
	wait4none  = outcome{name: "wait4", args: []uint64{^uint64(0), 0, 1, 0}, ret: 0}
	dup2to7    = hostCall(outcome{name: "dup2", args: []uint64{3, 7}, ret: 7}, outcome{name: "dup3", args: []uint64{3, 7, 0}, ret: 7})
	exitGroup  = outcome{name: "exit_group", ended: true}
	closeOK    = outcome{name: "close", args: []uint64{3}, ret: 0}
)

// play runs one call of pid 42 through a stepper answering typed, and
// returns what the stepper wrote and the score line.
func play(t *testing.T, o outcome, typed string, opt Options, notes ...string) (string, string) {
	t.Helper()
	var out bytes.Buffer
	s := New(typing(&out, typed+"\n"), &out, opt)
	c := newCall(t, o.name, o.args...)
	s.Event(&tracer.Event{Kind: tracer.CallEnter, Pid: 42, Tid: 42, Call: c})
	if o.ended {
		s.Event(&tracer.Event{Kind: tracer.Exit, Pid: 42, Tid: 42, Call: c})
	} else {
		c.Exit(nil, o.ret, nil)
		s.Event(&tracer.Event{Kind: tracer.CallExit, Pid: 42, Tid: 42, Call: c, Notes: notes})
	}
	judged := out.String()
	out.Reset()
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	return judged, out.String()
}

// TestGuessJudged checks each kind of guess against each kind of result:
// the verdict, its reason, in both languages, and the score.
func TestGuessJudged(t *testing.T) {
	tests := []struct {
		name    string
		call    outcome
		typed   string
		right   bool
		why, zh string
	}{
		{"the fd", openat3, "3", true, "lowest number not in use", "未被占用的最小编号"},
		{"another fd", openat3, "4", false, "you said 4; it returned 3: a new fd", "你猜 4；返回 3"},
		{"an errno when it worked", openat3, "ENOENT", false, "you said ENOENT; it returned 3", "你猜 ENOENT"},
		{"dup2 returns the fd asked for", dup2to7, "7", true, "the fd it was asked for", "指定的那个文件描述符"},
		{"an address", mmapAddr, "addr", true, "it returned 0x7f0000000000, an address the kernel chose", "内核选定的地址"},
		{"any address", mmapAddr, "any", true, "an address the kernel chose", "内核选定的地址"},
		{"the exact address", mmapAddr, "0x7f0000000000", true, "0x7f0000000000", "0x7f0000000000"},
		{"zero for an address", mmapAddr, "0", false, "you said 0; it returned 0x7f0000000000", "你猜 0"},
		{"a pid is no address", mmapAddr, "pid", false, "you said pid", "你猜 pid"},
		{"the errno", mmapEINVAL, "EINVAL", true, "it failed: -1 EINVAL (Invalid argument); the notes above say why", "调用失败：-1 EINVAL"},
		{"the errno in lower case", mmapEINVAL, "einval", true, "EINVAL", "EINVAL"},
		{"minus one", mmapEINVAL, "-1", true, "it failed: -1 EINVAL", "调用失败"},
		{"another errno", mmapEINVAL, "EACCES", false, "you said EACCES; it failed: -1 EINVAL", "你猜 EACCES；调用失败：-1 EINVAL"},
		{"success when it failed", mmapEINVAL, "addr", false, "you said addr; it failed", "你猜 addr"},
		{"a pid", fork1234, "pid", true, "it returned 1234, the new child's id", "新子进程"},
		{"any pid", fork1234, "any", true, "1234", "1234"},
		{"the pid", fork1234, "1234", true, "1234", "1234"},
		{"zero from fork in the parent", fork1234, "0", false, "you said 0; it returned 1234", "你猜 0"},
		{"WNOHANG and no child yet", wait4none, "0", true, "no child had changed state yet", "还没有子进程改变状态"},
		{"a pid from wait4 when none exited", wait4none, "pid", false, "you said pid; it returned 0", "你猜 pid"},
		{"exit_group never returns", exitGroup, "?", true, "exit_group never returns", "exit_group 不会返回"},
		{"exit_group does not return 0", exitGroup, "0", false, "you said 0; exit_group never returns", "你猜 0；exit_group 不会返回"},
		{"close returns 0", closeOK, "0", true, "it returned 0: it worked", "返回 0：调用成功"},
		{"close does not return 1", closeOK, "1", false, "you said 1; it returned 0: it worked", "你猜 1；返回 0：调用成功"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			for _, zh := range []bool{false, true} {
				got, score := play(t, tc.call, tc.typed, Options{ZH: zh}, "a note")
				word, why, wantScore := "  wrong: ", tc.why, "step: 0 right of 1 guesses\n"
				if zh {
					word, why, wantScore = "  猜错了：", tc.zh, "单步：猜了 1 次，猜对 0 次\n"
				}
				if tc.right {
					word, wantScore = "  right: ", "step: 1 right of 1 guesses\n"
					if zh {
						word, wantScore = "  猜对了：", "单步：猜了 1 次，猜对 1 次\n"
					}
				}
				lines := strings.Split(strings.TrimSuffix(got, "\n"), "\n")
				verdict := lines[len(lines)-1]
				if !strings.HasPrefix(verdict, word) || !strings.Contains(verdict, why) {
					t.Errorf("zh %v: guessing %q, the verdict is %q; want %q and %q", zh, tc.typed, verdict, word, why)
				}
				if score != wantScore {
					t.Errorf("zh %v: score %q, want %q", zh, score, wantScore)
				}
			}
		})
	}
}

// TestNoGuessNoScore: Enter alone runs the call and judges nothing.
func TestNoGuessNoScore(t *testing.T) {
	got, score := play(t, openat3, "", Options{})
	if strings.Contains(got, "right") || strings.Contains(got, "wrong") || score != "" {
		t.Errorf("no guess, yet a verdict or a score: %q %q", got, score)
	}
}

func TestBadGuessAsksAgain(t *testing.T) {
	got, score := play(t, openat3, "three\n3", Options{})
	if !strings.Contains(got, `"three" is not a guess`) {
		t.Errorf("no word on the bad guess:\n%s", got)
	}
	if n := strings.Count(got, "what will it return"); n != 2 {
		t.Errorf("asked %d times, want 2:\n%s", n, got)
	}
	if score != "step: 1 right of 1 guesses\n" {
		t.Errorf("score %q", score)
	}
}

// TestScoreOverARun guesses at several calls and checks the tally.
func TestScoreOverARun(t *testing.T) {
	var out bytes.Buffer
	s := New(typing(&out, "3\nEINVAL\n\nENOMEM\n"), &out, Options{})
	for _, o := range []outcome{openat3, mmapEINVAL, closeOK, mmapAddr} {
		c := newCall(t, o.name, o.args...)
		s.Event(&tracer.Event{Kind: tracer.CallEnter, Pid: 42, Tid: 42, Call: c})
		c.Exit(nil, o.ret, nil)
		s.Event(&tracer.Event{Kind: tracer.CallExit, Pid: 42, Tid: 42, Call: c})
	}
	s.Close()
	if !strings.HasSuffix(out.String(), "step: 2 right of 3 guesses\n") {
		t.Errorf("the run ends:\n%s", out.String())
	}
}

// TestReplay: r shows the last call that returned and its notes again,
// then asks again.
func TestReplay(t *testing.T) {
	var out bytes.Buffer
	s := New(typing(&out, "r\n\nr\n\n"), &out, Options{Width: 80})
	first := newCall(t, "mmap", mmapAddr.args...)
	s.Event(&tracer.Event{Kind: tracer.CallEnter, Pid: 42, Tid: 42, Call: first})
	if !strings.Contains(out.String(), "no call has returned yet") {
		t.Errorf("r before any call returned:\n%s", out.String())
	}
	first.Exit(nil, mmapAddr.ret, nil)
	s.Event(&tracer.Event{Kind: tracer.CallExit, Pid: 42, Tid: 42, Call: first, Notes: []string{"1 page of dd.txt at 0x7f0000000000", "MAP_SHARED: stores reach dd.txt itself",
		"a note long enough to be wrapped at eighty columns by the stepper when it replays it"}})
	out.Reset()
	second := newCall(t, "close", 3)
	s.Event(&tracer.Event{Kind: tracer.CallEnter, Pid: 42, Tid: 42, Call: second})
	got := out.String()
	for _, want := range []string{
		"  again: 42 mmap(NULL, 4096, PROT_READ|PROT_WRITE, MAP_SHARED, 3, 0) = 0x7f0000000000\n",
		"    > 1 page of dd.txt at 0x7f0000000000\n",
		"    > MAP_SHARED: stores reach dd.txt itself\n",
		"    > a note long enough to be wrapped at eighty columns by the stepper when it\n      replays it\n",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("the replay lacks %q:\n%s", want, got)
		}
	}
	if n := strings.Count(got, "what will it return"); n != 2 {
		t.Errorf("asked %d times at the second call, want 2 (before and after r):\n%s", n, got)
	}
}

// TestNextProcess: n runs on past the calls of the process it was typed
// at, to the next call of another one.
func TestNextProcess(t *testing.T) {
	var out bytes.Buffer
	s := New(typing(&out, "n\n\n\n"), &out, Options{})
	ask := func(pid int) {
		c := newCall(t, "close", 3)
		s.Event(&tracer.Event{Kind: tracer.CallEnter, Pid: pid, Tid: pid, Call: c})
		c.Exit(nil, 0, nil)
		s.Event(&tracer.Event{Kind: tracer.CallExit, Pid: pid, Tid: pid, Call: c})
	}
	ask(42) // answered n
	ask(42)
	ask(42)
	ask(43) // asked
	ask(42) // asked again: the skip ended
	got := out.String()
	if n := strings.Count(got, "next in 42"); n != 2 {
		t.Errorf("%d questions for 42, want 2 (before n, after 43's):\n%s", n, got)
	}
	if n := strings.Count(got, "next in 43"); n != 1 {
		t.Errorf("%d questions for 43, want 1:\n%s", n, got)
	}
	if !strings.Contains(got, "running on to the next call of a process other than 42") {
		t.Errorf("n was not acknowledged:\n%s", got)
	}
}

// TestLinesFit: the prompt names every key, and everything the stepper
// writes fits an 80-column terminal, in both languages, with room on the
// prompt's line for an address typed after it.
func TestLinesFit(t *testing.T) {
	for _, zh := range []bool{false, true} {
		l := 0
		if zh {
			l = 1
		}
		for _, key := range []string{"r", "n", "c"} {
			if !strings.Contains(textPrompt[l], key+" ") {
				t.Errorf("the prompt %q does not name the key %s", textPrompt[l], key)
			}
		}
		got, score := play(t, mmapEINVAL, "bogus\nr\n0x7f0000000000", Options{ZH: zh, Width: 80}, "a note")
		for _, line := range strings.Split(got+score, "\n") {
			if strings.HasPrefix(line, "next in") || strings.HasPrefix(line, "进程 42") {
				continue // the call, as strace prints it
			}
			if w := cells.Width(line); w > 80 {
				t.Errorf("zh %v: a line of %d cells: %q", zh, w, line)
			}
		}
	}
}

// hostCall is o where this architecture has its call, else the call C's
// library makes instead (arm64 has no fork or dup2: clone(SIGCHLD), dup3),
// so that the case runs there rather than skips.
func hostCall(o, instead outcome) outcome {
	if _, ok := sys.Number(sys.HostArch(), o.name); ok {
		return o
	}
	return instead
}
