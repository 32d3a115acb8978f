package scenarios

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/pflag"
	"golang.org/x/sys/unix"

	"github.com/mmtrace/mmtrace/internal/escape"
	"github.com/mmtrace/mmtrace/internal/rawchild"
)

func init() { register(&ipcScenario{}) }

// ipcScenario is the notes' mmap_w.c and mmap_r.c: two processes that are
// not parent and child exchange records through a file both map.
type ipcScenario struct {
	// The flags. The scenario is registered once, so Flags resets them:
	// a run is Flags, then Plan, one at a time.
	count    int
	interval time.Duration
}

// The notes' struct STU {int id; char name[20]; char sex;}, as C lays it
// out: sex at 24, padded to 28 bytes for the int's alignment.
const (
	recID   = 0
	recName = 4
	recSex  = 24
	recSize = 28
	nameLen = 20
)

// Bounds of the flags: the run takes count × interval, at most a little
// over 100 s.
const (
	ipcDefaultCount    = 5
	ipcMaxCount        = 1000
	ipcDefaultInterval = time.Second
	ipcMinInterval     = time.Millisecond
	ipcMaxInterval     = 10 * time.Second
	ipcMaxTotal        = 100 * time.Second
)

func (*ipcScenario) Info() Info {
	return Info{
		Name:    "ipc",
		Args:    "[FILE]",
		Summary: "two processes that are not parent and child exchange records through a file they both map",
		Lesson: `The notes' mmap_w.c and mmap_r.c. A writer opens FILE (O_RDWR|O_CREAT),
sizes it to one struct STU {int id; char name[20]; char sex;} (28 bytes), maps
it with MAP_SHARED, closes the fd, and every --interval stores a new record:
id 1, 2, ... up to --count. A reader opens the same FILE read-only, maps it
with PROT_READ and MAP_SHARED, and prints each new record it finds there.

Neither is the other's parent: both are started by a third process (as a
shell starts two programs) once the writer has sized the file, and each
opens and maps FILE itself after its fork, so nothing is inherited. They
share the file's pages in the page cache: a store by the writer is a load
away for the reader, with no read() or write() on the file.

The two must agree on who writes when: the writer sets the id to 0 while it
stores a record and writes the new id last; the reader takes a record whose
id is new and still the same after it copied the record. The reader polls
the mapping (short nanosleeps between looks) and stops at id --count, or
gives up if no new record comes for 5 intervals plus 2 s.
FILE defaults to ipc.dat in a fresh temporary directory; an existing FILE is
emptied first.`,
	}
}

func (s *ipcScenario) Flags(fs *pflag.FlagSet) {
	s.count, s.interval = ipcDefaultCount, ipcDefaultInterval
	fs.IntVar(&s.count, "count", ipcDefaultCount, fmt.Sprintf("the writer stores `N` records (1 to %d)", ipcMaxCount))
	fs.DurationVar(&s.interval, "interval", ipcDefaultInterval, fmt.Sprintf("the writer stores one record every `DURATION` (%v to %v)", ipcMinInterval, ipcMaxInterval))
}

// The ipc report page.
const (
	ipcWriter     = 0  // the writer's pid
	ipcReader     = 4  // the reader's pid
	ipcStatus     = 8  // the writer's and the reader's wait status (2 × 4)
	ipcSeen       = 16 // how many records the reader printed
	ipcLast       = 20 // the last id it saw
	ipcUsed       = 24 // how many bytes of lines follow at ipcLines
	ipcNotReady   = 28 // 1: the writer never sized the file
	ipcGaveUp     = 32 // 1: the reader gave up waiting
	ipcReaped     = 36 // how many children the launcher reaped
	ipcLines      = 64 // the reader's lines, as it printed them
	ipcLinesLimit = 4096
)

