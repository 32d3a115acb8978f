package step

import (
	"bytes"
	"strings"
	"testing"

	"github.com/mmtrace/mmtrace/tracer"
	"github.com/mmtrace/mmtrace/tracer/sys"
)

type flushCount struct{ n int }

func (f *flushCount) Event(*tracer.Event) {}
func (f *flushCount) Flush() error        { f.n++; return nil }

func enter(name string) *tracer.Event {
	nr, _ := sys.Number(sys.HostArch(), name)
	c := sys.NewCall(sys.HostArch(), nr, [6]uint64{3})
	c.Enter(nil, nil)
	return &tracer.Event{Kind: tracer.CallEnter, Pid: 42, Tid: 42, Call: c}
}

func TestAsksThenRunsOn(t *testing.T) {
	var out bytes.Buffer
	fc := &flushCount{}
	s := New(strings.NewReader("\nc\n"), &out, false, fc)
	s.Event(enter("close"))
	if !strings.Contains(out.String(), "next in 42: close(3)") || fc.n != 1 {
		t.Fatalf("first question: %q, flushes %d", out.String(), fc.n)
	}
	s.Event(&tracer.Event{Kind: tracer.CallExit})
	s.Event(enter("close")) // answered "c"
	s.Event(enter("close")) // runs on: no question
	if got := strings.Count(out.String(), "what will it return"); got != 2 {
		t.Fatalf("%d questions, want 2:\n%s", got, out.String())
	}
}
