package explain

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"

	"golang.org/x/sys/unix"

	"github.com/mmtrace/mmtrace/tracer"
	"github.com/mmtrace/mmtrace/tracer/model"
	"github.com/mmtrace/mmtrace/tracer/sys"
)

// call explains a call that returned.
func (x *Explainer) call(e *tracer.Event, ch model.Change) []local {
	c := e.Call
	errno := c.Errno()
	if errno >= 512 && errno <= 516 { // ERESTARTSYS .. ERESTART_RESTARTBLOCK
		if sig, ok := tracedOnly(e.Tid); ok {
			return []local{t(mInterruptedTraced), t(mInterruptedTracedWhy, "sig", sigName(sig))}
		}
		return one(mInterrupted)
	}
	if errno == unix.EINTR {
		return one(mInterrupted)
	}
	p := ch.Proc
	if p == nil {
		p = x.m.Process(e.Pid)
	}
	switch c.Name {
	case "open", "openat", "creat":
		return x.open(c, ch, errno)
	case "close":
		return x.close(c, p, ch, errno)
	case "ftruncate", "truncate":
		return x.truncate(c, p, errno)
	case "mmap":
		return x.mmap(c, p, ch, errno)
	case "munmap":
		return x.munmap(c, p, ch, errno)
	case "mprotect":
		return x.mprotect(c, p, errno)
	case "msync":
		return x.msync(c, p, errno)
	case "madvise":
		return x.madvise(c, p, errno)
	case "mremap":
		return x.mremap(c, errno)
	case "lseek":
		return x.lseek(c, p, errno)
	case "fork", "vfork", "clone", "clone3":
		return x.fork(c, p, errno)
	case "execve", "execveat":
		return x.exec(c, p, errno)
	case "wait4", "waitid":
		return x.wait(c, errno)
	case "unlink", "unlinkat":
		return x.unlink(e.Pid, c, errno)
	case "kill", "tgkill":
		return x.kill(c, errno)
	}
	return nil
}

func failed(c *sys.Call, errno syscall.Errno) []local {
	return one(mFailed, "call", c.Name, "errno", errnoName(errno))
}

// fd returns what the model knows of fd in p.
func fdOf(p *model.Process, fd int) (model.FD, bool) {
	if p == nil {
		return model.FD{}, false
	}
	f, ok := p.FDs[fd]
	return f, ok
}

func (x *Explainer) setSize(path string, ev sizeEvent) {
	if path == "" {
		return
	}
	if len(x.sizes) >= maxEntries {
		clear(x.sizes)
	}
	x.sizes[path] = ev
}

func (x *Explainer) open(c *sys.Call, ch model.Change, errno syscall.Errno) []local {
	flags := int(c.Args[1])
	switch c.Name {
	case "openat":
		flags = int(c.Args[2])
	case "creat":
		flags = unix.O_CREAT | unix.O_WRONLY | unix.O_TRUNC
	}
	path := callPath(c)
	if errno == 0 && ch.FD.Path != "" {
		path = ch.FD.Path
	}
	if isLib(path) || path == "/etc/ld.so.preload" {
		return nil // the dynamic loader's
	}
	file := fileName(path)
	acc := flags & unix.O_ACCMODE
	if errno == 0 && flags&unix.O_CREAT != 0 {
		delete(x.unlinked, path) // a new file by the name, perhaps
	}
	if errno != 0 {
		switch errno {
		case unix.ENOENT:
			if flags&unix.O_CREAT != 0 {
				return one(mOpenENOENTCreat, "file", file)
			}
			// The call as the program made it: open on amd64, openat
			// wherever C's open() is openat (arm64, and glibc today).
			return one(mOpenENOENT, "file", file, "call", c.Name)
		case unix.EACCES:
			return one(mOpenEACCES, "file", file, "access", access(flags))
		case unix.EEXIST:
			return one(mOpenEEXIST, "file", file)
		case unix.EISDIR:
			return one(mOpenEISDIR, "file", file)
		case unix.EMFILE, unix.ENFILE:
			return one(mOpenEMFILE)
		}
		return failed(c, errno)
	}
	out := one(mOpen, "fd", c.Ret, "file", file, "access", access(flags))
	// What the access mode means for mapping it, said only of a file
	// that can be mapped: not of /proc's or /sys's, nor a pipe.
	regular := mappable(path)
	switch {
	case path == "/dev/zero":
		out = append(out, t(mOpenDevZero))
		if flags&(unix.O_CREAT|unix.O_TRUNC) != 0 {
			// The notes' open of /dev/zero, copied from their file program.
			out = append(out, t(mOpenDevZeroCreat))
		}
	case flags&unix.O_TRUNC != 0 && acc != unix.O_RDONLY && regular:
		x.setSize(path, sizeEvent{kind: sizeEmptied, fd: int(c.Ret)})
		out = append(out, t(mOpenTrunc))
	case acc == unix.O_RDONLY && regular:
		out = append(out, t(mOpenRO))
	case acc == unix.O_WRONLY && regular:
		out = append(out, t(mOpenWO))
	}
	return out
}

