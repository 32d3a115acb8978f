// Package explain writes the lines shown under the calls of a timeline:
// what each call did with its actual arguments and why it matters for the
// mmap lesson — which file, how many pages, who shares a mapping after a
// fork, which child a wait reaped, why an error happened, where a SIGBUS
// struck — in English or Chinese.
//
// Every message exists in both languages side by side in one table
// (catalog.go), with named fields, so the two cannot drift. An Explainer
// reads the address-space model (tracer/model) and keeps a little history
// of its own: how files got their sizes, what was unmapped, how processes
// died, so that a SIGBUS or a wait can name its cause.
//
// The explanations are true of Linux 6.x, also where the course notes say
// otherwise (MAP_PRIVATE on a read-only fd works; the "bus error" comes
// from touching past the end of a file; the length need not be a page
// multiple, the offset must be; closing the fd leaves a mapping usable).
package explain

import (
	"cmp"
	"slices"
	"syscall"

	"golang.org/x/sys/unix"

	"github.com/mmtrace/mmtrace/internal/escape"
	"github.com/mmtrace/mmtrace/tracer"
	"github.com/mmtrace/mmtrace/tracer/model"
)

// Explainer writes the notes of one trace.
type Explainer struct {
	lang Lang
	m    *model.Model
	page uint64

	// called: processes that have made a call, so that the next fault
	// count is "since its previous call".
	called map[int]bool
	// forked: processes the trace saw created by a fork.
	forked map[int]bool
	// threads: threads the trace saw created, so clone's exit can say so.
	threads map[int]bool
	// forks: what each new child got, made when the trace reported it,
	// for its parent's fork to show when it returns.
	forks map[int][]local
	// gone: processes that ended, as the model last knew them: a child
	// can end before its parent's fork returns.
	gone map[int]*model.Process
	// ended: processes that died and were not reaped yet: what wait will
	// report.
	ended map[int]ending
	// fatal: why a process's last fatal fault happened, for its death.
	fatal map[int]fatalFault
	// sizes: for each file, the last thing that set its size.
	sizes map[string]sizeEvent
	// unmapped: each process's last few munmaps.
	unmapped map[int][]unmapping
	// unlinked: files the trace saw unlinked that had no other name
	// then: a mapping or fd is all that keeps them.
	unlinked map[string]bool
	// seen numbers the processes in the order the trace first reported
	// them (a child at its creation), the order notes list them in: pid
	// order wraps at pid_max, and would list a child before its parent.
	seen  map[int]uint64
	nseen uint64
}

// ending is how a process ended.
type ending struct {
	code int
	sig  syscall.Signal
	core bool
	why  local // nil, or what its fatal fault was
}

type fatalFault struct {
	sig syscall.Signal
	why local
}

// sizeEvent is a call that set a file's size, or tried to.
type sizeEvent struct {
	kind   sizeKind
	fd     int
	length int64
	errno  syscall.Errno
}

type sizeKind uint8

const (
	sizeEmptied sizeKind = iota + 1 // open with O_TRUNC, creat
	sizeSet                         // ftruncate or truncate worked
	sizeFailed                      // ftruncate or truncate failed
)

type unmapping struct {
	start, end uint64
	what       local
}

// Limits on the history, so that a long trace does not grow it forever.
const (
	maxUnmapped = 8
	maxEntries  = 4096
)

// New returns an explainer writing in lang about the processes of m.
func New(lang Lang, m *model.Model) *Explainer {
	return &Explainer{
		lang: lang, m: m, page: model.PageSize,
		called: map[int]bool{}, forked: map[int]bool{}, threads: map[int]bool{}, forks: map[int][]local{}, gone: map[int]*model.Process{},
		ended: map[int]ending{}, fatal: map[int]fatalFault{},
		sizes: map[string]sizeEvent{}, unmapped: map[int][]unmapping{}, unlinked: map[string]bool{},
		seen: map[int]uint64{},
	}
}

// Notes returns the lines to show under e, given what the model reported
// for it (the caller applies e to the model first and passes the Change).
// CallEnter events get at most the page-fault line; CallExit the call's
// explanation; Signal and Exit theirs. It returns nil when there is nothing
// worth saying. Each note is one line, however long: the renderers fit it
// to their page or terminal.
//
// Pass it every event, Spawn included: Spawn gets no notes, but what the
// child got is taken then, which is what the parent's fork shows when it
// returns (the child may have run and ended in between).
func (x *Explainer) Notes(e *tracer.Event, ch model.Change) []string {
	var ls []local
	x.see(e.Pid, false)
	switch e.Kind {
	case tracer.Spawn:
		x.see(e.Child, true)
		x.spawned(e, ch)
	case tracer.CallEnter:
		ls = x.faults(e, ch)
	case tracer.CallExit:
		if e.Call != nil && e.Call.Done {
			ls = x.call(e, ch)
		}
	case tracer.Signal:
		ls = x.signal(e)
	case tracer.Exit:
		ls = x.exit(e, ch)
	}
	var out []string
	for _, l := range ls {
		if l == nil {
			continue
		}
		// Names are escaped where they are rendered (name); this catches
		// any raw text that reached a message another way. The catalog's
		// texts have no control characters, so it changes nothing else.
		s := escape.Message(l.in(x.lang))
		if x.lang == ZH {
			s = tidy(s)
		}
		out = append(out, s)
	}
	return out
}

func (x *Explainer) spawned(e *tracer.Event, ch model.Change) {
	trim(x.threads)
	trim(x.forked)
	trim(x.forks)
	if e.Thread {
		x.threads[e.Child] = true
		return
	}
	x.forked[e.Child] = true
	if ch.Child != nil {
		x.forks[e.Child] = x.forkLines(ch.Proc, ch.Child)
	}
}

