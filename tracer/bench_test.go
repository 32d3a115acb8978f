package tracer_test

import (
	"context"
	"io"
	"os"
	"runtime"
	"strconv"
	"testing"

	"github.com/mmtrace/mmtrace/internal/rawchild"
	"github.com/mmtrace/mmtrace/internal/testutil"
	"github.com/mmtrace/mmtrace/tracer"
	"github.com/mmtrace/mmtrace/tracer/text"
)

// BenchmarkStops measures the tracer's cost per call, and its allocations,
// on a program making calls not shown (getppid) or shown (close). Plain
// mode stops twice at every call; seccomp mode only at the shown ones. The
// metrics are per call the program makes; a hidden call in plain mode must
// not allocate.
func BenchmarkStops(b *testing.B) {
	bin := testutil.BuildC(b, "testdata/calls.c")
	const calls = 20000
	for _, mode := range []struct {
		name  string
		cfg   tracer.Config
		shown bool
	}{
		{"plain/hidden", tracer.Config{NoSeccomp: true}, false},
		{"plain/shown", tracer.Config{NoSeccomp: true}, true},
		{"seccomp/hidden", tracer.Config{}, false},
		{"seccomp/shown", tracer.Config{}, true},
	} {
		b.Run(mode.name, func(b *testing.B) {
			args := []string{bin, strconv.Itoa(calls), "0"}
			if mode.shown {
				args = []string{bin, "0", strconv.Itoa(calls)}
			}
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			for i := 0; i < b.N; i++ {
				spec := &rawchild.Spec{}
				if err := spec.SetExec(bin, args, os.Environ()); err != nil {
					b.Fatal(err)
				}
				tx := text.New(io.Discard)
				if _, err := tracer.New(mode.cfg, tx).Run(context.Background(), spec); err != nil {
					b.Fatal(err)
				}
			}
			runtime.ReadMemStats(&after)
			n := float64(b.N) * calls
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/n, "ns/call")
			b.ReportMetric(float64(after.Mallocs-before.Mallocs)/n, "allocs/call")
		})
	}
}