func (x *Explainer) close(c *sys.Call, p *model.Process, ch model.Change, errno syscall.Errno) []local {
	fd := int(int32(c.Args[0]))
	if errno == unix.EBADF {
		return one(mCloseEBADF, "fd", fd)
	}
	if errno != 0 {
		return failed(c, errno)
	}
	path, deleted := model.CutDeleted(ch.FD.Path)
	if path == "" || isLib(path) {
		return nil
	}
	if p != nil {
		for i := range p.Maps {
			if mp := &p.Maps[i]; mp.Path == path && lesson(mp) {
				return one(mCloseMapped, "fd", fd, "file", fileName(path), "addr", hex(mp.Start))
			}
		}
	}
	out := one(mClose, "fd", fd, "file", fileName(path))
	if (deleted || x.unlinked[path]) && !x.inUse(path) {
		out = append(out, t(mFreedUnlinked, "file", fileName(path)))
	}
	return out
}

// inUse says whether a traced process maps the file path or has it open.
func (x *Explainer) inUse(path string) bool {
	for _, q := range x.m.Processes() {
		x.m.Refresh(q)
		for i := range q.Maps {
			if mp := &q.Maps[i]; !mp.Anon && mp.Path == path {
				return true
			}
		}
		for _, f := range q.FDs {
			if p, _ := model.CutDeleted(f.Path); p == path {
				return true
			}
		}
	}
	return false
}

// isUnlinked says whether a file mapping's file has no name left: the
// trace saw it unlinked, or /proc said so.
func (x *Explainer) isUnlinked(mp *model.Mapping) bool {
	return !mp.Anon && !isDevZero(mp) && (mp.Deleted || x.unlinked[mp.Path])
}

func (x *Explainer) truncate(c *sys.Call, p *model.Process, errno syscall.Errno) []local {
	length := int64(c.Args[1])
	fd := -1
	var path string
	writable := true
	if c.Name == "ftruncate" {
		fd = int(int32(c.Args[0]))
		f, ok := fdOf(p, fd)
		if errno == unix.EBADF || (!ok && errno != 0) {
			if errno == unix.EBADF {
				return one(mNotOpen, "fd", fd)
			}
			return failed(c, errno)
		}
		path, writable = f.Path, f.Writable()
	} else {
		path = argPath(c.ArgsText(), 0)
	}
	file := fileName(path)
	if errno != 0 {
		x.setSize(path, sizeEvent{kind: sizeFailed, fd: fd, length: length, errno: errno})
		switch errno {
		case unix.EINVAL:
			if length < 0 {
				return one(mTruncNeg, "len", length)
			}
			if kind := fileKind(path); kind != nil {
				out := one(mTruncDevice, "file", file, "kind", kind)
				if path == "/dev/zero" {
					out = append(out, t(mTruncDevZero))
				}
				return out
			}
			if !writable {
				return one(mTruncRO, "fd", fd)
			}
		case unix.ENOENT:
			return one(mNoSuchFile, "file", file)
		}
		return failed(c, errno)
	}
	x.setSize(path, sizeEvent{kind: sizeSet, fd: fd, length: length})
	if length == 0 {
		return one(mTruncZero, "file", file)
	}
	return one(mTrunc, "file", file, "size", nbytes(uint64(length)), "pages", x.pagesOf(uint64(length)))
}

