package tracer_test

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/mmtrace/mmtrace/internal/testutil"
	"github.com/mmtrace/mmtrace/tracer"
)

// waitSink signals once n calls named name have returned.
type waitSink struct {
	mu    sync.Mutex
	name  string
	n     int
	calls []string
	done  chan struct{}
	// detached: the tids of the Detached events, in order.
	detached []int
}

func (w *waitSink) Event(e *tracer.Event) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if e.Kind == tracer.Detached {
		w.detached = append(w.detached, e.Tid)
	}
	if e.Kind != tracer.CallExit {
		return
	}
	w.calls = append(w.calls, e.Call.Name)
	if e.Call.Name == w.name {
		w.n--
		if w.n == 0 {
			close(w.done)
		}
	}
}
func (w *waitSink) Flush() error { return nil }

// attachOutcome is what an Attach returned.
type attachOutcome struct {
	res tracer.Result
	err error
}

// attachInBackground runs tr's Attach to pid on its own goroutine; its
// outcome comes on the channel. Cancelling ctx detaches.
func attachInBackground(ctx context.Context, tr *tracer.Tracer, pid int) <-chan attachOutcome {
	got := make(chan attachOutcome, 1)
	go func() {
		res, err := tr.Attach(ctx, pid)
		got <- attachOutcome{res, err}
	}()
	return got
}

// TestAttachDetach attaches to a running program, sees its calls, then
// lets it go: it must keep running, not stopped, not killed.
func TestAttachDetach(t *testing.T) {
	bin := testutil.BuildC(t, "testdata/ticker.c")
	cmd := exec.Command(bin)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { cmd.Process.Kill(); cmd.Wait() }()
	lines := bufio.NewScanner(out)
	lines.Scan() // it runs

	sink := &waitSink{name: "mmap", n: 3, done: make(chan struct{})}
	ctx, cancel := context.WithCancel(context.Background())
	got := attachInBackground(ctx, tracer.New(tracer.Config{}, sink), cmd.Process.Pid)
	select {
	case <-sink.done:
	case o := <-got:
		skipIfNoPtrace(t, o.err)
		t.Fatalf("trace ended before 3 mmaps: %+v %v", o.res, o.err)
	case <-time.After(20 * time.Second):
		t.Fatal("no 3 mmaps seen in 20 s")
	}
	cancel()
	var o attachOutcome
	select {
	case o = <-got:
	case <-time.After(10 * time.Second):
		t.Fatal("detach did not finish")
	}
	if o.err != nil || !o.res.Detached {
		t.Fatalf("Attach = %+v, %v; want detached", o.res, o.err)
	}
	sink.mu.Lock()
	if !strings.Contains(strings.Join(sink.calls, " "), "munmap") {
		t.Errorf("calls seen: %v", sink.calls)
	}
	// The renderers learn that the process was let go, not that it ran
	// forever: one Detached event for its one thread.
	if len(sink.detached) != 1 || sink.detached[0] != cmd.Process.Pid {
		t.Errorf("Detached events for %v, want one for %d", sink.detached, cmd.Process.Pid)
	}
	sink.mu.Unlock()

	// Still running, and still making progress.
	state := procState(cmd.Process.Pid)
	if state == "" || state == "T" || state == "t" || state == "Z" {
		t.Fatalf("after detach the process is in state %q", state)
	}
	ticked := make(chan bool, 1)
	go func() {
		n := 0
		for n < 5 && lines.Scan() {
			n++
		}
		ticked <- n == 5
	}()
	select {
	case ok := <-ticked:
		if !ok {
			t.Fatal("the program stopped writing after detach")
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the program made no progress after detach")
	}
}

func TestAttachMissing(t *testing.T) {
	_, err := tracer.New(tracer.Config{}).Attach(context.Background(), 1<<30)
	if err == nil || !errors.Is(err, os.ErrNotExist) && !strings.Contains(err.Error(), "no such process") {
		t.Fatalf("Attach to a missing pid: %v", err)
	}
}

// procState returns the state letter of /proc/PID/stat.
func procState(pid int) string {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return ""
	}
	s := string(b)
	i := strings.LastIndexByte(s, ')')
	if i < 0 || i+2 >= len(s) {
		return ""
	}
	return s[i+2 : i+3]
}

// spawnSink signals once n spawns have been reported.
type spawnSink struct {
	n    atomic.Int32
	done chan struct{}
	once sync.Once
}

func (s *spawnSink) Event(e *tracer.Event) {
	if e.Kind == tracer.Spawn && s.n.Add(-1) == 0 {
		s.once.Do(func() { close(s.done) })
	}
}
func (s *spawnSink) Flush() error { return nil }

