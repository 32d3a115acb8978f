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
// PinAuto spreads the tracees at the first task one creates too, so that a
// program that starts workers (copy's children) runs in parallel from
// their start, and from then on follows what the tracees do. A monitor
// goroutine reads, every pinSample, how long each traced task (those in
// the accounts) ran and waited for a CPU (/proc/PID/task/TID/schedstat). Shared,
// two tasks or more that ran and waited for the CPU more than pinWaitShare
// of a sample want more than one: spread. (A task alone that waits, waits
// for the tracer: under emulation a full trace's tracer is slow.) Spread, tasks that together ran less than
// pinRunShare of one CPU in pinShareAfter samples in a row fit on one:
// shared again. A handover (a shell resuming when its child exits, a
// tracee resumed while the tracer ends a stop) waits far less than that.
// Measured here (bench/forks.c, 1,000 forks one at a time, the lesson's
// calls shown): PinSpawn 1.68-2.05 s, PinAuto 1.45-1.65 s, PinAlways
// 1.19-1.76 s; copy -n 5 of 256 MiB: PinSpawn 196-216 ms, PinAuto
// 200-217 ms (the monitor alone, without the spread at the first spawn,
// lost 15% there).
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
	// pinWaitShare: on one CPU, tasks that waited for it more than this
	// share of a sample's time want more than one CPU. A shell handing
	// over to its child, or a tracee resumed while the tracer finishes a
	// stop, waits far less.
	pinWaitShare = 0.5
	// pinRunShare: spread, tasks that ran less than this share of a
	// sample's time (1: one CPU's worth) fit on one CPU again.
	pinRunShare = 0.9
	// pinSpreadAfter samples of waiting spread the tracees: 20 ms, a
	// short price for a program that runs in parallel from its start.
	pinSpreadAfter = 1
	// pinShareAfter samples that fit one CPU bring them back on one: 50
	// ms, so that a program moving between parallel phases and short
	// sequential ones (a make between its jobs) does not thrash.
	pinShareAfter = 10
	// pinMostTasks bounds the tasks a sample reads.
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
	// shared: the loop last applied sharing.
	shared bool
	// spawned: a tracee has created a task (firstSpawn); started is
	// closed then, and the monitor starts sampling. Until then one task
	// is traced, and one task alone never spreads: a sample would read
	// its /proc files every 5 ms and decide nothing (on `git status`, a
	// program of one process, the samples were 3% of mmtrace's time).
	spawned bool
	started chan struct{}
	// samples counts the samples taken, for the tests.
	samples atomic.Int64
	// tasks are the traced tasks, tid -> pid, as the trace's accounts
	// hold them, under the tracer's mu: the monitor samples these rather
	// than list each process's /proc/PID/task, whose opening and reading
	// were 9% of mmtrace's samples on 1,000 forks.
	tasks map[int]int
	// applied mirrors !shared for the monitor: the tracees are spread.
	applied atomic.Bool
	// Counters for the tests (export_test.go): spreads and shares applied.
	spreads, shares atomic.Int64
}

// Own masks
//
// A program may bind itself to CPUs (taskset, sched_setaffinity): that
// mask is the program's, and the pin must never change it. Comparing
// masks cannot tell: a program that binds itself to the CPU it runs on, as
// benchmarks and tests do, sets the very mask the pin gave it, and was
// given back every CPU when the tracees spread (a copy-on-write test then
// saw its page copied, held by the other CPU's batch of new pages). The
// kernel does not say who set a mask, so the trace watches the call: with
// the seccomp filter, sched_setaffinity stops whenever the pin may move
// tracees, shown or not, and the task it binds is marked (at entry, so
// that the pin never acts between the call and its exit stop; a failed
// call gives the mark back). A task inherits its creator's mark, as it
// inherits the mask. A mask set from outside the trace (taskset -p) is
// still seen by the comparison.

// affinityEntry marks the task a sched_setaffinity entering binds, if it
// is ours: pid 0 is the caller itself.
func (t *Tracer) affinityEntry(th *thread, arg uint64) {
	tid := int(int32(arg)) // pid_t
	if tid == 0 {
		tid = th.tid
	}
	target := t.threads[tid]
	if tid < 0 || target == nil {
		return
	}
	th.affTid, th.affWas = tid, target.ownMask
	target.ownMask = true
}

