package text

import (
	"bytes"
	"fmt"
	"testing"
	"time"

	"github.com/mmtrace/mmtrace/tracer"
	"github.com/mmtrace/mmtrace/tracer/sys"
)

// TestPrefixMatchesFmt: the prefix is written by hand, without fmt; it must
// print exactly what "%-6d %10.6f " does.
func TestPrefixMatchesFmt(t *testing.T) {
	for _, tid := range []int{1, 42, 12345, 123456, 1234567, 4194304} {
		for _, at := range []time.Duration{0, time.Microsecond, 1706 * time.Microsecond, 3*time.Second + 999999*time.Nanosecond, 12345 * time.Second} {
			var buf bytes.Buffer
			r := New(&buf)
			r.prefix(tid, at)
			r.w.Flush()
			if want := fmt.Sprintf("%-6d %10.6f ", tid, at.Seconds()); buf.String() != want {
				t.Errorf("prefix(%d, %v) = %q, want %q", tid, at, buf.String(), want)
			}
		}
	}
}

// TestCallLineAllocs: a call's entry and exit, once the renderer has
// warmed up, allocate nothing, whether the line prints or folds.
func TestCallLineAllocs(t *testing.T) {
	arch := sys.HostArch()
	nr, _ := sys.Number(arch, "close")
	c := sys.NewCall(arch, nr, [6]uint64{3})
	c.Enter(nil, &sys.Options{})
	c.Exit(nil, 0, &sys.Options{})
	enter := &tracer.Event{Kind: tracer.CallEnter, Pid: 100, Tid: 100, Call: c}
	exit := &tracer.Event{Kind: tracer.CallExit, Pid: 100, Tid: 100, Call: c}
	for _, fold := range []bool{true, false} {
		var buf bytes.Buffer
		r := NewWithOptions(&buf, Options{NoFold: !fold})
		allocs := testing.AllocsPerRun(200, func() {
			enter.Time += time.Millisecond
			exit.Time = enter.Time
			r.Event(enter)
			r.Event(exit)
			if buf.Len() > 1<<20 {
				buf.Reset()
			}
		})
		if allocs != 0 {
			t.Errorf("fold %v: %.1f allocations a call", fold, allocs)
		}
	}
}
