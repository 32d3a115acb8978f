package perfetto_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/mmtrace/mmtrace/internal/testutil"
	"github.com/mmtrace/mmtrace/tracer/perfetto"
)

// ev is one trace event as a viewer reads it.
type ev struct {
	Name string         `json:"name"`
	Cat  string         `json:"cat"`
	Ph   string         `json:"ph"`
	Ts   float64        `json:"ts"`
	Dur  *float64       `json:"dur"`
	Pid  int            `json:"pid"`
	Tid  int            `json:"tid"`
	ID   string         `json:"id"`
	BP   string         `json:"bp"`
	S    string         `json:"s"`
	Args map[string]any `json:"args"`
}

type traceFile struct {
	TraceEvents     []ev   `json:"traceEvents"`
	DisplayTimeUnit string `json:"displayTimeUnit"`
}

// load parses the file and checks what a viewer needs of every trace: the
// object format, slices that nest on each thread, flows that start and
// finish inside slices, tracks named for every process.
func load(t *testing.T, b []byte) traceFile {
	t.Helper()
	if !utf8.Valid(b) || !json.Valid(b) {
		t.Fatalf("not valid UTF-8 JSON")
	}
	var f traceFile
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		t.Fatal(err)
	}
	if f.DisplayTimeUnit != "ms" || len(f.TraceEvents) == 0 {
		t.Fatalf("displayTimeUnit %q, %d events", f.DisplayTimeUnit, len(f.TraceEvents))
	}
	checkNesting(t, f)
	checkFlows(t, f)
	named := map[int]bool{}
	for _, e := range f.TraceEvents {
		if e.Ph == "M" && e.Name == "process_name" {
			named[e.Pid] = true
		}
	}
	for _, e := range f.TraceEvents {
		if !named[e.Pid] {
			t.Errorf("process %d has no process_name", e.Pid)
			named[e.Pid] = true
		}
		switch e.Ph {
		case "X", "i", "C", "M", "s", "f":
		default:
			t.Errorf("unexpected phase %q", e.Ph)
		}
	}
	return f
}

// slices returns the complete slices by thread, sorted by start.
func slices(f traceFile) map[[2]int][]ev {
	out := map[[2]int][]ev{}
	for _, e := range f.TraceEvents {
		if e.Ph == "X" {
			k := [2]int{e.Pid, e.Tid}
			out[k] = append(out[k], e)
		}
	}
	for _, s := range out {
		sort.SliceStable(s, func(i, j int) bool { return s[i].Ts < s[j].Ts })
	}
	return out
}

// checkNesting checks that no two slices of a thread partially overlap.
func checkNesting(t *testing.T, f traceFile) {
	t.Helper()
	for k, s := range slices(f) {
		var stack []ev
		for _, e := range s {
			if e.Dur == nil || *e.Dur < 0 {
				t.Errorf("slice %s of %v: dur %v", e.Name, k, e.Dur)
				continue
			}
			for len(stack) > 0 && top(stack) <= e.Ts {
				stack = stack[:len(stack)-1]
			}
			if len(stack) > 0 && e.Ts+*e.Dur > top(stack) {
				p := stack[len(stack)-1]
				t.Errorf("thread %v: %s [%v, %v] partially overlaps %s [%v, %v]", k, e.Name, e.Ts, e.Ts+*e.Dur, p.Name, p.Ts, top(stack))
			}
			stack = append(stack, e)
		}
	}
}

func top(stack []ev) float64 {
	e := stack[len(stack)-1]
	return e.Ts + *e.Dur
}

// checkFlows checks that every flow start has one finish with the same
// id, and that both lie in a slice of their thread.
func checkFlows(t *testing.T, f traceFile) {
	t.Helper()
	sl := slices(f)
	inSlice := func(e ev) bool {
		for _, s := range sl[[2]int{e.Pid, e.Tid}] {
			if s.Ts <= e.Ts && e.Ts <= s.Ts+*s.Dur {
				return true
			}
		}
		return false
	}
	starts, finishes := map[string]ev{}, map[string]ev{}
	for _, e := range f.TraceEvents {
		switch e.Ph {
		case "s":
			if _, dup := starts[e.ID]; dup {
				t.Errorf("flow id %s starts twice", e.ID)
			}
			starts[e.ID] = e
		case "f":
			if _, dup := finishes[e.ID]; dup {
				t.Errorf("flow id %s finishes twice", e.ID)
			}
			if e.BP != "e" {
				t.Errorf("flow finish %s binds to the next slice, not the enclosing one", e.ID)
			}
			finishes[e.ID] = e
		default:
			continue
		}
		if !inSlice(e) {
			t.Errorf("flow %s %s (%s) at %v on %d/%d lies in no slice", e.Ph, e.ID, e.Name, e.Ts, e.Pid, e.Tid)
		}
	}
	for id, s := range starts {
		f, ok := finishes[id]
		switch {
		case !ok:
			t.Errorf("flow %s (%s) has no finish", id, s.Name)
		case f.Cat != s.Cat || f.Name != s.Name:
			t.Errorf("flow %s: start %s/%s, finish %s/%s", id, s.Cat, s.Name, f.Cat, f.Name)
		case f.Ts < s.Ts:
			t.Errorf("flow %s (%s) goes back in time: %v to %v", id, s.Name, s.Ts, f.Ts)
		}
	}
	for id := range finishes {
		if _, ok := starts[id]; !ok {
			t.Errorf("flow %s finishes without a start", id)
		}
	}
}

