package tracer

import (
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"strconv"
	"syscall"
	"time"

	"golang.org/x/sys/unix"

	"github.com/mmtrace/mmtrace/internal/ptrace"
	"github.com/mmtrace/mmtrace/tracer/sys"
)

// # Serial runs
//
// With Config.Serial (mmtrace --stable) the trace lets one tracee run at a
// time, in a fixed order, so that the order of the events is a function of
// the program and not of the scheduler: the same program gives the same
// timeline on every run.
//
// Every tracee has a rank: the order in which the trace first met it. As
// only one tracee runs at a time and each is met through its creator's
// event, that order is itself the same on every run. At each stop of the
// running tracee the trace picks the next to run: the tracee of lowest rank
// that is runnable, which is most often the same one again.
//
// What makes a tracee runnable, and what the trace does when none is:
//
//   - A tracee stopped at a stop the trace has handled is runnable.
//   - A call that sleeps in the kernel until something happens (wait4 for a
//     child, read on an empty pipe, futex) never stops while it sleeps. The
//     trace sees it asleep: after it resumed the tracee into a call, it
//     waits for its next stop, and looks at the tracee's state in
//     /proc/TID/stat while none comes. "S" (an interruptible sleep) means
//     the call waits for an event: the tracee is blocked, and the next one
//     runs. Every other tracee is stopped meanwhile, so a call that waits
//     for another tracee stays asleep however long the trace takes to look:
//     the answer does not depend on timing. A tracee in "D" (disk I/O, a
//     lock) is still working: the trace waits on.
//   - A blocked tracee is woken by what another tracee did (a write to the
//     pipe wakes its reader). The kernel marks the woken task runnable at
//     once, inside the call that woke it, so after each stop (but a call's
//     entry, before which a tracee ran only its own code) the trace looks
//     at each blocked tracee's state: one that no longer sleeps (neither S
//     nor D: a vfork's parent waits for its child in D) is waited for, and
//     then runnable. A vfork's parent is taken as blocked as soon as it
//     waits, in D, for its child's exec.
//   - A child's exit wakes its parent (its wait4, or the SIGCHLD), but only
//     when the trace reaps the child, and not at once: on Linux 6.18 the
//     parent was still asleep in about one reap of a hundred, for up to
//     10 ms under load. So when the trace reaps a process whose parent
//     sleeps in a wait the child satisfies, or would be woken by the
//     SIGCHLD, it waits for that parent to wake (see awaitParentWake)
//     before anything else runs.
//   - A timed call (nanosleep, clock_nanosleep, or poll, ppoll, select,
//     pselect6, epoll_wait, epoll_pwait with a timeout) sleeps in virtual
//     time: the trace keeps a clock that does not move while any tracee can
//     run, and when none can, jumps to the earliest deadline of a timed call
//     and lets that call's tracee go on (ties: the lowest rank). The call
//     itself sleeps for real, and the trace waits for it; if it returns
//     before its virtual deadline having timed out, its stop is kept until
//     then. A timed call that returns early for another reason (a signal,
//     a ready file) was woken, as above.
//   - A call that found nothing to do (wait4 or waitid with WNOHANG
//     returning 0, sched_yield, a poll with a zero timeout returning 0, any
//     call failing with EAGAIN) is a polling loop's: its tracee yields, as
//     if it had slept yieldTime of virtual time. So a loop polling for a
//     child that sleeps polls a fixed number of times, by the clock.
//   - A tracee in group-stop (SIGSTOP) runs again when the kernel reports it.
//
// Only when no tracee is runnable, none has a deadline, and every one is
// blocked does the trace wait for whatever stop comes first: the program
// waits for something outside it (a terminal, the network).
//
// What this cannot make the same every run, and so --stable cannot either:
// what comes from outside (input, the network, another process's output, a
// timer racing a signal that another tracee sends), and a tracee that runs
// for long without a system call while another waits for its stores (a spin
// on shared memory): it keeps running until it makes a call.
//
// Every call stops in a serial run (no seccomp filter): the trace must see
// each call a tracee enters to know whether it sleeps, whether it is shown
// or not.

// yieldTime is the virtual time a call that found nothing to do takes.
const yieldTime = time.Millisecond

// runState is where a tracee stands in a serial run.
type runState uint8

