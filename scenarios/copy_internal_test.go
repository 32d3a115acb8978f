package scenarios

import (
	"slices"
	"strings"
	"testing"
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
