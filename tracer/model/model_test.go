package model

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/mmtrace/mmtrace/internal/rawchild"
	"github.com/mmtrace/mmtrace/internal/testutil"
	"github.com/mmtrace/mmtrace/tracer"
	"github.com/mmtrace/mmtrace/tracer/filter"
	"github.com/mmtrace/mmtrace/tracer/sys"
)

func TestParseFaults(t *testing.T) {
	stat := "1234 (a (weird) name) S 1 1234 1234 0 -1 4194560 812 0 3 0 1 2 0 0 20 0 1 0 100 0 0"
	min, maj, ok := parseFaults([]byte(stat))
	if !ok || min != 812 || maj != 3 {
		t.Fatalf("parseFaults = %d %d %v, want 812 3", min, maj, ok)
	}
	if _, _, ok := parseFaults([]byte("garbage")); ok {
		t.Fatal("parseFaults accepted garbage")
	}
}

// TestParseRss: the Rss line of smaps_rollup, in kB.
func TestParseRss(t *testing.T) {
	tests := []struct {
		name string
		text string
		kb   uint64
		ok   bool
	}{
		{"rollup", "55d0c0a00000-7ffd1d3e4000 ---p 00000000 00:00 0                          [rollup]\nRss:                1236 kB\nPss:                 229 kB\n", 1236, true},
		{"no rss", "Pss:                 229 kB\n", 0, false},
		{"no unit", "Rss:                1236\n", 0, false},
		{"garbage", "Rss: many kB\n", 0, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			kb, ok := parseRssKB([]byte(tc.text))
			if kb != tc.kb || ok != tc.ok {
				t.Fatalf("parseRssKB = %d, %v, want %d, %v", kb, ok, tc.kb, tc.ok)
			}
		})
	}
}

func TestParseMaps(t *testing.T) {
	text := `55d0c0a00000-55d0c0a01000 r--p 00000000 08:01 1234                       /usr/bin/cat
7f0000000000-7f0000002000 rw-s 00001000 00:05 99                         /tmp/dd.txt
7f0000003000-7f0000004000 rw-s 00000000 00:01 5                          /dev/zero (deleted)
7f0000005000-7f0000006000 rw-p 00000000 00:00 0                          [heap]
7f0000007000-7f0000008000 rw-p 00000000 00:00 0 
`
	maps, err := ParseMaps([]byte(text))
	if err != nil {
		t.Fatal(err)
	}
	want := []Mapping{
		{Start: 0x55d0c0a00000, End: 0x55d0c0a01000, Prot: unix.PROT_READ, Path: "/usr/bin/cat", FileSize: -1},
		{Start: 0x7f0000000000, End: 0x7f0000002000, Prot: unix.PROT_READ | unix.PROT_WRITE, Shared: true, Path: "/tmp/dd.txt", Offset: 0x1000, FileSize: -1},
		{Start: 0x7f0000003000, End: 0x7f0000004000, Prot: unix.PROT_READ | unix.PROT_WRITE, Shared: true, Path: "/dev/zero", FileSize: -1},
		{Start: 0x7f0000005000, End: 0x7f0000006000, Prot: unix.PROT_READ | unix.PROT_WRITE, Anon: true, Path: "[heap]", FileSize: -1},
		{Start: 0x7f0000007000, End: 0x7f0000008000, Prot: unix.PROT_READ | unix.PROT_WRITE, Anon: true, FileSize: -1},
	}
	if fmt.Sprint(maps) != fmt.Sprint(want) {
		t.Fatalf("ParseMaps:\n%v\nwant\n%v", maps, want)
	}
}

// fakeProc answers the model's /proc questions from tables.
type fakeProc struct {
	paths map[int]string
	fsize int64
}

func (fakeProc) maps(int) []Mapping                   { return nil }
func (fakeProc) fds(int, map[int]FD) map[int]FD       { return nil }
func (f fakeProc) fdPath(_, fd int) string            { return f.paths[fd] }
func (fakeProc) fdFlags(int, int) (int, bool)         { return unix.O_RDWR, false }
func (f fakeProc) size(int, int) int64                { return f.fsize }
func (fakeProc) faults(int) (uint64, uint64, bool)    { return 0, 0, false }
func (fakeProc) resident(int) (uint64, bool)          { return 0, false }
func (fakeProc) pages(int, []pageRange, []Pages) bool { return false }
func (fakeProc) readBytes(int) (uint64, bool)         { return 0, false }

