package scenarios

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/spf13/pflag"
	"golang.org/x/sys/unix"

	"github.com/mmtrace/mmtrace/internal/rawchild"
)

func init() { register(mythsScenario{}) }

// mythsScenario runs the claims of the notes that are not mistakes in a
// program but beliefs about the kernel, each shown true or false by a run.
type mythsScenario struct{}

// The myths, in the order they run when none is named: the notes' order.
const (
	mythOOBStore = iota
	mythUnlinkedIPC
	mythSharedOffset
	mythOpenNoMmap
	numMyths
)

// mythNames are the names the command line takes, by myth.
var mythNames = [numMyths]string{
	mythOOBStore:     "oob-store",
	mythUnlinkedIPC:  "unlinked-ipc",
	mythSharedOffset: "shared-offset",
	mythOpenNoMmap:   "open-no-mmap",
}

func (mythsScenario) Info() Info {
	return Info{
		Name:    "myths",
		Args:    "[NAME...]",
		Summary: "the notes' claims about mmap, files and fork, each run: what the kernel really does",
		Lesson: `Runs the notes' remaining claims, each as a few calls in the timeline; after
the run, one line per myth says what the kernel did. Name some to run only
those, in the order given; with no NAME all run, in this order:

  oob-store      the notes: "p越界操作会导致munmap失败", a store out of
                 bounds makes munmap fail. It does not: munmap fails for its
                 arguments (an address not page-aligned, a length of 0),
                 never for what was stored. A 4-byte file is mapped and 17
                 bytes are stored at p: they land in the mapping's one page,
                 the store works, munmap(p, 4) returns 0, and the file still
                 holds its 4 bytes (stores past its end never reach it). A
                 store one page past p, in a child, falls past the mapping:
                 SIGSEGV kills the child. What lies past a mapping is the
                 kernel's choice, and if another writable mapping lies there,
                 the store changes it with no signal at all; so that nothing
                 does, the scenario maps two pages and unmaps the second.
  unlinked-ipc   the notes' unlink remark: unlink removes a name, not the
                 file. The file is opened, unlinked (fstat then counts 0
                 names), sized, mapped MAP_SHARED and closed; a forked child
                 stores a message through the mapping and the parent reads it:
                 parent and child share a file that has no name, kept by the
                 mapping alone.
  shared-offset  the notes: with MAP_SHARED parent and child share the file
                 offset, with MAP_PRIVATE they do not. mmap plays no part:
                 there is no mapping here. fork gives the child a copy of each fd
                 that refers to the same open file, and the offset belongs to
                 the open file: the child writes 6 bytes, the parent's lseek
                 then says 6 though it wrote nothing, and its write lands
                 after the child's. (write and lseek are traced for it.)
  open-no-mmap   the notes: "open文件以后，操作系统进行了一次mmap", after open
                 the system does an mmap. It does not: /proc/self/maps, read
                 before open, after open and after mmap, is the same before
                 and after open; the file's mapping appears with mmap.

The files live in a fresh temporary directory: oob.txt, unlinked.txt (gone
by the end: it is unlinked), offset.txt and open.txt.`,
	}
}

func (mythsScenario) Flags(*pflag.FlagSet) {}

// The report: one slot per myth.
const (
	mythSlot     = 128
	mythRan      = 0  // 1 once the myth has run
	mythErr      = 4  // errno of the call the myth is about
	mythWait     = 8  // the child's wait status
	mythValue    = 12 // a number the myth measured
	mythSnapLens = 16 // open-no-mmap: the three snapshots' lengths
	mythData     = 32 // bytes read through a mapping
)

// What the myths store and write.
var (
	// oobOverflow is 17 bytes, NUL included, for a 4-byte mapping.
	oobOverflow = []byte("abcdefghijklmnop\x00")
	// oobFileSize is the size of oob.txt, as the notes' ftruncate(fd, 4).
	oobFileSize  = 4
	offsetChild  = []byte("child\n")
	offsetParent = []byte("parent\n")
	openText     = []byte("open maps nothing\n")
)

