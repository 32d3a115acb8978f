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
		Name: "pitfalls",
		Args: "[NAME...]",
		Summary: Text{
			EN: "the notes' list of mmap mistakes, each run and explained",
			ZH: "笔记中列出的 mmap 常见错误，逐个运行并解释",
		},
		Lesson: Text{
			EN: `Runs the mistakes the notes list, each as a few calls in the timeline and one
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
			ZH: `逐个运行笔记中列出的错误：每个错误在时间线中是几次调用，并在标准输出上用
一行说明发生了什么。指定 NAME 则只运行这几个，按给出的顺序；不指定则全部
运行，顺序如下：

  zero-length       长度为 0 的 mmap：EINVAL。（长度不必是页大小的整数倍：
                    mmap 会把它向上取整为整页。）
  munmap-offset     p++ 之后 munmap(p+1, ...)：EINVAL，因为 p+1 没有按页
                    对齐，而不是因为它不是 mmap 返回的地址：对一个两页的
                    映射，munmap(p+page, page) 只解除第二页的映射，随后
                    munmap(p, page) 解除第一页。
  shared-readonly   对以 O_RDONLY 打开的文件，以 PROT_READ|PROT_WRITE 加
                    MAP_SHARED 映射：EACCES。写入会进入文件，而这个文件
                    描述符不允许写：映射的权限不能超过打开文件时的权限。
  private-readonly  同样的映射改用 MAP_PRIVATE：成功，与笔记所说相反。写入
                    进的是私有副本，永远不会进入文件，所以不需要写权限；
                    也没有总线错误。
  offset            偏移 1000 不是页大小的整数倍：EINVAL；偏移一页时，映射
                    从文件的第二页开始。这次 mmap 是直接发出的系统调用，
                    为的是显示内核自己的回答：C 程序根本不会发出它，glibc
                    的 mmap() 自己就返回 EINVAL，strace 里也看不到这一行。
  past-eof          笔记中的“总线错误”：写入空文件的映射。mmap 成功，但
                    这个地址背后没有文件页，写入触发 SIGBUS。这一步在子
                    进程中进行，子进程被 SIGBUS 信号终止；父进程的 wait4
                    显示了这一点。
  after-close       mmap 之后立刻 close(fd)：映射照常可用（映射自己持有对
                    文件的引用），笔记说得对。
  write-only        笔记中的 PROT_WRITE|PROT_WRITE 是 PROT_READ|PROT_WRITE
                    的笔误：得到的是只有 PROT_WRITE 的映射。在 x86（以及
                    arm64）上，这一页照样能读：硬件没有只写的页，所以读回
                    成功。

文件放在新建的临时目录中：data.txt（两页，运行前创建）、empty.txt、
after-close.txt 和 write-only.txt（运行中创建）。`,
		},
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
	l := env.Lang
	order, err := pitfallOrder(l, args)
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
		complaint: newComplaint(l),
		errSetup:  message(l.pick("pitfalls: open error: cannot open ", "pitfalls：open 出错：无法打开 ") + dataPath),
		errEmpty:  message(l.pick("pitfalls: open error: cannot create ", "pitfalls：open 出错：无法创建 ") + emptyPath),
		errClose:  message(l.pick("pitfalls: open error: cannot create ", "pitfalls：open 出错：无法创建 ") + closePath),
		errWO:     message(l.pick("pitfalls: open error: cannot create ", "pitfalls：open 出错：无法创建 ") + writeOnlyPath),
		errTrunc:  message(l.pick("pitfalls: ftruncate error", "pitfalls：ftruncate 出错")),
		errMmap:   message(l.pick("pitfalls: mmap error", "pitfalls：mmap 出错")),
		errMunmap: message(l.pick("pitfalls: munmap error", "pitfalls：munmap 出错")),
		errFork:   message(l.pick("pitfalls: fork error", "pitfalls：fork 出错")),
		errWait:   message(l.pick("pitfalls: wait4 error", "pitfalls：wait4 出错")),
	}
	for _, p := range []struct {
		path **byte
		s    string
	}{{&b.data, dataPath}, {&b.empty, emptyPath}, {&b.closed, closePath}, {&b.writeOnly, writeOnlyPath}} {
		if *p.path, err = l.cstring(p.s); err != nil {
			return nil, err
		}
	}
	b.text = pitfallTexts(l, page)
	rep, err := newReport(l)
	if err != nil {
		return nil, err
	}
	b.rep = rep
	return &Plan{Body: b, After: func(status int) error {
		defer rep.free()
		return pitfallsAfter(env, rep, order, status, dataPath, data, closePath, writeOnlyPath)
	}}, nil
}

// pitfallTexts are the lines the body writes, in l: each pitfall's verdict
// when the kernel does what the lesson says, and its complaints when not.
// A complaint (odd, and odd2 where it ends with ",") is followed by the
// call's outcome, in the complaint's words (newComplaint).
func pitfallTexts(l Lang, page int) [numPitfalls]pitfallText {
	return [numPitfalls]pitfallText{
		pitZeroLength: {
			ok: []byte(l.pick("zero-length: mmap with length 0 failed with EINVAL (Invalid argument): a mapping needs at least one byte\n",
				"zero-length：长度为 0 的 mmap 以 EINVAL（无效的参数）失败：映射至少要有 1 字节\n")),
			odd: []byte(l.pick("pitfalls: zero-length: mmap with length 0, expected to fail with EINVAL,",
				"pitfalls：zero-length：长度为 0 的 mmap 本应以 EINVAL 失败，")),
		},
		pitMunmapOffset: {
			ok: []byte(l.sprintf("munmap-offset: munmap(p+1, 4) failed with EINVAL (Invalid argument): p+1 is not page-aligned; "+
				"munmap(p+%[1]d, %[1]d) then unmapped the second page alone and munmap(p, %[1]d) the first: any page-aligned address works\n",
				"munmap-offset：munmap(p+1, 4) 以 EINVAL（无效的参数）失败：p+1 没有按页对齐；"+
					"随后 munmap(p+%[1]d, %[1]d) 只解除了第二页的映射，munmap(p, %[1]d) 解除了第一页：任何按页对齐的地址都可以\n", page)),
			odd: []byte(l.pick("pitfalls: munmap-offset: munmap(p+1, 4), expected to fail with EINVAL,",
				"pitfalls：munmap-offset：munmap(p+1, 4) 本应以 EINVAL 失败，")),
			odd2: []byte(l.sprintf("pitfalls: munmap-offset: munmap(p+%[1]d, %[1]d), expected to work,",
				"pitfalls：munmap-offset：munmap(p+%[1]d, %[1]d) 本应成功，", page)),
		},
		pitSharedReadonly: {
			ok: []byte(l.pick("shared-readonly: PROT_READ|PROT_WRITE with MAP_SHARED on a file opened O_RDONLY failed with EACCES (Permission denied): stores would reach a file the fd may not write\n",
				"shared-readonly：文件以 O_RDONLY 打开，用 PROT_READ|PROT_WRITE 加 MAP_SHARED 映射它，以 EACCES（权限不够）失败：写入会进入文件，而这个文件描述符不允许写\n")),
			odd: []byte(l.pick("pitfalls: shared-readonly: mmap(PROT_READ|PROT_WRITE, MAP_SHARED) of an O_RDONLY fd, expected to fail with EACCES,",
				"pitfalls：shared-readonly：对以 O_RDONLY 打开的文件描述符做 mmap(PROT_READ|PROT_WRITE, MAP_SHARED)，本应以 EACCES 失败，")),
		},
		pitPrivateReadonly: {
			ok: []byte(l.pick(`private-readonly: PROT_READ|PROT_WRITE with MAP_PRIVATE on a file opened O_RDONLY worked, no bus error: stored and read back "abc" in a private copy; the file is not written`+"\n",
				`private-readonly：文件以 O_RDONLY 打开，用 PROT_READ|PROT_WRITE 加 MAP_PRIVATE 映射它，成功了，没有总线错误：在私有副本中写入并读回了 "abc"；文件没有被写入`+"\n")),
			odd: []byte(l.pick("pitfalls: private-readonly: mmap(PROT_READ|PROT_WRITE, MAP_PRIVATE) of an O_RDONLY fd, expected to work,",
				"pitfalls：private-readonly：对以 O_RDONLY 打开的文件描述符做 mmap(PROT_READ|PROT_WRITE, MAP_PRIVATE)，本应成功，")),
			odd2: message(l.pick(`pitfalls: private-readonly: the private mapping did not read back "abc"`,
				`pitfalls：private-readonly：私有映射没有读回 "abc"`)),
		},
		pitOffset: {
			ok: []byte(l.sprintf(`offset: the raw mmap at offset 1000 failed with EINVAL (Invalid argument), the kernel's answer (glibc's mmap() gives it without the call): the offset must be a multiple of the page size (%[1]d); at offset %[1]d it worked, and the mapping begins with "`,
				`offset：偏移 1000 的 mmap 系统调用以 EINVAL（无效的参数）失败，这是内核的回答（glibc 的 mmap() 不发出调用就给出同样的错误）：偏移必须是页大小（%[1]d）的整数倍；偏移 %[1]d 时成功了，映射的开头是 "`, page)),
			odd: []byte(l.pick("pitfalls: offset: mmap at offset 1000, expected to fail with EINVAL,",
				"pitfalls：offset：偏移 1000 的 mmap 本应以 EINVAL 失败，")),
			odd2: []byte(l.sprintf("pitfalls: offset: mmap at offset %d, expected to work,",
				"pitfalls：offset：偏移 %d 的 mmap 本应成功，", page)),
		},
		pitPastEOF: {
			ok: []byte(l.pick("past-eof: mmap of the empty file worked, but the child that stored into it was killed by SIGBUS: no page of the file lies behind the mapping\n",
				"past-eof：映射空文件成功了，但向映射写入的子进程被 SIGBUS 信号终止：映射背后没有任何文件页\n")),
			odd: []byte(l.pick("pitfalls: past-eof: mmap of an empty file, expected to work,",
				"pitfalls：past-eof：映射空文件本应成功，")),
			odd2: []byte(l.pick("pitfalls: past-eof: the child storing into a mapping of an empty file was expected to die of SIGBUS; its wait status is ",
				"pitfalls：past-eof：向空文件的映射写入的子进程本应被 SIGBUS 信号终止；它的等待状态是 ")),
		},
		pitAfterClose: {
			ok: []byte(l.pick(`after-close: closed the fd right after mmap, then stored and read back "abc" through the mapping: it does not need the fd`+"\n",
				`after-close：mmap 之后立刻关闭文件描述符，再通过映射写入并读回了 "abc"：映射不需要文件描述符`+"\n")),
			odd: []byte(l.pick("pitfalls: after-close: close(fd) after mmap, expected to work,",
				"pitfalls：after-close：mmap 之后的 close(fd) 本应成功，")),
			odd2: message(l.pick(`pitfalls: after-close: the mapping did not read back "abc" after close(fd)`,
				`pitfalls：after-close：close(fd) 之后，映射没有读回 "abc"`)),
		},
		pitWriteOnly: {
			ok: []byte(l.pick(`write-only: mmap with PROT_WRITE alone worked, and reading back "abc" worked too: the hardware has no write-only pages`+"\n",
				`write-only：只用 PROT_WRITE 的 mmap 成功了，读回 "abc" 也成功了：硬件没有只写的页`+"\n")),
			odd: []byte(l.pick("pitfalls: write-only: mmap(PROT_WRITE, MAP_SHARED), expected to work,",
				"pitfalls：write-only：mmap(PROT_WRITE, MAP_SHARED) 本应成功，")),
			odd2: message(l.pick(`pitfalls: write-only: the PROT_WRITE mapping did not read back "abc"`,
				`pitfalls：write-only：只有 PROT_WRITE 的映射没有读回 "abc"`)),
		},
	}
}

