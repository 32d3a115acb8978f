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
		Name:    "anon",
		Summary: "parent and child share an anonymous mapping (MAP_SHARED|MAP_ANONYMOUS, fd -1): no file",
		Lesson: `fork-shared needs a file only to have something to map. MAP_ANONYMOUS asks
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
	}
}

func (s *anonScenario) Flags(fs *pflag.FlagSet) {
	s.verbatim = false
	fs.BoolVar(&s.verbatim, "verbatim", false, "map the notes' length as written: 4 bytes, for a 20-byte message")
}

func (s *anonScenario) Plan(env *Env, args []string) (*Plan, error) {
	if len(args) > 0 {
		return nil, usagef("anon takes no arguments, got %d", len(args))
	}
	rep, err := newReport()
	if err != nil {
		return nil, err
	}
	size := len(childMessage)
	if s.verbatim {
		size = anonNotesLength
	}
	b := &anonBody{
		size:      uintptr(size),
		errMmap:   message("anon: mmap error"),
		errMunmap: message("anon: munmap error"),
		x:         newExchange("anon", rep, "parent: sees only zero bytes\n"),
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
		if s.verbatim {
			fmt.Fprintf(env.Out, "as the notes wrote it: a %d-byte mapping; the kernel made it a whole page, and the child's %d bytes fit in it\n",
				anonNotesLength, len(childMessage))
		}
		fmt.Fprintf(env.Out, "after the child exited, the parent's anonymous mapping held %s\n", describeBytes(seen))
		if !bytes.Equal(seen, childMessage) {
			return fmt.Errorf("the parent saw %q, want %q", seen, childMessage)
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
