//go:build linux

package ptrace

import (
	"os"
	"syscall"

	"golang.org/x/sys/unix"
)

// Options are set on every tracee at seize time; auto-attached children
// inherit them.
//
//   - TRACESYSGOOD marks syscall stops as SIGTRAP|0x80.
//   - TRACEFORK, TRACEVFORK, TRACECLONE follow new processes and threads
//     from their first instruction.
//   - TRACEEXEC reports a successful execve as PTRACE_EVENT_EXEC, after
//     the kernel has already killed the caller's other threads (see
//     EventExec in the tracer for the tid change).
//   - EXITKILL sends SIGKILL to every tracee if the tracer exits, so a
//     killed mmtrace never leaves a tracee stopped or running on.
const Options = unix.PTRACE_O_TRACESYSGOOD |
	unix.PTRACE_O_TRACEFORK |
	unix.PTRACE_O_TRACEVFORK |
	unix.PTRACE_O_TRACECLONE |
	unix.PTRACE_O_TRACEEXEC |
	unix.PTRACE_O_EXITKILL

func ptrace(req int, tid int, addr, data uintptr) error {
	_, _, e := unix.Syscall6(unix.SYS_PTRACE, uintptr(req), uintptr(tid), addr, data, 0, 0)
	if e != 0 {
		return e
	}
	return nil
}

func wrap(name string, err error) error {
	if err == nil {
		return nil
	}
	return os.NewSyscallError("ptrace("+name+")", err)
}

// Seize attaches to tid without stopping it and sets opts.
func Seize(tid int, opts int) error {
	return wrap("PTRACE_SEIZE", ptrace(unix.PTRACE_SEIZE, tid, 0, uintptr(opts)))
}

// Syscall restarts a stopped tracee until its next syscall stop, delivering
// sig (0 for none).
func Syscall(tid int, sig syscall.Signal) error {
	return wrap("PTRACE_SYSCALL", ptrace(unix.PTRACE_SYSCALL, tid, 0, uintptr(sig)))
}

// Cont restarts a stopped tracee without syscall stops, delivering sig.
func Cont(tid int, sig syscall.Signal) error {
	return wrap("PTRACE_CONT", ptrace(unix.PTRACE_CONT, tid, 0, uintptr(sig)))
}

// Listen leaves a tracee in group-stop but lets the kernel report its end
// (SIGCONT, or death) as a new stop. Only valid for seized tracees.
func Listen(tid int) error {
	return wrap("PTRACE_LISTEN", ptrace(unix.PTRACE_LISTEN, tid, 0, 0))
}

// Interrupt stops a running seized tracee; it reports PTRACE_EVENT_STOP.
func Interrupt(tid int) error {
	return wrap("PTRACE_INTERRUPT", ptrace(unix.PTRACE_INTERRUPT, tid, 0, 0))
}

// Detach lets a stopped tracee go, delivering sig.
func Detach(tid int, sig syscall.Signal) error {
	return wrap("PTRACE_DETACH", ptrace(unix.PTRACE_DETACH, tid, 0, uintptr(sig)))
}

// EventMsg returns the message of the last ptrace event: the new tid for
// fork/vfork/clone, the former tid for exec, the wait status for exit.
func EventMsg(tid int) (uint64, error) {
	msg, err := unix.PtraceGetEventMsg(tid)
	return uint64(msg), wrap("PTRACE_GETEVENTMSG", err)
}

// WaitWakeable is Wait, but returns tid 0 and no error when the wait was
// interrupted by a signal (Wake): the caller looks at what the waker
// wanted, and waits again.
func WaitWakeable(status *unix.WaitStatus) (int, error) {
	tid, err := unix.Wait4(-1, status, unix.WALL|unix.WNOTHREAD, nil)
	if err == unix.EINTR {
		return 0, nil
	}
	if err != nil {
		return tid, os.NewSyscallError("wait4", err)
	}
	return tid, nil
}

// Wait waits for a stop or exit of any tracee attached by the calling
// thread. The rusage is not collected: the tracer reads faults from /proc
// where it needs them.
func Wait(status *unix.WaitStatus) (int, error) {
	for {
		tid, err := unix.Wait4(-1, status, unix.WALL|unix.WNOTHREAD, nil)
		if err == unix.EINTR {
			continue
		}
		if err != nil {
			return tid, os.NewSyscallError("wait4", err)
		}
		return tid, nil
	}
}
