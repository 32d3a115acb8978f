// Package jsonl renders a trace as JSON Lines: one JSON object per line per
// call, signal, stop, spawn, exit and message, in the versioned schema
// documented in docs/json-schema.md (version 1).
//
// A call is written once, when it returns, with both its entry time and
// its duration; a call that never returns (exit_group, a thread killed in
// it) is written when its thread ends, marked "unfinished". Every line is
// valid JSON and valid UTF-8 whatever bytes the tracee's strings held: the
// decoders already escape them as strace does, and the writer replaces
// anything that is still not UTF-8.
package jsonl

import (
	"bufio"
	"encoding/json"
	"io"
	"maps"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/mmtrace/mmtrace/tracer"
	"github.com/mmtrace/mmtrace/tracer/sys"
)

// Version is the schema version every line carries as "v".
const Version = 1

// Options changes what is written.
type Options struct {
	// Enter also writes a line ("type":"enter") when a call enters the
	// kernel, for a reader following a live trace in which a call may
	// block for long (wait4). The call's own line still comes at its
	// exit.
	Enter bool
	// Labels, when set, makes the lines the same on every run of the
	// same program (--stable, tracer/stable): see "--stable" in the
	// schema.
	Labels Labels

	// Immediate writes each line out as its event comes, before the
	// tracer lets the process run on: for a terminal. Elsewhere lines go
	// out in blocks, when the tracer flushes.
	Immediate bool
}

// Labels names what varies from run to run (tracer/stable.Labeler).
type Labels interface {
	// PidNumber returns the number of a process's label: 2 for P2.
	PidNumber(pid int) int
	// Text rewrites a text: addresses, process ids in strings and
	// notes, temporary paths.
	Text(s string) string
	// CallText rewrites an argument or result of call name, whose bare
	// numbers are process ids if the call takes or returns them.
	CallText(name, s string) string
	// Note rewrites a note or a siginfo, whose bare numbers may be
	// process ids.
	Note(s string) string
	// Message rewrites a line a process or the scenario printed: a
	// process named there as "pid 4242" is labelled, other numbers (a
	// size) stay numbers.
	Message(s string) string
}

// Writer is a tracer.Sink that writes one JSON object per line.
type Writer struct {
	w   *bufio.Writer
	enc *json.Encoder
	opt Options
	err error
	// pending holds, by tid, the calls that entered and have not
	// returned.
	pending map[int]*pending
}

type pending struct {
	call  *sys.Call
	at    time.Duration
	pid   int
	notes []string
}

// New returns a writer of JSON Lines to w.
func New(w io.Writer, opt Options) *Writer {
	bw := bufio.NewWriterSize(w, 64<<10)
	enc := json.NewEncoder(bw)
	// strace's text holds < and > ("<unfinished ...>"); keep them legible.
	enc.SetEscapeHTML(false)
	return &Writer{w: bw, enc: enc, opt: opt, pending: map[int]*pending{}}
}

// line is one JSON object of the schema. Fields that do not apply to a
// type are omitted.
type line struct {
	V    int         `json:"v"`
	Type string      `json:"type"`
	Time json.Number `json:"time"`
	Pid  int         `json:"pid"`
	Tid  int         `json:"tid"`

	// call, enter
	Name string `json:"name,omitempty"`
	Nr   *int   `json:"nr,omitempty"`
	// Args is a pointer so that a call of no arguments (fork) has its
	// "args": [] as the schema says, and other types none.
	Args       *[]string    `json:"args,omitempty"`
	ArgsRaw    *[6]uint64   `json:"args_raw,omitempty"`
	Dur        *json.Number `json:"dur,omitempty"`
	Result     string       `json:"result,omitempty"`
	Ret        *int64       `json:"ret,omitempty"`
	Errno      string       `json:"errno,omitempty"`
	Unfinished bool         `json:"unfinished,omitempty"`

	// signal, stopped, exit
	Signal  string   `json:"signal,omitempty"`
	Siginfo *siginfo `json:"siginfo,omitempty"`
	Code    *int     `json:"code,omitempty"`
	Core    bool     `json:"core,omitempty"`
	Leader  bool     `json:"leader,omitempty"`

	// spawn
	Parent *int  `json:"parent,omitempty"`
	Child  *int  `json:"child,omitempty"`
	Thread *bool `json:"thread,omitempty"`

	// superseded
	OldTid *int `json:"old_tid,omitempty"`

	// message
	Text   *string `json:"text,omitempty"`
	Stream string  `json:"stream,omitempty"`

	Notes []string `json:"notes,omitempty"`

	// Stable says the line was written with --stable: process ids are
	// labels' numbers, times are the events' numbers.
	Stable bool `json:"stable,omitempty"`
}

