// Package model keeps, for every traced process, what the trace says it
// has: its mappings (address space) and its open file descriptors. It is
// built from the calls as they return — mmap, munmap, mremap, mprotect,
// brk, open, close, dup, fork, execve, exit — so that an explanation can say
// which file a mapping shows, who else shares it after a fork, and in which
// mapping a faulting address lies.
//
// Where the trace cannot know (the mappings a process had before it was
// traced, those execve creates, an fd's absolute path), the model reads
// /proc while the process is stopped at the call, as strace -y does.
package model

import (
	"fmt"
	"sort"
	"strings"

	"golang.org/x/sys/unix"

	"github.com/mmtrace/mmtrace/tracer"
	"github.com/mmtrace/mmtrace/tracer/filter"
	"github.com/mmtrace/mmtrace/tracer/sys"
)

// PageSize is the size mappings are made of.
var PageSize = uint64(unix.Getpagesize())

// Mapping is one range of a process's address space.
type Mapping struct {
	Start, End uint64 // [Start, End), page-aligned
	Prot       int    // PROT_* bits
	Shared     bool   // MAP_SHARED: stores reach the file and the other sharers
	Anon       bool   // no file behind it (MAP_ANONYMOUS, the heap, the stack)
	Path       string // the file, or a /proc name such as [heap]; "" for anonymous
	Offset     uint64 // file offset of Start
	// FileSize is the mapped file's size when the mapping was made, -1 if
	// unknown: pages past it are not backed by the file (SIGBUS).
	FileSize int64
	// Initial: the mapping was there before the trace saw the process
	// (read from /proc), not made by a traced call.
	Initial bool
	// Deleted: /proc said "(deleted)": the file has no name left (it was
	// unlinked, or never had one, as a memfd). Path is without the suffix.
	Deleted bool

	// pages: its pages mapped in when the model last looked (see
	// Model.Residency), if pagesKnown; a mapping cut in two or inherited
	// by a fork has to be looked at again.
	pages      Pages
	pagesKnown bool
	// everWritable: the mapping was writable at some time (mmap or
	// mprotect), so a MAP_PRIVATE file mapping may hold copies.
	everWritable bool
}

// Len is the mapping's length in bytes.
func (m *Mapping) Len() uint64 { return m.End - m.Start }

// Pages is the mapping's length in pages.
func (m *Mapping) Pages() uint64 { return m.Len() / PageSize }

// Kind names what backs the mapping, as the lesson sorts them.
func (m *Mapping) Kind() string {
	switch {
	case m.Anon && m.Shared:
		return "anonymous shared"
	case m.Anon:
		return "anonymous private"
	case m.Shared && m.Path == "/dev/zero":
		return "shared /dev/zero"
	case m.Shared:
		return "file shared"
	}
	return "file private"
}

// FD is an open file descriptor.
type FD struct {
	Path    string
	Flags   int // the open flags (O_ACCMODE and the rest)
	Cloexec bool
}

// Readable and Writable say what the fd's access mode allows.
func (f FD) Readable() bool { return f.Flags&unix.O_ACCMODE != unix.O_WRONLY }

// Writable says whether the fd was opened for writing.
func (f FD) Writable() bool { return f.Flags&unix.O_ACCMODE != unix.O_RDONLY }

// Process is what the model knows of one process.
type Process struct {
	Pid, Parent int
	Maps        []Mapping // sorted, not overlapping
	FDs         map[int]FD
	heapStart   uint64 // the first brk, 0 until known
	// mapsUnread: Maps not read yet. A process first seen entering
	// execve (every program mmtrace run starts) would have them
	// replaced by the call's end, so they are read only if it fails.
	mapsUnread bool
	// Faults are the process's fault counters at its last call, and
	// Resident its resident pages then.
	MinFlt, MajFlt uint64
	Resident       uint64

	// calls counts the process's call entries; ioBytes is its read_bytes
	// (/proc/PID/io) at the entry of its call number ioAt (0: the fork),
	// if ioKnown; ioTried: the model tried to read it.
	calls, ioAt      uint64
	ioBytes          uint64
	ioKnown, ioTried bool
}

