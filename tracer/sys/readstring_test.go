package sys

import (
	"strings"
	"testing"
)

// countingMem counts what a decoder asks of the tracee's memory.
type countingMem struct {
	fakeMem
	reads, bytes int
}

func (m *countingMem) Read(a uint64, p []byte) (int, error) {
	m.reads++
	m.bytes += len(p)
	return m.fakeMem.Read(a, p)
}

// A path is read in a first short read, not up to the end of its page:
// the copy, the buffer and the search for its NUL were 9% of the stop
// path's time on `git status` (issue 15).
func TestPathReadsLittle(t *testing.T) {
	const pa = 0x10000 // a page's start: 4 KiB to its end
	name := "/usr/lib/x86_64-linux-gnu/libc.so.6"
	m := &countingMem{fakeMem: fakeMem{pa: append([]byte(name), make([]byte, pageSize-len(name))...)}}
	if got, want := path(m, pa), `"`+name+`"`; got != want {
		t.Fatalf("path = %s, want %s", got, want)
	}
	if m.reads != 1 || m.bytes > 256 {
		t.Errorf("reading a %d-byte path: %d reads of %d bytes in all, want 1 of at most 256", len(name), m.reads, m.bytes)
	}
	allocs := testing.AllocsPerRun(100, func() { readCString(m, pa, pathMax) })
	if allocs > 1 {
		t.Errorf("readCString of a short path: %v allocations, want at most 1", allocs)
	}
}

// Strings around the first read's length and the page's end read whole.
func TestReadCStringChunks(t *testing.T) {
	const pa = 0x20000
	for _, tc := range []struct {
		name   string
		at     uint64 // offset in the page
		length int
		limit  int
		mapped int // bytes mapped from the string's start (0: a whole page more)
		want   string
		term   bool
		ok     bool
	}{
		{name: "short", length: 10, limit: pathMax, want: "x10", term: true, ok: true},
		{name: "first read less one", length: 256 - 1, limit: pathMax, term: true, ok: true},
		{name: "first read exactly", length: 256, limit: pathMax, term: true, ok: true},
		{name: "two reads", length: 256 + 100, limit: pathMax, term: true, ok: true},
		{name: "across a page", at: pageSize - 100, length: 300, limit: pathMax, term: true, ok: true},
		{name: "ends at unmapped page", at: pageSize - 300, length: 299, limit: pathMax, mapped: 300, term: true, ok: true},
		{name: "runs into unmapped page", at: pageSize - 300, length: 400, limit: pathMax, mapped: 300, ok: false},
		{name: "limit before NUL", length: 500, limit: 300, term: false, ok: true},
		{name: "limit at first read", length: 500, limit: 256, term: false, ok: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := strings.Repeat("x", tc.length)
			mem := append([]byte(s), 0)
			mem = append(mem, make([]byte, pageSize)...)
			if tc.mapped > 0 {
				mem = mem[:tc.mapped]
			}
			m := fakeMem{pa + tc.at: mem}
			b, term, ok := readCString(m, pa+tc.at, tc.limit)
			if ok != tc.ok || term != tc.term {
				t.Fatalf("terminated, ok = %v, %v; want %v, %v", term, ok, tc.term, tc.ok)
			}
			want := s
			if !tc.term {
				want = s[:min(len(s), tc.limit)]
			}
			if ok && string(b) != want {
				t.Errorf("got %d bytes, want %d", len(b), len(want))
			}
		})
	}
}
