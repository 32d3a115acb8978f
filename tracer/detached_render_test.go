package tracer_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/mmtrace/mmtrace/internal/rawchild"
	"github.com/mmtrace/mmtrace/tracer"
	"github.com/mmtrace/mmtrace/tracer/html"
	"github.com/mmtrace/mmtrace/tracer/jsonl"
	"github.com/mmtrace/mmtrace/tracer/model"
	"github.com/mmtrace/mmtrace/tracer/perfetto"
	"github.com/mmtrace/mmtrace/tracer/svg"
)

// modelSink applies its own model and remembers, at each Detached
// event, whether the model still held the process afterwards.
type modelSink struct {
	m        *model.Model
	detached int
	kept     bool
}

func (s *modelSink) Event(e *tracer.Event) {
	s.m.Apply(e)
	if e.Kind == tracer.Detached {
		s.detached = e.Pid
		s.kept = s.m.Process(e.Pid) != nil
	}
}
func (s *modelSink) Flush() error { return nil }
func (s *modelSink) Close() error { return nil }

// TestDetachedInEveryRenderer traces testdata/untraced.c with
// DetachOnExec (strace -b execve): its child execs and is let go. Each
// renderer must show that the child was let go, not that it exited or
// runs on in the trace: the model forgets it; the picture ends its lane
// with a detached mark and says so; the Perfetto trace ends its execve
// slice as detached and marks the track; --json has its detached line;
// the page ends its column with "detached" and shows the execve
// "<detached ...>".
func TestDetachedInEveryRenderer(t *testing.T) {
	bin := buildC(t, "untraced.c")
	spec := &rawchild.Spec{}
	if err := spec.SetExec(bin, []string{bin}, os.Environ()); err != nil {
		t.Fatal(err)
	}
	var js, pic, pf, page bytes.Buffer
	ms := &modelSink{m: model.New()}
	jw := jsonl.New(&js, jsonl.Options{})
	vw := svg.New(&pic, svg.Options{Title: "detached"})
	pw := perfetto.New(&pf, perfetto.Options{})
	hw := html.New(html.Options{Title: "detached"})
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	res, err := tracer.New(tracer.Config{DetachOnExec: true}, ms, jw, vw, pw, hw).Run(ctx, spec)
	skipIfNoPtrace(t, err)
	if err != nil {
		t.Fatal(err)
	}
	if res.Status() != 0 {
		t.Fatalf("exit status %d: the child was traced after its exec", res.Status())
	}
	for _, c := range []interface{ Close() error }{jw, vw, pw, hw} {
		if err := c.Close(); err != nil {
			t.Fatal(err)
		}
	}
	child := ms.detached
	if child == 0 || child == res.Pid {
		t.Fatalf("detached %d, want the child of %d", child, res.Pid)
	}

	if ms.kept {
		t.Errorf("model: still holds process %d after it was let go", child)
	}

	s := pic.String()
	if !strings.Contains(s, `<g class="detached">`) || strings.Count(s, `<g class="exit">`) != 1 {
		t.Errorf("svg: want one exit mark (the parent's) and a detached one:\n%s", s)
	}
	if !strings.Contains(s, "detached: runs on untraced") || !strings.Contains(s, "&lt;detached ...&gt;") {
		t.Errorf("svg: the lane does not say detached, or the execve does not end <detached ...>")
	}

	var trace struct {
		TraceEvents []struct {
			Name string         `json:"name"`
			Ph   string         `json:"ph"`
			Pid  int            `json:"pid"`
			Args map[string]any `json:"args"`
		} `json:"traceEvents"`
	}
	if err := json.Unmarshal(pf.Bytes(), &trace); err != nil {
		t.Fatal(err)
	}
	mark, slice := false, false
	for _, e := range trace.TraceEvents {
		if e.Pid != child {
			continue
		}
		switch {
		case e.Ph == "i" && e.Name == "detached":
			mark = true
		case e.Ph == "X" && e.Name == "execve":
			call, _ := e.Args["call"].(string)
			slice = e.Args["detached"] == true && strings.HasSuffix(call, " <detached ...>")
		}
	}
	if !mark || !slice {
		t.Errorf("perfetto: detached mark %v, execve slice ended detached %v", mark, slice)
	}

	found := false
	sc := bufio.NewScanner(&js)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var l struct {
			Type string `json:"type"`
			Pid  int    `json:"pid"`
		}
		if json.Unmarshal(sc.Bytes(), &l) == nil && l.Type == "detached" && l.Pid == child {
			found = true
		}
	}
	if !found {
		t.Errorf("--json: no detached line for %d:\n%s", child, js.String())
	}

	if err := hw.WritePage(&page); err != nil {
		t.Fatal(err)
	}
	p := page.String()
	for _, want := range []string{`"+++ detached +++"`, `"detached"`, `detached ...`} {
		if !strings.Contains(p, want) {
			t.Errorf("page: no %s in its strings", want)
		}
	}
}
