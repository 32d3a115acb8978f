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
//
// A line a process wrote to its stdout or stderr (a tracer.Message) prints
// in its place, after the stream's name; one of mmtrace's own (a
// scenario's report) prints as it is:
//
//	4712     0.000913 stdout: child: stored "hello from the child" through the mapping
package text

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/mmtrace/mmtrace/internal/cells"
	"github.com/mmtrace/mmtrace/internal/lazy"
	"github.com/mmtrace/mmtrace/tracer"
	"github.com/mmtrace/mmtrace/tracer/explain"
	"github.com/mmtrace/mmtrace/tracer/sys"
)

// Options changes how the timeline is written.
type Options struct {
	// NoFold prints every call, repeated or not.
	NoFold bool
	// Time is the time column's format.
	Time TimeFormat
	// Start is when the trace started, for wall-clock times.
	Start time.Time
	// Durations appends the time spent in each call, as strace -T:
	// " <0.000123>".
	Durations bool
	// Color marks errors, signals, exits and notes with ANSI colours.
	Color bool
	// Width, when above 0, is the terminal's width in cells: each note
	// is wrapped to it, its later lines indented under its first. The
	// call lines stay whole, as strace prints them. 0 (a file, a pipe)
	// keeps every note on one line. Messages wrap the same way.
	Width int
	// Immediate writes each event's lines out as the event comes, before
	// the tracer lets the process run on: for a terminal, where a class
	// watches the lines come in the order things happened (strace writes
	// its lines at once). Elsewhere (a file, a pipe) lines are written in
	// blocks, when the tracer flushes.
	Immediate bool
	// Lang is the language of what the renderer itself says: the count
	// on a folded line. The call lines are strace's, in any language.
	Lang explain.Lang

	// Status, when not zero, prints only the calls whose outcome is in
	// it (strace's -e status=, -z, -Z). A call is then held until its
	// exit and printed whole, never as "<unfinished ...>", as strace does.
	Status Status
	// Signals, when not nil, says which signals' "--- SIG... ---" lines
	// print (strace's -e signal=).
	Signals func(sig syscall.Signal) bool
	// QuietExit leaves out the "+++ exited with N +++" and "+++ killed by
	// SIG +++" lines; QuietSuperseded the "+++ superseded by execve +++"
	// one (strace's -e quiet=exit, quiet=thread-execve).
	QuietExit, QuietSuperseded bool
	// Numbers prints the syscall number before each line, "[  59] ",
	// as strace -n: on a signal or exit line, the thread's last call's.
	Numbers bool
	// Xlat is strace's -X for the signal lines' siginfo (the calls'
	// arguments come formatted in that style already).
	Xlat sys.Xlat
}

// Status is a set of call outcomes, after strace's -e status=.
type Status uint8

// The outcomes.
const (
	// Successful: the call returned without an error.
	Successful Status = 1 << iota
	// Failed: the call returned an error.
	Failed
	// Unfinished: the call never returned (exit_group, a thread killed
	// in it, an execve that replaced its thread).
	Unfinished
	// Unavailable: the call returned but its result could not be read.
	// mmtrace reads every result (PTRACE_GET_SYSCALL_INFO), so none is.
	Unavailable
	// Detached: the trace let the process go while the call was in
	// flight: -b execve, a new process not followed, an attached process
	// let go (Ctrl-C).
	Detached
)

// TimeFormat is the time column's format.
type TimeFormat uint8

// The time formats, after strace's flags.
const (
	// SinceStart: seconds since the trace started (the default).
	SinceStart TimeFormat = iota
	// Relative: seconds since the previous line (strace -r).
	Relative
	// Wall: the time of day, to the second (strace -t).
	Wall
	// WallMicro: the time of day, to the microsecond (strace -tt).
	WallMicro
	// Epoch: seconds since 1970, to the microsecond (strace -ttt).
	Epoch
)

