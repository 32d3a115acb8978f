// Package text renders a trace as strace-style lines: one per call, with
// the pid, the time since the start, name(args) = result, and the signals
// and exits between them.
package text

import (
	"bufio"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/mmtrace/mmtrace/tracer"
	"github.com/mmtrace/mmtrace/tracer/sys"
)

// Renderer is a tracer.Sink that writes the text timeline.
type Renderer struct {
	w *bufio.Writer

	// pending holds calls that entered and have not returned, by tid.
	pending map[int]*pending
	// open is the tid whose entry is held back, hoping its exit comes
	// next so the call prints on one line; 0 if none.
	open int
}

type pending struct {
	call *sys.Call
	at   time.Duration
	pid  int
	// entryArgs is how many leading arguments were known at entry: the
	// part an "<unfinished ...>" line can show.
	entryArgs int
	// split: the entry was printed as unfinished; the exit prints as
	// "<... name resumed>".
	split bool
}

// New returns a renderer writing to w.
func New(w io.Writer) *Renderer {
	return &Renderer{w: bufio.NewWriterSize(w, 64<<10), pending: make(map[int]*pending)}
}

// Flush writes out what is buffered.
func (r *Renderer) Flush() error { return r.w.Flush() }

// Event renders one event.
func (r *Renderer) Event(e *tracer.Event) {
	if e.Kind == tracer.Spawn {
		return // strace shows a new process by its first call
	}
	if r.open != 0 && r.open != e.Tid {
		r.split(r.open)
	}
	switch e.Kind {
	case tracer.CallEnter:
		if p := r.pending[e.Tid]; p != nil {
			// A new call before the old one returned: the old one's exit
			// was lost (the thread was restarted elsewhere). Close it.
			r.finish(e.Tid, p, e.Time, "?")
		}
		r.pending[e.Tid] = &pending{call: e.Call, at: e.Time, pid: e.Pid, entryArgs: entryArgs(e.Call)}
		r.open = e.Tid
	case tracer.CallExit:
		p := r.pending[e.Tid]
		if p == nil {
			return
		}
		r.finish(e.Tid, p, e.Time, e.Call.ResultText())
	case tracer.Signal:
		r.prefix(e.Tid, e.Time)
		fmt.Fprintf(r.w, "--- %s %s ---\n", sys.SignalName(e.Signal), e.Siginfo.String())
	case tracer.Stopped:
		r.prefix(e.Tid, e.Time)
		fmt.Fprintf(r.w, "--- stopped by %s ---\n", sys.SignalName(e.Signal))
	case tracer.Exit:
		if p := r.pending[e.Tid]; p != nil {
			r.finish(e.Tid, p, e.Time, "?")
		}
		r.prefix(e.Tid, e.Time)
		switch {
		case e.KilledBy != 0 && e.CoreDumped:
			fmt.Fprintf(r.w, "+++ killed by %s (core dumped) +++\n", sys.SignalName(e.KilledBy))
		case e.KilledBy != 0:
			fmt.Fprintf(r.w, "+++ killed by %s +++\n", sys.SignalName(e.KilledBy))
		default:
			fmt.Fprintf(r.w, "+++ exited with %d +++\n", e.ExitCode)
		}
	case tracer.Superseded:
		if p := r.pending[e.OldTid]; p != nil {
			// The execve in flight continues under the leader's tid.
			delete(r.pending, e.OldTid)
			r.pending[e.Pid] = p
		}
		r.prefix(e.OldTid, e.Time)
		fmt.Fprintf(r.w, "+++ superseded by execve in pid %d +++\n", e.Pid)
	}
}

// entryArgs counts the arguments formatted at entry, before the first one
// the kernel fills in.
func entryArgs(c *sys.Call) int {
	args := c.ArgsText()
	for i, a := range args {
		if a == "" {
			return i
		}
	}
	return len(args)
}

func (r *Renderer) prefix(tid int, at time.Duration) {
	fmt.Fprintf(r.w, "%-6d %10.6f ", tid, at.Seconds())
}

// split prints a held-back entry as "name(args <unfinished ...>".
func (r *Renderer) split(tid int) {
	r.open = 0
	p := r.pending[tid]
	if p == nil || p.split {
		return
	}
	p.split = true
	r.prefix(tid, p.at)
	args := p.call.ArgsText()
	n := min(p.entryArgs, len(args))
	r.w.WriteString(p.call.Name)
	r.w.WriteByte('(')
	r.w.WriteString(strings.Join(args[:n], ", "))
	if n < len(args) && n > 0 {
		r.w.WriteString(", ")
	}
	r.w.WriteString(" <unfinished ...>\n")
}

// finish prints a call's line, or its resumed half.
func (r *Renderer) finish(tid int, p *pending, at time.Duration, result string) {
	delete(r.pending, tid)
	if r.open == tid {
		r.open = 0
	}
	args := p.call.ArgsText()
	if p.split {
		r.prefix(tid, at)
		n := min(p.entryArgs, len(args))
		fmt.Fprintf(r.w, "<... %s resumed>%s) = %s\n", p.call.Name, strings.Join(args[n:], ", "), result)
		return
	}
	r.prefix(tid, p.at)
	fmt.Fprintf(r.w, "%s(%s) = %s\n", p.call.Name, strings.Join(args, ", "), result)
}