func (x *Explainer) mmap(c *sys.Call, p *model.Process, ch model.Change, errno syscall.Errno) []local {
	if errno != 0 {
		return x.mmapError(c, p, errno)
	}
	mp := ch.Added
	if mp == nil {
		return nil
	}
	var replaced []any
	for i := range ch.Removed {
		r := &ch.Removed[i]
		if isLib(r.Path) {
			return nil // the loader placing a library's parts in its reservation
		}
		if int(c.Args[3])&unix.MAP_FIXED != 0 {
			replaced = append(replaced, x.mapItem(r))
		}
	}
	out := x.mmapMade(c, p, mp)
	if len(replaced) > 0 && len(out) > 0 {
		out = append(out, t(mMmapReplaced, "what", capList(replaced)))
	}
	return out
}

// mmapMade says what a mapping mmap made is.
func (x *Explainer) mmapMade(c *sys.Call, p *model.Process, mp *model.Mapping) []local {
	a := c.Args
	length, prot, flags, fd, off := a[1], int(a[2]), int(a[3]), int(int32(a[4])), a[5]
	rounded := x.rounded(length)
	start := hex(mp.Start)
	switch {
	case mp.Anon && prot == unix.PROT_NONE:
		return one(mMmapReserve, "pages", pages(mp.Pages()), "addr", start)
	case mp.Anon && mp.Shared:
		return []local{
			t(mMmapAnon, "pages", pages(mp.Pages()), "addr", start, "rounded", rounded),
			t(mMmapAnonShared),
		}
	case mp.Anon:
		return one(mMmapAnonPrivate, "pages", pages(mp.Pages()), "addr", start)
	case isDevZero(mp):
		second := mMmapDevZeroPrivate
		if mp.Shared {
			second = mMmapDevZeroShared
		}
		return []local{t(mMmapDevZero, "pages", pages(mp.Pages()), "addr", start, "rounded", rounded), t(second)}
	case isLib(mp.Path):
		if flags&unix.MAP_FIXED != 0 || strings.Contains(mp.Path, "ld.so.cache") {
			return nil
		}
		return one(mMmapLib, "file", fileName(mp.Path), "pages", pages(mp.Pages()))
	}
	file := fileName(mp.Path)
	out := one(mMmapFile, "pages", pages(mp.Pages()), "file", file, "off", off, "addr", start, "rounded", rounded)
	f, _ := fdOf(p, fd)
	size := mp.FileSize
	switch {
	case size == 0:
		out = append(out, t(mMmapEmpty, "file", file))
	case size > 0 && mp.Offset+mp.Len() > x.pageUp(uint64(size)):
		past := mp.Offset + mp.Len() - max(x.pageUp(uint64(size)), mp.Offset)
		out = append(out, t(mMmapPastEOF, "file", file, "size", nbytes(uint64(size)), "pages", pages(past/x.page)))
	case !mp.Shared && prot&unix.PROT_WRITE != 0 && f.Path != "" && !f.Writable():
		out = append(out, t(mMmapPrivateRO, "fd", fd, "file", file))
	case mp.Shared && prot&unix.PROT_WRITE == 0:
		out = append(out, t(mMmapSharedRead, "file", file))
	case mp.Shared:
		out = append(out, t(mMmapShared, "file", file))
	default:
		out = append(out, t(mMmapPrivate, "file", file))
	}
	if prot&(unix.PROT_READ|unix.PROT_WRITE) == unix.PROT_WRITE {
		// The notes' PROT_WRITE|PROT_WRITE: x86 and arm64 page tables
		// cannot express write-only, so PROT_WRITE lets reads through.
		out = append(out, t(mMmapProtWriteOnly))
	}
	return out
}

