package scenarios

import (
	"fmt"
	"io"
	"math"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/pflag"
	"golang.org/x/sys/unix"

	"github.com/mmtrace/mmtrace/internal/rawchild"
)

func init() { register(&waitpidScenario{}) }

// waitpidScenario is the notes' waitpid program: three children, a parent
// that polls waitpid(-1, NULL, WNOHANG) until it has reaped them all.
type waitpidScenario struct {
	// scale is the --scale flag. The scenario is registered once, so
	// Flags resets it: a run is Flags, then Plan, one at a time.
	scale float64
}

// waitpidSleeps are the notes' sleeps, in seconds, of children 0, 1, 2.
var waitpidSleeps = [3]float64{1, 2, 5}

// maxScale bounds --scale, and so the run: the last child sleeps 5 s ×
// maxScale at most.
const maxScale = 10

func (*waitpidScenario) Info() Info {
	return Info{
		Name: "waitpid",
		Args: "",
		Summary: Text{
			EN: "fork 3 children (one runs ps, one prints, one runs ls); the parent polls waitpid(-1, WNOHANG)",
			ZH: "fork 出 3 个子进程（一个运行 ps，一个打印，一个运行 ls）；父进程用 waitpid(-1, WNOHANG) 轮询",
		},
		Lesson: Text{
			EN: `The notes' waitpid program. The parent forks three children and then asks
waitpid(-1, NULL, WNOHANG) (wait4 underneath) over and over, as fast as it can,
until it has reaped all three; then it prints how many it reaped. Child 0
sleeps 1 s, prints "0 th" and replaces itself with ps; child 1 sleeps 2 s and
prints "1 th"; child 2 sleeps 5 s, prints "2 th" and replaces itself with
ls -l. WNOHANG makes wait4 return 0 at once while no child has exited: the
timeline folds those thousands of identical calls into one line with a count.
Each call that returns a pid is a reap: the child's exit status is collected
and its process entry freed (until then it was a zombie). After an execve the
child's pid stays the same, but the program is new: its own start-up (the
dynamic loader opening and mapping libc) shows in the timeline.

ps lists just the scenario's processes (ps -q PIDS, filled in by child 0
before its execve), not every process as the notes' ps -ef does: on a busy
machine that would be thousands of lines of ps reading /proc. --scale
multiplies the sleeps (0.1: 0.1 s, 0.2 s, 0.5 s).`,
			ZH: `笔记中的 waitpid 程序。父进程 fork 出三个子进程，然后尽可能快地一遍又一遍
调用 waitpid(-1, NULL, WNOHANG)（底层是 wait4），直到三个子进程都被回收；
最后打印回收了几个。子进程 0 睡眠 1 秒，打印 "0 th"，再把自己换成 ps；
子进程 1 睡眠 2 秒，打印 "1 th"；子进程 2 睡眠 5 秒，打印 "2 th"，再把自己
换成 ls -l。还没有子进程退出时，WNOHANG 让 wait4 立即返回 0：时间线把这
成千上万次相同的调用折叠成一行，并注明次数。每次返回进程号的调用就是一次
回收：取回子进程的退出状态，释放它的进程表项（在此之前它是僵尸进程）。
execve 之后，子进程的进程号不变，但程序是新的：新程序自己的启动过程（动态
链接器打开并映射 libc）也会出现在时间线中。

ps 只列出本场景的进程（ps -q PIDS，由子进程 0 在 execve 之前填好），而不像
笔记中的 ps -ef 那样列出所有进程：在繁忙的机器上，那会是 ps 读 /proc 产生
的成千上万行。--scale 给各次睡眠乘上一个系数（0.1：0.1 秒、0.2 秒、0.5 秒）。`,
		},
	}
}

