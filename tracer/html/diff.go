package html

import (
	"maps"
	"slices"

	"github.com/mmtrace/mmtrace/internal/escape"
	"github.com/mmtrace/mmtrace/tracer/model"
)

// track compares what the model now knows of pid with what the page was
// last told, and queues the differences as ops for the next record. The
// model is the truth; the page follows it, whatever call (or /proc read)
// changed it. Both lists are sorted by address: one merge, and nothing
// copied when nothing changed.
func (r *Recorder) track(pid int) {
	p := r.m.M.Process(pid)
	if p == nil {
		return
	}
	s := r.snaps[pid]
	if s == nil {
		s = &snapshot{fds: map[int]model.FD{}, name: r.nameOf(p)}
		r.snaps[pid] = s
		r.op(opProc, int64(r.lab.pid(pid)), int64(r.lab.pid(p.Parent)), int64(r.strLocked(s.name)))
	}
	r.diffMaps(pid, s, p.Maps, nil)
	r.diffFDs(pid, s, p.FDs)
}

// nameOf names a process the page meets: the first is the trace's; a
// child has its parent's until it execs.
func (r *Recorder) nameOf(p *model.Process) string {
	if q := r.snaps[p.Parent]; q != nil && p.Parent != 0 {
		return q.name
	}
	if len(r.snaps) == 0 {
		return escape.String(r.opt.Name)
	}
	return ""
}

// spawn tells the page of a new child: its mappings are its parent's, the
// same objects (shared, or copy-on-write when private).
func (r *Recorder) spawn(parent, child int) {
	c := r.m.M.Process(child)
	if c == nil || r.snaps[child] != nil {
		return
	}
	ps := r.snaps[parent]
	s := &snapshot{fds: map[int]model.FD{}}
	if ps != nil {
		s.name = ps.name
	}
	r.snaps[child] = s
	r.op(opProc, int64(r.lab.pid(child)), int64(r.lab.pid(parent)), int64(r.strLocked(s.name)))
	var from []sent
	if ps != nil {
		from = ps.maps
	}
	r.diffMaps(child, s, c.Maps, from)
	r.diffFDs(child, s, c.FDs)
}

// same says whether two mappings are the same to the page.
func same(a, b *model.Mapping) bool {
	return a.Start == b.Start && a.End == b.End && a.Prot == b.Prot && a.Shared == b.Shared &&
		a.Anon == b.Anon && a.Path == b.Path && a.Offset == b.Offset && a.Initial == b.Initial &&
		a.Deleted == b.Deleted
}

// diffMaps brings s.maps to now, queueing the ops. inherit, at a fork, is
// the parent's mappings, whose objects the child's share.
func (r *Recorder) diffMaps(pid int, s *snapshot, now []model.Mapping, inherit []sent) {
	old := s.maps
	if len(old) == len(now) {
		eq := true
		for k := range now {
			if !same(&old[k].m, &now[k]) {
				eq = false
				break
			}
		}
		if eq {
			r.diffPages(pid, old, now)
			return
		}
	}
	// Kept: an old mapping still there as it was. Every other old one
	// goes, every other new one comes; a piece of a mapping cut in two
	// or reprotected keeps its object (colour, links).
	fresh := make([]sent, len(now))
	keep := make([]bool, len(old))
	i := 0
	for j := range now {
		for i < len(old) && old[i].m.Start < now[j].Start {
			i++
		}
		if i < len(old) && same(&old[i].m, &now[j]) {
			fresh[j], keep[i] = old[i], true
			continue
		}
		fresh[j] = sent{m: now[j]}
	}
	lab := r.lab.pid(pid)
	for k, o := range old {
		if !keep[k] {
			r.op(opUnmap, int64(lab), r.keyRef(o.key))
		}
	}
	for j := range fresh {
		f := &fresh[j]
		if f.told {
			continue
		}
		obj, fresh := r.objectOf(&f.m, old, inherit)
		f.obj = obj
		f.key = r.keyOf()
		f.told = true
		r.mapOp(lab, f, &now[j], fresh)
	}
	s.maps = fresh
	r.diffPages(pid, fresh, now)
}

