package model

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/mmtrace/mmtrace/internal/testutil"
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
			plan, _ := testutil.PlanScenario(t, sc[0], sc[1:]...)
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
