// Package text renders a trace as strace-style lines: one per call, with
// the pid, the time since the start, name(args) = result, and the signals
// and exits between them.
//
// Repeated identical calls fold: when a thread makes the same call with the
// same arguments and the same result again and again (a WNOHANG polling
// loop), the first prints as usual and the repeats are counted; the next
// line of that thread (its next different call, a signal, its exit) is
// preceded by one line for all of them:
//
//	4711     0.000812 wait4(-1, 0xc000012345, WNOHANG, NULL) = 0
//	4711     1.000371 wait4(-1, 0xc000012345, WNOHANG, NULL) = 0  (repeated 81234 more times over 1.00 s)
//	4711     1.000402 wait4(-1, [{WIFEXITED(s) && WEXITSTATUS(s) == 0}], WNOHANG, NULL) = 4712
//
// The fold line is stamped with the time of the last repeat. Only the
// thread's own lines end its fold: other threads' lines print in between,
// so a parent polling while its children run keeps one fold.
package text

import (
	"bufio"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	"github.com/mmtrace/mmtrace/tracer"
	"github.com/mmtrace/mmtrace/tracer/sys"
)

// Options changes how the timeline is written.
type Options struct {
	// NoFold prints every call, repeated or not.
	NoFold bool
}

// Renderer is a tracer.Sink that writes the text timeline.
type Renderer struct {
	w   *bufio.Writer
	opt Options

	// pending holds calls that entered and have not returned, by tid.
	// An entry is held back, hoping its exit comes before any other
	// line so the call prints on one line; when another thread's line
	// comes first, the entry prints as "<unfinished ...>".
	pending map[int]*pending
	// folds holds, by tid, the thread's last printed call and how many
	// times it has been repeated since.
	folds map[int]*fold
	// active: an event came since the last Flush.
	active bool
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
	// quiet: another thread's line came before the exit, but the entry
	// looks like one more repeat of the thread's fold, so it was not
	// printed as unfinished: the exit either counts it or prints it
	// whole.
	quiet bool
}

// fold is a thread's last call line and the identical calls after it.
type fold struct {
	pid  int
	line string        // name(args) = result
	at   time.Duration // when the printed call entered
	last time.Duration // when the last repeat entered
	more int           // repeats not printed yet
}

// New returns a renderer writing to w, folding repeated calls.
func New(w io.Writer) *Renderer { return NewWithOptions(w, Options{}) }

// NewWithOptions returns a renderer writing to w as opt says.
func NewWithOptions(w io.Writer, opt Options) *Renderer {
	return &Renderer{
		w:       bufio.NewWriterSize(w, 64<<10),
		opt:     opt,
		pending: make(map[int]*pending),
		folds:   make(map[int]*fold),
	}
}

// Flush writes out what is buffered.
//
// A fold in progress stays open: the tracer flushes every time it is about
// to wait for the tracees, which in a polling loop is between two repeats.
// A Flush with no event since the previous one is the end of the trace (the
// tracer flushes once more when it is done, and only then without new
// events), or the tracees have gone quiet: it prints the open folds. A
// thread's exit line closes its fold too, so a trace that runs to the end
// loses none; one that detaches relies on this.
func (r *Renderer) Flush() error {
	if !r.active {
		r.endFolds()
	}
	r.active = false
	return r.w.Flush()
}

// Close prints the open folds and flushes: the end of a trace, for a
// caller that knows it.
func (r *Renderer) Close() error {
	r.endFolds()
	return r.w.Flush()
}

// endFolds prints every open fold, the oldest first.
func (r *Renderer) endFolds() {
	if len(r.folds) == 0 {
		return
	}
	tids := make([]int, 0, len(r.folds))
	for tid := range r.folds {
		tids = append(tids, tid)
	}
	sort.Slice(tids, func(i, j int) bool {
		a, b := r.folds[tids[i]], r.folds[tids[j]]
		if a.last != b.last {
			return a.last < b.last
		}
		return tids[i] < tids[j]
	})
	for _, tid := range tids {
		r.endFold(tid)
	}
}

