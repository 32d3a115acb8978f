package tracer

import (
	"context"
	"errors"
	"fmt"
	"os"
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"golang.org/x/sys/unix"

	"github.com/mmtrace/mmtrace/internal/ptrace"
	"github.com/mmtrace/mmtrace/internal/rawchild"
	"github.com/mmtrace/mmtrace/tracer/filter"
	"github.com/mmtrace/mmtrace/tracer/sys"
)

// Config says what to trace and how to decode it.
type Config struct {
	// Filter selects the calls shown; nil means filter.Default().
	Filter *filter.Set
	// Decode controls argument formatting (strace's -s).
	Decode sys.Options
	// NoSeccomp turns off seccomp-filtered tracing: every syscall of
	// every tracee then stops twice, shown or not (strace's default).
	NoSeccomp bool

	// Messages makes the lines the traced processes write to their
	// stdout and stderr Message events, delivered at each write, instead
	// of output of their own: for a scenario, whose lines are part of the
	// story (see "Messages" in message.go). A program run with `mmtrace
	// run` keeps its output to itself, as under strace.
	Messages bool

	// Pin says whether the tracer and the tracees share a CPU.
	Pin Pin
	// Start is the time events are stamped from; zero means when the
	// trace starts. A renderer printing wall-clock times uses the same.
	Start time.Time

	// Serial lets one tracee run at a time, in a fixed order, so that
	// the events come in the same order on every run (see "Serial runs"
	// in serial.go). Every call then stops: it implies NoSeccomp. The
	// programs it runs do so without address-space randomisation.
	Serial bool

	// DetachOnExec lets a process go when it execs a new program, after
	// the first program's start (strace -b execve): it runs on untraced.
	// It implies NoSeccomp: a seccomp filter whose tracer has gone fails
	// the calls it selects with ENOSYS, and the process keeps its filter.
	DetachOnExec bool

	// ThreadsOnly follows the threads of the traced processes but not the
	// processes they create (--follow threads): a new process is let go
	// at its first stop, with the signal it was stopped for, and runs on
	// untraced, as do its own. It implies NoSeccomp, as DetachOnExec does.
	ThreadsOnly bool

	// Paths, when set, shows only the calls that touch one of its files
	// (strace's -P), among those Filter selects.
	Paths *filter.Paths

	// seccompOverride replaces the filter program, for tests of the
	// fallback when the kernel refuses it.
	seccompOverride []unix.SockFilter
}

// Result is how the traced program ended.
type Result struct {
	// Pid of the first process.
	Pid int
	// ExitCode, when it exited; Signal when a signal killed it.
	ExitCode int
	Signal   syscall.Signal
	Core     bool
	// ExecErr is set when the first process's execve failed and it never
	// ran the program.
	ExecErr syscall.Errno
	// Seccomp says the calls were selected by a seccomp filter; SeccompErr
	// is why the kernel refused one and the trace fell back to stopping at
	// every call.
	Seccomp    bool
	SeccompErr syscall.Errno
	// Detached: the trace attached to a running process and let it go
	// (Ctrl-C), leaving it running.
	Detached bool
}

// Status returns the exit status a shell would give: the exit code, or
// 128+signal.
func (r Result) Status() int {
	if r.Signal != 0 {
		return 128 + int(r.Signal)
	}
	return r.ExitCode
}

// ErrNotPermitted is wrapped by Run when the kernel refuses to let mmtrace
// trace its own child: another tracer took it (mmtrace runs under strace -f
// or gdb), or ptrace is disabled (a seccomp profile, a container without
// CAP_SYS_PTRACE, kernel.yama.ptrace_scope=3). The message says which: the
// error is a *NotPermittedError. Attach returns a *RefusedError instead.
var ErrNotPermitted = errors.New("the kernel refused ptrace")

// ErrOutput is wrapped, with the sink's error, by Run and Attach when a
// sink failed to write (a closed pipe, a full disk): the trace stopped
// there, killing the processes it started or detaching from those it
// attached to, as a closed output ends strace.
var ErrOutput = errors.New("writing the trace failed")

// Tracer runs one trace.
type Tracer struct {
	cfg   Config
	sinks []Sink

	start time.Time
	root  int
	// tracerTid is the thread the trace runs on: the tracer the kernel
	// names in a tracee's /proc/TID/status.
	tracerTid int
	// The accounts, kept exactly (see "Bookkeeping" below): threads holds
	// every task from its first report until its exit is reaped, procs
	// counts them by process, and gone remembers the tasks reaped before
	// their creator's fork or clone event came, so that the late event is
	// not taken for a new task (tid -> the process that would report it,
	// 0 if unknown).
	threads map[int]*thread
	procs   map[int]int
	gone    map[int]int
	result  Result
	rootRan bool // the root got past its first execve
	// rootExecs: the root execs a program (rawchild.Spec.Execs): if it
	// exits before its exec stop, its status is the execve's errno.
	rootExecs bool
	// rootLet: the root was let go (DetachOnExec); still the tracer's
	// child, its exit is reaped by the loop and is the trace's result.
	rootLet bool
	ownCont bool // the SIGCONT sent at start is still to come
	// setup: the root is still installing its seccomp filter; its calls
	// until seccomp returns are mmtrace's, not the program's.
	setup bool
	// seccomp: the filter is on, so tracees run with PTRACE_CONT between
	// the calls it stops.
	seccomp   bool
	seccompNr int // the seccomp syscall's number on the host
	// affinityNr is sched_setaffinity's number on the host while the pin
	// may move tracees (-1: it may not): see "Own masks" in pin.go.
	affinityNr int
	// pinned: the tracer's thread, and so the tracees, which inherit its
	// mask, run on one CPU (see pinCPU); origMask is the mask before.
	pinned   bool
	origMask unix.CPUSet
	// pinUntilSpawn: the pin ends when a tracee creates another task,
	// so that a program that runs in parallel does (PinSpawn).
	pinUntilSpawn bool
	// pin follows the tracees' measured parallelism (PinAuto): see pin.go.
	pin *pinMonitor

	info ptrace.InfoReader
	si   ptrace.SyscallInfo
	sigb [ptrace.SiginfoSize]byte
	ev   Event
	// The messages' state (message.go): the write calls' numbers, a
	// buffer, and each thread's partial line on each fd.
	writeNr, writevNr int
	msgBuf            []byte
	partial           map[lineKey]*partialLine
	// sinkMu serialises the sinks between the trace's goroutine and the
	// flusher; dirty says events came since the last flush, and changes
	// only under sinkMu.
	sinkMu sync.Mutex
	dirty  atomic.Bool
	// sinkErr is the first error a sink's Flush returned, under sinkMu.
	sinkErr error

	// mu guards what Interrupt and killAll, which run on other
	// goroutines, read; the rest of the tracer's state is the trace's
	// goroutine's alone.
	mu sync.Mutex
	// pidfds holds a pidfd for each traced process (pid -> fd, or -1
	// where the kernel gave none), from the registration of its first
	// task until the reaping of its last. Signals from other goroutines go
	// only through these: see "Signals" below.
	pidfds      map[int]int
	interrupted bool
	killed      bool // killAll ran: new tracees die at once
	// onSignal, set only by tests (export_test.go) before the trace
	// starts, sees every signal the tracer sends, just before it goes.
	onSignal func(sentSignal)

	// attached: the trace seized a running process (Attach); it is let go,
	// not killed, when the trace is interrupted.
	attached  bool
	detachReq atomic.Bool
	// waker ends when a detach is requested, waking the blocked wait.
	waker *rawchild.Waker
	wake  func() // waker.Wake, for Interrupt, under mu

	// ser: a serial run (Config.Serial); nil otherwise.
	ser *serial

	// pending holds the stops taken from the kernel and not yet handled,
	// oldest first: see "Taking turns".
	pending []report
	// round counts the looks for stops (takeTurns), from 1; looks too,
	// for the tests.
	round uint64
	looks int
	// beforeWait, set only by tests (export_test.go) before the trace
	// starts, runs before each wait of the loop.
	beforeWait func()
	// reuseCalls: every sink keeps no call past its CallExit
	// (KeepsNoCalls); freeCalls are the records of the calls ended, for
	// reuse. One per thread in a call at once is all it ever holds.
	reuseCalls bool
	freeCalls  []*sys.Call
	// yielded is when the loop last yielded (see "Yielding"); yields
	// counts it, for the tests.
	yielded time.Time
	yields  int
	// yieldClock, set only by tests, replaces time.Now for yielding.
	yieldClock func() time.Time
	// stateHook, set only by tests, replaces procState where a serial
	// run's awaitStop looks whether the running tracee sleeps, and makes
	// it look without yielding first.
	stateHook func(tid int) (byte, error)
}