func TestRemoveSplits(t *testing.T) {
	p := &Process{}
	p.insert(Mapping{Start: 0x1000, End: 0x5000, Path: "/f", Offset: 0})
	gone := p.remove(0x2000, 0x3000)
	if len(gone) != 1 || gone[0].Start != 0x2000 || gone[0].End != 0x3000 || gone[0].Offset != 0x1000 {
		t.Fatalf("removed %v", gone)
	}
	if len(p.Maps) != 2 || p.Maps[0].End != 0x2000 || p.Maps[1].Start != 0x3000 || p.Maps[1].Offset != 0x2000 {
		t.Fatalf("left %v", p.Maps)
	}
	p.protect(0x1000, 0x2000, unix.PROT_READ)
	if m := p.Lookup(0x1800); m == nil || m.Prot != unix.PROT_READ {
		t.Fatalf("after protect: %v", p.Maps)
	}
	if p.Lookup(0x2800) != nil {
		t.Fatal("the unmapped hole is still found")
	}
}

// merged sorts and merges adjacent ranges with the same attributes, as
// the kernel merges VMAs, and drops what the model cannot know (the stack
// grows without a call; vvar and vdso are the kernel's).
func merged(maps []Mapping) []string {
	sort.Slice(maps, func(i, j int) bool { return maps[i].Start < maps[j].Start })
	var out []Mapping
	for _, m := range maps {
		if m.Path == "[stack]" || m.Path == "[vvar]" || m.Path == "[vdso]" || m.Path == "[vsyscall]" || m.Path == "[vvar_vclock]" {
			continue
		}
		m.Initial, m.FileSize = false, -1
		if m.Shared && (m.Anon || m.Path == "/dev/zero") {
			// To the kernel a shared anonymous mapping and a shared
			// mapping of /dev/zero are the same shmem object; /proc names
			// both "/dev/zero (deleted)". The model knows which call made
			// it; the comparison cannot.
			m.Anon, m.Path, m.Offset = true, "", 0
		}
		if n := len(out); n > 0 {
			last := &out[n-1]
			if last.End == m.Start && last.Prot == m.Prot && last.Shared == m.Shared &&
				last.Anon == m.Anon && last.Path == m.Path &&
				(m.Anon || last.Offset+last.Len() == m.Offset) {
				last.End = m.End
				continue
			}
		}
		out = append(out, m)
	}
	s := make([]string, len(out))
	for i, m := range out {
		s[i] = fmt.Sprintf("%x-%x prot=%d shared=%v anon=%v %s", m.Start, m.End, m.Prot, m.Shared, m.Anon, m.Path)
		if !m.Anon {
			s[i] += fmt.Sprintf(" off=%x", m.Offset)
		}
	}
	return s
}

// crossCheck is a sink that applies events to a model and, after every
// call that changes an address space, compares the model with the
// kernel's /proc/PID/maps while the process is stopped.
type crossCheck struct {
	t       *testing.T
	m       *Model
	checked int
}

