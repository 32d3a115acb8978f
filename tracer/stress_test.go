package tracer_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/mmtrace/mmtrace/internal/rawchild"
	"github.com/mmtrace/mmtrace/internal/testutil"
	"github.com/mmtrace/mmtrace/tracer"
	"github.com/mmtrace/mmtrace/tracer/jsonl"
	"github.com/mmtrace/mmtrace/tracer/perfetto"
	"github.com/mmtrace/mmtrace/tracer/summary"
	"github.com/mmtrace/mmtrace/tracer/svg"
)

// Issue 10's load: 1,000 short-lived processes of 4 threads each. Under it
// a new thread's exit is often reported before its creator's clone event
// (the kernel's wait looks at the newest tracees first), which once made
// the tracer register 705 of 4,000 threads again after their exit.
const (
	stressProcs   = 1000
	stressThreads = 4 // per process, its leader included
	stressAtOnce  = 8 // processes alive at once
)

// stressSizes returns the fixture's arguments: the full load, or a tenth
// of it in -short mode.
// stressHangGuard is how long a stress trace may run before the test
// calls it a hang.
var stressHangGuard = testutil.Patience(2 * time.Minute)

func stressSizes() (procs, threads int) {
	if testing.Short() {
		return stressProcs / 10, stressThreads
	}
	return stressProcs, stressThreads
}

// ledger follows each task id through its lives: a spawn starts one, an
// exit ends it. Ids are reused, and soon: pid_max may be 32,768 and other
// programs run beside the test, so one id may live several lives, one
// after the other, never two at once.
type ledger struct {
	alive  map[int]bool
	tasks  int             // lives
	procs  int             // lives of processes
	pids   map[int]bool    // every process id
	tracks map[[2]int]bool // every (process, thread) pair
	wrong  []string
}

// newLedger starts with the root alive: it has no spawn.
func newLedger(root int) *ledger {
	return &ledger{
		alive: map[int]bool{root: true}, tasks: 1, procs: 1,
		pids: map[int]bool{root: true}, tracks: map[[2]int]bool{{root, root}: true},
	}
}

func (l *ledger) spawn(pid, child int, thread bool) {
	if l.alive[child] {
		l.wrong = append(l.wrong, fmt.Sprintf("%d spawned again while alive", child))
		return
	}
	l.alive[child] = true
	l.tasks++
	if !thread {
		pid = child
		l.pids[pid] = true
		l.procs++
	}
	l.tracks[[2]int{pid, child}] = true
}

func (l *ledger) exit(tid int) {
	if !l.alive[tid] {
		l.wrong = append(l.wrong, fmt.Sprintf("%d exited, not alive", tid))
	}
	delete(l.alive, tid)
}

// check fails the test on a task spawned or ended twice, or never ended.
func (l *ledger) check(t *testing.T, what string) {
	t.Helper()
	for tid := range l.alive {
		l.wrong = append(l.wrong, fmt.Sprintf("%d never ended", tid))
	}
	if len(l.wrong) > 0 {
		t.Errorf("%s: %d tasks not spawned and ended exactly once, e.g. %s", what, len(l.wrong), strings.Join(l.wrong[:min(len(l.wrong), 5)], "; "))
	}
}

// accounts is a sink that keeps the tasks' lives as the trace reports
// them, and checks each signal the tracer sends, against them and against
// the kernel: a signal by number must go to a task this process traces,
// never to one whose exit was reported; one through a pidfd must go
// through a pidfd that names that process (or, reaped a moment ago, none).
type accounts struct {
	mu      sync.Mutex
	led     *ledger
	procEnd map[int]bool // pid -> its last thread's exit was reported
	sent    []tracer.SentSignal
	bad     []string
	// after, when set, is called (on the tracer's goroutine, without mu)
	// with the number of exits reported so far.
	after func(exits int)
	nExit int
}

// newAccounts returns accounts for a trace whose first process is root,
// or (0) the process of the first event.
func newAccounts(root int) *accounts {
	a := &accounts{procEnd: map[int]bool{}}
	if root != 0 {
		a.led = newLedger(root)
	}
	return a
}

func (a *accounts) Event(e *tracer.Event) {
	a.mu.Lock()
	if a.led == nil {
		a.led = newLedger(e.Pid)
	}
	switch e.Kind {
	case tracer.Spawn:
		a.led.spawn(e.Pid, e.Child, e.Thread)
		if !e.Thread {
			delete(a.procEnd, e.Child)
		}
	case tracer.Exit:
		a.led.exit(e.Tid)
		if e.Leader {
			a.procEnd[e.Pid] = true
		}
		a.nExit++
	case tracer.Superseded:
		delete(a.led.alive, e.OldTid) // its life ends without an exit
	}
	n, after := a.nExit, a.after
	a.mu.Unlock()
	if after != nil && e.Kind == tracer.Exit {
		after(n)
	}
}