// report is a stop or exit as wait4 gave it.
type report struct {
	tid int
	ws  unix.WaitStatus
}

type thread struct {
	tid, pid int
	inCall   bool // between a syscall's entry and exit stops
	// viaSeccomp: the call in flight was entered at a seccomp stop; a
	// syscall-entry stop for it may still come, and is not a new call.
	viaSeccomp bool
	nr         int       // the call in flight, during setup
	call       *sys.Call // the shown call in flight, or nil
	mem        ptrace.Mem
	// awaitCreator: the task was first seen by its own stop, and the
	// fork or clone event of its creator, in this process, is still to
	// come (0: none is expected).
	awaitCreator int
	// ser is its part in a serial run.
	ser serialThread
	// reports counts the waits that reported the task in round, the
	// loop's count of looks for other stops (see "Taking turns").
	round   uint64
	reports int
	// letGo: a new process not to be followed (Config.ThreadsOnly); it is
	// detached at its first stop.
	letGo bool
	// ownMask: the task's CPU mask is the program's own, set by a
	// sched_setaffinity or inherited from a task that set it: the pin
	// never changes it (see "Own masks" in pin.go).
	ownMask bool
	// affTid is the task a sched_setaffinity in flight binds (0: none),
	// affWas its ownMask before, given back if the call fails.
	affTid int
	affWas bool
}

// New returns a tracer that delivers events to sinks.
func New(cfg Config, sinks ...Sink) *Tracer {
	if cfg.Filter == nil {
		cfg.Filter = filter.Default()
	}
	if cfg.Serial || cfg.DetachOnExec || cfg.ThreadsOnly {
		cfg.NoSeccomp = true
	}
	t := &Tracer{cfg: cfg, sinks: sinks, affinityNr: -1}
	if cfg.Pin != PinNever {
		if nr, ok := sys.Number(sys.HostArch(), "sched_setaffinity"); ok {
			t.affinityNr = nr
		}
	}
	t.reuseCalls = len(sinks) > 0
	for _, s := range sinks {
		if _, ok := s.(KeepsNoCalls); !ok {
			t.reuseCalls = false
		}
	}
	return t
}

// newCall returns a record for a call entered: an ended one when the sinks
// keep none (reuseCalls), else a new one.
func (t *Tracer) newCall(arch sys.Arch, nr int, args [6]uint64) *sys.Call {
	if n := len(t.freeCalls); n > 0 {
		c := t.freeCalls[n-1]
		t.freeCalls = t.freeCalls[:n-1]
		c.Reuse(arch, nr, args)
		return c
	}
	return sys.NewCall(arch, nr, args)
}

// endCall takes back the record of a call whose CallExit, or whose
// thread's Exit, the sinks have seen, if they keep none. A call that ends
// otherwise (its thread is let go in it, or superseded, or its exit stop
// never comes) is left to the collector.
func (t *Tracer) endCall(c *sys.Call) {
	if t.reuseCalls {
		t.freeCalls = append(t.freeCalls, c)
	}
}

// Run starts spec as a traced child and traces it and all its descendants
// until the last one is gone. Cancelling ctx is like Interrupt(SIGKILL).
func (t *Tracer) Run(ctx context.Context, spec *rawchild.Spec) (Result, error) {
	return t.locked(ctx, func() (Result, error) { return t.run(spec) })
}

// Attach traces the running process pid, and the others of more (strace
// -p given several times), every thread of them and every process they
// create, until they end or the trace is interrupted (Interrupt, or ctx
// cancelled): then it lets every tracee go, running. The Result is pid's.
// If one of them cannot be traced, none is: the error names it.
func (t *Tracer) Attach(ctx context.Context, pid int, more ...int) (Result, error) {
	t.attached = true
	pids := append([]int{pid}, more...)
	return t.locked(ctx, func() (Result, error) { return t.attach(pids) })
}

// locked runs a trace on a goroutine locked to its thread.
func (t *Tracer) locked(ctx context.Context, trace func() (Result, error)) (Result, error) {
	type outcome struct {
		r   Result
		err error
	}
	done := make(chan outcome, 1)
	go func() {
		// Never unlocked: the thread ends with the trace (see the package
		// documentation).
		runtime.LockOSThread()
		r, err := trace()
		if err == nil {
			err = t.outputErr()
		}
		done <- outcome{r, err}
	}()
	select {
	case o := <-done:
		return o.r, o.err
	case <-ctx.Done():
		if t.attached {
			t.Interrupt(unix.SIGINT)
		} else {
			t.Interrupt(unix.SIGKILL)
		}
		o := <-done
		return o.r, o.err
	}
}

// begin sets up the accounts of a trace, on the trace's goroutine.
func (t *Tracer) begin() {
	// No SIGCHLD per stop: wait4 tells of the stops (see
	// ptrace.QuietChildStops). A failure only costs speed.
	ptrace.QuietChildStops()
	t.threads = make(map[int]*thread)
	t.round = 1 // a new task's zero round is none
	t.procs = make(map[int]int)
	t.gone = make(map[int]int)
	t.tracerTid = unix.Gettid()
	t.start = t.startTime()
	t.mu.Lock()
	t.pidfds = make(map[int]int)
	t.mu.Unlock()
}

