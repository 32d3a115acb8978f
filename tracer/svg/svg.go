// Package svg draws a trace as one self-contained SVG picture, for a
// teacher's projector: a lane per process, its calls as marks along a time
// axis, its mappings as bars that live from the mmap that made them to the
// munmap, execve or exit that ended them, arrows from each fork to the
// child's lane and from each child's exit back to the wait that reaped it,
// failed calls in red and signals as orange diamonds. Every mark carries
// the decoded call and its explanation (the event's notes) as a tooltip.
//
// The picture needs nothing but a browser: no script, no font, no link.
//
// The time axis is stretched where calls are dense: each moment of the
// trace gets a little room of its own, and the rest of the width is shared
// in proportion to real time, so a burst of calls stays legible and a long
// wait still looks long. The ticks give the real times.
//
// The mappings come from a model.Model the renderer keeps itself, fed from
// the same events: it reads /proc at each call's entry (page faults) and
// when it first meets a process.
package svg

import (
	"bufio"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/mmtrace/mmtrace/internal/escape"
	"github.com/mmtrace/mmtrace/tracer"
	"github.com/mmtrace/mmtrace/tracer/explain"
	"github.com/mmtrace/mmtrace/tracer/model"
	"github.com/mmtrace/mmtrace/tracer/sys"
)

// Options changes the picture.
type Options struct {
	// Title heads the picture: the scenario or the command traced.
	Title string
	// Name names the first process until it execs (a scenario's name).
	// Both are shown escaped (internal/escape): a command's name is
	// anything its user typed.
	Name string
	// Model, when set, is a model the pipeline shares and applies before
	// this sink (see model.Model.Event); nil: the renderer keeps its own.
	Model *model.Model
	// Lang is the language of the picture's own words (title, legend,
	// lanes); the notes come in the language the annotator wrote them.
	Lang explain.Lang
	// Stable is handout mode (--stable): processes P1, P2, addresses A1,
	// no times, the number of repeats unsaid; StableDir shows as $DIR.
	Stable    bool
	StableDir string
}

// Renderer is a tracer.Sink that collects a trace; Close draws it.
type Renderer struct {
	w   io.Writer
	opt Options
	m   model.Shared

	procs map[int]*proc
	order []int // pids as first seen
	calls []*call
	open  map[int]*call // by tid: the call in flight
	sigs  []*signal
	bars  []*bar
	live  map[int][]*bar // by pid: the mappings alive
	last  time.Duration
	// shown: by tid, the thread's last call if nothing of the thread came
	// after it: the call a repeat folds into.
	shown map[int]*call
	lab   labels
}

// proc is one process: one lane.
type proc struct {
	pid, parent int
	name        string
	forked      bool
	startAt     time.Duration
	endAt       time.Duration
	ended       bool
	exit        string // "exited with 0", "killed by SIGBUS", "detached"
	killed      bool
	// detached: the trace let the process go (-b execve, a new process
	// not followed); it runs on untraced, its lane ends there.
	detached bool
	// faults: the page faults counted at its last call's entry.
	faults bool
	minflt uint64
	majflt uint64
	// says: the first line the process wrote to stdout or stderr, for
	// the lane's caption (a copy child says which part it copies).
	says     string
	forkCall *call // the parent's call that created it
	reapCall *call // the wait that reaped it
}

// call is one call of a thread, as a mark.
type call struct {
	pid, tid   int
	name       string
	t0, t1     time.Duration
	done       bool
	unfinished bool
	restarted  bool // interrupted by a signal, to be restarted
	text       string
	errno      string
	notes      []string
	// reps: the same call, same result and notes, made again this many
	// times right after (a polling loop), folded into this mark.
	reps int
}

// signal is a signal delivered.
type signal struct {
	pid, tid int
	t        time.Duration
	name     string
	text     string
	fault    bool // SIGSEGV, SIGBUS, ...: the process touched memory
	quiet    bool // SIGCHLD: drawn small, not labelled
	where    string
	notes    []string
}

