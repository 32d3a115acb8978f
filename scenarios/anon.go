package scenarios

import (
	"bytes"
	"fmt"

	"github.com/spf13/pflag"
	"golang.org/x/sys/unix"

	"github.com/mmtrace/mmtrace/internal/rawchild"
)

func init() { register(anonScenario{}) }

// anonScenario is the notes' anonymous mapping: shared memory between
// parent and child with no file at all.
type anonScenario struct{}

func (anonScenario) Info() Info {
	return Info{
		Name:    "anon",
		Summary: "parent and child share an anonymous mapping (MAP_SHARED|MAP_ANONYMOUS, fd -1): no file",
		Lesson: `fork-shared needs a file only to have something to map. MAP_ANONYMOUS asks
for memory with no file behind it (fd is -1, offset 0); with MAP_SHARED the
memory stays shared with every child forked afterwards. The child stores a
message and exits; the parent, after wait4, reads it from its own mapping.
Nothing is opened, sized or written to disk. MAP_ANONYMOUS is Linux's (BSDs
spell it MAP_ANON); the devzero scenario shows the older portable way.`,
	}
}

func (anonScenario) Flags(*pflag.FlagSet) {}

func (anonScenario) Plan(env *Env, args []string) (*Plan, error) {
	if len(args) > 0 {
		return nil, usagef("anon takes no arguments, got %d", len(args))
	}
	rep, err := newReport()
	if err != nil {
		return nil, err
	}
	b := &anonBody{
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
		fmt.Fprintf(env.Out, "after the child exited, the parent's anonymous mapping held %s\n", describeBytes(seen))
		if !bytes.Equal(seen, childMessage) {
			return fmt.Errorf("the parent saw %q, want %q", seen, childMessage)
		}
		return nil
	}}, nil
}

type anonBody struct {
	errMmap, errMunmap []byte
	x                  exchange
}

//go:nosplit
//go:norace
func (b *anonBody) Run() {
	size := uintptr(len(b.x.msg))
	p, e := rawchild.Mmap(0, size, unix.PROT_READ|unix.PROT_WRITE, unix.MAP_SHARED|unix.MAP_ANONYMOUS, -1, 0)
	if e != 0 {
		fail(b.errMmap)
	}
	b.x.run(p)
	if rawchild.Munmap(p, size) != 0 {
		fail(b.errMunmap)
	}
}