func (t *Tracer) run(spec *rawchild.Spec) (Result, error) {
	t.begin()
	if t.cfg.Serial {
		t.ser = &serial{queue: map[int][]unix.WaitStatus{}}
	}

	s := *spec
	s.StopSelf = true
	s.NullOutput = s.NullOutput || t.cfg.Messages
	// A serial run's layout must repeat too: on arm64 the loader maps a
	// library's segments into a larger reservation aligned from a random
	// base and unmaps the rest, so with randomisation the sizes of its
	// munmap calls changed from run to run.
	s.NoASLR = s.NoASLR || t.cfg.Serial
	if err := t.prepareSeccomp(&s); err != nil {
		return Result{}, err
	}
	t.pinCPU(&s)
	defer t.unbind()
	pid, err := rawchild.Start(&s)
	if err != nil {
		return Result{}, fmt.Errorf("starting child: %w", err)
	}
	t.root = pid
	t.result.Pid = pid
	t.rootExecs = s.Execs()
	if err := t.seize(pid); err != nil {
		t.kill(pid, unix.SIGKILL) // our child, not yet reaped
		var ws unix.WaitStatus
		unix.Wait4(pid, &ws, unix.WALL, nil)
		return Result{}, err
	}
	th := t.register(pid, pid)
	t.ownCont = true
	t.kill(pid, unix.SIGCONT) // not yet reaped: see "Signals"
	t.killIfKilled(th)
	return t.loop()
}

// loop handles stops until no tracee is left: for a program mmtrace
// started, until the kernel says so (ECHILD), so that a tracee the accounts
// have not met yet is waited for too; for an attached one, whose trace
// also has the waker for a child, until the last task known has exited.
func (t *Tracer) loop() (Result, error) {
	stop, done := make(chan struct{}), make(chan struct{})
	go t.flusher(stop, done)
	var pinDone chan struct{}
	if t.pin != nil {
		pinDone = make(chan struct{})
		go t.pin.watch(t, stop, pinDone)
	}
	defer func() {
		close(stop)
		<-done
		if pinDone != nil {
			<-pinDone
		}
	}()
	defer t.closePidfds()
	if t.ser != nil {
		if err := t.serialLoop(); err != nil && !errors.Is(err, unix.ECHILD) {
			t.killAll()
			return t.result, err
		}
		t.sayRest(0)
		t.flush()
		return t.result, nil
	}
	for !t.attached || len(t.threads) > 0 || len(t.pending) > 0 {
		if len(t.pending) > 0 {
			// Shifted down rather than resliced, so that one array serves
			// the whole trace: the loop allocates nothing per stop.
			r := t.pending[0]
			t.pending = t.pending[:copy(t.pending, t.pending[1:])]
			t.handle(r.tid, r.ws)
			continue
		}
		if t.attached && t.detachReq.Load() {
			t.detachAll()
			t.result.Detached = true
			break
		}
		if t.beforeWait != nil {
			t.beforeWait()
		}
		t.yieldSometimes()
		tid, ws, err := t.wait()
		if t.pin != nil {
			t.pin.apply(t)
		}
		if err != nil {
			if errors.Is(err, unix.ECHILD) {
				break // every tracee is gone; nothing more will come
			}
			if t.attached {
				t.detachAll()
			} else {
				t.killAll()
			}
			return t.result, err
		}
		if tid == 0 {
			continue // the waker, or the pin monitor: look again
		}
		t.takeTurns(tid)
		t.handle(tid, ws)
	}
	t.sayRest(0)
	t.flush()
	return t.result, nil
}

// # Yielding
//
// The trace's goroutine is locked to its thread and never blocks on
// anything but wait4, so the runtime never schedules it anew: after 10 ms
// on the same scheduling tick, Go's sysmon takes its P away in the middle
// of a wait4 (runtime.retake's forced preemption) and asks it to yield.
// That costs a hand-over of the P to another thread and back, and resets
// sysmon to polling every 20 µs for its next 50 rounds: on `git status`
// (about 500 stops in 60 ms) sysmon slept and woke about 130 times, most
// of them in the few ms after each such preemption, and its wake-ups were
// about 8% of mmtrace's samples. Yielding at a time of our choosing,
// before a wait, every yieldEvery, gives sysmon a new tick to see, so it
// never preempts and backs off to sleeping 10 ms at a time.

// yieldEvery is how often the loop yields: under sysmon's 10 ms with a
// margin for the handling of a stop between two waits.
const yieldEvery = 5 * time.Millisecond

// yieldSometimes yields the trace's goroutine if yieldEvery has passed
// since it last did.
func (t *Tracer) yieldSometimes() {
	var now time.Time
	if t.yieldClock != nil {
		now = t.yieldClock()
	} else {
		now = time.Now()
	}
	if now.Sub(t.yielded) < yieldEvery {
		return
	}
	t.yielded = now
	t.yields++
	runtime.Gosched()
}

// attach seizes every thread of pid, stops each once (PTRACE_INTERRUPT)
// so that it can be restarted at syscall stops, and runs the loop. No
// seccomp filter (a running process cannot be given one) and no EXITKILL
// (mmtrace's end must not end the process it watched).
func (t *Tracer) attach(pids []int) (Result, error) {
	t.begin()
	t.root = pids[0]
	t.result.Pid = pids[0]
	t.rootRan = true
	waker, err := rawchild.StartWaker()
	if err != nil {
		return t.result, fmt.Errorf("attach: %w", err)
	}
	t.waker = waker
	t.mu.Lock()
	t.wake = waker.Wake
	t.mu.Unlock()
	defer t.stopWaker()
	defer t.closePidfds()
	for _, pid := range pids {
		if err := t.seizeProcess(pid); err != nil {
			return t.result, err
		}
	}
	return t.loop()
}

// seizeProcess seizes every thread of pid, for attach; on an error it has
// let go of every thread seized so far, of every process.
func (t *Tracer) seizeProcess(pid int) error {
	opts := ptrace.Options &^ unix.PTRACE_O_EXITKILL
	traced := 0 // threads of pid now ours
	// Threads may start while we seize the others: list until no new one.
	for {
		tids, err := threadsOf(pid)
		if err != nil {
			t.detachAll()
			if errors.Is(err, unix.ESRCH) {
				err = refused(pid, err)
			}
			return fmt.Errorf("attach %d: %w", pid, err)
		}
		added := 0
		for _, tid := range tids {
			if t.threads[tid] != nil {
				traced++ // the same process named twice, or seized already
				continue
			}
			if err := ptrace.Seize(tid, opts); err != nil {
				if errors.Is(err, unix.ESRCH) {
					continue // the thread ended meanwhile
				}
				if errors.Is(err, unix.EPERM) {
					// The kernel refuses a thread that is exiting, and
					// one already ours: created since by a thread we
					// seized, and so traced from its start.
					st, serr := readStatus(tid)
					if serr != nil || st.state == 'Z' || st.state == 'X' {
						continue
					}
					if st.tracer == t.tracerTid {
						t.adopt(tid, nil)
						added++
						traced++
						continue
					}
				}
				t.detachAll()
				if errors.Is(err, unix.EPERM) {
					err = refused(tid, err)
				}
				return fmt.Errorf("attach %d: %w", pid, err)
			}
			t.register(tid, pid)
			ptrace.Interrupt(tid)
			added++
			traced++
		}
		if added == 0 {
			break
		}
	}
	if traced == 0 {
		t.detachAll()
		return fmt.Errorf("attach %d: %w", pid, refused(pid, unix.ESRCH))
	}
	return nil
}

