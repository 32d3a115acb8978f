package scenarios

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"os"
	"path/filepath"
	"syscall"

	"github.com/spf13/pflag"
	"golang.org/x/sys/unix"

	"github.com/mmtrace/mmtrace/internal/escape"
	"github.com/mmtrace/mmtrace/internal/rawchild"
)

func init() {
	register(forkScenario{shared: true})
	register(forkScenario{shared: false})
}

// forkScenario is the notes' parent-and-child lesson: the two processes
// communicate through a file mapping, which works with MAP_SHARED and does
// not with MAP_PRIVATE.
type forkScenario struct{ shared bool }

func (s forkScenario) Info() Info {
	if s.shared {
		return Info{
			Name: "fork-shared",
			Args: "[FILE]",
			Summary: Text{
				EN: "parent and child share a file mapping (MAP_SHARED): the parent sees the child's store",
				ZH: "父子进程共享一个文件映射（MAP_SHARED）：父进程看得到子进程的写入",
			},
			Lesson: Text{
				EN: `A process creates a file, sizes it with ftruncate, maps it with MAP_SHARED
and forks. The child inherits the mapping: both processes now reach the same
page of the file. The child stores a message through the pointer and exits;
the parent waits for it with wait4 and prints what its own mapping holds: the
child's message. The store also reached the file, with no write() call.
FILE defaults to fork.txt in a fresh temporary directory.`,
				ZH: `进程创建一个文件，用 ftruncate 设定大小，以 MAP_SHARED 映射它，然后
fork。子进程继承了这个映射：两个进程访问的是文件的同一页。子进程通过指针
写入一条消息后退出；父进程用 wait4 等它结束，再打印自己的映射中的内容：
正是子进程的消息。这次写入也进入了文件，没有调用 write()。
FILE 默认为新建的临时目录中的 fork.txt。`,
			},
		}
	}
	return Info{
		Name: "fork-private",
		Args: "[FILE]",
		Summary: Text{
			EN: "parent and child map a file with MAP_PRIVATE: the child's store stays its own (copy-on-write)",
			ZH: "父子进程以 MAP_PRIVATE 映射同一个文件：子进程的写入只在它自己的副本里（写时复制）",
		},
		Lesson: Text{
			EN: `The same program as fork-shared, with MAP_PRIVATE. After the fork the two
processes still read the same page, but the first store copies it: the child
writes into its own copy (copy-on-write), which dies with it. The parent, after
wait4, sees only the zero bytes ftruncate gave the file, and the file itself is
unchanged: a private mapping never writes back.
FILE defaults to fork.txt in a fresh temporary directory.`,
			ZH: `与 fork-shared 是同一个程序，只是改用 MAP_PRIVATE。fork 之后两个进程
读的仍是同一页，但第一次写入会复制它：子进程写进的是自己的副本（写时复制），
副本随子进程一起消失。父进程在 wait4 之后只看到 ftruncate 给文件补上的
零字节，文件本身也没有变：私有映射从不写回文件。
FILE 默认为新建的临时目录中的 fork.txt。`,
		},
	}
}

func (forkScenario) Flags(*pflag.FlagSet) {}

// childMessage is what the child stores in every sharing lesson; the
// mapping is exactly as long.
var childMessage = []byte("hello from the child")

func (s forkScenario) Plan(env *Env, args []string) (*Plan, error) {
	name := s.Info().Name
	l := env.Lang
	if len(args) > 1 {
		return nil, l.usagef("%s takes at most one FILE, got %d arguments", "%s 最多接受一个 FILE，却给了 %d 个参数", name, len(args))
	}
	path := filepath.Join(env.Dir, "fork.txt")
	if len(args) == 1 {
		path = args[0]
		if st, err := os.Stat(path); err == nil && st.IsDir() {
			return nil, l.usagef("%s is a directory: name a file to map", "%s 是目录：请指定要映射的文件", path)
		}
	}
	cpath, err := l.cstring(path)
	if err != nil {
		return nil, err
	}
	rep, err := newReport(l)
	if err != nil {
		return nil, err
	}
	flags, nothing := unix.MAP_SHARED, l.pick("parent: sees only zero bytes\n", "父进程：只看到零字节\n")
	if !s.shared {
		flags = unix.MAP_PRIVATE
		nothing = l.pick("parent: sees only zero bytes: the child's store went to the child's own copy of the page\n",
			"父进程：只看到零字节：子进程写进的是它自己的那份页副本\n")
	}
	b := &forkBody{
		path:      cpath,
		flags:     flags,
		errOpen:   message(name + l.pick(": open error: cannot create ", "：open 出错：无法创建 ") + escape.String(path)),
		errTrunc:  message(name + l.pick(": ftruncate error", "：ftruncate 出错")),
		errMmap:   message(name + l.pick(": mmap error", "：mmap 出错")),
		errMunmap: message(name + l.pick(": munmap error", "：munmap 出错")),
		x:         newExchange(l, name, rep, nothing),
	}
	return &Plan{Body: b, After: func(status int) error {
		defer rep.free()
		if status != 0 {
			return l.statusError(status)
		}
		seen, err := rep.exchanged(l, len(childMessage))
		if err != nil {
			return err
		}
		file, err := os.ReadFile(path)
		if err != nil {
			return l.wrap(err)
		}
		fmt.Fprintln(env.Out, l.sprintf("after the child exited, the parent's mapping held %s", "子进程退出后，父进程的映射中是 %s", describeBytes(l, seen)))
		fmt.Fprintln(env.Out, l.sprintf("%s holds %s", "%s 的内容是 %s", escape.String(path), describeBytes(l, file)))
		want := childMessage
		if !s.shared {
			want = make([]byte, len(childMessage))
		}
		if !bytes.Equal(seen, want) {
			return l.errorf("the parent saw %q, want %q", "父进程看到的是 %q，应为 %q", seen, want)
		}
		if !bytes.Equal(file, want) {
			return l.errorf("%s holds %q, want %q", "%s 的内容是 %q，应为 %q", path, file, want)
		}
		return nil
	}}, nil
}

