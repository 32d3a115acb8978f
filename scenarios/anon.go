package scenarios

import (
	"bytes"
	"fmt"

	"github.com/spf13/pflag"
	"golang.org/x/sys/unix"

	"github.com/mmtrace/mmtrace/internal/rawchild"
)

func init() { register(&anonScenario{}) }

// anonScenario is the notes' anonymous mapping: shared memory between
// parent and child with no file at all.
type anonScenario struct {
	// verbatim maps the notes' length, 4 (--verbatim); reset by Flags
	// before each run.
	verbatim bool
}

// anonNotesLength is the notes' length: "4随意举例", 4 as an example.
const anonNotesLength = 4

func (*anonScenario) Info() Info {
	return Info{
		Name: "anon",
		Summary: Text{
			EN: "parent and child share an anonymous mapping (MAP_SHARED|MAP_ANONYMOUS, fd -1): no file",
			ZH: "父子进程共享一个匿名映射（MAP_SHARED|MAP_ANONYMOUS，文件描述符为 -1）：没有文件",
		},
		Lesson: Text{
			EN: `fork-shared needs a file only to have something to map. MAP_ANONYMOUS asks
for memory with no file behind it (fd is -1, offset 0); with MAP_SHARED the
memory stays shared with every child forked afterwards. The child stores a
message and exits; the parent, after wait4, reads it from its own mapping.
Nothing is opened, sized or written to disk. MAP_ANONYMOUS is Linux's (BSDs
spell it MAP_ANON); the devzero scenario shows the older portable way.

With --verbatim it maps the notes' length: mmap(NULL, 4, PROT_READ|PROT_WRITE,
MAP_SHARED|MAP_ANONYMOUS, -1, 0), 4 "as an example". The kernel rounds it up
to a whole page, so the child's 20-byte message fits all the same: nothing
checks the 4. Stores past the length, within the page, just work (the myths
scenario's oob-store shows where that stops).`,
			ZH: `fork-shared 需要文件，只是为了有东西可以映射。MAP_ANONYMOUS 要的是背后
没有文件的内存（参数 fd 为 -1，offset 为 0）；加上 MAP_SHARED，这块内存
就与此后 fork 出的每个子进程共享。子进程写入一条消息后退出；父进程在 wait4
之后从自己的映射中读出这条消息。整个过程不打开文件、不设定大小，也不写磁盘。
MAP_ANONYMOUS 是 Linux 的写法（BSD 写作 MAP_ANON）；devzero 场景演示了更老
的、可移植的办法。

加 --verbatim 时，使用笔记中的长度：mmap(NULL, 4, PROT_READ|PROT_WRITE,
MAP_SHARED|MAP_ANONYMOUS, -1, 0)，4 是“随意举例”。内核把它向上取整为整页，
所以子进程 20 字节的消息照样放得下：没有谁检查这个 4。在这一页之内、超出
长度的写入也照样可以（myths 场景的 oob-store 演示了到哪里为止）。`,
		},
	}
}

func (s *anonScenario) Flags(fs *pflag.FlagSet) {
	s.verbatim = false
	fs.BoolVar(&s.verbatim, "verbatim", false, "map the notes' length as written: 4 bytes, for a 20-byte message")
}

func (s *anonScenario) Plan(env *Env, args []string) (*Plan, error) {
	l := env.Lang
	if len(args) > 0 {
		return nil, l.usagef("anon takes no arguments, got %d", "anon 不接受参数，却给了 %d 个", len(args))
	}
	rep, err := newReport(l)
	if err != nil {
		return nil, err
	}
	size := len(childMessage)
	if s.verbatim {
		size = anonNotesLength
	}
	b := &anonBody{
		size:      uintptr(size),
		errMmap:   message(l.pick("anon: mmap error", "anon：mmap 出错")),
		errMunmap: message(l.pick("anon: munmap error", "anon：munmap 出错")),
		x:         newExchange(l, "anon", rep, l.pick("parent: sees only zero bytes\n", "父进程：只看到零字节\n")),
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
		if s.verbatim {
			fmt.Fprintln(env.Out, l.sprintf("as the notes wrote it: a %d-byte mapping; the kernel made it a whole page, and the child's %d bytes fit in it",
				"照笔记原样：映射长度为 %d 字节；内核把它扩大为一整页，子进程的 %d 字节放得下",
				anonNotesLength, len(childMessage)))
		}
		fmt.Fprintln(env.Out, l.sprintf("after the child exited, the parent's anonymous mapping held %s", "子进程退出后，父进程的匿名映射中是 %s", describeBytes(l, seen)))
		if !bytes.Equal(seen, childMessage) {
			return l.errorf("the parent saw %q, want %q", "父进程看到的是 %q，应为 %q", seen, childMessage)
		}
		return nil
	}}, nil
}

type anonBody struct {
	size               uintptr
	errMmap, errMunmap []byte
	x                  exchange
}

//go:nosplit
//go:norace
func (b *anonBody) Run() {
	p, e := rawchild.Mmap(0, b.size, unix.PROT_READ|unix.PROT_WRITE, unix.MAP_SHARED|unix.MAP_ANONYMOUS, -1, 0)
	if e != 0 {
		fail(b.errMmap)
	}
	b.x.run(p)
	if rawchild.Munmap(p, b.size) != 0 {
		fail(b.errMunmap)
	}
}