// stopWaker ends and reaps the waker if it is still there.
func (t *Tracer) stopWaker() {
	if k := t.waker; k != nil {
		t.waker = nil
		k.Stop()
		var ws unix.WaitStatus
		unix.Wait4(k.Pid, &ws, unix.WALL, nil)
	}
}

// threadsOf lists the threads of process pid.
func threadsOf(pid int) ([]int, error) {
	ents, err := os.ReadDir("/proc/" + strconv.Itoa(pid) + "/task")
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, unix.ESRCH
		}
		return nil, err
	}
	tids := make([]int, 0, len(ents))
	for _, e := range ents {
		if tid, err := strconv.Atoi(e.Name()); err == nil {
			tids = append(tids, tid)
		}
	}
	return tids, nil
}

// detachAll stops every tracee and detaches it, passing on a signal it was
// stopped for, so the processes run on as if never traced. A task created
// meanwhile (its creator is stopped at the fork or clone event) is waited
// for and let go as well; the wait ends when every task known has been
// let go or has exited.
func (t *Tracer) detachAll() {
	t.flush()
	waiting := make(map[int]bool, len(t.threads))
	for tid := range t.threads {
		ptrace.Interrupt(tid)
		waiting[tid] = true
	}
	done := map[int]bool{} // let go or exited during this detach
	for len(waiting) > 0 {
		var ws unix.WaitStatus
		tid, err := ptrace.Wait(&ws)
		if err != nil {
			break // ECHILD: nothing left to detach
		}
		if t.waker != nil && tid == t.waker.Pid {
			t.waker = nil // woken and reaped
			continue
		}
		delete(waiting, tid)
		done[tid] = true
		st := ptrace.Classify(ws)
		th := t.threads[tid]
		if st.Kind == ptrace.Exited {
			if th != nil {
				t.exited(th, ws)
			}
			continue
		}
		var sig syscall.Signal
		switch st.Kind {
		case ptrace.SignalStop:
			sig = st.Signal
		case ptrace.EventStop:
			msg, err := ptrace.EventMsg(tid)
			if err != nil {
				break
			}
			switch st.Event {
			case unix.PTRACE_EVENT_FORK, unix.PTRACE_EVENT_VFORK, unix.PTRACE_EVENT_CLONE:
				if c := int(msg); c > 0 && !done[c] {
					if _, stale := t.gone[c]; !stale {
						waiting[c] = true // its first stop is still to come
					}
				}
			case unix.PTRACE_EVENT_EXEC:
				// A thread's exec: it reports under the leader's tid (the
				// old leader is gone unreported), and its own is free.
				if old := int(msg); old != tid {
					delete(waiting, old)
					done[old] = true
					if o := t.threads[old]; o != nil {
						t.forget(o)
					}
				}
			}
		}
		if th != nil {
			// As at an exec's let-go: the renderers end the lane as
			// detached and the call in flight "<detached ...>".
			e := t.event(Detached, th)
			e.Call = th.call
			t.emit(e)
			th.call = nil
		}
		ptrace.Detach(tid, sig)
		if th != nil {
			t.forget(th)
		}
	}
	t.flush()
}

func (t *Tracer) startTime() time.Time {
	if t.cfg.Start.IsZero() {
		return time.Now()
	}
	return t.cfg.Start
}

// prepareSeccomp gives the child the seccomp program of the filter, unless
// it is off or useless (a set of every call stops at every call anyway).
func (t *Tracer) prepareSeccomp(s *rawchild.Spec) error {
	arch := sys.HostArch()
	if t.cfg.NoSeccomp || arch == sys.ArchUnknown || t.cfg.Filter.Full() {
		return nil
	}
	prog := t.cfg.seccompOverride
	if prog == nil {
		var err error
		var fds []int
		if t.cfg.Messages {
			fds = messageFDs
		}
		set := t.cfg.Filter
		if t.affinityNr >= 0 {
			// The pin must see a program set its own mask, shown or not.
			own := *set
			own.Add("sched_setaffinity")
			set = &own
		}
		if prog, err = set.Seccomp(arch, fds...); err != nil {
			return err
		}
	}
	nr, ok := sys.Number(arch, "seccomp")
	if !ok {
		return nil
	}
	s.SetSeccomp(prog)
	t.setup = true
	t.seccompNr = nr
	return nil
}

// Pin says when the tracer and its tracees share one CPU.
type Pin uint8

// The pinning policies.
const (
	// PinAuto shares a CPU while at most one tracee runs at a time, and
	// spreads the tracees over mmtrace's CPUs while two or more are
	// runnable at once: see pin.go.
	PinAuto Pin = iota
	PinAlways
	PinNever
	// PinSpawn shares a CPU until a tracee first creates a process or
	// thread (with the seccomp filter; for good without it): the policy
	// before PinAuto followed the measured parallelism, kept to compare.
	PinSpawn
)

// seize waits for the child's self-stop and attaches to it.
func (t *Tracer) seize(pid int) error {
	var ws unix.WaitStatus
	for {
		_, err := unix.Wait4(pid, &ws, unix.WUNTRACED|unix.WALL, nil)
		if err == unix.EINTR {
			continue
		}
		if err != nil {
			return fmt.Errorf("waiting for child %d to stop: %w", pid, err)
		}
		break
	}
	if !ws.Stopped() {
		return &ChildGoneError{Pid: pid, Status: ws}
	}
	opts := ptrace.Options
	if t.setup {
		opts |= unix.PTRACE_O_TRACESECCOMP
	}
	if err := ptrace.Seize(pid, opts); err != nil {
		if errors.Is(err, unix.EPERM) {
			w := seizeWhy(procFS{"/proc"}, pid)
			return &NotPermittedError{Reason: w.en, ReasonZH: w.zh, Err: err}
		}
		return err
	}
	return nil
}

// wait returns the next stop.
func (t *Tracer) wait() (int, unix.WaitStatus, error) {
	var ws unix.WaitStatus
	var tid int
	var err error
	if t.pin != nil {
		// The monitor may interrupt this wait (ptrace.Wake) to have
		// the loop apply its verdict while every tracee runs freely.
		t.pin.waiting.Store(true)
		tid, err = ptrace.WaitWakeable(&ws)
		t.pin.waiting.Store(false)
	} else {
		tid, err = ptrace.Wait(&ws)
	}
	if t.waker != nil && tid == t.waker.Pid {
		t.waker = nil
		return 0, ws, nil // a detach request: the loop looks
	}
	return tid, ws, err
}