// ANSI colours; never written unless Options.Color. They must read on a
// dark terminal and on a white projector screen alike, whatever the
// palette: no yellow, cyan or white (pale on white), no black (gone on
// dark), no dim (faint on a projector). Red and magenta read on both;
// the notes, which a class reads most, keep the terminal's own foreground,
// the one its theme makes legible, behind a bold marker.
const (
	colorReset  = "\x1b[0m"
	colorError  = "\x1b[1;31m" // bold red: a failed call, a killing signal
	colorSignal = "\x1b[1;35m" // bold magenta: a signal, a stop
	colorExit   = "\x1b[1m"    // bold: an exit
	colorMarker = "\x1b[1m"    // bold: the "> " before a note
)

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
	// last is the time of the previous line, for Relative times.
	last time.Duration
	// nr is, by tid, the number of the thread's last call: what strace
	// -n prints before a signal's or an exit's line.
	nr map[int]int

	// Reused so that a call's line allocates nothing in the steady
	// state: the line being built, the prefix's digits, and the pending
	// and fold records that ended.
	line      []byte
	num       []byte
	head      []byte // the last line's "pid time "
	freeCalls []*pending
	freeFolds []*fold
}

type pending struct {
	call *sys.Call
	at   time.Duration
	pid  int
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
	line []byte // name(args) = result
	// notes are the printed call's notes: a repeat with other notes (a
	// second munmap of a range is explained differently) is no repeat.
	notes []string
	at    time.Duration // when the printed call entered
	last  time.Duration // when the last repeat entered
	more  int           // repeats not printed yet
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
		nr:      make(map[int]int),
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
	r.detached()
	return r.w.Flush()
}