// affinityExit gives the mark back if the call failed.
func (t *Tracer) affinityExit(th *thread, rval int64) {
	if target := t.threads[th.affTid]; target != nil && rval < 0 {
		target.ownMask = th.affWas
	}
	th.affTid = 0
}

// inheritsMask says whether a new task tid of process pid starts with its
// creator's own mask. Seen first by its own stop, the creator is not known
// yet: a thread's leader, or a process's parent, stands for it until the
// creator's event.
func (t *Tracer) inheritsMask(creator *thread, tid, pid, ppid int) bool {
	if creator != nil {
		return creator.ownMask
	}
	from := ppid
	if pid != tid {
		from = pid
	}
	th := t.threads[from]
	return th != nil && th.ownMask
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
	t.pin = &pinMonitor{tracerTid: t.tracerTid, shared: true, started: make(chan struct{}), tasks: map[int]int{}}
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
	for tid, th := range t.threads {
		if th.ownMask {
			continue
		}
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
	for tid, th := range t.threads {
		if th.ownMask {
			continue
		}
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
		p.applied.Store(true)
		p.spreads.Add(1)
		return
	}
	t.repin()
	p.shared = true
	p.applied.Store(false)
	p.shares.Add(1)
}

// firstSpawn spreads the tracees at the first task a tracee creates, on
// the trace's thread: a program that starts workers (copy's children)
// runs in parallel at once, not a sample later, which cost copy -n 5 of
// 256 MiB 15% of its time; one that does not is brought back on one CPU
// by the monitor 50 ms later, and from then on only the measure moves it.
func (p *pinMonitor) firstSpawn(t *Tracer) {
	p.spawned = true
	close(p.started)
	p.spread.Store(true)
	p.apply(t)
}

// watch samples the tracees' states until stop closes: see "Sharing a
// CPU".
func (p *pinMonitor) watch(t *Tracer, stop <-chan struct{}, done chan<- struct{}) {
	defer close(done)
	select {
	case <-stop:
		return
	case <-p.started:
	}
	tick := time.NewTicker(pinSample)
	defer tick.Stop()
	pid := os.Getpid()
	var r taskReader
	defer r.close()
	prev, cur := map[int]taskTimes{}, map[int]taskTimes{}
	// The figures at the start, so that the first sample counts only its
	// window, as every later one does, and not the tasks' whole past.
	var tasks []task
	tasks = t.tracedTasks(tasks)
	taskDeltas(tasks, cur, prev, &r)
	last := time.Now()
	parallel, sequential := 0, 0
	sawWait := false // the kernel reports run-queue waits (sched_info)
	for {
		select {
		case <-stop:
			return
		case <-tick.C:
		}
		p.samples.Add(1)
		var run, wait uint64
		var active int
		tasks = t.tracedTasks(tasks)
		run, wait, active = taskDeltas(tasks, prev, cur, &r)
		sawWait = sawWait || wait > 0
		prev, cur = cur, prev
		clear(cur)
		now := time.Now()
		window := float64(now.Sub(last).Nanoseconds())
		last = now
		if window <= 0 {
			continue
		}
		spread := p.spread.Load()
		switch {
		case !spread && active >= 2 && float64(wait) > pinWaitShare*window:
			// Two tasks or more ran and waited: one alone that waits
			// waits for the tracer, which sharing is for.
			parallel, sequential = parallel+1, 0
		case spread && sawWait && float64(run) < pinRunShare*window:
			// Only where the kernel reports waits: without them the
			// tracees could be shared and never spread again.
			parallel, sequential = 0, sequential+1
		default:
			parallel, sequential = 0, 0
		}
		switch {
		case parallel >= pinSpreadAfter:
			p.spread.Store(true)
			parallel, sequential = 0, 0
		case sequential >= pinShareAfter:
			p.spread.Store(false)
			parallel, sequential = 0, 0
		}
		// Until the loop has applied the verdict: the loop may have gone
		// into wait4 just after it last looked, and then only a wake
		// reaches it.
		if p.spread.Load() != p.applied.Load() && p.waiting.Load() {
			ptrace.Wake(pid, p.tracerTid)
		}
	}
}

// taskTimes is a task's time on a CPU and waiting for one, in ns
// (/proc/PID/task/TID/schedstat).
type taskTimes struct{ run, wait uint64 }

// task is a traced task: tid of process pid.
type task struct{ pid, tid int }

// taskDeltas sums, over tasks (at most pinMostTasks), the time they ran
// and the time they waited for a CPU since prev, the previous sample's
// figures, and records this sample's in cur. A task new since prev counts
// whole: it began within the window. An id reused by another process can
// only be miscounted, which moves no task.
func taskDeltas(tasks []task, prev, cur map[int]taskTimes, r *taskReader) (run, wait uint64, active int) {
	r.sample++
	defer r.closeUnseen()
	for i, tk := range tasks {
		if i >= pinMostTasks {
			break
		}
		b, ok := r.schedstat(tk.pid, tk.tid)
		if !ok {
			continue
		}
		var tt taskTimes
		f := bytes.Fields(b)
		if len(f) < 2 {
			continue
		}
		tt.run, _ = strconv.ParseUint(string(f[0]), 10, 64)
		tt.wait, _ = strconv.ParseUint(string(f[1]), 10, 64)
		cur[tk.tid] = tt
		old := prev[tk.tid]
		if tt.run >= old.run && tt.wait >= old.wait {
			run += tt.run - old.run
			wait += tt.wait - old.wait
			if tt.run > old.run {
				active++
			}
		}
	}
	return run, wait, active
}

// taskReader reads the tasks' schedstat files with plain system calls
// into a buffer it reuses: os.Open would make each an *os.File, which Go
// tries to register with its netpoller (on `gcc -c` the samples made 600
// fcntl and 150 epoll_ctl calls a run).
//
// A task's schedstat stays open from one sample to the next and is read
// again from its start (pread), which the kernel answers with the task's
// figures at that moment: one system call per task and sample, not three.
type taskReader struct {
	buf []byte
	// open holds each task's schedstat file, by tid; sample numbers the
	// samples, so that the files of tasks no sample saw are closed.
	open   map[int]statFile
	sample uint64
}

// statFile is a task's open schedstat: of process pid, read last in sample.
type statFile struct {
	fd, pid int
	sample  uint64
}

// schedstat reads the schedstat of task tid of process pid through the
// file kept open for it. A file that no longer reads (the task is gone,
// and the tid may be another task's now) is opened afresh.
func (r *taskReader) schedstat(pid, tid int) ([]byte, bool) {
	if r.open == nil {
		r.open = map[int]statFile{}
	}
	if r.buf == nil {
		r.buf = make([]byte, 1024)
	}
	f, ok := r.open[tid]
	if ok && f.pid == pid {
		if n, err := unix.Pread(f.fd, r.buf, 0); err == nil && n > 0 {
			f.sample = r.sample
			r.open[tid] = f
			return r.buf[:n], true
		}
	}
	if ok {
		unix.Close(f.fd)
		delete(r.open, tid)
	}
	path := "/proc/" + strconv.Itoa(pid) + "/task/" + strconv.Itoa(tid) + "/schedstat"
	fd, err := unix.Open(path, unix.O_RDONLY|unix.O_CLOEXEC, 0)
	if err != nil {
		return nil, false
	}
	n, err := unix.Pread(fd, r.buf, 0)
	if err != nil || n <= 0 {
		unix.Close(fd)
		return nil, false
	}
	r.open[tid] = statFile{fd: fd, pid: pid, sample: r.sample}
	return r.buf[:n], true
}

// closeUnseen closes the files of the tasks the last sample did not read.
func (r *taskReader) closeUnseen() {
	for tid, f := range r.open {
		if f.sample != r.sample {
			unix.Close(f.fd)
			delete(r.open, tid)
		}
	}
}

// close closes every file the reader holds.
func (r *taskReader) close() {
	for tid, f := range r.open {
		unix.Close(f.fd)
		delete(r.open, tid)
	}
}

// pinTask records, for the monitor, that task tid of process pid is in
// the accounts, or with pid 0 that it left them. The caller is the
// trace's thread.
func (t *Tracer) pinTask(tid, pid int) {
	if t.pin == nil {
		return
	}
	t.mu.Lock()
	if pid == 0 {
		delete(t.pin.tasks, tid)
	} else {
		t.pin.tasks[tid] = pid
	}
	t.mu.Unlock()
}

// tracedTasks lists the traced tasks, for the monitor, into out's array.
func (t *Tracer) tracedTasks(out []task) []task {
	t.mu.Lock()
	defer t.mu.Unlock()
	out = out[:0]
	for tid, pid := range t.pin.tasks {
		out = append(out, task{pid: pid, tid: tid})
	}
	return out
}
