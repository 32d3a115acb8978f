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

func init() { register(pitfallsScenario{}) }

// pitfallsScenario runs the notes' list of mmap mistakes, each shown.
type pitfallsScenario struct{}

// The pitfalls, in the order they run when none is named.
const (
	pitZeroLength = iota
	pitMunmapOffset
	pitSharedReadonly
	pitPrivateReadonly
	pitOffset
	pitPastEOF
	pitAfterClose
	pitWriteOnly
	numPitfalls
)

// pitfallNames are the names the command line takes, by pitfall.
var pitfallNames = [numPitfalls]string{
	pitZeroLength:      "zero-length",
	pitMunmapOffset:    "munmap-offset",
	pitSharedReadonly:  "shared-readonly",
	pitPrivateReadonly: "private-readonly",
	pitOffset:          "offset",
	pitPastEOF:         "past-eof",
	pitAfterClose:      "after-close",
	pitWriteOnly:       "write-only",
}

func (pitfallsScenario) Info() Info {
	return Info{
		Name:    "pitfalls",
		Args:    "[NAME...]",
		Summary: "the notes' list of mmap mistakes, each run and explained",
		Lesson: `Runs the mistakes the notes list, each as a few calls in the timeline and one
line on stdout saying what happened. Name some to run only those, in the order
given; with no NAME all run, in this order:

  zero-length       mmap with length 0: EINVAL. (The length need not be a page
                    multiple: mmap rounds it up to whole pages.)
  munmap-offset     munmap(p+1, ...) after p++: EINVAL, because p+1 is not
                    page-aligned. Not because it is not what mmap returned:
                    on a two-page mapping, munmap(p + page, page) unmaps the
                    second page alone, then munmap(p, page) the first.
  shared-readonly   PROT_READ|PROT_WRITE with MAP_SHARED on a file opened
                    O_RDONLY: EACCES. Stores would reach the file, which the fd
                    may not write: a mapping may not allow more than the open.
  private-readonly  the same with MAP_PRIVATE: it works, contrary to the notes.
                    Stores go to a private copy, never to the file, so no write
                    permission is needed; there is no bus error.
  offset            offset 1000, not a multiple of the page size: EINVAL; one
                    page in, the mapping starts at the file's second page.
                    The call is made raw, to show the kernel's own answer:
                    from C it is never made, glibc's mmap() returns EINVAL
                    itself, and strace shows no mmap line at all.
  past-eof          the notes' "bus error": storing into a mapping of an empty
                    file. mmap succeeds, but no page of the file backs the
                    address, and the store raises SIGBUS. Done in a child,
                    which SIGBUS kills; the parent's wait4 shows it.
  after-close       close(fd) right after mmap: the mapping keeps working (it
                    holds its own reference to the file), as the notes say.
  write-only        the notes' PROT_WRITE|PROT_WRITE, a typo for
                    PROT_READ|PROT_WRITE: a mapping with PROT_WRITE alone. On
                    x86 (and arm64) the page can still be read: the hardware
                    has no write-only pages, so reading back works.

The files live in a fresh temporary directory: data.txt (two pages, made
before the run), empty.txt, after-close.txt and write-only.txt (made by the
run).`,
	}
}

func (pitfallsScenario) Flags(*pflag.FlagSet) {}

// The report: one slot per pitfall.
const (
	slotSize = 64
	slotRan  = 0  // 1 once the pitfall has run
	slotErr1 = 4  // errno of the call the pitfall is about
	slotErr2 = 8  // errno of its second call (munmap-offset, offset)
	slotWait = 12 // past-eof: the child's wait status
	slotErr3 = 12 // munmap-offset: errno of its third call (past-eof's slotWait)
	slotData = 16 // bytes read through the mapping
)

// pitfallText is a pitfall's line on stdout when the kernel does what the
// lesson says, and its complaints on stderr when it does not: odd is
// followed by the call's outcome, odd2 is a line of its own.
type pitfallText struct {
	ok, odd, odd2 []byte
}