const (
	// stNew: registered; its first stop is still to be handled.
	stNew runState = iota
	// stHeld: stopped at a stop the trace has handled; runnable.
	stHeld
	// stRunning: resumed; the trace waits for its next stop.
	stRunning
	// stBlocked: asleep in a call until something wakes it.
	stBlocked
	// stTimed: in a timed call, due at its deadline unless woken.
	stTimed
	// stYielded: held after a call that found nothing to do; runnable
	// again at its deadline.
	stYielded
	// stListening: in group-stop; runnable when the kernel reports it.
	stListening
)

// serialThread is a thread's part of a serial run.
type serialThread struct {
	rank  int
	state runState
	sig   syscall.Signal // to deliver when it is resumed
	// deadline is the virtual time a timed call or a yield ends.
	deadline time.Duration
	// timed: the call just entered has a timeout, timeout long.
	timed   bool
	timeout time.Duration
	// ready: a blocked or timed tracee's next stop has come (it is in
	// the queue) and is not a timed call's timeout.
	ready bool
	// expired: a timed tracee's call returned having timed out: its stop
	// is in the queue, to be handled at its deadline.
	expired bool
	// yield: the call just returned found nothing to do.
	yield bool
	// vfork: stopped at its vfork event; resumed, it waits in the
	// kernel ("D") until the child execs or exits.
	vfork bool
	// lastNr, lastName and lastArgs are the call entered last.
	lastNr   int
	lastName string
	lastArgs [6]uint64
	// until is the virtual deadline of its last timed call: a signal
	// that interrupts the call makes the kernel restart it
	// (restart_syscall) for the time left.
	until time.Duration
	// parent is its process's parent when the trace met it.
	parent int
}

// serial is the state of a serial run.
type serial struct {
	ranks int           // ranks given so far
	now   time.Duration // the virtual clock
	// queue holds, by tid, the wait statuses that came while the trace
	// waited for another tracee, oldest first.
	queue map[int][]unix.WaitStatus
	// arrived lists the tids with queued statuses, by arrival, for the
	// tasks the accounts do not know yet.
	arrived []int
	cur     *thread // the running tracee
}

// serialRegister gives a new tracee its rank.
func (t *Tracer) serialRegister(th *thread) {
	if t.ser == nil {
		return
	}
	t.ser.ranks++
	th.ser = serialThread{rank: t.ser.ranks, state: stNew}
}

// serialLoop is loop for a serial run.
func (t *Tracer) serialLoop() error {
	s := t.ser
	for {
		if th := s.cur; th != nil {
			s.cur = nil
			ws, ok, err := t.awaitStop(th, false)
			if err != nil {
				return err
			}
			if !ok {
				th.ser.state = stBlocked
				continue
			}
			t.handleSerial(th, ws)
			continue
		}
		if err := t.lookAtSleepers(); err != nil {
			return err
		}
		if th := t.nextRunnable(); th != nil {
			if err := t.runNext(th); err != nil {
				return err
			}
			continue
		}
		if th := t.earliestDue(); th != nil {
			s.now = max(s.now, th.ser.deadline)
			if err := t.runNext(th); err != nil {
				return err
			}
			continue
		}
		// A stop of a task not known yet (its creator's event never
		// came): handled as the plain loop would.
		if len(s.arrived) > 0 {
			tid := s.arrived[0]
			s.arrived = s.arrived[1:]
			if q := s.queue[tid]; len(q) > 0 && t.threads[tid] == nil {
				ws := t.dequeue(tid)
				t.handle(tid, ws)
				if th := t.threads[tid]; th != nil {
					t.afterHandle(th)
				}
			}
			continue
		}
		// Every tracee is blocked, or none is left: wait for what comes.
		tid, ws, err := t.wait()
		if err != nil {
			if errors.Is(err, unix.ECHILD) {
				return nil
			}
			return err
		}
		if tid > 0 {
			t.awaitParentWake(tid, ws)
		}
		t.enqueue(tid, ws)
	}
}

// runNext lets th go on: a held or yielded tracee is resumed; one whose
// stop is queued or still to come has it handled first.
func (t *Tracer) runNext(th *thread) error {
	switch th.ser.state {
	case stHeld, stYielded:
		t.serialResume(th)
		return nil
	}
	ws, ok, err := t.awaitStop(th, th.ser.state == stTimed)
	if err != nil {
		return err
	}
	if !ok {
		// Asleep again (a wakeup that found nothing for it).
		th.ser.state = stBlocked
		th.ser.ready = false
		return nil
	}
	t.handleSerial(th, ws)
	return nil
}

