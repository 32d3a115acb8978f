// Package perfetto writes a trace as a Chrome trace-event JSON file, which
// ui.perfetto.dev and chrome://tracing open: a track per process and per
// thread, a slice per call (from its entry to its exit), arrows (flow
// events) from each fork to the child's first call and from each child's
// last call to the wait that reaped it, instant events for signals and
// exits, and, optionally, a counter track of each process's page faults.
//
// The file is written whole at the end (Close): a viewer needs the closing
// bracket, and the metadata naming a process is known only once it has
// exec'd. The events are kept in memory until then.
//
// Format: https://docs.google.com/document/d/1CvAClvFfyA5R-PhYUmn5OOQtYMH4h6I0nSsKchNAySU
// (the Trace Event Format); timestamps are microseconds since the trace
// started.
package perfetto

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"path"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/mmtrace/mmtrace/internal/escape"
	"github.com/mmtrace/mmtrace/tracer"
	"github.com/mmtrace/mmtrace/tracer/model"
	"github.com/mmtrace/mmtrace/tracer/sys"
)

// Options changes what is written.
type Options struct {
	// Faults adds a counter track of page faults per process, read from
	// /proc at every call's entry (through a model.Model).
	Faults bool
	// Name names the first process's track until it execs: the scenario
	// or the program traced. It is shown escaped (internal/escape), as
	// every name is.
	Name string
	// Model, when set, is a model the pipeline shares and applies before
	// this sink (see model.Model.Event); nil: the writer keeps its own.
	Model *model.Model
}

// Writer is a tracer.Sink that collects a trace and writes it as trace
// events at Close.
type Writer struct {
	w   io.Writer
	opt Options

	events []event
	// open holds, by tid, the index in events of the slice of the call
	// in flight.
	open  map[int]int
	procs map[int]*proc
	order []int // pids as first seen
	model *model.Shared
	last  time.Duration
}

// proc is what the writer learns of a process.
type proc struct {
	pid, parent int
	name        string
	threads     []int
	// forkAt: when its parent's fork created it; forkSlice the index in
	// events of the call that forked it (-1 if not traced).
	forkAt    time.Duration
	forkSlice int
	forked    bool
	// first, lastSlice: indexes in events of its first and last slices,
	// -1 if none.
	first, lastSlice int
	// reapedBy: the index of the wait4 slice that reaped it, -1 if none.
	reapedBy int
	// exitAt: when its last thread ended.
	exitAt time.Duration
}

// event is one trace event; fields that do not apply are left out.
type event struct {
	Name string `json:"name,omitempty"`
	Cat  string `json:"cat,omitempty"`
	Ph   string `json:"ph"`
	Ts   micros `json:"ts"`
	// Dur is set on complete ("X") slices, in microseconds.
	Dur   *micros        `json:"dur,omitempty"`
	Pid   int            `json:"pid"`
	Tid   int            `json:"tid"`
	ID    string         `json:"id,omitempty"`
	BP    string         `json:"bp,omitempty"`
	Scope string         `json:"s,omitempty"`
	Args  map[string]any `json:"args,omitempty"`

	// Not written: the slice's end, for placing the flows.
	end time.Duration
}

// micros is a time in microseconds, written with nanosecond precision
// from the integer, so that one thread's consecutive slices never seem to
// overlap by a rounding error.
type micros time.Duration

func (m micros) MarshalJSON() ([]byte, error) {
	ns := int64(m)
	s := strconv.FormatInt(ns/1000, 10)
	if frac := ns % 1000; frac != 0 {
		s += "." + strings.TrimRight(fmt.Sprintf("%03d", frac), "0")
	}
	return []byte(s), nil
}

// New returns a writer that writes the trace to w at Close.
func New(w io.Writer, opt Options) *Writer {
	opt.Name = escape.String(opt.Name)
	wr := &Writer{w: w, opt: opt, open: map[int]int{}, procs: map[int]*proc{}}
	if opt.Faults {
		m := model.Use(opt.Model)
		wr.model = &m
	}
	return wr
}

func (w *Writer) proc(pid int) *proc {
	p := w.procs[pid]
	if p == nil {
		p = &proc{pid: pid, first: -1, lastSlice: -1, reapedBy: -1, forkSlice: -1}
		if len(w.procs) == 0 {
			p.name = w.opt.Name
		}
		w.procs[pid] = p
		w.order = append(w.order, pid)
	}
	return p
}

func (w *Writer) thread(p *proc, tid int) {
	if !slices.Contains(p.threads, tid) {
		p.threads = append(p.threads, tid)
	}
}