// The open-no-mmap snapshots of /proc/self/maps: before open, after open,
// after mmap.
const (
	snapFirst = iota
	snapOpen
	snapMmap
	numSnaps
	// snapSize is room for one snapshot: a -race test binary lists a few
	// hundred mappings, under 100 bytes each.
	snapSize = 256 << 10
)

func (mythsScenario) Plan(env *Env, args []string) (*Plan, error) {
	order, err := mythOrder(args)
	if err != nil {
		return nil, err
	}
	paths := map[int]string{
		mythOOBStore:     filepath.Join(env.Dir, "oob.txt"),
		mythUnlinkedIPC:  filepath.Join(env.Dir, "unlinked.txt"),
		mythSharedOffset: filepath.Join(env.Dir, "offset.txt"),
		mythOpenNoMmap:   filepath.Join(env.Dir, "open.txt"),
	}
	if err := os.WriteFile(paths[mythOpenNoMmap], openText, 0o644); err != nil {
		return nil, err
	}
	b := &mythsBody{
		order:     order,
		page:      uintptr(os.Getpagesize()),
		overflow:  oobOverflow,
		msg:       childMessage,
		childLine: offsetChild, parentLine: offsetParent,
		errOpen:   message("myths: open error"),
		errTrunc:  message("myths: ftruncate error"),
		errMmap:   message("myths: mmap error"),
		errMunmap: message("myths: munmap error"),
		errFork:   message("myths: fork error"),
		errWait:   message("myths: wait4 error"),
		errFstat:  message("myths: fstat error"),
	}
	for _, p := range []struct {
		path **byte
		s    string
	}{
		{&b.oob, paths[mythOOBStore]}, {&b.unlinked, paths[mythUnlinkedIPC]},
		{&b.offset, paths[mythSharedOffset]}, {&b.opened, paths[mythOpenNoMmap]},
		{&b.maps, "/proc/self/maps"},
	} {
		if *p.path, err = cstring(p.s); err != nil {
			return nil, err
		}
	}
	rep, err := newReport()
	if err != nil {
		return nil, err
	}
	b.rep = rep
	var trace []string
	for _, i := range order {
		switch i {
		case mythSharedOffset:
			trace = []string{"write", "lseek"}
		case mythOpenNoMmap:
			// Shared with mmtrace, as the report is, so After can read what
			// the body saw.
			snaps, err := unix.Mmap(-1, 0, numSnaps*snapSize, unix.PROT_READ|unix.PROT_WRITE, unix.MAP_SHARED|unix.MAP_ANONYMOUS)
			if err != nil {
				rep.free()
				return nil, fmt.Errorf("snapshot buffer: %w", os.NewSyscallError("mmap", err))
			}
			b.snaps = snaps
		}
	}
	return &Plan{Body: b, Trace: trace, After: func(status int) error {
		defer rep.free()
		if b.snaps != nil {
			defer unix.Munmap(b.snaps)
		}
		return mythsAfter(env, rep, b.snaps, order, status, paths)
	}}, nil
}

// mythOrder turns the NAMEs into the myths to run: all by default; a name
// given twice runs once.
func mythOrder(args []string) ([]int, error) {
	if len(args) == 0 {
		order := make([]int, numMyths)
		for i := range order {
			order[i] = i
		}
		return order, nil
	}
	var order []int
	seen := map[int]bool{}
	for _, a := range args {
		i := -1
		for k, n := range mythNames {
			if n == a {
				i = k
			}
		}
		if i < 0 {
			return nil, usagef("no myth %q; the myths are: %s", a, strings.Join(mythNames[:], ", "))
		}
		if !seen[i] {
			seen[i] = true
			order = append(order, i)
		}
	}
	return order, nil
}