// # Taking turns
//
// wait4 does not report the stopped tracees in the order they stopped: it
// looks at the tracer's own child first (the first process, which is both
// its child and its tracee), then at the other tracees, newest first, and
// returns the first it finds stopped. A tracee that stops again before the
// tracer is back in wait4 (a loop polling waitpid(WNOHANG), each of whose
// calls stops) is then reported every time, and the stops of the others
// wait behind it for as long as it loops: under emulation, where the
// tracer's work per stop is slow, the waitpid scenario's parent polled
// 200,000 times in two minutes while its children, stopped, got a call
// handled every few seconds and never finished. So, while more than one
// task is traced, the loop looks (WNOHANG) for every other stop already
// there, and handles those, in the kernel's order, before the next wait.
// It looks once a task has been reported turnsPerLook times since the last
// look: a stopped tracee waits for at most that many reports of each of
// the others before it gets its turn. A look after every wait, as before,
// cost a wait4 that found nothing most of the time (gcc -c: about 600 a
// run, 3% of mmtrace's samples: the driver waits in wait4 while its child
// makes the calls, and only the child stops). A trace of one task makes
// no look.

// turnsPerLook is how many times one task may be reported by wait between
// two looks for the others' stops.
const turnsPerLook = 4

// takeTurns takes every stop the kernel has ready into pending, after a
// wait returned tid's, when more than one task is traced and tid has been
// reported turnsPerLook times since the last look.
func (t *Tracer) takeTurns(tid int) {
	if len(t.threads) < 2 {
		return
	}
	if th := t.threads[tid]; th != nil {
		if th.round != t.round {
			th.round, th.reports = t.round, 0
		}
		if th.reports++; th.reports < turnsPerLook {
			return
		}
	}
	// A task not in the accounts (new, or gone) looks at once.
	t.round++
	t.looks++
	for {
		var ws unix.WaitStatus
		tid, err := unix.Wait4(-1, &ws, unix.WALL|unix.WNOTHREAD|unix.WNOHANG, nil)
		if err == unix.EINTR {
			continue
		}
		if err != nil || tid <= 0 {
			return // none ready (0), or none left (ECHILD): the next wait says
		}
		if t.waker != nil && tid == t.waker.Pid {
			t.waker = nil // a detach request: the loop looks once pending is done
			continue
		}
		t.pending = append(t.pending, report{tid, ws})
	}
}

// flushEvery is how long output may wait in the sinks' buffers. The loop
// cannot know whether its next wait4 will block (the tracee may sleep, or
// wait for input), so rather than flushing before every wait, which costs
// two system calls per shown call, a flusher flushes what is pending at
// this pace; exits and signals flush at once.
const flushEvery = 100 * time.Millisecond

// flusher flushes the sinks while the loop runs, until stop is closed.
func (t *Tracer) flusher(stop <-chan struct{}, done chan<- struct{}) {
	defer close(done)
	tick := time.NewTicker(flushEvery)
	defer tick.Stop()
	for {
		select {
		case <-stop:
			return
		case <-tick.C:
			t.flushIfDirty()
		}
	}
}

// flushIfDirty flushes the sinks if events came since the last flush.
// Both the look and the flush are under sinkMu, as emit's setting of
// dirty is: a text timeline takes a Flush with no event since the
// previous one for the tracees gone quiet, and prints its open folds (the
// parent's "repeated N more times" line) there. With the look outside
// the lock, the flusher could find dirty set by an event that the trace's
// own flush (at an exit or a signal) then took, or flush an event whose
// emit had not set dirty yet, which then stayed set: either way a Flush
// came with no event since the previous one, at a time and not at an
// event, and ended the folds there. Under emulation, where 100 ms and
// more pass between two of ps's calls, the waitpid parent's folded polls
// showed at other places among ps's calls from one --stable run to the
// next (issue 16).
func (t *Tracer) flushIfDirty() { t.flushSinks(true) }

// flush flushes every sink. The first error ends the trace (outputFailed).
func (t *Tracer) flush() { t.flushSinks(false) }

// flushSinks flushes every sink; onlyDirty: only if events came since the
// last flush.
func (t *Tracer) flushSinks(onlyDirty bool) {
	t.sinkMu.Lock()
	if onlyDirty && !t.dirty.Load() {
		t.sinkMu.Unlock()
		return
	}
	t.dirty.Store(false)
	failed := false
	for _, s := range t.sinks {
		if err := s.Flush(); err != nil && t.sinkErr == nil {
			t.sinkErr = fmt.Errorf("%w: %w", ErrOutput, err)
			failed = true
		}
	}
	t.sinkMu.Unlock()
	if failed {
		t.outputFailed()
	}
}

// outputFailed ends a trace whose output cannot be written: nobody would
// see the rest, and a tracee must not wait for a reader that is gone. The
// processes the trace started are killed, as Interrupt(SIGKILL) does
// (strace's behaviour on a closed output); attached ones are let go. Run
// then returns the sink's error (outputErr). Called without sinkMu: the
// interrupt machinery must never wait for a sink.
func (t *Tracer) outputFailed() {
	t.Interrupt(unix.SIGKILL)
}

// outputErr returns the first sink error, wrapping ErrOutput, or nil.
func (t *Tracer) outputErr() error {
	t.sinkMu.Lock()
	defer t.sinkMu.Unlock()
	return t.sinkErr
}

func (t *Tracer) emit(e *Event) {
	e.Time = time.Since(t.start)
	t.sinkMu.Lock()
	for _, s := range t.sinks {
		s.Event(e)
	}
	t.dirty.Store(true) // under sinkMu: see flushIfDirty
	t.sinkMu.Unlock()
	switch e.Kind {
	case Exit, Signal, Stopped, Superseded:
		t.flush()
	}
}

// event resets the reusable event for a thread.
func (t *Tracer) event(k Kind, th *thread) *Event {
	t.ev = Event{Kind: k, Pid: th.pid, Tid: th.tid}
	return &t.ev
}

