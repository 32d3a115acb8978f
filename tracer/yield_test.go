package tracer_test

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"testing"
	"time"

	"github.com/mmtrace/mmtrace/internal/rawchild"
	"github.com/mmtrace/mmtrace/tracer"
	"github.com/mmtrace/mmtrace/tracer/text"
)

// TestLoopYields: the loop yields before a wait once yieldEvery (5 ms)
// has passed since it last did, so that Go's sysmon never finds the
// trace's goroutine on one scheduling tick for its 10 ms and preempts it
// in the middle of a wait4 (see "Yielding" in tracer.go). The clock is
// the test's: 3 ms pass at every look.
func TestLoopYields(t *testing.T) {
	sh, err := exec.LookPath("sh")
	if err != nil {
		t.Skip(err)
	}
	for _, tc := range []struct {
		name string
		step time.Duration
		// yields as a function of the waits
		min, max func(waits int) int
	}{
		// Every second wait: 6 ms since the last yield.
		{"3 ms a wait", 3 * time.Millisecond, func(w int) int { return w/2 - 1 }, func(w int) int { return w/2 + 1 }},
		// Only the first: the clock stands still.
		{"no time passes", 0, func(int) int { return 1 }, func(int) int { return 1 }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			spec := &rawchild.Spec{}
			argv := []string{"sh", "-c", ": >/dev/null; : >/dev/null; : >/dev/null; : >/dev/null"}
			if err := spec.SetExec(sh, argv, os.Environ()); err != nil {
				t.Fatal(err)
			}
			var buf bytes.Buffer
			tl := text.New(&buf)
			tr := tracer.New(tracer.Config{}, tl)
			waits := 0
			tracer.BeforeWait(tr, func(int) { waits++ })
			now := time.Unix(1e9, 0)
			tracer.YieldClock(tr, func() time.Time { now = now.Add(tc.step); return now })
			ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
			defer cancel()
			res, err := tr.Run(ctx, spec)
			skipIfNoPtrace(t, err)
			if err != nil || res.Status() != 0 {
				t.Fatalf("trace: %v, status %d", err, res.Status())
			}
			tl.Flush()
			got := tracer.Yields(tr)
			t.Logf("%d waits, %d yields", waits, got)
			if waits < 10 {
				t.Fatalf("only %d waits:\n%s", waits, buf.String())
			}
			if got < tc.min(waits) || got > tc.max(waits) {
				t.Errorf("%d yields in %d waits, want %d to %d", got, waits, tc.min(waits), tc.max(waits))
			}
		})
	}
}