func (s *waitpidScenario) Flags(fs *pflag.FlagSet) {
	s.scale = 1
	fs.Float64Var(&s.scale, "scale", 1, fmt.Sprintf("multiply the children's sleeps (1 s, 2 s, 5 s) by `FACTOR` (0 to %d)", maxScale))
}

// The waitpid report page.
const (
	wpParent = 0  // the parent's pid
	wpForked = 4  // the children's pids, by number (3 × 4 bytes)
	wpReaped = 16 // how many wait4 reaped
	wpPolls  = 20 // how many wait4 returned 0
	wpReaps  = 32 // each reap, in order: pid, wait status (3 × 8 bytes)
)

// psColumns are what ps shows of each process: its state (R running, S
// asleep, Z zombie, t stopped by the tracer) and its parent.
const psColumns = "pid,ppid,stat,args"

func (s *waitpidScenario) Plan(env *Env, args []string) (*Plan, error) {
	l := env.Lang
	if len(args) > 0 {
		return nil, l.usagef("waitpid takes no arguments, got %d", "waitpid 不接受参数，却给了 %d 个", len(args))
	}
	if s.scale < 0 || s.scale > maxScale || math.IsNaN(s.scale) {
		return nil, l.usagef("--scale %v: the factor must be between 0 and %d", "--scale %v：系数必须在 0 到 %d 之间", s.scale, maxScale)
	}
	ps, err := exec.LookPath("ps")
	if err != nil {
		return nil, l.errorf("child 0 runs ps, which is not installed here (%w): install procps",
			"子进程 0 要运行 ps，但这台机器上没有安装它（%w）：请安装 procps", err)
	}
	ls, err := exec.LookPath("ls")
	if err != nil {
		return nil, l.errorf("child 2 runs ls, which is not installed here: %w", "子进程 2 要运行 ls，但这台机器上没有安装它：%w", err)
	}
	rep, err := newReport(l)
	if err != nil {
		return nil, err
	}
	b := &waitpidBody{
		ps:      &rawchild.Spec{},
		ls:      &rawchild.Spec{},
		alsoOne: []byte("1231\n"),
		errFork: message(l.pick("waitpid: fork error", "waitpid：fork 出错")),
		errWait: message(l.pick("waitpid: wait4 error", "waitpid：wait4 出错")),
		errPs:   message(l.sprintf("waitpid: child 0: execve %s failed", "waitpid：子进程 0：execve %s 失败", ps)),
		errLs:   message(l.sprintf("waitpid: child 2: execve %s failed", "waitpid：子进程 2：execve %s 失败", ls)),
		rep:     rep,
	}
	// Child 0 writes the pids, comma-separated, over the placeholder: 4
	// pids of up to 10 digits and 3 commas.
	placeholder := strings.Repeat("P", 4*10+3)
	if err := b.ps.SetExec(ps, []string{"ps", "-o", psColumns, "-q", placeholder}, os.Environ()); err != nil {
		rep.free()
		return nil, err
	}
	if err := b.ls.SetExec(ls, []string{"ls", "-l"}, os.Environ()); err != nil {
		rep.free()
		return nil, err
	}
	b.pids = b.ps.ExecArg(4)
	for i := range waitpidSleeps {
		b.sleeps[i] = unix.NsecToTimespec(scaledSleep(i, s.scale).Nanoseconds())
		b.tick = unix.NsecToTimespec(time.Millisecond.Nanoseconds())
		b.says[i] = []byte(fmt.Sprintf("%d th\n", i))
	}
	w := &waitpidRun{out: env.Out, lang: l, rep: rep, scale: s.scale, ps: ps, ls: ls}
	return &Plan{Body: b, After: w.after}, nil
}

type waitpidBody struct {
	sleeps [3]unix.Timespec
	// tick is how long child 0 sleeps between looks for its siblings'
	// pids (under load the parent may not have forked them yet).
	tick unix.Timespec
	says [3][]byte // "0 th\n", ...: each child's printf
	// alsoOne is child 1's second line.
	alsoOne []byte
	// ps and ls are the programs children 0 and 2 become; pids is ps's
	// -q argument, which child 0 fills in.
	ps, ls *rawchild.Spec
	pids   []byte
	digits [24]byte
	status int32

	errFork, errWait, errPs, errLs []byte
	rep                            report
}