// # Bookkeeping
//
// A task is in the accounts (threads, procs) from its first report until
// its exit is reaped, exactly once. Its first report is its own first stop
// or its creator's fork/clone event, whichever wait returns first, and
// under load either order happens: the kernel's wait looks at the newest
// tracees first, so a new thread's first stop, and even its exit, is often
// reported before its creator's event. Both orders are handled:
//
//   - event first: adopt registers the child; its own stop then finds it.
//   - own stop first: adopt registers it with awaitCreator set; the event
//     then finds it and clears awaitCreator. If the task exits first, its
//     id goes into gone, and the event, when it comes, is dropped as stale
//     (the id may already be another task's).
//   - exit first (a task killed before its first stop was reported): no
//     report of it was made and none is; its id goes into gone, so that
//     the creator's event is dropped too.
//
// An entry of gone is cleared by the event it waits for, by a new task's
// own stop with the same id (a task the kernel reports is new: an exited
// one never stops again), or when its creator's process ends. Should a
// stale event still come (its creator forked with CLONE_PARENT, say), adopt
// takes a child from an event only if /proc says it is traced by this very
// thread: a task whose exit we reaped is no longer anyone's tracee, and its
// id, if reused, belongs to a task that is not ours, or that is ours and
// reports its own stop.
//
// # Signals
//
// A task's id is its own until its exit is reaped; only then can the kernel
// give it to a new task. Reaping happens only on the trace's thread, so a
// signal sent by that thread to a task in the accounts cannot reach another
// task (kill, tgkill). Interrupt and killAll run on other goroutines and may
// race with a reap: they signal a process only through the pidfd opened
// when its first task was registered (pidfd_send_signal), which names that
// process and no other; once the process is reaped, the send fails with
// ESRCH. The pidfd is closed, under mu, when the last task is reaped. Only
// where the kernel gives no pidfd (before Linux 5.3, or the file table is
// full) does a number go, checked against the accounts under mu. Threads are never signalled one
// by one from other goroutines: a SIGKILL to a process ends all of its
// threads, those not yet reported included.

// register adds a task to the accounts. The caller is the trace's thread
// and the task's exit has not been reaped, so tid and pid are its own.
func (t *Tracer) register(tid, pid int) *thread {
	th := &thread{tid: tid, pid: pid, mem: ptrace.Mem{Tid: tid}}
	t.threads[tid] = th
	t.serialRegister(th)
	delete(t.gone, tid) // a new task with an old task's id
	t.pinTask(tid, pid)
	t.procs[pid]++
	if t.procs[pid] == 1 {
		fd, err := unix.PidfdOpen(pid, 0)
		if err != nil {
			fd = -1
		}
		t.mu.Lock()
		t.pidfds[pid] = fd
		t.mu.Unlock()
	}
	return th
}

// forget takes a task out of the accounts: it exited, or was let go.
// It reports whether the task was its process's last.
func (t *Tracer) forget(th *thread) (last bool) {
	delete(t.threads, th.tid)
	t.pinTask(th.tid, 0)
	if th.awaitCreator != 0 {
		t.gone[th.tid] = th.awaitCreator
	}
	t.procs[th.pid]--
	if t.procs[th.pid] > 0 {
		return false
	}
	delete(t.procs, th.pid)
	t.mu.Lock()
	if fd, ok := t.pidfds[th.pid]; ok {
		if fd >= 0 {
			unix.Close(fd)
		}
		delete(t.pidfds, th.pid)
	}
	t.mu.Unlock()
	// No thread of the process is left to report a creator's event.
	for tid, creator := range t.gone {
		if creator == th.pid {
			delete(t.gone, tid)
		}
	}
	return true
}

// closePidfds closes what pidfds are left when the trace ends.
func (t *Tracer) closePidfds() {
	t.mu.Lock()
	defer t.mu.Unlock()
	for pid, fd := range t.pidfds {
		if fd >= 0 {
			unix.Close(fd)
		}
		delete(t.pidfds, pid)
	}
}

// killIfKilled kills a task registered after killAll ran, which would
// otherwise run on. The caller is the trace's thread and the task is not
// reaped (see "Signals").
func (t *Tracer) killIfKilled(th *thread) {
	t.mu.Lock()
	kill := t.killed
	t.mu.Unlock()
	if kill {
		t.tgkill(th.pid, th.tid, unix.SIGKILL)
	}
}

// sentSignal is a signal the tracer sends, as the test hook sees it.
type sentSignal struct {
	Pid int // the process
	Tid int // the thread, for tgkill; 0 otherwise
	FD  int // the pidfd it goes through, or -1
	Sig syscall.Signal
}

// kill sends sig to process pid by number: only from the trace's thread,
// to a process not reaped.
func (t *Tracer) kill(pid int, sig syscall.Signal) {
	if t.onSignal != nil {
		t.onSignal(sentSignal{Pid: pid, FD: -1, Sig: sig})
	}
	unix.Kill(pid, sig)
}

// tgkill sends sig to one thread by number: only from the trace's thread,
// to a thread not reaped.
func (t *Tracer) tgkill(pid, tid int, sig syscall.Signal) {
	if t.onSignal != nil {
		t.onSignal(sentSignal{Pid: pid, Tid: tid, FD: -1, Sig: sig})
	}
	unix.Tgkill(pid, tid, sig)
}

// signalProc sends sig to a process in the accounts, through its pidfd.
// The caller holds mu, so the pidfd is open and still this process's.
func (t *Tracer) signalProc(pid int, sig syscall.Signal) {
	fd, ok := t.pidfds[pid]
	if !ok {
		return // not traced, or already reaped
	}
	if t.onSignal != nil {
		t.onSignal(sentSignal{Pid: pid, FD: fd, Sig: sig})
	}
	if fd >= 0 {
		unix.PidfdSendSignal(fd, sig, nil, 0)
		return
	}
	// No pidfd (an old kernel, or no free descriptor): the number, which
	// the trace's thread may have reaped a moment ago; the window is from
	// its wait4 to its forget.
	unix.Kill(pid, sig)
}

// adopt registers a new tracee seen first by its own stop (creator nil) or
// by its creator's event, and reports the spawn. For an event whose child
// has already exited it does nothing and returns nil (see "Bookkeeping").
func (t *Tracer) adopt(tid int, creator *thread) *thread {
	if th := t.threads[tid]; th != nil {
		if creator != nil {
			th.awaitCreator = 0 // the event it waited for
			th.ownMask = th.ownMask || creator.ownMask
		}
		return th
	}
	st, err := readStatus(tid)
	if creator != nil {
		if _, stale := t.gone[tid]; stale {
			delete(t.gone, tid)
			return nil
		}
		if err != nil || st.tracer != t.tracerTid {
			return nil // reaped: the id is free, or not our task's
		}
	}
	pid, ppid := tid, 0
	if err == nil {
		pid, ppid = st.tgid, st.ppid
	}
	th := t.register(tid, pid)
	th.ser.parent = ppid
	th.ownMask = t.inheritsMask(creator, tid, pid, ppid)
	e := &Event{Kind: Spawn, Child: tid, Thread: pid != tid}
	th.letGo = t.cfg.ThreadsOnly && !e.Thread
	if creator != nil {
		e.Pid, e.Tid = creator.pid, creator.tid
	} else {
		if e.Thread {
			ppid = pid
		}
		e.Pid, e.Tid = ppid, ppid
		// The creator's event is still to come, from a thread of the
		// same process, or of the parent.
		th.awaitCreator = ppid
	}
	t.emit(e)
	t.killIfKilled(th)
	return th
}

// taskStatus is what the tracer reads of /proc/TID/status.
type taskStatus struct {
	tgid, ppid int
	tracer     int  // TracerPid: the tracing thread's tid, 0 if none
	state      byte // R, S, D, T, t, Z, X...
}

