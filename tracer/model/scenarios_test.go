package model

import (
	"bytes"
	"context"
	"errors"
	"testing"
	"time"

	"github.com/spf13/pflag"

	"github.com/mmtrace/mmtrace/scenarios"
	"github.com/mmtrace/mmtrace/tracer"
	"github.com/mmtrace/mmtrace/tracer/filter"
)

// TestModelMatchesProcMapsScenarios checks the model against the kernel
// in the scenarios' own processes, after every call that changes their
// address space: file and anonymous, shared and private mappings, forks,
// unmaps of part of a mapping, a child killed by SIGBUS.
func TestModelMatchesProcMapsScenarios(t *testing.T) {
	for _, sc := range [][]string{
		{"write"}, {"fork-shared"}, {"fork-private"}, {"anon"}, {"devzero"},
		{"pitfalls"}, {"copy", "-n", "3"},
	} {
		t.Run(sc[0], func(t *testing.T) {
			s, ok := scenarios.Lookup(sc[0])
			if !ok {
				t.Fatalf("no scenario %s", sc[0])
			}
			fs := pflag.NewFlagSet(sc[0], pflag.ContinueOnError)
			s.Flags(fs)
			if err := fs.Parse(sc[1:]); err != nil {
				t.Fatal(err)
			}
			plan, err := s.Plan(&scenarios.Env{Dir: t.TempDir(), Out: &bytes.Buffer{}}, fs.Args())
			if err != nil {
				t.Fatal(err)
			}
			cc := &crossCheck{t: t, m: New()}
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			res, err := tracer.New(tracer.Config{Filter: filter.All()}, cc).Run(ctx, plan.Spec())
			if errors.Is(err, tracer.ErrNotPermitted) {
				t.Skip(err)
			}
			if err != nil {
				t.Fatal(err)
			}
			if plan.After != nil {
				if err := plan.After(res.Status()); err != nil {
					t.Fatal(err)
				}
			}
			if cc.checked < 2 {
				t.Fatalf("only %d points checked", cc.checked)
			}
		})
	}
}