// Event renders one event.
func (r *Renderer) Event(e *tracer.Event) {
	r.active = true
	if e.Kind == tracer.Spawn {
		return // strace shows a new process by its first call
	}
	switch e.Kind {
	case tracer.CallEnter:
		if p := r.pending[e.Tid]; p != nil {
			// A new call before the old one returned: the old one's exit
			// was lost (the thread was restarted elsewhere). Close it.
			r.finish(e.Tid, p, e.Time, "?")
		}
		r.pending[e.Tid] = &pending{call: e.Call, at: e.Time, pid: e.Pid, entryArgs: entryArgs(e.Call)}
	case tracer.CallExit:
		p := r.pending[e.Tid]
		if p == nil {
			return
		}
		r.finish(e.Tid, p, e.Time, e.Call.ResultText())
	case tracer.Signal:
		r.begin(e.Tid, e.Time)
		fmt.Fprintf(r.w, "--- %s %s ---\n", sys.SignalName(e.Signal), e.Siginfo.String())
	case tracer.Stopped:
		r.begin(e.Tid, e.Time)
		fmt.Fprintf(r.w, "--- stopped by %s ---\n", sys.SignalName(e.Signal))
	case tracer.Exit:
		if p := r.pending[e.Tid]; p != nil {
			r.finish(e.Tid, p, e.Time, "?")
		}
		r.begin(e.Tid, e.Time)
		switch {
		case e.KilledBy != 0 && e.CoreDumped:
			fmt.Fprintf(r.w, "+++ killed by %s (core dumped) +++\n", sys.SignalName(e.KilledBy))
		case e.KilledBy != 0:
			fmt.Fprintf(r.w, "+++ killed by %s +++\n", sys.SignalName(e.KilledBy))
		default:
			fmt.Fprintf(r.w, "+++ exited with %d +++\n", e.ExitCode)
		}
	case tracer.Superseded:
		// The execve in flight shows as unfinished under the thread that
		// made it, and returns under the leader's tid. The leader's last
		// call and the old thread's are history.
		r.splitOthers(0, e.Time)
		r.endFold(e.Pid)
		r.endFold(e.OldTid)
		r.prefix(e.OldTid, e.Time)
		fmt.Fprintf(r.w, "+++ superseded by execve in pid %d +++\n", e.Pid)
		if p := r.pending[e.OldTid]; p != nil {
			delete(r.pending, e.OldTid)
			r.pending[e.Pid] = p
		}
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

// begin starts a line of tid's, stamped at, that is not a repeat: the
// entries other threads hold back from before at print as unfinished, and
// the thread's fold ends, first. Entries from after at stay held: their
// exit may still come before any other line.
func (r *Renderer) begin(tid int, at time.Duration) {
	if f := r.folds[tid]; f != nil && f.more > 0 {
		r.splitOthers(tid, f.last) // what came before the fold's line
	}
	r.endFold(tid)
	r.splitOthers(tid, at)
	r.prefix(tid, at)
}

// splitOthers ends the hold of every entry but tid's made before at, in the
// order they entered.
func (r *Renderer) splitOthers(tid int, at time.Duration) {
	var held []int
	for t, p := range r.pending {
		if t != tid && !p.split && !p.quiet && p.at <= at {
			held = append(held, t)
		}
	}
	sort.Slice(held, func(i, j int) bool {
		a, b := r.pending[held[i]], r.pending[held[j]]
		if a.at != b.at {
			return a.at < b.at
		}
		return held[i] < held[j]
	})
	for _, t := range held {
		r.split(t)
	}
}

// endFold prints the repeats of tid's last call, if any: one repeat as the
// call itself, more as one line with the count.
func (r *Renderer) endFold(tid int) {
	f := r.folds[tid]
	if f == nil {
		return
	}
	delete(r.folds, tid)
	switch {
	case f.more == 1:
		r.prefix(tid, f.last)
		r.w.WriteString(f.line)
		r.w.WriteByte('\n')
	case f.more > 1:
		r.prefix(tid, f.last)
		fmt.Fprintf(r.w, "%s  (repeated %d more times over %s)\n", f.line, f.more, span(f.last-f.at))
	}
}

// span formats a duration for a person, to about three significant
// digits: "1.23 s", "45.6 ms", "780 µs".
func span(d time.Duration) string {
	switch {
	case d >= time.Second:
		return decimal(d.Seconds()) + " s"
	case d >= time.Millisecond:
		return decimal(float64(d)/float64(time.Millisecond)) + " ms"
	}
	return fmt.Sprintf("%d µs", d.Microseconds())
}

func decimal(v float64) string {
	switch {
	case v < 10:
		return fmt.Sprintf("%.2f", v)
	case v < 100:
		return fmt.Sprintf("%.1f", v)
	}
	return fmt.Sprintf("%.0f", v)
}

// split prints a held-back entry as "name(args <unfinished ...>", unless
// it may be one more repeat of a call the thread has already repeated: a
// polling loop's call must not break its fold because another process's
// line came between its entry and its exit.
func (r *Renderer) split(tid int) {
	p := r.pending[tid]
	args := p.call.ArgsText()
	n := min(p.entryArgs, len(args))
	head := p.call.Name + "(" + strings.Join(args[:n], ", ")
	if f := r.folds[tid]; f != nil && f.more > 0 && f.pid == p.pid && continues(f.line, head, n) {
		p.quiet = true
		return
	}
	p.split = true
	r.endFold(tid)
	r.prefix(tid, p.at)
	r.w.WriteString(head)
	if n < len(args) && n > 0 {
		r.w.WriteString(", ")
	}
	r.w.WriteString(" <unfinished ...>\n")
}

// continues says line (a whole call) begins with head, the name and the n
// entry arguments of a call in flight.
func continues(line, head string, n int) bool {
	if !strings.HasPrefix(line, head) {
		return false
	}
	if n == 0 {
		return true
	}
	rest := line[len(head):]
	return strings.HasPrefix(rest, ", ") || strings.HasPrefix(rest, ")")
}

// finish prints a call's line, or its resumed half (stamped at, when it
// returned), or counts it as a repeat of the thread's last call. A call
// with no exit (exit_group, a thread killed in it) prints as strace
// prints it, with the arguments known at entry and "= ?".
func (r *Renderer) finish(tid int, p *pending, at time.Duration, result string) {
	delete(r.pending, tid)
	args := p.call.ArgsText()
	if p.split {
		r.begin(tid, at)
		n := min(p.entryArgs, len(args))
		fmt.Fprintf(r.w, "<... %s resumed>%s) = %s\n", p.call.Name, strings.Join(args[n:], ", "), result)
		return
	}
	var line string
	if p.call.Done {
		line = p.call.Name + "(" + strings.Join(args, ", ") + ") = " + result
	} else {
		line = p.call.String()
	}
	if f := r.folds[tid]; f != nil && f.pid == p.pid && f.line == line {
		f.more++
		f.last = p.at
		return
	}
	r.begin(tid, p.at)
	r.w.WriteString(line)
	r.w.WriteByte('\n')
	if !r.opt.NoFold {
		r.folds[tid] = &fold{pid: p.pid, line: line, at: p.at, last: p.at}
	}
}