// siginfo is a decoded siginfo_t; which fields are set depends on the
// signal and its code, as strace prints them.
type siginfo struct {
	Signo  string  `json:"signo"`
	Code   string  `json:"code"`
	Errno  string  `json:"errno,omitempty"`
	Pid    *int32  `json:"pid,omitempty"`
	Uid    *uint32 `json:"uid,omitempty"`
	Status *int32  `json:"status,omitempty"`
	// StatusSignal names the signal of a SIGCHLD whose child was killed,
	// dumped, stopped or continued.
	StatusSignal string  `json:"status_signal,omitempty"`
	Utime        *int64  `json:"utime,omitempty"`
	Stime        *int64  `json:"stime,omitempty"`
	Addr         *uint64 `json:"addr,omitempty"`
	Text         string  `json:"text"`
}

// Event writes the line an event completes, if any; with Immediate, at
// once.
func (w *Writer) Event(e *tracer.Event) {
	w.event(e)
	if w.opt.Immediate {
		w.Flush()
	}
}

// streams name a message's stream by the fd it was written to; 0 is
// mmtrace's own.
var streams = map[int]string{0: "mmtrace", 1: "stdout", 2: "stderr"}

func (w *Writer) event(e *tracer.Event) {
	switch e.Kind {
	case tracer.CallEnter:
		if p := w.pending[e.Tid]; p != nil {
			// A new call before the old one returned: its exit was lost.
			w.call(e.Tid, p, e.Time)
		}
		w.pending[e.Tid] = &pending{call: e.Call, at: e.Time, pid: e.Pid, notes: clean(e.Notes)}
		if w.opt.Enter {
			l := w.head(e, "enter")
			callFields(&l, e.Call)
			l.Notes = clean(e.Notes)
			w.write(&l)
		}
	case tracer.CallExit:
		p := w.pending[e.Tid]
		if p == nil {
			p = &pending{call: e.Call, at: e.Time, pid: e.Pid}
		}
		p.notes = append(p.notes, clean(e.Notes)...)
		w.call(e.Tid, p, e.Time)
	case tracer.Signal:
		l := w.head(e, "signal")
		l.Signal = sys.SignalName(e.Signal)
		l.Siginfo = newSiginfo(&e.Siginfo)
		l.Notes = clean(e.Notes)
		w.write(&l)
	case tracer.Stopped:
		l := w.head(e, "stopped")
		l.Signal = sys.SignalName(e.Signal)
		l.Notes = clean(e.Notes)
		w.write(&l)
	case tracer.Spawn:
		l := w.head(e, "spawn")
		l.Parent, l.Child, l.Thread = ptr(e.Pid), ptr(e.Child), ptr(e.Thread)
		l.Notes = clean(e.Notes)
		w.write(&l)
	case tracer.Exit:
		if p := w.pending[e.Tid]; p != nil {
			p.notes = append(p.notes, clean(e.Notes)...)
			w.call(e.Tid, p, e.Time)
		} else if e.Call != nil {
			// The tracer says the thread ended in a call this writer
			// never saw enter.
			w.call(e.Tid, &pending{call: e.Call, at: e.Time, pid: e.Pid}, e.Time)
		}
		l := w.head(e, "exit")
		if e.KilledBy != 0 {
			l.Signal = sys.SignalName(e.KilledBy)
			l.Core = e.CoreDumped
		} else {
			l.Code = ptr(e.ExitCode)
		}
		l.Leader = e.Leader
		l.Notes = clean(e.Notes)
		w.write(&l)
	case tracer.Superseded:
		// The old leader vanished in whatever call it was in; the execve
		// in flight continues under the leader's tid.
		if p := w.pending[e.Pid]; p != nil {
			w.call(e.Pid, p, e.Time)
		}
		if p := w.pending[e.OldTid]; p != nil {
			delete(w.pending, e.OldTid)
			w.pending[e.Pid] = p
		}
		l := w.head(e, "superseded")
		l.OldTid = ptr(e.OldTid)
		l.Notes = clean(e.Notes)
		w.write(&l)
	case tracer.Detached:
		// The call in flight is not seen to return: unfinished.
		if p := w.pending[e.Tid]; p != nil {
			w.call(e.Tid, p, e.Time)
		}
		l := w.head(e, "detached")
		l.Notes = clean(e.Notes)
		w.write(&l)
	case tracer.Message:
		l := w.head(e, "message")
		l.Text = ptr(clean1(e.Text))
		l.Stream = streams[e.FD]
		if l.Stream == "" {
			l.Stream = "fd " + strconv.Itoa(e.FD)
		}
		l.Notes = clean(e.Notes)
		w.write(&l)
	}
}