//go:nosplit
//go:norace
func (b *waitpidBody) Run() {
	b.rep.put32(wpParent, uint32(rawchild.Getpid()))
	for i := 0; i < 3; i++ {
		pid, e := rawchild.Fork()
		if e != 0 {
			fail(b.errFork)
		}
		if pid == 0 {
			b.child(i)
		}
		b.rep.put32(wpForked+4*i, uint32(pid))
	}
	// The notes' loop: do { wpid = waitpid(-1, NULL, WNOHANG); if (wpid > 0) num++; } while (num < 3);
	// with a status, so that the timeline shows how each child ended.
	num, polls := 0, uint32(0)
	for num < 3 {
		pid, e := rawchild.Wait4(-1, &b.status, unix.WNOHANG)
		if e == unix.EINTR {
			continue
		}
		if e != 0 {
			fail(b.errWait)
		}
		if pid == 0 {
			polls++
			continue
		}
		b.rep.put32(wpReaps+8*num, uint32(pid))
		b.rep.put32(wpReaps+8*num+4, uint32(b.status))
		num++
		b.rep.put32(wpReaped, uint32(num))
	}
	b.rep.put32(wpPolls, polls)
	// printf("%d\n", num);
	b.digits[len(b.digits)-1] = '\n'
	n := putDecimal(b.digits[:len(b.digits)-1], num)
	rawchild.Write(1, rawchild.Addr(n), uintptr(len(n)+1))
}

// child is child i's part; it never returns.
//
//go:nosplit
//go:norace
func (b *waitpidBody) child(i int) {
	rawchild.Sleep(&b.sleeps[i])
	say(b.says[i])
	switch i {
	case 0:
		b.fillPids()
		rawchild.Exec(b.ps)
		fail(b.errPs)
	case 1:
		say(b.alsoOne)
	case 2:
		rawchild.Exec(b.ls)
		fail(b.errLs)
	}
	rawchild.Exit(0)
}

// fillPids writes the parent's pid and the children's into ps's -q
// argument: "PARENT,CHILD0,CHILD1,CHILD2". The parent stores the children's
// pids in the report page, which is shared (the body's own memory is child
// 0's private copy from before its siblings were forked); under load child 0
// may get here before the parent forked them, so it waits for them, up to
// two seconds, and lists those it has then.
//
//go:nosplit
//go:norace
func (b *waitpidBody) fillPids() {
	for try := 0; try < 2000 && (b.rep.get32n(wpForked+4) == 0 || b.rep.get32n(wpForked+8) == 0); try++ {
		rawchild.Sleep(&b.tick)
	}
	n := b.putPid(0, int(b.rep.get32n(wpParent)))
	for i := 0; i < 3; i++ {
		pid := int(b.rep.get32n(wpForked + 4*i))
		if i == 0 {
			pid = rawchild.Getpid() // its own slot may not be written yet
		}
		if pid == 0 {
			continue
		}
		b.pids[n] = ','
		n = b.putPid(n+1, pid)
	}
	b.pids[n] = 0
}

// putPid writes pid in decimal at b.pids[n:] and returns the end.
//
//go:nosplit
//go:norace
func (b *waitpidBody) putPid(n, pid int) int {
	for _, c := range putDecimal(b.digits[:], pid) {
		b.pids[n] = c
		n++
	}
	return n
}

// get32n reads what put32 wrote, in child code.
//
//go:nosplit
//go:norace
func (r report) get32n(off int) uint32 {
	b := r.b[off : off+4]
	return uint32(b[0]) | uint32(b[1])<<8 | uint32(b[2])<<16 | uint32(b[3])<<24
}