// Lookup returns the mapping holding addr, or nil.
func (p *Process) Lookup(addr uint64) *Mapping {
	i := sort.Search(len(p.Maps), func(i int) bool { return p.Maps[i].End > addr })
	if i < len(p.Maps) && p.Maps[i].Start <= addr {
		return &p.Maps[i]
	}
	return nil
}

// Model is the processes of one trace.
type Model struct {
	// SkipFaults leaves the fault counters and resident pages unread: two
	// /proc reads at every call's entry, and at each new process, that
	// nothing may need.
	SkipFaults bool
	// Blind says the trace does not show the model every call that changes
	// mappings or fds (-e without mmap, munmap, mremap, open, openat,
	// creat or close): a mapping or fd it holds may be gone or replaced.
	// It then reads /proc/PID/maps before every call or signal whose
	// explanation depends on what is mapped, and /proc/PID/fd before every
	// call that names an fd. Seeing everything, it reads /proc only where
	// it knows nothing (see beforeCall).
	Blind bool
	// Residency also follows the pages of each process's lesson mappings
	// and the disk reads behind its major faults (Change.Gains,
	// Change.ReadBytes), for the notes that say where faults went.
	Residency bool

	procs map[int]*Process
	// readProc is /proc, replaceable in tests.
	proc procReader
	last Change // what the last event did, for Last

	// ranges, picked and counts are look's buffers, reused.
	ranges []pageRange
	picked []int
	counts []Pages
}

// Event applies e: a Model is a tracer.Sink, placed before the sinks that
// share it, so that each event is applied once however many read the
// model. They read what it did with Last.
func (m *Model) Event(e *tracer.Event) { m.last = m.Apply(e) }

// Flush does nothing.
func (m *Model) Flush() error { return nil }

// KeepsNoCalls says the model keeps no call past its end: what it learns
// it copies (tracer.KeepsNoCalls).
func (m *Model) KeepsNoCalls() {}

// Last returns what the last event given to Event did.
func (m *Model) Last() Change { return m.last }

// Shared is a model that a sink either applies itself (its own) or reads
// after another sink applied it (one the pipeline shares).
type Shared struct {
	M   *Model
	own bool
}

// Use returns m to read, or a fresh model to apply when m is nil.
func Use(m *Model) Shared {
	if m == nil {
		return Shared{M: New(), own: true}
	}
	return Shared{M: m}
}

// Apply applies e if the model is the sink's own, and says what e did.
func (s Shared) Apply(e *tracer.Event) Change {
	if s.own {
		return s.M.Apply(e)
	}
	return s.M.Last()
}

// New returns an empty model reading /proc for what the trace cannot say.
func New() *Model {
	return &Model{procs: map[int]*Process{}, proc: newRealProc()}
}

// Process returns the process pid, or nil if the model does not know it.
func (m *Model) Process(pid int) *Process { return m.procs[pid] }

// Processes returns the live processes by pid.
func (m *Model) Processes() []*Process {
	out := make([]*Process, 0, len(m.procs))
	for _, p := range m.procs {
		out = append(out, p)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Pid < out[j].Pid })
	return out
}

// process returns pid's entry, seeding a process the model has not seen
// from /proc.
func (m *Model) process(pid int) *Process {
	return m.seed(pid, true)
}