// handleSerial handles a stop of th and says what th does next.
func (t *Tracer) handleSerial(th *thread, ws unix.WaitStatus) {
	th.ser.ready, th.ser.expired = false, false
	st := ptrace.Classify(ws)
	th.ser.vfork = st.Kind == ptrace.EventStop && st.Event == unix.PTRACE_EVENT_VFORK
	tid := th.tid
	t.handle(tid, ws)
	if th = t.threads[tid]; th != nil {
		t.afterHandle(th)
	}
}

// afterHandle: a tracee resumed by handle (resume held it) yields if its
// call found nothing to do.
func (t *Tracer) afterHandle(th *thread) {
	if th.ser.state == stHeld && th.ser.yield {
		th.ser.yield = false
		th.ser.state = stYielded
		th.ser.deadline = t.ser.now + yieldTime
	}
}

// serialResume resumes a held tracee: it becomes the running one, or, at
// the entry of a timed call, sleeps until its deadline.
func (t *Tracer) serialResume(th *thread) {
	sig := th.ser.sig
	th.ser.sig = 0
	if th.ser.timed {
		th.ser.timed = false
		th.ser.state = stTimed
		th.ser.deadline = t.ser.now + th.ser.timeout
		t.realResume(th, sig)
		return
	}
	th.ser.state = stRunning
	t.ser.cur = th
	t.realResume(th, sig)
}

// nextRunnable returns the runnable tracee of lowest rank: held, new, or
// woken.
func (t *Tracer) nextRunnable() *thread {
	var best *thread
	for _, th := range t.threads {
		switch th.ser.state {
		case stHeld, stNew:
		case stBlocked, stTimed, stListening:
			if !th.ser.ready {
				continue
			}
		default:
			continue
		}
		if best == nil || th.ser.rank < best.ser.rank {
			best = th
		}
	}
	return best
}

// earliestDue returns the timed or yielded tracee whose deadline comes
// first (the lowest rank among equals).
func (t *Tracer) earliestDue() *thread {
	var best *thread
	for _, th := range t.threads {
		if th.ser.state != stTimed && th.ser.state != stYielded {
			continue
		}
		if best == nil || th.ser.deadline < best.ser.deadline ||
			th.ser.deadline == best.ser.deadline && th.ser.rank < best.ser.rank {
			best = th
		}
	}
	return best
}

// lookAtSleepers finds the blocked and timed tracees that something woke:
// those with a stop queued, or no longer asleep (whose stop is then waited
// for). A timed call that timed out is not woken: it waits for its
// deadline.
func (t *Tracer) lookAtSleepers() error {
	for _, th := range t.threads {
		st := th.ser.state
		if th.ser.ready || th.ser.expired || (st != stBlocked && st != stTimed && st != stListening) {
			continue
		}
		if len(t.ser.queue[th.tid]) == 0 {
			if st == stListening {
				continue // only the kernel's report says it runs again
			}
			// D: a vfork's parent waits for its child killably, which
			// /proc shows as D, as it shows disk waits.
			if state, err := procState(th.tid); err == nil && (state == 'S' || state == 'D') {
				continue // still asleep
			}
			// Awake: its stop is on its way.
			ws, ok, err := t.awaitStop(th, false)
			if err != nil {
				return err
			}
			if !ok {
				continue // asleep again
			}
			t.ser.queue[th.tid] = append(t.ser.queue[th.tid], ws)
		}
		if st == stTimed && t.timedOut(th) {
			th.ser.expired = true
			continue
		}
		th.ser.ready = true
	}
	return nil
}

// timedOut says whether a timed tracee's queued stop is its call's return
// having timed out.
func (t *Tracer) timedOut(th *thread) bool {
	q := t.ser.queue[th.tid]
	if len(q) == 0 || ptrace.Classify(q[0]).Kind != ptrace.SyscallStop {
		return false
	}
	var si ptrace.SyscallInfo
	if err := t.info.ReadSyscall(th.tid, &si); err != nil || si.Op != ptrace.OpExit {
		return false
	}
	switch {
	case si.Rval == 0:
		return true // nanosleep, clock_nanosleep: slept; a poll: nothing ready
	case si.Rval == -int64(unix.ETIMEDOUT), si.Rval == -int64(unix.EAGAIN):
		return true
	}
	return false
}