func (x *Explainer) mmapError(c *sys.Call, p *model.Process, errno syscall.Errno) []local {
	a := c.Args
	addr, length, prot, flags, fd, off := a[0], a[1], int(a[2]), int(a[3]), int(int32(a[4])), a[5]
	f, known := fdOf(p, fd)
	file := fileName(f.Path)
	switch errno {
	case unix.EINVAL:
		switch typ := flags & unix.MAP_TYPE; {
		case off%x.page != 0:
			lo := off &^ (x.page - 1)
			return []local{
				t(mMmapBadOffset, "off", off, "pagesize", x.page),
				t(mMmapBadOffsetHint, "off", off, "lo", lo, "delta", off-lo),
				t(mMmapBadOffsetLibc),
			}
		case length == 0:
			return one(mMmapZeroLen)
		case typ != unix.MAP_SHARED && typ != unix.MAP_PRIVATE && typ != unix.MAP_SHARED_VALIDATE:
			return one(mMmapNoType)
		case flags&unix.MAP_FIXED != 0 && addr%x.page != 0:
			return one(mMmapFixedUnaligned, "addr", hex(addr))
		}
	case unix.EACCES:
		if !known {
			break
		}
		shared := flags&unix.MAP_TYPE != unix.MAP_PRIVATE
		switch {
		case !f.Readable():
			return one(mMmapWriteOnly, "fd", fd, "file", file)
		case shared && prot&unix.PROT_WRITE != 0 && !f.Writable():
			return []local{t(mMmapSharedRO, "fd", fd, "file", file), t(mMmapSharedROFix)}
		}
		return one(mMmapEACCES, "file", file, "fd", fd)
	case unix.EBADF:
		return one(mMmapEBADF, "fd", fd)
	case unix.ENODEV:
		return one(mMmapENODEV, "file", file)
	case unix.ENOMEM:
		return one(mMmapENOMEM, "pages", x.pagesOf(length))
	case unix.EPERM:
		return one(mMmapEPERM)
	}
	return failed(c, errno)
}

// unaligned explains EINVAL for an address that is not page-aligned, or
// returns nil if it is aligned.
func (x *Explainer) unaligned(c *sys.Call, p *model.Process) []local {
	addr := c.Args[0]
	if addr%x.page == 0 {
		return nil
	}
	page := addr &^ (x.page - 1)
	out := one(mUnaligned, "addr", hex(addr), "off", nbytes(addr-page), "page", hex(page))
	if mp := lookup(p, page); c.Name == "munmap" && mp != nil && mp.Start == page {
		return append(out, t(mMunmapHint))
	}
	return append(out, t(mUnalignedHint, "call", c.Name))
}

func lookup(p *model.Process, addr uint64) *model.Mapping {
	if p == nil {
		return nil
	}
	return p.Lookup(addr)
}

