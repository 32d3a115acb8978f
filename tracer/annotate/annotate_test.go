package annotate_test

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/mmtrace/mmtrace/internal/testutil"
	"github.com/mmtrace/mmtrace/tracer"
	"github.com/mmtrace/mmtrace/tracer/annotate"
	"github.com/mmtrace/mmtrace/tracer/explain"
	"github.com/mmtrace/mmtrace/tracer/text"
)

// timeline runs scenario name with the annotator and returns the text.
func timeline(t *testing.T, opt annotate.Options, name string, args ...string) string {
	t.Helper()
	plan, _ := testutil.PlanScenario(t, name, args...)
	var out bytes.Buffer
	tx := text.New(&out)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	res, err := tracer.New(tracer.Config{}, annotate.New(opt), tx).Run(ctx, plan.Spec())
	if errors.Is(err, tracer.ErrNotPermitted) {
		t.Skip(err)
	}
	if err != nil {
		t.Fatal(err)
	}
	if plan.After != nil {
		plan.After(res.Status())
	}
	tx.Close()
	return out.String()
}

func TestNotesUnderCalls(t *testing.T) {
	tests := []struct {
		name     string
		opt      annotate.Options
		scenario []string
		want     []string
		not      []string
	}{
		{
			name:     "explanations",
			opt:      annotate.Options{Explain: true},
			scenario: []string{"write"},
			want:     []string{"> 1 page of dd.txt", "> MAP_SHARED: stores reach dd.txt"},
			not:      []string{"page fault", "mappings of"},
		},
		{
			name:     "faults alone",
			opt:      annotate.Options{Faults: true},
			scenario: []string{"write"},
			want:     []string{"page fault"},
			not:      []string{"MAP_SHARED: stores"},
		},
		{
			name:     "maps table",
			opt:      annotate.Options{Maps: true},
			scenario: []string{"write"},
			want:     []string{"> mappings of ", "rw-s 00000000 file shared", "/dd.txt", "mappings it had before"},
		},
		{
			name:     "chinese",
			opt:      annotate.Options{Explain: true, Maps: true, Lang: explain.ZH},
			scenario: []string{"fork-private"},
			want:     []string{"写时复制", "的映射："},
		},
		{
			name:     "the fork note names the child's inheritance",
			opt:      annotate.Options{Explain: true},
			scenario: []string{"fork-shared"},
			want:     []string{"inherits fds 3"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := timeline(t, tc.opt, tc.scenario[0], tc.scenario[1:]...)
			for _, w := range tc.want {
				if !strings.Contains(got, w) {
					t.Errorf("timeline lacks %q:\n%s", w, got)
				}
			}
			for _, w := range tc.not {
				if strings.Contains(got, w) {
					t.Errorf("timeline has %q:\n%s", w, got)
				}
			}
		})
	}
}

// TestMyths runs, for each myth of the course notes, the pitfall that
// shows it, and checks both what the kernel answered and what the
// explanation claims about it.
func TestMyths(t *testing.T) {
	tests := []struct {
		myth     string
		scenario []string
		kernel   string // the call and its result
		claim    string // the explanation
	}{
		{"MAP_PRIVATE with PROT_WRITE on a read-only fd works, no bus error",
			[]string{"pitfalls", "private-readonly"},
			"PROT_READ|PROT_WRITE, MAP_PRIVATE, 3, 0) = 0x",
			"works although fd 3 is read-only: stores go to private copies"},
		{"the bus error comes from a store past the end of the file",
			[]string{"pitfalls", "past-eof"},
			"+++ killed by SIGBUS +++",
			"no page of the file backs it: O_TRUNC emptied the file"},
		{"ftruncate on /dev/zero fails with EINVAL",
			[]string{"devzero"},
			"ftruncate(3, 4) = -1 EINVAL (Invalid argument)",
			"/dev/zero is a character device, not a regular file: it has no size to set"},
		{"PROT_WRITE alone still lets reads through",
			[]string{"pitfalls", "write-only"},
			"mmap(NULL, 4, PROT_WRITE, MAP_SHARED, 3, 0) = 0x",
			"PROT_WRITE without PROT_READ: reads work all the same"},
		{"the length need not be a page multiple",
			[]string{"write"},
			"mmap(NULL, 4, PROT_READ|PROT_WRITE, MAP_SHARED, 3, 0) = 0x",
			"(4 bytes rounded up to pages)"},
		{"the offset must be a page multiple",
			[]string{"pitfalls", "offset"},
			"= -1 EINVAL (Invalid argument)",
			"offset 1000 is not a multiple of the page size"},
		{"closing the fd leaves the mapping usable",
			[]string{"pitfalls", "after-close"},
			"close(3) = 0",
			"still works: it holds its own"},
	}
	for _, tc := range tests {
		t.Run(tc.myth, func(t *testing.T) {
			got := timeline(t, annotate.Options{Explain: true}, tc.scenario[0], tc.scenario[1:]...)
			if !strings.Contains(got, tc.kernel) {
				t.Errorf("the kernel's answer %q is not in the timeline:\n%s", tc.kernel, got)
			}
			if !strings.Contains(got, tc.claim) {
				t.Errorf("the explanation %q is not in the timeline:\n%s", tc.claim, got)
			}
		})
	}
}
