//go:build linux

package rawchild

import (
	"syscall"
	"unsafe"

	"golang.org/x/sys/unix"
)

// Signal sets and the SIG_DFL action live in package variables, prepared
// before any fork, so the child only reads them.
var (
	allSignals uint64 = ^uint64(0)
	noSignals  uint64
	// dflAction is a kernel struct sigaction of all zeroes: handler
	// SIG_DFL, no flags, empty mask; big enough for amd64 and arm64.
	dflAction [4]uint64
)

// sigsetSize is the kernel's sigset_t size on 64-bit Linux (_NSIG/8).
const sigsetSize = 8

// Start forks a child that runs s, and returns its pid in the parent. The
// calling goroutine must be locked to its OS thread for the child's whole
// life: the child is killed (PR_SET_PDEATHSIG) when that thread exits, and
// a tracer must attach it from that thread.
func Start(s *Spec) (int, error) {
	if (s.path == nil) == (s.Body == nil) {
		return 0, syscall.EINVAL
	}
	s.ppid = syscall.Getpid()
	growStack(0)
	// No call with a stack check between growStack and forkChild: the
	// goroutine cannot reach a safe point where its stack would shrink.
	pid, errno := forkChild(s)
	if errno != 0 {
		return 0, &osError{"clone", errno}
	}
	return pid, nil
}

type osError struct {
	call string
	err  syscall.Errno
}

func (e *osError) Error() string { return e.call + ": " + e.err.Error() }
func (e *osError) Unwrap() error { return e.err }

// growStack makes sure the goroutine's stack has stackReserve bytes free
// below the caller's frame, so the nosplit code of the child (which cannot
// grow the stack) has room for a body's calls.
//
//go:noinline
func growStack(i int) byte {
	var pad [stackReserve]byte
	pad[i] = 1
	return pad[(i+1)%len(pad)]
}

// stackReserve is the stack guaranteed to the child's code.
const stackReserve = 32 << 10

// forkChild clones the calling thread's process with signals blocked. In
// the child it never returns.
//
//go:nosplit
//go:norace
func forkChild(s *Spec) (int, syscall.Errno) {
	var old uint64
	rawSyscall(unix.SYS_RT_SIGPROCMASK, unix.SIG_SETMASK, uintptr(unsafe.Pointer(&allSignals)),
		uintptr(unsafe.Pointer(&old)), sigsetSize, 0, 0)
	pid, _, errno := syscall.RawSyscall6(unix.SYS_CLONE, uintptr(unix.SIGCHLD), 0, 0, 0, 0, 0)
	if errno != 0 || pid != 0 {
		rawSyscall(unix.SYS_RT_SIGPROCMASK, unix.SIG_SETMASK, uintptr(unsafe.Pointer(&old)), 0, sigsetSize, 0, 0)
		return int(pid), errno
	}
	child(s)
	return 0, 0
}

// child prepares the new process and runs exec or the body. It never
// returns.
//
//go:nosplit
//go:norace
func child(s *Spec) {
	// Go's handlers must not run here: back to the C defaults, then
	// unblock, so a SIGBUS kills the child as it would a C program.
	for sig := uintptr(1); sig <= 64; sig++ {
		if sig == uintptr(unix.SIGKILL) || sig == uintptr(unix.SIGSTOP) {
			continue
		}
		rawSyscall(unix.SYS_RT_SIGACTION, sig, uintptr(unsafe.Pointer(&dflAction)), 0, sigsetSize, 0, 0)
	}
	rawSyscall(unix.SYS_RT_SIGPROCMASK, unix.SIG_SETMASK, uintptr(unsafe.Pointer(&noSignals)), 0, sigsetSize, 0, 0)

	if s.cred && setCredential(s) != 0 {
		Exit(exitCredential)
	}

	// Die with the tracer's thread; if it is already gone, do not run.
	rawSyscall(unix.SYS_PRCTL, unix.PR_SET_PDEATHSIG, uintptr(unix.SIGKILL), 0, 0, 0, 0)
	if ppid, _ := rawSyscall(unix.SYS_GETPPID, 0, 0, 0, 0, 0, 0); int(ppid) != s.ppid {
		Exit(127)
	}
	if s.NoASLR {
		cur, e := rawSyscall(unix.SYS_PERSONALITY, 0xffffffff, 0, 0, 0, 0, 0)
		if e == 0 {
			rawSyscall(unix.SYS_PERSONALITY, cur|addrNoRandomize, 0, 0, 0, 0, 0)
		}
	}
	if s.CloseFrom > 0 {
		closeFrom(s.CloseFrom)
	}
	if s.NullOutput {
		nullOutput()
	}
	if s.StopSelf {
		pid, _ := rawSyscall(unix.SYS_GETPID, 0, 0, 0, 0, 0, 0)
		rawSyscall(unix.SYS_KILL, pid, uintptr(unix.SIGSTOP), 0, 0, 0, 0)
		if s.path != nil {
			// Seized now, with EXITKILL: that ends the program with its
			// tracer. The death signal would outlive the exec, and the
			// program would see one it did not set (PR_GET_PDEATHSIG)
			// where untraced, or under strace, it sees none.
			rawSyscall(unix.SYS_PRCTL, unix.PR_SET_PDEATHSIG, 0, 0, 0, 0, 0)
		}
	}
	if s.fprog.Len > 0 {
		// The tracer sees these two calls (it has seized the child by
		// now) and learns from seccomp's result whether the filter is on.
		rawSyscall(unix.SYS_PRCTL, unix.PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0, 0)
		rawSyscall(unix.SYS_SECCOMP, unix.SECCOMP_SET_MODE_FILTER, 0, uintptr(unsafe.Pointer(&s.fprog)), 0, 0, 0)
	}
	if s.path != nil {
		_, e := rawSyscall(unix.SYS_EXECVE, uintptr(unsafe.Pointer(s.path)),
			uintptr(unsafe.Pointer(&s.argv[0])), uintptr(unsafe.Pointer(&s.envp[0])), 0, 0, 0)
		// The exit status says why: the errno (1 to 133), which the
		// tracer reads whether or not its filter showed the execve (see
		// Spec.Execs), and turns into a shell's 126 or 127.
		Exit(int(e))
	}
	s.Body.Run()
	Exit(0)
}