func (c *crossCheck) Event(e *tracer.Event) {
	c.m.Apply(e)
	if e.Kind != tracer.CallExit || e.Call.Errno() != 0 {
		return
	}
	switch e.Call.Name {
	case "mmap", "munmap", "mprotect", "mremap", "brk", "execve":
	default:
		return
	}
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/maps", e.Pid))
	if err != nil {
		c.t.Fatal(err)
	}
	kernel, err := ParseMaps(b)
	if err != nil {
		c.t.Fatal(err)
	}
	got, want := merged(append([]Mapping(nil), c.m.Process(e.Pid).Maps...)), merged(kernel)
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		c.t.Errorf("after %s in %d the model differs from /proc/%d/maps:\nmodel:\n%s\nkernel:\n%s",
			e.Call, e.Pid, e.Pid, strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	c.checked++
}

func (c *crossCheck) Flush() error { return nil }

// TestModelMatchesProcMaps traces the lesson's C program (glibc's startup
// maps libraries, then the program maps a file, forks, unmaps) with every
// call shown, checking the model against the kernel after each change.
func TestModelMatchesProcMaps(t *testing.T) {
	bin := testutil.BuildC(t, testutil.Fixture("lesson.c"))
	path, err := exec.LookPath(bin)
	if err != nil {
		t.Fatal(err)
	}
	spec := &rawchild.Spec{}
	if err := spec.SetExec(path, []string{path, filepath.Join(t.TempDir(), "dd.txt")}, os.Environ()); err != nil {
		t.Fatal(err)
	}
	cc := &crossCheck{t: t, m: New()}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	res, err := tracer.New(tracer.Config{Filter: filter.All()}, cc).Run(ctx, spec)
	if errors.Is(err, tracer.ErrNotPermitted) {
		t.Skip(err)
	}
	if err != nil {
		t.Fatal(err)
	}
	if res.Status() != 3 {
		t.Fatalf("exit status %d", res.Status())
	}
	if cc.checked < 10 {
		t.Fatalf("only %d points checked", cc.checked)
	}
}

func TestForkSharesAndFaults(t *testing.T) {
	m := &Model{procs: map[int]*Process{}, proc: fakeProc{paths: map[int]string{3: "/tmp/dd.txt"}, fsize: 4}}
	m.procs[10] = &Process{Pid: 10, FDs: map[int]FD{}}
	open := exitEvent(10, "openat", 3, 0, 0, unix.O_RDWR)
	m.Apply(open)
	mmap := exitEvent(10, "mmap", 0x7f0000000000, 0, 4, unix.PROT_READ|unix.PROT_WRITE, unix.MAP_SHARED, 3, 0)
	ch := m.Apply(mmap)
	if ch.Added == nil || ch.Added.Path != "/tmp/dd.txt" || ch.Added.Pages() != 1 || ch.Added.FileSize != 4 {
		t.Fatalf("mmap added %+v", ch.Added)
	}
	fork := &tracer.Event{Kind: tracer.Spawn, Pid: 10, Tid: 10, Child: 11}
	ch = m.Apply(fork)
	if ch.Child == nil || len(ch.Child.Maps) != 1 || ch.Child.FDs[3].Path != "/tmp/dd.txt" {
		t.Fatalf("child inherited %+v", ch.Child)
	}
	parent := m.Process(10)
	if got := m.SharedWith(parent, parent.Lookup(0x7f0000000000)); len(got) != 1 || got[0] != 11 {
		t.Fatalf("SharedWith = %v, want [11]", got)
	}
	munmap := exitEvent(11, "munmap", 0, 0x7f0000000000, 4)
	m.Apply(munmap)
	if got := m.SharedWith(parent, parent.Lookup(0x7f0000000000)); len(got) != 0 {
		t.Fatalf("after the child's munmap SharedWith = %v", got)
	}
}

// exitEvent builds the CallExit of a call that returned ret.
func exitEvent(pid int, name string, ret int64, args ...uint64) *tracer.Event {
	nr, _ := sys.Number(sys.HostArch(), name)
	var a [6]uint64
	copy(a[:], args)
	c := sys.NewCall(sys.HostArch(), nr, a)
	c.Ret, c.Done = ret, true
	return &tracer.Event{Kind: tracer.CallExit, Pid: pid, Tid: pid, Call: c}
}

// BenchmarkManyMappings maps 10,000 pages one by one, then unmaps them:
// the model must not slow a trace down quadratically.
func BenchmarkManyMappings(b *testing.B) {
	for i := 0; i < b.N; i++ {
		p := &Process{}
		const n = 10000
		for k := uint64(0); k < n; k++ {
			start := 0x10000000 + 2*k*PageSize
			p.remove(start, start+PageSize)
			p.insert(Mapping{Start: start, End: start + PageSize})
		}
		for k := uint64(0); k < n; k++ {
			start := 0x10000000 + 2*k*PageSize
			p.remove(start, start+PageSize)
		}
		if len(p.Maps) != 0 {
			b.Fatalf("%d mappings left", len(p.Maps))
		}
	}
}

// TestSharedModel: sinks sharing a model read what its one Apply did; a
// sink with no model given applies its own.
func TestSharedModel(t *testing.T) {
	m := &Model{procs: map[int]*Process{10: {Pid: 10, FDs: map[int]FD{}}}, proc: fakeProc{fsize: -1}}
	reader, own := Use(m), Use(nil)
	if own.M == m {
		t.Fatal("Use(nil) returned the shared model")
	}
	e := exitEvent(10, "mmap", 0x7f0000000000, 0, 4096, unix.PROT_READ, unix.MAP_PRIVATE|unix.MAP_ANONYMOUS, ^uint64(0), 0)
	m.Event(e)
	if ch := reader.Apply(e); ch.Added == nil || ch.Added.Start != 0x7f0000000000 {
		t.Fatalf("the reader saw %+v", ch)
	}
	if got := len(m.Process(10).Maps); got != 1 {
		t.Fatalf("the shared model holds %d mappings after one mmap read twice, want 1", got)
	}
}

// TestSkipFaults: with SkipFaults the model reads no counters at entry.
func TestSkipFaults(t *testing.T) {
	counted := &countingProc{}
	m := &Model{procs: map[int]*Process{10: {Pid: 10}}, proc: counted, SkipFaults: true}
	nr, _ := sys.Number(sys.HostArch(), "close")
	m.Apply(&tracer.Event{Kind: tracer.CallEnter, Pid: 10, Tid: 10, Call: sys.NewCall(sys.HostArch(), nr, [6]uint64{3})})
	if counted.reads != 0 {
		t.Fatalf("%d fault reads with SkipFaults", counted.reads)
	}
	// Nor for a process it meets first at a call, nor for a new child.
	m.Apply(&tracer.Event{Kind: tracer.CallEnter, Pid: 11, Tid: 11, Call: sys.NewCall(sys.HostArch(), nr, [6]uint64{3})})
	m.Apply(&tracer.Event{Kind: tracer.Spawn, Pid: 10, Tid: 10, Child: 12})
	if counted.reads != 0 {
		t.Fatalf("%d fault or resident reads with SkipFaults at a new process", counted.reads)
	}
	m.SkipFaults = false
	m.Apply(&tracer.Event{Kind: tracer.CallEnter, Pid: 10, Tid: 10, Call: sys.NewCall(sys.HostArch(), nr, [6]uint64{3})})
	if counted.reads != 2 {
		t.Fatalf("%d reads, want stat and statm", counted.reads)
	}
	m.Apply(&tracer.Event{Kind: tracer.CallEnter, Pid: 13, Tid: 13, Call: sys.NewCall(sys.HostArch(), nr, [6]uint64{3})})
	m.Apply(&tracer.Event{Kind: tracer.Spawn, Pid: 10, Tid: 10, Child: 14})
	if counted.reads != 2+4+1 {
		t.Fatalf("%d reads, want 2, then 4 for a process met at a call (its first counters, its call's) and 1 for a child's resident pages", counted.reads)
	}
}

type countingProc struct {
	fakeProc
	reads int
}

func (c *countingProc) faults(int) (uint64, uint64, bool) { c.reads++; return 1, 0, true }
func (c *countingProc) resident(int) (uint64, bool)       { c.reads++; return 1, true }

// mapsCounter counts the model's reads of /proc/PID/maps.
type mapsCounter struct {
	fakeProc
	reads int
}

func (c *mapsCounter) maps(int) []Mapping {
	c.reads++
	return []Mapping{{Start: 0x400000, End: 0x401000, Prot: unix.PROT_READ, Path: "/bin/prog", Initial: true}}
}

// TestExecSeedsNoMaps: a process first seen entering execve has its
// mappings read once, after the call (they are the new program's), unless
// the call fails, when the old ones are read then.
func TestExecSeedsNoMaps(t *testing.T) {
	arch := sys.HostArch()
	nr, _ := sys.Number(arch, "execve")
	for _, tc := range []struct {
		name string
		ret  int64
	}{
		{"succeeds", 0},
		{"fails", -int64(unix.ENOENT)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			counted := &mapsCounter{}
			m := &Model{procs: map[int]*Process{}, proc: counted, SkipFaults: true}
			c := sys.NewCall(arch, nr, [6]uint64{0x1000})
			m.Apply(&tracer.Event{Kind: tracer.CallEnter, Pid: 10, Tid: 10, Call: c})
			if counted.reads != 0 {
				t.Fatalf("%d maps reads at execve's entry, want 0", counted.reads)
			}
			c.Ret, c.Done = tc.ret, true
			m.Apply(&tracer.Event{Kind: tracer.CallExit, Pid: 10, Tid: 10, Call: c})
			if counted.reads != 1 {
				t.Fatalf("%d maps reads after execve, want 1", counted.reads)
			}
			if got := len(m.Process(10).Maps); got != 1 {
				t.Fatalf("%d mappings after execve, want 1", got)
			}
			m.Apply(exitEvent(10, "munmap", 0, 0x7f0000000000, 4096))
			if counted.reads != 1 {
				t.Fatalf("%d maps reads after a later call, want still 1", counted.reads)
			}
		})
	}
	// Any other first call reads them at once.
	counted := &mapsCounter{}
	m := &Model{procs: map[int]*Process{}, proc: counted, SkipFaults: true}
	close, _ := sys.Number(arch, "close")
	m.Apply(&tracer.Event{Kind: tracer.CallEnter, Pid: 10, Tid: 10, Call: sys.NewCall(arch, close, [6]uint64{3})})
	if counted.reads != 1 {
		t.Fatalf("%d maps reads at close's entry, want 1", counted.reads)
	}
}

