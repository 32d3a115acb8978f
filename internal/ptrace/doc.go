// Package ptrace is mmtrace's interface to the kernel's process tracer: typed
// ptrace requests over golang.org/x/sys/unix, the syscall state of a stopped
// thread (PTRACE_GET_SYSCALL_INFO, or the registers where the kernel lacks
// it), reading tracee memory, and starting a traced child.
//
// # Threading
//
// The kernel ties a tracee to the thread that attached it: every ptrace
// request and every wait for its stops must come from that one OS thread.
// Callers therefore run the whole trace on one goroutine locked with
// runtime.LockOSThread, from Start to the last Wait. Wait uses
// __WALL|__WNOTHREAD so that it reports only this thread's tracees: several
// tracers in one process (parallel tests), and children the program started
// with os/exec on other threads, never steal each other's events.
//
// # Stops
//
// Tracees are seized (PTRACE_SEIZE), never attached with PTRACE_TRACEME, so
// that group-stops are reported as PTRACE_EVENT_STOP and can be kept stopped
// with PTRACE_LISTEN, and auto-attached children inherit the same mode. With
// PTRACE_O_TRACESYSGOOD a syscall stop is SIGTRAP|0x80, told apart from a
// real SIGTRAP. Classify sorts a wait status into the stops the kernel
// reports; see StopKind.
//
// This package knows nothing of what a syscall means and renders nothing.
package ptrace