// exitCredential is the child's exit status when it cannot become the
// user SetCredential asked for: 126, as a shell's "cannot execute".
const exitCredential = 126

// setCredential sets the groups, then the group, then the user (in that
// order: after setuid the process may no longer change the others). The
// raw calls set every thread's credentials, and the child has one thread.
//
//go:nosplit
//go:norace
func setCredential(s *Spec) syscall.Errno {
	var groups uintptr
	if len(s.groups) > 0 {
		groups = uintptr(unsafe.Pointer(&s.groups[0]))
	}
	if _, e := rawSyscall(unix.SYS_SETGROUPS, uintptr(len(s.groups)), groups, 0, 0, 0, 0); e != 0 {
		return e
	}
	if _, e := rawSyscall(unix.SYS_SETRESGID, s.gid, s.gid, s.gid, 0, 0, 0); e != 0 {
		return e
	}
	if _, e := rawSyscall(unix.SYS_SETRESUID, s.uid, s.uid, s.uid, 0, 0, 0); e != 0 {
		return e
	}
	return 0
}

// closeFrom closes every fd >= from.
//
//go:nosplit
//go:norace
func closeFrom(from int) {
	if _, e := rawSyscall(unix.SYS_CLOSE_RANGE, uintptr(from), ^uintptr(0)>>32, 0, 0, 0, 0); e == 0 {
		return
	}
	// Kernels before 5.9: close what is likely open.
	for fd := from; fd < 4096; fd++ {
		rawSyscall(unix.SYS_CLOSE, uintptr(fd), 0, 0, 0, 0, 0)
	}
}

// devNull is "/dev/null", NUL-terminated, for nullOutput.
var devNull = [...]byte{'/', 'd', 'e', 'v', '/', 'n', 'u', 'l', 'l', 0}

// nullOutput points fds 1 and 2 at /dev/null. Where /dev/null cannot be
// opened they stay as they are: the lines then show twice, never not at
// all.
//
//go:nosplit
//go:norace
func nullOutput() {
	fd, e := rawSyscall(unix.SYS_OPENAT, uintptr(atFDCWD), uintptr(unsafe.Pointer(&devNull[0])), unix.O_WRONLY, 0, 0, 0)
	if e != 0 {
		return
	}
	for _, to := range [2]uintptr{1, 2} {
		if fd != to {
			rawSyscall(unix.SYS_DUP3, fd, to, 0, 0, 0, 0)
		}
	}
	if fd > 2 {
		rawSyscall(unix.SYS_CLOSE, fd, 0, 0, 0, 0, 0)
	}
}

// rawSyscall is syscall.RawSyscall6 with one result and the errno.
//
//go:nosplit
//go:norace
func rawSyscall(trap, a1, a2, a3, a4, a5, a6 uintptr) (uintptr, syscall.Errno) {
	r, _, e := syscall.RawSyscall6(trap, a1, a2, a3, a4, a5, a6)
	return r, e
}

// addrNoRandomize is ADDR_NO_RANDOMIZE from <linux/personality.h>.
const addrNoRandomize = 0x0040000