// TestRealProc reads this test's own process through the model's /proc
// reader and checks it against what the test set up.
func TestRealProc(t *testing.T) {
	path := filepath.Join(t.TempDir(), "five")
	if err := os.WriteFile(path, []byte("12345"), 0o600); err != nil {
		t.Fatal(err)
	}
	fd, err := unix.Open(path, unix.O_RDWR|unix.O_APPEND, 0) // no O_CLOEXEC
	if err != nil {
		t.Fatal(err)
	}
	defer unix.Close(fd)
	r := newRealProc()
	r.buf = r.buf[:16] // a small buffer must grow, not cut the file
	pid := os.Getpid()

	fds := r.fds(pid, nil)
	got, ok := fds[fd]
	if !ok || got.Path != path {
		t.Fatalf("fds()[%d] = %+v (found %v), want path %s", fd, got, ok, path)
	}
	if got.Flags&unix.O_ACCMODE != unix.O_RDWR || got.Flags&unix.O_APPEND == 0 || got.Cloexec {
		t.Fatalf("fd %d flags %#o cloexec %v, want O_RDWR|O_APPEND, not cloexec", fd, got.Flags, got.Cloexec)
	}
	// An fd known with the same file keeps what the model knew of it.
	if got := r.fds(pid, map[int]FD{fd: {Path: path, Flags: 0o12345}})[fd]; got.Flags != 0o12345 {
		t.Fatalf("a known fd's flags were read again: %#o", got.Flags)
	}
	if n := r.size(pid, fd); n != 5 {
		t.Fatalf("size = %d, want 5", n)
	}
	if p := r.fdPath(pid, 1<<20); p != "" {
		t.Fatalf("fdPath of a closed fd = %q", p)
	}
	maps := r.maps(pid)
	stack := false
	for _, mp := range maps {
		stack = stack || mp.Path == "[stack]"
		if !mp.Initial {
			t.Fatalf("seeded mapping not Initial: %v", mp)
		}
	}
	if len(maps) < 5 || !stack {
		t.Fatalf("maps: %d mappings, stack %v", len(maps), stack)
	}
	if min, _, ok := r.faults(pid); !ok || min == 0 {
		t.Fatalf("faults: %d, %v", min, ok)
	}
	if res, ok := r.resident(pid); !ok || res == 0 {
		t.Fatalf("resident: %d, %v", res, ok)
	}
	if r.maps(1<<30) != nil || len(r.fds(1<<30, nil)) != 0 {
		t.Fatal("a missing process gave maps or fds")
	}
}