// exit explains how a process ended, and remembers it for the wait that
// reaps it.
func (x *Explainer) exit(e *tracer.Event, ch model.Change) []local {
	if !e.Leader {
		delete(x.threads, e.Tid)
		return nil
	}
	pid := e.Pid
	end := ending{code: e.ExitCode, sig: e.KilledBy, core: e.CoreDumped}
	if f, ok := x.fatal[pid]; ok && f.sig == e.KilledBy {
		end.why = f.why
	}
	// Kept for the fork that made it only if the trace did not report
	// its creation: a reported child's notes were taken then (forks).
	// Keeping every ended process, its mappings with it, held 2 MB for a
	// program that forked 1,000 children (issue 15, item 6).
	keep := !x.forked[pid]
	delete(x.fatal, pid)
	delete(x.called, pid)
	delete(x.forked, pid)
	delete(x.unmapped, pid)
	trim(x.ended)
	x.ended[pid] = end
	if ch.Proc != nil && keep {
		trim(x.gone)
		x.gone[pid] = ch.Proc
	}
	if end.sig != 0 {
		return one(mKilled, "sig", sigName(end.sig), "core", coreText(end.core), "why", orEmpty(end.why))
	}
	p := ch.Proc
	if p == nil {
		return one(mExited, "code", end.code)
	}
	// Where its stores to shared mappings are now: a file's are in the
	// file; shared memory with no file (or a file with no name left) is
	// kept only by the processes still mapping it.
	var files, mem []any
	seen := map[string]bool{}
	pids := map[int]bool{}
	for i := range p.Maps {
		mp := &p.Maps[i]
		if !lesson(mp) || !mp.Shared || mp.Prot&unix.PROT_WRITE == 0 {
			continue
		}
		name := mapName(mp)
		if !mp.Anon && !isDevZero(mp) && !x.isUnlinked(mp) {
			if key := name.in(EN); !seen[key] {
				seen[key] = true
				files = append(files, name)
			}
			continue
		}
		others := x.m.SharedWith(p, mp)
		if len(others) == 0 {
			continue
		}
		mem = append(mem, name)
		for _, q := range others {
			pids[q] = true
		}
	}
	// A file with no name left that only this process used is gone now.
	var freed []local
	gone := map[string]bool{}
	for i := range p.Maps {
		if mp := &p.Maps[i]; lesson(mp) && x.isUnlinked(mp) && !gone[mp.Path] && !x.inUse(mp.Path) {
			gone[mp.Path] = true
			freed = append(freed, t(mFreedUnlinked, "file", fileName(mp.Path)))
		}
	}
	var out []local
	switch {
	case len(files) == 1:
		out = one(mExitedFile, "code", end.code, "maps", capList(files))
	case len(files) > 1:
		out = one(mExitedFiles, "code", end.code, "maps", capList(files))
	case len(mem) > 0:
		out = one(mExitedShared, "code", end.code, "maps", capList(mem), "pids", x.pidList(pids))
		mem = nil
	default:
		out = one(mExited, "code", end.code)
	}
	if len(mem) > 0 {
		out = append(out, t(mStoresLiveOn, "maps", capList(mem), "pids", x.pidList(pids)))
	}
	return append(out, freed...)
}

func coreText(core bool) local {
	if core {
		return t(mCore)
	}
	return lit("")
}

func orEmpty(l local) local {
	if l == nil {
		return lit("")
	}
	return l
}

// lit is text that reads the same in both languages.
type lit string

func (s lit) in(Lang) string { return string(s) }

func one(id msgID, kv ...any) []local { return []local{t(id, kv...)} }

// trim keeps a history map from growing without bound: past maxEntries it
// starts again. Only a trace of thousands of processes that are never
// reaped gets there.
func trim[V any](m map[int]V) {
	if len(m) >= maxEntries {
		clear(m)
	}
}

// see numbers pid if the trace has not reported it before, or afresh
// when it is a new process (the id reused).
func (x *Explainer) see(pid int, created bool) {
	if _, ok := x.seen[pid]; ok && !created {
		return
	}
	if len(x.seen) >= maxEntries {
		// Renumber the processes still known, in their order.
		var ids []*model.Process
		if x.m != nil {
			ids = x.m.Processes()
		}
		old := x.seen
		x.seen, x.nseen = map[int]uint64{}, 0
		slices.SortFunc(ids, func(a, b *model.Process) int { return cmp.Compare(old[a.Pid], old[b.Pid]) })
		for _, p := range ids {
			x.nseen++
			x.seen[p.Pid] = x.nseen
		}
	}
	x.nseen++
	x.seen[pid] = x.nseen
}

// pidList lists process ids in the order the trace first reported them
// (by id for any it did not).
func (x *Explainer) pidList(set map[int]bool) list {
	ids := make([]int, 0, len(set))
	for id := range set {
		ids = append(ids, id)
	}
	slices.SortFunc(ids, func(a, b int) int {
		sa, oka := x.seen[a]
		sb, okb := x.seen[b]
		switch {
		case oka && okb:
			return cmp.Compare(sa, sb)
		case oka != okb:
			if oka {
				return -1
			}
			return 1
		}
		return cmp.Compare(a, b)
	})
	out := make([]any, len(ids))
	for i, id := range ids {
		out[i] = id
	}
	return capList(out)
}

// capList keeps a list short enough for one line: four items, then "N more".
func capList(items []any) list {
	const most = 4
	if len(items) <= most {
		return list(items)
	}
	out := append([]any(nil), items[:most-1]...)
	return append(out, t(mMore, "n", len(items)-(most-1)))
}