// mythsAfter checks what each myth recorded and says what the kernel did.
func mythsAfter(env *Env, rep report, snaps []byte, order []int, status int, paths map[int]string) error {
	var errs []string
	for _, i := range order {
		slot := i * mythSlot
		name := mythNames[i]
		if rep.b[slot+mythRan] != 1 {
			errs = append(errs, name+" did not run")
			continue
		}
		e := syscall.Errno(rep.get32(slot + mythErr))
		ws := unix.WaitStatus(rep.get32(slot + mythWait))
		value := int(int32(rep.get32(slot + mythValue)))
		var line string
		var ok bool
		switch i {
		case mythOOBStore:
			got := rep.b[slot+mythData : slot+mythData+len(oobOverflow)]
			file, _ := os.ReadFile(paths[i])
			line = fmt.Sprintf("%d bytes stored at p, in a one-page mapping of a %d-byte file, read back %q; munmap(p, %d) after it: %s; "+
				"oob.txt holds %q; a store one page past p: the child was %s",
				len(oobOverflow), oobFileSize, bytes.TrimRight(got, "\x00"), oobFileSize, errnoText(e), file, waitText(ws))
			ok = bytes.Equal(got, oobOverflow) && e == 0 && string(file) == string(oobOverflow[:oobFileSize]) &&
				ws.Signaled() && ws.Signal() == unix.SIGSEGV
		case mythUnlinkedIPC:
			got := rep.b[slot+mythData : slot+mythData+len(childMessage)]
			_, serr := os.Stat(paths[i])
			line = fmt.Sprintf("unlink: %s; names left (fstat's st_nlink): %d; the child %s; the parent's mapping held %s; "+
				"unlinked.txt exists: %v", errnoText(e), value, waitText(ws), describeBytes(got), serr == nil)
			ok = e == 0 && value == 0 && ws.Exited() && ws.ExitStatus() == 0 && bytes.Equal(got, childMessage) &&
				os.IsNotExist(serr)
		case mythSharedOffset:
			file, _ := os.ReadFile(paths[i])
			line = fmt.Sprintf("the child wrote %d bytes and %s; the parent's lseek(fd, 0, SEEK_CUR) then: %d (%s); offset.txt holds %q",
				len(offsetChild), waitText(ws), value, errnoText(e), file)
			ok = e == 0 && value == len(offsetChild) && ws.Exited() && ws.ExitStatus() == 0 &&
				string(file) == string(offsetChild)+string(offsetParent)
		case mythOpenNoMmap:
			line, ok = openNoMmapLine(rep, slot, snaps, e, paths[i])
		}
		fmt.Fprintf(env.Out, "%-13s  %s\n", name, line)
		if !ok {
			errs = append(errs, name+": "+line)
		}
	}
	if status != 0 {
		errs = append(errs, statusError(status).Error())
	}
	if len(errs) > 0 {
		return fmt.Errorf("not as the lesson says: %s", strings.Join(errs, "; "))
	}
	return nil
}

// openNoMmapLine compares the three snapshots of /proc/self/maps: the
// same before and after open, one line more after mmap, naming the file.
func openNoMmapLine(rep report, slot int, snaps []byte, e syscall.Errno, path string) (string, bool) {
	var s [numSnaps][]string
	for k := range s {
		n := int(rep.get32(slot + mythSnapLens + 4*k))
		if n <= 0 || n >= snapSize {
			return fmt.Sprintf("snapshot %d of /proc/self/maps: %d bytes (empty, or too large for %d)", k, n, snapSize), false
		}
		s[k] = strings.Split(strings.TrimSuffix(string(snaps[k*snapSize:k*snapSize+n]), "\n"), "\n")
	}
	naming := func(lines []string) []string {
		var out []string
		for _, l := range lines {
			if strings.HasSuffix(l, " "+path) {
				out = append(out, l)
			}
		}
		return out
	}
	same, sameText := strings.Join(s[snapFirst], "\n") == strings.Join(s[snapOpen], "\n"), "the same"
	if !same {
		sameText = "not the same"
	}
	added := naming(s[snapMmap])
	line := fmt.Sprintf("/proc/self/maps: %d mappings before open; after open %d, %s, %d of open.txt; after mmap (%s) %d, %d of open.txt",
		len(s[snapFirst]), len(s[snapOpen]), sameText, len(naming(s[snapOpen])), errnoText(e), len(s[snapMmap]), len(added))
	if len(added) == 1 {
		// The mapping's line without its address range: the rest is what
		// a person reads (permissions, offset, the file).
		_, rest, _ := strings.Cut(added[0], " ")
		line += ": " + strings.Join(strings.Fields(rest), " ")
	}
	ok := e == 0 && same && len(naming(s[snapOpen])) == 0 && len(added) == 1 && len(s[snapMmap]) == len(s[snapOpen])+1
	return line, ok
}