func (pitfallsScenario) Plan(env *Env, args []string) (*Plan, error) {
	order, err := pitfallOrder(args)
	if err != nil {
		return nil, err
	}
	page := os.Getpagesize()
	data := pitfallData(page)
	dataPath := filepath.Join(env.Dir, "data.txt")
	emptyPath := filepath.Join(env.Dir, "empty.txt")
	closePath := filepath.Join(env.Dir, "after-close.txt")
	writeOnlyPath := filepath.Join(env.Dir, "write-only.txt")
	if err := os.WriteFile(dataPath, data, 0o644); err != nil {
		return nil, err
	}
	b := &pitfallsBody{
		order:     order,
		page:      page,
		stored:    []byte("abc\x00"),
		offsetEnd: []byte("\"\n"),
		complaint: newComplaint(),
		errSetup:  message("pitfalls: open error: cannot open " + dataPath),
		errEmpty:  message("pitfalls: open error: cannot create " + emptyPath),
		errClose:  message("pitfalls: open error: cannot create " + closePath),
		errWO:     message("pitfalls: open error: cannot create " + writeOnlyPath),
		errTrunc:  message("pitfalls: ftruncate error"),
		errMmap:   message("pitfalls: mmap error"),
		errMunmap: message("pitfalls: munmap error"),
		errFork:   message("pitfalls: fork error"),
		errWait:   message("pitfalls: wait4 error"),
	}
	for _, p := range []struct {
		path **byte
		s    string
	}{{&b.data, dataPath}, {&b.empty, emptyPath}, {&b.closed, closePath}, {&b.writeOnly, writeOnlyPath}} {
		if *p.path, err = cstring(p.s); err != nil {
			return nil, err
		}
	}
	b.text = [numPitfalls]pitfallText{
		pitZeroLength: {
			ok:  []byte("zero-length: mmap with length 0 failed with EINVAL (Invalid argument): a mapping needs at least one byte\n"),
			odd: []byte("pitfalls: zero-length: mmap with length 0, expected to fail with EINVAL,"),
		},
		pitMunmapOffset: {
			ok: []byte(fmt.Sprintf("munmap-offset: munmap(p+1, 4) failed with EINVAL (Invalid argument): p+1 is not page-aligned; "+
				"munmap(p+%d, %d) then unmapped the second page alone and munmap(p, %d) the first: any page-aligned address works\n", page, page, page)),
			odd:  []byte("pitfalls: munmap-offset: munmap(p+1, 4), expected to fail with EINVAL,"),
			odd2: []byte(fmt.Sprintf("pitfalls: munmap-offset: munmap(p+%d, %d), expected to work,", page, page)),
		},
		pitSharedReadonly: {
			ok:  []byte("shared-readonly: PROT_READ|PROT_WRITE with MAP_SHARED on a file opened O_RDONLY failed with EACCES (Permission denied): stores would reach a file the fd may not write\n"),
			odd: []byte("pitfalls: shared-readonly: mmap(PROT_READ|PROT_WRITE, MAP_SHARED) of an O_RDONLY fd, expected to fail with EACCES,"),
		},
		pitPrivateReadonly: {
			ok:   []byte(`private-readonly: PROT_READ|PROT_WRITE with MAP_PRIVATE on a file opened O_RDONLY worked, no bus error: stored and read back "abc" in a private copy; the file is not written` + "\n"),
			odd:  []byte("pitfalls: private-readonly: mmap(PROT_READ|PROT_WRITE, MAP_PRIVATE) of an O_RDONLY fd, expected to work,"),
			odd2: message(`pitfalls: private-readonly: the private mapping did not read back "abc"`),
		},
		pitOffset: {
			ok:   []byte(fmt.Sprintf(`offset: the raw mmap at offset 1000 failed with EINVAL (Invalid argument), the kernel's answer (glibc's mmap() gives it without the call): the offset must be a multiple of the page size (%d); at offset %d it worked, and the mapping begins with "`, page, page)),
			odd:  []byte("pitfalls: offset: mmap at offset 1000, expected to fail with EINVAL,"),
			odd2: []byte(fmt.Sprintf("pitfalls: offset: mmap at offset %d, expected to work,", page)),
		},
		pitPastEOF: {
			ok:   []byte("past-eof: mmap of the empty file worked, but the child that stored into it was killed by SIGBUS: no page of the file lies behind the mapping\n"),
			odd:  []byte("pitfalls: past-eof: mmap of an empty file, expected to work,"),
			odd2: []byte("pitfalls: past-eof: the child storing into a mapping of an empty file was expected to die of SIGBUS; its wait status is "),
		},
		pitAfterClose: {
			ok:   []byte(`after-close: closed the fd right after mmap, then stored and read back "abc" through the mapping: it does not need the fd` + "\n"),
			odd:  []byte("pitfalls: after-close: close(fd) after mmap, expected to work,"),
			odd2: message(`pitfalls: after-close: the mapping did not read back "abc" after close(fd)`),
		},
		pitWriteOnly: {
			ok:   []byte(`write-only: mmap with PROT_WRITE alone worked, and reading back "abc" worked too: the hardware has no write-only pages` + "\n"),
			odd:  []byte("pitfalls: write-only: mmap(PROT_WRITE, MAP_SHARED), expected to work,"),
			odd2: message(`pitfalls: write-only: the PROT_WRITE mapping did not read back "abc"`),
		},
	}
	rep, err := newReport()
	if err != nil {
		return nil, err
	}
	b.rep = rep
	return &Plan{Body: b, After: func(status int) error {
		defer rep.free()
		return pitfallsAfter(env, rep, order, status, dataPath, data, closePath, writeOnlyPath)
	}}, nil
}