// seed returns pid's entry, reading a new one from /proc; its mappings
// only if withMaps (else when first needed: see Process.mapsUnread).
func (m *Model) seed(pid int, withMaps bool) *Process {
	if p := m.procs[pid]; p != nil {
		return p
	}
	p := &Process{Pid: pid, mapsUnread: !withMaps}
	if withMaps {
		p.Maps = m.proc.maps(pid)
	}
	if p.FDs = m.proc.fds(pid, nil); p.FDs == nil {
		p.FDs = map[int]FD{}
	}
	if !m.SkipFaults {
		// The counters the first call's faults are counted from.
		p.MinFlt, p.MajFlt, _ = m.proc.faults(pid)
		p.Resident, _ = m.proc.resident(pid)
	}
	m.procs[pid] = p
	return p
}

// Change says what one event did to the model, for the explanations.
type Change struct {
	Proc *Process
	// Added: the mapping a call made (mmap, mremap's new place, brk).
	Added *Mapping
	// Removed: the mappings or parts of mappings a call took away, as
	// they were.
	Removed []Mapping
	// FD: the descriptor a call opened or duplicated, or closed.
	FD     FD
	FDNum  int
	Closed bool
	// Child: the new process of a fork, and the mappings it shares with
	// its parent (MAP_SHARED ones: shared; private ones: copy-on-write).
	Child *Process
	// MinFlt, MajFlt: faults since the process's previous call.
	MinFlt, MajFlt uint64
	// MappedIn: how many more pages are resident than at the previous
	// call. One fault can map many (fault-around maps up to 16 pages of
	// a file, a huge page is 512), so it shows the work the faults did.
	MappedIn uint64

	// With Model.Residency: Lessons says whether the process has lesson
	// mappings (Mapping.Lesson); Gains, what those gained since the
	// model last looked, read when the fault counters moved; Rest, the
	// resident pages gained elsewhere in the process (MappedIn less the
	// gains).
	Lessons bool
	Gains   []Gain
	Rest    uint64
	// ReadBytes is how much the process read from disk (read_bytes of
	// /proc/PID/io) over its last ReadCalls calls (1: since its previous
	// call, or since the fork), known (ReadKnown) only at a major fault:
	// read_bytes is read then, and compared with the model's last read.
	ReadBytes uint64
	ReadCalls uint64
	ReadKnown bool
}

// Apply updates the model with one event and says what changed.
func (m *Model) Apply(e *tracer.Event) Change {
	switch e.Kind {
	case tracer.Spawn:
		if e.Thread {
			return Change{}
		}
		parent := m.process(e.Pid)
		m.readMaps(parent)
		if m.Blind {
			m.reread(parent)
		}
		child := &Process{Pid: e.Child, Parent: e.Pid}
		child.Maps = append([]Mapping(nil), parent.Maps...)
		for i := range child.Maps {
			// The child has its own page tables: fork copies those of
			// private anonymous pages, not those of file or shared pages.
			child.Maps[i].pagesKnown = false
		}
		// The child's fds as the kernel copied them: the trace may not
		// have shown the calls that opened some (pipe, dup, socket are
		// not in the default set). The child has not run yet.
		if child.FDs = m.proc.fds(e.Child, parent.FDs); child.FDs == nil {
			child.FDs = make(map[int]FD, len(parent.FDs))
			for n, fd := range parent.FDs {
				child.FDs[n] = fd
			}
		}
		child.heapStart = parent.heapStart
		// A new process's fault counters start at zero; its resident
		// pages are what fork copied the page tables of. Unread when no
		// fault is counted: smaps_rollup walks the child's page tables,
		// 3% of mmtrace's samples on 1,000 forks.
		if !m.SkipFaults {
			child.Resident, _ = m.proc.resident(e.Child)
		}
		// The kernel starts a child's read_bytes at zero.
		child.ioKnown = true
		if m.Residency {
			m.settle(child)
		}
		m.procs[e.Child] = child
		return Change{Proc: parent, Child: child}
	case tracer.Exit:
		if e.Leader {
			p := m.procs[e.Pid]
			delete(m.procs, e.Pid)
			return Change{Proc: p}
		}
	case tracer.Detached:
		// The process runs on untraced: the model cannot follow its
		// mappings any more, and forgets it as at its exit.
		p := m.procs[e.Pid]
		delete(m.procs, e.Pid)
		return Change{Proc: p}
	case tracer.CallEnter:
		p := m.seed(e.Pid, !e.Call.IsExec())
		m.beforeCall(p, e.Call)
		p.calls++
		if m.SkipFaults {
			return Change{Proc: p}
		}
		min, maj, ok := m.proc.faults(e.Pid)
		if !ok {
			return Change{Proc: p}
		}
		c := Change{Proc: p, MinFlt: min - p.MinFlt, MajFlt: maj - p.MajFlt}
		p.MinFlt, p.MajFlt = min, maj
		if rss, ok := m.proc.resident(e.Pid); ok {
			if rss > p.Resident {
				c.MappedIn = rss - p.Resident
			}
			p.Resident = rss
		}
		if m.Residency {
			m.follow(p, &c)
		}
		return c
	case tracer.CallExit:
		p := m.process(e.Pid)
		ch := m.applyCall(p, e.Call)
		if m.Residency && !m.SkipFaults {
			m.settle(p)
		}
		return ch
	case tracer.Signal:
		// A fault's address is explained by the mapping it lies in: make
		// sure the model has it (the process is stopped, its mappings
		// intact).
		if e.Signal == unix.SIGSEGV || e.Signal == unix.SIGBUS {
			if p := m.procs[e.Pid]; p != nil && (m.Blind || p.Lookup(e.Siginfo.Addr) == nil) {
				m.reread(p)
			}
		}
	}
	return Change{}
}

