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
			Name:    "fork-shared",
			Args:    "[FILE]",
			Summary: "parent and child share a file mapping (MAP_SHARED): the parent sees the child's store",
			Lesson: `A process creates a file, sizes it with ftruncate, maps it with MAP_SHARED
and forks. The child inherits the mapping: both processes now reach the same
page of the file. The child stores a message through the pointer and exits;
the parent waits for it with wait4 and prints what its own mapping holds: the
child's message. The store also reached the file, with no write() call.
FILE defaults to fork.txt in a fresh temporary directory.`,
		}
	}
	return Info{
		Name:    "fork-private",
		Args:    "[FILE]",
		Summary: "parent and child map a file with MAP_PRIVATE: the child's store stays its own (copy-on-write)",
		Lesson: `The same program as fork-shared, with MAP_PRIVATE. After the fork the two
processes still read the same page, but the first store copies it: the child
writes into its own copy (copy-on-write), which dies with it. The parent, after
wait4, sees only the zero bytes ftruncate gave the file, and the file itself is
unchanged: a private mapping never writes back.
FILE defaults to fork.txt in a fresh temporary directory.`,
	}
}

func (forkScenario) Flags(*pflag.FlagSet) {}

// childMessage is what the child stores in every sharing lesson; the
// mapping is exactly as long.
var childMessage = []byte("hello from the child")

func (s forkScenario) Plan(env *Env, args []string) (*Plan, error) {
	name := s.Info().Name
	if len(args) > 1 {
		return nil, usagef("%s takes at most one FILE, got %d arguments", name, len(args))
	}
	path := filepath.Join(env.Dir, "fork.txt")
	if len(args) == 1 {
		path = args[0]
		if st, err := os.Stat(path); err == nil && st.IsDir() {
			return nil, usagef("%s is a directory: name a file to map", path)
		}
	}
	cpath, err := cstring(path)
	if err != nil {
		return nil, err
	}
	rep, err := newReport()
	if err != nil {
		return nil, err
	}
	flags, nothing := unix.MAP_SHARED, "parent: sees only zero bytes\n"
	if !s.shared {
		flags = unix.MAP_PRIVATE
		nothing = "parent: sees only zero bytes: the child's store went to the child's own copy of the page\n"
	}
	b := &forkBody{
		path:      cpath,
		flags:     flags,
		errOpen:   message(name + ": open error: cannot create " + escape.String(path)),
		errTrunc:  message(name + ": ftruncate error"),
		errMmap:   message(name + ": mmap error"),
		errMunmap: message(name + ": munmap error"),
		x:         newExchange(name, rep, nothing),
	}
	return &Plan{Body: b, After: func(status int) error {
		defer rep.free()
		if status != 0 {
			return statusError(status)
		}
		seen, err := rep.exchanged(len(childMessage))
		if err != nil {
			return err
		}
		file, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		fmt.Fprintf(env.Out, "after the child exited, the parent's mapping held %s\n", describeBytes(seen))
		fmt.Fprintf(env.Out, "%s holds %s\n", escape.String(path), describeBytes(file))
		want := childMessage
		if !s.shared {
			want = make([]byte, len(childMessage))
		}
		if !bytes.Equal(seen, want) {
			return fmt.Errorf("the parent saw %q, want %q", seen, want)
		}
		if !bytes.Equal(file, want) {
			return fmt.Errorf("%s holds %q, want %q", path, file, want)
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

func newExchange(name string, rep report, nothing string) exchange {
	return exchange{
		msg:       childMessage,
		childSays: []byte(fmt.Sprintf("child: stored %q through the mapping\n", childMessage)),
		sees:      []byte(`parent: sees "`),
		seesEnd:   []byte("\"\n"),
		nothing:   []byte(nothing),
		errFork:   message(name + ": fork error"),
		errWait:   message(name + ": wait4 error"),
		errChild:  message(name + ": the child did not exit with status 0"),
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

func newComplaint() complaint {
	return complaint{
		succeeded:  []byte(" succeeded\n"),
		failedWith: []byte(" failed with errno "),
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

func newReport() (report, error) {
	b, err := unix.Mmap(-1, 0, os.Getpagesize(), unix.PROT_READ|unix.PROT_WRITE, unix.MAP_SHARED|unix.MAP_ANONYMOUS)
	if err != nil {
		return report{}, fmt.Errorf("report page: %w", os.NewSyscallError("mmap", err))
	}
	return report{b}, nil
}

// free unmaps the page; After calls it when it is done.
func (r report) free() { unix.Munmap(r.b) }

// get32 reads what put32 wrote.
func (r report) get32(off int) uint32 { return binary.LittleEndian.Uint32(r.b[off:]) }

// exchanged returns the n bytes the parent of an exchange saw.
func (r report) exchanged(n int) ([]byte, error) {
	if r.b[repDone] != 1 {
		return nil, fmt.Errorf("the parent never looked at its mapping")
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
func describeBytes(b []byte) string {
	if len(bytes.Trim(b, "\x00")) == 0 {
		return quantity(len(b), "zero byte", "zero bytes")
	}
	return fmt.Sprintf("%s: %q", quantity(len(b), "byte", "bytes"), b)
}

// errnoText names an errno as strace does: 0 is success.
func errnoText(e syscall.Errno) string {
	if e == 0 {
		return "success"
	}
	if n := unix.ErrnoName(e); n != "" {
		return n
	}
	return fmt.Sprintf("errno %d", int(e))
}