// pitfallOrder turns the NAMEs into the pitfalls to run: all by default; a
// name given twice runs once.
func pitfallOrder(args []string) ([]int, error) {
	if len(args) == 0 {
		order := make([]int, numPitfalls)
		for i := range order {
			order[i] = i
		}
		return order, nil
	}
	var order []int
	seen := map[int]bool{}
	for _, a := range args {
		i := pitfallIndex(a)
		if i < 0 {
			return nil, usagef("no pitfall %q; the pitfalls are: %s", a, strings.Join(pitfallNames[:], ", "))
		}
		if !seen[i] {
			seen[i] = true
			order = append(order, i)
		}
	}
	return order, nil
}

func pitfallIndex(name string) int {
	for i, n := range pitfallNames {
		if n == name {
			return i
		}
	}
	return -1
}

// pitfallData is data.txt: two pages, each starting with its number.
func pitfallData(page int) []byte {
	b := bytes.Repeat([]byte("."), 2*page)
	copy(b, "page 0\n")
	copy(b[page:], "page 1\n")
	return b
}

// offsetSeen is how many bytes of the offset mapping the body prints:
// "page 1".
const offsetSeen = 6

// pitfallsAfter checks what each pitfall recorded and reports it.
func pitfallsAfter(env *Env, rep report, order []int, status int, dataPath string, data []byte, closePath, writeOnlyPath string) error {
	var errs []string
	for _, i := range order {
		slot := i * slotSize
		name := pitfallNames[i]
		if rep.b[slot+slotRan] != 1 {
			errs = append(errs, name+" did not run")
			continue
		}
		e1 := syscall.Errno(rep.get32(slot + slotErr1))
		e2 := syscall.Errno(rep.get32(slot + slotErr2))
		got := rep.b[slot+slotData : slot+slotSize]
		var line string
		var ok bool
		switch i {
		case pitZeroLength:
			line = "mmap(NULL, 0, ...): " + errnoText(e1)
			ok = e1 == unix.EINVAL
		case pitMunmapOffset:
			e3 := syscall.Errno(rep.get32(slot + slotErr3))
			page := os.Getpagesize()
			line = fmt.Sprintf("munmap(p+1, 4): %s; munmap(p+%d, %d): %s; munmap(p, %d): %s",
				errnoText(e1), page, page, errnoText(e2), page, errnoText(e3))
			ok = e1 == unix.EINVAL && e2 == 0 && e3 == 0
		case pitSharedReadonly:
			line = "mmap(PROT_READ|PROT_WRITE, MAP_SHARED) of an O_RDONLY fd: " + errnoText(e1)
			ok = e1 == unix.EACCES
		case pitPrivateReadonly:
			file, err := os.ReadFile(dataPath)
			same := err == nil && bytes.Equal(file, data)
			line = fmt.Sprintf("mmap(PROT_READ|PROT_WRITE, MAP_PRIVATE) of an O_RDONLY fd: %s; read back %q; data.txt unchanged: %v",
				errnoText(e1), bytes.TrimRight(got[:3], "\x00"), same)
			ok = e1 == 0 && string(got[:3]) == "abc" && same
		case pitOffset:
			line = fmt.Sprintf("mmap at offset 1000: %s; at offset %d: %s, the mapping begins with %q",
				errnoText(e1), os.Getpagesize(), errnoText(e2), bytes.TrimRight(got[:offsetSeen], "\x00"))
			ok = e1 == unix.EINVAL && e2 == 0 && string(got[:offsetSeen]) == "page 1"
		case pitPastEOF:
			ws := unix.WaitStatus(rep.get32(slot + slotWait))
			line = "mmap of an empty file: " + errnoText(e1) + "; the child's store: " + waitText(ws)
			ok = e1 == 0 && ws.Signaled() && ws.Signal() == unix.SIGBUS
		case pitAfterClose:
			file, _ := os.ReadFile(closePath)
			line = fmt.Sprintf("close(fd) after mmap: %s; read back %q; after-close.txt holds %q",
				errnoText(e1), bytes.TrimRight(got[:3], "\x00"), file)
			ok = e1 == 0 && string(got[:3]) == "abc" && string(file) == "abc\x00"
		case pitWriteOnly:
			file, _ := os.ReadFile(writeOnlyPath)
			line = fmt.Sprintf("mmap(PROT_WRITE, MAP_SHARED): %s; read back %q; write-only.txt holds %q",
				errnoText(e1), bytes.TrimRight(got[:3], "\x00"), file)
			ok = e1 == 0 && string(got[:3]) == "abc" && string(file) == "abc\x00"
		}
		fmt.Fprintf(env.Out, "%-16s  %s\n", name, line)
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

func waitText(ws unix.WaitStatus) string {
	switch {
	case ws.Signaled():
		return "killed by " + unix.SignalName(ws.Signal())
	case ws.Exited():
		return fmt.Sprintf("exited with %d", ws.ExitStatus())
	}
	return fmt.Sprintf("wait status %#x", uint32(ws))
}

type pitfallsBody struct {
	order               []int
	page                int
	data, empty, closed *byte
	writeOnly           *byte
	text                [numPitfalls]pitfallText
	stored, offsetEnd   []byte
	complaint           complaint
	errSetup, errEmpty  []byte
	errClose, errTrunc  []byte
	errWO               []byte
	errMmap, errMunmap  []byte
	errFork, errWait    []byte
	rep                 report
	status              int32
	bad                 bool
}

//go:nosplit
//go:norace
func (b *pitfallsBody) Run() {
	for _, i := range b.order {
		b.rep.b[i*slotSize+slotRan] = 1
		switch i {
		case pitZeroLength:
			b.zeroLength()
		case pitMunmapOffset:
			b.munmapOffset()
		case pitSharedReadonly:
			b.sharedReadonly()
		case pitPrivateReadonly:
			b.privateReadonly()
		case pitOffset:
			b.offset()
		case pitPastEOF:
			b.pastEOF()
		case pitAfterClose:
			b.afterClose()
		case pitWriteOnly:
			b.writeOnlyMapping()
		}
	}
	if b.bad {
		rawchild.Exit(1)
	}
}

// record keeps errno e of pitfall i's call (which is 1 or 2).
//
//go:nosplit
//go:norace
func (b *pitfallsBody) record(i, which int, e syscall.Errno) {
	off := i*slotSize + slotErr1
	if which == 2 {
		off = i*slotSize + slotErr2
	}
	b.rep.put32(off, uint32(e))
}

// verdict prints pitfall i's line if ok, and complains with the call's
// outcome e otherwise.
//
//go:nosplit
//go:norace
func (b *pitfallsBody) verdict(i int, ok bool, e syscall.Errno) {
	if ok {
		say(b.text[i].ok)
		return
	}
	b.bad = true
	b.complaint.say(b.text[i].odd, e)
}

// odd2 complains with pitfall i's second complaint.
//
//go:nosplit
//go:norace
func (b *pitfallsBody) odd2(i int) {
	b.bad = true
	warn(b.text[i].odd2)
}

// open opens path, or ends the run: a pitfall's setup must work.
//
//go:nosplit
//go:norace
func (b *pitfallsBody) open(path *byte, flags int, msg []byte) int {
	fd, e := rawchild.Open(path, flags, 0o644)
	if e != 0 {
		fail(msg)
	}
	return fd
}

// mmap4 maps the first 4 bytes of fd, read-write, or ends the run.
//
//go:nosplit
//go:norace
func (b *pitfallsBody) mmap4(fd, flags int) uintptr {
	p, e := rawchild.Mmap(0, 4, unix.PROT_READ|unix.PROT_WRITE, flags, fd, 0)
	if e != 0 {
		fail(b.errMmap)
	}
	return p
}

// munmap unmaps, or ends the run.
//
//go:nosplit
//go:norace
func (b *pitfallsBody) munmap(p, n uintptr) {
	if rawchild.Munmap(p, n) != 0 {
		fail(b.errMunmap)
	}
}

// storeAndLoad stores "abc\0" at p, copies what p then holds into pitfall
// i's slot, and says whether it reads back.
//
//go:nosplit
//go:norace
func (b *pitfallsBody) storeAndLoad(i int, p uintptr) bool {
	rawchild.Store(p, b.stored)
	n := uintptr(len(b.stored))
	b.rep.store(i*slotSize+slotData, p, n)
	for k := uintptr(0); k < n; k++ {
		if rawchild.Load(p+k) != b.stored[k] {
			return false
		}
	}
	return true
}

//go:nosplit
//go:norace
func (b *pitfallsBody) zeroLength() {
	fd := b.open(b.data, unix.O_RDWR, b.errSetup)
	p, e := rawchild.Mmap(0, 0, unix.PROT_READ|unix.PROT_WRITE, unix.MAP_SHARED, fd, 0)
	b.record(pitZeroLength, 1, e)
	if e == 0 {
		b.munmap(p, 1)
	}
	b.verdict(pitZeroLength, e == unix.EINVAL, e)
	rawchild.Close(fd)
}

// munmapOffset maps data.txt's two pages, tries the notes' munmap after
// p++, then unmaps the second page alone and the first: the address must
// be page-aligned, not the one mmap returned.
//
//go:nosplit
//go:norace
func (b *pitfallsBody) munmapOffset() {
	fd := b.open(b.data, unix.O_RDWR, b.errSetup)
	page := uintptr(b.page)
	p, e := rawchild.Mmap(0, 2*page, unix.PROT_READ|unix.PROT_WRITE, unix.MAP_SHARED, fd, 0)
	if e != 0 {
		fail(b.errMmap)
	}
	e = rawchild.Munmap(p+1, 4) // the notes' p++ before munmap
	b.record(pitMunmapOffset, 1, e)
	e2 := rawchild.Munmap(p+page, page)
	b.record(pitMunmapOffset, 2, e2)
	e3 := rawchild.Munmap(p, page)
	b.rep.put32(pitMunmapOffset*slotSize+slotErr3, uint32(e3))
	if e3 != 0 {
		fail(b.errMunmap)
	}
	switch {
	case e != unix.EINVAL:
		b.verdict(pitMunmapOffset, false, e)
	case e2 != 0:
		b.bad = true
		b.complaint.say(b.text[pitMunmapOffset].odd2, e2)
	default:
		b.verdict(pitMunmapOffset, true, 0)
	}
	rawchild.Close(fd)
}

//go:nosplit
//go:norace
func (b *pitfallsBody) sharedReadonly() {
	fd := b.open(b.data, unix.O_RDONLY, b.errSetup)
	p, e := rawchild.Mmap(0, 4, unix.PROT_READ|unix.PROT_WRITE, unix.MAP_SHARED, fd, 0)
	b.record(pitSharedReadonly, 1, e)
	if e == 0 {
		b.munmap(p, 4)
	}
	b.verdict(pitSharedReadonly, e == unix.EACCES, e)
	rawchild.Close(fd)
}

//go:nosplit
//go:norace
func (b *pitfallsBody) privateReadonly() {
	fd := b.open(b.data, unix.O_RDONLY, b.errSetup)
	p, e := rawchild.Mmap(0, 4, unix.PROT_READ|unix.PROT_WRITE, unix.MAP_PRIVATE, fd, 0)
	b.record(pitPrivateReadonly, 1, e)
	if e != 0 {
		b.verdict(pitPrivateReadonly, false, e)
		rawchild.Close(fd)
		return
	}
	ok := b.storeAndLoad(pitPrivateReadonly, p)
	b.munmap(p, 4)
	if ok {
		b.verdict(pitPrivateReadonly, true, 0)
	} else {
		b.odd2(pitPrivateReadonly)
	}
	rawchild.Close(fd)
}

//go:nosplit
//go:norace
func (b *pitfallsBody) offset() {
	fd := b.open(b.data, unix.O_RDWR, b.errSetup)
	p, e := rawchild.Mmap(0, 4, unix.PROT_READ|unix.PROT_WRITE, unix.MAP_SHARED, fd, 1000)
	b.record(pitOffset, 1, e)
	if e == 0 {
		b.munmap(p, 4)
	}
	p2, e2 := rawchild.Mmap(0, offsetSeen, unix.PROT_READ|unix.PROT_WRITE, unix.MAP_SHARED, fd, int64(b.page))
	b.record(pitOffset, 2, e2)
	if e2 == 0 {
		b.rep.store(pitOffset*slotSize+slotData, p2, offsetSeen)
	}
	switch {
	case e != unix.EINVAL:
		b.verdict(pitOffset, false, e)
	case e2 != 0:
		b.bad = true
		b.complaint.say(b.text[pitOffset].odd2, e2)
	default:
		// The line ends with what the mapping holds, read through it.
		say(b.text[pitOffset].ok)
		rawchild.Write(1, p2, offsetSeen)
		say(b.offsetEnd)
	}
	if e2 == 0 {
		b.munmap(p2, offsetSeen)
	}
	rawchild.Close(fd)
}

//go:nosplit
//go:norace
func (b *pitfallsBody) pastEOF() {
	// The notes' first program without its ftruncate: the file stays empty.
	fd := b.open(b.empty, unix.O_CREAT|unix.O_RDWR|unix.O_TRUNC, b.errEmpty)
	p, e := rawchild.Mmap(0, 4, unix.PROT_READ|unix.PROT_WRITE, unix.MAP_SHARED, fd, 0)
	b.record(pitPastEOF, 1, e)
	if e != 0 {
		b.verdict(pitPastEOF, false, e)
		rawchild.Close(fd)
		return
	}
	pid, e := rawchild.Fork()
	if e != 0 {
		fail(b.errFork)
	}
	if pid == 0 {
		rawchild.Store(p, b.stored) // SIGBUS ends the child here
		rawchild.Exit(0)
	}
	if _, e := rawchild.Wait4(pid, &b.status, 0); e != 0 {
		fail(b.errWait)
	}
	b.rep.put32(pitPastEOF*slotSize+slotWait, uint32(b.status))
	if b.status&0x7f == int32(unix.SIGBUS) { // WIFSIGNALED && WTERMSIG == SIGBUS
		b.verdict(pitPastEOF, true, 0)
	} else {
		b.odd2(pitPastEOF)
		b.complaint.number(int(b.status))
	}
	b.munmap(p, 4)
	rawchild.Close(fd)
}

//go:nosplit
//go:norace
func (b *pitfallsBody) afterClose() {
	fd := b.open(b.closed, unix.O_CREAT|unix.O_RDWR|unix.O_TRUNC, b.errClose)
	if rawchild.Ftruncate(fd, 4) != 0 {
		fail(b.errTrunc)
	}
	p := b.mmap4(fd, unix.MAP_SHARED)
	e := rawchild.Close(fd)
	b.record(pitAfterClose, 1, e)
	ok := b.storeAndLoad(pitAfterClose, p)
	b.munmap(p, 4)
	switch {
	case e != 0:
		b.verdict(pitAfterClose, false, e)
	case !ok:
		b.odd2(pitAfterClose)
	default:
		b.verdict(pitAfterClose, true, 0)
	}
}

// writeOnlyMapping maps a file with PROT_WRITE alone, as the notes'
// PROT_WRITE|PROT_WRITE does, stores, and reads back.
//
//go:nosplit
//go:norace
func (b *pitfallsBody) writeOnlyMapping() {
	fd := b.open(b.writeOnly, unix.O_CREAT|unix.O_RDWR|unix.O_TRUNC, b.errWO)
	if rawchild.Ftruncate(fd, 4) != 0 {
		fail(b.errTrunc)
	}
	p, e := rawchild.Mmap(0, 4, unix.PROT_WRITE, unix.MAP_SHARED, fd, 0)
	b.record(pitWriteOnly, 1, e)
	if e != 0 {
		b.verdict(pitWriteOnly, false, e)
		rawchild.Close(fd)
		return
	}
	ok := b.storeAndLoad(pitWriteOnly, p)
	b.munmap(p, 4)
	rawchild.Close(fd)
	if ok {
		b.verdict(pitWriteOnly, true, 0)
	} else {
		b.odd2(pitWriteOnly)
	}
}