func (s *ipcScenario) Plan(env *Env, args []string) (*Plan, error) {
	switch {
	case s.count < 1 || s.count > ipcMaxCount:
		return nil, usagef("--count %d: the writer stores 1 to %d records", s.count, ipcMaxCount)
	case s.interval < ipcMinInterval || s.interval > ipcMaxInterval:
		return nil, usagef("--interval %v: must be between %v and %v", s.interval, ipcMinInterval, ipcMaxInterval)
	case time.Duration(s.count)*s.interval > ipcMaxTotal:
		return nil, usagef("--count %d × --interval %v is more than %v: choose fewer records or a shorter interval", s.count, s.interval, ipcMaxTotal)
	case len(args) > 1:
		return nil, usagef("ipc takes at most one FILE, got %d arguments", len(args))
	}
	path := filepath.Join(env.Dir, "ipc.dat")
	if len(args) == 1 {
		path = args[0]
	}
	if err := emptyFile(path); err != nil {
		return nil, err
	}
	cpath, err := cstring(path)
	if err != nil {
		return nil, err
	}
	rep, err := newReport()
	if err != nil {
		return nil, err
	}
	b := &ipcBody{
		path:     cpath,
		count:    uint32(s.count),
		records:  make([]byte, s.count*recSize),
		interval: unix.NsecToTimespec(s.interval.Nanoseconds()),
		// The reader looks ten times an interval, between 0.1 and 10 ms
		// apart; the launcher looks for the sized file every millisecond.
		poll:     unix.NsecToTimespec(min(max(s.interval/10, 100*time.Microsecond), 10*time.Millisecond).Nanoseconds()),
		tick:     unix.NsecToTimespec(time.Millisecond.Nanoseconds()),
		line:     make([]byte, 64),
		idText:   []byte("id="),
		nameText: []byte(" name="),
		sexText:  []byte(" sex="),
		errFork:  message("ipc: fork error"),
		errWait:  message("ipc: wait4 error"),
		errReady: message("ipc: the writer did not size " + escape.String(path) + " within 5 s; the reader was not started"),
		errWOpen: message("ipc: writer: open error: cannot open " + escape.String(path)),
		errTrunc: message("ipc: writer: ftruncate error"),
		errWMmap: message("ipc: writer: mmap error"),
		errROpen: message("ipc: reader: open error: cannot open " + escape.String(path)),
		errRMmap: message("ipc: reader: mmap error"),
		errIdle:  message(fmt.Sprintf("ipc: reader: no new record for %v, giving up", ipcPatience(s.interval))),
		rep:      rep,
	}
	b.readyTries = int(5 * time.Second / time.Millisecond)
	b.patience = int(ipcPatience(s.interval) / time.Duration(b.poll.Nano()))
	for i := range s.count {
		copy(b.records[i*recSize:], ipcRecord(i+1))
	}
	r := &ipcRun{out: env.Out, path: path, count: s.count, rep: rep}
	return &Plan{Body: b, After: r.after}, nil
}

// ipcPatience is how long the reader waits for a new record.
func ipcPatience(interval time.Duration) time.Duration { return 5*interval + 2*time.Second }

// ipcRecord is record id as C would store it: struct STU {id,
// "xiaoming<id>", 'm' for odd ids and 'f' for even}.
func ipcRecord(id int) []byte {
	b := make([]byte, recSize)
	binary.NativeEndian.PutUint32(b[recID:], uint32(id))
	copy(b[recName:recName+nameLen-1], fmt.Sprintf("xiaoming%d", id))
	b[recSex] = "fm"[id%2]
	return b
}

// ipcLine is what the reader prints for record id.
func ipcLine(id int) string {
	r := ipcRecord(id)
	return fmt.Sprintf("id=%d name=%s sex=%c", id, bytes.TrimRight(r[recName:recName+nameLen], "\x00"), r[recSex])
}

// emptyFile makes sure path can be the shared file and holds no record
// from an earlier run: a reader could take it for a new one.
func emptyFile(path string) error {
	st, err := os.Stat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		dir := filepath.Dir(path)
		if st, err := os.Stat(dir); err != nil || !st.IsDir() {
			return usagef("%s: no directory %s to create it in", path, dir)
		}
		return nil
	case err != nil:
		return fmt.Errorf("%s: %w", path, unwrapPath(err))
	case st.IsDir():
		return usagef("%s is a directory: name a file to share", path)
	case !st.Mode().IsRegular():
		return usagef("%s is not a regular file (%s): the writer maps it, which needs a regular file", path, fileKind(st.Mode()))
	}
	if err := os.Truncate(path, 0); err != nil {
		return fmt.Errorf("emptying %s: %w", path, unwrapPath(err))
	}
	return nil
}

type ipcBody struct {
	path     *byte
	count    uint32
	records  []byte // the writer's records, count × recSize, prepared
	interval unix.Timespec
	poll     unix.Timespec // the reader's sleep between looks
	tick     unix.Timespec // the launcher's sleep between looks
	// readyTries bounds the launcher's wait for the sized file;
	// patience, the reader's looks with no new record.
	readyTries, patience int

	stx    unix.Statx_t
	status int32
	snap   [recSize]byte // the reader's copy of a record
	digits [24]byte
	line   []byte
	// The parts of the reader's line.
	idText, nameText, sexText []byte

	errFork, errWait, errReady                                []byte
	errWOpen, errTrunc, errWMmap, errROpen, errRMmap, errIdle []byte
	rep                                                       report
}

