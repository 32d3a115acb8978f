package tracer_test

import (
	"os"
	"os/signal"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/mmtrace/mmtrace/tracer"
)

// TestNoSigchldPerStop: the tracer is not sent a SIGCHLD at every ptrace
// stop (issue 15: 200,368 of them in a 200,000-stop trace, about 10% of
// its time in signal delivery and the runtime's handler). A full trace of
// a shell that runs /bin/true 20 times stops at every call's entry and
// exit, about 1,500 times; the SIGCHLDs left are those of the 21
// processes' exits.
func TestNoSigchldPerStop(t *testing.T) {
	sigs := make(chan os.Signal, 1<<16)
	signal.Notify(sigs, syscall.SIGCHLD)
	defer signal.Stop(sigs)
	var got atomic.Int64
	done := make(chan struct{})
	go func() {
		for {
			select {
			case <-sigs:
				got.Add(1)
			case <-done:
				return
			}
		}
	}()
	script := "for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do /bin/true; done"
	rec, _, res := runTraced(t, tracer.Config{NoSeccomp: true}, "sh", "-c", script)
	if res.Status() != 0 {
		t.Fatalf("sh exited %v", res)
	}
	time.Sleep(100 * time.Millisecond) // the last signals' delivery
	close(done)
	stops := 0
	for _, e := range rec.events {
		if e.Kind == tracer.CallEnter || e.Kind == tracer.CallExit {
			stops++
		}
	}
	n := got.Load()
	t.Logf("%d SIGCHLDs for %d call stops", n, stops)
	if stops < 500 {
		t.Fatalf("only %d call stops: the test needs many", stops)
	}
	if n > int64(stops)/10 {
		t.Errorf("%d SIGCHLDs for %d call stops: the tracer is signalled at its tracees' stops", n, stops)
	}
}