// beforeCall makes sure, while p is stopped at the entry of c, that the
// model knows what c's explanation depends on and c may take away: the
// mappings in the range a munmap, mprotect, msync, madvise, mremap or
// MAP_FIXED mmap acts on, and the fd a close, ftruncate or mmap names.
// After the call it is too late: munmap has removed the range, close the
// fd. It reads /proc only where the model has nothing (a page of the
// range in no mapping it knows, an fd it never saw opened: made by a call
// the trace hides, or by the kernel as the stack grows), or everywhere
// when the model is Blind; a trace showing every call costs nothing.
func (m *Model) beforeCall(p *Process, c *sys.Call) {
	if c == nil {
		return
	}
	a := c.Args
	switch c.Name {
	case "close", "ftruncate":
		m.knowFD(p, int(int32(a[0])))
		return
	case "mmap":
		flags := int(a[3])
		if flags&unix.MAP_ANONYMOUS == 0 {
			m.knowFD(p, int(int32(a[4])))
		}
		if flags&unix.MAP_FIXED == 0 {
			return
		}
	case "munmap", "mprotect", "msync", "madvise", "mremap":
	default:
		return
	}
	start, end := a[0], a[0]+pageUp(a[1])
	if start%PageSize != 0 || end <= start {
		return // EINVAL: the call changes nothing
	}
	m.readMaps(p)
	if m.Blind || !p.covers(start, end) {
		m.reread(p)
	}
}

// knowFD reads fd of p from /proc if the model does not know it, or if
// it is Blind and what it knows may be stale.
func (m *Model) knowFD(p *Process, fd int) {
	if fd < 0 {
		return
	}
	old, ok := p.FDs[fd]
	if ok && !m.Blind {
		return
	}
	path := m.proc.fdPath(p.Pid, fd)
	switch {
	case path == "":
		if ok {
			delete(p.FDs, fd) // not open: the call fails with EBADF
		}
	case !ok || old.Path != path:
		f := FD{Path: path}
		f.Flags, f.Cloexec = m.proc.fdFlags(p.Pid, fd)
		p.FDs[fd] = f
	}
}

// covers says whether every page of [start, end) is in a mapping of p.
func (p *Process) covers(start, end uint64) bool {
	i := sort.Search(len(p.Maps), func(i int) bool { return p.Maps[i].End > start })
	for at := start; at < end; i++ {
		if i >= len(p.Maps) || p.Maps[i].Start > at {
			return false
		}
		at = p.Maps[i].End
	}
	return true
}