func (x *Explainer) munmap(c *sys.Call, p *model.Process, ch model.Change, errno syscall.Errno) []local {
	addr, length := c.Args[0], c.Args[1]
	if errno != 0 {
		if errno == unix.EINVAL {
			if out := x.unaligned(c, p); out != nil {
				return out
			}
			if length == 0 {
				return one(mZeroLen, "call", c.Name)
			}
		}
		return failed(c, errno)
	}
	if len(ch.Removed) == 0 {
		if p != nil {
			for _, u := range x.unmapped[p.Pid] {
				if u.start <= addr && addr < u.end {
					return one(mMunmapAgain, "addr", hex(addr))
				}
			}
		}
		return one(mMunmapNothing, "addr", hex(addr))
	}
	var n uint64
	var names []any
	seen := map[string]bool{}
	var first *model.Mapping
	for i := range ch.Removed {
		r := &ch.Removed[i]
		n += r.Pages()
		if first == nil && lesson(r) {
			first = r
		}
		name := mapName(r).in(x.lang)
		if !seen[name] {
			seen[name] = true
			names = append(names, name)
		}
	}
	if first == nil && (isLib(ch.Removed[0].Path) || strings.Contains(ch.Removed[0].Path, "ld.so")) {
		return nil
	}
	if p != nil {
		u := append(x.unmapped[p.Pid], unmapping{start: addr, end: addr + x.pageUp(length), what: capList(names)})
		if len(u) > maxUnmapped {
			u = u[1:]
		}
		trim(x.unmapped)
		x.unmapped[p.Pid] = u
	}
	out := one(mMunmap, "pages", pages(n), "addr", hex(addr), "what", capList(names), "rounded", x.rounded(length))
	if first == nil {
		return out
	}
	file := fileName(first.Path)
	writable := first.Prot&unix.PROT_WRITE != 0
	if x.isUnlinked(first) {
		// The name is gone: a mapping or fd is all that keeps the file.
		switch {
		case !x.inUse(first.Path):
			return append(out, t(mFreedUnlinked, "file", file))
		case first.Shared && writable:
			return append(out, t(mMunmapUnlinkedInUse, "file", file))
		}
	}
	switch {
	case first.Shared && (first.Anon || isDevZero(first)):
		// Shared memory with no file lives as long as a mapping of it.
		if others := x.m.SharedWith(p, first); len(others) > 0 {
			set := map[int]bool{}
			for _, q := range others {
				set[q] = true
			}
			return append(out, t(mMunmapStillShared, "pids", x.pidList(set)))
		}
	case first.Shared && writable:
		// A file's pages stay in the page cache, its stores in the file,
		// whoever else maps it.
		size := fileSize(first)
		switch {
		case size <= 0 || first.Offset >= x.pageUp(uint64(size)):
		case first.Offset+first.Len() > uint64(size):
			return append(out, t(mMunmapSharedFileEOF, "file", file, "size", nbytes(uint64(size))))
		default:
			return append(out, t(mMunmapSharedFile, "file", file))
		}
	case !first.Shared && !first.Anon && writable:
		return append(out, t(mMunmapPrivateFile, "file", file))
	}
	return out
}

func (x *Explainer) mprotect(c *sys.Call, p *model.Process, errno syscall.Errno) []local {
	addr, length, prot := c.Args[0], c.Args[1], int(c.Args[2])
	mp := lookup(p, addr)
	if errno != 0 {
		switch errno {
		case unix.EINVAL:
			if out := x.unaligned(c, p); out != nil {
				return out
			}
		case unix.ENOMEM:
			return one(mNotMapped, "pages", x.pagesOf(length), "addr", hex(addr))
		case unix.EACCES:
			if mp != nil && mp.Shared && !mp.Anon {
				return one(mMprotectEACCES, "file", fileName(mp.Path))
			}
		}
		return failed(c, errno)
	}
	if mp == nil || isLib(mp.Path) || mp.Initial {
		return nil
	}
	return one(mMprotect, "pages", x.pagesOf(length), "addr", hex(addr), "what", mapName(mp), "prot", protText(prot))
}

func (x *Explainer) msync(c *sys.Call, p *model.Process, errno syscall.Errno) []local {
	addr, length, flags := c.Args[0], c.Args[1], int(c.Args[2])
	if errno != 0 {
		switch errno {
		case unix.EINVAL:
			if out := x.unaligned(c, p); out != nil {
				return out
			}
		case unix.ENOMEM:
			return one(mNotMapped, "pages", x.pagesOf(length), "addr", hex(addr))
		}
		return failed(c, errno)
	}
	mp := lookup(p, addr)
	if mp == nil {
		return nil
	}
	if !mp.Shared || mp.Anon || isDevZero(mp) {
		return one(mMsyncNoFile, "what", mapName(mp))
	}
	how := mMsyncAsync
	if flags&unix.MS_SYNC != 0 {
		how = mMsyncSync
	}
	return []local{
		t(mMsync, "pages", x.pagesOf(length), "file", fileName(mp.Path), "addr", hex(addr), "done", t(how)),
		t(mMsyncNote),
	}
}