// Event records one event.
func (w *Writer) Event(e *tracer.Event) {
	if e.Kind == tracer.Message {
		return // a line of text: nothing to draw or count
	}
	w.last = max(w.last, e.Time)
	p := w.proc(e.Pid)
	w.thread(p, e.Tid)
	if w.model != nil {
		w.model.Apply(e)
		if e.Kind == tracer.CallEnter {
			if mp := w.model.M.Process(e.Pid); mp != nil {
				w.events = append(w.events, event{
					Name: "page faults", Ph: "C", Ts: micros(e.Time), Pid: e.Pid, Tid: e.Pid,
					Args: map[string]any{"minor": mp.MinFlt, "major": mp.MajFlt},
				})
			}
		}
	}
	switch e.Kind {
	case tracer.CallEnter:
		if i, ok := w.open[e.Tid]; ok {
			w.end(i, e.Time, nil)
		}
		c := e.Call
		w.open[e.Tid] = len(w.events)
		if p.first < 0 {
			p.first = len(w.events)
		}
		p.lastSlice = len(w.events)
		w.events = append(w.events, event{
			Name: clean(c.Name), Cat: "syscall", Ph: "X", Ts: micros(e.Time), Pid: e.Pid, Tid: e.Tid,
			// The call as it prints if it never returns (exit_group);
			// its exit replaces it.
			Args: map[string]any{"call": clean(c.String()), "notes": notes(nil, e.Notes)},
		})
	case tracer.CallExit:
		i, ok := w.open[e.Tid]
		if !ok {
			return
		}
		w.end(i, e.Time, e)
		c := e.Call
		if c.Errno() == 0 && c.Done {
			switch c.Name {
			case "wait4":
				if child := w.procs[int(c.Ret)]; child != nil && c.Ret > 0 {
					child.reapedBy = i
				}
			case "execve", "execveat":
				i := 0 // the path: execve(path, ...), execveat(dirfd, path, ...)
				if c.Name == "execveat" {
					i = 1
				}
				if args := c.ArgsText(); i < len(args) {
					// JSON could carry any bytes, but a viewer
					// shows the name: escaped as strace would.
					p.name = escape.String(path.Base(unquote(args[i])))
				}
			}
		}
	case tracer.Signal:
		w.instant(e, sys.SignalName(e.Signal), "signal", map[string]any{
			"siginfo": clean(e.Siginfo.String()), "notes": notes(nil, e.Notes),
		})
	case tracer.Stopped:
		w.instant(e, "stopped by "+sys.SignalName(e.Signal), "signal", nil)
	case tracer.Spawn:
		if e.Thread {
			w.thread(p, e.Child)
			return
		}
		child := w.proc(e.Child)
		child.parent, child.name = e.Pid, p.name
		child.forked, child.forkAt = true, e.Time
		if i, ok := w.open[e.Tid]; ok {
			child.forkSlice = i // the fork, clone or vfork in flight
		}
		w.thread(child, e.Child)
	case tracer.Exit:
		if i, ok := w.open[e.Tid]; ok {
			w.end(i, e.Time, nil)
		}
		var what string
		switch {
		case e.KilledBy != 0 && e.CoreDumped:
			what = "killed by " + sys.SignalName(e.KilledBy) + " (core dumped)"
		case e.KilledBy != 0:
			what = "killed by " + sys.SignalName(e.KilledBy)
		default:
			what = fmt.Sprintf("exited with %d", e.ExitCode)
		}
		w.instant(e, what, "exit", map[string]any{"notes": notes(nil, e.Notes)})
		if e.Leader {
			p.exitAt = e.Time
		}
	case tracer.Detached:
		// The trace let the process go: the call in flight is not seen
		// to return, and the track ends with a mark that says so (the
		// process runs on, untraced: not an exit).
		if i, ok := w.open[e.Tid]; ok {
			w.end(i, e.Time, nil)
			w.events[i].Args["detached"] = true
			if e.Call != nil {
				w.events[i].Args["call"] = clean(e.Call.EnteredText() + " <detached ...>")
			}
		}
		w.instant(e, "detached", "detached", map[string]any{"notes": notes(nil, e.Notes)})
		p.exitAt = e.Time
	case tracer.Superseded:
		if i, ok := w.open[e.Pid]; ok {
			w.end(i, e.Time, nil)
		}
		if i, ok := w.open[e.OldTid]; ok {
			// The execve in flight returns under the leader's tid; its
			// slice stays on the thread that entered it.
			delete(w.open, e.OldTid)
			w.open[e.Pid] = i
		}
		w.instant(e, "superseded by execve", "exit", map[string]any{"old_tid": e.OldTid})
	}
}

// end closes slice i at t; exit is the call's exit event, nil if the call
// never returned.
func (w *Writer) end(i int, t time.Duration, exit *tracer.Event) {
	ev := &w.events[i]
	for tid, j := range w.open {
		if j == i {
			delete(w.open, tid)
		}
	}
	d := micros(t - time.Duration(ev.Ts))
	ev.Dur, ev.end = &d, t
	if exit == nil {
		ev.Args["unfinished"] = true
		return
	}
	c := exit.Call
	ev.Args["call"] = clean(c.String())
	ev.Args["result"] = clean(c.ResultText())
	if errno := c.Errno(); errno != 0 {
		ev.Args["errno"] = sys.ErrnoName(errno)
		ev.Cat = "syscall,error"
	}
	ev.Args["notes"] = notes(ev.Args["notes"].([]string), exit.Notes)
	if len(ev.Args["notes"].([]string)) == 0 {
		delete(ev.Args, "notes")
	}
}

