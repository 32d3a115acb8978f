package scenarios

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"

	"github.com/spf13/pflag"
	"golang.org/x/sys/unix"

	"github.com/mmtrace/mmtrace/internal/escape"
	"github.com/mmtrace/mmtrace/internal/rawchild"
)

func init() { register(&writeScenario{}) }

// writeScenario writes a file through a shared mapping: the notes' first
// exercise.
type writeScenario struct {
	// verbatim runs the notes' program as written (--verbatim). The
	// scenario is registered once, so Flags resets it: a run is Flags,
	// then Plan, one at a time.
	verbatim bool
}

func (*writeScenario) Info() Info {
	return Info{
		Name: "write",
		Args: "[FILE]",
		Summary: Text{
			EN: "write a file through a shared mapping (open, ftruncate, mmap, store, munmap)",
			ZH: "通过共享映射写文件（open、ftruncate、mmap、写入、munmap）",
		},
		Lesson: Text{
			EN: `A process creates a file, gives it a size with ftruncate, maps it with
MAP_SHARED and stores "abc" through the pointer mmap returned: no write()
call, yet the bytes land in the file. The mapping must have a file behind it
first: without the ftruncate the file is empty and the store would raise
SIGBUS. FILE defaults to dd.txt in a fresh temporary directory.

With --verbatim it runs the notes' program as written: mmap(NULL, 4,
PROT_WRITE|PROT_WRITE, MAP_SHARED, fd, 0). PROT_WRITE|PROT_WRITE is a typo for
PROT_READ|PROT_WRITE, and asks for PROT_WRITE alone; the program works all the
same, since strcpy only stores (and on x86 and arm64 a PROT_WRITE page can be
read too: pitfalls write-only shows it).`,
			ZH: `进程创建一个文件，用 ftruncate 设定它的大小，以 MAP_SHARED 映射它，
再通过 mmap 返回的指针写入 "abc"：没有调用 write()，这几个字节却进入了
文件。映射背后必须先有文件内容：不做 ftruncate，文件就是空的，写入会触发
SIGBUS。FILE 默认为新建的临时目录中的 dd.txt。

加 --verbatim 时，照笔记原样运行程序：mmap(NULL, 4, PROT_WRITE|PROT_WRITE,
MAP_SHARED, fd, 0)。PROT_WRITE|PROT_WRITE 是 PROT_READ|PROT_WRITE 的笔误，
实际只要求了 PROT_WRITE；程序照样能运行，因为 strcpy 只写不读（而且在 x86
和 arm64 上，只有 PROT_WRITE 的页也能读：pitfalls write-only 演示了这一点）。`,
		},
	}
}

func (s *writeScenario) Flags(fs *pflag.FlagSet) {
	s.verbatim = false
	fs.BoolVar(&s.verbatim, "verbatim", false, "run the notes' program as written: PROT_WRITE|PROT_WRITE, their typo for PROT_READ|PROT_WRITE")
}

// writeText is what the notes' program stores: strcpy(p, "abc") copies
// the terminating NUL too.
var writeText = []byte("abc\x00")

func (s *writeScenario) Plan(env *Env, args []string) (*Plan, error) {
	l := env.Lang
	if len(args) > 1 {
		return nil, l.usagef("write takes at most one FILE, got %d arguments", "write 最多接受一个 FILE，却给了 %d 个参数", len(args))
	}
	path := filepath.Join(env.Dir, "dd.txt")
	if len(args) == 1 {
		path = args[0]
		if st, err := os.Stat(path); err == nil && st.IsDir() {
			return nil, l.usagef("%s is a directory: name a file to write", "%s 是目录：请指定要写入的文件", path)
		}
	}
	cpath, err := l.cstring(path)
	if err != nil {
		return nil, err
	}
	prot := unix.PROT_READ | unix.PROT_WRITE
	if s.verbatim {
		prot = unix.PROT_WRITE | unix.PROT_WRITE // the notes' typo, kept: it is PROT_WRITE
	}
	b := &writeBody{
		path:      cpath,
		prot:      prot,
		size:      int64(len(writeText)),
		text:      writeText,
		errOpen:   message(l.pick("open error: cannot create ", "open 出错：无法创建 ") + escape.String(path)),
		errTrunc:  message(l.pick("ftruncate error", "ftruncate 出错")),
		errMmap:   message(l.pick("mmap error", "mmap 出错")),
		errMunmap: message(l.pick("munmap error", "munmap 出错")),
	}
	return &Plan{Body: b, After: func(status int) error {
		if status != 0 {
			return l.statusError(status)
		}
		got, err := os.ReadFile(path)
		if err != nil {
			return l.wrap(err)
		}
		if s.verbatim {
			fmt.Fprintln(env.Out, l.pick("as the notes wrote it: PROT_WRITE|PROT_WRITE is PROT_WRITE alone (they meant PROT_READ|PROT_WRITE); strcpy only stores, so it works all the same",
				"照笔记原样：PROT_WRITE|PROT_WRITE 就是只有 PROT_WRITE（本意是 PROT_READ|PROT_WRITE）；strcpy 只写不读，所以程序照样能运行"))
		}
		fmt.Fprintln(env.Out, l.sprintf("%s now holds %s: %q, stored through the mapping without a write() call",
			"%s 现在的内容是 %s：%q，是通过映射写入的，没有调用 write()",
			escape.String(path), quantityIn(l, len(got), "byte", "bytes", "字节"), got))
		if !bytes.Equal(got, writeText) {
			return l.errorf("%s holds %q, want %q", "%s 的内容是 %q，应为 %q", path, got, writeText)
		}
		return nil
	}}, nil
}

type writeBody struct {
	path                                  *byte
	prot                                  int
	size                                  int64
	text                                  []byte
	errOpen, errTrunc, errMmap, errMunmap []byte
}

//go:nosplit
//go:norace
func (b *writeBody) Run() {
	fd, e := rawchild.Open(b.path, unix.O_CREAT|unix.O_RDWR|unix.O_TRUNC, 0o644)
	if e != 0 {
		fail(b.errOpen)
	}
	if rawchild.Ftruncate(fd, b.size) != 0 {
		fail(b.errTrunc)
	}
	p, e := rawchild.Mmap(0, uintptr(b.size), b.prot, unix.MAP_SHARED, fd, 0)
	if e != 0 {
		fail(b.errMmap)
	}
	rawchild.Store(p, b.text)
	if rawchild.Munmap(p, uintptr(b.size)) != 0 {
		fail(b.errMunmap)
	}
	rawchild.Close(fd)
}

// fail writes msg to stderr and exits with 1, as the notes' perror() and
// exit(1) do.
//
//go:nosplit
//go:norace
func fail(msg []byte) {
	rawchild.Write(2, rawchild.Addr(msg), uintptr(len(msg)))
	rawchild.Exit(1)
}
