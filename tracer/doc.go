// Package tracer is mmtrace's engine: it starts a program or a scenario body
// as a traced child, follows it and every process and thread it creates,
// pairs each thread's syscall entries with their exits, decodes the calls
// that are shown, and delivers them as Events to sinks (the renderers).
//
// # Threading
//
// A tracer runs on one goroutine locked to one OS thread for the whole
// trace: the kernel accepts ptrace requests for a tracee only from the
// thread that attached it, and reports its stops only to that thread's
// wait. That goroutine never unlocks: when the trace ends its thread exits,
// which (with PTRACE_O_EXITKILL and PR_SET_PDEATHSIG) takes any tracee
// still alive with it. Sinks are called on that goroutine.
//
// # Stops handled
//
//   - syscall entry and exit (PTRACE_GET_SYSCALL_INFO says which; on older
//     kernels the tracer alternates per thread). Another thread's stops may
//     come between one thread's entry and exit: that is strace's
//     "unfinished ... resumed", and the renderer shows it.
//   - fork, vfork and clone events. The new tracee's first stop may come
//     before its parent's event; whichever comes first registers it.
//   - exec: PTRACE_EVENT_EXEC. When a non-leader thread execs, the kernel
//     gives it the leader's tid and the old leader vanishes unreported.
//   - signal-delivery-stop: the signal is reported and passed on, never
//     swallowed (but the SIGCONT the tracer itself sent at start).
//   - group-stop (PTRACE_EVENT_STOP with a stop signal): the tracee is left
//     stopped with PTRACE_LISTEN until a SIGCONT.
//   - exits, normal and by signal, per thread.
//   - with Config.Messages, write and writev to fds 1 and 2 (message.go):
//     the line is read from the tracee's memory at the entry (or seccomp)
//     stop and delivered as a Message; the call is not shown.
//
// # Serial runs
//
// With Config.Serial (--stable) the loop lets one tracee run at a time, in
// a fixed order, so that the events come in the same order every run: see
// serial.go.
package tracer
