package tracer_test

import (
	"context"
	"fmt"
	"os"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/mmtrace/mmtrace/internal/rawchild"
	"github.com/mmtrace/mmtrace/internal/testutil"
	"github.com/mmtrace/mmtrace/tracer"
)

// TestEveryTraceeGetsItsTurn: a first process that polls waitpid(-1,
// WNOHANG), each call a stop, does not keep its child's stops from being
// handled when the tracer is slower than the poller (issue 16: under
// emulation the waitpid scenario's parent polled 200,000 times in two
// minutes while ps and ls, its children, barely moved). The hook makes
// the tracer that slow here: before each wait it lets the first process
// run until it has stopped again, so that wait4, which looks at the
// tracer's own child first, finds it stopped every time.
func TestEveryTraceeGetsItsTurn(t *testing.T) {
	bin := buildC(t, "pollwait.c")
	for _, tc := range []struct {
		name string
		cfg  tracer.Config
	}{
		{"seccomp", tracer.Config{}},
		{"every call stops", tracer.Config{NoSeccomp: true}},
		{"one CPU", tracer.Config{Pin: tracer.PinAlways}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			spec := &rawchild.Spec{}
			if err := spec.SetExec(bin, []string{bin}, os.Environ()); err != nil {
				t.Fatal(err)
			}
			rec := &record{}
			tr := tracer.New(tc.cfg, rec)
			tracer.BeforeWait(tr, func(root int) {
				// Until the first process stops again, sleeps or ends:
				// it polls, so it stops within microseconds. The bound
				// only keeps a broken trace from spinning for ever.
				for i := 0; i < 1_000_000; i++ {
					if st, err := tracer.ProcState(root); err != nil || st != 'R' {
						return
					}
					unix.Syscall(unix.SYS_SCHED_YIELD, 0, 0, 0)
				}
			})
			// Without turns the trace never ends: the child's stops
			// wait for ever behind the poller's.
			ctx, cancel := context.WithTimeout(context.Background(), testutil.Patience(30*time.Second))
			defer cancel()
			res, err := tr.Run(ctx, spec)
			skipIfNoPtrace(t, err)
			if err != nil {
				t.Fatal(err)
			}
			if res.Status() != 0 {
				t.Fatalf("pollwait ended with status %d, want 0: its child never got its turn (%s)", res.Status(), callCounts(rec, res.Pid))
			}
			closes, polls := 0, 0
			for _, e := range rec.events {
				if e.Kind != tracer.CallExit {
					continue
				}
				switch {
				case e.Pid != res.Pid && e.Call.Name == "close":
					closes++
				case e.Pid == res.Pid && e.Call.Name == "wait4":
					polls++
				}
			}
			if closes != 50 {
				t.Errorf("the child's closes shown: %d, want 50 (%s)", closes, callCounts(rec, res.Pid))
			}
			t.Logf("the parent polled %d times while its child made its 50 calls", polls)
		})
	}
}

// callCounts counts the calls each process made, for a failure's message.
func callCounts(rec *record, root int) string {
	var parent, child int
	for _, e := range rec.events {
		if e.Kind != tracer.CallExit {
			continue
		}
		if e.Pid == root {
			parent++
		} else {
			child++
		}
	}
	return fmt.Sprintf("the parent made %d shown calls, the child %d", parent, child)
}

// TestFewLooks: while one tracee makes the calls and the others wait in a
// call (a shell waiting for its child), the loop looks for other stops
// once in turnsPerLook (4) waits, not after every wait.
func TestFewLooks(t *testing.T) {
	bin := testutil.BuildC(t, "testdata/calls.c")
	spec := &rawchild.Spec{}
	if err := spec.SetExec("/bin/sh", []string{"sh", "-c", bin + " 0 400; true"}, os.Environ()); err != nil {
		t.Fatal(err)
	}
	rec := &record{}
	tr := tracer.New(tracer.Config{}, rec)
	waits := 0
	tracer.BeforeWait(tr, func(int) { waits++ })
	ctx, cancel := context.WithTimeout(context.Background(), testutil.Patience(60*time.Second))
	defer cancel()
	res, err := tr.Run(ctx, spec)
	skipIfNoPtrace(t, err)
	if err != nil || res.Status() != 0 {
		t.Fatalf("trace: %v, status %d", err, res.Status())
	}
	looks := tracer.Looks(tr)
	t.Logf("%d waits, %d looks", waits, looks)
	if waits < 800 {
		t.Fatalf("%d waits, want at least 800 (400 calls, each two stops)", waits)
	}
	if looks > waits/3 {
		t.Errorf("%d looks in %d waits, want about one in 4", looks, waits)
	}
}
