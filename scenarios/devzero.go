package scenarios

import (
	"bytes"
	"fmt"
	"syscall"

	"github.com/spf13/pflag"
	"golang.org/x/sys/unix"

	"github.com/mmtrace/mmtrace/internal/rawchild"
)

func init() { register(&devzeroScenario{}) }

// devzeroScenario is the notes' portable anonymous mapping: a MAP_SHARED
// mapping of /dev/zero, shared with a child. It also makes the notes'
// ftruncate on /dev/zero, which fails.
type devzeroScenario struct {
	// verbatim runs the notes' program as written (--verbatim); reset by
	// Flags before each run.
	verbatim bool
}

func (*devzeroScenario) Info() Info {
	return Info{
		Name: "devzero",
		Summary: Text{
			EN: "parent and child share a mapping of /dev/zero; the notes' ftruncate on it fails (EINVAL)",
			ZH: "父子进程共享 /dev/zero 的映射；笔记中对它的 ftruncate 会失败（EINVAL）",
		},
		Lesson: Text{
			EN: `Before MAP_ANONYMOUS, the portable way to get shared memory for a parent and
its children was to map /dev/zero: open it O_RDWR and mmap it MAP_SHARED. The
device has no pages of its own, so the kernel gives the mapping fresh zeroed
memory (on Linux the same shared memory MAP_SHARED|MAP_ANONYMOUS gives), and
forked children share it: the child stores a message, the parent reads it.

The notes' program also calls ftruncate(fd, 4) on /dev/zero and exits if it
fails. It does fail: ftruncate sets the size of a regular file, and a device
has none, so the kernel answers EINVAL. The notes' program stops there and
never maps anything; this scenario makes the call, shows the error and goes
on. No size is needed: mmap of /dev/zero works at any length. (The notes
also open it with O_CREAT|O_TRUNC: harmless, the device exists and O_TRUNC
means nothing to it, but there is no reason to pass them.)

With --verbatim it runs the notes' /dev/zero program as written: open with
O_CREAT|O_RDWR|O_TRUNC, ftruncate(fd, 4), and on its failure perror and
exit(1). So it prints "ftruncate error: Invalid argument" and exits with
status 1, having mapped nothing: the notes' own code never reaches its mmap.
mmtrace's exit status is still 0 when that is what happened.`,
			ZH: `在有 MAP_ANONYMOUS 之前，让父进程和子进程共享内存的可移植办法是映射
/dev/zero：以 O_RDWR 打开它，再以 MAP_SHARED 映射。这个设备自己没有页，
所以内核给映射的是新分配、清零的内存（在 Linux 上就是
MAP_SHARED|MAP_ANONYMOUS 给的那种共享内存），fork 出的子进程与父进程共享
它：子进程写入一条消息，父进程读出来。

笔记中的程序还对 /dev/zero 调用 ftruncate(fd, 4)，失败就退出。它确实会
失败：ftruncate 设置的是普通文件的大小，设备没有大小，所以内核回答 EINVAL。
笔记的程序停在这里，什么也没有映射；本场景照样发出这个调用，显示错误后继续。
映射 /dev/zero 不需要设定大小，任何长度都可以。（笔记打开它时还用了
O_CREAT|O_TRUNC：无害，设备本来就存在，O_TRUNC 对它没有意义，但没有理由
传这两个标志。）

加 --verbatim 时，照笔记原样运行映射 /dev/zero 的程序：以
O_CREAT|O_RDWR|O_TRUNC 打开，调用 ftruncate(fd, 4)，失败时 perror 并
exit(1)。所以它打印 "ftruncate error: 无效的参数"（中文环境下 perror 的
输出），以状态 1 退出，什么也没有映射：笔记自己的代码根本走不到它的 mmap。
这正是预期的结果，所以 mmtrace 的退出状态仍为 0。`,
		},
	}
}

func (s *devzeroScenario) Flags(fs *pflag.FlagSet) {
	s.verbatim = false
	fs.BoolVar(&s.verbatim, "verbatim", false, "run the notes' program as written: it exits at the failed ftruncate and never maps /dev/zero")
}

