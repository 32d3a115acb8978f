package tracer_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"runtime"
	"strconv"
	"testing"
	"time"

	"github.com/mmtrace/mmtrace/internal/rawchild"
	"github.com/mmtrace/mmtrace/internal/testutil"
	"github.com/mmtrace/mmtrace/tracer"
	"github.com/mmtrace/mmtrace/tracer/sys"
	"github.com/mmtrace/mmtrace/tracer/text"
)

// snapshot is what a call record said at its entry.
type snapshot struct {
	tid  int
	name string
	args [6]uint64
	text string
}

func snap(tid int, c *sys.Call) snapshot {
	return snapshot{tid: tid, name: c.Name, args: c.Args, text: c.EnteredText()}
}

// callChecker is a sink that checks the tracer's reuse of call records: no
// record in flight (between its CallEnter and the end of its CallExit) is
// changed, or handed out for another call. Every record it sees in flight
// is compared with what it said at its entry at every event. keep makes
// it keep every call, and its text at its end, as a sink that does not
// implement KeepsNoCalls may.
type callChecker struct {
	inFlight map[*sys.Call]snapshot
	distinct map[*sys.Call]bool
	calls    int
	kept     map[*sys.Call]string
	wrong    []string
}

func newCallChecker(keep bool) *callChecker {
	c := &callChecker{inFlight: map[*sys.Call]snapshot{}, distinct: map[*sys.Call]bool{}}
	if keep {
		c.kept = map[*sys.Call]string{}
	}
	return c
}

func (k *callChecker) fail(format string, args ...any) {
	if len(k.wrong) < 10 {
		k.wrong = append(k.wrong, fmt.Sprintf(format, args...))
	}
}

func (k *callChecker) Event(e *tracer.Event) {
	for c, s := range k.inFlight {
		if now := snap(s.tid, c); now != s {
			k.fail("the call of %d entered as %q changed to %q before its exit", s.tid, s.text, now.text)
		}
	}
	switch e.Kind {
	case tracer.CallEnter:
		k.calls++
		k.distinct[e.Call] = true
		if s, ok := k.inFlight[e.Call]; ok && s.tid != e.Tid {
			k.fail("the record of %d's call %q in flight was given to %d's %s", s.tid, s.text, e.Tid, e.Call.Name)
		}
		for c, s := range k.inFlight {
			if s.tid == e.Tid {
				delete(k.inFlight, c) // its exit was lost
			}
		}
		k.inFlight[e.Call] = snap(e.Tid, e.Call)
	case tracer.CallExit:
		if s, ok := k.inFlight[e.Call]; !ok || s.tid != e.Tid {
			k.fail("%d's %s exited in a record not entered by it", e.Tid, e.Call.Name)
		}
		delete(k.inFlight, e.Call)
		if k.kept != nil {
			k.kept[e.Call] = e.Call.String()
		}
	case tracer.Exit, tracer.Detached:
		for c, s := range k.inFlight {
			if s.tid == e.Tid {
				delete(k.inFlight, c)
			}
		}
	}
}

func (k *callChecker) Flush() error { return nil }

// releasing is a callChecker that keeps no call past its end.
type releasing struct{ *callChecker }

func (releasing) KeepsNoCalls() {}

// TestCallReuse: with sinks that keep no call past its end, the tracer
// reuses call records, and never one in flight, while processes make calls
// at once; the timeline is the same as without reuse. A sink that may keep
// calls gets a new record for every call, which stays as it was.
func TestCallReuse(t *testing.T) {
	sh, err := exec.LookPath("sh")
	if err != nil {
		t.Skip(err)
	}
	// Three processes opening and closing at once, and their shell.
	parallel := `for i in 1 2 3; do ( for j in 1 2 3 4 5 6 7 8; do : >/dev/null; done ) & done; wait`
	// One process, its layout the same every run: the same timeline.
	sequential := `for j in 1 2 3 4 5 6 7 8; do : >/dev/null; done`
	run := func(keep bool, script string) (*callChecker, string) {
		spec := &rawchild.Spec{NoASLR: true}
		if err := spec.SetExec(sh, []string{"sh", "-c", script}, os.Environ()); err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		tl := text.New(&buf)
		k := newCallChecker(keep)
		var sink tracer.Sink = releasing{k}
		if keep {
			sink = k
		}
		ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
		defer cancel()
		res, err := tracer.New(tracer.Config{}, tl, sink).Run(ctx, spec)
		skipIfNoPtrace(t, err)
		if err != nil || res.Status() != 0 {
			t.Fatalf("trace: %v, status %d", err, res.Status())
		}
		tl.Flush()
		for _, w := range k.wrong {
			t.Error(w)
		}
		return k, buf.String()
	}

	k, _ := run(false, parallel)
	t.Logf("reuse: %d calls in %d records", k.calls, len(k.distinct))
	if k.calls < 48 {
		t.Fatalf("%d calls, want at least 48 (3 × 8 opens and closes)", k.calls)
	}
	if len(k.distinct) > k.calls/4 {
		t.Errorf("%d calls in %d records: the records were not reused", k.calls, len(k.distinct))
	}

	k, _ = run(true, parallel)
	t.Logf("no reuse: %d calls in %d records", k.calls, len(k.distinct))
	if len(k.distinct) != k.calls {
		t.Errorf("a sink that keeps calls: %d calls in %d records, want one each", k.calls, len(k.distinct))
	}
	for c, s := range k.kept {
		if c.String() != s {
			t.Errorf("a kept call changed from %q to %q", s, c.String())
		}
	}
	_, reused := run(false, sequential)
	_, kept := run(true, sequential)
	if a, b := callLines(reused), callLines(kept); a != b || a == "" {
		t.Errorf("the timeline with reuse differs from the one without:\n%s\n---\n%s", a, b)
	}
}

// envp is execve's environment pointer: the address of mmtrace's own
// copy, which changes from run to run.
var envp = regexp.MustCompile(`0x[0-9a-f]+ /\*`)

// callLines returns a timeline without its pids, times and envp.
func callLines(tl string) string {
	tl = envp.ReplaceAllString(tl, "ENVP /*")
	var b bytes.Buffer
	for _, line := range bytes.Split([]byte(tl), []byte("\n")) {
		f := bytes.Fields(line)
		if len(f) < 3 {
			continue
		}
		i := bytes.Index(line, f[2])
		b.Write(line[i:])
		b.WriteByte('\n')
	}
	return b.String()
}

// TestShownCallAllocates: a shown call that formats nothing new (close(-1),
// EBADF) allocates nothing in the tracer and the text renderer once its
// record is reused; it allocated the record, about 380 bytes, each time.
func TestShownCallAllocates(t *testing.T) {
	bin := testutil.BuildC(t, "testdata/calls.c")
	const calls = 5000
	spec := &rawchild.Spec{}
	if err := spec.SetExec(bin, []string{bin, "0", strconv.Itoa(calls)}, os.Environ()); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	tl := text.New(&buf)
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	res, err := tracer.New(tracer.Config{}, tl).Run(context.Background(), spec)
	runtime.ReadMemStats(&after)
	skipIfNoPtrace(t, err)
	if err != nil || res.Status() != 0 {
		t.Fatalf("trace: %v, status %d", err, res.Status())
	}
	per := float64(after.Mallocs-before.Mallocs) / calls
	t.Logf("%.3f allocations, %.0f bytes per call", per, float64(after.TotalAlloc-before.TotalAlloc)/calls)
	if per > 0.2 {
		t.Errorf("%.3f allocations per shown call, want about none", per)
	}
}