func TestParseFdinfoFlags(t *testing.T) {
	for _, tc := range []struct {
		in      string
		flags   int
		cloexec bool
	}{
		{"pos:\t0\nflags:\t02100002\nmnt_id:\t25\n", 0o2100002, true},
		{"pos:\t0\nflags:\t0100000\n", 0o100000, false},
		{"flags:\t02", 2, false},
		{"pos:\t0\n", 0, false},
		{"", 0, false},
	} {
		flags, cloexec := parseFdinfoFlags([]byte(tc.in))
		if flags != tc.flags || cloexec != tc.cloexec {
			t.Errorf("parseFdinfoFlags(%q) = %#o, %v; want %#o, %v", tc.in, flags, cloexec, tc.flags, tc.cloexec)
		}
	}
}

func TestSizeText(t *testing.T) {
	for _, tc := range []struct {
		n    uint64
		want string
	}{
		{0, "0 B"}, {4, "4 B"}, {1023, "1023 B"}, {1024, "1 KiB"}, {1536, "1.5 KiB"},
		{12 << 10, "12 KiB"}, {150 << 10, "150 KiB"}, {2000000, "1.9 MiB"}, {1 << 30, "1 GiB"},
	} {
		if got := SizeText(tc.n); got != tc.want {
			t.Errorf("SizeText(%d) = %q, want %q", tc.n, got, tc.want)
		}
	}
}

// procMaps is a /proc whose maps say what the kernel has, and counts the
// reads.
type procMaps struct {
	fakeProc
	now   []Mapping
	reads int
}

func (p *procMaps) maps(int) []Mapping {
	p.reads++
	return append([]Mapping(nil), p.now...)
}