// detached prints, with a status filter that asks for them, the calls
// still held at the end of the trace: those in flight when the trace let
// their process go, as strace prints them, "read(0,  <detached ...>".
func (r *Renderer) detached() {
	if r.opt.Status&Detached == 0 {
		return
	}
	tids := make([]int, 0, len(r.pending))
	for tid := range r.pending {
		tids = append(tids, tid)
	}
	sort.Slice(tids, func(i, j int) bool {
		a, b := r.pending[tids[i]], r.pending[tids[j]]
		if a.at != b.at {
			return a.at < b.at
		}
		return tids[i] < tids[j]
	})
	for _, tid := range tids {
		p := r.pending[tid]
		r.prefix(tid, p.at)
		if r.opt.Numbers {
			r.w.Write(appendNr(nil, p.call.Nr))
		}
		r.w.WriteString(p.call.EnteredText())
		r.w.WriteString(" <detached ...>\n")
		r.endPending(tid, p)
	}
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

// KeepsNoCalls says the renderer keeps no call past its end: a call's
// record is let go when its line is printed, and a fold keeps the line's
// bytes (tracer.KeepsNoCalls).
func (r *Renderer) KeepsNoCalls() {}

// Event renders one event; with Immediate, its lines go out at once.
func (r *Renderer) Event(e *tracer.Event) {
	r.event(e)
	if r.opt.Immediate {
		r.w.Flush() // an error stays in r.w, for the tracer's Flush
	}
}

func (r *Renderer) event(e *tracer.Event) {
	r.active = true
	if e.Kind == tracer.Spawn {
		return // strace shows a new process by its first call
	}
	switch e.Kind {
	case tracer.CallEnter:
		r.nr[e.Tid] = e.Call.Nr
		if p := r.pending[e.Tid]; p != nil {
			// A new call before the old one returned: the old one's exit
			// was lost (the thread was restarted elsewhere). Close it.
			r.finish(e.Tid, p, e.Time, "?", nil)
		}
		r.pending[e.Tid] = r.newPending(e)
	case tracer.CallExit:
		p := r.pending[e.Tid]
		if p == nil {
			return
		}
		r.finish(e.Tid, p, e.Time, e.Call.ResultText(), e.Notes)
	case tracer.Signal:
		if r.opt.Signals != nil && !r.opt.Signals(e.Signal) {
			return
		}
		r.begin(e.Tid, e.Time)
		r.number(e.Tid)
		r.colored(colorSignal, fmt.Sprintf("--- %s %s ---", sys.SignalName(e.Signal), e.Siginfo.Text(r.opt.Xlat)))
		r.w.WriteByte('\n')
		r.notes(e.Notes)
	case tracer.Stopped:
		r.begin(e.Tid, e.Time)
		r.number(e.Tid)
		r.colored(colorSignal, fmt.Sprintf("--- stopped by %s ---", sys.SignalName(e.Signal)))
		r.w.WriteByte('\n')
	case tracer.Exit:
		if p := r.pending[e.Tid]; p != nil {
			r.finish(e.Tid, p, e.Time, "?", nil)
		}
		if r.opt.QuietExit {
			r.endFold(e.Tid)
			delete(r.nr, e.Tid)
			return
		}
		r.begin(e.Tid, e.Time)
		r.number(e.Tid)
		delete(r.nr, e.Tid)
		switch {
		case e.KilledBy != 0 && e.CoreDumped:
			r.colored(colorError, fmt.Sprintf("+++ killed by %s (core dumped) +++", sys.SignalName(e.KilledBy)))
		case e.KilledBy != 0:
			r.colored(colorError, fmt.Sprintf("+++ killed by %s +++", sys.SignalName(e.KilledBy)))
		default:
			r.colored(colorExit, fmt.Sprintf("+++ exited with %d +++", e.ExitCode))
		}
		r.w.WriteByte('\n')
		r.notes(e.Notes)
	case tracer.Message:
		r.message(e)
	case tracer.Detached:
		// As strace -b execve: the call's open line ends "<detached ...>";
		// nothing more of the process comes.
		// With a status filter, only if it asks for detached calls.
		if p := r.pending[e.Tid]; p != nil {
			if !p.split && !p.quiet && (r.opt.Status == 0 || r.opt.Status&Detached != 0) {
				r.splitOthers(e.Tid, p.at)
				r.endFold(e.Tid)
				r.prefix(e.Tid, p.at)
				r.w.WriteString(p.call.EnteredText())
				r.w.WriteString(" <detached ...>\n")
			}
			r.endPending(e.Tid, p)
		}
		r.endFold(e.Tid)
	case tracer.Superseded:
		// As strace prints it: the execve in flight, if its line is still
		// open, ends "<pid changed to LEADER ...>" under the thread that
		// made it; the leader's tid then says which thread superseded it,
		// and the call returns under the leader's tid. The leader's last
		// call and the old thread's are history.
		if p := r.pending[e.OldTid]; p != nil && !p.split && !p.quiet {
			r.splitOthers(e.OldTid, p.at)
			p.split = true
			r.endFold(e.OldTid)
			r.prefix(e.OldTid, p.at)
			r.w.WriteString(p.call.EnteredText())
			fmt.Fprintf(r.w, " <pid changed to %d ...>\n", e.Pid)
		}
		r.splitOthers(0, e.Time)
		r.endFold(e.Pid)
		r.endFold(e.OldTid)
		if !r.opt.QuietSuperseded {
			r.prefix(e.Pid, e.Time)
			r.number(e.Pid)
			fmt.Fprintf(r.w, "+++ superseded by execve in pid %d +++\n", e.OldTid)
		}
		if p := r.pending[e.OldTid]; p != nil {
			delete(r.pending, e.OldTid)
			r.pending[e.Pid] = p
		}
	}
}

// prefix writes a line's "pid time ", and keeps it in r.head.
func (r *Renderer) prefix(tid int, at time.Duration) {
	// "%-6d ", and below "%10.6f ", by hand: fmt boxes its arguments,
	// an allocation a line.
	h := strconv.AppendInt(r.head[:0], int64(tid), 10)
	for len(h) < 6 {
		h = append(h, ' ')
	}
	h = append(h, ' ')
	switch r.opt.Time {
	case Relative:
		h = fmt.Appendf(h, "%10.6f ", max(at-r.last, 0).Seconds())
		r.last = at
	case Wall:
		h = r.opt.Start.Add(at).AppendFormat(h, "15:04:05 ")
	case WallMicro:
		h = r.opt.Start.Add(at).AppendFormat(h, "15:04:05.000000 ")
	case Epoch:
		t := r.opt.Start.Add(at)
		h = fmt.Appendf(h, "%d.%06d ", t.Unix(), t.Nanosecond()/1000)
	default:
		r.num = strconv.AppendFloat(r.num[:0], at.Seconds(), 'f', 6, 64)
		for i := len(r.num); i < 10; i++ {
			h = append(h, ' ')
		}
		h = append(h, r.num...)
		h = append(h, ' ')
	}
	r.head = h
	r.w.Write(h)
}

// number writes strace -n's "[  59] " for a line of tid's that is not a
// call: the number of the thread's last call.
func (r *Renderer) number(tid int) {
	if r.opt.Numbers {
		r.line = appendNr(r.line[:0], r.nr[tid])
		r.w.Write(r.line)
	}
}

// appendNr appends "[%4d] " to b, as strace -n prints a call's number.
func appendNr(b []byte, nr int) []byte { return fmt.Appendf(b, "[%4d] ", nr) }

// streamNames label a process's message by the fd it wrote it to.
var streamNames = map[int]string{1: "stdout: ", 2: "stderr: "}

// message prints a line a process wrote, after its stream's name and
// wrapped under its text; or a line of mmtrace's own, wrapped as a
// plain message (see cells.Fit), after every line before it.
func (r *Renderer) message(e *tracer.Event) {
	if e.Pid == 0 {
		r.splitOthers(0, e.Time)
		r.endFolds()
		lines := []string{e.Text}
		if r.opt.Width > 0 {
			lines = cells.Fit(e.Text, r.opt.Width)
		}
		r.w.WriteString(strings.Join(lines, "\n"))
		r.w.WriteByte('\n')
		return
	}
	label, ok := streamNames[e.FD]
	if !ok {
		label = "fd " + strconv.Itoa(e.FD) + ": "
	}
	r.begin(e.Tid, e.Time)
	r.colored(colorMarker, label)
	hang := cells.Width(string(r.head)) + cells.Width(label)
	r.w.WriteString(wrapMessage(e.Text, hang, r.opt.Width))
	r.w.WriteByte('\n')
}

// wrapMessage returns a process's line as it is, or, when width is above
// 0 and the line does not fit after the hang cells before it, fitted to
// what is left, its later lines indented by hang.
func wrapMessage(text string, hang, width int) string {
	room := max(width-hang, minNoteWidth)
	if width <= 0 || cells.Width(text) <= room {
		return text
	}
	return strings.Join(cells.Fit(text, room), "\n"+strings.Repeat(" ", hang))
}

// noteIndent lines notes up under the call name, after "pid time ", and
// noteMarker starts each note; a wrapped note's later lines are indented
// as far as its text.
const (
	noteIndent = "                  "
	noteMarker = "> "
	noteHang   = noteIndent + "  "
)

// minNoteWidth is the narrowest a note's text gets, however narrow the
// terminal: below it the terminal wraps what is left.
const minNoteWidth = 20

// notes prints the lines the annotators added under an event: one line
// each, or, on a terminal, wrapped to its width.
func (r *Renderer) notes(notes []string) {
	for _, n := range notes {
		r.w.WriteString(noteIndent)
		r.colored(colorMarker, noteMarker)
		r.w.WriteString(wrapNote(n, r.opt.Width))
		r.w.WriteByte('\n')
	}
}

// wrapNote returns note n as it is, or, when width is above 0 and n is
// too wide, wrapped to width with its later lines indented under its
// text.
func wrapNote(n string, width int) string {
	room := max(width-cells.Width(noteHang), minNoteWidth)
	if width <= 0 || cells.Width(n) <= room {
		return n
	}
	return strings.Join(cells.Fit(n, room), "\n"+noteHang)
}

// WrapNotes returns a writer that passes a timeline written by a Renderer
// with no Width on to w, each note and message wrapped to width as
// Options.Width would: for a timeline rewritten after the renderer
// (--stable's labels shorten pids, addresses and paths), wrapped once its
// text is final. A line that starts with neither a pid (or its label, P1)
// nor a note's indent is one of mmtrace's own messages. The timeline must
// have no colour; lines arrive whole or in pieces.
func WrapNotes(w io.Writer, width int) io.Writer {
	return &noteWrapper{w: w, width: width}
}

// timelineHead starts a line of the timeline, with a pid or its label;
// messageHead a process's message, up to its text.
var (
	timelineHead = lazy.Of(func() *regexp.Regexp { return regexp.MustCompile(`^(P\d+|\d+) `) })
	messageHead  = lazy.Of(func() *regexp.Regexp { return regexp.MustCompile(`^(P\d+|\d+) +(\S+ )?(stdout|stderr|fd \d+): `) })
)

type noteWrapper struct {
	w       io.Writer
	width   int
	partial []byte
}

func (nw *noteWrapper) Write(p []byte) (int, error) {
	n := len(p)
	nw.partial = append(nw.partial, p...)
	for {
		i := bytes.IndexByte(nw.partial, '\n')
		if i < 0 {
			return n, nil
		}
		line := string(nw.partial[:i])
		nw.partial = nw.partial[i+1:]
		if note, ok := strings.CutPrefix(line, noteIndent+noteMarker); ok {
			line = noteIndent + noteMarker + wrapNote(note, nw.width)
		} else if m := messageHead.Get().FindStringIndex(line); m != nil {
			line = line[:m[1]] + wrapMessage(line[m[1]:], cells.Width(line[:m[1]]), nw.width)
		} else if line != "" && line[0] != ' ' && !timelineHead.Get().MatchString(line) {
			line = strings.Join(cells.Fit(line, nw.width), "\n")
		}
		if _, err := io.WriteString(nw.w, line+"\n"); err != nil {
			return n, err
		}
	}
}

// colored writes s, in color c when colours are on.
func (r *Renderer) colored(c, s string) {
	if r.opt.Color && c != "" {
		r.w.WriteString(c + s + colorReset)
		return
	}
	r.w.WriteString(s)
}

// took is strace -T's " <0.000123>": the time between entry and exit.
func (r *Renderer) took(p *pending, at time.Duration) string {
	if !r.opt.Durations || at < p.at {
		return ""
	}
	return fmt.Sprintf(" <%.6f>", (at - p.at).Seconds())
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
	if r.opt.Status != 0 {
		return // each call is held until its exit, then printed whole or not
	}
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
		r.w.Write(f.line)
		r.w.WriteByte('\n')
	case f.more > 1:
		r.prefix(tid, f.last)
		if r.opt.Lang == explain.ZH {
			fmt.Fprintf(r.w, "%s  （又重复了 %d 次，历时 %s）\n", f.line, f.more, span(f.last-f.at))
		} else {
			fmt.Fprintf(r.w, "%s  (repeated %d more times over %s)\n", f.line, f.more, span(f.last-f.at))
		}
	}
	r.freeFolds = append(r.freeFolds, f)
}