// count returns how many events match ph and name (name "" for any).
func count(f traceFile, ph, name string) int {
	n := 0
	for _, e := range f.TraceEvents {
		if e.Ph == ph && (name == "" || e.Name == name) {
			n++
		}
	}
	return n
}

func TestCopy(t *testing.T) {
	var buf bytes.Buffer
	w := perfetto.New(&buf, perfetto.Options{Faults: true, Name: "copy"})
	res := traceCopy(t, "5", w)
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	f := load(t, buf.Bytes())
	if n := count(f, "M", "process_name"); n != 6 {
		t.Errorf("%d processes named, want 6", n)
	}
	if n := count(f, "s", "fork"); n != 5 {
		t.Errorf("%d fork arrows, want 5", n)
	}
	if n := count(f, "s", "reap"); n != 5 {
		t.Errorf("%d reap arrows, want 5", n)
	}
	// A SIGCHLD may interrupt a fork, which the kernel then restarts: the
	// first attempt is a slice of its own.
	if n := count(f, "X", testutil.ForkCall()); n < 5 {
		t.Errorf("%d %s slices, want at least 5", n, testutil.ForkCall())
	}
	if n := count(f, "i", "exited with 0"); n != 6 {
		t.Errorf("%d exits, want 6", n)
	}
	// Each child's arrow starts on its parent's fork slice and ends on
	// the child's own track; its name names the parent.
	for _, e := range f.TraceEvents {
		if e.Ph == "M" && e.Name == "process_name" && e.Pid != res.Pid {
			if want := fmt.Sprintf("copy (child of %d)", res.Pid); e.Args["name"] != want {
				t.Errorf("child track %q, want %q", e.Args["name"], want)
			}
		}
	}
	// The faults of every process as a counter.
	pids := map[int]bool{}
	for _, e := range f.TraceEvents {
		if e.Ph == "C" {
			if _, ok := e.Args["minor"].(float64); !ok {
				t.Errorf("counter without minor faults: %v", e.Args)
			}
			pids[e.Pid] = true
		}
	}
	if len(pids) != 6 {
		t.Errorf("fault counters for %d processes, want 6", len(pids))
	}
}

func TestLesson(t *testing.T) {
	var buf bytes.Buffer
	w := perfetto.New(&buf, perfetto.Options{})
	traceLesson(t, w)
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	f := load(t, buf.Bytes())
	if n := count(f, "s", "fork"); n != 2 {
		t.Errorf("%d fork arrows, want 2", n)
	}
	if n := count(f, "i", "killed by SIGTERM"); n != 1 {
		t.Errorf("%d deaths by SIGTERM, want 1", n)
	}
	if n := count(f, "i", "SIGTERM"); n != 1 {
		t.Errorf("%d SIGTERM deliveries, want 1", n)
	}
	if n := count(f, "C", ""); n != 0 {
		t.Errorf("%d counters without Faults", n)
	}
	errs := map[string]int{}
	for _, e := range f.TraceEvents {
		if e.Ph == "X" && strings.Contains(e.Cat, "error") {
			errs[e.Name+" "+fmt.Sprint(e.Args["errno"])]++
			if c, _ := e.Args["call"].(string); !strings.Contains(c, "= -1 E") {
				t.Errorf("error slice %q", c)
			}
		}
	}
	if errs["mmap EINVAL"] != 1 || errs["mmap EACCES"] != 1 || errs["munmap EINVAL"] != 1 {
		t.Errorf("error slices %v", errs)
	}
	// The exec'd program names its track.
	names := map[string]int{}
	for _, e := range f.TraceEvents {
		if e.Ph == "M" && e.Name == "process_name" {
			names[fmt.Sprint(e.Args["name"])]++
		}
	}
	if names["lesson"] != 1 {
		t.Errorf("process names %v, want the root named lesson", names)
	}
	var unfinished int
	for _, e := range f.TraceEvents {
		if e.Ph == "X" && e.Name == "exit_group" {
			if c, _ := e.Args["call"].(string); e.Args["unfinished"] != true || !strings.HasPrefix(c, "exit_group(") {
				t.Errorf("exit_group slice not unfinished: %v", e.Args)
			}
			unfinished++
		}
	}
	if unfinished != 2 {
		t.Errorf("%d exit_group slices, want 2", unfinished)
	}
}
