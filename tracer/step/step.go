// Package step is mmtrace's step mode (--step): before each shown call
// runs, the traced process waits while the class sees the call and
// predicts its result; Enter lets it run.
//
// It needs no help from the tracer: a sink is called while the tracee is
// stopped at the call's entry, and the tracee stays stopped until the sink
// returns.
package step

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"github.com/mmtrace/mmtrace/tracer"
)

// Stepper is a tracer.Sink that pauses at every shown call. Place it after
// the renderers, so what came before is on screen when it asks.
type Stepper struct {
	in     *bufio.Reader
	out    io.Writer
	before []tracer.Sink // flushed before each question
	zh     bool
	off    bool // the class typed "c": run on without stopping
}

// New returns a stepper reading answers from in (the terminal) and asking
// on out. flush are the sinks whose output must be out before it asks.
func New(in io.Reader, out io.Writer, zh bool, flush ...tracer.Sink) *Stepper {
	return &Stepper{in: bufio.NewReader(in), out: out, before: flush, zh: zh}
}

// Event asks before every call; everything else passes.
func (s *Stepper) Event(e *tracer.Event) {
	if s.off || e.Kind != tracer.CallEnter {
		return
	}
	for _, f := range s.before {
		f.Flush()
	}
	c := e.Call
	args := c.ArgsText()
	n := 0
	for n < len(args) && args[n] != "" {
		n++
	}
	call := c.Name + "(" + strings.Join(args[:n], ", ")
	if n < len(args) {
		call += ", …"
	}
	call += ")"
	q := "next in %d: %s\n  what will it return? Enter runs it (c: run to the end) "
	if s.zh {
		q = "进程 %d 将要调用: %s\n  先猜猜它的返回值。按回车执行（输入 c 一直运行到结束）"
	}
	fmt.Fprintf(s.out, q, e.Pid, call)
	line, err := s.in.ReadString('\n')
	if err != nil || strings.TrimSpace(line) == "c" {
		s.off = true // no terminal any more, or the class has seen enough
	}
}

// Flush does nothing.
func (s *Stepper) Flush() error { return nil }
