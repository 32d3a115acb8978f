package summary_test

import (
	"bytes"
	"slices"
	"syscall"
	"testing"
	"time"

	"github.com/mmtrace/mmtrace/tracer"
	"github.com/mmtrace/mmtrace/tracer/summary"
	"github.com/mmtrace/mmtrace/tracer/sys"
)

// TestSortBy feeds made-up calls, each with a known duration and
// result, and checks the order of the rows for each of strace's -S keys.
func TestSortBy(t *testing.T) {
	type call struct {
		nr   int
		took time.Duration
		ret  int64
	}
	// read: 3 calls, 1 error, 30 ms in all, the longest call (20 ms).
	// openat: 2 calls, 2 errors, 12 ms, the highest average.
	// close: 4 calls, 4 ms, the shortest call (0.5 ms).
	calls := []call{
		{0, 20 * time.Millisecond, 5}, {0, 5 * time.Millisecond, 5}, {0, 5 * time.Millisecond, -int64(syscall.EINTR)},
		{257, 6 * time.Millisecond, -int64(syscall.ENOENT)}, {257, 6 * time.Millisecond, -int64(syscall.ENOENT)},
		{3, 500 * time.Microsecond, 0}, {3, 1500 * time.Microsecond, 0}, {3, time.Millisecond, 0}, {3, time.Millisecond, 0},
	}
	for _, c := range []struct {
		key  string
		want []string
	}{
		{"", []string{"read", "openat", "close"}},
		{"time", []string{"read", "openat", "close"}},
		{"calls", []string{"close", "read", "openat"}},
		{"errors", []string{"openat", "read", "close"}},
		{"name", []string{"close", "openat", "read"}},
		{"nothing", []string{"read", "close", "openat"}},  // by number: 0, 3, 257
		{"avg-time", []string{"read", "openat", "close"}}, // 10 ms, 6 ms, 1 ms
		{"max-time", []string{"read", "openat", "close"}},
		{"min-time", []string{"openat", "read", "close"}}, // 6, 5, 0.5 ms
	} {
		s := summary.New(nil, summary.Options{SortBy: c.key})
		at := time.Duration(0)
		for _, k := range calls {
			call := sys.NewCall(sys.AMD64, k.nr, [6]uint64{})
			s.Event(&tracer.Event{Kind: tracer.CallEnter, Pid: 10, Tid: 10, Time: at, Call: call})
			at += k.took
			call.Exit(nil, k.ret, &sys.Options{})
			s.Event(&tracer.Event{Kind: tracer.CallExit, Pid: 10, Tid: 10, Time: at, Call: call})
		}
		var out bytes.Buffer
		if err := s.Write(&out); err != nil {
			t.Fatal(err)
		}
		if got := parseTable(t, out.String()).order; !slices.Equal(got, c.want) {
			t.Errorf("-S %q: %v, want %v\n%s", c.key, got, c.want, out.String())
		}
	}
}
