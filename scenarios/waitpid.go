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
		Name:    "waitpid",
		Args:    "",
		Summary: "fork 3 children (one runs ps, one prints, one runs ls); the parent polls waitpid(-1, WNOHANG)",
		Lesson: `The notes' waitpid program. The parent forks three children and then asks
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
	if len(args) > 0 {
		return nil, usagef("waitpid takes no arguments, got %d", len(args))
	}
	if s.scale < 0 || s.scale > maxScale || math.IsNaN(s.scale) {
		return nil, usagef("--scale %v: the factor must be between 0 and %d", s.scale, maxScale)
	}
	ps, err := exec.LookPath("ps")
	if err != nil {
		return nil, fmt.Errorf("child 0 runs ps, which is not installed here (%w): install procps", err)
	}
	ls, err := exec.LookPath("ls")
	if err != nil {
		return nil, fmt.Errorf("child 2 runs ls, which is not installed here: %w", err)
	}
	rep, err := newReport()
	if err != nil {
		return nil, err
	}
	b := &waitpidBody{
		ps:      &rawchild.Spec{},
		ls:      &rawchild.Spec{},
		alsoOne: []byte("1231\n"),
		errFork: message("waitpid: fork error"),
		errWait: message("waitpid: wait4 error"),
		errPs:   message("waitpid: child 0: execve " + ps + " failed"),
		errLs:   message("waitpid: child 2: execve " + ls + " failed"),
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
	w := &waitpidRun{out: env.Out, rep: rep, scale: s.scale, ps: ps, ls: ls}
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
	rep    report
	scale  float64
	ps, ls string
}

func (w *waitpidRun) after(status int) error {
	defer w.rep.free()
	reaped := int(w.rep.get32(wpReaped))
	polls := w.rep.get32(wpPolls)
	what := [3]string{
		fmt.Sprintf("child 0: slept %v, ran %s", scaledSleep(0, w.scale), w.ps),
		fmt.Sprintf("child 1: slept %v, printed", scaledSleep(1, w.scale)),
		fmt.Sprintf("child 2: slept %v, ran %s", scaledSleep(2, w.scale), w.ls),
	}
	var forked [3]int
	for i := range forked {
		forked[i] = int(w.rep.get32(wpForked + 4*i))
	}
	fmt.Fprintf(w.out, "the parent called wait4(-1, ..., WNOHANG) %s: %s it returned 0 (no child had exited yet), %s a pid (a reap)\n",
		quantity(int(polls)+reaped, "time", "times"), quantity(polls, "time", "times"), quantity(reaped, "time", "times"))
	var bad []string
	for k := range reaped {
		pid := int(w.rep.get32(wpReaps + 8*k))
		ws := syscall.WaitStatus(w.rep.get32(wpReaps + 8*k + 4))
		who := "not one of its children"
		for i, p := range forked {
			if p == pid {
				who = what[i]
			}
		}
		how := describeWait(ws)
		fmt.Fprintf(w.out, "  reap %d: pid %d (%s) %s\n", k+1, pid, who, how)
		if !ws.Exited() || ws.ExitStatus() != 0 {
			bad = append(bad, fmt.Sprintf("pid %d (%s) %s", pid, who, how))
		}
	}
	switch {
	case status != 0:
		return statusError(status)
	case reaped != 3:
		return fmt.Errorf("the parent reaped %s, want 3", quantity(reaped, "child", "children"))
	case len(bad) > 0:
		return fmt.Errorf("a child did not exit with status 0: %s", strings.Join(bad, "; "))
	}
	return nil
}

// describeWait says how a child ended, from its wait status.
func describeWait(ws syscall.WaitStatus) string {
	switch {
	case ws.Exited():
		return fmt.Sprintf("exited with %d", ws.ExitStatus())
	case ws.Signaled() && ws.CoreDump():
		return fmt.Sprintf("was killed by %v (core dumped)", ws.Signal())
	case ws.Signaled():
		return fmt.Sprintf("was killed by %v", ws.Signal())
	}
	return fmt.Sprintf("has wait status %#x", uint32(ws))
}

// scaledSleep is how long child i sleeps with --scale.
func scaledSleep(i int, scale float64) time.Duration {
	return time.Duration(waitpidSleeps[i] * scale * float64(time.Second)).Round(time.Microsecond)
}