var advice = map[int]struct {
	name    string
	meaning msgID
}{
	unix.MADV_NORMAL:     {"MADV_NORMAL", mAdvNormal},
	unix.MADV_RANDOM:     {"MADV_RANDOM", mAdvRandom},
	unix.MADV_SEQUENTIAL: {"MADV_SEQUENTIAL", mAdvSequential},
	unix.MADV_WILLNEED:   {"MADV_WILLNEED", mAdvWillneed},
	unix.MADV_DONTNEED:   {"MADV_DONTNEED", mAdvDontneed},
	unix.MADV_FREE:       {"MADV_FREE", mAdvFree},
	unix.MADV_DONTFORK:   {"MADV_DONTFORK", mAdvDontfork},
	unix.MADV_DOFORK:     {"MADV_DOFORK", mAdvDofork},
	unix.MADV_HUGEPAGE:   {"MADV_HUGEPAGE", mAdvHugepage},
}

func (x *Explainer) madvise(c *sys.Call, p *model.Process, errno syscall.Errno) []local {
	addr, length, adv := c.Args[0], c.Args[1], int(c.Args[2])
	if errno != 0 {
		switch errno {
		case unix.EINVAL:
			if out := x.unaligned(c, p); out != nil {
				return out
			}
		case unix.ENOMEM:
			return one(mNotMapped, "pages", x.pagesOf(length), "addr", hex(addr))
		}
		return failed(c, errno)
	}
	if mp := lookup(p, addr); mp != nil && (isLib(mp.Path) || mp.Initial) {
		return nil
	}
	a, ok := advice[adv]
	if !ok {
		a.name, a.meaning = "advice "+strconv.Itoa(adv), mAdvOther
	}
	return one(mMadvise, "advice", a.name, "pages", x.pagesOf(length), "addr", hex(addr), "meaning", t(a.meaning))
}

func (x *Explainer) mremap(c *sys.Call, errno syscall.Errno) []local {
	old, oldLen, newLen, flags := c.Args[0], c.Args[1], c.Args[2], int(c.Args[3])
	if errno != 0 {
		switch {
		case errno == unix.EINVAL && old%x.page != 0:
			return one(mUnalignedHint, "call", c.Name)
		case errno == unix.ENOMEM && flags&unix.MREMAP_MAYMOVE == 0:
			return one(mMremapENOMEM)
		}
		return failed(c, errno)
	}
	from, to := x.pagesOf(oldLen), x.pagesOf(newLen)
	if uint64(c.Ret) != old {
		return one(mMremapMoved, "old", hex(old), "from", from, "to", to, "addr", hex(uint64(c.Ret)))
	}
	return one(mMremap, "old", hex(old), "from", from, "to", to)
}

// lseek says where fd's offset now is, and whose it is: the shared-offset
// myth's lesson. Only for a regular file the trace saw opened; a pipe has
// no offset (ESPIPE), and the generic line says so.
func (x *Explainer) lseek(c *sys.Call, p *model.Process, errno syscall.Errno) []local {
	fd := int(int32(c.Args[0]))
	if errno != 0 {
		if errno == unix.EBADF {
			return one(mNotOpen, "fd", fd)
		}
		return failed(c, errno)
	}
	f, ok := fdOf(p, fd)
	if !ok || f.Path == "" || fileKind(f.Path) != nil {
		return nil
	}
	return one(mLseek, "fd", fd, "file", fileName(f.Path), "off", c.Ret)
}

