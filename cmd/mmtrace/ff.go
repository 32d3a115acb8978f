package main

import (
	"strconv"
	"sync"

	"github.com/mmtrace/mmtrace/tracer"
	"github.com/mmtrace/mmtrace/tracer/explain"
	"github.com/mmtrace/mmtrace/tracer/text"
)

// ffTimeline is strace -ff's output: each thread's lines in a file of its
// own, PREFIX.TID, opened at the thread's first line. Each file is an
// outputFile, written under a temporary name and renamed into place
// when the trace is complete, as -o FILE is; if the trace fails, none is.
type ffTimeline struct {
	prefix string
	opt    text.Options
	lang   explain.Lang

	// The tracer's goroutine adds files; a signal's handling (unblock,
	// abort) reads them.
	mu    sync.Mutex
	files []*outputFile
	byTid map[int]*text.Renderer
	err   error // the first file that could not be opened
}

func newFFTimeline(prefix string, opt text.Options, lang explain.Lang) *ffTimeline {
	// Files: no colour, no wrapping, written in blocks.
	opt.Color, opt.Width, opt.Immediate = false, 0, false
	return &ffTimeline{prefix: prefix, opt: opt, lang: lang, byTid: map[int]*text.Renderer{}}
}

// Event passes e to its thread's timeline. The superseded line and the
// leader's lines after it go to the leader's file.
func (t *ffTimeline) Event(e *tracer.Event) {
	tid := e.Tid
	switch e.Kind {
	case tracer.Spawn:
		return
	case tracer.Superseded:
		// The leader's line, as strace writes it: into PREFIX.LEADER,
		// whose file the execing thread takes over.
		tid = e.Pid
	case tracer.Message:
		if e.Pid == 0 {
			return // mmtrace's own lines belong to no thread
		}
	}
	r := t.byTid[tid]
	if r == nil {
		r = t.open(tid)
		if r == nil {
			return
		}
	}
	r.Event(e)
}

// open opens PREFIX.TID and its renderer; nil if the file could not be
// opened, which fails the trace at the next Flush.
func (t *ffTimeline) open(tid int) *text.Renderer {
	if t.err != nil {
		return nil
	}
	path := t.prefix + "." + strconv.Itoa(tid)
	if err := sameFiles(t.lang, []outputRequest{{"-ff -o", path}}); err != nil {
		t.err = err
		return nil
	}
	o, err := openOutput(t.lang, "-ff -o", path)
	if err != nil {
		t.err = err
		return nil
	}
	t.mu.Lock()
	t.files = append(t.files, o)
	t.mu.Unlock()
	r := text.NewWithOptions(o, t.opt)
	t.byTid[tid] = r
	return r
}

// Flush flushes every thread's timeline; the first error ends the trace.
func (t *ffTimeline) Flush() error {
	first := t.err
	for _, r := range t.byTid {
		if err := r.Flush(); err != nil && first == nil {
			first = err
		}
	}
	return first
}

// Close ends every thread's timeline (its last folds).
func (t *ffTimeline) Close() error {
	first := t.err
	for _, r := range t.byTid {
		if err := r.Close(); err != nil && first == nil {
			first = err
		}
	}
	return first
}

// outputs returns the files opened so far.
func (t *ffTimeline) outputs() []*outputFile {
	t.mu.Lock()
	defer t.mu.Unlock()
	return append([]*outputFile(nil), t.files...)
}