// pitfallOrder turns the NAMEs into the pitfalls to run: all by default; a
// name given twice runs once.
func pitfallOrder(l Lang, args []string) ([]int, error) {
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
			return nil, l.usagef("no pitfall %q; the pitfalls are: %s", "没有名为 %q 的 pitfall；可以选择的有：%s", a, strings.Join(pitfallNames[:], l.pick(", ", "、")))
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
	l := env.Lang
	var errs []string
	for _, i := range order {
		slot := i * slotSize
		name := pitfallNames[i]
		if rep.b[slot+slotRan] != 1 {
			errs = append(errs, name+l.pick(" did not run", " 没有运行"))
			continue
		}
		e1 := syscall.Errno(rep.get32(slot + slotErr1))
		e2 := syscall.Errno(rep.get32(slot + slotErr2))
		got := rep.b[slot+slotData : slot+slotSize]
		var line string
		var ok bool
		switch i {
		case pitZeroLength:
			line = l.pick("mmap(NULL, 0, ...): ", "mmap(NULL, 0, ...)：") + errnoText(l, e1)
			ok = e1 == unix.EINVAL
		case pitMunmapOffset:
			e3 := syscall.Errno(rep.get32(slot + slotErr3))
			page := os.Getpagesize()
			line = l.sprintf("munmap(p+1, 4): %[1]s; munmap(p+%[2]d, %[2]d): %[3]s; munmap(p, %[2]d): %[4]s",
				"munmap(p+1, 4)：%[1]s；munmap(p+%[2]d, %[2]d)：%[3]s；munmap(p, %[2]d)：%[4]s",
				errnoText(l, e1), page, errnoText(l, e2), errnoText(l, e3))
			ok = e1 == unix.EINVAL && e2 == 0 && e3 == 0
		case pitSharedReadonly:
			line = l.pick("mmap(PROT_READ|PROT_WRITE, MAP_SHARED) of an O_RDONLY fd: ",
				"对以 O_RDONLY 打开的文件描述符做 mmap(PROT_READ|PROT_WRITE, MAP_SHARED)：") + errnoText(l, e1)
			ok = e1 == unix.EACCES
		case pitPrivateReadonly:
			file, err := os.ReadFile(dataPath)
			same := err == nil && bytes.Equal(file, data)
			line = l.sprintf("mmap(PROT_READ|PROT_WRITE, MAP_PRIVATE) of an O_RDONLY fd: %s; read back %q; data.txt unchanged: %s",
				"对以 O_RDONLY 打开的文件描述符做 mmap(PROT_READ|PROT_WRITE, MAP_PRIVATE)：%s；读回 %q；data.txt 未变：%s",
				errnoText(l, e1), bytes.TrimRight(got[:3], "\x00"), yes(l, same))
			ok = e1 == 0 && string(got[:3]) == "abc" && same
		case pitOffset:
			line = l.sprintf("mmap at offset 1000: %s; at offset %d: %s, the mapping begins with %q",
				"偏移 1000 的 mmap：%s；偏移 %d：%s，映射的开头是 %q",
				errnoText(l, e1), os.Getpagesize(), errnoText(l, e2), bytes.TrimRight(got[:offsetSeen], "\x00"))
			ok = e1 == unix.EINVAL && e2 == 0 && string(got[:offsetSeen]) == "page 1"
		case pitPastEOF:
			ws := unix.WaitStatus(rep.get32(slot + slotWait))
			line = l.sprintf("mmap of an empty file: %s; the child's store: %s", "映射空文件：%s；子进程的写入：%s", errnoText(l, e1), waitText(l, ws))
			ok = e1 == 0 && ws.Signaled() && ws.Signal() == unix.SIGBUS
		case pitAfterClose:
			file, _ := os.ReadFile(closePath)
			line = l.sprintf("close(fd) after mmap: %s; read back %q; after-close.txt holds %q",
				"mmap 之后 close(fd)：%s；读回 %q；after-close.txt 的内容是 %q",
				errnoText(l, e1), bytes.TrimRight(got[:3], "\x00"), file)
			ok = e1 == 0 && string(got[:3]) == "abc" && string(file) == "abc\x00"
		case pitWriteOnly:
			file, _ := os.ReadFile(writeOnlyPath)
			line = l.sprintf("mmap(PROT_WRITE, MAP_SHARED): %s; read back %q; write-only.txt holds %q",
				"mmap(PROT_WRITE, MAP_SHARED)：%s；读回 %q；write-only.txt 的内容是 %q",
				errnoText(l, e1), bytes.TrimRight(got[:3], "\x00"), file)
			ok = e1 == 0 && string(got[:3]) == "abc" && string(file) == "abc\x00"
		}
		fmt.Fprintf(env.Out, "%-16s  %s\n", name, line)
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

// waitText says how a child ended, for a table cell.
func waitText(l Lang, ws unix.WaitStatus) string {
	switch {
	case ws.Signaled():
		return l.sprintf("killed by %s", "被 %s 信号终止", unix.SignalName(ws.Signal()))
	case ws.Exited():
		return l.sprintf("exited with %d", "以状态 %d 退出", ws.ExitStatus())
	}
	return l.sprintf("wait status %#x", "等待状态 %#x", uint32(ws))
}

// yes says true or false as a person reads it: true and false in
// English, as before; 是 and 否 in Chinese.
func yes(l Lang, b bool) string {
	if l == Chinese {
		if b {
			return "是"
		}
		return "否"
	}
	return fmt.Sprint(b)
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