func (x *Explainer) fork(c *sys.Call, p *model.Process, errno syscall.Errno) []local {
	if errno != 0 {
		if errno == unix.EAGAIN {
			return one(mForkEAGAIN)
		}
		return failed(c, errno)
	}
	child := int(c.Ret)
	if child <= 0 {
		return nil // the child's side
	}
	// clone3's flags are in a struct: read them as the decoder printed it.
	var flags uint64
	var flagText string
	switch c.Name {
	case "clone":
		flags = c.Args[0]
	case "clone3":
		if args := c.ArgsText(); len(args) > 0 {
			flagText = args[0]
		}
	}
	has := func(bit uint64, name string) bool {
		return flags&bit != 0 || strings.Contains(flagText, name)
	}
	// What the child got, taken when the trace reported it: used here or
	// never (a vfork's child, a thread, shares the address space), so
	// forgotten either way; a shell's 1,000 vforks kept 1,000 of them.
	lines, taken := x.forks[child]
	delete(x.forks, child)
	switch {
	case x.threads[child] || has(unix.CLONE_THREAD, "CLONE_THREAD"):
		return one(mThread, "child", child)
	case c.Name == "vfork" || has(unix.CLONE_VFORK, "CLONE_VFORK"):
		return one(mVfork, "child", child)
	case has(unix.CLONE_VM, "CLONE_VM"):
		return one(mCloneVM, "child", child)
	}
	if taken {
		return lines
	}
	cp := x.m.Process(child)
	if cp == nil {
		cp = x.gone[child] // it has ended already
	}
	delete(x.gone, child)
	if cp == nil {
		return nil
	}
	return x.forkLines(p, cp)
}

// forkLines says what a new child got from its parent p: its fds, the
// mappings now shared with whom, those that are copy-on-write. The notes
// are made when the trace reports the new child: the child may have run,
// and even exited, before its parent's fork returns.
func (x *Explainer) forkLines(p, cp *model.Process) []local {
	child := cp.Pid
	out := one(mFork, "child", child, "fds", fdList(cp.FDs))
	var shared, cow []any
	pids := map[int]bool{child: true}
	for i := range cp.Maps {
		mp := &cp.Maps[i]
		if !lesson(mp) {
			continue
		}
		switch {
		case mp.Shared:
			shared = append(shared, x.mapItem(mp))
			for _, q := range x.m.SharedWith(cp, mp) {
				pids[q] = true
			}
		case !mp.Anon:
			cow = append(cow, x.mapItem(mp))
		}
	}
	if len(shared) > 0 {
		if len(pids) == 1 && p != nil {
			pids[p.Pid] = true
		}
		out = append(out, t(mForkShared, "pids", x.pidList(pids), "maps", capList(shared)))
	}
	if len(cow) > 0 {
		out = append(out, t(mForkCOW, "maps", capList(cow)))
	}
	return out
}

func (x *Explainer) exec(c *sys.Call, p *model.Process, errno syscall.Errno) []local {
	path := callPath(c)
	file := fileName(path)
	if errno != 0 {
		switch errno {
		case unix.ENOENT:
			// The whole path: execvp tries each directory of PATH.
			return one(mNoSuchFile, "file", name(path))
		case unix.EACCES:
			return one(mExecEACCES, "file", file)
		case unix.ENOEXEC:
			return one(mExecENOEXEC, "file", file)
		}
		return failed(c, errno)
	}
	out := one(mExec, "file", file)
	if p != nil {
		kept := map[int]model.FD{}
		for n, f := range p.FDs {
			if n > 2 {
				kept[n] = f
			}
		}
		if len(kept) > 0 {
			out = append(out, t(mExecFds, "fds", fdList(kept)))
		}
	}
	return out
}

func (x *Explainer) wait(c *sys.Call, errno syscall.Errno) []local {
	switch errno {
	case 0:
	case unix.ECHILD:
		return one(mWaitECHILD)
	default:
		return failed(c, errno)
	}
	child := int(c.Ret)
	if c.Name == "waitid" {
		if c.Args[0] != unix.P_PID {
			return one(mWaitid)
		}
		child = int(int32(c.Args[1]))
	}
	if c.Ret == 0 && c.Name == "wait4" {
		return one(mWaitNone)
	}
	end, ok := x.ended[child]
	if !ok {
		return one(mWaitReaped, "child", child)
	}
	delete(x.ended, child)
	if end.sig != 0 {
		return one(mWaitKilled, "child", child, "sig", sigName(end.sig), "why", orEmpty(end.why))
	}
	return one(mWaitExited, "child", child, "code", end.code)
}