// reread replaces p's mappings with what /proc/PID/maps says now,
// keeping what the model knew of a mapping it already had: whether the
// trace saw it made, the file's size then. A mapping new to the model was
// made while traced, by a call the trace did not show.
func (m *Model) reread(p *Process) {
	fresh := m.proc.maps(p.Pid)
	if fresh == nil {
		return // the process is gone: keep what the model had
	}
	for i := range fresh {
		f := &fresh[i]
		f.Initial = false
		if old := p.Lookup(f.Start); old != nil && old.Path == f.Path && old.Shared == f.Shared && old.Anon == f.Anon {
			f.Initial, f.FileSize = old.Initial, old.FileSize
		}
	}
	p.Maps, p.mapsUnread = fresh, false
}

// learnsFrom are the calls the model learns mappings and fds from.
var learnsFrom = []string{"mmap", "munmap", "mremap", "open", "openat", "creat", "close"}

// BlindUnder says whether a trace showing only the calls of set (nil: the
// tracer's default set) leaves a model Blind: it hides one of the calls the
// model learns mappings and fds from. A call the host does not have
// (arm64 has no open) hides nothing.
func BlindUnder(set *filter.Set) bool {
	if set == nil {
		set = filter.Default()
	}
	arch := sys.HostArch()
	for _, name := range learnsFrom {
		if nr, ok := sys.Number(arch, name); ok && !set.Has(arch, nr) {
			return true
		}
	}
	return false
}

// Refresh rereads p's mappings from /proc when the model is Blind, for an
// explanation about a process other than the one stopped at a call (who
// else maps a file): seeing every call, the model is up to date.
func (m *Model) Refresh(p *Process) {
	if m.Blind && p != nil {
		m.reread(p)
	}
}

// readMaps reads p's mappings if they were left unread.
func (m *Model) readMaps(p *Process) {
	if p.mapsUnread {
		p.Maps, p.mapsUnread = m.proc.maps(p.Pid), false
	}
}

func pageUp(n uint64) uint64 { return (n + PageSize - 1) &^ (PageSize - 1) }

