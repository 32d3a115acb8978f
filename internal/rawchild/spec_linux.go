//go:build linux

package rawchild

import (
	"fmt"
	"syscall"
)

// Body is a scenario's code for a raw-forked child. Run must be a method
// marked //go:nosplit and //go:norace that follows the package rules; it is
// called through the interface in the child, so the linker cannot check
// it: the tests run every body.
type Body interface {
	Run()
}

// Spec is everything a child needs, prepared before the fork.
type Spec struct {
	// StopSelf makes the child stop itself with SIGSTOP before exec or
	// Body, so the tracer can seize it and trace it from its next call.
	StopSelf bool
	// NoASLR turns off address-space randomisation in the child
	// (personality ADDR_NO_RANDOMIZE), for timelines that repeat.
	NoASLR bool
	// CloseFrom closes every fd from this number up before Body runs, so
	// a scenario's first open returns 3 as in the C program. 0 keeps all.
	// (Exec needs none: Go opens every fd close-on-exec.)
	CloseFrom int

	// Exactly one of the exec fields and Body is set.
	path *byte
	argv []*byte // NUL-terminated
	envp []*byte // NUL-terminated
	Body Body

	ppid int
}

// SetExec makes the child execve path with argv and env.
func (s *Spec) SetExec(path string, argv, env []string) error {
	p, err := syscall.BytePtrFromString(path)
	if err != nil {
		return fmt.Errorf("exec path %q: %w", path, err)
	}
	a, err := syscall.SlicePtrFromStrings(argv)
	if err != nil {
		return fmt.Errorf("exec argument: %w", err)
	}
	e, err := syscall.SlicePtrFromStrings(env)
	if err != nil {
		return fmt.Errorf("exec environment: %w", err)
	}
	s.path, s.argv, s.envp = p, a, e
	return nil
}