// devzeroTruncate is the size the notes' program passes to ftruncate.
const devzeroTruncate = 4

// Places in the report, next to the exchange's.
const repTruncErr = 8 // ftruncate's errno

func (s *devzeroScenario) Plan(env *Env, args []string) (*Plan, error) {
	l := env.Lang
	if len(args) > 0 {
		return nil, l.usagef("devzero takes no arguments, got %d", "devzero 不接受参数，却给了 %d 个", len(args))
	}
	path, err := l.cstring("/dev/zero")
	if err != nil {
		return nil, err
	}
	rep, err := newReport(l)
	if err != nil {
		return nil, err
	}
	if s.verbatim {
		return devzeroVerbatim(env, path, rep), nil
	}
	b := &devzeroBody{
		path: path,
		truncEINVAL: []byte(l.pick("ftruncate(/dev/zero, 4) failed with EINVAL (Invalid argument): a device has no size to set; the notes' program would exit here, this one goes on\n",
			"ftruncate(/dev/zero, 4) 以 EINVAL（无效的参数）失败：设备没有可以设置的大小；笔记中的程序会在这里退出，本程序继续运行\n")),
		truncOther: []byte(l.pick("devzero: ftruncate(/dev/zero, 4) was to fail with EINVAL, but it", "devzero：ftruncate(/dev/zero, 4) 本应以 EINVAL 失败，")),
		complaint:  newComplaint(l),
		errOpen:    message(l.pick("devzero: open error: cannot open /dev/zero", "devzero：open 出错：无法打开 /dev/zero")),
		errMmap:    message(l.pick("devzero: mmap error", "devzero：mmap 出错")),
		errMunmap:  message(l.pick("devzero: munmap error", "devzero：munmap 出错")),
		x:          newExchange(l, "devzero", rep, l.pick("parent: sees only zero bytes\n", "父进程：只看到零字节\n")),
	}
	return &Plan{Body: b, After: func(status int) error {
		defer rep.free()
		truncErr := syscall.Errno(rep.get32(repTruncErr))
		if truncErr != unix.EINVAL {
			return l.errorf("ftruncate(/dev/zero, %d): %s, want EINVAL (or the body never got there: status %d)",
				"ftruncate(/dev/zero, %d)：%s，应为 EINVAL（或者程序根本没有执行到那里：状态 %d）", devzeroTruncate, errnoText(l, truncErr), status)
		}
		fmt.Fprintln(env.Out, l.sprintf("ftruncate(/dev/zero, %d) failed with EINVAL: the notes' program exits there; this one went on",
			"ftruncate(/dev/zero, %d) 以 EINVAL 失败：笔记中的程序在那里就退出了；本程序继续运行", devzeroTruncate))
		if status != 0 {
			return l.statusError(status)
		}
		seen, err := rep.exchanged(l, len(childMessage))
		if err != nil {
			return err
		}
		fmt.Fprintln(env.Out, l.sprintf("after the child exited, the parent's mapping of /dev/zero held %s", "子进程退出后，父进程对 /dev/zero 的映射中是 %s", describeBytes(l, seen)))
		if !bytes.Equal(seen, childMessage) {
			return l.errorf("the parent saw %q, want %q", "父进程看到的是 %q，应为 %q", seen, childMessage)
		}
		return nil
	}}, nil
}

type devzeroBody struct {
	path                        *byte
	truncEINVAL, truncOther     []byte
	complaint                   complaint
	errOpen, errMmap, errMunmap []byte
	x                           exchange
}

//go:nosplit
//go:norace
func (b *devzeroBody) Run() {
	fd, e := rawchild.Open(b.path, unix.O_RDWR, 0)
	if e != 0 {
		fail(b.errOpen)
	}
	// The notes' call, which fails: shown, recorded, and survived.
	e = rawchild.Ftruncate(fd, devzeroTruncate)
	b.x.rep.put32(repTruncErr, uint32(e))
	bad := e != unix.EINVAL
	if bad {
		b.complaint.say(b.truncOther, e)
	} else {
		say(b.truncEINVAL)
	}
	size := uintptr(len(b.x.msg))
	p, e := rawchild.Mmap(0, size, unix.PROT_READ|unix.PROT_WRITE, unix.MAP_SHARED, fd, 0)
	if e != 0 {
		fail(b.errMmap)
	}
	b.x.run(p)
	if rawchild.Munmap(p, size) != 0 {
		fail(b.errMunmap)
	}
	rawchild.Close(fd)
	if bad {
		rawchild.Exit(1)
	}
}

