package model

import (
	"path/filepath"
	"strings"
)

// Pages counts the pages of a range that are mapped in a process's page
// tables, by what backs them, as /proc/PID/pagemap tells.
type Pages struct {
	// Cache: page-cache pages, the file's own (for a file mapping) or the
	// shared memory's (MAP_SHARED|MAP_ANONYMOUS, /dev/zero).
	Cache uint64
	// Anon: pages of this process alone: zero-filled at a first touch of
	// anonymous memory, or copied at a store to a MAP_PRIVATE file page
	// (copy-on-write).
	Anon uint64
	// Zero: the shared zero page, which some kernels map at a read of
	// untouched anonymous memory; it takes no memory and is not resident.
	Zero uint64
}

func (p *Pages) add(cache, zero bool, n uint64) {
	switch {
	case zero:
		p.Zero += n
	case cache:
		p.Cache += n
	default:
		p.Anon += n
	}
}

// Resident is the pages that count in the process's resident set.
func (p Pages) Resident() uint64 { return p.Cache + p.Anon }

// gainedSince is what p has more of than before, kind by kind.
func (p Pages) gainedSince(before Pages) Pages {
	more := func(now, was uint64) uint64 {
		if now > was {
			return now - was
		}
		return 0
	}
	return Pages{Cache: more(p.Cache, before.Cache), Anon: more(p.Anon, before.Anon), Zero: more(p.Zero, before.Zero)}
}

// Gain is what one of the lesson's mappings gained between two looks.
type Gain struct {
	Map   Mapping // the mapping, as the model knows it now
	Pages Pages   // the pages it gained
}

// Lesson says whether a mapping is one a lesson is about: made by a call
// the trace saw (mmap, mremap), and not a library's, the heap or the stack.
func (m *Mapping) Lesson() bool {
	if m.Initial || strings.HasPrefix(m.Path, "[") {
		return false
	}
	base := filepath.Base(m.Path)
	return !strings.HasSuffix(base, ".so") && !strings.Contains(base, ".so.")
}

// pageRange is a range whose pages to count, and how to tell what backs
// them: page by page (byPage), or all cached (cache) or all anonymous.
type pageRange struct {
	start, end    uint64
	byPage, cache bool
}

// rangeOf says how to count mp's pages. What backs a page follows from
// the mapping but in a file's MAP_PRIVATE mapping that was ever writable,
// where a page is the file's or a copy of it: only there is each page
// checked.
func rangeOf(mp *Mapping) pageRange {
	private := !mp.Shared && mp.fileBacked()
	return pageRange{start: mp.Start, end: mp.End, byPage: private && mp.everWritable, cache: mp.Shared || private}
}

// look counts the pages of p's lesson mappings that pick accepts, in one
// walk of its page tables, and calls found with each and what it has.
func (m *Model) look(p *Process, pick func(*Mapping) bool, found func(mp *Mapping, now Pages)) {
	m.ranges, m.picked = m.ranges[:0], m.picked[:0]
	for i := range p.Maps {
		if mp := &p.Maps[i]; mp.Lesson() && pick(mp) {
			m.ranges = append(m.ranges, rangeOf(mp))
			m.picked = append(m.picked, i)
		}
	}
	if len(m.ranges) == 0 {
		return
	}
	m.counts = append(m.counts[:0], make([]Pages, len(m.ranges))...)
	if !m.proc.pages(p.Pid, m.ranges, m.counts) {
		for _, i := range m.picked {
			p.Maps[i].pagesKnown = false
		}
		return
	}
	for k, i := range m.picked {
		found(&p.Maps[i], m.counts[k])
	}
}

// fileBacked says whether the mapping's pages come from a file's page
// cache.
func (m *Mapping) fileBacked() bool { return !m.Anon && m.Path != "/dev/zero" }

// follow fills in c, the change at a call's entry, with what the pages of
// p's lesson mappings gained since the model last looked, and the disk
// reads behind its major faults. The page tables are read only when the
// fault counters moved (no fault, no new page), /proc/PID/io only at a
// major fault, and once when the model first sees the process (a child's
// read_bytes starts at zero), so the read at a major fault has something
// to compare with.
func (m *Model) follow(p *Process, c *Change) {
	lessons := false
	for i := range p.Maps {
		if p.Maps[i].Lesson() {
			lessons = true
			break
		}
	}
	c.Lessons = lessons
	if c.MajFlt > 0 || !p.ioKnown && !p.ioTried {
		p.ioTried = true
		if rb, ok := m.proc.readBytes(p.Pid); ok {
			if c.MajFlt > 0 && p.ioKnown && rb >= p.ioBytes {
				c.ReadBytes, c.ReadKnown, c.ReadCalls = rb-p.ioBytes, true, p.calls-p.ioAt
			}
			p.ioBytes, p.ioAt, p.ioKnown = rb, p.calls, true
		}
	}
	if c.MinFlt+c.MajFlt == 0 || !lessons {
		return
	}
	var gained uint64
	m.look(p, func(*Mapping) bool { return true }, func(mp *Mapping, now Pages) {
		if mp.pagesKnown {
			if g := now.gainedSince(mp.pages); g.Resident() > 0 {
				c.Gains = append(c.Gains, Gain{Map: *mp, Pages: g})
				gained += g.Resident()
			}
		}
		mp.pages, mp.pagesKnown = now, true
	})
	if c.MappedIn > gained {
		c.Rest = c.MappedIn - gained
	}
}

// settle reads the pages of p's lesson mappings whose count the model
// lost (a fork, a mapping split, moved or grown), so that the next look
// compares with them.
func (m *Model) settle(p *Process) {
	m.look(p, func(mp *Mapping) bool { return !mp.pagesKnown }, func(mp *Mapping, now Pages) {
		mp.pages, mp.pagesKnown = now, true
	})
}