// Flush writes out what is buffered and returns the first error met.
// KeepsNoCalls says a call's line is encoded at its end (tracer.KeepsNoCalls).
func (w *Writer) KeepsNoCalls() {}

func (w *Writer) Flush() error {
	if err := w.w.Flush(); err != nil && w.err == nil {
		w.err = err
	}
	return w.err
}

// Close writes the calls still in flight (a trace cut short) as
// unfinished, then flushes.
func (w *Writer) Close() error {
	var last time.Duration
	for _, p := range w.pending {
		last = max(last, p.at)
	}
	for _, tid := range slices.Sorted(maps.Keys(w.pending)) {
		w.call(tid, w.pending[tid], last)
	}
	return w.Flush()
}

// call writes a call's line: returned, or unfinished at end.
func (w *Writer) call(tid int, p *pending, end time.Duration) {
	delete(w.pending, tid)
	c := p.call
	l := line{V: Version, Type: "call", Time: seconds(p.at), Pid: p.pid, Tid: tid}
	callFields(&l, c)
	d := seconds(end - p.at)
	l.Dur = &d
	if c.Done {
		l.Result = clean1(c.ResultText())
		l.Ret = ptr(c.Ret)
		if errno := c.Errno(); errno != 0 {
			l.Errno = errnoName(int64(errno))
		}
	} else {
		l.Unfinished = true
	}
	l.Notes = p.notes
	w.write(&l)
}

// callFields fills what a call line and an enter line share.
func callFields(l *line, c *sys.Call) {
	l.Name = clean1(c.Name)
	l.Nr = ptr(c.Nr)
	args := clean(c.ArgsText())
	if args == nil {
		args = []string{}
	}
	if !c.Done {
		// Before the exit, the arguments formatted at exit are "": leave
		// them and those after them out.
		n := 0
		for n < len(args) && args[n] != "" {
			n++
		}
		args = args[:n]
	}
	l.Args = &args
	raw := c.Args
	l.ArgsRaw = &raw
}

func (w *Writer) head(e *tracer.Event, typ string) line {
	return line{V: Version, Type: typ, Time: seconds(e.Time), Pid: e.Pid, Tid: e.Tid}
}

func (w *Writer) write(l *line) {
	if w.err != nil {
		return
	}
	if w.opt.Labels != nil {
		w.label(l)
	}
	// Encode writes the object and a newline; only a failing writer
	// makes it fail: line holds no value JSON cannot encode.
	if err := w.enc.Encode(l); err != nil {
		w.err = err
	}
}

