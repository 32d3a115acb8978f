package tracer_test

import (
	"context"
	"os"
	"sync"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/mmtrace/mmtrace/internal/rawchild"
	"github.com/mmtrace/mmtrace/internal/testutil"
	"github.com/mmtrace/mmtrace/tracer"
	"github.com/mmtrace/mmtrace/tracer/filter"
)

// TestExecFromThread: a non-leader thread execs; the trace must report the
// old thread superseded, and follow the new program to its exit status.
func TestExecFromThread(t *testing.T) {
	bin := testutil.BuildC(t, "testdata/execthread.c", "-pthread")
	rec, tl, res := runTraced(t, tracer.Config{Filter: filter.All()}, bin)
	if res.Status() != 5 {
		t.Fatalf("exit status %d, want 5\n%s", res.Status(), tl)
	}
	checkAccounted(t, rec)
	var superseded *tracer.Event
	for i, e := range rec.events {
		if e.Kind == tracer.Superseded {
			superseded = &rec.events[i]
		}
	}
	if superseded == nil || superseded.Pid != res.Pid || superseded.OldTid == res.Pid {
		t.Fatalf("no superseded event for the leader %d: %+v\n%s", res.Pid, superseded, tl)
	}
	// The execve returns under the leader's tid.
	found := false
	for _, e := range rec.events {
		if e.Kind == tracer.CallExit && e.Call.Name == "execve" && e.Tid == res.Pid && e.Call.Ret == 0 {
			found = true
		}
	}
	if !found {
		t.Errorf("no successful execve under tid %d\n%s", res.Pid, tl)
	}
}

// contSink sends SIGCONT once it sees the tracee in group-stop.
type contSink struct {
	mu      sync.Mutex
	stopped []tracer.Event
}

func (s *contSink) Event(e *tracer.Event) {
	if e.Kind == tracer.Stopped {
		s.mu.Lock()
		s.stopped = append(s.stopped, *e)
		s.mu.Unlock()
		// From another goroutine, as a user's kill -CONT would come.
		go func(pid int) {
			time.Sleep(50 * time.Millisecond)
			unix.Kill(pid, unix.SIGCONT)
		}(e.Pid)
	}
}
func (s *contSink) Flush() error { return nil }

// TestGroupStop: a process stopping itself stays stopped (the tracer must
// not resume it) until a SIGCONT, then runs on.
func TestGroupStop(t *testing.T) {
	bin := testutil.BuildC(t, "testdata/stopcont.c")
	spec := &rawchild.Spec{}
	if err := spec.SetExec(bin, []string{bin}, os.Environ()); err != nil {
		t.Fatal(err)
	}
	rec, cont := &record{}, &contSink{}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	res, err := tracer.New(tracer.Config{}, rec, cont).Run(ctx, spec)
	skipIfNoPtrace(t, err)
	if err != nil {
		t.Fatal(err)
	}
	if res.Status() != 6 {
		t.Fatalf("exit status %d, want 6", res.Status())
	}
	cont.mu.Lock()
	defer cont.mu.Unlock()
	if len(cont.stopped) != 1 || cont.stopped[0].Signal != unix.SIGSTOP {
		t.Fatalf("stops: %+v, want one group-stop by SIGSTOP", cont.stopped)
	}
	// The SIGSTOP delivery and the SIGCONT show as signals, passed on.
	var sigs []unix.Signal
	for _, e := range rec.events {
		if e.Kind == tracer.Signal {
			sigs = append(sigs, e.Signal)
		}
	}
	if len(sigs) != 2 || sigs[0] != unix.SIGSTOP || sigs[1] != unix.SIGCONT {
		t.Errorf("signals %v, want SIGSTOP then SIGCONT", sigs)
	}
	checkAccounted(t, rec)
}
