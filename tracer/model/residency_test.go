package model

import (
	"testing"

	"golang.org/x/sys/unix"

	"github.com/mmtrace/mmtrace/tracer"
	"github.com/mmtrace/mmtrace/tracer/sys"
)

// pagesProc is /proc as the residency code reads it: fault counters,
// resident pages, each range's pages and read_bytes, set by the test; it
// counts the reads of pagemap and io.
type pagesProc struct {
	fakeProc
	min, maj, rss uint64
	pg            map[uint64]Pages // by the range's start
	io            uint64
	pageReads     []uint64 // the starts of the ranges read
	walks         int      // the calls of pages
	ioReads       int
}

func (f *pagesProc) faults(int) (uint64, uint64, bool) { return f.min, f.maj, true }
func (f *pagesProc) resident(int) (uint64, bool)       { return f.rss, true }
func (f *pagesProc) pages(_ int, ranges []pageRange, out []Pages) bool {
	f.walks++
	for i, rg := range ranges {
		f.pageReads = append(f.pageReads, rg.start)
		out[i] = f.pg[rg.start]
	}
	return true
}
func (f *pagesProc) readBytes(int) (uint64, bool) { f.ioReads++; return f.io, true }

func enterEvent(pid int, name string, args ...uint64) *tracer.Event {
	nr, _ := sys.Number(sys.HostArch(), name)
	var a [6]uint64
	copy(a[:], args)
	return &tracer.Event{Kind: tracer.CallEnter, Pid: pid, Tid: pid, Call: sys.NewCall(sys.HostArch(), nr, a)}
}

const base = 0x7f0000000000

// residencyModel is a model following residency over f, with process 10
// holding fd 3 on /tmp/dd.txt.
func residencyModel(f *pagesProc) *Model {
	m := &Model{procs: map[int]*Process{}, proc: f, Residency: true}
	m.procs[10] = &Process{Pid: 10, FDs: map[int]FD{3: {Path: "/tmp/dd.txt", Flags: unix.O_RDWR}}}
	return m
}

// mmapCall makes the mmap of n pages at base, of fd 3 or anonymous.
func mmapCall(m *Model, pid int, n uint64, prot, flags int, fd int64) {
	args := []uint64{0, n * PageSize, uint64(prot), uint64(flags), uint64(fd), 0}
	m.Apply(enterEvent(pid, "mmap", args...))
	m.Apply(exitEvent(pid, "mmap", base, args...))
}

// TestGains: the pages a lesson mapping gained between two calls are
// read only when the fault counters moved, compared with those the
// mapping had at the last look, and what the rest of the process gained
// is the resident growth less theirs.
func TestGains(t *testing.T) {
	f := &pagesProc{pg: map[uint64]Pages{}}
	m := residencyModel(f)
	mmapCall(m, 10, 4, unix.PROT_READ|unix.PROT_WRITE, unix.MAP_SHARED, 3)
	if len(f.pageReads) != 0 {
		t.Fatalf("a fresh mapping was read: %x", f.pageReads)
	}
	// No fault: nothing read.
	c := m.Apply(enterEvent(10, "close", 3))
	if len(f.pageReads) != 0 || len(c.Gains) != 0 || !c.Lessons {
		t.Fatalf("no fault: reads %x, change %+v", f.pageReads, c)
	}
	// Two faults, 2 pages of dd.txt and 15 others.
	f.min, f.rss, f.pg[base] = 2, 17, Pages{Cache: 2}
	c = m.Apply(enterEvent(10, "close", 3))
	if len(c.Gains) != 1 || c.Gains[0].Pages != (Pages{Cache: 2}) || c.Gains[0].Map.Path != "/tmp/dd.txt" || c.Rest != 15 {
		t.Fatalf("gains %+v, rest %d; want dd.txt's 2 pages, 15 elsewhere", c.Gains, c.Rest)
	}
	// One more fault, no new page of dd.txt: no gain.
	f.min, f.rss = 3, 18
	c = m.Apply(enterEvent(10, "close", 3))
	if len(c.Gains) != 0 || c.Rest != 1 {
		t.Fatalf("gains %+v, rest %d; want none, 1 elsewhere", c.Gains, c.Rest)
	}
}

