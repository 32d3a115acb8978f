package explain

import (
	"github.com/mmtrace/mmtrace/tracer"
	"github.com/mmtrace/mmtrace/tracer/model"
)

// maxGainLines is how many mappings a fault note lists, one line each.
const maxGainLines = 3

// faults says how many page faults the process took since its previous
// call, what kind they were, and where they went: what each mapping the
// process made with mmap gained, and how much went elsewhere (the
// program, its libraries, stack and heap).
//
// Minor faults need no I/O: a page found in memory (the page cache), a
// fresh zero-filled page, or a copy made for copy-on-write; which one is
// told from the mapping that gained the page. Major faults found no page
// in memory; only /proc/PID/io's read_bytes tells whether the disk was
// read (a store into the new page of a file allocates it in the page
// cache, reading nothing).
func (x *Explainer) faults(e *tracer.Event, ch model.Change) []local {
	since := mSincePrev
	if !x.called[e.Pid] {
		since = mSinceStart
		if x.forked[e.Pid] || (ch.Proc != nil && ch.Proc.Parent != 0) {
			since = mSinceFork
		}
		trim(x.called)
		x.called[e.Pid] = true
	}
	var ls []local
	switch {
	case ch.MinFlt+ch.MajFlt == 0:
		return nil
	case ch.MajFlt == 0:
		ls = one(mFaultsMinor, "minor", minorFlt(ch.MinFlt), "since", t(since))
	case ch.MinFlt == 0:
		ls = one(mFaultsMajor, "major", majorFlt(ch.MajFlt), "since", t(since))
	default:
		ls = one(mFaultsBoth, "minor", minorFlt(ch.MinFlt), "major", majorFlt(ch.MajFlt), "since", t(since))
	}
	if ch.MajFlt > 0 {
		ls = append(ls, t(mMajorWhat))
		switch {
		case !ch.ReadKnown:
		case ch.ReadBytes > 0 && ch.ReadCalls > 1:
			ls = append(ls, t(mDiskReadOver, "bytes", lit(model.SizeText(ch.ReadBytes)), "n", ch.ReadCalls))
		case ch.ReadBytes > 0:
			ls = append(ls, t(mDiskRead, "bytes", lit(model.SizeText(ch.ReadBytes))))
		default:
			ls = append(ls, t(mDiskNone))
		}
	}
	return append(ls, gains(ch)...)
}

// gains says where the faults' pages went.
func gains(ch model.Change) []local {
	if !ch.Lessons {
		if ch.MappedIn > 0 {
			return one(mResidentGrew, "pages", pages(ch.MappedIn))
		}
		return nil
	}
	var ls []local
	for i := range ch.Gains {
		if i == maxGainLines {
			ls = append(ls, t(mGainMore, "n", len(ch.Gains)-i))
			break
		}
		g := &ch.Gains[i]
		ls = append(ls, t(mGainLine, "name", mapName(&g.Map), "items", gainItems(g, ch.MajFlt > 0)))
	}
	if len(ch.Gains) == 0 {
		ls = append(ls, t(mGainNone))
	}
	if ch.Rest > 0 {
		ls = append(ls, t(mGainRest, "pages", pages(ch.Rest)))
	}
	return ls
}

// gainItems says what kind of pages a mapping gained, from what backs it.
func gainItems(g *model.Gain, major bool) list {
	mp, pg := &g.Map, g.Pages
	var items list
	item := func(id msgID, n uint64) {
		if n > 0 {
			items = append(items, t(id, "pages", pages(n)))
		}
	}
	switch {
	case (mp.Anon || isDevZero(mp)) && !mp.Shared:
		// Private anonymous memory (MAP_PRIVATE of /dev/zero is too): a
		// first touch gets a zero-filled page, unless a major fault
		// brought back a page that was swapped out.
		if major {
			item(mGainPlain, pg.Anon)
		} else {
			item(mGainZero, pg.Anon)
		}
		item(mGainPlain, pg.Cache)
	case mp.Anon || isDevZero(mp):
		// Shared anonymous memory lives in the page cache of shmem: the
		// first process to touch a page gets it zero-filled, the others
		// find it there.
		item(mGainShared, pg.Cache)
		item(mGainPlain, pg.Anon)
	case mp.Shared:
		item(mGainCache, pg.Cache)
		item(mGainPlain, pg.Anon)
	default:
		// MAP_PRIVATE of a file: reads map the page cache's pages, a
		// store gets the process its own copy.
		item(mGainCow, pg.Anon)
		item(mGainCache, pg.Cache)
	}
	return items
}
