package scenarios_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/mmtrace/mmtrace/internal/testutil"
	"github.com/mmtrace/mmtrace/tracer"
	"github.com/mmtrace/mmtrace/tracer/filter"
	"github.com/mmtrace/mmtrace/tracer/text"
)

// record is a sink that keeps a copy of every event.
type record struct{ events []tracer.Event }

func (r *record) Event(e *tracer.Event) { r.events = append(r.events, *e) }
func (r *record) Flush() error          { return nil }

// calls returns "name(args) = result" of every completed call.
func (r *record) calls() []string {
	var out []string
	for _, e := range r.events {
		if e.Kind == tracer.CallExit {
			out = append(out, e.Call.Name+"("+strings.Join(e.Call.ArgsText(), ", ")+") = "+e.Call.ResultText())
		}
	}
	return out
}

// outcome is what a scenario run produced.
type outcome struct {
	rec      *record
	timeline string // the text timeline
	out      string // what the plan reported after the run
	status   int
	after    error
}

// run plans and traces scenario name with args (flags included) in a
// fresh directory, as the command line does.
func run(t *testing.T, name string, args ...string) outcome {
	t.Helper()
	plan, out := testutil.PlanScenario(t, name, args...)
	rec := &record{}
	var tl bytes.Buffer
	tx := text.New(&tl)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	var cfg tracer.Config
	if len(plan.Trace) > 0 {
		// As the command line does: the default calls and the plan's.
		cfg.Filter = filter.Default()
		for _, name := range plan.Trace {
			cfg.Filter.Add(name)
		}
	}
	res, err := tracer.New(cfg, rec, tx).Run(ctx, plan.Spec())
	if errors.Is(err, tracer.ErrNotPermitted) {
		t.Skipf("ptrace not permitted: %v", err)
	}
	if err != nil {
		t.Fatal(err)
	}
	tx.Flush()
	o := outcome{rec: rec, timeline: tl.String(), status: res.Status()}
	if plan.After != nil {
		o.after = plan.After(res.Status())
	}
	o.out = out.String()
	return o
}

// wantCalls checks that the calls appear in this order (not necessarily
// next to each other); each entry is a prefix of the call's text.
func wantCalls(t *testing.T, o outcome, want ...string) {
	t.Helper()
	calls := o.rec.calls()
	i := 0
	for _, c := range calls {
		if i < len(want) && strings.HasPrefix(c, want[i]) {
			i++
		}
	}
	if i < len(want) {
		t.Errorf("timeline lacks %q (in order)\n%s", want[i], o.timeline)
	}
}

func TestWrite(t *testing.T) {
	o := run(t, "write")
	if o.status != 0 || o.after != nil {
		t.Fatalf("status %d, after: %v\n%s", o.status, o.after, o.timeline)
	}
	wantCalls(t, o,
		`openat(AT_FDCWD, "`,
		`ftruncate(3, 4) = 0`,
		`mmap(NULL, 4, PROT_READ|PROT_WRITE, MAP_SHARED, 3, 0) = 0x`,
		`munmap(0x`,
		`close(3) = 0`,
	)
	if !strings.Contains(o.out, `"abc\x00"`) {
		t.Errorf("the plan did not report the file's bytes: %q", o.out)
	}
}

func TestWriteNamedFile(t *testing.T) {
	path := t.TempDir() + "/mine.txt"
	o := run(t, "write", path)
	if o.after != nil {
		t.Fatal(o.after)
	}
	b, err := os.ReadFile(path)
	if err != nil || string(b) != "abc\x00" {
		t.Fatalf("%s holds %q, %v", path, b, err)
	}
}