// enterExit applies a call's entry, then its exit with ret.
func enterExit(m *Model, pid int, name string, ret int64, args ...uint64) Change {
	e := exitEvent(pid, name, ret, args...)
	e.Call.Done = false
	m.Apply(&tracer.Event{Kind: tracer.CallEnter, Pid: pid, Tid: pid, Call: e.Call})
	e.Call.Done = true
	return m.Apply(e)
}

// TestBeforeCallReadsWhatItDoesNotKnow: a munmap of a range the model
// has no mapping for reads /proc/PID/maps at the call's entry, while the
// mapping is still there; a range it knows costs no read, unless the
// model is Blind, when what it knows may be stale.
func TestBeforeCallReadsWhatItDoesNotKnow(t *testing.T) {
	const at = 0x7f0000000000
	file := Mapping{Start: at, End: at + 2*PageSize, Prot: unix.PROT_READ | unix.PROT_WRITE, Shared: true, Path: "/tmp/hidden.txt", FileSize: -1}
	for _, tc := range []struct {
		name  string
		blind bool
		known []Mapping // what the model holds
		now   []Mapping // what /proc says at the entry
		reads int
		gone  string // what the munmap removed, "" for nothing
	}{
		{"made by a hidden mmap", false, nil, []Mapping{file}, 1, "/tmp/hidden.txt"},
		{"known", false, []Mapping{file}, []Mapping{file}, 0, "/tmp/hidden.txt"},
		{"unmapped already", false, nil, nil, 1, ""},
		{"stale: a hidden munmap took it", true, []Mapping{file}, nil, 1, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			// /proc always has the program's own mappings.
			prog := Mapping{Start: 0x400000, End: 0x401000, Prot: unix.PROT_READ, Path: "/bin/prog", FileSize: -1}
			proc := &procMaps{now: append([]Mapping{prog}, tc.now...)}
			m := &Model{procs: map[int]*Process{10: {Pid: 10, FDs: map[int]FD{}, Maps: tc.known}}, proc: proc, SkipFaults: true, Blind: tc.blind}
			ch := enterExit(m, 10, "munmap", 0, at, 2*PageSize)
			if proc.reads != tc.reads {
				t.Errorf("%d reads of /proc/PID/maps, want %d", proc.reads, tc.reads)
			}
			got := ""
			if len(ch.Removed) > 0 {
				got = ch.Removed[0].Path
				if ch.Removed[0].Initial {
					t.Errorf("a mapping made while traced is Initial: %v", ch.Removed[0])
				}
			}
			if got != tc.gone {
				t.Errorf("removed %v, want %q", ch.Removed, tc.gone)
			}
		})
	}
}

// TestKnowFD: an fd the model never saw opened is read from /proc at the
// entry of a call naming it, so that an mmap of it names the file.
func TestKnowFD(t *testing.T) {
	m := &Model{procs: map[int]*Process{10: {Pid: 10, FDs: map[int]FD{}}}, proc: fakeProc{paths: map[int]string{5: "/tmp/hidden.txt (deleted)"}, fsize: 4}, SkipFaults: true}
	ch := enterExit(m, 10, "mmap", 0x7f0000000000, 0, 4, unix.PROT_READ|unix.PROT_WRITE, unix.MAP_SHARED, 5, 0)
	if ch.Added == nil || ch.Added.Path != "/tmp/hidden.txt" || !ch.Added.Deleted || ch.Added.Anon {
		t.Fatalf("mmap of an fd opened by a hidden call added %+v", ch.Added)
	}
	if f := m.Process(10).FDs[5]; f.Flags&unix.O_ACCMODE != unix.O_RDWR {
		t.Fatalf("fd 5's flags %#o, want them from fdinfo (O_RDWR)", f.Flags)
	}
}

// TestBlindUnder: -e that hides a call the model learns from makes it
// Blind; the default set and every call do not.
func TestBlindUnder(t *testing.T) {
	for _, tc := range []struct {
		expr  string
		blind bool
	}{{"", false}, {"all", false}, {"munmap", true}, {"mmap,munmap", true}, {"!close", true}, {"%memory", true}} {
		set := filter.Default()
		if tc.expr != "" {
			var err error
			if set, err = filter.FromOptions([]string{"trace=" + tc.expr}, filter.Default()); err != nil {
				t.Fatal(err)
			}
		}
		if got := BlindUnder(set); got != tc.blind {
			t.Errorf("-e trace=%s: Blind %v, want %v", tc.expr, got, tc.blind)
		}
	}
	if BlindUnder(nil) {
		t.Error("the default set (nil) leaves the model Blind")
	}
}
