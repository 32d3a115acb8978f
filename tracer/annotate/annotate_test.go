package annotate_test

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/spf13/pflag"

	"github.com/mmtrace/mmtrace/scenarios"
	"github.com/mmtrace/mmtrace/tracer"
	"github.com/mmtrace/mmtrace/tracer/annotate"
	"github.com/mmtrace/mmtrace/tracer/explain"
	"github.com/mmtrace/mmtrace/tracer/text"
)

// timeline runs scenario name with the annotator and returns the text.
func timeline(t *testing.T, opt annotate.Options, name string, args ...string) string {
	t.Helper()
	sc, _ := scenarios.Lookup(name)
	fs := pflag.NewFlagSet(name, pflag.ContinueOnError)
	sc.Flags(fs)
	if err := fs.Parse(args); err != nil {
		t.Fatal(err)
	}
	plan, err := sc.Plan(&scenarios.Env{Dir: t.TempDir(), Out: &bytes.Buffer{}}, fs.Args())
	if err != nil {
		t.Fatal(err)
	}
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
			want:     []string{"minor page fault"},
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