// TestOneWalk: however many mappings the process made, one look is one
// walk of its page tables, and a process that made none is not looked at.
func TestOneWalk(t *testing.T) {
	f := &pagesProc{pg: map[uint64]Pages{}}
	m := residencyModel(f)
	for i := uint64(0); i < 100; i++ {
		args := []uint64{base + 2*i*PageSize, PageSize, unix.PROT_READ | unix.PROT_WRITE, unix.MAP_PRIVATE | unix.MAP_ANONYMOUS | unix.MAP_FIXED, ^uint64(0), 0}
		m.Apply(enterEvent(10, "mmap", args...))
		m.Apply(exitEvent(10, "mmap", int64(base+2*i*PageSize), args...))
	}
	f.min = 1
	m.Apply(enterEvent(10, "close", 3))
	if f.walks != 1 || len(f.pageReads) != 100 {
		t.Fatalf("%d walks for %d ranges; want 1 for 100", f.walks, len(f.pageReads))
	}
	m.procs[11] = &Process{Pid: 11, FDs: map[int]FD{}}
	f.min = 2
	m.Apply(enterEvent(11, "close", 3))
	if f.walks != 1 {
		t.Fatalf("a process with no mapping of its own was looked at")
	}
}

// TestGainsAfterSplit: a mapping cut by munmap is read again when the
// call returns, so the next gain is counted from its own pages, not the
// whole mapping's.
func TestGainsAfterSplit(t *testing.T) {
	f := &pagesProc{pg: map[uint64]Pages{}}
	m := residencyModel(f)
	mmapCall(m, 10, 4, unix.PROT_READ|unix.PROT_WRITE, unix.MAP_SHARED, 3)
	f.min, f.pg[base] = 1, Pages{Cache: 4}
	m.Apply(enterEvent(10, "munmap", base+2*PageSize, 2*PageSize))
	f.pg[base] = Pages{Cache: 2}
	f.pageReads = nil
	m.Apply(exitEvent(10, "munmap", 0, base+2*PageSize, 2*PageSize))
	if len(f.pageReads) != 1 || f.pageReads[0] != base {
		t.Fatalf("after the split, ranges read: %x; want the piece left, once", f.pageReads)
	}
	f.min = 2
	c := m.Apply(enterEvent(10, "close", 3))
	if len(c.Gains) != 0 {
		t.Fatalf("gains %+v after a split, with no new page", c.Gains)
	}
}

// TestGainsInChild: a child's mappings are read at the fork (it has its
// own page tables), and its first faults count from there.
func TestGainsInChild(t *testing.T) {
	f := &pagesProc{pg: map[uint64]Pages{}}
	m := residencyModel(f)
	mmapCall(m, 10, 1, unix.PROT_READ|unix.PROT_WRITE, unix.MAP_SHARED|unix.MAP_ANONYMOUS, -1)
	f.pageReads = nil
	m.Apply(&tracer.Event{Kind: tracer.Spawn, Pid: 10, Tid: 10, Child: 11})
	if len(f.pageReads) != 1 {
		t.Fatalf("at the fork, ranges read: %x; want the child's mapping", f.pageReads)
	}
	f.min, f.pg[base] = 3, Pages{Cache: 1}
	c := m.Apply(enterEvent(11, "exit_group", 0))
	if len(c.Gains) != 1 || c.Gains[0].Pages.Cache != 1 || !c.Gains[0].Map.Shared || !c.Gains[0].Map.Anon {
		t.Fatalf("child's gains %+v; want the shared anonymous page", c.Gains)
	}
}