// waitpidRun checks and reports a run.
type waitpidRun struct {
	out    io.Writer
	lang   Lang
	rep    report
	scale  float64
	ps, ls string
}

func (w *waitpidRun) after(status int) error {
	defer w.rep.free()
	l := w.lang
	reaped := int(w.rep.get32(wpReaped))
	polls := w.rep.get32(wpPolls)
	what := [3]string{
		l.sprintf("child 0: slept %v, ran %s", "子进程 0：睡眠 %v，运行 %s", scaledSleep(0, w.scale), w.ps),
		l.sprintf("child 1: slept %v, printed", "子进程 1：睡眠 %v，打印", scaledSleep(1, w.scale)),
		l.sprintf("child 2: slept %v, ran %s", "子进程 2：睡眠 %v，运行 %s", scaledSleep(2, w.scale), w.ls),
	}
	var forked [3]int
	for i := range forked {
		forked[i] = int(w.rep.get32(wpForked + 4*i))
	}
	fmt.Fprintln(w.out, l.sprintf("the parent called wait4(-1, ..., WNOHANG) %s: %s it returned 0 (no child had exited yet), %s a pid (a reap)",
		"父进程调用了 %s wait4(-1, ..., WNOHANG)：其中 %s返回 0（还没有子进程退出），%s返回进程号（即回收）",
		quantityIn(l, int(polls)+reaped, "time", "times", "次"), quantityIn(l, polls, "time", "times", "次"), quantityIn(l, reaped, "time", "times", "次")))
	var bad []string
	for k := range reaped {
		pid := int(w.rep.get32(wpReaps + 8*k))
		ws := syscall.WaitStatus(w.rep.get32(wpReaps + 8*k + 4))
		who := l.pick("not one of its children", "不是它的子进程")
		for i, p := range forked {
			if p == pid {
				who = what[i]
			}
		}
		how := describeWait(l, ws)
		fmt.Fprintln(w.out, l.sprintf("  reap %d: pid %d (%s) %s", "  第 %d 次回收：进程 %d（%s）%s", k+1, pid, who, how))
		if !ws.Exited() || ws.ExitStatus() != 0 {
			bad = append(bad, l.sprintf("pid %d (%s) %s", "进程 %d（%s）%s", pid, who, how))
		}
	}
	switch {
	case status != 0:
		return l.statusError(status)
	case reaped != 3:
		return l.errorf("the parent reaped %s, want 3", "父进程回收了 %s，应为 3 个", quantityIn(l, reaped, "child", "children", "个子进程"))
	case len(bad) > 0:
		return l.errorf("a child did not exit with status 0: %s", "有子进程没有以状态 0 退出：%s", strings.Join(bad, l.pick("; ", "；")))
	}
	return nil
}

// describeWait says how a child ended, from its wait status: in English
// a verb phrase ("exited with 0"), in Chinese a predicate that follows
// the subject directly (以状态 0 退出).
func describeWait(l Lang, ws syscall.WaitStatus) string {
	switch {
	case ws.Exited():
		return l.sprintf("exited with %d", "以状态 %d 退出", ws.ExitStatus())
	case ws.Signaled() && ws.CoreDump():
		return l.sprintf("was killed by %[1]v (core dumped)", "被 %[2]s 信号终止（已生成核心转储）", ws.Signal(), signalName(ws.Signal()))
	case ws.Signaled():
		return l.sprintf("was killed by %[1]v", "被 %[2]s 信号终止", ws.Signal(), signalName(ws.Signal()))
	}
	return l.sprintf("has wait status %#x", "的等待状态为 %#x", uint32(ws))
}

// scaledSleep is how long child i sleeps with --scale.
func scaledSleep(i int, scale float64) time.Duration {
	return time.Duration(waitpidSleeps[i] * scale * float64(time.Second)).Round(time.Microsecond)
}
