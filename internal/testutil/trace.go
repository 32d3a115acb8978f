package testutil

// Real traces for the renderers' tests: a scenario, the copy, and the C
// lesson program, run under the tracer with the sinks under test.

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/spf13/pflag"

	"github.com/mmtrace/mmtrace/internal/rawchild"
	"github.com/mmtrace/mmtrace/scenarios"
	"github.com/mmtrace/mmtrace/tracer"
	"github.com/mmtrace/mmtrace/tracer/filter"
	"github.com/mmtrace/mmtrace/tracer/sys"
)

// TraceSpec runs spec under the tracer, delivering to sinks, with the
// lesson's calls and extra ones traced.
func TraceSpec(t testing.TB, spec *rawchild.Spec, extra []string, sinks ...tracer.Sink) tracer.Result {
	t.Helper()
	calls := filter.Default()
	for _, name := range extra {
		calls.Add(name)
	}
	ctx, cancel := context.WithTimeout(context.Background(), Patience(2*time.Minute))
	defer cancel()
	// Strings long enough for the copy children's whole line.
	cfg := tracer.Config{Filter: calls, Decode: sys.Options{StringLimit: 128}}
	res, err := tracer.New(cfg, sinks...).Run(ctx, spec)
	if errors.Is(err, tracer.ErrNotPermitted) {
		t.Skipf("ptrace not permitted: %v", err)
	}
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// PlanScenario parses args (flags included) as the command line does and
// plans scenario name in a fresh directory; it returns the plan and what
// the plan will report. Any mistake fails the test.
func PlanScenario(t testing.TB, name string, args ...string) (*scenarios.Plan, *bytes.Buffer) {
	t.Helper()
	sc, ok := scenarios.Lookup(name)
	if !ok {
		t.Fatalf("no scenario %q", name)
	}
	fs := pflag.NewFlagSet(name, pflag.ContinueOnError)
	sc.Flags(fs)
	if err := fs.Parse(args); err != nil {
		t.Fatal(err)
	}
	out := &bytes.Buffer{}
	plan, err := sc.Plan(&scenarios.Env{Dir: t.TempDir(), Out: out}, fs.Args())
	if err != nil {
		t.Fatalf("plan %s: %v", name, err)
	}
	return plan, out
}

// TraceScenario plans scenario name with args and traces it; it fails the
// test if the scenario's own check fails.
func TraceScenario(t testing.TB, extra []string, name string, args []string, sinks ...tracer.Sink) tracer.Result {
	t.Helper()
	plan, out := PlanScenario(t, name, args...)
	res := TraceSpec(t, plan.Spec(), append(plan.Trace, extra...), sinks...)
	if plan.After != nil {
		if err := plan.After(res.Status()); err != nil {
			t.Fatalf("%s: %v\n%s", name, err, out.String())
		}
	}
	return res
}

// TraceCopy traces `mmtrace copy SRC DST -n procs` on a small generated
// file, with write traced so each child's line says which part it copies.
func TraceCopy(t testing.TB, procs string, sinks ...tracer.Sink) tracer.Result {
	t.Helper()
	dir := t.TempDir()
	src := filepath.Join(dir, "src.bin")
	b := make([]byte, 1<<20)
	for i := range b {
		b[i] = byte(i * 7)
	}
	if err := os.WriteFile(src, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return TraceScenario(t, []string{"write"}, "copy", []string{src, filepath.Join(dir, "dst.bin"), "-n", procs}, sinks...)
}

// TraceLesson builds tracer/testdata/lesson.c and traces it; it exits 3.
func TraceLesson(t testing.TB, sinks ...tracer.Sink) tracer.Result {
	t.Helper()
	prog := BuildC(t, Fixture("lesson.c"))
	argv := []string{prog, filepath.Join(t.TempDir(), "dd.txt")}
	spec := &rawchild.Spec{}
	if err := spec.SetExec(prog, argv, os.Environ()); err != nil {
		t.Fatal(err)
	}
	res := TraceSpec(t, spec, nil, sinks...)
	if res.Status() != 3 {
		t.Fatalf("lesson exited with status %d, want 3", res.Status())
	}
	return res
}
