// Package annotate is the classroom layer's sink: placed before the
// renderers, it keeps the address-space model up to date from the events
// and adds, under each event, the lines a class reads: the explanation,
// the page faults the process took, the table of its mappings.
package annotate

import (
	"fmt"

	"github.com/mmtrace/mmtrace/internal/escape"
	"github.com/mmtrace/mmtrace/tracer"
	"github.com/mmtrace/mmtrace/tracer/explain"
	"github.com/mmtrace/mmtrace/tracer/model"
)

// Options choose the notes.
type Options struct {
	Explain bool // what each call did and why it matters
	Faults  bool // page faults since the process's previous call, and where they went
	// FaultsEverywhere also shows the faults of the calls at which no
	// mapping the process made with mmap gained a page: those of the
	// program's own code, stack and heap. Without it a scenario shows the
	// lesson's faults, not those of the Go program its processes are
	// copies of (each fork faults its code and stack in again).
	FaultsEverywhere bool
	Maps             bool // the process's mappings after each change
	// Stable leaves out of the mappings table what changes from run to
	// run (--stable): how many mappings a process had before the trace
	// saw it, which for a scenario's process depends on mmtrace's own.
	Stable bool
	Lang   explain.Lang
	// Model, when set, is a model the pipeline shares and applies before
	// this sink (see model.Model.Event); nil: the annotator keeps its own.
	Model *model.Model
}

// Annotator is a tracer.Sink that adds notes to events.
type Annotator struct {
	opt Options
	m   model.Shared
	x   *explain.Explainer
	// faults holds, per thread, the fault line taken at a call's entry,
	// shown under the call when it returns.
	faults map[int][]string
}

// New returns an annotator with a fresh model.
func New(opt Options) *Annotator {
	m := model.Use(opt.Model)
	if opt.Faults {
		// Where the faults went: the model follows the pages of the
		// mappings the trace saw made.
		m.M.Residency = true
	}
	return &Annotator{opt: opt, m: m, x: explain.New(opt.Lang, m.M), faults: map[int][]string{}}
}

// ShowsFaults says whether the annotator shows page faults, and so needs
// the model to read them.
func (a *Annotator) ShowsFaults() bool { return a.opt.Faults }

// Event updates the model and adds the notes.
func (a *Annotator) Event(e *tracer.Event) {
	ch := a.m.Apply(e)
	switch e.Kind {
	case tracer.Spawn:
		// The explainer notes what the child got now: the child may run
		// and exit before the parent's fork returns.
		a.x.Notes(e, ch)
	case tracer.CallEnter:
		if a.opt.Faults {
			n := a.x.Notes(e, ch)
			if len(n) > 0 && (a.opt.FaultsEverywhere || len(ch.Gains) > 0) {
				a.faults[e.Tid] = n
			}
		}
		return
	case tracer.CallExit:
		if a.opt.Explain {
			e.Notes = append(e.Notes, a.x.Notes(e, ch)...)
		}
		e.Notes = append(e.Notes, a.faults[e.Tid]...)
		delete(a.faults, e.Tid)
		if a.opt.Maps && ch.Proc != nil && (ch.Added != nil || len(ch.Removed) > 0 || e.Call.IsExec()) {
			e.Notes = append(e.Notes, table(ch.Proc, a.opt.Lang, a.opt.Stable)...)
		}
	case tracer.Exit:
		if a.opt.Explain {
			e.Notes = append(e.Notes, a.x.Notes(e, ch)...)
		}
		e.Notes = append(e.Notes, a.faults[e.Tid]...)
		delete(a.faults, e.Tid)
	case tracer.Signal:
		if a.opt.Explain {
			e.Notes = append(e.Notes, a.x.Notes(e, ch)...)
		}
	}
}

// Flush does nothing.
func (a *Annotator) Flush() error { return nil }

// KeepsNoCalls says the annotator keeps no call past its end: its notes
// are strings (tracer.KeepsNoCalls).
func (a *Annotator) KeepsNoCalls() {}

// table lists the mappings the trace saw made, and counts the others.
func table(p *model.Process, lang explain.Lang, stable bool) []string {
	head, rest := "mappings of %d:", "(and %d mappings it had before: program, libraries, stack)"
	if lang == explain.ZH {
		head, rest = "进程 %d 的映射：", "（另有 %d 个之前就有的映射：程序、库、栈）"
	}
	if stable {
		rest = "(and the mappings it had before: program, libraries, stack)"
		if lang == explain.ZH {
			rest = "（另有之前就有的映射：程序、库、栈）"
		}
	}
	lines := []string{fmt.Sprintf(head, p.Pid)}
	initial := 0
	for _, mp := range p.Maps {
		if mp.Initial {
			initial++
			continue
		}
		// The path escaped as in the notes: a file name could hold a
		// newline (a forged timeline line) or an escape sequence.
		mp.Path = escape.String(mp.Path)
		lines = append(lines, "  "+mp.String())
	}
	switch {
	case initial > 0 && stable:
		lines = append(lines, "  "+rest)
	case initial > 0:
		lines = append(lines, "  "+fmt.Sprintf(rest, initial))
	}
	return lines
}
