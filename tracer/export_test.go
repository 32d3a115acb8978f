package tracer

import (
	"fmt"
	"time"

	"golang.org/x/sys/unix"
)

// SetSeccompProgram replaces the seccomp program the child installs, so a
// test can make the kernel refuse it.
func SetSeccompProgram(cfg *Config, prog []unix.SockFilter) { cfg.seccompOverride = prog }

// SentSignal is a signal the tracer sent: to process Pid, to thread Tid
// (tgkill; 0 otherwise), through pidfd FD (-1 when by number).
type SentSignal = sentSignal

// OnSignal makes f see every signal tr sends, just before it goes. Set it
// before the trace starts; f may be called on any goroutine.
func OnSignal(tr *Tracer, f func(SentSignal)) { tr.onSignal = f }

// Accounts returns what tr still holds after its trace: tasks (in the
// accounts and in the pin monitor's copy), processes, and open pidfds.
// After a program ended, all three are zero.
func Accounts(tr *Tracer) (tasks, procs, pidfds int) {
	tr.mu.Lock()
	defer tr.mu.Unlock()
	tasks = len(tr.threads)
	if tr.pin != nil {
		tasks += len(tr.pin.tasks)
	}
	return tasks, len(tr.procs), len(tr.pidfds)
}

// PinTasksWrong says how the pin monitor's copy of the tasks differs from
// the accounts ("" if it does not). Call it on the trace's thread
// (BeforeWait).
func PinTasksWrong(tr *Tracer) string {
	if tr.pin == nil {
		return ""
	}
	tr.mu.Lock()
	defer tr.mu.Unlock()
	if len(tr.pin.tasks) != len(tr.threads) {
		return fmt.Sprintf("%d tasks in the monitor's copy, %d in the accounts", len(tr.pin.tasks), len(tr.threads))
	}
	for tid, th := range tr.threads {
		if pid, ok := tr.pin.tasks[tid]; !ok || pid != th.pid {
			return fmt.Sprintf("task %d of %d: %d in the monitor's copy", tid, th.pid, pid)
		}
	}
	return ""
}

// PinMoves returns how many times tr spread its tracees over the CPUs and
// brought them back to one (PinAuto).
func PinMoves(tr *Tracer) (spreads, shares int64) {
	if tr.pin == nil {
		return 0, 0
	}
	return tr.pin.spreads.Load(), tr.pin.shares.Load()
}

// BeforeWait makes f run before each wait of tr's loop, on the trace's
// thread, with the first process's pid. Set it before the trace starts.
func BeforeWait(tr *Tracer, f func(root int)) { tr.beforeWait = func() { f(tr.root) } }

// ProcState returns a task's state letter from /proc/TID/stat.
func ProcState(tid int) (byte, error) { return procState(tid) }

// StateHook makes a serial run of tr see f's state letter where it looks
// whether the running tracee sleeps, and look at once, without yielding
// the CPU to the tracee first. Set it before the trace starts.
func StateHook(tr *Tracer, f func(tid int) (byte, error)) { tr.stateHook = f }

// PinSamples returns how many samples tr's pin monitor took (PinAuto).
func PinSamples(tr *Tracer) int64 {
	if tr.pin == nil {
		return 0
	}
	return tr.pin.samples.Load()
}

// YieldClock makes tr's loop read the time from f where it decides to
// yield (see "Yielding"). Set it before the trace starts.
func YieldClock(tr *Tracer, f func() time.Time) { tr.yieldClock = f }

// Yields returns how many times tr's loop yielded.
func Yields(tr *Tracer) int { return tr.yields }

// Looks returns how many times tr's loop looked for the stops of other
// tracees after a wait (see "Taking turns").
func Looks(tr *Tracer) int { return tr.looks }
