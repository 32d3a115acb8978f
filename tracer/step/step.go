// Package step is mmtrace's step mode (--step): before each shown call
// runs, the traced process waits while the class sees the call and
// guesses its result; Enter lets it run, and when it returns the guess is
// judged, right or wrong and why, in one line. The score comes at the end.
//
// At the question the class may type, before Enter:
//
//	a guess   3, -1, 0x7f0000000000: a number; EINVAL: the call fails with
//	          it; addr: an address the kernel picks; pid: a process id; any:
//	          either; ?: the call never returns (exit_group)
//	nothing   run the call, no guess
//	r         show the last call that returned again, with its notes
//	n         run on to the next call of another process
//	c         run to the end without stopping
//
// It needs no help from the tracer: a sink is called while the tracee is
// stopped at the call's entry, and the tracee stays stopped until the sink
// returns.
package step

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"
	"syscall"

	"github.com/mmtrace/mmtrace/internal/cells"
	"github.com/mmtrace/mmtrace/tracer"
	"github.com/mmtrace/mmtrace/tracer/sys"
)

// Options choose the stepper's language and page.
type Options struct {
	// ZH asks in Chinese.
	ZH bool
	// Width is the terminal's width in cells, to wrap what the stepper
	// writes; 0 leaves lines whole.
	Width int
}

// Stepper is a tracer.Sink that pauses at every shown call. Place it after
// the renderers, so what came before is on screen when it asks.
type Stepper struct {
	in     *bufio.Reader
	out    io.Writer
	before []tracer.Sink // flushed before each question and verdict
	opt    Options

	off     bool // the class typed "c": run on without stopping
	skip    int  // the class typed "n" at a call of this process
	told    bool // the first question explained how to answer
	guesses map[int]guess
	last    *returned // the last call that returned, for "r"

	right, judged int
}

// guess is what the class said a call in flight will return.
type guess struct {
	typed string
	kind  guessKind
	n     int64         // guessNumber
	errno syscall.Errno // guessErrno
}

type guessKind uint8

const (
	guessNumber guessKind = iota + 1
	guessErrno            // fails with this errno
	guessFails            // -1: fails, whatever the errno
	guessAddr             // an address the kernel picks
	guessPID              // a process id
	guessAny              // an address or a pid
	guessNone             // never returns
)

// returned is a call that returned, as the timeline showed it.
type returned struct {
	pid   int
	line  string
	notes []string
}

// New returns a stepper reading answers from in (the terminal) and asking
// on out. flush are the sinks whose output must be out before it asks.
func New(in io.Reader, out io.Writer, opt Options, flush ...tracer.Sink) *Stepper {
	return &Stepper{in: bufio.NewReader(in), out: out, before: flush, opt: opt, guesses: map[int]guess{}}
}

// Event asks before every call, judges a guess when its call returns, and
// keeps the last call for "r".
func (s *Stepper) Event(e *tracer.Event) {
	switch e.Kind {
	case tracer.CallEnter:
		s.ask(e)
	case tracer.CallExit:
		if e.Call == nil || !e.Call.Done {
			return
		}
		if !s.off {
			s.last = &returned{pid: e.Pid, line: e.Call.String(), notes: append([]string(nil), e.Notes...)}
		}
		if g, ok := s.guesses[e.Tid]; ok {
			delete(s.guesses, e.Tid)
			s.judge(g, e, false)
		}
	case tracer.Exit:
		// A call in flight when its thread ended never returned:
		// exit_group, or a thread killed in a call.
		if g, ok := s.guesses[e.Tid]; ok {
			delete(s.guesses, e.Tid)
			s.judge(g, e, true)
		}
	case tracer.Superseded:
		// An execve by another thread returns under the leader's tid.
		if g, ok := s.guesses[e.OldTid]; ok {
			delete(s.guesses, e.OldTid)
			s.guesses[e.Pid] = g
		}
	}
}

// Flush does nothing.
func (s *Stepper) Flush() error { return nil }

// Close prints the score, if the class guessed at all.
func (s *Stepper) Close() error {
	if s.judged == 0 {
		return nil
	}
	msg := fmt.Sprintf("step: %d right of %d guesses", s.right, s.judged)
	if s.opt.ZH {
		msg = fmt.Sprintf("单步：猜了 %d 次，猜对 %d 次", s.judged, s.right)
	}
	return s.say(msg)
}

func (s *Stepper) flushBefore() {
	for _, f := range s.before {
		f.Flush()
	}
}