// devzeroVerbatim is the notes' /dev/zero program as written: their file
// program with /dev/zero put in, O_CREAT|O_TRUNC and ftruncate included.
func devzeroVerbatim(env *Env, path *byte, rep report) *Plan {
	l := env.Lang
	b := &devzeroVerbatimBody{
		path: path,
		text: writeText,
		// perror("ftruncate error"): the program's own words, then the
		// C library's, which a Chinese locale gives in Chinese.
		truncEINVAL: message(l.pick("ftruncate error: Invalid argument", "ftruncate error: 无效的参数")),
		truncOther:  []byte(l.pick("ftruncate error: errno ", "ftruncate error: 错误码 ")),
		complaint:   newComplaint(l),
		errOpen:     message(l.pick("open error: cannot open /dev/zero", "open 出错：无法打开 /dev/zero")),
		errMmap:     message(l.pick("mmap error", "mmap 出错")),
		errMunmap:   message(l.pick("munmap error", "munmap 出错")),
		rep:         rep,
	}
	return &Plan{Body: b, After: func(status int) error {
		defer rep.free()
		truncErr := syscall.Errno(rep.get32(repTruncErr))
		if truncErr != unix.EINVAL || status != 1 {
			return l.errorf("the notes' program was to exit with status 1 at ftruncate(/dev/zero, %d), failing with EINVAL; ftruncate: %s, status %d",
				"笔记中的程序本应在 ftruncate(/dev/zero, %d) 以 EINVAL 失败，并以状态 1 退出；实际 ftruncate：%s，状态 %d",
				devzeroTruncate, errnoText(l, truncErr), status)
		}
		fmt.Fprintln(env.Out, l.sprintf("as the notes wrote it: ftruncate(/dev/zero, %d) failed with EINVAL, and the program exited with status 1: it never mapped /dev/zero",
			"照笔记原样：ftruncate(/dev/zero, %d) 以 EINVAL 失败，程序以状态 1 退出：它根本没有映射 /dev/zero", devzeroTruncate))
		fmt.Fprintln(env.Out, l.pick("without --verbatim, devzero makes the same call, goes on, and shares the mapping with a child",
			"不加 --verbatim 时，devzero 发出同样的调用后继续运行，并与子进程共享这个映射"))
		return nil
	}}
}

type devzeroVerbatimBody struct {
	path                    *byte
	text                    []byte
	truncEINVAL, truncOther []byte
	complaint               complaint
	errOpen, errMmap        []byte
	errMunmap               []byte
	rep                     report
}

//go:nosplit
//go:norace
func (b *devzeroVerbatimBody) Run() {
	fd, e := rawchild.Open(b.path, unix.O_CREAT|unix.O_RDWR|unix.O_TRUNC, 0o644)
	if e != 0 {
		fail(b.errOpen)
	}
	e = rawchild.Ftruncate(fd, devzeroTruncate)
	b.rep.put32(repTruncErr, uint32(e))
	if e != 0 {
		// perror("ftruncate error"); exit(1);
		if e == unix.EINVAL {
			fail(b.truncEINVAL)
		}
		warn(b.truncOther)
		b.complaint.number(int(e))
		rawchild.Exit(1)
	}
	// Where the notes' program would go on, had ftruncate worked.
	size := uintptr(devzeroTruncate)
	p, e := rawchild.Mmap(0, size, unix.PROT_WRITE|unix.PROT_WRITE, unix.MAP_SHARED, fd, 0)
	if e != 0 {
		fail(b.errMmap)
	}
	rawchild.Store(p, b.text)
	if rawchild.Munmap(p, size) != 0 {
		fail(b.errMunmap)
	}
	rawchild.Close(fd)
	rawchild.Exit(0)
}