func (a *accounts) Flush() error { return nil }

// signal is the tracer's signal hook.
func (a *accounts) signal(s tracer.SentSignal) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.sent = append(a.sent, s)
	name := unix.SignalName(s.Sig)
	if s.FD >= 0 {
		// The hook runs just before the send, with the pidfd open.
		if pid, err := pidfdPid(s.FD); err != nil || pid != s.Pid && pid != -1 {
			a.bad = append(a.bad, fmt.Sprintf("%s for process %d through fd %d, which names %d (%v)", name, s.Pid, s.FD, pid, err))
		}
		if a.procEnd[s.Pid] {
			a.bad = append(a.bad, fmt.Sprintf("%s sent to process %d after its exit", name, s.Pid))
		}
		return
	}
	target := s.Pid
	if s.Tid != 0 {
		target = s.Tid
	}
	if a.led != nil && !a.led.alive[target] && (s.Tid != 0 || a.procEnd[s.Pid]) {
		a.bad = append(a.bad, fmt.Sprintf("%s sent by number to %d (process %d) after its exit", name, target, s.Pid))
	}
	if !tracedHere(target) {
		a.bad = append(a.bad, fmt.Sprintf("%s sent by number to %d (process %d), which this process does not trace", name, target, s.Pid))
	}
}

// tracedHere says whether task tid exists and a thread of this process
// traces it.
func tracedHere(tid int) bool {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(tid) + "/status")
	if err != nil {
		return false
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "TracerPid:"); ok {
			_, err := os.Stat("/proc/self/task/" + strings.TrimSpace(v))
			return strings.TrimSpace(v) != "0" && err == nil
		}
	}
	return false
}

// pidfdPid reads which process a pidfd names: -1 once it is reaped.
func pidfdPid(fd int) (int, error) {
	b, err := os.ReadFile("/proc/self/fdinfo/" + strconv.Itoa(fd))
	if err != nil {
		return 0, err
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "Pid:"); ok {
			return strconv.Atoi(strings.TrimSpace(v))
		}
	}
	return 0, fmt.Errorf("fd %d is not a pidfd", fd)
}

// check fails the test unless every task reported lived once, from one
// spawn (the root: none) to one exit, and no signal went astray. It
// returns the ledger.
func (a *accounts) check(t *testing.T) *ledger {
	t.Helper()
	a.mu.Lock()
	defer a.mu.Unlock()
	for i, b := range a.bad {
		if i == 10 {
			t.Errorf("... and %d more", len(a.bad)-i)
			break
		}
		t.Error(b)
	}
	if a.led == nil {
		t.Fatal("no events")
	}
	a.led.check(t, "events")
	return a.led
}

// stressSpec builds the fixture and returns how to start it.
func stressSpec(t *testing.T, args ...string) *rawchild.Spec {
	t.Helper()
	bin := testutil.BuildC(t, "testdata/stress.c", "-pthread")
	spec := &rawchild.Spec{}
	if err := spec.SetExec(bin, append([]string{bin}, args...), os.Environ()); err != nil {
		t.Fatal(err)
	}
	return spec
}