func (m *Model) applyCall(p *Process, c *sys.Call) Change {
	ch := Change{Proc: p}
	if !(c.IsExec() && c.Errno() == 0) {
		m.readMaps(p)
	}
	if c.Errno() != 0 || !c.Done {
		return ch
	}
	a := c.Args
	ret := uint64(c.Ret)
	switch c.Name {
	case "mmap":
		flags := int(a[3])
		mp := Mapping{
			Start: ret, End: ret + pageUp(a[1]), Prot: int(a[2]),
			Shared: flags&unix.MAP_TYPE != unix.MAP_PRIVATE,
			Anon:   flags&unix.MAP_ANONYMOUS != 0, Offset: a[5], FileSize: -1,
			// New: none of its pages is mapped in yet. Those MAP_POPULATE
			// brought in count at the next call, with its faults.
			pagesKnown:   true,
			everWritable: a[2]&unix.PROT_WRITE != 0,
		}
		if !mp.Anon {
			if fd, ok := p.FDs[int(int32(a[4]))]; ok {
				mp.Path, mp.Deleted = CutDeleted(fd.Path)
			}
			mp.FileSize = m.proc.size(p.Pid, int(int32(a[4])))
		}
		// MAP_FIXED replaces what was there; any other mmap went where
		// nothing was, and what the model had there is stale (a call the
		// trace did not show removed it): Removed holds it either way.
		ch.Removed = p.remove(mp.Start, mp.End)
		p.insert(mp)
		ch.Added = p.Lookup(mp.Start)
	case "munmap":
		ch.Removed = p.remove(a[0], a[0]+pageUp(a[1]))
	case "mremap":
		old := p.Lookup(a[0])
		var tmpl Mapping
		if old != nil {
			tmpl = *old
		}
		ch.Removed = p.remove(a[0], a[0]+pageUp(a[1]))
		if old != nil {
			tmpl.Offset += a[0] - tmpl.Start
		}
		tmpl.Start, tmpl.End, tmpl.Initial = ret, ret+pageUp(a[2]), false
		tmpl.pagesKnown = false // its pages moved with it
		p.remove(tmpl.Start, tmpl.End)
		p.insert(tmpl)
		ch.Added = p.Lookup(tmpl.Start)
	case "mprotect":
		p.protect(a[0], a[0]+pageUp(a[1]), int(a[2]))
	case "brk":
		if p.heapStart == 0 {
			p.heapStart = ret
			break
		}
		start, end := pageUp(p.heapStart), pageUp(ret)
		p.removeHeap()
		if end > start {
			p.insert(Mapping{Start: start, End: end, Prot: unix.PROT_READ | unix.PROT_WRITE, Anon: true, Path: "[heap]", FileSize: -1})
			ch.Added = p.Lookup(start)
		}
	case "open", "openat", "creat":
		flags := int(a[1])
		switch c.Name {
		case "openat":
			flags = int(a[2])
		case "creat":
			flags = unix.O_CREAT | unix.O_WRONLY | unix.O_TRUNC
		}
		fd := int(ret)
		ch.FD = FD{Path: m.proc.fdPath(p.Pid, fd), Flags: flags, Cloexec: flags&unix.O_CLOEXEC != 0}
		ch.FDNum = fd
		p.FDs[fd] = ch.FD
	case "close":
		fd := int(int32(a[0]))
		ch.FD, ch.FDNum, ch.Closed = p.FDs[fd], fd, true
		delete(p.FDs, fd)
	case "dup", "dup2", "dup3":
		if fd, ok := p.FDs[int(int32(a[0]))]; ok {
			fd.Cloexec = c.Name == "dup3" && int(a[2])&unix.O_CLOEXEC != 0
			p.FDs[int(ret)] = fd
			ch.FD, ch.FDNum = fd, int(ret)
		}
	case "execve", "execveat":
		// The kernel replaced the address space; keep the fds that were
		// not close-on-exec.
		p.Maps, p.mapsUnread = m.proc.maps(p.Pid), false
		if fds := m.proc.fds(p.Pid, p.FDs); fds != nil {
			p.FDs = fds // as the kernel left them, opened by hidden calls too
		} else {
			for n, fd := range p.FDs {
				if fd.Cloexec {
					delete(p.FDs, n)
				}
			}
		}
		p.heapStart = 0
	}
	return ch
}

// insert adds mp where the range is free.
func (p *Process) insert(mp Mapping) {
	i := sort.Search(len(p.Maps), func(i int) bool { return p.Maps[i].Start >= mp.Start })
	p.Maps = append(p.Maps, Mapping{})
	copy(p.Maps[i+1:], p.Maps[i:])
	p.Maps[i] = mp
}

// remove takes [start, end) out of the address space, splitting mappings
// that straddle its edges, and returns what was there. Only the mappings
// overlapping the range are touched: a fresh mmap, which overlaps nothing,
// costs one binary search.
func (p *Process) remove(start, end uint64) []Mapping {
	i := sort.Search(len(p.Maps), func(i int) bool { return p.Maps[i].End > start })
	j := i
	for j < len(p.Maps) && p.Maps[j].Start < end {
		j++
	}
	if i == j {
		return nil
	}
	var kept, gone []Mapping
	for _, mp := range p.Maps[i:j] {
		split := mp.Start < start || mp.End > end
		if mp.Start < start {
			left := mp
			left.End, left.pagesKnown = start, false
			kept = append(kept, left)
		}
		cut := mp
		cut.Offset += max(start, mp.Start) - mp.Start
		cut.Start, cut.End = max(start, mp.Start), min(end, mp.End)
		cut.pagesKnown = cut.pagesKnown && !split
		gone = append(gone, cut)
		if mp.End > end {
			right := mp
			right.Offset += end - mp.Start
			right.Start, right.pagesKnown = end, false
			kept = append(kept, right)
		}
	}
	// Splice kept into [i, j) in place; at most two pieces, so the slice
	// grows by at most one.
	n := len(p.Maps) + len(kept) - (j - i)
	if n > len(p.Maps) {
		p.Maps = append(p.Maps, Mapping{})
	}
	copy(p.Maps[i+len(kept):], p.Maps[j:])
	copy(p.Maps[i:], kept)
	p.Maps = p.Maps[:n]
	return gone
}