// newPending records the entry of e's call, reusing an ended record.
func (r *Renderer) newPending(e *tracer.Event) *pending {
	var p *pending
	if n := len(r.freeCalls); n > 0 {
		p, r.freeCalls = r.freeCalls[n-1], r.freeCalls[:n-1]
	} else {
		p = new(pending)
	}
	*p = pending{call: e.Call, at: e.Time, pid: e.Pid}
	return p
}

// endPending forgets tid's call in flight, keeping its record for reuse.
func (r *Renderer) endPending(tid int, p *pending) {
	delete(r.pending, tid)
	p.call = nil // do not keep the call alive
	r.freeCalls = append(r.freeCalls, p)
}

// newFold starts tid's fold at the line just printed, in r.line.
func (r *Renderer) newFold(tid int, p *pending, notes []string) {
	var f *fold
	if n := len(r.freeFolds); n > 0 {
		f, r.freeFolds = r.freeFolds[n-1], r.freeFolds[:n-1]
	} else {
		f = new(fold)
	}
	*f = fold{pid: p.pid, line: append(f.line[:0], r.line...), notes: append(f.notes[:0], notes...), at: p.at, last: p.at}
	r.folds[tid] = f
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
	head := p.call.EnteredText()
	if f := r.folds[tid]; f != nil && f.more > 0 && f.pid == p.pid && continues(string(f.line), head) {
		p.quiet = true
		return
	}
	p.split = true
	r.endFold(tid)
	r.prefix(tid, p.at)
	if r.opt.Numbers {
		r.w.Write(appendNr(nil, p.call.Nr))
	}
	r.w.WriteString(head)
	r.w.WriteString(" <unfinished ...>\n")
}

