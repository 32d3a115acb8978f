package text_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/mmtrace/mmtrace/internal/cells"
	"github.com/mmtrace/mmtrace/tracer"
	"github.com/mmtrace/mmtrace/tracer/text"
)

// TestMessages: a process's line prints in its place, after its stream's
// name, and splits a call another process has in flight as any line
// does; on a terminal a long one wraps under its text, never cut in a
// word; a line of mmtrace's own prints as it is, after every line before
// it, a fold's count included.
func TestMessages(t *testing.T) {
	long := "child 2 of 5 copies bytes [13421772, 26843545) of the sample into the copy, through two shared mappings"
	tests := []struct {
		name  string
		width int
		want  string
	}{
		{"a file", 0, `
100      0.001000 wait4(101,  <unfinished ...>
101      0.002000 stdout: child: stored "hello" through the mapping
101      0.003000 stderr: ` + long + `
101      0.004000 +++ exited with 0 +++
100      0.005000 <... wait4 resumed>NULL, 0, NULL) = 101
100      0.005000 wait4(-1, 0x2000, WNOHANG, NULL) = 0
100      0.007000 wait4(-1, 0x2000, WNOHANG, NULL) = 0  (repeated 2 more times over 2.00 ms)
the parent reaped 1 child
  reap 1: pid 101 exited with 0
`},
		{"a terminal", 60, `
100      0.001000 wait4(101,  <unfinished ...>
101      0.002000 stdout: child: stored "hello" through the
                          mapping
101      0.003000 stderr: child 2 of 5 copies bytes
                          [13421772, 26843545) of the sample
                          into the copy, through two shared
                          mappings
101      0.004000 +++ exited with 0 +++
100      0.005000 <... wait4 resumed>NULL, 0, NULL) = 101
100      0.005000 wait4(-1, 0x2000, WNOHANG, NULL) = 0
100      0.007000 wait4(-1, 0x2000, WNOHANG, NULL) = 0  (repeated 2 more times over 2.00 ms)
the parent reaped 1 child
  reap 1: pid 101 exited with 0
`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := newScript(t, text.Options{Width: tc.width})
			s.at(1).enter(100, 100, "wait4", 101, 0, 0, 0)
			s.at(2).add(tracer.Event{Kind: tracer.Message, Pid: 101, Tid: 101, FD: 1, Text: `child: stored "hello" through the mapping`})
			s.at(3).add(tracer.Event{Kind: tracer.Message, Pid: 101, Tid: 101, FD: 2, Text: long})
			s.at(4).exited(101, 101, 0)
			s.at(5).exit(100, 100, 101)
			s.polls(100, 3, 1)
			s.at(9).add(tracer.Event{Kind: tracer.Message, Text: "the parent reaped 1 child"})
			s.add(tracer.Event{Kind: tracer.Message, Text: "  reap 1: pid 101 exited with 0"})
			got := s.timeline(true)
			if got != tc.want[1:] {
				t.Errorf("got:\n%s\nwant:\n%s", got, tc.want[1:])
			}
			for _, l := range strings.Split(got, "\n") {
				if tc.width > 0 && !strings.Contains(l, "wait4") && cells.Width(l) > tc.width {
					t.Errorf("%d cells on a %d-cell terminal: %q", cells.Width(l), tc.width, l)
				}
			}
		})
	}
}

// TestMessagesWrapAfterwards: in --stable on a terminal, the messages are
// wrapped once the labels are in, as the notes are: a process's under its
// text, mmtrace's own as plain messages; a call line stays whole.
func TestMessagesWrapAfterwards(t *testing.T) {
	var out bytes.Buffer
	w := text.WrapNotes(&out, 40)
	in := "P1 mmap(NULL, 20, PROT_READ|PROT_WRITE, MAP_SHARED, 3, 0) = A1\n" +
		"P2 stdout: child: stored \"hello from the child\" through the mapping\n" +
		"after the child exited, the parent's mapping held 20 bytes\n"
	if _, err := w.Write([]byte(in)); err != nil {
		t.Fatal(err)
	}
	want := "P1 mmap(NULL, 20, PROT_READ|PROT_WRITE, MAP_SHARED, 3, 0) = A1\n" +
		"P2 stdout: child: stored \"hello from the\n" +
		"           child\" through the mapping\n" +
		"after the child exited, the parent's\n" +
		"mapping held 20 bytes\n"
	if out.String() != want {
		t.Errorf("got:\n%s\nwant:\n%s", out.String(), want)
	}
}

// flushCounter counts the writes that reach the output.
type flushCounter struct {
	bytes.Buffer
	writes int
}

func (f *flushCounter) Write(p []byte) (int, error) {
	f.writes++
	return f.Buffer.Write(p)
}

// TestImmediate: with Immediate (a terminal), each event's lines are out
// when Event returns, before the tracer lets the process run on; without
// it they wait for the tracer's Flush.
func TestImmediate(t *testing.T) {
	for _, immediate := range []bool{false, true} {
		var out flushCounter
		r := text.NewWithOptions(&out, text.Options{Immediate: immediate})
		r.Event(&tracer.Event{Kind: tracer.Message, Pid: 100, Tid: 100, FD: 1, Text: "one"})
		got := out.String()
		r.Event(&tracer.Event{Kind: tracer.Exit, Pid: 100, Tid: 100, Leader: true})
		if immediate && got != "100      0.000000 stdout: one\n" {
			t.Errorf("immediate: after the first event the output holds %q", got)
		}
		if !immediate && got != "" {
			t.Errorf("buffered: after the first event the output holds %q", got)
		}
		r.Flush()
		if want := 1 + b2i(immediate); out.writes != want {
			t.Errorf("immediate %v: %d writes, want %d", immediate, out.writes, want)
		}
	}
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}
