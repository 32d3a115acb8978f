// Package scenarios holds the exercises of the mmap course notes, each as a
// program mmtrace runs as a traced child.
//
// A scenario has two parts. Its plan is ordinary Go: it parses the
// arguments, checks the inputs, creates files and prepares every path and
// buffer the child will need. Its body runs in a raw-forked child (see
// internal/rawchild for the rules) and makes only raw system calls, so the
// timeline shows the scenario's own calls, as the notes' C program would
// make them, and nothing of the Go runtime. Forks inside a body are raw
// forks too, so children inherit mappings exactly as in C.
//
// This package does not depend on the tracer: the command line runs a
// plan's body under it and hands the outcome back to the plan.
package scenarios

import (
	"fmt"
	"io"
	"sort"
	"syscall"

	"github.com/spf13/pflag"

	"github.com/mmtrace/mmtrace/internal/rawchild"
)

// Scenario is one exercise.
type Scenario interface {
	// Info describes the scenario for list and --help.
	Info() Info
	// Flags registers the scenario's own flags.
	Flags(fs *pflag.FlagSet)
	// Plan prepares a run from the positional arguments.
	Plan(env *Env, args []string) (*Plan, error)
}

// Info describes a scenario.
type Info struct {
	Name string
	// Args is the synopsis of the positional arguments, e.g. "[FILE]".
	Args string
	// Summary is one line for mmtrace list.
	Summary string
	// Lesson says, in a paragraph, what the scenario teaches.
	Lesson string
}

// Env is what the command line gives a plan.
type Env struct {
	// Dir is a fresh directory for the scenario's files, removed after
	// the run unless the user keeps it.
	Dir string
	// Out receives the plan's own messages (what the lesson's outcome
	// was), after the timeline.
	Out io.Writer
	// CacheDir, when set, is mmtrace's directory in the user's cache
	// (os.UserCacheDir()/mmtrace): what is costly to make and the same
	// every run, such as copy's generated sample, is kept there. Empty:
	// such files are made in Dir for the run.
	CacheDir string
}

// Plan is a prepared run.
type Plan struct {
	// Body runs in the traced child.
	Body rawchild.Body
	// CloseFrom is passed to the child: fds from it up are closed before
	// the body runs, so its first open returns 3 as in the C program.
	// Plans leave it at the default, 3.
	CloseFrom int
	// Trace names calls the timeline shows besides the lesson's default
	// set, when the user did not choose the calls (-e, -a): the calls a
	// lesson is about that the default leaves out (write, lseek).
	Trace []string
	// Progress, when set, says how far a long run has got, for a progress
	// line while it runs: units done and the total. It is read from the
	// plan's own memory (a page the body's processes write), never from
	// the tracer, and may be called from any goroutine.
	Progress func() (done, total int64)
	// After runs when every process of the body is gone, with the first
	// process's exit status (128+N if signal N killed it). It checks and
	// reports the outcome; an error fails the run.
	After func(status int) error
	// Cleanup, when set, removes what the plan made outside Dir (copy's
	// directory beside DST, where the copy is written). The command line defers it, so it runs
	// whether or not After did: after a failed trace, a closed output, an
	// interrupt. It may be called more than once.
	Cleanup func()
}

// Spec returns the child specification for the plan's body.
func (p *Plan) Spec() *rawchild.Spec {
	closeFrom := p.CloseFrom
	if closeFrom == 0 {
		closeFrom = 3
	}
	return &rawchild.Spec{Body: p.Body, CloseFrom: closeFrom}
}

var registry = map[string]Scenario{}

// register adds a scenario; each scenario's file calls it from init.
func register(s Scenario) {
	name := s.Info().Name
	if _, dup := registry[name]; dup {
		panic("scenarios: duplicate name " + name)
	}
	registry[name] = s
}

// All returns every scenario, by name.
func All() []Scenario {
	out := make([]Scenario, 0, len(registry))
	for _, s := range registry {
		out = append(out, s)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Info().Name < out[j].Info().Name })
	return out
}

// Lookup returns the scenario called name.
func Lookup(name string) (Scenario, bool) {
	s, ok := registry[name]
	return s, ok
}

// UsageError is an argument mistake, reported with exit status 2.
type UsageError struct{ Msg string }

func (e *UsageError) Error() string { return e.Msg }

func usagef(format string, args ...any) error {
	return &UsageError{fmt.Sprintf(format, args...)}
}

// cstring returns s as a NUL-terminated byte string for a raw call.
func cstring(s string) (*byte, error) {
	p, err := syscall.BytePtrFromString(s)
	if err != nil {
		return nil, usagef("%q: a path cannot contain a NUL byte", s)
	}
	return p, nil
}

// quantity says "1 page" or "2 pages".
func quantity[N int | int64 | uint32 | uint64](n N, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// message prepares a line the body writes to stderr when a call fails, as
// the notes' perror() calls do.
func message(s string) []byte { return []byte(s + "\n") }

// statusError says how the body ended when it did not end well.
func statusError(status int) error {
	if status > 128 {
		return fmt.Errorf("the scenario's process was killed by signal %d", status-128)
	}
	return fmt.Errorf("the scenario's process exited with status %d", status)
}