// continues says line (a whole call) begins with head, what a call in
// flight showed at entry: its name and the arguments known then.
func continues(line, head string) bool {
	if !strings.HasPrefix(line, head) {
		return false
	}
	if strings.HasSuffix(head, "(") || strings.HasSuffix(head, ", ") {
		return true
	}
	return strings.HasPrefix(line[len(head):], ")")
}

// finish prints a call's line, or its resumed half (stamped at, when it
// returned), or counts it as a repeat of the thread's last call. A call
// with no exit (exit_group, a thread killed in it) prints as strace
// prints it, with the arguments known at entry and "= ?".
func (r *Renderer) finish(tid int, p *pending, at time.Duration, result string, notes []string) {
	defer r.endPending(tid, p)
	failed := p.call.Errno() != 0
	if r.opt.Status != 0 && r.opt.Status&outcome(p.call) == 0 {
		return
	}
	if p.split {
		r.begin(tid, at)
		line := r.line[:0]
		if r.opt.Numbers {
			line = appendNr(line, p.call.Nr)
		}
		r.callLine(fmt.Appendf(line, "<... %s resumed>%s) = %s", p.call.Name, p.call.ResumedText(), result), failed)
		r.w.WriteString(r.took(p, at))
		r.w.WriteByte('\n')
		r.notes(notes)
		return
	}
	line := r.line[:0]
	if r.opt.Numbers {
		line = appendNr(line, p.call.Nr)
	}
	if p.call.Done {
		line = append(line, p.call.Name...)
		line = append(line, '(')
		for i, a := range p.call.ArgsText() {
			if i > 0 {
				line = append(line, ", "...)
			}
			line = append(line, a...)
		}
		line = append(line, ") = "...)
		line = append(line, result...)
	} else {
		line = append(line, p.call.String()...)
	}
	r.line = line
	if f := r.folds[tid]; f != nil && f.pid == p.pid && string(f.line) == string(line) && slices.Equal(f.notes, notes) {
		f.more++
		f.last = p.at
		return
	}
	r.begin(tid, p.at)
	r.callLine(line, failed)
	r.w.WriteString(r.took(p, at))
	r.w.WriteByte('\n')
	r.notes(notes)
	if !r.opt.NoFold {
		r.newFold(tid, p, notes)
	}
}

// outcome is the Status of a call that has ended or never will.
func outcome(c *sys.Call) Status {
	switch {
	case !c.Done:
		return Unfinished
	case c.Errno() != 0:
		return Failed
	}
	return Successful
}

// callLine writes a call's text, the result in red when the call failed.
func (r *Renderer) callLine(line []byte, failed bool) {
	if !failed || !r.opt.Color {
		r.w.Write(line)
		return
	}
	i := bytes.LastIndex(line, []byte(" = "))
	r.w.Write(line[:i+3])
	r.colored(colorError, string(line[i+3:]))
}
