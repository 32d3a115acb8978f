package explain

import (
	"errors"
	"fmt"
	"strings"
	"syscall"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/mmtrace/mmtrace/tracer"
	"github.com/mmtrace/mmtrace/tracer/model"
	"github.com/mmtrace/mmtrace/tracer/sys"
)

// The processes of the unit tests have ids past the kernel's pid_max
// (2^22), so /proc has nothing on them and the model learns only what the
// events say.
const (
	P = 1<<30 + 100 // the parent
	C = 1<<30 + 101 // its child
)

// addr is where the tests' mmaps return.
const addr = 0x7f0000000000

var page = model.PageSize

// fakeMem is tracee memory holding the strings the calls point to.
type fakeMem map[uint64][]byte

func (m fakeMem) Read(a uint64, p []byte) (int, error) {
	for base, b := range m {
		if a >= base && a < base+uint64(len(b)) {
			return copy(p, b[a-base:]), nil
		}
	}
	return 0, errors.New("unmapped")
}

var mem = fakeMem{}

// str puts s in the fake memory and returns its address.
func str(s string) uint64 {
	a := uint64(0x10000 * (len(mem) + 1))
	mem[a] = append([]byte(s), 0)
	return a
}

func neg(e syscall.Errno) int64 { return -int64(e) }

// sc is a call of pid that returned ret.
func sc(t *testing.T, pid int, name string, ret int64, args ...uint64) *tracer.Event {
	t.Helper()
	nr, ok := sys.Number(sys.HostArch(), name)
	if !ok {
		t.Skipf("%v has no %s", sys.HostArch(), name)
	}
	var a [6]uint64
	copy(a[:], args)
	c := sys.NewCall(sys.HostArch(), nr, a)
	c.Enter(mem, nil)
	c.Exit(mem, ret, nil)
	return &tracer.Event{Kind: tracer.CallExit, Pid: pid, Tid: pid, Call: c}
}

func fd64(fd int) uint64 { return uint64(int64(fd)) }

// step is one event and what its notes must say.
type step struct {
	e *tracer.Event
	// fix adjusts what the model could not learn without /proc: an fd's
	// path, a mapped file's size.
	fix func(m *model.Model, ch *model.Change)
	// ch, if set, is passed instead of what Apply reports (fault counts).
	ch *model.Change
	// fn, if set, is all the step does: it acts on the model alone.
	fn func(m *model.Model)
	// want: substrings of the notes, per language; none: no notes at all.
	want map[Lang][]string
	none bool
	// not: substrings the notes must not hold, in any language.
	not []string
}

func en(s ...string) map[Lang][]string { return map[Lang][]string{EN: s} }

func both(en, zh []string) map[Lang][]string { return map[Lang][]string{EN: en, ZH: zh} }

// opened records what /proc would have said about an fd just opened.
func opened(pid, fd int, path string, flags int) func(*model.Model, *model.Change) {
	return func(m *model.Model, ch *model.Change) {
		f := model.FD{Path: path, Flags: flags}
		m.Process(pid).FDs[fd] = f
		ch.FD = f
	}
}

// sized sets the size of the file a new mapping shows.
func sized(n int64) func(*model.Model, *model.Change) {
	return func(_ *model.Model, ch *model.Change) { ch.Added.FileSize = n }
}

func openat(t *testing.T, pid int, path string, flags int, fd int) step {
	return step{
		e:   sc(t, pid, "openat", int64(fd), fd64(unix.AT_FDCWD), str(path), uint64(flags), 0o644),
		fix: opened(pid, fd, path, flags),
	}
}

func mmap(t *testing.T, pid int, length uint64, prot, flags, fd int, off uint64, ret int64) *tracer.Event {
	return sc(t, pid, "mmap", ret, 0, length, uint64(prot), uint64(flags), fd64(fd), off)
}

func forkCall(t *testing.T, pid, child int) *tracer.Event {
	if _, ok := sys.Number(sys.HostArch(), "fork"); ok {
		return sc(t, pid, "fork", int64(child))
	}
	return sc(t, pid, "clone", int64(child), uint64(unix.SIGCHLD))
}