func (x *Explainer) unlink(pid int, c *sys.Call, errno syscall.Errno) []local {
	path := callPath(c)
	file := fileName(path)
	if errno != 0 {
		switch errno {
		case unix.ENOENT:
			return one(mNoSuchFile, "file", file)
		case unix.EISDIR:
			return one(mUnlinkEISDIR, "file", file)
		case unix.EACCES, unix.EPERM:
			return one(mUnlinkEACCES, "file", file)
		}
		return failed(c, errno)
	}
	if path != "" && !filepath.IsAbs(path) {
		// Relative to the working directory, or to unlinkat's dirfd.
		dir := "/proc/" + strconv.Itoa(pid) + "/cwd"
		if c.Name == "unlinkat" && int32(c.Args[0]) != unix.AT_FDCWD {
			dir = "/proc/" + strconv.Itoa(pid) + "/fd/" + strconv.Itoa(int(int32(c.Args[0])))
		}
		if d, err := os.Readlink(dir); err == nil {
			path = filepath.Join(d, path)
		}
	}
	// As the mappings name it: through no symbolic link.
	if d, err := filepath.EvalSymlinks(filepath.Dir(path)); err == nil {
		path = filepath.Join(d, filepath.Base(path))
	}
	if !x.otherName(path) {
		if len(x.unlinked) >= maxEntries {
			clear(x.unlinked)
		}
		x.unlinked[path] = true
	}
	pids := map[int]bool{}
	for _, q := range x.m.Processes() {
		x.m.Refresh(q)
		for j := range q.Maps {
			if q.Maps[j].Path == path {
				pids[q.Pid] = true
				break
			}
		}
	}
	if len(pids) > 0 {
		return one(mUnlinkMapped, "file", file, "pids", x.pidList(pids))
	}
	return one(mUnlink, "file", file)
}

func (x *Explainer) kill(c *sys.Call, errno syscall.Errno) []local {
	var target local
	var sig syscall.Signal
	if c.Name == "tgkill" {
		target = t(mTargetThread, "tid", int(int32(c.Args[1])), "pid", int(int32(c.Args[0])))
		sig = syscall.Signal(c.Args[2])
	} else {
		pid := int(int32(c.Args[0]))
		sig = syscall.Signal(c.Args[1])
		switch {
		case pid > 0:
			target = t(mTargetPid, "pid", pid)
		case pid == 0:
			target = t(mTargetGroup)
		case pid == -1:
			target = t(mTargetAll)
		default:
			target = t(mTargetPgid, "pid", -pid)
		}
	}
	switch errno {
	case 0:
	case unix.ESRCH:
		return one(mKillESRCH, "target", target)
	case unix.EPERM:
		return one(mKillEPERM, "target", target)
	default:
		return failed(c, errno)
	}
	if sig == 0 {
		return one(mKillProbe, "target", target)
	}
	return one(mKill, "sig", sigName(sig), "target", target)
}

// otherName says whether the file just unlinked from path still has a
// name, a hard link elsewhere: its link count, read through a traced
// process's fd or mapping of it, is not 0. False when none has it.
func (x *Explainer) otherName(path string) bool {
	for _, q := range x.m.Processes() {
		var at []string
		for n, f := range q.FDs {
			if p, _ := model.CutDeleted(f.Path); p == path {
				at = append(at, "/proc/"+strconv.Itoa(q.Pid)+"/fd/"+strconv.Itoa(n))
			}
		}
		for i := range q.Maps {
			if mp := &q.Maps[i]; !mp.Anon && mp.Path == path {
				at = append(at, fmt.Sprintf("/proc/%d/map_files/%x-%x", q.Pid, mp.Start, mp.End))
			}
		}
		for _, a := range at {
			if st, err := os.Stat(a); err == nil {
				if sys, ok := st.Sys().(*syscall.Stat_t); ok {
					return sys.Nlink > 0
				}
			}
		}
	}
	return false
}