func (w *Writer) instant(e *tracer.Event, name, cat string, args map[string]any) {
	if n, ok := args["notes"].([]string); ok && len(n) == 0 {
		delete(args, "notes")
	}
	w.events = append(w.events, event{
		Name: name, Cat: cat, Ph: "i", Scope: "t", Ts: micros(e.Time), Pid: e.Pid, Tid: e.Tid, Args: args,
	})
}

// Flush does nothing: the file is written at Close.
func (w *Writer) Flush() error { return nil }

// file is the JSON object format of the trace-event file.
type file struct {
	TraceEvents     []event `json:"traceEvents"`
	DisplayTimeUnit string  `json:"displayTimeUnit"`
}

// Close ends the slices still open and writes the file.
func (w *Writer) Close() error {
	for _, i := range w.open {
		w.end(i, w.last, nil)
	}
	out := w.metadata()
	out = append(out, w.events...)
	out = append(out, w.flows()...)
	for i := range out {
		if out[i].Args != nil {
			if n, ok := out[i].Args["notes"].([]string); ok && len(n) == 0 {
				delete(out[i].Args, "notes")
			}
		}
	}
	bw := bufio.NewWriter(w.w)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(file{TraceEvents: out, DisplayTimeUnit: "ms"}); err != nil {
		return err
	}
	return bw.Flush()
}

// metadata names the process and thread tracks and orders the processes
// as they appeared.
func (w *Writer) metadata() []event {
	var out []event
	for i, pid := range w.order {
		p := w.procs[pid]
		// The viewers show the pid after the name.
		name := p.name
		if name == "" {
			name = "process"
		}
		if p.forked {
			name += fmt.Sprintf(" (child of %d)", p.parent)
		}
		out = append(out,
			event{Name: "process_name", Ph: "M", Pid: pid, Tid: pid, Args: map[string]any{"name": name}},
			event{Name: "process_sort_index", Ph: "M", Pid: pid, Tid: pid, Args: map[string]any{"sort_index": i}},
		)
		for _, tid := range p.threads {
			tname := p.name
			if tid != pid || tname == "" {
				tname = fmt.Sprintf("thread %d", tid)
			}
			out = append(out, event{Name: "thread_name", Ph: "M", Pid: pid, Tid: tid, Args: map[string]any{"name": tname}})
		}
	}
	return out
}

// flows draws the arrows: fork → the child's first call, the child's last
// call → the wait that reaped it. A viewer binds a flow's start to the
// slice open on its thread at that moment, and its finish ("bp":"e") to
// the slice enclosing it; each end is placed strictly inside its slice, as
// a viewer may close a slice before or after an event at its very end.
func (w *Writer) flows() []event {
	var out []event
	id := 0
	flow := func(name, cat string, from, to int, fromAt, toAt time.Duration) {
		id++
		a, b := &w.events[from], &w.events[to]
		out = append(out,
			event{Name: name, Cat: cat, Ph: "s", ID: strconv.Itoa(id), Ts: inside(a, fromAt), Pid: a.Pid, Tid: a.Tid},
			event{Name: name, Cat: cat, Ph: "f", BP: "e", ID: strconv.Itoa(id), Ts: inside(b, toAt), Pid: b.Pid, Tid: b.Tid},
		)
	}
	for _, pid := range w.order {
		p := w.procs[pid]
		if p.forkSlice >= 0 && p.first >= 0 {
			flow("fork", "fork", p.forkSlice, p.first, p.forkAt, p.forkAt)
		}
		if p.reapedBy >= 0 && p.lastSlice >= 0 {
			flow("reap", "wait", p.lastSlice, p.reapedBy, p.exitAt, p.exitAt)
		}
	}
	return out
}

// inside returns t moved into the open interval of slice e.
func inside(e *event, t time.Duration) micros {
	lo, hi := time.Duration(e.Ts), e.end
	if hi-lo < 2 {
		return e.Ts
	}
	return micros(min(max(t, lo+1), hi-1))
}

func notes(old, add []string) []string {
	out := append([]string{}, old...)
	for _, n := range add {
		out = append(out, clean(n))
	}
	return out
}

// unquote undoes strace's quoting of a string argument: the bytes it
// stands for, only the part shown when strace cut it ("abc"...), or s as
// it is when it is no string (an address that could not be read).
func unquote(s string) string {
	if u, ok := escape.Unquote(strings.TrimSuffix(s, "...")); ok {
		return u
	}
	return s
}

func clean(s string) string { return strings.ToValidUTF8(s, "\uFFFD") }