func spawn(pid, child int) *tracer.Event {
	return &tracer.Event{Kind: tracer.Spawn, Pid: pid, Tid: pid, Child: child}
}

func signal(pid int, sig syscall.Signal, code int32, at uint64) *tracer.Event {
	return &tracer.Event{Kind: tracer.Signal, Pid: pid, Tid: pid, Signal: sig,
		Siginfo: sys.Siginfo{Signo: sig, Code: code, Addr: at}}
}

func exited(pid, code int, sig syscall.Signal) *tracer.Event {
	return &tracer.Event{Kind: tracer.Exit, Pid: pid, Tid: pid, Leader: true, ExitCode: code, KilledBy: sig}
}

func with(s step, want map[Lang][]string) step { s.want = want; return s }

const (
	rw      = unix.PROT_READ | unix.PROT_WRITE
	shared  = unix.MAP_SHARED
	private = unix.MAP_PRIVATE
	creat   = unix.O_CREAT | unix.O_RDWR | unix.O_TRUNC
)

func TestNotes(t *testing.T) {
	hexAddr := func(a uint64) string { return fmt.Sprintf("%#x", a) }
	A := hexAddr(addr)
	tests := []struct {
		name  string
		steps func(t *testing.T) []step
	}{{
		name: "write",
		steps: func(t *testing.T) []step {
			return []step{
				with(openat(t, P, "/tmp/w/dd.txt", creat, 3), both(
					[]string{"fd 3 now refers to dd.txt, opened read-write", "O_TRUNC emptied it"},
					[]string{"文件描述符 3 现在指向 dd.txt（以读写方式打开）", "O_TRUNC 把它清空为 0 字节"})),
				{e: sc(t, P, "ftruncate", 0, 3, 4), want: both(
					[]string{"dd.txt is now 4 bytes long: a mapping of it can touch 1 page, past that SIGBUS"},
					[]string{"dd.txt 的长度现在是 4 字节"})},
				{e: mmap(t, P, 4, rw, shared, 3, 0, addr), fix: sized(4), want: both(
					[]string{"1 page of dd.txt at " + A + ", from offset 0 (4 bytes rounded up to pages)",
						"MAP_SHARED: stores reach dd.txt itself and every process mapping it, no write() needed"},
					[]string{"把 dd.txt 从偏移 0 起的 1 页映射到 " + A + "（4 字节向上取整为整页）",
						"MAP_SHARED：写入直接进入 dd.txt 本身"})},
				{e: sc(t, P, "munmap", 0, addr, 4), want: both(
					[]string{"1 page at " + A + " unmapped: dd.txt", "its stores are in dd.txt already"},
					[]string{A + " 处的 1 页已解除映射：dd.txt", "写入早已进入 dd.txt"})},
				{e: sc(t, P, "close", 0, 3), want: both(
					[]string{"fd 3 (dd.txt) closed"}, []string{"关闭了文件描述符 3（dd.txt）"})},
			}
		},
	}, {
		name: "pitfalls",
		steps: func(t *testing.T) []step {
			return []step{
				openat(t, P, "/tmp/p/data.txt", unix.O_RDWR, 3),
				{e: mmap(t, P, 0, rw, shared, 3, 0, neg(unix.EINVAL)), want: both(
					[]string{"length 0: a mapping needs at least one byte"}, []string{"长度为 0：映射至少要 1 字节"})},
				{e: mmap(t, P, 4, rw, shared, 3, 0, addr), fix: sized(2 * int64(page))},
				{e: sc(t, P, "munmap", neg(unix.EINVAL), addr+1, 4), want: both(
					[]string{hexAddr(addr+1) + " is not page-aligned: it is 1 byte into the page at " + A,
						"munmap takes any page-aligned address, not only mmap's; after p++, pass the original pointer"},
					[]string{hexAddr(addr+1) + " 没有按页对齐：它位于 " + A + " 那一页内偏移 1 字节处",
						"munmap 接受任何按页对齐的地址"})},
				{e: sc(t, P, "munmap", 0, addr, 4)},
				{e: sc(t, P, "close", 0, 3)},
				with(openat(t, P, "/tmp/p/data.txt", unix.O_RDONLY, 3), en("read-only: a MAP_SHARED mapping of it cannot be writable")),
				{e: mmap(t, P, 4, rw, shared, 3, 0, neg(unix.EACCES)), want: both(
					[]string{"fd 3 was opened read-only, yet MAP_SHARED with PROT_WRITE asks that stores reach data.txt",
						"open O_RDWR, drop PROT_WRITE, or use MAP_PRIVATE"},
					[]string{"文件描述符 3 是以只读方式打开的，而 MAP_SHARED 加 PROT_WRITE 要求把写入落到 data.txt 上",
						"映射的权限不能超过打开文件时的权限"})},
				{e: mmap(t, P, 4, rw, private, 3, 0, addr), fix: sized(2 * int64(page)), want: both(
					[]string{"works although fd 3 is read-only: stores go to private copies, never to data.txt; no bus error"},
					[]string{"尽管文件描述符 3 是只读的，照样成功", "也不会有总线错误"})},
				{e: sc(t, P, "munmap", 0, addr, 4)},
				{e: mmap(t, P, 4, rw, shared, 3, 1000, neg(unix.EINVAL)), want: both(
					[]string{fmt.Sprintf("offset 1000 is not a multiple of the page size %d", page),
						"1000 lies in the page at offset 0: map from 0 and add 1000 to the address"},
					[]string{fmt.Sprintf("偏移 1000 不是页大小 %d 的整数倍", page), "从 0 开始映射，再把地址加上 1000"})},
				{e: sc(t, P, "close", 0, 3)},
				// past-eof
				openat(t, P, "/tmp/p/empty.txt", creat, 3),
				{e: mmap(t, P, 4, rw, shared, 3, 0, addr), fix: sized(0), want: both(
					[]string{"empty.txt is 0 bytes long: no page of the file backs this mapping, touching it raises SIGBUS"},
					[]string{"empty.txt 长度为 0：这个映射没有任何文件页对应，一访问就会触发 SIGBUS"})},
				{e: spawn(P, C), none: true},
				{e: forkCall(t, P, C), want: both(
					[]string{fmt.Sprintf("shared by %d and %d: empty.txt (1 page): stores are seen by all", P, C)},
					[]string{fmt.Sprintf("由 %d 和 %d 共享：empty.txt（1 页）：写入彼此可见", P, C)})},
				{e: signal(C, unix.SIGBUS, 2, addr+12), want: both(
					[]string{hexAddr(addr+12) + " is 12 bytes into the mapping of empty.txt, which is 0 bytes long",
						"no page of the file backs it: O_TRUNC emptied the file, and no ftruncate gave it a size"},
					[]string{hexAddr(addr+12) + " 位于 empty.txt 映射内偏移 12 字节处，而该文件只有 0 字节",
						"没有文件页对应这个地址：O_TRUNC 把文件清空了，之后也没有用 ftruncate 设定大小"})},
				{e: exited(C, 0, unix.SIGBUS), want: both(
					[]string{"killed by SIGBUS: it touched " + hexAddr(addr+12) + ", past the end of empty.txt"},
					[]string{"被 SIGBUS 信号终止：它访问的 " + hexAddr(addr+12) + " 超出了 empty.txt 的末尾"})},
				{e: sc(t, P, "wait4", C, fd64(C), 0, 0, 0), want: both(
					[]string{fmt.Sprintf("reaped child %d, killed by SIGBUS: it touched", C)},
					[]string{fmt.Sprintf("回收了子进程 %d，它被 SIGBUS 信号终止", C)})},
				{e: sc(t, P, "munmap", 0, addr, 4)},
				// after-close
				{e: sc(t, P, "ftruncate", 0, 3, 4)},
				{e: mmap(t, P, 4, rw, shared, 3, 0, addr), fix: sized(4)},
				{e: sc(t, P, "close", 0, 3), want: both(
					[]string{"fd 3 (empty.txt) closed; the mapping at " + A + " still works: it holds its own reference"},
					[]string{"关闭了文件描述符 3（empty.txt）；" + A + " 处的映射照常可用"})},
			}
		},
	}, {
		name: "devzero",
		steps: func(t *testing.T) []step {
			return []step{
				with(openat(t, P, "/dev/zero", unix.O_RDWR, 3), en("/dev/zero has no size and reads as zeros")),
				{e: sc(t, P, "ftruncate", neg(unix.EINVAL), 3, 4), want: both(
					[]string{"/dev/zero is a character device, not a regular file: it has no size to set",
						"the notes' program exits on this error"},
					[]string{"/dev/zero 是字符设备，不是普通文件，没有可以设置的大小", "笔记中的程序遇到这个错误就退出了"})},
				{e: mmap(t, P, 20, rw, shared, 3, 0, addr), want: both(
					[]string{"1 page of zeroed memory at " + A + ", from /dev/zero (20 bytes rounded up to pages)",
						"MAP_SHARED of /dev/zero is shared anonymous memory"},
					[]string{"在 " + A + " 得到 1 页来自 /dev/zero 的清零内存", "以 MAP_SHARED 映射 /dev/zero 就是共享匿名内存"})},
				{e: spawn(P, C)},
				{e: forkCall(t, P, C), want: en(fmt.Sprintf("shared by %d and %d: the /dev/zero mapping (1 page)", P, C))},
			}
		},
	}, {
		// pid_max reached: the child's id is below its parent's. The
		// notes list processes as the trace met them, parent first, so
		// that --stable's labels read P1 and P2 whatever the ids.
		name: "a child whose id wrapped below its parent's",
		steps: func(t *testing.T) []step {
			const W = 300
			return []step{
				openat(t, P, "/dev/zero", unix.O_RDWR, 3),
				{e: mmap(t, P, 20, rw, shared, 3, 0, addr)},
				{e: spawn(P, W)},
				{e: forkCall(t, P, W), want: both(
					[]string{fmt.Sprintf("shared by %d and %d: the /dev/zero mapping (1 page)", P, W)},
					[]string{fmt.Sprintf("由 %d 和 %d 共享", P, W)})},
			}
		},
	}, {
		name: "fork-private",
		steps: func(t *testing.T) []step {
			return []step{
				openat(t, P, "/tmp/f/fork.txt", creat, 3),
				{e: sc(t, P, "ftruncate", 0, 3, 20)},
				{e: mmap(t, P, 20, rw, private, 3, 0, addr), fix: sized(20), want: both(
					[]string{"MAP_PRIVATE: reads see fork.txt; a store gets a private copy of the page (copy-on-write)"},
					[]string{"MAP_PRIVATE：读到的是 fork.txt 的内容", "写时复制"})},
				{e: spawn(P, C)},
				{e: forkCall(t, P, C), want: both(
					[]string{fmt.Sprintf("child %d inherits fds 3 (fork.txt); program, libraries, stack: copy-on-write", C),
						"copy-on-write (MAP_PRIVATE): fork.txt (1 page): each process that stores gets its own copy"},
					[]string{fmt.Sprintf("子进程 %d 继承了文件描述符 3（fork.txt）；程序、库、栈按写时复制共享", C),
						"写时复制（MAP_PRIVATE）：fork.txt（1 页）：每个写入的进程都会得到自己的一份副本"})},
				{e: exited(C, 0, 0), want: en("exited with status 0: its mappings are released")},
				{e: sc(t, P, "wait4", C, fd64(C), 0, 0, 0), want: both(
					[]string{fmt.Sprintf("reaped child %d, which exited with status 0", C)},
					[]string{fmt.Sprintf("回收了子进程 %d，它以状态 0 退出", C)})},
				{e: sc(t, P, "munmap", 0, addr, 20), want: en("any private copies made by stores are dropped: fork.txt never saw them")},
			}
		},
	}, {
		name: "the child ends before its parent's fork returns",
		steps: func(t *testing.T) []step {
			return []step{
				openat(t, P, "/tmp/f/fork.txt", creat, 3),
				{e: mmap(t, P, 20, rw, private, 3, 0, addr), fix: sized(20)},
				{e: spawn(P, C), none: true},
				{e: exited(C, 0, 0)},
				{e: forkCall(t, P, C), want: en("copy-on-write (MAP_PRIVATE): fork.txt (1 page)")},
			}
		},
	}, {
		name: "no Spawn event: the child ends before the fork returns",
		steps: func(t *testing.T) []step {
			return []step{
				openat(t, P, "/tmp/f/fork.txt", creat, 3),
				{e: mmap(t, P, 20, rw, shared, 3, 0, addr), fix: sized(20)},
				{e: sc(t, P, "getpid", P)},                          // the model learns of P
				{fn: func(m *model.Model) { m.Apply(spawn(P, C)) }}, // the model sees it, the explainer not
				{e: &tracer.Event{Kind: tracer.CallEnter, Pid: C, Tid: C}, ch: &model.Change{MinFlt: 3},
					fix:  func(m *model.Model, ch *model.Change) { ch.Proc = m.Process(C) },
					want: en("took 3 minor page faults since the fork")},
				{e: exited(C, 0, 0)},
				{e: forkCall(t, P, C), want: en(fmt.Sprintf("shared by %d and %d: fork.txt (1 page)", P, C))},
			}
		},
	}, {
		name: "fork-shared and anon",
		steps: func(t *testing.T) []step {
			return []step{
				openat(t, P, "/tmp/f/fork.txt", creat, 3),
				{e: mmap(t, P, 20, rw, shared, 3, 0, addr), fix: sized(20)},
				{e: mmap(t, P, 20, rw, shared|unix.MAP_ANONYMOUS, -1, 0, addr+0x10000), want: both(
					[]string{"1 page of zeroed memory at " + hexAddr(addr+0x10000) + ", no file (fd -1)",
						"MAP_SHARED|MAP_ANONYMOUS: children forked from now on share these pages"},
					[]string{"清零的内存，没有文件（文件描述符为 -1）", "此后 fork 出的子进程与本进程共享这些页"})},
				{e: spawn(P, C)},
				{e: forkCall(t, P, C), want: en(fmt.Sprintf("shared by %d and %d: fork.txt (1 page) and anonymous memory (1 page)", P, C))},
				{e: exited(C, 0, 0), want: both(
					[]string{"exited with status 0; its stores to fork.txt are in the file",
						fmt.Sprintf("its stores in anonymous memory stay, mapped by %d", P)},
					[]string{"以状态 0 退出；它写入 fork.txt 的内容已在文件中",
						fmt.Sprintf("它写入匿名内存的内容仍保留在内存中，%d 还映射着它", P)})},
				{e: sc(t, P, "munmap", 0, addr, 20)},
				{e: signal(P, unix.SIGSEGV, 1, addr+8), want: both(
					[]string{hexAddr(addr+8) + " lies in no mapping of this process", "a munmap earlier removed fork.txt from there"},
					[]string{hexAddr(addr+8) + " 不在本进程的任何映射中", "之前的 munmap 已经拆除了那里的 fork.txt"})},
				{e: signal(P, unix.SIGSEGV, 1, 0), want: en("0x0 is next to address 0: a NULL pointer was used")},
			}
		},
	}, {
		name: "a failed ftruncate, then SIGBUS",
		steps: func(t *testing.T) []step {
			return []step{
				openat(t, P, "/tmp/f/ro.txt", unix.O_RDONLY, 3),
				{e: sc(t, P, "ftruncate", neg(unix.EINVAL), 3, 4), want: en("fd 3 was opened read-only: ftruncate needs a fd open for writing")},
				{e: mmap(t, P, 4, unix.PROT_READ, private, 3, 0, addr), fix: sized(0)},
				{e: signal(P, unix.SIGBUS, 2, addr), want: both(
					[]string{"is 0 bytes into the mapping of ro.txt", "no page of the file backs it: ftruncate(3, 4) failed earlier with EINVAL"},
					[]string{"之前的 ftruncate(3, 4) 以 EINVAL 失败了"})},
			}
		},
	}, {
		name: "other calls",
		steps: func(t *testing.T) []step {
			return []step{
				openat(t, P, "/tmp/o/f.bin", unix.O_RDWR, 3),
				{e: mmap(t, P, 3*page, rw, shared, 3, 0, addr), fix: sized(int64(page))},
				{e: sc(t, P, "mprotect", 0, addr, page, unix.PROT_READ), want: both(
					[]string{"the protection of 1 page at " + A + " (f.bin) is now PROT_READ"},
					[]string{A + " 处的 1 页（f.bin）权限改为 PROT_READ"})},
				{e: sc(t, P, "msync", 0, addr, page, unix.MS_SYNC), want: en("f.bin's 1 page at " + A + ": on disk now (MS_SYNC waits for the writes)")},
				{e: sc(t, P, "madvise", 0, addr, page, unix.MADV_WILLNEED), want: en("MADV_WILLNEED on 1 page at " + A + ": start reading these pages in now")},
				{e: sc(t, P, "madvise", neg(unix.EINVAL), addr+3, page, unix.MADV_DONTNEED), want: en("madvise works on whole pages")},
				{e: sc(t, P, "mremap", int64(addr+0x100000), addr, 3*page, 4*page, unix.MREMAP_MAYMOVE), want: en("the mapping at " + A + " went from 3 pages to 4 pages, and moved to " + hexAddr(addr+0x100000))},
				{e: sc(t, P, "mmap", addr+0x200000, 0, 16*page, unix.PROT_NONE, private|unix.MAP_ANONYMOUS, fd64(-1), 0), want: en("16 pages of address space reserved")},
				{e: sc(t, P, "mmap", neg(unix.EBADF), 0, page, rw, shared, 9, 0), want: en("fd 9 is not open (for memory with no file: MAP_ANONYMOUS and fd -1)")},
				{e: sc(t, P, "wait4", 0, fd64(-1), 0, unix.WNOHANG, 0), want: both(
					[]string{"no child has ended yet: WNOHANG returns 0 at once"}, []string{"还没有子进程结束：WNOHANG 让调用立即返回 0"})},
				{e: sc(t, P, "wait4", neg(unix.ECHILD), fd64(-1), 0, 0, 0), want: en("no child to wait for")},
				{e: sc(t, P, "kill", 0, 4242, uint64(unix.SIGTERM)), want: both(
					[]string{"sent SIGTERM to process 4242"}, []string{"向进程 4242 发送了 SIGTERM"})},
				{e: sc(t, P, "kill", neg(unix.ESRCH), 4242, 0), want: en("process 4242 does not exist")},
				{e: sc(t, P, "unlinkat", 0, fd64(unix.AT_FDCWD), str("/tmp/o/gone.txt"), 0), want: both(
					[]string{"the name gone.txt is gone; the file lives on while a fd or a mapping still uses it"},
					[]string{"目录项 gone.txt 已删除"})},
				{e: sc(t, P, "unlinkat", 0, fd64(unix.AT_FDCWD), str("/tmp/o/f.bin"), 0), want: en(fmt.Sprintf("the name f.bin is gone; mapped by %d, its pages live on until munmap", P))},
				{e: sc(t, P, "openat", neg(unix.ENOENT), fd64(unix.AT_FDCWD), str("/nope/x.txt"), unix.O_RDONLY), want: both(
					[]string{"x.txt does not exist (without O_CREAT, openat does not create it)"}, []string{"x.txt 不存在（没有 O_CREAT 时，openat 不会创建文件）"})},
				{e: sc(t, P, "close", neg(unix.EBADF), 77), want: en("fd 77 is not open")},
				{e: sc(t, P, "execve", 0, str("/bin/true"), 0, 0), want: both(
					[]string{"now runs true: every old mapping is gone", "still open in the new program (no O_CLOEXEC): fds 3 (f.bin)"},
					[]string{"现在运行 true：原有映射全部消失"})},
				{e: sc(t, P, "execve", neg(unix.ENOENT), str("/no/such"), 0, 0), want: en("/no/such does not exist")},
				{e: sc(t, P, "msync", neg(syscall.Errno(512)), addr, page, 0), want: en("interrupted by a signal")},
			}
		},
	}, {
		name: "MAP_FIXED, munmap twice, an unlinked file",
		steps: func(t *testing.T) []step {
			return []step{
				{e: mmap(t, P, 4*page, rw, private|unix.MAP_ANONYMOUS, -1, 0, addr)},
				openat(t, P, "/tmp/x/fixed.txt", unix.O_RDWR, 3),
				{e: sc(t, P, "mmap", int64(addr+page), addr+page, page, unix.PROT_READ, shared|unix.MAP_FIXED, 3, 0), fix: sized(int64(page)), want: both(
					[]string{"1 page of fixed.txt at " + hexAddr(addr+page), "MAP_FIXED replaced what was mapped there: anonymous memory (1 page)"},
					[]string{"MAP_FIXED 替换了原来映射在那里的内容：匿名内存（1 页）"})},
				{e: sc(t, P, "munmap", 0, addr+page, page), want: en("1 page at " + hexAddr(addr+page) + " unmapped: fixed.txt")},
				// Without MAP_FIXED the kernel replaces nothing: what the model
				// had there (a hidden munmap took it) is not said replaced.
				{e: mmap(t, P, page, rw, private|unix.MAP_ANONYMOUS, -1, 0, int64(addr+2*page)), want: en("1 page of zeroed private memory"), not: []string{"MAP_FIXED replaced", "MAP_FIXED 替换了"}},
				{e: sc(t, P, "munmap", 0, addr+page, page), want: both(
					[]string{hexAddr(addr+page) + " was unmapped already, by an earlier munmap: unmapping it again does nothing"},
					[]string{hexAddr(addr+page) + " 早已被之前的 munmap 解除映射"})},
				{e: sc(t, P, "munmap", 0, addr+0x100000, page), want: en("nothing was mapped at " + hexAddr(addr+0x100000))},
				{e: mmap(t, P, 2*page, rw, shared, 3, 0, addr+0x200000), fix: sized(int64(2 * page))},
				{e: sc(t, P, "close", 0, 3), want: en("fd 3 (fixed.txt) closed; the mapping at")},
				{e: sc(t, P, "unlinkat", 0, fd64(unix.AT_FDCWD), str("/tmp/x/fixed.txt"), 0), want: en(fmt.Sprintf("the name fixed.txt is gone; mapped by %d", P))},
				{e: sc(t, P, "munmap", 0, addr+0x200000, page), want: both(
					[]string{"fixed.txt has no name left: its stores last only while a mapping or a fd still uses it"},
					[]string{"fixed.txt 已经没有名字了"})},
				{e: sc(t, P, "munmap", 0, addr+0x201000, page), want: both(
					[]string{"fixed.txt was unlinked and nothing traced uses it now: the file and its data are freed"},
					[]string{"fixed.txt 已被 unlink，被跟踪的进程也都不再使用它：文件连同其中的数据随之释放"})},
				// Unlinked and mapped by the process alone: its exit frees it.
				openat(t, P, "/tmp/x/kept.txt", unix.O_RDWR, 4),
				{e: mmap(t, P, page, rw, shared, 4, 0, addr+0x300000), fix: sized(int64(page))},
				{e: sc(t, P, "close", 0, 4)},
				{e: sc(t, P, "unlinkat", 0, fd64(unix.AT_FDCWD), str("/tmp/x/kept.txt"), 0)},
				{e: exited(P, 0, 0), want: en("exited with status 0: its mappings are released",
					"kept.txt was unlinked and nothing traced uses it now: the file and its data are freed")},
			}
		},
	}, {
		name: "the dynamic loader",
		steps: func(t *testing.T) []step {
			return []step{
				{e: sc(t, P, "openat", 3, fd64(unix.AT_FDCWD), str("/lib/x86_64-linux-gnu/libc.so.6"), unix.O_RDONLY|unix.O_CLOEXEC), fix: opened(P, 3, "/lib/x86_64-linux-gnu/libc.so.6", unix.O_RDONLY), none: true},
				{e: mmap(t, P, 40*page, unix.PROT_READ, private|unix.MAP_DENYWRITE, 3, 0, addr), want: en("the dynamic loader maps libc.so.6 (40 pages, private)")},
				{e: mmap(t, P, 10*page, unix.PROT_READ|unix.PROT_EXEC, private|unix.MAP_FIXED|unix.MAP_DENYWRITE, 3, page, int64(addr+page)), none: true},
				{e: sc(t, P, "mprotect", 0, addr+20*page, page, unix.PROT_READ), none: true},
				{e: sc(t, P, "close", 0, 3), none: true},
			}
		},
	}, {
		name: "threads and signals",
		steps: func(t *testing.T) []step {
			return []step{
				{e: &tracer.Event{Kind: tracer.Spawn, Pid: P, Tid: P, Child: C, Thread: true}, none: true},
				{e: sc(t, P, "clone", C, unix.CLONE_VM|unix.CLONE_THREAD), want: en(fmt.Sprintf("new thread %d: it shares", C))},
				{e: &tracer.Event{Kind: tracer.Signal, Pid: P, Tid: P, Signal: unix.SIGTERM,
					Siginfo: sys.Siginfo{Signo: unix.SIGTERM, Code: 0, Pid: 4242}}, want: both(
					[]string{"SIGTERM sent by process 4242"}, []string{"SIGTERM 由进程 4242 发送"})},
				{e: &tracer.Event{Kind: tracer.Signal, Pid: P, Tid: P, Signal: unix.SIGCHLD,
					Siginfo: sys.Siginfo{Signo: unix.SIGCHLD, Code: 1, Pid: 4242, Status: 3}}, want: both(
					[]string{"child 4242 exited with status 3: the kernel tells the parent with SIGCHLD"},
					[]string{"子进程 4242 以状态 3 退出：内核用 SIGCHLD 通知父进程"})},
				{e: &tracer.Event{Kind: tracer.Signal, Pid: P, Tid: P, Signal: unix.SIGWINCH}, none: true},
				{e: &tracer.Event{Kind: tracer.Exit, Pid: P, Tid: C}, none: true},
			}
		},
	}}
	for _, tc := range tests {
		for _, lang := range []Lang{EN, ZH} {
			t.Run(tc.name+"/"+lang.String(), func(t *testing.T) {
				m := model.New()
				x := New(lang, m)
				for i, s := range tc.steps(t) {
					if s.fn != nil {
						s.fn(m)
						continue
					}
					ch := m.Apply(s.e)
					if s.ch != nil {
						ch = *s.ch
					}
					if s.fix != nil {
						s.fix(m, &ch)
					}
					notes := x.Notes(s.e, ch)
					text := strings.Join(notes, "\n")
					label := fmt.Sprintf("step %d (%s)", i, describe(s.e))
					if s.none && len(notes) > 0 {
						t.Errorf("%s: want no notes, got\n%s", label, text)
					}
					for _, w := range s.not {
						if strings.Contains(strings.Join(notes, " "), w) {
							t.Errorf("%s: notes hold %q:\n%s", label, w, text)
						}
					}
					for _, w := range s.want[lang] {
						if !strings.Contains(strings.Join(notes, " "), w) {
							t.Errorf("%s: notes lack %q:\n%s", label, w, text)
						}
					}
					checkLines(t, label, notes)
				}
			})
		}
	}
}

func describe(e *tracer.Event) string {
	if e.Call != nil {
		return e.Call.String()
	}
	return fmt.Sprintf("event kind %d", e.Kind)
}

// checkLines checks what every note must be: filled in, one line each, 1
// or 2 notes (3 after a fork that made both shared and private mappings).
func checkLines(t *testing.T, label string, notes []string) {
	t.Helper()
	for _, l := range notes {
		if strings.ContainsAny(l, "{}") {
			t.Errorf("%s: a placeholder is left: %s", label, l)
		}
		if strings.ContainsAny(l, "\n\r") {
			t.Errorf("%s: a note of more than one line: %q", label, l)
		}
	}
	if len(notes) > 3 {
		t.Errorf("%s: %d lines:\n%s", label, len(notes), strings.Join(notes, "\n"))
	}
}