// awaitStop waits for th's next stop, queueing the stops of others. It
// returns false if th is asleep in a call (state S) with no stop coming,
// unless untilStop: a timed call that will end by itself.
func (t *Tracer) awaitStop(th *thread, untilStop bool) (unix.WaitStatus, bool, error) {
	if len(t.ser.queue[th.tid]) > 0 {
		return t.dequeue(th.tid), true, nil
	}
	var pause backoff
	if t.stateHook != nil {
		pause.yields = yieldsBeforeLook // a test's look comes at once
	}
	for {
		var ws unix.WaitStatus
		tid, err := unix.Wait4(-1, &ws, unix.WALL|unix.WNOTHREAD|unix.WNOHANG, nil)
		if err == unix.EINTR {
			continue
		}
		if err != nil {
			return 0, false, os.NewSyscallError("wait4", err)
		}
		if tid > 0 {
			t.awaitParentWake(tid, ws)
		}
		if tid == th.tid {
			return ws, true, nil
		}
		if tid > 0 {
			t.enqueue(tid, ws)
			continue
		}
		// Nothing yet. A stop comes within microseconds of most calls:
		// give the CPU to the tracee a few times before looking at it.
		if pause.yielding() {
			continue
		}
		if !untilStop {
			state, err := t.taskState(th.tid)
			if err != nil {
				state = 'X' // gone: its exit is for the next wait
			}
			switch state {
			case 'S':
				if neverSleeps(th) {
					break // scanning its children: its stop comes
				}
				return 0, false, nil
			case 'D':
				if th.ser.vfork {
					return 0, false, nil // waits for its child's exec
				}
			case 'Z':
				// A zombie whose exit is not reported: a thread group's
				// leader waits for its other threads. Asleep, in effect,
				// once a last look finds nothing.
				tid, err := unix.Wait4(-1, &ws, unix.WALL|unix.WNOTHREAD|unix.WNOHANG, nil)
				if err == nil && tid > 0 {
					t.awaitParentWake(tid, ws)
				}
				if err == nil && tid == th.tid {
					return ws, true, nil
				}
				if err == nil && tid > 0 {
					t.enqueue(tid, ws)
					continue
				}
				return 0, false, nil
			}
		}
		pause.sleep()
	}
}

// neverSleeps says whether the call th is in returns without sleeping,
// whatever it finds: a wait4 or waitid with WNOHANG. The kernel's wait
// marks its caller asleep (S) while it looks through its children, and
// reaps one, WNOHANG or not: under emulation, where that takes long
// enough to be seen, the trace took the waitpid parent for blocked in
// the poll that reaped a child, jumped the clock to the next timed call's
// deadline and ran that call's tracee in the middle of the poll, in some
// runs and not others (issue 16).
func neverSleeps(th *thread) bool {
	args := th.ser.lastArgs
	switch th.ser.lastName {
	case "wait4":
		return args[2]&unix.WNOHANG != 0
	case "waitid":
		return args[3]&unix.WNOHANG != 0
	}
	return false
}

// taskState is procState, or what a test makes the tracer see instead.
func (t *Tracer) taskState(tid int) (byte, error) {
	if t.stateHook != nil {
		return t.stateHook(tid)
	}
	return procState(tid)
}

// backoff paces a wait for what another task is about to do: first a few
// sched_yields (most stops come within microseconds), then sleeps that
// double from 10 µs up to 1 ms.
type backoff struct {
	yields int
	pause  time.Duration
}

// yieldsBeforeLook is how many times a wait yields before it looks.
const yieldsBeforeLook = 20

// yielding yields the CPU and says so, for the first yieldsBeforeLook
// calls.
func (b *backoff) yielding() bool {
	if b.yields >= yieldsBeforeLook {
		return false
	}
	b.yields++
	unix.Syscall(unix.SYS_SCHED_YIELD, 0, 0, 0)
	return true
}

// sleep sleeps the next pause.
func (b *backoff) sleep() {
	b.pause = min(max(b.pause*2, 10*time.Microsecond), time.Millisecond)
	ts := unix.NsecToTimespec(b.pause.Nanoseconds())
	unix.Nanosleep(&ts, nil)
}

// parentWakeLimit bounds the wait for a parent the reap of its child
// should wake: past it the trace goes on as if the parent slept on (a
// wake foreseen wrongly costs this much, and the order may then vary).
const parentWakeLimit = 250 * time.Millisecond