// Run is the launcher: it starts the writer, waits until the writer has
// given the file its size, starts the reader, and waits for both, as a
// shell would run "./mmap_w file & ./mmap_r file".
//
//go:nosplit
//go:norace
func (b *ipcBody) Run() {
	w, e := rawchild.Fork()
	if e != 0 {
		fail(b.errFork)
	}
	if w == 0 {
		b.writer()
	}
	b.rep.put32(ipcWriter, uint32(w))
	// statx is no call of the lesson's: it does not show by default.
	ready := false
	for i := 0; i < b.readyTries; i++ {
		if rawchild.Statx(b.path, unix.STATX_SIZE, &b.stx) == 0 && b.stx.Size >= recSize {
			ready = true
			break
		}
		rawchild.Sleep(&b.tick)
	}
	if !ready {
		b.rep.put32(ipcNotReady, 1)
		rawchild.Kill(w, unix.SIGKILL)
		b.reap(w, 0)
		fail(b.errReady)
	}
	r, e := rawchild.Fork()
	if e != 0 {
		rawchild.Kill(w, unix.SIGKILL)
		b.reap(w, 0)
		fail(b.errFork)
	}
	if r == 0 {
		b.reader()
	}
	b.rep.put32(ipcReader, uint32(r))
	ok := b.reap(w, 0)
	ok = b.reap(r, 1) && ok
	if !ok {
		rawchild.Exit(1)
	}
}

// reap waits for pid and records its status in slot; it says whether the
// process exited with 0.
//
//go:nosplit
//go:norace
func (b *ipcBody) reap(pid, slot int) bool {
	for {
		_, e := rawchild.Wait4(pid, &b.status, 0)
		if e == unix.EINTR {
			continue
		}
		if e != 0 {
			fail(b.errWait)
		}
		break
	}
	b.rep.put32(ipcStatus+4*slot, uint32(b.status))
	b.rep.put32(ipcReaped, b.rep.get32n(ipcReaped)+1)
	return b.status == 0
}

// writer is mmap_w.c: open, size, map, close, then one record per
// interval. It never returns.
//
//go:nosplit
//go:norace
func (b *ipcBody) writer() {
	fd, e := rawchild.Open(b.path, unix.O_RDWR|unix.O_CREAT, 0o664)
	if e != 0 {
		fail(b.errWOpen)
	}
	if rawchild.Ftruncate(fd, recSize) != 0 {
		fail(b.errTrunc)
	}
	p, e := rawchild.Mmap(0, recSize, unix.PROT_READ|unix.PROT_WRITE, unix.MAP_SHARED, fd, 0)
	if e != 0 {
		fail(b.errWMmap)
	}
	rawchild.Close(fd) // the mapping stays: it holds its own reference to the file
	for i := uint32(0); i < b.count; i++ {
		rawchild.Sleep(&b.interval)
		rec := b.records[i*recSize : (i+1)*recSize]
		rawchild.Store32(p+recID, 0) // a record is being written
		rawchild.Store(p+recName, rec[recName:])
		rawchild.Store32(p+recID, i+1) // the new id, last
	}
	rawchild.Munmap(p, recSize)
	rawchild.Exit(0)
}

// reader is mmap_r.c: open read-only, map, close, then print each new
// record until the last. It never returns.
//
//go:nosplit
//go:norace
func (b *ipcBody) reader() {
	fd, e := rawchild.Open(b.path, unix.O_RDONLY, 0)
	if e != 0 {
		fail(b.errROpen)
	}
	p, e := rawchild.Mmap(0, recSize, unix.PROT_READ, unix.MAP_SHARED, fd, 0)
	if e != 0 {
		fail(b.errRMmap)
	}
	rawchild.Close(fd)
	last, seen, idle := uint32(0), uint32(0), 0
	for last < b.count {
		id := rawchild.Load32(p + recID)
		if id == 0 || id == last {
			idle++
			if idle > b.patience {
				b.rep.put32(ipcGaveUp, 1)
				fail(b.errIdle)
			}
			rawchild.Sleep(&b.poll)
			continue
		}
		// Byte by byte: rawchild.Copy with a constant length makes the
		// Go 1.26 compiler crash (disjointTypes in the memmove rewrite).
		for i := range b.snap {
			b.snap[i] = rawchild.Load(p + uintptr(i))
		}
		if rawchild.Load32(p+recID) != id {
			continue // the writer began the next record meanwhile: look again
		}
		idle = 0
		last = id
		seen++
		b.print(id)
		b.rep.put32(ipcSeen, seen)
		b.rep.put32(ipcLast, last)
	}
	rawchild.Munmap(p, recSize)
	rawchild.Exit(0)
}

