//go:build linux

package rawchild

import (
	"fmt"
	"syscall"

	"golang.org/x/sys/unix"
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
	// NullOutput points the child's stdout and stderr at /dev/null
	// before it stops itself: a scenario's lines then reach the screen
	// only through the tracer, which reads them at each write
	// (tracer.Config.Messages), in their place in the timeline, and not
	// a second time, out of order, straight from the process.
	NullOutput bool

	// cred, when set, is the user the child becomes before anything
	// else: see SetCredential.
	cred   bool
	uid    uintptr
	gid    uintptr
	groups []uint32

	// seccomp, when set, is installed (with no_new_privs) after the
	// self-stop, just before exec or Body: see SetSeccomp.
	seccomp []unix.SockFilter
	fprog   unix.SockFprog

	// Exactly one of the exec fields and Body is set.
	path *byte
	argv []*byte // NUL-terminated
	envp []*byte // NUL-terminated
	Body Body

	ppid int
}

// Execs says whether the child execs a program (SetExec), rather than
// running a Body. Such a child, once it has stopped itself, ends only by
// its exec or, if the exec fails, by exiting with the execve's errno as
// its status.
func (s *Spec) Execs() bool { return s.path != nil }

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

// SetSeccomp makes the child install filter as its seccomp program before
// it execs or runs its body. The kernel requires no_new_privs for an
// unprivileged filter, so the child sets it: a setuid program then runs
// without its privileges, as under strace --seccomp-bpf. The filter is
// inherited by every process and thread the child creates.
func (s *Spec) SetSeccomp(filter []unix.SockFilter) {
	s.seccomp = filter
	s.fprog = unix.SockFprog{}
	if len(filter) > 0 {
		s.fprog = unix.SockFprog{Len: uint16(len(filter)), Filter: &filter[0]}
	}
}

// SetCredential makes the child run as uid, with gid and the supplementary
// groups (strace -u USER): it sets them first thing after the fork, before
// it asks to die with its parent (a change of credentials clears that) and
// before it stops for the tracer, so none of these calls is traced. Only a
// privileged mmtrace can do that; a child whose change fails exits 126
// before it is traced.
func (s *Spec) SetCredential(uid, gid uint32, groups []uint32) {
	s.cred = true
	s.uid, s.gid = uintptr(uid), uintptr(gid)
	s.groups = groups
}
