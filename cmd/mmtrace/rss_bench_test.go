package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"testing"

	"github.com/mmtrace/mmtrace/internal/testutil"
)

// BenchmarkPeakRSS reports mmtrace's own peak resident set (VmHWM, its
// children not counted) tracing a program that forks 1,000 children, as
// bench/run.sh --only rss measures it: mmtrace built as the README installs
// it (CGO_ENABLED=0), run -a -q (issue 15 item 6: target 10 MB). It
// reports the median and the largest of b.N runs, in kB; the time per op
// is the whole trace's.
//
//	go test -run '^$' -bench PeakRSS -benchtime 7x ./cmd/mmtrace
func BenchmarkPeakRSS(b *testing.B) {
	if _, err := exec.LookPath("go"); err != nil {
		b.Skip("no go tool to build mmtrace as installed")
	}
	bin := filepath.Join(b.TempDir(), "mmtrace")
	build := exec.Command("go", "build", "-o", bin, ".")
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		b.Fatalf("go build: %v\n%s", err, out)
	}
	forks := testutil.BuildC(b, filepath.Join("..", "..", "bench", "forks.c"))
	hwm := regexp.MustCompile(`(?m)^mmtrace: VmHWM: (\d+) kB$`)
	var kB []float64
	b.ResetTimer()
	for range b.N {
		cmd := exec.Command(bin, "run", "-a", "-q", "-o", os.DevNull, "--", forks, "1000")
		cmd.Env = append(os.Environ(), "MMTRACE_REPORT_HWM=1")
		out, err := cmd.CombinedOutput()
		if err != nil {
			b.Fatalf("mmtrace: %v\n%s", err, out)
		}
		m := hwm.FindSubmatch(out)
		if m == nil {
			b.Fatalf("no VmHWM in %q", out)
		}
		v, _ := strconv.ParseFloat(string(m[1]), 64)
		kB = append(kB, v)
	}
	b.StopTimer()
	slices.Sort(kB)
	b.ReportMetric(kB[len(kB)/2], "peak-kB-median")
	b.ReportMetric(kB[len(kB)-1], "peak-kB-max")
}