func (t *Tracer) handle(tid int, ws unix.WaitStatus) {
	st := ptrace.Classify(ws)
	th := t.threads[tid]
	if th == nil {
		if st.Kind == ptrace.Exited && tid == t.root && t.rootLet {
			// The first process, let go at an exec: its status is still
			// the program's.
			t.rootLet = false
			t.result.ExitCode = ws.ExitStatus()
			if ws.Signaled() {
				t.result.ExitCode = 0
				t.result.Signal, t.result.Core = ws.Signal(), ws.CoreDump()
			}
			return
		}
		if st.Kind == ptrace.Exited {
			// Killed before its first stop was reported: nothing was said
			// of it, and nothing is. Its creator's event may still come.
			t.gone[tid] = 0
			return
		}
		th = t.adopt(tid, nil)
	}
	if th.letGo && st.Kind != ptrace.Exited {
		// A new process the trace does not follow: let go at its first
		// stop, passing on the signal it stopped for, so none is lost.
		var sig syscall.Signal
		if st.Kind == ptrace.SignalStop {
			sig = st.Signal
		}
		t.release(th, sig)
		return
	}
	switch st.Kind {
	case ptrace.Exited:
		t.exited(th, ws)
		return
	case ptrace.SyscallStop:
		t.syscallStop(th)
	case ptrace.EventStop:
		if st.Event == unix.PTRACE_EVENT_SECCOMP {
			t.syscallStop(th)
			break
		}
		t.eventStop(th, st.Event)
		// After an exec by another thread of its process, tid is that
		// thread's now (superseded): restart it as the thread it is, in
		// its execve, so that the call's exit stop comes.
		if th = t.threads[tid]; th == nil {
			return
		}
	case ptrace.InterruptStop:
		// The first stop of a new tracee, or an answer to an interrupt.
	case ptrace.GroupStop:
		// Seizing the self-stopped child reports its SIGSTOP as a
		// group-stop: that one is ours, and the SIGCONT sent with it ends it.
		if !(t.ownCont && th.tid == t.root && st.Signal == unix.SIGSTOP) {
			e := t.event(Stopped, th)
			e.Signal = st.Signal
			t.emit(e)
		}
		// Stay stopped, as the program asked; the kernel reports the
		// SIGCONT that ends it.
		ptrace.Listen(tid)
		if t.ser != nil {
			th.ser.state = stListening
		}
		return
	case ptrace.SignalStop:
		t.signalStop(th, st.Signal)
		t.resume(th, st.Signal)
		return
	}
	t.resume(th, 0)
}

// resume restarts a stopped tracee, delivering sig. With the seccomp filter
// on, a thread outside a shown call runs free (PTRACE_CONT) until the
// filter stops it; inside one it runs to the call's exit stop. An error
// (ESRCH) means the tracee was killed meanwhile: its exit comes next.
// In a serial run it only marks the tracee ready to go on: the scheduler
// resumes it in its turn.
func (t *Tracer) resume(th *thread, sig syscall.Signal) {
	if t.ser != nil {
		t.serialHold(th, sig)
		return
	}
	t.realResume(th, sig)
}

// realResume restarts a stopped tracee now.
func (t *Tracer) realResume(th *thread, sig syscall.Signal) {
	if t.seccomp && !th.inCall {
		ptrace.Cont(th.tid, sig)
		return
	}
	ptrace.Syscall(th.tid, sig)
}

// signalStop reports a signal, which is then delivered.
func (t *Tracer) signalStop(th *thread, sig syscall.Signal) {
	if sig == unix.SIGCONT && t.ownCont && th.tid == t.root {
		// The SIGCONT that released the child from its self-stop: ours,
		// not the program's. Delivering it is harmless; showing it is not.
		t.ownCont = false
		return
	}
	e := t.event(Signal, th)
	e.Signal = sig
	if err := ptrace.GetSiginfo(th.tid, &t.sigb); err == nil {
		e.Siginfo = sys.ParseSiginfo(t.sigb[:])
	} else {
		e.Siginfo = sys.Siginfo{Signo: sig}
	}
	e.Siginfo.Style = t.cfg.Decode.Xlat
	t.emit(e)
}

func (t *Tracer) syscallStop(th *thread) {
	si := &t.si
	if err := t.info.ReadSyscall(th.tid, si); err != nil {
		return // the thread vanished; its exit comes next
	}
	op := si.Op
	if op == ptrace.OpNone {
		op = ptrace.OpEntry
		if th.inCall {
			op = ptrace.OpExit
		}
	}
	if t.ser != nil {
		t.serialCall(th, op, si)
	}
	if t.setup && th.tid == t.root {
		t.setupStop(th, op, si)
		return
	}
	switch op {
	case ptrace.OpEntry, ptrace.OpSeccomp:
		if op == ptrace.OpEntry && th.viaSeccomp {
			// The entry stop of the call its seccomp stop reported.
			th.viaSeccomp = false
			return
		}
		th.inCall = true
		th.viaSeccomp = op == ptrace.OpSeccomp
		th.call = nil
		arch := sys.ArchFromAudit(si.Arch)
		nr := int(si.Nr)
		if fd, vec, ok := t.messageWrite(arch, nr, si.Args); ok {
			t.message(th, fd, vec, si.Args)
			if op == ptrace.OpSeccomp {
				// Nothing to see at its exit: run on free.
				th.inCall, th.viaSeccomp = false, false
			}
			return
		}
		if nr == t.affinityNr && arch == sys.HostArch() {
			t.affinityEntry(th, si.Args[0])
		}
		if !t.cfg.Filter.Has(arch, nr) {
			return
		}
		if th.tid == t.root && t.rootExecs && !t.rootRan && sys.Name(arch, nr) != "execve" {
			// Before the program's start the root makes only its execve
			// and, if that fails, rawchild's exit_group(errno): mmtrace's
			// own, not the program's.
			return
		}
		if t.cfg.Paths != nil && !t.cfg.Paths.Touches(sys.Name(arch, nr), si.Args, pathTracee{&th.mem, th.tid}) {
			return
		}
		c := t.newCall(arch, nr, si.Args)
		// The stack pointer at entry: where rt_sigreturn's signal frame,
		// and the mask it restores, are.
		c.SP = si.SP
		c.Enter(&th.mem, &t.cfg.Decode)
		th.call = c
		e := t.event(CallEnter, th)
		e.Call = c
		t.emit(e)
	case ptrace.OpExit:
		if !th.inCall {
			return // an exit whose entry came before we attached
		}
		th.inCall = false
		th.viaSeccomp = false
		c := th.call
		th.call = nil
		if th.affTid != 0 {
			t.affinityExit(th, si.Rval)
		}
		if th.tid == t.root && !t.rootRan && c.IsExec() && c.Name == "execve" {
			// The start's execve (rawchild makes no other call), shown
			// and failed: its exec stop, which would have set rootRan,
			// never came.
			t.rootExec(si)
		}
		if c == nil {
			return
		}
		c.Exit(&th.mem, si.Rval, &t.cfg.Decode)
		e := t.event(CallExit, th)
		e.Call = c
		t.emit(e)
		e.Call = nil
		t.endCall(c)
	}
}