// say writes a line of the stepper's, wrapped to the terminal.
func (s *Stepper) say(line string) error {
	_, err := io.WriteString(s.out, strings.Join(cells.Fit(line, s.opt.Width), "\n")+"\n")
	return err
}

// The stepper's texts, English and Chinese.
var (
	textIntro = [2]string{
		"step mode: type what the call will return, then Enter: a number, an errno such as EINVAL, addr (an address), pid, or ? if it never returns; Enter alone runs it",
		"单步模式：输入你猜的返回值再按回车：数字、EINVAL 之类的错误名、addr（地址）、pid（进程号），不会返回则输入 ?；直接回车则不猜，执行调用",
	}
	textQuestion = [2]string{"next in %d: %s\n", "进程 %d 将要调用：%s\n"}
	textPrompt   = [2]string{
		"  what will it return? (r replay, n next process, c run on) ",
		"  它会返回什么？（r 重看，n 下一个进程，c 一直运行）",
	}
	textBadGuess = [2]string{
		"  %q is not a guess: type a number (3, -1, 0x7f0000000000), an errno (EINVAL), addr, pid, any or ?",
		"  %q 不是猜测：请输入数字（3、-1、0x7f0000000000）、错误名（EINVAL）、addr、pid、any 或 ?",
	}
	textNothingYet = [2]string{"  no call has returned yet", "  还没有返回过的调用"}
	textAgain      = [2]string{"  again: %d %s", "  再看一遍：%d %s"}
	textSkip       = [2]string{
		"  running on to the next call of a process other than %d",
		"  继续运行，直到进程 %d 以外的进程调用",
	}
)

func (s *Stepper) lang() int {
	if s.opt.ZH {
		return 1
	}
	return 0
}

// ask asks before a call, until the class runs it.
func (s *Stepper) ask(e *tracer.Event) {
	if s.off {
		return
	}
	if s.skip != 0 {
		if e.Pid == s.skip {
			return
		}
		s.skip = 0
	}
	s.flushBefore()
	l := s.lang()
	if !s.told {
		s.told = true
		s.say(textIntro[l])
	}
	c := e.Call
	args := c.ArgsText()
	n := 0
	for n < len(args) && args[n] != "" {
		n++
	}
	call := c.Name + "(" + strings.Join(args[:n], ", ")
	if n < len(args) {
		call += ", …"
	}
	call += ")"
	fmt.Fprintf(s.out, textQuestion[l], e.Pid, call)
	for {
		io.WriteString(s.out, textPrompt[l])
		line, err := s.in.ReadString('\n')
		if err != nil {
			s.off = true // no terminal any more
			return
		}
		answer := strings.TrimSpace(line)
		switch answer {
		case "":
			return
		case "c", "C":
			s.off = true // the class has seen enough
			return
		case "n", "N":
			s.skip = e.Pid
			s.say(fmt.Sprintf(textSkip[l], e.Pid))
			return
		case "r", "R":
			s.replay()
			continue
		}
		g, ok := parseGuess(answer)
		if !ok {
			s.say(fmt.Sprintf(textBadGuess[l], answer))
			continue
		}
		s.guesses[e.Tid] = g
		return
	}
}

// replay shows the last call that returned and its notes again.
func (s *Stepper) replay() {
	l := s.lang()
	if s.last == nil {
		s.say(textNothingYet[l])
		return
	}
	io.WriteString(s.out, fmt.Sprintf(textAgain[l], s.last.pid, s.last.line)+"\n")
	for _, n := range s.last.notes {
		lines := []string{n}
		if s.opt.Width > 0 {
			lines = cells.Wrap(n, s.opt.Width-6)
		}
		io.WriteString(s.out, "    > "+strings.Join(lines, "\n      ")+"\n")
	}
}

// parseGuess reads what the class typed: a number, an errno's name, or
// one of the words.
func parseGuess(typed string) (guess, bool) {
	g := guess{typed: typed}
	switch w := strings.ToLower(typed); w {
	case "?", "none":
		g.kind = guessNone
		return g, true
	case "addr", "address":
		g.kind = guessAddr
		return g, true
	case "pid":
		g.kind = guessPID
		return g, true
	case "any":
		g.kind = guessAny
		return g, true
	case "-1":
		g.kind = guessFails
		return g, true
	}
	if n, err := strconv.ParseInt(typed, 0, 64); err == nil {
		g.kind, g.n = guessNumber, n
		return g, true
	}
	if n, err := strconv.ParseUint(typed, 0, 64); err == nil {
		g.kind, g.n = guessNumber, int64(n) // an address above 2^63
		return g, true
	}
	if e := errnoNamed(strings.ToUpper(typed)); e != 0 {
		g.kind, g.errno = guessErrno, e
		return g, true
	}
	return g, false
}