// TestStressAccounts traces the whole load with every sink that counts
// processes and checks that each task is spawned and ends exactly once in
// the events and in --json, that the tracer holds nothing after the
// program ended, that -C shows no process still running, and that the
// picture and the Perfetto trace have a lane per process and a track per
// thread, no more.
func TestStressAccounts(t *testing.T) {
	procs, threads := stressSizes()
	spec := stressSpec(t, strconv.Itoa(procs), strconv.Itoa(threads), strconv.Itoa(stressAtOnce))
	acc := newAccounts(0)
	var js, sum, pic, pf bytes.Buffer
	jw := jsonl.New(&js, jsonl.Options{})
	sw := summary.New(&sum, summary.Options{})
	vw := svg.New(&pic, svg.Options{Title: "stress"})
	pw := perfetto.New(&pf, perfetto.Options{})
	tr := tracer.New(tracer.Config{}, acc, jw, sw, vw, pw)
	tracer.OnSignal(tr, acc.signal)
	var pinWrong string
	tracer.BeforeWait(tr, func(int) {
		if w := tracer.PinTasksWrong(tr); w != "" && pinWrong == "" {
			pinWrong = w
		}
	})
	// A guard against a hang, far past a normal run: 8 s here, 35 s in
	// the emulated arm64 guest, over 2 min there with the host loaded
	// (hence Patience).
	ctx, cancel := context.WithTimeout(context.Background(), stressHangGuard)
	defer cancel()
	began := time.Now()
	res, err := tr.Run(ctx, spec)
	skipIfNoPtrace(t, err)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("traced in %v", time.Since(began))
	if res.Status() != 0 {
		t.Fatalf("the fixture exited with %d", res.Status())
	}
	wantTasks, wantProcs := 1+procs*threads, 1+procs

	led := acc.check(t)
	if led.tasks != wantTasks || led.procs != wantProcs {
		t.Errorf("events tell of %d tasks in %d processes, want %d in %d", led.tasks, led.procs, wantTasks, wantProcs)
	}
	if n, p, fds := tracer.Accounts(tr); n != 0 || p != 0 || fds != 0 {
		t.Errorf("after the program ended the tracer still holds %d tasks, %d processes, %d pidfds", n, p, fds)
	}
	if pinWrong != "" {
		t.Errorf("during the trace: %s", pinWrong)
	}
	if len(acc.sent) != 1 || acc.sent[0].Sig != unix.SIGCONT {
		// The SIGCONT that starts the program, and nothing else.
		t.Errorf("signals sent: %+v", acc.sent)
	}

	// --json: one spawn and one exit per task.
	if err := jw.Flush(); err != nil {
		t.Fatal(err)
	}
	var jled *ledger
	sc := bufio.NewScanner(&js)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var l struct {
			Type   string `json:"type"`
			Pid    int    `json:"pid"`
			Tid    int    `json:"tid"`
			Child  *int   `json:"child"`
			Thread *bool  `json:"thread"`
		}
		if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
			t.Fatalf("bad JSON line %q: %v", sc.Text(), err)
		}
		if jled == nil {
			jled = newLedger(l.Pid)
		}
		switch l.Type {
		case "spawn":
			jled.spawn(l.Pid, *l.Child, *l.Thread)
		case "exit":
			jled.exit(l.Tid)
		}
	}
	if jled == nil {
		t.Fatal("--json wrote nothing")
	}
	jled.check(t, "--json")
	if jled.tasks != wantTasks || jled.procs != wantProcs {
		t.Errorf("--json tells of %d tasks in %d processes, want %d in %d", jled.tasks, jled.procs, wantTasks, wantProcs)
	}

	// -C: every process ended.
	if err := sw.Close(); err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(sum.String(), "still running"); n != 0 {
		t.Errorf("-C lists %d processes still running", n)
	}

	// --svg: a lane per process.
	if err := vw.Close(); err != nil {
		t.Fatal(err)
	}
	// The renderers know a process by its id: one whose id was reused
	// shares its lane.
	lanes := svgLanes(t, pic.Bytes())
	if lanes != len(led.pids) || lanes > wantProcs {
		t.Errorf("--svg draws %d lanes, want one per process id: %d, at most %d", lanes, len(led.pids), wantProcs)
	}
	if strings.Contains(pic.String(), "still running") {
		t.Error("--svg shows a process still running")
	}

	// --perfetto: a process track per process, a thread track per task.
	if err := pw.Close(); err != nil {
		t.Fatal(err)
	}
	var f struct {
		TraceEvents []struct {
			Name string `json:"name"`
			Ph   string `json:"ph"`
		} `json:"traceEvents"`
	}
	if err := json.Unmarshal(pf.Bytes(), &f); err != nil {
		t.Fatal(err)
	}
	var ptracks, ttracks int
	for _, e := range f.TraceEvents {
		switch {
		case e.Ph == "M" && e.Name == "process_name":
			ptracks++
		case e.Ph == "M" && e.Name == "thread_name":
			ttracks++
		}
	}
	if ptracks != len(led.pids) || ttracks != len(led.tracks) || ptracks > wantProcs || ttracks > wantTasks {
		t.Errorf("--perfetto has %d process and %d thread tracks, want %d and %d, at most %d and %d",
			ptracks, ttracks, len(led.pids), len(led.tracks), wantProcs, wantTasks)
	}
}

// svgLanes counts the lanes of a picture.
func svgLanes(t *testing.T, b []byte) int {
	t.Helper()
	d := xml.NewDecoder(bytes.NewReader(b))
	n := 0
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return n
		}
		if err != nil {
			t.Fatalf("--svg is not XML: %v", err)
		}
		if s, ok := tok.(xml.StartElement); ok && s.Name.Local == "g" {
			for _, a := range s.Attr {
				if a.Name.Local == "class" && a.Value == "lane" {
					n++
				}
			}
		}
	}
}