type forkBody struct {
	path                                  *byte
	flags                                 int
	errOpen, errTrunc, errMmap, errMunmap []byte
	x                                     exchange
}

//go:nosplit
//go:norace
func (b *forkBody) Run() {
	fd, e := rawchild.Open(b.path, unix.O_CREAT|unix.O_RDWR|unix.O_TRUNC, 0o644)
	if e != 0 {
		fail(b.errOpen)
	}
	size := uintptr(len(b.x.msg))
	if rawchild.Ftruncate(fd, int64(size)) != 0 {
		fail(b.errTrunc)
	}
	p, e := rawchild.Mmap(0, size, unix.PROT_READ|unix.PROT_WRITE, b.flags, fd, 0)
	if e != 0 {
		fail(b.errMmap)
	}
	b.x.run(p)
	if rawchild.Munmap(p, size) != 0 {
		fail(b.errMunmap)
	}
	rawchild.Close(fd)
}

// exchange is what the sharing lessons (fork-shared, fork-private, anon,
// devzero) have in common: fork; the child stores msg through the mapping
// and exits; the parent waits for it, then prints what its own mapping
// holds and copies it into the report.
type exchange struct {
	msg []byte
	// Lines printed on stdout: the child's, and the parent's (sees + the
	// bytes + seesEnd, or nothing when the page holds only zero bytes).
	childSays, sees, seesEnd, nothing []byte
	errFork, errWait, errChild        []byte
	rep                               report
	status                            int32
}

func newExchange(l Lang, name string, rep report, nothing string) exchange {
	return exchange{
		msg:       childMessage,
		childSays: []byte(l.sprintf("child: stored %q through the mapping\n", "子进程：通过映射写入了 %q\n", childMessage)),
		sees:      []byte(l.pick(`parent: sees "`, `父进程：看到 "`)),
		seesEnd:   []byte("\"\n"),
		nothing:   []byte(nothing),
		errFork:   message(name + l.pick(": fork error", "：fork 出错")),
		errWait:   message(name + l.pick(": wait4 error", "：wait4 出错")),
		errChild:  message(name + l.pick(": the child did not exit with status 0", "：子进程没有以状态 0 退出")),
		rep:       rep,
	}
}

//go:nosplit
//go:norace
func (x *exchange) run(p uintptr) {
	pid, e := rawchild.Fork()
	if e != 0 {
		fail(x.errFork)
	}
	if pid == 0 {
		rawchild.Store(p, x.msg)
		say(x.childSays)
		rawchild.Exit(0)
	}
	if _, e := rawchild.Wait4(pid, &x.status, 0); e != 0 {
		fail(x.errWait)
	}
	x.rep.put32(repStatus, uint32(x.status))
	if x.status != 0 {
		fail(x.errChild)
	}
	n := uintptr(len(x.msg))
	x.rep.store(repSeen, p, n)
	x.rep.b[repDone] = 1
	seen := uintptr(0)
	for seen < n && rawchild.Load(p+seen) != 0 {
		seen++
	}
	if seen == 0 {
		say(x.nothing)
		return
	}
	say(x.sees)
	rawchild.Write(1, p, seen)
	say(x.seesEnd)
}

// say writes line to stdout.
//
//go:nosplit
//go:norace
func say(line []byte) {
	rawchild.Write(1, rawchild.Addr(line), uintptr(len(line)))
}

