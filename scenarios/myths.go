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
		Name: "myths",
		Args: "[NAME...]",
		Summary: Text{
			EN: "the notes' claims about mmap, files and fork, each run: what the kernel really does",
			ZH: "笔记中关于 mmap、文件和 fork 的说法，逐个运行：看内核实际怎么做",
		},
		Lesson: Text{
			EN: `Runs the notes' remaining claims, each as a few calls in the timeline; after
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
			ZH: `运行笔记中其余的说法，每个说法在时间线中是几次调用；运行结束后，每个说法
用一行说明内核做了什么。指定 NAME 则只运行这几个，按给出的顺序；不指定则
全部运行，顺序如下：

  oob-store      笔记说“p越界操作会导致munmap失败”。其实不会：munmap 失败
                 只因为它的参数（地址没有按页对齐、长度为 0），与写入过
                 什么无关。这里映射一个 4 字节的文件，在 p 处写入 17 字节：
                 它们落在映射的那一页里，写入成功，munmap(p, 4) 返回 0，
                 文件仍然只有原来的 4 字节（超出文件末尾的写入永远不会进入
                 文件）。在子进程中向 p 之后一整页处写入，就落到了映射之外：
                 子进程被 SIGSEGV 信号终止。映射之后是什么由内核决定，如果
                 那里恰好是另一个可写的映射，写入会悄悄改掉它，没有任何
                 信号；为了不出现这种情况，本场景映射两页，再解除第二页的
                 映射。
  unlinked-ipc   笔记中关于 unlink 的说法：unlink 删除的是名字，不是文件。
                 文件被打开、unlink（之后 fstat 显示名字数为 0）、设定大小、
                 以 MAP_SHARED 映射并关闭；fork 出的子进程通过映射写入一条
                 消息，父进程读出来：父子进程共享一个没有名字的文件，只靠
                 映射维持它的存在。
  shared-offset  笔记说：MAP_SHARED 时父子进程共享文件偏移量，MAP_PRIVATE
                 时不共享。这与 mmap 无关：这里根本没有映射。fork 给子进程
                 每个文件描述符的一份副本，指向同一个打开的文件，而偏移量
                 属于打开的文件：子进程写入 6 字节，父进程随后的 lseek 就
                 返回 6，尽管它自己什么也没写，它的写入也接在子进程写入的
                 内容之后。（为此还跟踪了 write 和 lseek。）
  open-no-mmap   笔记说“open文件以后，操作系统进行了一次mmap”。其实没有：
                 在 open 之前、open 之后、mmap 之后各读一次
                 /proc/self/maps，open 前后完全相同；文件的映射在 mmap 时
                 才出现。

文件放在新建的临时目录中：oob.txt、unlinked.txt（运行结束时已不存在：它被
unlink 了）、offset.txt 和 open.txt。`,
		},
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
	l := env.Lang
	order, err := mythOrder(l, args)
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
		errOpen:   message(l.pick("myths: open error", "myths：open 出错")),
		errTrunc:  message(l.pick("myths: ftruncate error", "myths：ftruncate 出错")),
		errMmap:   message(l.pick("myths: mmap error", "myths：mmap 出错")),
		errMunmap: message(l.pick("myths: munmap error", "myths：munmap 出错")),
		errFork:   message(l.pick("myths: fork error", "myths：fork 出错")),
		errWait:   message(l.pick("myths: wait4 error", "myths：wait4 出错")),
		errFstat:  message(l.pick("myths: fstat error", "myths：fstat 出错")),
	}
	for _, p := range []struct {
		path **byte
		s    string
	}{
		{&b.oob, paths[mythOOBStore]}, {&b.unlinked, paths[mythUnlinkedIPC]},
		{&b.offset, paths[mythSharedOffset]}, {&b.opened, paths[mythOpenNoMmap]},
		{&b.maps, "/proc/self/maps"},
	} {
		if *p.path, err = l.cstring(p.s); err != nil {
			return nil, err
		}
	}
	rep, err := newReport(l)
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
				return nil, l.errorf("snapshot buffer: %w", "快照缓冲区：%w", os.NewSyscallError("mmap", err))
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
func mythOrder(l Lang, args []string) ([]int, error) {
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
			return nil, l.usagef("no myth %q; the myths are: %s", "没有名为 %q 的 myth；可以选择的有：%s", a, strings.Join(mythNames[:], l.pick(", ", "、")))
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
	l := env.Lang
	var errs []string
	for _, i := range order {
		slot := i * mythSlot
		name := mythNames[i]
		if rep.b[slot+mythRan] != 1 {
			errs = append(errs, name+l.pick(" did not run", " 没有运行"))
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
			line = l.sprintf("%[1]d bytes stored at p, in a one-page mapping of a %[2]d-byte file, read back %[3]q; munmap(p, %[4]d) after it: %[5]s; "+
				"oob.txt holds %[6]q; a store one page past p: the child was %[7]s",
				"在 %[2]d 字节文件的一页映射中，于 p 处写入 %[1]d 字节，读回 %[3]q；之后 munmap(p, %[4]d)：%[5]s；"+
					"oob.txt 的内容是 %[6]q；在 p 之后一页处写入：子进程%[7]s",
				len(oobOverflow), oobFileSize, bytes.TrimRight(got, "\x00"), oobFileSize, errnoText(l, e), file, waitText(l, ws))
			ok = bytes.Equal(got, oobOverflow) && e == 0 && string(file) == string(oobOverflow[:oobFileSize]) &&
				ws.Signaled() && ws.Signal() == unix.SIGSEGV
		case mythUnlinkedIPC:
			got := rep.b[slot+mythData : slot+mythData+len(childMessage)]
			_, serr := os.Stat(paths[i])
			line = l.sprintf("unlink: %s; names left (fstat's st_nlink): %d; the child %s; the parent's mapping held %s; "+
				"unlinked.txt exists: %s",
				"unlink：%s；剩下的名字数（fstat 的 st_nlink）：%d；子进程%s；父进程的映射中是 %s；unlinked.txt 是否存在：%s",
				errnoText(l, e), value, waitText(l, ws), describeBytes(l, got), yes(l, serr == nil))
			ok = e == 0 && value == 0 && ws.Exited() && ws.ExitStatus() == 0 && bytes.Equal(got, childMessage) &&
				os.IsNotExist(serr)
		case mythSharedOffset:
			file, _ := os.ReadFile(paths[i])
			line = l.sprintf("the child wrote %d bytes and %s; the parent's lseek(fd, 0, SEEK_CUR) then: %d (%s); offset.txt holds %q",
				"子进程写入 %d 字节后%s；父进程随后的 lseek(fd, 0, SEEK_CUR)：%d（%s）；offset.txt 的内容是 %q",
				len(offsetChild), waitText(l, ws), value, errnoText(l, e), file)
			ok = e == 0 && value == len(offsetChild) && ws.Exited() && ws.ExitStatus() == 0 &&
				string(file) == string(offsetChild)+string(offsetParent)
		case mythOpenNoMmap:
			line, ok = openNoMmapLine(l, rep, slot, snaps, e, paths[i], env.Stable)
		}
		fmt.Fprintf(env.Out, "%-13s  %s\n", name, line)
		if !ok {
			errs = append(errs, name+": "+line)
		}
	}
	if status != 0 {
		errs = append(errs, l.statusError(status).Error())
	}
	if len(errs) > 0 {
		return l.errorf("not as the lesson says: %s", "与课程所说的不符：%s", strings.Join(errs, l.pick("; ", "；")))
	}
	return nil
}

// openNoMmapLine compares the three snapshots of /proc/self/maps: the
// same before and after open, one line more after mmap, naming the file.
func openNoMmapLine(l Lang, rep report, slot int, snaps []byte, e syscall.Errno, path string, stable bool) (string, bool) {
	var s [numSnaps][]string
	for k := range s {
		n := int(rep.get32(slot + mythSnapLens + 4*k))
		if n <= 0 || n >= snapSize {
			return l.sprintf("snapshot %d of /proc/self/maps: %d bytes (empty, or too large for %d)",
				"/proc/self/maps 的第 %d 次快照：%d 字节（为空，或超出了 %d）", k, n, snapSize), false
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
	same, sameText := strings.Join(s[snapFirst], "\n") == strings.Join(s[snapOpen], "\n"), l.pick("the same", "与之前相同")
	if !same {
		sameText = l.pick("not the same", "与之前不同")
	}
	added := naming(s[snapMmap])
	line := l.sprintf("/proc/self/maps: %d mappings before open; after open %d, %s, %d of open.txt; after mmap (%s) %d, %d of open.txt",
		"/proc/self/maps：open 之前有 %d 个映射；open 之后 %d 个，%s，其中属于 open.txt 的 %d 个；mmap（%s）之后 %d 个，其中属于 open.txt 的 %d 个",
		len(s[snapFirst]), len(s[snapOpen]), sameText, len(naming(s[snapOpen])), errnoText(l, e), len(s[snapMmap]), len(added))
	if stable {
		// How many mappings the process inherited from mmtrace depends on
		// the Go runtime's state: only the differences are the lesson's.
		line = l.sprintf("/proc/self/maps: after open %+d mappings, %s, %d of open.txt; after mmap (%s) %+d, %d of open.txt",
			"/proc/self/maps：open 之后映射数变化 %+d，%s，其中属于 open.txt 的 %d 个；mmap（%s）之后变化 %+d，其中属于 open.txt 的 %d 个",
			len(s[snapOpen])-len(s[snapFirst]), sameText, len(naming(s[snapOpen])), errnoText(l, e), len(s[snapMmap])-len(s[snapOpen]), len(added))
	}
	if len(added) == 1 {
		// The mapping's line without its address range: the rest is what
		// a person reads (permissions, offset, the file).
		_, rest, _ := strings.Cut(added[0], " ")
		line += l.pick(": ", "：") + strings.Join(strings.Fields(rest), " ")
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