func newSiginfo(si *sys.Siginfo) *siginfo {
	out := &siginfo{
		Signo: sys.SignalName(si.Signo),
		Code:  sys.CodeName(si.Signo, si.Code),
	}
	if si.Errno != 0 {
		out.Errno = errnoName(int64(si.Errno))
	}
	text := *si
	if !validErrno(int64(si.Errno)) {
		// A sender (rt_sigqueueinfo) sets si_errno to anything; only an
		// errno number is looked up by name.
		text.Errno = 0
	}
	out.Text = clean1(text.String())
	// The same cases as Siginfo.String: which union member is valid.
	const siKernel = 0x80
	switch {
	case si.Code <= 0 && si.Code != siKernel:
		out.Pid, out.Uid = ptr(si.Pid), ptr(si.Uid)
	case si.Code == siKernel:
	case si.Signo == syscall.SIGCHLD:
		out.Pid, out.Uid, out.Status = ptr(si.Pid), ptr(si.Uid), ptr(si.Status)
		if si.Code != 1 { // not CLD_EXITED: the status is a signal
			out.StatusSignal = sys.SignalName(syscall.Signal(si.Status))
		}
		out.Utime, out.Stime = ptr(si.Utime), ptr(si.Stime)
	case si.Signo == syscall.SIGSEGV || si.Signo == syscall.SIGBUS || si.Signo == syscall.SIGILL ||
		si.Signo == syscall.SIGFPE || si.Signo == syscall.SIGTRAP:
		out.Addr = ptr(si.Addr)
	}
	return out
}

// maxErrno is the largest errno the kernel returns.
const maxErrno = 4095

func validErrno(n int64) bool { return n > 0 && n <= maxErrno }

// errnoName returns an errno's symbolic name, or its number where it has
// none.
func errnoName(n int64) string {
	if validErrno(n) {
		if name := sys.ErrnoName(syscall.Errno(n)); name != "" {
			return name
		}
	}
	return strconv.FormatInt(n, 10)
}

// seconds formats d as seconds with nanosecond precision, a JSON number.
func seconds(d time.Duration) json.Number {
	neg := d < 0
	if neg {
		d = -d
	}
	s := strconv.FormatInt(int64(d/time.Second), 10) + "." + pad9(int64(d%time.Second))
	if neg {
		s = "-" + s
	}
	return json.Number(s)
}

func pad9(n int64) string {
	s := strconv.FormatInt(n, 10)
	return strings.Repeat("0", 9-len(s)) + s
}

// clean copies strs (the event's slices are the tracer's to reuse) as
// valid UTF-8.
func clean(strs []string) []string {
	if len(strs) == 0 {
		return nil
	}
	out := make([]string, len(strs))
	for i, s := range strs {
		out[i] = clean1(s)
	}
	return out
}

func clean1(s string) string { return strings.ToValidUTF8(s, "\uFFFD") }

func ptr[T any](v T) *T { return &v }

// label makes a line the same on every run: process ids become their
// labels' numbers, addresses and temporary paths in strings become labels,
// and the numbers that have no label (raw registers, the address in a
// fault's siginfo, a child's CPU times) are left out.
func (w *Writer) label(l *line) {
	lb := w.opt.Labels
	l.Stable = true
	l.Pid, l.Tid = lb.PidNumber(l.Pid), lb.PidNumber(l.Tid)
	for _, p := range []*int{l.Parent, l.Child, l.OldTid} {
		if p != nil {
			*p = lb.PidNumber(*p)
		}
	}
	if l.Args != nil {
		args := *l.Args
		for i, a := range args {
			args[i] = lb.CallText(l.Name, a)
		}
	}
	l.ArgsRaw = nil
	if l.Result != "" {
		if r := lb.CallText(l.Name, l.Result); r != l.Result {
			l.Result, l.Ret = r, nil // an address or a pid
		}
	}
	for i, n := range l.Notes {
		l.Notes[i] = lb.Note(n)
	}
	if l.Text != nil {
		l.Text = ptr(lb.Message(*l.Text))
	}
	if si := l.Siginfo; si != nil {
		si.Text = lb.Note(si.Text)
		if si.Pid != nil {
			si.Pid = ptr(int32(lb.PidNumber(int(*si.Pid))))
		}
		si.Addr, si.Utime, si.Stime = nil, nil, nil
	}
}