// complaint tells stderr that a call's result is not the one the lesson
// expects: prefix, then "succeeded" or "failed with errno N".
type complaint struct {
	succeeded, failedWith, num []byte
}

func newComplaint(l Lang) complaint {
	return complaint{
		succeeded:  []byte(l.pick(" succeeded\n", "结果成功了\n")),
		failedWith: []byte(l.pick(" failed with errno ", "结果失败，错误码 ")),
		num:        make([]byte, 24),
	}
}

//go:nosplit
//go:norace
func (c *complaint) say(prefix []byte, e syscall.Errno) {
	warn(prefix)
	if e == 0 {
		warn(c.succeeded)
		return
	}
	warn(c.failedWith)
	c.number(int(e))
}

// number writes v and a newline to stderr.
//
//go:nosplit
//go:norace
func (c *complaint) number(v int) {
	// The digits end where the newline in num's last byte begins.
	c.num[len(c.num)-1] = '\n'
	n := putDecimal(c.num[:len(c.num)-1], v)
	rawchild.Write(2, rawchild.Addr(n), uintptr(len(n)+1))
}

// warn writes msg to stderr.
//
//go:nosplit
//go:norace
func warn(msg []byte) {
	rawchild.Write(2, rawchild.Addr(msg), uintptr(len(msg)))
}

// The exchange's places in the report.
const (
	repDone   = 0 // 1 once the parent has looked
	repStatus = 4 // the child's wait status
	repSeen   = 64
)

// report is one page shared by mmtrace and every process of a body: the
// body writes there what it observed, and the plan's After reads it, so the
// outcome can be checked without capturing the body's stdout. It is mapped
// (MAP_SHARED|MAP_ANONYMOUS) before the scenario's first process is forked,
// which inherits it, so it is no part of the timeline.
type report struct{ b []byte }

func newReport(l Lang) (report, error) {
	b, err := unix.Mmap(-1, 0, os.Getpagesize(), unix.PROT_READ|unix.PROT_WRITE, unix.MAP_SHARED|unix.MAP_ANONYMOUS)
	if err != nil {
		return report{}, l.errorf("report page: %w", "报告页：%w", os.NewSyscallError("mmap", err))
	}
	return report{b}, nil
}

// free unmaps the page; After calls it when it is done.
func (r report) free() { unix.Munmap(r.b) }

// get32 reads what put32 wrote.
func (r report) get32(off int) uint32 { return binary.LittleEndian.Uint32(r.b[off:]) }

// exchanged returns the n bytes the parent of an exchange saw.
func (r report) exchanged(l Lang, n int) ([]byte, error) {
	if r.b[repDone] != 1 {
		return nil, l.errorf("the parent never looked at its mapping", "父进程始终没有查看它的映射")
	}
	return bytes.Clone(r.b[repSeen : repSeen+n]), nil
}

// put32 stores v, little-endian, at off.
//
//go:nosplit
//go:norace
func (r report) put32(off int, v uint32) {
	b := r.b[off : off+4]
	b[0], b[1], b[2], b[3] = byte(v), byte(v>>8), byte(v>>16), byte(v>>24)
}

// store copies n bytes from memory at src (a mapping) to off.
//
//go:nosplit
//go:norace
func (r report) store(off int, src, n uintptr) {
	dst := r.b[off : off+int(n)]
	rawchild.Copy(rawchild.Addr(dst), src, n)
}

// putDecimal writes v in decimal at the end of buf and returns the digits:
// child code's only way to print a number, without allocating.
//
//go:nosplit
//go:norace
func putDecimal(buf []byte, v int) []byte {
	neg := v < 0
	u := uint64(v)
	if neg {
		u = -u
	}
	i := len(buf)
	for {
		i--
		buf[i] = byte('0' + u%10)
		u /= 10
		if u == 0 {
			break
		}
	}
	if neg {
		i--
		buf[i] = '-'
	}
	return buf[i:]
}

// describeBytes says what b holds, for a person.
func describeBytes(l Lang, b []byte) string {
	if len(bytes.Trim(b, "\x00")) == 0 {
		return quantityIn(l, len(b), "zero byte", "zero bytes", "个零字节")
	}
	return l.sprintf("%s: %q", "%s：%q", quantityIn(l, len(b), "byte", "bytes", "字节"), b)
}

// errnoText names an errno as strace does: 0 is success.
func errnoText(l Lang, e syscall.Errno) string {
	if e == 0 {
		return l.pick("success", "成功")
	}
	if n := unix.ErrnoName(e); n != "" {
		return n
	}
	return fmt.Sprintf("errno %d", int(e))
}