// TestStressInterrupt kills the load in mid-run, as Ctrl-C twice or a
// cancelled context does (Interrupt(SIGKILL), then killAll from another
// goroutine), while tasks are being created and reaped: no signal may go
// to a task after its exit, every task reported ends exactly once, and
// nothing is left.
func TestStressInterrupt(t *testing.T) {
	procs, threads := stressSizes()
	for _, at := range []int{procs / 3, 2 * procs} {
		t.Run(fmt.Sprintf("after%d", at), func(t *testing.T) {
			spec := stressSpec(t, strconv.Itoa(procs), strconv.Itoa(threads), strconv.Itoa(stressAtOnce))
			acc := newAccounts(0)
			tr := tracer.New(tracer.Config{}, acc)
			tracer.OnSignal(tr, acc.signal)
			var once sync.Once
			acc.after = func(exits int) {
				if exits >= at {
					// From another goroutine, as a signal handler's would.
					once.Do(func() { go tr.Interrupt(unix.SIGKILL) })
				}
			}
			ctx, cancel := context.WithTimeout(context.Background(), stressHangGuard)
			defer cancel()
			res, err := tr.Run(ctx, spec)
			skipIfNoPtrace(t, err)
			if err != nil {
				t.Fatal(err)
			}
			if res.Signal != unix.SIGKILL {
				t.Errorf("the fixture ended with %+v, want killed by SIGKILL", res)
			}
			acc.check(t)
			if n, p, fds := tracer.Accounts(tr); n != 0 || p != 0 || fds != 0 {
				t.Errorf("after the kill the tracer still holds %d tasks, %d processes, %d pidfds", n, p, fds)
			}
			kills := 0
			for _, s := range acc.sent {
				if s.Sig == unix.SIGKILL {
					kills++
				}
			}
			if kills == 0 {
				t.Error("no SIGKILL was sent")
			}
		})
	}
}

// TestAttachEndsWithTarget attaches to the load before it starts: the
// trace must end when the program and all it started have ended, having
// accounted for every task, not run on waiting for tasks long gone.
func TestAttachEndsWithTarget(t *testing.T) {
	procs, threads := stressSizes()
	procs = max(procs/4, 10)
	bin := testutil.BuildC(t, "testdata/stress.c", "-pthread")
	cmd := exec.Command(bin, strconv.Itoa(procs), strconv.Itoa(threads), strconv.Itoa(stressAtOnce), "wait")
	in, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// The tracer, in this process as the program's parent is, reaps it:
	// cmd.Wait then finds no child, which is no error here.
	defer func() { cmd.Process.Kill(); cmd.Wait() }()
	pid := cmd.Process.Pid

	acc := newAccounts(pid)
	tr := tracer.New(tracer.Config{}, acc)
	tracer.OnSignal(tr, acc.signal)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	type outcome struct {
		res tracer.Result
		err error
	}
	got := make(chan outcome, 1)
	go func() {
		res, err := tr.Attach(ctx, pid)
		got <- outcome{res, err}
	}()
	// Let the program go once it is traced.
	for traced := false; !traced; {
		select {
		case o := <-got:
			skipIfNoPtrace(t, o.err)
			t.Fatalf("attach ended before the program started: %+v %v", o.res, o.err)
		case <-time.After(10 * time.Millisecond):
			st, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
			traced = err == nil && !strings.Contains(string(st), "TracerPid:\t0\n")
		}
	}
	in.Write([]byte{'\n'})
	var o outcome
	select {
	case o = <-got:
	case <-time.After(90 * time.Second):
		t.Fatal("the trace runs on, after the program ended, and after its context was cancelled")
	}
	if o.err != nil || o.res.Detached || o.res.Status() != 0 {
		t.Fatalf("Attach = %+v, %v: it did not end with the program, or the program failed", o.res, o.err)
	}
	led := acc.check(t)
	if want := 1 + procs*threads; led.tasks != want || led.procs != 1+procs {
		t.Errorf("events tell of %d tasks in %d processes, want %d in %d", led.tasks, led.procs, want, 1+procs)
	}
	if n, p, fds := tracer.Accounts(tr); n != 0 || p != 0 || fds != 0 {
		t.Errorf("after the program ended the tracer still holds %d tasks, %d processes, %d pidfds", n, p, fds)
	}
	if len(acc.sent) != 0 {
		t.Errorf("an attached trace sent signals: %+v", acc.sent)
	}
}
