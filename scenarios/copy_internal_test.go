package scenarios

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/spf13/pflag"
	"golang.org/x/sys/unix"
)

func TestQuantity(t *testing.T) {
	for _, tc := range []struct {
		n    int
		want string
	}{{0, "0 pages"}, {1, "1 page"}, {2, "2 pages"}, {1024, "1024 pages"}} {
		if got := quantity(tc.n, "page", "pages"); got != tc.want {
			t.Errorf("quantity(%d) = %q, want %q", tc.n, got, tc.want)
		}
	}
	if got := quantity(uint64(1), "process", "processes"); got != "1 process" {
		t.Errorf("quantity(uint64 1) = %q", got)
	}
}

// TestCapProcs: the children allowed under RLIMIT_NPROC, keeping
// procReserve for the copy's own process and mmtrace's threads.
func TestCapProcs(t *testing.T) {
	for _, tc := range []struct {
		limit uint64
		used  int
		want  int
		why   string // in the reason; "" for none
	}{
		{limit: 100000, used: 50, want: maxProcs},
		{limit: maxProcs + procReserve + 7, used: 7, want: maxProcs},
		{limit: maxProcs + procReserve + 7, used: 8, want: maxProcs - 1, why: "allows 1041 processes for your user, which has 8 tasks already"},
		{limit: 64, used: 12, want: 42, why: "RLIMIT_NPROC (ulimit -u) allows 64 processes for your user, which has 12 tasks already"},
		{limit: 1, used: 1, want: 1, why: "allows 1 process for your user, which has 1 task already"},
		{limit: 20, used: 500, want: 1, why: "has 500 tasks"},
	} {
		got, why := capProcs(tc.limit, tc.used)
		if got != tc.want || (tc.why == "") != (why == "") || !strings.Contains(why, tc.why) {
			t.Errorf("capProcs(%d, %d) = %d, %q; want %d, %q", tc.limit, tc.used, got, why, tc.want, tc.why)
		}
	}
}

func TestSamplePages(t *testing.T) {
	const page = 4096
	parts := splitParts(10*page+1, page, 3)
	got := samplePages(parts, 10*page+1, page)
	// Every page of an 11-page file: 64 spread offsets cover them all.
	want := []int64{0, 1 * page, 2 * page, 3 * page, 4 * page, 5 * page, 6 * page, 7 * page, 8 * page, 9 * page, 10 * page}
	if !slices.Equal(got, want) {
		t.Errorf("samplePages = %v, want %v", got, want)
	}
	big := int64(1 << 30)
	parts = splitParts(big, page, 5)
	got = samplePages(parts, big, page)
	if len(got) > 64+2*5+1 || len(got) < 64 {
		t.Errorf("%d pages sampled of 1 GiB in 5 parts", len(got))
	}
	for _, p := range parts {
		if !slices.Contains(got, p.start) || !slices.Contains(got, (p.end-1)/page*page) {
			t.Errorf("part [%d, %d): its first or last page not sampled", p.start, p.end)
		}
	}
	if samplePages(nil, 0, page) != nil {
		t.Error("pages sampled of an empty file")
	}
}

// TestCopyProcessCap: -n 1000000 on 1100 pages plans 1024 children, not
// 1100, and After says why first. (Tracing 1024 forks takes minutes on a
// loaded machine; the plan is what decides, and After's note is checked
// on a run that then fails.)
func TestCopyProcessCap(t *testing.T) {
	if os.Getuid() != 0 {
		var rl unix.Rlimit
		if unix.Getrlimit(unix.RLIMIT_NPROC, &rl) == nil && rl.Cur != unix.RLIM_INFINITY && rl.Cur < 2*maxProcs {
			t.Skip("RLIMIT_NPROC would cut -n below 1024 here")
		}
	}
	dir := t.TempDir()
	src, dst := filepath.Join(dir, "src"), filepath.Join(dir, "dst")
	if err := os.WriteFile(src, make([]byte, 1100*4096), 0o644); err != nil {
		t.Fatal(err)
	}
	s := &copyScenario{}
	fs := pflag.NewFlagSet("copy", pflag.ContinueOnError)
	s.Flags(fs)
	if err := fs.Parse([]string{"-n", "1000000"}); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	plan, err := s.Plan(&Env{Dir: dir, Out: &out}, []string{src, dst})
	if err != nil {
		t.Fatal(err)
	}
	if n := len(plan.Body.(*copyBody).pids); n != maxProcs {
		t.Errorf("%d children planned, want %d", n, maxProcs)
	}
	err = plan.After(1) // as if the copy's process had failed: no rename
	if w := "-n 1000000: cut to 1024 processes: the most mmtrace copy forks is 1024\n"; out.String() != w {
		t.Errorf("After said %q, want %q", out.String(), w)
	}
	if err == nil || !strings.HasSuffix(err.Error(), dst+" was not created") {
		t.Errorf("After: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, ".dst.mmtrace")); !os.IsNotExist(err) {
		t.Errorf("the copy's directory is left: %v", err)
	}
}
