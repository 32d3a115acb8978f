package tracer

import (
	"bytes"
	"os"
	"strconv"
	"sync/atomic"
	"time"

	"golang.org/x/sys/unix"

	"github.com/mmtrace/mmtrace/internal/ptrace"
	"github.com/mmtrace/mmtrace/internal/rawchild"
)

// Sharing a CPU
//
// A ptrace stop is a round trip between a tracee and the tracer. On two
// CPUs every hop is a cross-CPU wakeup; on one it is a plain context
// switch, several times cheaper (see ptrace.PinToCurrentCPU). So the
// tracer binds itself, and the tracees with it, to one CPU, as long as
// that costs the program nothing: while at most one tracee is runnable at
// a time. A program whose tasks really run in parallel (copy's children,
// make -j, threads computing) must get every CPU mmtrace has.
//
// The first policy (PinSpawn) ended the sharing at the first process or
// thread a tracee created: fork-heavy programs, which run one process at a
// time (a shell, gcc's driver), then paid the cross-CPU stops for nothing.
// PinAuto follows what the tracees do instead. A monitor goroutine looks,
// every pinSample, at the state of every task of every traced process
// (/proc/PID/task/TID/stat): two or more runnable tasks in pinSpreadAfter
// samples in a row mean they want more than one CPU, and the tracees are
// spread over mmtrace's CPUs; at most one runnable in pinShareAfter samples
// in a row, and they share the tracer's CPU again. The states are read
// without the tracees' help and cost nothing when the program stops at no
// call.
//
// Only the trace's own thread changes a tracee's affinity (apply), where
// the accounts are exact: a task known live, never an id that may have
// been reused. When the loop sits in wait4 while the tracees run free
// (the seccomp filter lets through every call of a computing program),
// the monitor interrupts that wait with ptrace.Wake, a signal to the
// tracer's own thread.

const (
	// pinSample is the monitor's pace: a sample reads one small /proc file
	// per task.
	pinSample = 5 * time.Millisecond
	// pinSpreadAfter samples of parallel work spread the tracees: 10 ms,
	// a short price for a program that runs in parallel from its start.
	pinSpreadAfter = 2
	// pinShareAfter samples of sequential work bring them back on one
	// CPU: 50 ms, so that a program moving between parallel phases and
	// short sequential ones (a make between its jobs) does not thrash.
	pinShareAfter = 10
	// pinMostTasks bounds the tasks a sample reads: past it, the program
	// is parallel enough to tell.
	pinMostTasks = 256
)

// pinMonitor decides where the tracees run (PinAuto).
type pinMonitor struct {
	// spread is the monitor's verdict: the tracees want more than one
	// CPU. The loop applies it (apply).
	spread atomic.Bool
	// waiting: the loop is in wait4, where ptrace.Wake reaches it.
	waiting atomic.Bool
	// tracerTid is the trace's thread, the one woken.
	tracerTid int
	// one is the tracer's CPU when it shares one, orig the mask mmtrace
	// started with.
	one, orig unix.CPUSet
	// shared: the loop last applied sharing.
	shared bool
	// Counters for the tests (export_test.go): spreads and shares applied.
	spreads, shares atomic.Int64
}

// pinCPU binds the tracer's thread, and so the child, which inherits the
// mask, to the CPU the tracer runs on, when the policy asks for it, and
// sets up the monitor for PinAuto.
func (t *Tracer) pinCPU(s *rawchild.Spec) {
	switch t.cfg.Pin {
	case PinNever:
		return
	case PinSpawn:
		t.pinUntilSpawn = t.setup
	}
	orig, err := ptrace.PinToCurrentCPU()
	if err != nil {
		return
	}
	t.pinned, t.origMask = true, orig
	if t.cfg.Pin != PinAuto || t.cfg.Serial || orig.Count() < 2 {
		// One CPU, or one tracee at a time (--stable): nothing to follow.
		return
	}
	if err := ptrace.PrepareWake(); err != nil {
		// No way to reach the loop in wait4: the first policy, which
		// needs none.
		t.pinUntilSpawn = t.setup
		return
	}
	one, err := ptrace.CPUSetOf(0)
	if err != nil {
		t.pinUntilSpawn = t.setup
		return
	}
	t.pin = &pinMonitor{tracerTid: t.tracerTid, one: one, orig: orig, shared: true}
}

// unpin gives the tracer, and each tracee that still has the one-CPU mask
// the trace gave it, the mask mmtrace started with. A tracee that set its
// own affinity keeps it.
func (t *Tracer) unpin() {
	one, err := ptrace.CPUSetOf(0)
	if err != nil {
		return
	}
	if err := unix.SchedSetaffinity(0, &t.origMask); err != nil {
		return
	}
	t.pinned = false
	for tid := range t.threads {
		if set, err := ptrace.CPUSetOf(tid); err == nil && set == one {
			unix.SchedSetaffinity(tid, &t.origMask)
		}
	}
}