// bar is a mapping's life in one process: from the call that made it (or
// the fork that copied it) until nothing of it is left. A munmap or a
// MAP_FIXED mmap over part of it shrinks it without ending it.
type bar struct {
	pid       int
	t0, t1    time.Duration
	ended     bool
	ranges    [][2]uint64 // what is left of it: [start, end) pieces
	kind      string
	path      string
	prot      int
	shared    bool
	inherited bool
	made      string   // the call that made it, or the fork that copied it
	cuts      []string // the calls that took parts of it away
	endedBy   string
}

// size is what is left of the mapping, in bytes.
func (b *bar) size() uint64 {
	var n uint64
	for _, rg := range b.ranges {
		n += rg[1] - rg[0]
	}
	return n
}

// New returns a renderer that draws the trace to w at Close.
func New(w io.Writer, opt Options) *Renderer {
	opt.Title, opt.Name = escape.Message(opt.Title), escape.String(opt.Name)
	return &Renderer{
		w: w, opt: opt, m: model.Use(opt.Model),
		procs: map[int]*proc{}, open: map[int]*call{}, live: map[int][]*bar{}, shown: map[int]*call{},
		lab: labels{stable: opt.Stable, dir: opt.StableDir, pids: map[int]int{}, addrs: map[string]string{}},
	}
}

func (r *Renderer) proc(pid int, at time.Duration) *proc {
	p := r.procs[pid]
	if p == nil {
		p = &proc{pid: pid, startAt: at}
		if len(r.procs) == 0 {
			p.name = r.opt.Name
		}
		r.procs[pid] = p
		r.order = append(r.order, pid)
	}
	return p
}

// Event records one event.
func (r *Renderer) Event(e *tracer.Event) {
	if e.Kind == tracer.Message {
		// A line a process printed (mmtrace's own report has no
		// process): its first is the lane's caption. Nothing to draw,
		// and no lane made for it.
		if p := r.procs[e.Pid]; p != nil && e.Pid != 0 && p.says == "" {
			p.says = r.lab.text(e.Text, false)
		}
		return
	}
	r.lab.see(e)
	r.last = max(r.last, e.Time)
	p := r.proc(e.Pid, e.Time)
	ch := r.m.Apply(e)
	if e.Kind == tracer.CallEnter {
		// The model reads the counters at each call's entry; a process
		// that made no call has none to show.
		if mp := r.m.M.Process(e.Pid); mp != nil {
			p.faults, p.minflt, p.majflt = true, mp.MinFlt, mp.MajFlt
		}
	}
	switch e.Kind {
	case tracer.CallEnter:
		if c := r.open[e.Tid]; c != nil {
			r.finish(c, e.Time, nil)
		}
		// The text as it would print if the call never returned
		// (exit_group): it has the arguments known at entry.
		c := &call{pid: e.Pid, tid: e.Tid, name: clean(e.Call.Name), t0: e.Time, text: r.text(e.Call.String()), notes: r.texts(e.Notes)}
		r.calls = append(r.calls, c)
		r.open[e.Tid] = c
	case tracer.CallExit:
		c := r.open[e.Tid]
		if c == nil {
			return
		}
		r.finish(c, e.Time, e)
		r.called(p, e, ch)
		r.fold(e.Tid, c, ch)
	case tracer.Signal:
		s := &signal{
			pid: e.Pid, tid: e.Tid, t: e.Time, name: sys.SignalName(e.Signal),
			text: r.text(e.Siginfo.String()), notes: r.texts(e.Notes),
		}
		delete(r.shown, e.Tid)
		switch e.Signal {
		case syscall.SIGSEGV, syscall.SIGBUS, syscall.SIGILL, syscall.SIGFPE:
			s.fault = true
			if mp := r.m.M.Process(e.Pid); mp != nil {
				if m := mp.Lookup(e.Siginfo.Addr); m != nil {
					s.where = r.tr("in") + " " + r.kind(describe(m.Kind(), r.lab.text(escape.String(m.Path), false))) + " " + r.addrRange(m.Start, m.End)
				} else {
					s.where = r.tr("in no mapping")
				}
			}
		case syscall.SIGCHLD:
			s.quiet = true
		}
		r.sigs = append(r.sigs, s)
	case tracer.Stopped:
		r.sigs = append(r.sigs, &signal{pid: e.Pid, tid: e.Tid, t: e.Time, name: r.tr("stopped by") + " " + sys.SignalName(e.Signal), notes: r.texts(e.Notes)})
		delete(r.shown, e.Tid)
	case tracer.Spawn:
		if e.Thread {
			return
		}
		child := r.proc(e.Child, e.Time)
		child.parent, child.forked, child.name, child.startAt = e.Pid, true, p.name, e.Time
		child.forkCall = r.open[e.Tid]
		for _, b := range r.live[e.Pid] {
			nb := *b
			nb.pid, nb.t0, nb.inherited, nb.made = e.Child, e.Time, true, fmt.Sprintf(r.tr("inherited across fork from %s"), r.pidName(e.Pid))
			nb.ranges, nb.cuts = slices.Clone(b.ranges), nil
			r.addBar(&nb)
		}
	case tracer.Exit:
		if c := r.open[e.Tid]; c != nil {
			r.finish(c, e.Time, nil)
		}
		delete(r.shown, e.Tid)
		if e.Leader {
			p.ended, p.endAt = true, e.Time
			switch {
			case e.KilledBy != 0 && e.CoreDumped:
				p.exit, p.killed = fmt.Sprintf(r.tr("killed by %s (core dumped)"), sys.SignalName(e.KilledBy)), true
			case e.KilledBy != 0:
				p.exit, p.killed = fmt.Sprintf(r.tr("killed by %s"), sys.SignalName(e.KilledBy)), true
			default:
				p.exit = fmt.Sprintf(r.tr("exited with %d"), e.ExitCode)
			}
			r.endAll(e.Pid, e.Time, p.exit)
		}
	case tracer.Detached:
		// The call in flight is not seen to return; nothing more of the
		// process comes. Its lane ends with a mark of its own.
		if c := r.open[e.Tid]; c != nil {
			r.finish(c, e.Time, nil)
			if e.Call != nil {
				c.text = r.text(e.Call.EnteredText() + " <detached ...>")
			}
		}
		delete(r.shown, e.Tid)
		p.ended, p.endAt, p.detached = true, e.Time, true
		p.exit = r.tr("detached: runs on untraced")
		r.endAll(e.Pid, e.Time, p.exit)
	case tracer.Superseded:
		if c := r.open[e.Pid]; c != nil {
			r.finish(c, e.Time, nil)
		}
		if c := r.open[e.OldTid]; c != nil {
			delete(r.open, e.OldTid)
			r.open[e.Pid] = c
		}
	}
}