type mythsBody struct {
	order                 []int
	page                  uintptr
	oob, unlinked, offset *byte
	opened, maps          *byte
	overflow, msg         []byte
	childLine, parentLine []byte
	errOpen, errTrunc     []byte
	errMmap, errMunmap    []byte
	errFork, errWait      []byte
	errFstat              []byte
	rep                   report
	snaps                 []byte
	status                int32
	stat                  unix.Stat_t
}

//go:nosplit
//go:norace
func (b *mythsBody) Run() {
	for _, i := range b.order {
		b.rep.b[i*mythSlot+mythRan] = 1
		switch i {
		case mythOOBStore:
			b.oobStore()
		case mythUnlinkedIPC:
			b.unlinkedIPC()
		case mythSharedOffset:
			b.sharedOffset()
		case mythOpenNoMmap:
			b.openNoMmap()
		}
	}
}

// put keeps v at off in myth i's slot.
//
//go:nosplit
//go:norace
func (b *mythsBody) put(i, off int, v uint32) {
	b.rep.put32(i*mythSlot+off, v)
}

// open opens path, or ends the run: a myth's setup must work.
//
//go:nosplit
//go:norace
func (b *mythsBody) open(path *byte, flags int) int {
	fd, e := rawchild.Open(path, flags, 0o644)
	if e != 0 {
		fail(b.errOpen)
	}
	return fd
}

// fork forks, or ends the run.
//
//go:nosplit
//go:norace
func (b *mythsBody) fork() int {
	pid, e := rawchild.Fork()
	if e != 0 {
		fail(b.errFork)
	}
	return pid
}

// wait reaps pid and keeps its wait status in myth i's slot.
//
//go:nosplit
//go:norace
func (b *mythsBody) wait(i, pid int) {
	if _, e := rawchild.Wait4(pid, &b.status, 0); e != 0 {
		fail(b.errWait)
	}
	b.put(i, mythWait, uint32(b.status))
}

// oobStore is the notes' program storing past its 4 bytes: in the page,
// then, in a child, past the mapping.
//
//go:nosplit
//go:norace
func (b *mythsBody) oobStore() {
	fd := b.open(b.oob, unix.O_CREAT|unix.O_RDWR|unix.O_TRUNC)
	if rawchild.Ftruncate(fd, int64(oobFileSize)) != 0 {
		fail(b.errTrunc)
	}
	p, e := rawchild.Mmap(0, 2*b.page, unix.PROT_READ|unix.PROT_WRITE, unix.MAP_SHARED, fd, 0)
	if e != 0 {
		fail(b.errMmap)
	}
	// Nothing may lie right after the page the lesson uses, so that the
	// store past it meets no other mapping: unmap the second page.
	if rawchild.Munmap(p+b.page, b.page) != 0 {
		fail(b.errMunmap)
	}
	// The overflow: 17 bytes through a mapping of 4. They land in the
	// page; read them back.
	rawchild.Store(p, b.overflow)
	b.rep.store(mythOOBStore*mythSlot+mythData, p, uintptr(len(b.overflow)))
	pid := b.fork()
	if pid == 0 {
		rawchild.Store(p+b.page, b.overflow[:1]) // SIGSEGV ends the child here
		rawchild.Exit(0)
	}
	b.wait(mythOOBStore, pid)
	// The call the notes say fails.
	e = rawchild.Munmap(p, uintptr(oobFileSize))
	b.put(mythOOBStore, mythErr, uint32(e))
	rawchild.Close(fd)
}