// TestAttachWhileThreadsCome attaches, again and again, to a process that
// creates and ends threads all the time: the threads it lists may be
// exiting (the kernel refuses to seize those) or already traced (created
// by a thread seized a moment before). Neither may fail the attach, and
// each detach must leave the process running.
func TestAttachWhileThreadsCome(t *testing.T) {
	bin := testutil.BuildC(t, "testdata/spawner.c", "-pthread")
	cmd := exec.Command(bin)
	// It never ends by itself: should this test process die (a timeout's
	// panic), the kernel kills it. The parent-death signal follows the
	// thread that forks, which the lock keeps alive until the test ends.
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { cmd.Process.Kill(); cmd.Wait() }()
	for i := range 20 {
		acc := newAccounts(cmd.Process.Pid)
		sink := &spawnSink{done: make(chan struct{})}
		sink.n.Store(20)
		tr := tracer.New(tracer.Config{}, acc, sink)
		tracer.OnSignal(tr, acc.signal)
		ctx, cancel := context.WithCancel(context.Background())
		got := attachInBackground(ctx, tr, cmd.Process.Pid)
		var o attachOutcome
		select {
		case <-sink.done:
			cancel()
			select {
			case o = <-got:
			case <-time.After(time.Minute):
				t.Fatalf("attach %d: the detach did not end", i)
			}
		case o = <-got:
			cancel()
		case <-time.After(time.Minute):
			t.Fatalf("attach %d: no 20 threads seen", i)
		}
		if i == 0 {
			// Refused at the first: no ptrace here. Later, a refusal is
			// the attach failing on a thread that came or went.
			skipIfNoPtrace(t, o.err)
		}
		if o.err != nil || !o.res.Detached {
			t.Fatalf("attach %d: %+v, %v; want detached", i, o.res, o.err)
		}
		if n, p, fds := tracer.Accounts(tr); n != 0 || p != 0 || fds != 0 {
			t.Errorf("attach %d: after detach the tracer still holds %d tasks, %d processes, %d pidfds", i, n, p, fds)
		}
		if len(acc.sent) != 0 {
			t.Errorf("attach %d: signals sent: %+v", i, acc.sent)
		}
		if st := procState(cmd.Process.Pid); st == "" || st == "t" || st == "T" || st == "Z" {
			t.Fatalf("attach %d: after detach the process is in state %q", i, st)
		}
	}
}

// TestAttachDetachAsleep: Ctrl-C lets go of a process that makes no call
// at all while it is traced (sleep 100): the waker must wake the tracer's
// wait4, for no stop of the tracee will. Its fork once kept a copy of the
// pipe's write end, and the detach waited for the sleep to end.
func TestAttachDetachAsleep(t *testing.T) {
	cmd := exec.Command("sleep", "100")
	if err := cmd.Start(); err != nil {
		t.Skip(err)
	}
	defer func() { cmd.Process.Kill(); cmd.Wait() }()
	sink := &waitSink{name: "restart_syscall", n: 1, done: make(chan struct{})}
	ctx, cancel := context.WithCancel(context.Background())
	got := attachInBackground(ctx, tracer.New(tracer.Config{}, sink), cmd.Process.Pid)
	// Give the attach time to seize and restart the sleep: nothing else
	// will come from it.
	select {
	case o := <-got:
		skipIfNoPtrace(t, o.err)
		t.Fatalf("trace ended before the detach: %+v %v", o.res, o.err)
	case <-time.After(500 * time.Millisecond):
	}
	cancel()
	var o attachOutcome
	select {
	case o = <-got:
	case <-time.After(testutil.Patience(20 * time.Second)):
		t.Fatal("the detach waited for the sleeping process's next call")
	}
	if o.err != nil || !o.res.Detached {
		t.Fatalf("Attach = %+v, %v; want detached", o.res, o.err)
	}
	// Let go, it restarts its sleep: running (R) for a moment, then
	// asleep again; never stopped, never gone.
	state, deadline := procState(cmd.Process.Pid), time.Now().Add(testutil.Patience(5*time.Second))
	for state == "R" && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
		state = procState(cmd.Process.Pid)
	}
	if state != "S" {
		t.Errorf("after detach the sleep is in state %q, want S", state)
	}
	sink.mu.Lock()
	defer sink.mu.Unlock()
	if len(sink.detached) != 1 || sink.detached[0] != cmd.Process.Pid {
		t.Errorf("Detached events for %v, want one for %d", sink.detached, cmd.Process.Pid)
	}
}
