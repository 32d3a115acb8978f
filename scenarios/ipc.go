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
		Name: "ipc",
		Args: "[FILE]",
		Summary: Text{
			EN: "two processes that are not parent and child exchange records through a file they both map",
			ZH: "两个并非父子的进程，通过它们都映射的同一个文件交换记录",
		},
		Lesson: Text{
			EN: `The notes' mmap_w.c and mmap_r.c. A writer opens FILE (O_RDWR|O_CREAT),
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
			ZH: `笔记中的 mmap_w.c 和 mmap_r.c。写者打开 FILE（O_RDWR|O_CREAT），把大小
设为一个 struct STU {int id; char name[20]; char sex;}（28 字节），以
MAP_SHARED 映射它，关闭文件描述符，然后每隔 --interval 写入一条新记录：
id 为 1、2……直到 --count。读者以只读方式打开同一个 FILE，以 PROT_READ
和 MAP_SHARED 映射它，每发现一条新记录就打印出来。

两者谁也不是谁的父进程：写者设定好文件大小之后，由第三个进程把它们启动起来
（就像 shell 启动两个程序），每个进程都在 fork 之后自己打开并映射 FILE，
没有任何东西是继承来的。它们共享的是这个文件在页缓存中的页：写者写入的
内容，读者读一下内存就能看到，文件上没有任何 read() 或 write()。

两者必须商定谁在何时写：写者写一条记录时先把 id 置为 0，最后才写入新的
id；读者只接受 id 是新的、并且复制完记录之后 id 仍然不变的记录。读者轮询
映射（两次查看之间短暂地 nanosleep），读到 id 为 --count 时停止；如果
5 个间隔再加 2 秒都没有新记录，就放弃。
FILE 默认为新建的临时目录中的 ipc.dat；已有的 FILE 会先被清空。`,
		},
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
	l := env.Lang
	switch {
	case s.count < 1 || s.count > ipcMaxCount:
		return nil, l.usagef("--count %d: the writer stores 1 to %d records", "--count %d：写者只能写 1 到 %d 条记录", s.count, ipcMaxCount)
	case s.interval < ipcMinInterval || s.interval > ipcMaxInterval:
		return nil, l.usagef("--interval %v: must be between %v and %v", "--interval %v：必须在 %v 到 %v 之间", s.interval, ipcMinInterval, ipcMaxInterval)
	case time.Duration(s.count)*s.interval > ipcMaxTotal:
		return nil, l.usagef("--count %d × --interval %v is more than %v: choose fewer records or a shorter interval",
			"--count %d × --interval %v 超过了 %v：请减少记录数，或缩短间隔", s.count, s.interval, ipcMaxTotal)
	case len(args) > 1:
		return nil, l.usagef("ipc takes at most one FILE, got %d arguments", "ipc 最多接受一个 FILE，却给了 %d 个参数", len(args))
	}
	path := filepath.Join(env.Dir, "ipc.dat")
	if len(args) == 1 {
		path = args[0]
	}
	if err := emptyFile(l, path); err != nil {
		return nil, err
	}
	cpath, err := l.cstring(path)
	if err != nil {
		return nil, err
	}
	rep, err := newReport(l)
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
		errFork:  message(l.pick("ipc: fork error", "ipc：fork 出错")),
		errWait:  message(l.pick("ipc: wait4 error", "ipc：wait4 出错")),
		errReady: message(l.sprintf("ipc: the writer did not size %s within 5 s; the reader was not started",
			"ipc：写者没有在 5 秒内设定 %s 的大小；读者没有启动", escape.String(path))),
		errWOpen: message(l.pick("ipc: writer: open error: cannot open ", "ipc：写者：open 出错：无法打开 ") + escape.String(path)),
		errTrunc: message(l.pick("ipc: writer: ftruncate error", "ipc：写者：ftruncate 出错")),
		errWMmap: message(l.pick("ipc: writer: mmap error", "ipc：写者：mmap 出错")),
		errROpen: message(l.pick("ipc: reader: open error: cannot open ", "ipc：读者：open 出错：无法打开 ") + escape.String(path)),
		errRMmap: message(l.pick("ipc: reader: mmap error", "ipc：读者：mmap 出错")),
		errIdle:  message(l.sprintf("ipc: reader: no new record for %v, giving up", "ipc：读者：%v 内没有新记录，放弃", ipcPatience(s.interval))),
		rep:      rep,
	}
	b.readyTries = int(5 * time.Second / time.Millisecond)
	b.patience = int(ipcPatience(s.interval) / time.Duration(b.poll.Nano()))
	for i := range s.count {
		copy(b.records[i*recSize:], ipcRecord(i+1))
	}
	r := &ipcRun{out: env.Out, lang: l, path: path, count: s.count, rep: rep}
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
func emptyFile(l Lang, path string) error {
	st, err := os.Stat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		dir := filepath.Dir(path)
		if st, err := os.Stat(dir); err != nil || !st.IsDir() {
			return l.usagef("%s: no directory %s to create it in", "%s：没有可以在其中创建它的目录 %s", path, dir)
		}
		return nil
	case err != nil:
		return l.errorf("%s: %w", "%s：%w", path, unwrapPath(err))
	case st.IsDir():
		return l.usagef("%s is a directory: name a file to share", "%s 是目录：请指定要共享的文件", path)
	case !st.Mode().IsRegular():
		return l.usagef("%s is not a regular file (%s): the writer maps it, which needs a regular file",
			"%s 不是普通文件（%s）：写者要映射它，这需要普通文件", path, fileKind(l, st.Mode()))
	}
	if err := os.Truncate(path, 0); err != nil {
		return l.errorf("emptying %s: %w", "清空 %s：%w", path, unwrapPath(err))
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
	lang  Lang
	path  string
	count int
	rep   report
}

func (r *ipcRun) after(status int) error {
	defer r.rep.free()
	l := r.lang
	if r.rep.get32(ipcNotReady) != 0 {
		return l.errorf("the writer never gave %s its size: the reader was not started", "写者始终没有设定 %s 的大小：读者没有启动", r.path)
	}
	used := int(r.rep.get32(ipcUsed))
	lines := strings.Split(strings.TrimSuffix(string(r.rep.b[ipcLines:ipcLines+used]), "\n"), "\n")
	if used == 0 {
		lines = nil
	}
	seen := int(r.rep.get32(ipcSeen))
	fmt.Fprintln(r.out, l.sprintf("the reader (pid %[1]d) saw %[2]d of the %[3]s the writer (pid %[4]d) stored, each through its own mapping of %[5]s:",
		"读者（进程 %[1]d）看到了写者（进程 %[4]d）写入的 %[3]s中的 %[2]d 条，两者各自通过自己对 %[5]s 的映射：",
		r.rep.get32(ipcReader), seen, quantityIn(l, r.count, "record", "records", "条记录"), r.rep.get32(ipcWriter), escape.String(r.path)))
	for _, line := range lines {
		fmt.Fprintf(r.out, "  %s\n", line)
	}
	if len(lines) < seen {
		fmt.Fprintln(r.out, l.sprintf("  ... (%d more)", "  ……（另外 %d 条）", seen-len(lines)))
	}
	for slot, who := range []string{l.pick("the writer ", "写者"), l.pick("the reader ", "读者")} {
		if int(r.rep.get32(ipcReaped)) <= slot {
			continue
		}
		if ws := syscall.WaitStatus(r.rep.get32(ipcStatus + 4*slot)); ws != 0 {
			return fmt.Errorf("%s%s", who, describeWait(l, ws))
		}
	}
	if r.rep.get32(ipcGaveUp) != 0 {
		return l.errorf("the reader gave up waiting for a new record", "读者等不到新记录，放弃了")
	}
	if status != 0 {
		return l.statusError(status)
	}
	// Every line must be a record the writer stored, in increasing order:
	// a torn or stale record would not be.
	prev := 0
	for _, line := range lines {
		var id int
		if _, err := fmt.Sscanf(line, "id=%d ", &id); err != nil || id <= prev || id > r.count || line != ipcLine(id) {
			return l.errorf("the reader printed %q, which is not a record the writer stored after id %d",
				"读者打印了 %q，这不是写者在 id %d 之后写入的记录", line, prev)
		}
		prev = id
	}
	if last := int(r.rep.get32(ipcLast)); last != r.count {
		return l.errorf("the reader's last record has id %d, want %d", "读者读到的最后一条记录 id 为 %d，应为 %d", last, r.count)
	}
	file, err := os.ReadFile(r.path)
	if err != nil {
		return l.wrap(err)
	}
	if want := ipcRecord(r.count); !bytes.Equal(file, want) {
		return l.errorf("%s holds %q, want the last record %q", "%s 的内容是 %q，应为最后一条记录 %q", r.path, file, want)
	}
	return nil
}
