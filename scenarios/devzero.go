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
		Name:    "devzero",
		Summary: "parent and child share a mapping of /dev/zero; the notes' ftruncate on it fails (EINVAL)",
		Lesson: `Before MAP_ANONYMOUS, the portable way to get shared memory for a parent and
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
	if len(args) > 0 {
		return nil, usagef("devzero takes no arguments, got %d", len(args))
	}
	path, err := cstring("/dev/zero")
	if err != nil {
		return nil, err
	}
	rep, err := newReport()
	if err != nil {
		return nil, err
	}
	if s.verbatim {
		return devzeroVerbatim(env, path, rep), nil
	}
	b := &devzeroBody{
		path:        path,
		truncEINVAL: []byte("ftruncate(/dev/zero, 4) failed with EINVAL (Invalid argument): a device has no size to set; the notes' program would exit here, this one goes on\n"),
		truncOther:  []byte("devzero: ftruncate(/dev/zero, 4) was to fail with EINVAL, but it"),
		complaint:   newComplaint(),
		errOpen:     message("devzero: open error: cannot open /dev/zero"),
		errMmap:     message("devzero: mmap error"),
		errMunmap:   message("devzero: munmap error"),
		x:           newExchange("devzero", rep, "parent: sees only zero bytes\n"),
	}
	return &Plan{Body: b, After: func(status int) error {
		defer rep.free()
		truncErr := syscall.Errno(rep.get32(repTruncErr))
		if truncErr != unix.EINVAL {
			return fmt.Errorf("ftruncate(/dev/zero, %d): %s, want EINVAL (or the body never got there: status %d)", devzeroTruncate, errnoText(truncErr), status)
		}
		fmt.Fprintf(env.Out, "ftruncate(/dev/zero, %d) failed with EINVAL: the notes' program exits there; this one went on\n", devzeroTruncate)
		if status != 0 {
			return statusError(status)
		}
		seen, err := rep.exchanged(len(childMessage))
		if err != nil {
			return err
		}
		fmt.Fprintf(env.Out, "after the child exited, the parent's mapping of /dev/zero held %s\n", describeBytes(seen))
		if !bytes.Equal(seen, childMessage) {
			return fmt.Errorf("the parent saw %q, want %q", seen, childMessage)
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
	b := &devzeroVerbatimBody{
		path:        path,
		text:        writeText,
		truncEINVAL: message("ftruncate error: Invalid argument"),
		truncOther:  []byte("ftruncate error: errno "),
		complaint:   newComplaint(),
		errOpen:     message("open error: cannot open /dev/zero"),
		errMmap:     message("mmap error"),
		errMunmap:   message("munmap error"),
		rep:         rep,
	}
	return &Plan{Body: b, After: func(status int) error {
		defer rep.free()
		truncErr := syscall.Errno(rep.get32(repTruncErr))
		if truncErr != unix.EINVAL || status != 1 {
			return fmt.Errorf("the notes' program was to exit with status 1 at ftruncate(/dev/zero, %d), failing with EINVAL; ftruncate: %s, status %d",
				devzeroTruncate, errnoText(truncErr), status)
		}
		fmt.Fprintf(env.Out, "as the notes wrote it: ftruncate(/dev/zero, %d) failed with EINVAL, and the program exited with status 1: it never mapped /dev/zero\n", devzeroTruncate)
		fmt.Fprintf(env.Out, "without --verbatim, devzero makes the same call, goes on, and shares the mapping with a child\n")
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