// awaitParentWake is called with each status wait returns. When it is the
// exit of a process (its leader's, reported after every other thread's),
// the wait has reaped it, and the kernel wakes its parent: a thread of the
// parent sleeping in a wait4 or waitid the child satisfies, or one the
// SIGCHLD is delivered to. The wake may come later than the reap (see
// "Serial runs" above): if the parent is a tracee with a thread asleep
// that the exit will wake, this waits until that thread no longer sleeps,
// so that the scheduler's next look finds it woken on every run.
func (t *Tracer) awaitParentWake(tid int, ws unix.WaitStatus) {
	if !ws.Exited() && !ws.Signaled() {
		return
	}
	child := t.threads[tid]
	if child == nil || child.tid != child.pid || child.ser.parent <= 0 {
		return
	}
	var sleepers []*thread
	for _, th := range t.threads {
		st := th.ser.state
		if th.pid != child.ser.parent || th.ser.ready || th.ser.expired ||
			(st != stBlocked && st != stTimed) || len(t.ser.queue[th.tid]) > 0 {
			continue
		}
		sleepers = append(sleepers, th)
	}
	if len(sleepers) == 0 {
		return
	}
	// The SIGCHLD: not sent if the parent ignores it (SIG_IGN); delivered
	// to a thread that does not block it. Read only when a wait does not
	// already say.
	var woken []*thread
	for _, th := range sleepers {
		if waitsFor(th, child.pid) {
			woken = append(woken, th)
			continue
		}
		ss, err := readSignals(th.tid)
		const chld = 1 << (unix.SIGCHLD - 1)
		if err == nil && ss.ignored&chld == 0 && ss.blocked&chld == 0 {
			woken = append(woken, th)
		}
	}
	if len(woken) == 0 {
		return
	}
	start := time.Now()
	var pause backoff
	for {
		for _, th := range woken {
			if state, err := procState(th.tid); err != nil || state != 'S' {
				return
			}
		}
		if time.Since(start) > parentWakeLimit {
			return
		}
		if !pause.yielding() {
			pause.sleep()
		}
	}
}

// waitsFor says whether th sleeps in a wait4 or waitid that the exit of
// its process's child pid satisfies. Only what is certain counts: a wait
// for a process group other than the caller's own, a pidfd, __WNOTHREAD
// or __WCLONE alone is not taken as one.
func waitsFor(th *thread, pid int) bool {
	const (
		wNoThread = 0x20000000
		wAll      = 0x40000000
		wClone    = 0x80000000
	)
	args := th.ser.lastArgs
	switch th.ser.lastName {
	case "wait4":
		opts := args[2]
		if opts&wNoThread != 0 || (opts&wClone != 0 && opts&wAll == 0) {
			return false
		}
		switch p := int32(args[0]); {
		case p == -1, p == 0, int(p) == pid:
			// 0: the caller's process group, which a child is in
			// unless it moved.
			return true
		}
	case "waitid":
		opts := args[3]
		if opts&unix.WEXITED == 0 || opts&wNoThread != 0 || (opts&wClone != 0 && opts&wAll == 0) {
			return false
		}
		switch args[0] {
		case unix.P_ALL:
			return true
		case unix.P_PID:
			return int(int32(args[1])) == pid
		case unix.P_PGID:
			return args[1] == 0
		}
	}
	return false
}

// enqueue keeps a status that came for another tracee than the awaited one.
func (t *Tracer) enqueue(tid int, ws unix.WaitStatus) {
	s := t.ser
	if len(s.queue[tid]) == 0 && t.threads[tid] == nil {
		s.arrived = append(s.arrived, tid)
	}
	s.queue[tid] = append(s.queue[tid], ws)
}

// dequeue takes the oldest status queued for tid.
func (t *Tracer) dequeue(tid int) unix.WaitStatus {
	q := t.ser.queue[tid]
	ws := q[0]
	if len(q) == 1 {
		delete(t.ser.queue, tid)
	} else {
		t.ser.queue[tid] = q[1:]
	}
	return ws
}

// serialHold records that handle wants th resumed with sig: in a serial
// run the scheduler resumes it when its turn comes.
func (t *Tracer) serialHold(th *thread, sig syscall.Signal) {
	th.ser.state = stHeld
	th.ser.sig = sig
}