// unbind gives the trace's thread back the mask it had, at the trace's
// end: the thread is never unlocked and ends with its goroutine, except
// the process's main thread, which Go keeps, and with it the one-CPU mask
// that every thread it starts would inherit.
func (t *Tracer) unbind() {
	if t.pinned {
		unix.SchedSetaffinity(0, &t.origMask)
		t.pinned = false
	}
}

// repin binds the tracer to the CPU it runs on, and each tracee that has
// mmtrace's own mask with it. A tracee that set its own affinity keeps it.
func (t *Tracer) repin() {
	if _, err := ptrace.PinToCurrentCPU(); err != nil {
		return
	}
	one, err := ptrace.CPUSetOf(0)
	if err != nil {
		return
	}
	t.pinned = true
	t.pin.one = one
	for tid := range t.threads {
		if set, err := ptrace.CPUSetOf(tid); err == nil && set == t.origMask {
			unix.SchedSetaffinity(tid, &one)
		}
	}
}

// apply carries out the monitor's verdict, on the trace's thread: see
// "Sharing a CPU".
func (p *pinMonitor) apply(t *Tracer) {
	spread := p.spread.Load()
	if spread != p.shared {
		return // nothing new
	}
	if spread {
		t.unpin()
		p.shared = false
		p.spreads.Add(1)
		return
	}
	t.repin()
	p.shared = true
	p.shares.Add(1)
}

// watch samples the tracees' states until stop closes: see "Sharing a
// CPU".
func (p *pinMonitor) watch(t *Tracer, stop <-chan struct{}, done chan<- struct{}) {
	defer close(done)
	tick := time.NewTicker(pinSample)
	defer tick.Stop()
	pid := os.Getpid()
	var buf []byte
	parallel, sequential := 0, 0
	for {
		select {
		case <-stop:
			return
		case <-tick.C:
		}
		var n int
		n, buf = runnableTasks(t.tracedPids(), buf)
		if n >= 2 {
			parallel, sequential = parallel+1, 0
		} else {
			parallel, sequential = 0, sequential+1
		}
		var verdict bool
		switch {
		case parallel >= pinSpreadAfter:
			verdict = true
		case sequential >= pinShareAfter:
			verdict = false
		default:
			continue
		}
		if p.spread.Swap(verdict) != verdict && p.waiting.Load() {
			ptrace.Wake(pid, p.tracerTid)
		}
	}
}

// tracedPids lists the traced processes, for the monitor: they are the
// pidfds' keys.
func (t *Tracer) tracedPids() []int {
	t.mu.Lock()
	defer t.mu.Unlock()
	pids := make([]int, 0, len(t.pidfds))
	for pid := range t.pidfds {
		pids = append(pids, pid)
	}
	return pids
}

// runnableTasks counts the tasks of pids in state R (running or waiting
// for a CPU), reading at most pinMostTasks of them and stopping at two.
// An id that ended meanwhile is skipped; one reused by another process
// can only be miscounted, which moves no task: apply works from the
// loop's exact accounts.
func runnableTasks(pids []int, buf []byte) (int, []byte) {
	n, read := 0, 0
	for _, pid := range pids {
		dir := "/proc/" + strconv.Itoa(pid) + "/task/"
		tids, err := readDirNames(dir)
		if err != nil {
			continue
		}
		for _, tid := range tids {
			if read >= pinMostTasks {
				return n, buf
			}
			read++
			var ok bool
			buf, ok = readFileInto(dir+tid+"/stat", buf)
			if !ok {
				continue
			}
			// The state follows the command's closing parenthesis.
			if i := bytes.LastIndexByte(buf, ')'); i >= 0 && i+2 < len(buf) && buf[i+2] == 'R' {
				n++
				if n >= 2 {
					return n, buf
				}
			}
		}
	}
	return n, buf
}

// readDirNames lists a directory's entries.
func readDirNames(dir string) ([]string, error) {
	f, err := os.Open(dir)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return f.Readdirnames(-1)
}

// readFileInto reads a small file into buf.
func readFileInto(path string, buf []byte) ([]byte, bool) {
	fd, err := unix.Open(path, unix.O_RDONLY|unix.O_CLOEXEC, 0)
	if err != nil {
		return buf, false
	}
	defer unix.Close(fd)
	if cap(buf) < 1024 {
		buf = make([]byte, 1024)
	}
	buf = buf[:cap(buf)]
	n, err := unix.Read(fd, buf)
	if err != nil || n <= 0 {
		return buf[:0], false
	}
	return buf[:n], true
}