// errnoNamed returns the errno strace names name, or one of its aliases.
func errnoNamed(name string) syscall.Errno {
	if !strings.HasPrefix(name, "E") {
		return 0
	}
	switch name {
	case "EWOULDBLOCK":
		name = "EAGAIN"
	case "EDEADLOCK":
		name = "EDEADLK"
	case "ENOTSUP":
		name = "EOPNOTSUPP"
	}
	for e := syscall.Errno(1); e < 4096; e++ {
		if sys.ErrnoName(e) == name {
			return e
		}
	}
	return 0
}

// judge says whether g was right about c, and why, in one line under the
// call's line and notes.
func (s *Stepper) judge(g guess, e *tracer.Event, ended bool) {
	s.flushBefore()
	right, why := verdict(g, e.Call, ended, len(e.Notes) > 0, s.opt.ZH)
	s.judged++
	word := [2][2]string{{"  wrong: ", "  right: "}, {"  猜错了：", "  猜对了："}}
	r := 0
	if right {
		s.right++
		r = 1
	}
	s.say(word[s.lang()][r] + why)
}

// verdict compares a guess with what the call did, and says what that
// was: the result, and what kind of value it is. explained says notes
// under the call tell why it failed.
func verdict(g guess, c *sys.Call, ended, explained, zh bool) (bool, string) {
	pick := func(en, cn string, a ...any) string {
		if zh {
			return fmt.Sprintf(cn, a...)
		}
		return fmt.Sprintf(en, a...)
	}
	said := pick("you said %s; ", "你猜 %s；", g.typed)
	if ended || c == nil || !c.Done {
		var what string
		switch {
		case c == nil:
			what = pick("the call never returned: the process ended in it", "调用没有返回：进程在调用中结束了")
		case c.Result() == sys.RetNone:
			what = pick("%s never returns: the process ends in it", "%s 不会返回：进程在其中结束", c.Name)
		default:
			what = pick("%s never returned: the process ended in it", "%s 没有返回：进程在调用中结束了", c.Name)
		}
		if g.kind != guessNone {
			return false, said + what
		}
		return true, what
	}
	if e := c.Errno(); e != 0 {
		what := pick("it failed: -1 %s (%s)", "调用失败：-1 %s（%s）", sys.ErrnoName(e), sys.ErrnoText(e))
		if explained {
			what += pick("; the notes above say why", "，原因见上面的说明")
		}
		if g.kind == guessErrno && g.errno == e || g.kind == guessFails {
			return true, what
		}
		return false, said + what
	}
	ret := c.ResultText()
	var what string
	switch kind := c.Result(); {
	case kind == sys.RetAddr:
		what = pick("it returned %s, an address the kernel chose", "返回 %s，一个由内核选定的地址", ret)
	case kind == sys.RetPID && c.Ret == 0:
		what = pick("it returned 0: no child had changed state yet (WNOHANG)", "返回 0：还没有子进程改变状态（WNOHANG）")
	case c.Name == "wait4" || c.Name == "waitid":
		what = pick("it returned %s, the pid of the child it reaped", "返回 %s，即被回收的子进程的进程号", ret)
	case kind == sys.RetPID:
		what = pick("it returned %s, the new child's id, which the kernel gave out", "返回 %s，即内核分配给新子进程的 id", ret)
	case c.Name == "dup2" || c.Name == "dup3":
		what = pick("it returned %s, the fd it was asked for", "返回 %s，即指定的那个 fd", ret)
	case kind == sys.RetFD:
		what = pick("it returned %s: a new fd is the lowest number not in use", "返回 %s：新的 fd 总是未被占用的最小编号", ret)
	case c.Ret == 0:
		what = pick("it returned 0: it worked", "返回 0：调用成功")
	default:
		what = pick("it returned %s", "返回 %s", ret)
	}
	var right bool
	switch kind := c.Result(); g.kind {
	case guessNumber:
		right = g.n == c.Ret
	case guessAddr:
		right = kind == sys.RetAddr
	case guessPID:
		right = kind == sys.RetPID && c.Ret > 0
	case guessAny:
		right = kind == sys.RetAddr || kind == sys.RetPID && c.Ret > 0
	}
	if !right {
		return false, said + what
	}
	return true, what
}