// serialCall looks at a syscall stop for what the scheduler needs: the
// timeout of a timed call at its entry, and at its exit whether it found
// nothing to do.
func (t *Tracer) serialCall(th *thread, op ptrace.Op, si *ptrace.SyscallInfo) {
	arch := sys.ArchFromAudit(si.Arch)
	switch op {
	case ptrace.OpEntry, ptrace.OpSeccomp:
		th.ser.timed, th.ser.timeout = false, 0
		th.ser.yield = false
		th.ser.lastNr = int(si.Nr)
		th.ser.lastArgs = si.Args
		name := sys.Name(arch, int(si.Nr))
		th.ser.lastName = name
		if d, ok := timeoutOf(th, name, si.Args); ok {
			th.ser.timed, th.ser.timeout = true, d
			th.ser.until = t.ser.now + d
		} else if name == "restart_syscall" && th.ser.until > 0 {
			th.ser.timed, th.ser.timeout = true, max(th.ser.until-t.ser.now, 0)
		}
	case ptrace.OpExit:
		th.ser.yield = foundNothing(sys.Name(arch, th.ser.lastNr), th.ser.lastArgs, si.Rval)
	}
}

// foundNothing says whether a call's result shows it had nothing to do:
// a polling loop's call.
func foundNothing(name string, args [6]uint64, ret int64) bool {
	if ret == -int64(unix.EAGAIN) {
		return true
	}
	switch name {
	case "sched_yield":
		return true
	case "wait4":
		return ret == 0 && args[2]&unix.WNOHANG != 0
	case "waitid":
		// waitid returns 0 with WNOHANG whether or not it found a child;
		// the siginfo's pid says which: not read here, so not a poll.
		return false
	case "poll", "epoll_wait", "epoll_pwait":
		return ret == 0 && int32(args[2]) == 0
	}
	return false
}

// timeoutOf returns how long a call entered may sleep at most, for the
// timed calls.
func timeoutOf(th *thread, name string, args [6]uint64) (time.Duration, bool) {
	switch name {
	case "nanosleep":
		return readTimespec(th, args[0])
	case "clock_nanosleep":
		d, ok := readTimespec(th, args[2])
		if ok && args[1]&unix.TIMER_ABSTIME != 0 {
			var now unix.Timespec
			if unix.ClockGettime(int32(args[0]), &now) != nil {
				return 0, false
			}
			d -= time.Duration(now.Nano())
		}
		return max(d, 0), ok
	case "poll", "epoll_wait", "epoll_pwait":
		if ms := int32(args[2]); ms > 0 {
			return time.Duration(ms) * time.Millisecond, true
		}
	case "ppoll", "pselect6":
		idx := 2
		if name == "pselect6" {
			idx = 4
		}
		if args[idx] != 0 {
			d, ok := readTimespec(th, args[idx])
			return d, ok && d > 0
		}
	case "select":
		if args[4] != 0 {
			var b [16]byte
			if n, _ := th.mem.Read(args[4], b[:]); n == len(b) {
				d := time.Duration(binary.LittleEndian.Uint64(b[:8]))*time.Second +
					time.Duration(binary.LittleEndian.Uint64(b[8:]))*time.Microsecond
				return d, d > 0
			}
		}
	}
	return 0, false
}

// readTimespec reads a struct timespec (64-bit ABI) from the tracee.
func readTimespec(th *thread, addr uint64) (time.Duration, bool) {
	var b [16]byte
	if addr == 0 {
		return 0, false
	}
	if n, _ := th.mem.Read(addr, b[:]); n != len(b) {
		return 0, false
	}
	return time.Duration(int64(binary.LittleEndian.Uint64(b[:8])))*time.Second +
		time.Duration(int64(binary.LittleEndian.Uint64(b[8:]))), true
}

// procState returns a task's state letter from /proc/TID/stat: R, S, D,
// t, Z...
func procState(tid int) (byte, error) {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(tid) + "/stat")
	if err != nil {
		return 0, err
	}
	// "pid (comm) S ...": comm may hold spaces and parentheses; the
	// state follows the last ")".
	for i := len(b) - 1; i >= 0; i-- {
		if b[i] == ')' {
			if i+2 < len(b) {
				return b[i+2], nil
			}
			break
		}
	}
	return 0, fmt.Errorf("/proc/%d/stat: no state", tid)
}
