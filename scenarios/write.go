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
		Name:    "write",
		Args:    "[FILE]",
		Summary: "write a file through a shared mapping (open, ftruncate, mmap, store, munmap)",
		Lesson: `A process creates a file, gives it a size with ftruncate, maps it with
MAP_SHARED and stores "abc" through the pointer mmap returned: no write()
call, yet the bytes land in the file. The mapping must have a file behind it
first: without the ftruncate the file is empty and the store would raise
SIGBUS. FILE defaults to dd.txt in a fresh temporary directory.

With --verbatim it runs the notes' program as written: mmap(NULL, 4,
PROT_WRITE|PROT_WRITE, MAP_SHARED, fd, 0). PROT_WRITE|PROT_WRITE is a typo for
PROT_READ|PROT_WRITE, and asks for PROT_WRITE alone; the program works all the
same, since strcpy only stores (and on x86 and arm64 a PROT_WRITE page can be
read too: pitfalls write-only shows it).`,
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
	if len(args) > 1 {
		return nil, usagef("write takes at most one FILE, got %d arguments", len(args))
	}
	path := filepath.Join(env.Dir, "dd.txt")
	if len(args) == 1 {
		path = args[0]
		if st, err := os.Stat(path); err == nil && st.IsDir() {
			return nil, usagef("%s is a directory: name a file to write", path)
		}
	}
	cpath, err := cstring(path)
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
		errOpen:   message("open error: cannot create " + escape.String(path)),
		errTrunc:  message("ftruncate error"),
		errMmap:   message("mmap error"),
		errMunmap: message("munmap error"),
	}
	return &Plan{Body: b, After: func(status int) error {
		if status != 0 {
			return statusError(status)
		}
		got, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if s.verbatim {
			fmt.Fprintf(env.Out, "as the notes wrote it: PROT_WRITE|PROT_WRITE is PROT_WRITE alone (they meant PROT_READ|PROT_WRITE); strcpy only stores, so it works all the same\n")
		}
		fmt.Fprintf(env.Out, "%s now holds %s: %q, stored through the mapping without a write() call\n", escape.String(path), quantity(len(got), "byte", "bytes"), got)
		if !bytes.Equal(got, writeText) {
			return fmt.Errorf("%s holds %q, want %q", path, got, writeText)
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