// finish ends a call's mark: at its exit, or (exit nil) unfinished.
func (r *Renderer) finish(c *call, t time.Duration, exit *tracer.Event) {
	for tid, o := range r.open {
		if o == c {
			delete(r.open, tid)
		}
	}
	c.t1 = t
	if exit == nil {
		c.unfinished = true
		return
	}
	sc := exit.Call
	c.done = true
	c.text = r.text(sc.String())
	if errno := sc.Errno(); errno >= 512 && errno <= 516 {
		// ERESTARTSYS and its kin: a signal interrupted the call, which
		// the kernel restarts; no mistake of the program's.
		c.restarted = true
	} else if errno != 0 {
		c.errno = sys.ErrnoName(errno)
		if c.errno == "" {
			c.errno = "errno " + strconv.Itoa(int(errno))
		}
	}
	c.notes = append(c.notes, r.texts(exit.Notes)...)
}

// called follows what a returned call did to the process and its
// mappings.
func (r *Renderer) called(p *proc, e *tracer.Event, ch model.Change) {
	c := e.Call
	if c.Errno() != 0 {
		return
	}
	for _, rm := range ch.Removed {
		r.endRange(e.Pid, rm.Start, rm.End, e.Time, r.text(c.String()))
	}
	if a := ch.Added; a != nil && !a.Initial {
		r.addBar(&bar{
			pid: e.Pid, t0: e.Time, ranges: [][2]uint64{{a.Start, a.End}}, kind: a.Kind(), path: r.lab.text(escape.String(a.Path), false),
			prot: a.Prot, shared: a.Shared, made: r.text(c.String()),
		})
	}
	args := c.ArgsText()
	switch c.Name {
	case "execve", "execveat":
		// The address space is new; its mappings are the program's,
		// not the trace's.
		r.endAll(e.Pid, e.Time, r.text(c.String()))
		i := 0
		if c.Name == "execveat" {
			i = 1
		}
		if i < len(args) {
			p.name = escape.String(baseName(unquote(args[i])))
		}
	case "write":
		if p.says == "" && len(args) > 1 && (c.Args[0] == 1 || c.Args[0] == 2) {
			p.says = r.lab.text(escape.String(strings.TrimSuffix(unquote(args[1]), "\n")), true)
		}
	case "wait4":
		if q := r.procs[int(c.Ret)]; q != nil && c.Ret > 0 && q.reapCall == nil {
			q.reapCall = r.lastCall(e.Tid)
		}
	}
}