// unlinkedIPC shares a file with no name between parent and child.
//
//go:nosplit
//go:norace
func (b *mythsBody) unlinkedIPC() {
	fd := b.open(b.unlinked, unix.O_CREAT|unix.O_RDWR|unix.O_TRUNC)
	e := rawchild.Unlink(b.unlinked)
	b.put(mythUnlinkedIPC, mythErr, uint32(e))
	if rawchild.Fstat(fd, &b.stat) != 0 {
		fail(b.errFstat)
	}
	b.put(mythUnlinkedIPC, mythValue, uint32(b.stat.Nlink))
	size := uintptr(len(b.msg))
	if rawchild.Ftruncate(fd, int64(size)) != 0 {
		fail(b.errTrunc)
	}
	p, e := rawchild.Mmap(0, size, unix.PROT_READ|unix.PROT_WRITE, unix.MAP_SHARED, fd, 0)
	if e != 0 {
		fail(b.errMmap)
	}
	// From here on only the mapping keeps the file.
	rawchild.Close(fd)
	pid := b.fork()
	if pid == 0 {
		rawchild.Store(p, b.msg)
		rawchild.Exit(0)
	}
	b.wait(mythUnlinkedIPC, pid)
	b.rep.store(mythUnlinkedIPC*mythSlot+mythData, p, size)
	if rawchild.Munmap(p, size) != 0 {
		fail(b.errMunmap)
	}
}

// sharedOffset writes through one fd from a child and then its parent,
// with no mapping at all.
//
//go:nosplit
//go:norace
func (b *mythsBody) sharedOffset() {
	fd := b.open(b.offset, unix.O_CREAT|unix.O_RDWR|unix.O_TRUNC)
	pid := b.fork()
	if pid == 0 {
		n, e := rawchild.Write(fd, rawchild.Addr(b.childLine), uintptr(len(b.childLine)))
		if e != 0 || n != len(b.childLine) {
			rawchild.Exit(1)
		}
		rawchild.Exit(0)
	}
	b.wait(mythSharedOffset, pid)
	off, e := rawchild.Lseek(fd, 0, unix.SEEK_CUR)
	b.put(mythSharedOffset, mythErr, uint32(e))
	b.put(mythSharedOffset, mythValue, uint32(off))
	rawchild.Write(fd, rawchild.Addr(b.parentLine), uintptr(len(b.parentLine)))
	rawchild.Close(fd)
}

// openNoMmap reads /proc/self/maps before open, after open, after mmap.
//
//go:nosplit
//go:norace
func (b *mythsBody) openNoMmap() {
	mfd := b.open(b.maps, unix.O_RDONLY)
	b.snapshot(mfd, snapFirst)
	fd := b.open(b.opened, unix.O_RDONLY)
	b.snapshot(mfd, snapOpen)
	size := uintptr(len(openText))
	p, e := rawchild.Mmap(0, size, unix.PROT_READ, unix.MAP_SHARED, fd, 0)
	b.put(mythOpenNoMmap, mythErr, uint32(e))
	b.snapshot(mfd, snapMmap)
	if e == 0 && rawchild.Munmap(p, size) != 0 {
		fail(b.errMunmap)
	}
	rawchild.Close(fd)
	rawchild.Close(mfd)
}

// snapshot copies what /proc/self/maps says now into snapshot k, with
// pread from offset 0: each read from the start makes the kernel list the
// mappings afresh, and pread is not among the calls shown.
//
//go:nosplit
//go:norace
func (b *mythsBody) snapshot(mfd, k int) {
	base := rawchild.Addr(b.snaps) + uintptr(k*snapSize)
	n := 0
	for n < snapSize {
		r, e := rawchild.Pread(mfd, base+uintptr(n), uintptr(snapSize-n), int64(n))
		if e != 0 || r <= 0 {
			break
		}
		n += r
	}
	b.put(mythOpenNoMmap, mythSnapLens+4*k, uint32(n))
}