// protect sets prot on [start, end).
func (p *Process) protect(start, end uint64, prot int) {
	for _, mp := range p.remove(start, end) {
		mp.Prot = prot
		mp.everWritable = mp.everWritable || prot&unix.PROT_WRITE != 0
		p.insert(mp)
	}
}

func (p *Process) removeHeap() {
	kept := p.Maps[:0]
	for _, mp := range p.Maps {
		if mp.Path != "[heap]" {
			kept = append(kept, mp)
		}
	}
	p.Maps = kept
}

// SharedWith returns, for a mapping of p, the other live processes that
// share its pages: for MAP_SHARED mappings, every process mapping the same
// range of the same file, or inheriting the same shared anonymous range.
func (m *Model) SharedWith(p *Process, mp *Mapping) []int {
	if !mp.Shared {
		return nil
	}
	var pids []int
	for _, q := range m.Processes() {
		if q == p {
			continue
		}
		m.Refresh(q)
		for i := range q.Maps {
			o := &q.Maps[i]
			if !o.Shared || o.Anon != mp.Anon {
				continue
			}
			same := false
			if mp.Anon || mp.Path == "/dev/zero" {
				// Inherited across fork: same addresses in parent and child.
				same = related(m, p, q) && o.Start < mp.End && mp.Start < o.End && o.Path == mp.Path
			} else {
				same = o.Path == mp.Path && o.Offset < mp.Offset+mp.Len() && mp.Offset < o.Offset+o.Len()
			}
			if same {
				pids = append(pids, q.Pid)
				break
			}
		}
	}
	return pids
}

// related says whether one process descends from the other.
func related(m *Model, a, b *Process) bool {
	up := func(x, y *Process) bool {
		for q := x; q != nil; q = m.procs[q.Parent] {
			if q.Parent == y.Pid {
				return true
			}
			if q.Parent == 0 || q.Parent == q.Pid {
				return false
			}
		}
		return false
	}
	return up(a, b) || up(b, a)
}

// String prints the mappings as a small /proc/PID/maps.
func (p *Process) String() string {
	var b strings.Builder
	for _, mp := range p.Maps {
		b.WriteString(mp.String())
		b.WriteByte('\n')
	}
	return b.String()
}

// CutDeleted splits the " (deleted)" that /proc adds to the name of a
// file that has none left from path.
func CutDeleted(path string) (string, bool) {
	if p, ok := strings.CutSuffix(path, " (deleted)"); ok && strings.HasPrefix(p, "/") {
		return p, true
	}
	return path, false
}

// SizeText formats n bytes for a person: "4 B", "12 KiB", "1.5 MiB".
func SizeText(n uint64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := uint64(unit), 0
	for m := n / unit; m >= unit && exp < 5; m /= unit {
		div *= unit
		exp++
	}
	v := float64(n) / float64(div)
	suffix := "KMGTPE"[exp : exp+1]
	if v == float64(uint64(v)) || v >= 100 {
		return fmt.Sprintf("%.0f %siB", v, suffix)
	}
	return fmt.Sprintf("%.1f %siB", v, suffix)
}