// fold folds c, which just returned, into the thread's previous call when
// it is the same call again with the same result and notes and changed no
// mapping: a polling loop is one mark, its repeats counted.
func (r *Renderer) fold(tid int, c *call, ch model.Change) {
	prev := r.shown[tid]
	r.shown[tid] = c
	if prev == nil || !prev.done || !c.done || c.restarted || prev.text != c.text || prev.errno != c.errno ||
		!slices.Equal(prev.notes, c.notes) || ch.Added != nil || len(ch.Removed) > 0 {
		return
	}
	for i := len(r.calls) - 1; i >= 0; i-- {
		if r.calls[i] == c {
			r.calls = append(r.calls[:i], r.calls[i+1:]...)
			break
		}
	}
	prev.reps++
	prev.t1 = c.t1
	r.shown[tid] = prev
}

// lastCall returns the latest call of tid.
func (r *Renderer) lastCall(tid int) *call {
	for i := len(r.calls) - 1; i >= 0; i-- {
		if r.calls[i].tid == tid {
			return r.calls[i]
		}
	}
	return nil
}

func (r *Renderer) addBar(b *bar) {
	r.bars = append(r.bars, b)
	r.live[b.pid] = append(r.live[b.pid], b)
}

// endRange takes [start, end) out of pid's mappings at t: a mapping with
// nothing left ends there, one cut in part lives on, smaller.
func (r *Renderer) endRange(pid int, start, end uint64, t time.Duration, why string) {
	kept := r.live[pid][:0]
	for _, b := range r.live[pid] {
		var left [][2]uint64
		cut := false
		for _, rg := range b.ranges {
			if rg[1] <= start || rg[0] >= end {
				left = append(left, rg)
				continue
			}
			cut = true
			if rg[0] < start {
				left = append(left, [2]uint64{rg[0], start})
			}
			if rg[1] > end {
				left = append(left, [2]uint64{end, rg[1]})
			}
		}
		if !cut {
			kept = append(kept, b)
			continue
		}
		if len(left) == 0 {
			b.t1, b.ended, b.endedBy = t, true, why
			continue
		}
		b.ranges = left
		b.cuts = append(b.cuts, duration(t)+": "+why)
		kept = append(kept, b)
	}
	r.live[pid] = kept
}

// endAll ends every mapping of pid at t.
func (r *Renderer) endAll(pid int, t time.Duration, why string) {
	for _, b := range r.live[pid] {
		b.t1, b.ended, b.endedBy = t, true, why
	}
	delete(r.live, pid)
}

// Flush does nothing: the picture is drawn at Close.
func (r *Renderer) Flush() error { return nil }

// Close draws the picture to w.
func (r *Renderer) Close() error {
	for _, c := range r.open {
		c.t1, c.unfinished = r.last, true
	}
	r.open = map[int]*call{}
	bw := bufio.NewWriter(r.w)
	r.draw(bw)
	return bw.Flush()
}

func baseName(p string) string {
	p = strings.TrimRight(p, "/")
	if i := strings.LastIndexByte(p, '/'); i >= 0 {
		return p[i+1:]
	}
	return p
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

func cleanAll(ss []string) []string {
	out := make([]string, 0, len(ss))
	for _, s := range ss {
		out = append(out, clean(s))
	}
	return out
}