// diffPages tells the page how many pages of each mapping the process
// has touched, where the model follows them (its fault figures: see
// model.Model.Residency) and the number changed. maps[k] is now[k] as
// the page knows it.
func (r *Recorder) diffPages(pid int, maps []sent, now []model.Mapping) {
	lab := r.lab.pid(pid)
	for k := range maps {
		f := &maps[k]
		pg, ok := now[k].Resident()
		if !ok {
			continue
		}
		n := pg.Resident() + pg.Zero
		if f.hasPages && n == f.touched {
			continue
		}
		f.touched, f.hasPages = n, true
		r.op(opPages, int64(lab), r.keyRef(f.key), int64(n))
	}
}

// keyOf names a mapping for the page: a number in order of appearance,
// shorter than its address (and addresses change run to run). The page
// counts the mappings as they come, so an opMap does not say its key.
func (r *Recorder) keyOf() uint64 {
	r.keys++
	return uint64(r.keys)
}

// keyRef is how an op names mapping key: how many mappings came after
// it, a small number for a recent one.
func (r *Recorder) keyRef(key uint64) int64 { return int64(uint64(r.keys) - key) }

// objectOf says which memory mp shows, for the page's colours and links:
// what a fork copied is the parent's object; a piece of a mapping cut or
// reprotected is the old one's; every mapping of one file with
// MAP_SHARED is the file's; anything else is new (fresh: the page
// numbers the new objects as they come).
func (r *Recorder) objectOf(mp *model.Mapping, old, inherit []sent) (id int, fresh bool) {
	for _, in := range inherit {
		if in.m.Start == mp.Start && in.m.Path == mp.Path && in.m.Shared == mp.Shared {
			return in.obj, false
		}
	}
	for _, o := range old {
		if o.m.Start < mp.End && mp.Start < o.m.End && o.m.Path == mp.Path && o.m.Shared == mp.Shared && o.m.Anon == mp.Anon {
			return o.obj, false
		}
	}
	if mp.Shared && !mp.Anon && mp.Path != "" && mp.Path != "/dev/zero" {
		if id, ok := r.files[mp.Path]; ok {
			return id, false
		}
		r.objs++
		r.files[mp.Path] = r.objs
		return r.objs, true
	}
	r.objs++
	return r.objs, true
}

// mapOp tells the page of mapping f, now now: with the pages touched,
// where the model follows them.
func (r *Recorder) mapOp(pid int, f *sent, now *model.Mapping, fresh bool) {
	mp := &f.m
	flags := 0
	if mp.Shared {
		flags |= mapShared
	}
	if mp.Anon {
		flags |= mapAnon
	}
	if mp.Initial {
		flags |= mapInitial
	}
	if mp.Deleted {
		flags |= mapDeleted
	}
	if mp.Path == "/dev/zero" {
		flags |= mapDevZero
	}
	p := mp.Path
	if r.opt.Stable && r.opt.StableDir != "" {
		p = r.lab.text(p, false)
	}
	touched := int64(-1)
	if pg, ok := now.Resident(); ok {
		f.touched, f.hasPages = pg.Resident()+pg.Zero, true
		touched = int64(f.touched)
	}
	obj := int64(f.obj)
	if fresh {
		obj = 0 // the next object
	}
	r.op(opMap, int64(pid), int64(mp.Pages()), int64(mp.Prot), int64(flags), int64(r.strLocked(escape.String(p))),
		int64(mp.Offset), obj, int64(r.strLocked(r.lab.addr(mp.Start))), mp.FileSize, touched)
}

// diffFDs brings s.fds to now.
func (r *Recorder) diffFDs(pid int, s *snapshot, now map[int]model.FD) {
	if len(s.fds) == len(now) {
		eq := true
		for n, fd := range now {
			if old, ok := s.fds[n]; !ok || old != fd {
				eq = false
				break
			}
		}
		if eq {
			return
		}
	}
	lab := r.lab.pid(pid)
	// In fd order: a stable page is the same every run.
	for _, n := range slices.Sorted(maps.Keys(s.fds)) {
		if _, ok := now[n]; !ok {
			r.op(opClose, int64(lab), int64(n))
			delete(s.fds, n)
		}
	}
	for _, n := range slices.Sorted(maps.Keys(now)) {
		fd := now[n]
		if old, ok := s.fds[n]; ok && old == fd {
			continue
		}
		p := fd.Path
		if r.opt.Stable {
			p = r.lab.text(p, false)
		}
		r.op(opFD, int64(lab), int64(n), int64(r.strLocked(escape.String(p))), int64(fd.Flags))
		s.fds[n] = fd
	}
}