// setupStop follows the root's own calls between its self-stop and its
// program: no_new_privs and seccomp. The seccomp call's result says whether
// the filter is on; if the kernel refused it, the trace goes on stopping
// at every call, which shows the same timeline, slower.
func (t *Tracer) setupStop(th *thread, op ptrace.Op, si *ptrace.SyscallInfo) {
	switch op {
	case ptrace.OpEntry:
		th.inCall = true
		th.nr = int(si.Nr)
	case ptrace.OpExit:
		th.inCall = false
		if th.nr != t.seccompNr {
			return
		}
		t.setup = false
		if si.Rval < 0 && si.Rval >= -4095 {
			t.result.SeccompErr = syscall.Errno(-si.Rval)
			if t.cfg.Pin == PinAuto {
				// Every call will stop now: share the CPU for good.
				t.pinUntilSpawn = false
			}
			return
		}
		t.seccomp = true
		t.result.Seccomp = true
	}
}

// rootExec records the outcome of the first process's execve: a failure
// means the program never ran, which the caller reports as 126 or 127.
func (t *Tracer) rootExec(si *ptrace.SyscallInfo) {
	if si.Rval < 0 && si.Rval >= -4095 {
		t.result.ExecErr = syscall.Errno(-si.Rval)
		return
	}
	t.rootRan = true
	t.result.ExecErr = 0
}

func (t *Tracer) eventStop(th *thread, ev int) {
	switch ev {
	case unix.PTRACE_EVENT_FORK, unix.PTRACE_EVENT_VFORK, unix.PTRACE_EVENT_CLONE:
		msg, err := ptrace.EventMsg(th.tid)
		if err == nil && msg > 0 {
			t.adopt(int(msg), th)
		}
		if t.pinned && t.pinUntilSpawn {
			t.unpin() // after adopt: the new task is among t.threads
		}
		if t.pin != nil && !t.pin.spawned {
			t.pin.firstSpawn(t) // after adopt, as unpin
		}
	case unix.PTRACE_EVENT_EXEC:
		start := th.pid == t.root && !t.rootRan
		if start {
			// The program started: the kernel reports only an exec that
			// succeeded. Known here, whatever the filter shows, a failed
			// exec of the program's own is never taken for its start's.
			t.rootRan = true
			t.result.ExecErr = 0
		}
		if old, err := ptrace.EventMsg(th.tid); err == nil && int(old) != th.tid {
			t.superseded(th, int(old))
		}
		if t.cfg.DetachOnExec && !start {
			if th := t.threads[th.tid]; th != nil {
				t.letGo(th)
			}
		}
	}
}

// release detaches th, a new process's first task, at its first stop,
// delivering sig.
func (t *Tracer) release(th *thread, sig syscall.Signal) {
	t.emit(t.event(Detached, th))
	ptrace.Detach(th.tid, sig)
	t.forget(th)
}

// letGo detaches th, stopped at its exec event: its process runs on
// untraced. The exec has killed the other threads; those whose exit is not
// reaped yet stay in the accounts until it is.
func (t *Tracer) letGo(th *thread) {
	e := t.event(Detached, th)
	e.Call = th.call
	t.emit(e)
	th.call = nil
	if th.tid == t.root && !t.attached {
		t.rootLet = true
	}
	ptrace.Detach(th.tid, 0)
	t.forget(th)
}

// superseded handles an execve by a non-leader thread: the kernel has
// killed the other threads, and the execing thread, which was old, now has
// the leader's tid (th's). The old leader is gone without an exit report.
func (t *Tracer) superseded(leader *thread, old int) {
	execer := t.threads[old]
	if execer == nil {
		return
	}
	e := t.event(Superseded, execer)
	e.OldTid = old
	e.Pid = leader.tid
	t.emit(e)
	delete(t.threads, old)
	t.pinTask(old, 0)
	t.procs[leader.pid]-- // the old leader's slot: never reported
	execer.tid = leader.tid
	execer.mem = ptrace.Mem{Tid: leader.tid}
	// It holds the leader's id now, and so waits for what the leader
	// waited for: the fork event that created the process. Its own
	// creator's event, naming its old id, died with the other threads.
	execer.awaitCreator = leader.awaitCreator
	t.threads[leader.tid] = execer
	// The old tid went with the old leader: an event naming it is stale.
	t.gone[old] = leader.pid
}

func (t *Tracer) exited(th *thread, ws unix.WaitStatus) {
	t.sayRest(th.tid)
	e := t.event(Exit, th)
	e.Call = th.call
	if ws.Signaled() {
		e.KilledBy = ws.Signal()
		e.CoreDumped = ws.CoreDump()
	} else {
		e.ExitCode = ws.ExitStatus()
	}
	if th.tid == t.root && t.rootExecs && !t.rootRan && ws.Exited() {
		e.ExitCode = 127 // see below
	}
	e.Leader = t.forget(th)
	if th.tid == t.root {
		t.result.ExitCode = e.ExitCode
		t.result.Signal = e.KilledBy
		t.result.Core = e.CoreDumped
		if t.rootExecs && !t.rootRan && ws.Exited() {
			// The program never started: rawchild exits with the
			// execve's errno, seen here whatever the filter showed. The
			// status shown and returned is a shell's whose exec failed.
			if t.result.ExecErr == 0 && ws.ExitStatus() != 0 {
				t.result.ExecErr = syscall.Errno(ws.ExitStatus())
			}
			t.result.ExitCode = 127
		}
	}
	t.emit(e)
	if e.Call != nil {
		// The call it died in (exit_group): ended for the sinks too.
		c := e.Call
		e.Call = nil
		t.endCall(c)
	}
}

// Interrupt passes sig (a Ctrl-C) to the first process, as strace does to
// the child it started, and if anything is still traced two seconds later,
// kills it all. SIGKILL kills everything at once. An attached trace
// instead detaches from every tracee and leaves them running. It is safe
// to call from any goroutine.
func (t *Tracer) Interrupt(sig syscall.Signal) {
	if t.attached {
		// An attached process is not ours to end: let it go.
		if !t.detachReq.Swap(true) {
			t.mu.Lock()
			if t.wake != nil {
				t.wake()
			}
			t.mu.Unlock()
		}
		return
	}
	if sig == unix.SIGKILL {
		t.killAll()
		return
	}
	t.mu.Lock()
	first := !t.interrupted
	t.interrupted = true
	t.signalProc(t.root, sig)
	t.mu.Unlock()
	if first {
		time.AfterFunc(2*time.Second, t.killAll)
	}
}

// killAll sends SIGKILL to every traced process, through its pidfd; a
// process or thread registered later is killed as it is registered.
func (t *Tracer) killAll() {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.interrupted = true
	t.killed = true
	for pid := range t.pidfds {
		t.signalProc(pid, unix.SIGKILL)
	}
}