// TestReadBytes: read_bytes is read once when the model first sees a
// process, then only at a major fault, and compared with the last read:
// over one call (or since the fork) or over several, which the change
// says.
func TestReadBytes(t *testing.T) {
	f := &pagesProc{pg: map[uint64]Pages{}}
	m := residencyModel(f)
	f.io = 100
	m.Apply(enterEvent(10, "openat", 0)) // first seen: read once
	m.Apply(enterEvent(10, "openat", 0))
	m.Apply(enterEvent(10, "openat", 0))
	if f.ioReads != 1 {
		t.Fatalf("io read %d times with no major fault; want once, at the first call", f.ioReads)
	}
	// A major fault two calls later, read_bytes grown: over 2 calls.
	f.maj, f.io = 1, 4196
	c := m.Apply(enterEvent(10, "openat", 0))
	if f.ioReads != 2 || !c.ReadKnown || c.ReadBytes != 4096 || c.ReadCalls != 3 {
		t.Fatalf("major fault: %d reads, %+v; want 4096 bytes over 3 calls", f.ioReads, c)
	}
	// The next call's major fault: since its previous call.
	f.maj, f.io = 2, 8292
	c = m.Apply(enterEvent(10, "openat", 0))
	if !c.ReadKnown || c.ReadBytes != 4096 || c.ReadCalls != 1 {
		t.Fatalf("major fault at the next call: %+v; want 4096 bytes over 1 call", c)
	}
	// A child: read_bytes starts at zero, its first call counts since the
	// fork without a read before.
	m.Apply(&tracer.Event{Kind: tracer.Spawn, Pid: 10, Tid: 10, Child: 11})
	reads := f.ioReads
	f.maj, f.io = 1, 0
	c = m.Apply(enterEvent(11, "exit_group", 0))
	if f.ioReads != reads+1 || !c.ReadKnown || c.ReadBytes != 0 || c.ReadCalls != 1 {
		t.Fatalf("child's major fault: %+v after %d reads; want nothing read, since the fork", c, f.ioReads-reads)
	}
}

// TestResidencyOff: without Residency the model reads neither the page
// tables nor /proc/PID/io.
func TestResidencyOff(t *testing.T) {
	f := &pagesProc{pg: map[uint64]Pages{}}
	m := residencyModel(f)
	m.Residency = false
	mmapCall(m, 10, 1, unix.PROT_READ, unix.MAP_SHARED, 3)
	f.min, f.maj = 5, 1
	c := m.Apply(enterEvent(10, "munmap", base, PageSize))
	if len(f.pageReads) != 0 || f.ioReads != 0 || c.Lessons || c.ReadKnown {
		t.Fatalf("Residency off: %d page reads, %d io reads, %+v", len(f.pageReads), f.ioReads, c)
	}
}

// loaded keeps a load from being optimized away.
var loaded byte

// TestPagesOfRealMapping reads, through the real /proc, the pages of a
// mapping of this process: what a store and a read do, each kind told
// apart, by PAGEMAP_SCAN and by the plain pagemap read.
func TestPagesOfRealMapping(t *testing.T) {
	dir := t.TempDir()
	fd, err := unix.Open(dir+"/f", unix.O_RDWR|unix.O_CREAT, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	defer unix.Close(fd)
	if err := unix.Ftruncate(fd, int64(4*PageSize)); err != nil {
		t.Fatal(err)
	}
	priv, err := unix.Mmap(fd, 0, int(4*PageSize), unix.PROT_READ|unix.PROT_WRITE, unix.MAP_PRIVATE)
	if err != nil {
		t.Fatal(err)
	}
	defer unix.Munmap(priv)
	unix.Madvise(priv, unix.MADV_RANDOM) // no fault-around: one page a fault
	anon, err := unix.Mmap(-1, 0, int(8*PageSize), unix.PROT_READ|unix.PROT_WRITE, unix.MAP_PRIVATE|unix.MAP_ANONYMOUS)
	if err != nil {
		t.Fatal(err)
	}
	defer unix.Munmap(anon)
	priv[0] = 1               // a copy
	loaded = priv[2*PageSize] // the page cache's page
	for i := 0; i < 3; i++ {  // three zero-filled pages
		anon[uint64(i)*PageSize] = 1
	}
	pstart, astart := uint64(addrOf(priv)), uint64(addrOf(anon))
	for _, noScan := range []bool{false, true} {
		r := newRealProc()
		r.noScan = noScan
		ranges := []pageRange{
			{start: pstart, end: pstart + 4*PageSize, byPage: true, cache: true},
			{start: astart, end: astart + 8*PageSize},
		}
		if astart < pstart {
			ranges[0], ranges[1] = ranges[1], ranges[0]
		}
		got := make([]Pages, 2)
		ok := r.pages(unix.Getpid(), ranges, got)
		for i, rg := range ranges {
			switch {
			case !ok:
				t.Errorf("noScan %v: pages failed", noScan)
			case rg.start == pstart && (got[i].Anon != 1 || got[i].Cache != 1):
				t.Errorf("noScan %v: private file mapping: %+v; want 1 copy, 1 page-cache page", noScan, got[i])
			case rg.start == astart && (got[i].Resident() != 3 || got[i].Anon != 3):
				t.Errorf("noScan %v: anonymous mapping: %+v; want 3 anonymous pages", noScan, got[i])
			}
		}
	}
}