// print writes "id=1 name=xiaoming1 sex=m" for the record in snap to
// stdout, and copies the line into the report.
//
//go:nosplit
//go:norace
func (b *ipcBody) print(id uint32) {
	n := put(b.line, 0, b.idText)
	n = put(b.line, n, putDecimal(b.digits[:], int(id)))
	n = put(b.line, n, b.nameText)
	for i := recName; i < recName+nameLen && b.snap[i] != 0; i++ {
		b.line[n] = b.snap[i]
		n++
	}
	n = put(b.line, n, b.sexText)
	sex := b.snap[recSex]
	if sex < ' ' || sex > '~' {
		sex = '?'
	}
	b.line[n] = sex
	b.line[n+1] = '\n'
	n += 2
	rawchild.Write(1, rawchild.Addr(b.line), uintptr(n))
	used := int(b.rep.get32n(ipcUsed))
	if ipcLines+used+n <= ipcLinesLimit {
		b.rep.store(ipcLines+used, rawchild.Addr(b.line), uintptr(n))
		b.rep.put32(ipcUsed, uint32(used+n))
	}
}

// put copies s into buf at n and returns the end.
//
//go:nosplit
//go:norace
func put(buf []byte, n int, s []byte) int {
	for _, c := range s {
		buf[n] = c
		n++
	}
	return n
}

// ipcRun checks and reports a run.
type ipcRun struct {
	out   io.Writer
	path  string
	count int
	rep   report
}

func (r *ipcRun) after(status int) error {
	defer r.rep.free()
	if r.rep.get32(ipcNotReady) != 0 {
		return fmt.Errorf("the writer never gave %s its size: the reader was not started", r.path)
	}
	used := int(r.rep.get32(ipcUsed))
	lines := strings.Split(strings.TrimSuffix(string(r.rep.b[ipcLines:ipcLines+used]), "\n"), "\n")
	if used == 0 {
		lines = nil
	}
	seen := int(r.rep.get32(ipcSeen))
	fmt.Fprintf(r.out, "the reader (pid %d) saw %d of the %s the writer (pid %d) stored, each through its own mapping of %s:\n",
		r.rep.get32(ipcReader), seen, quantity(r.count, "record", "records"), r.rep.get32(ipcWriter), escape.String(r.path))
	for _, l := range lines {
		fmt.Fprintf(r.out, "  %s\n", l)
	}
	if len(lines) < seen {
		fmt.Fprintf(r.out, "  ... (%d more)\n", seen-len(lines))
	}
	for slot, who := range []string{"writer", "reader"} {
		if int(r.rep.get32(ipcReaped)) <= slot {
			continue
		}
		if ws := syscall.WaitStatus(r.rep.get32(ipcStatus + 4*slot)); ws != 0 {
			return fmt.Errorf("the %s %s", who, describeWait(ws))
		}
	}
	if r.rep.get32(ipcGaveUp) != 0 {
		return fmt.Errorf("the reader gave up waiting for a new record")
	}
	if status != 0 {
		return statusError(status)
	}
	// Every line must be a record the writer stored, in increasing order:
	// a torn or stale record would not be.
	prev := 0
	for _, l := range lines {
		var id int
		if _, err := fmt.Sscanf(l, "id=%d ", &id); err != nil || id <= prev || id > r.count || l != ipcLine(id) {
			return fmt.Errorf("the reader printed %q, which is not a record the writer stored after id %d", l, prev)
		}
		prev = id
	}
	if last := int(r.rep.get32(ipcLast)); last != r.count {
		return fmt.Errorf("the reader's last record has id %d, want %d", last, r.count)
	}
	file, err := os.ReadFile(r.path)
	if err != nil {
		return err
	}
	if want := ipcRecord(r.count); !bytes.Equal(file, want) {
		return fmt.Errorf("%s holds %q, want the last record %q", r.path, file, want)
	}
	return nil
}
