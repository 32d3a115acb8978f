// Package rawchild is the only code in mmtrace that runs in a raw-forked
// child: the start of every traced child (before exec, or before a
// scenario's body) and the raw syscall wrappers that scenario bodies use.
//
// Why raw fork: the mmap lessons depend on fork() semantics — a child
// inherits the parent's MAP_SHARED and anonymous mappings — and a re-exec'd
// Go child would fill the timeline with the Go runtime's own mmaps. So the
// scenario's processes are created with a bare clone(SIGCHLD), and run a
// copy of this Go program that must never re-enter the Go runtime.
//
// # The rules for code that runs after the fork
//
// The child has one thread, a copy of the parent's heap, and a runtime that
// believes it still has all its threads. Anything that reaches the
// scheduler, the allocator, a lock or the garbage collector can deadlock or
// corrupt the child. So, exactly as the standard library's
// syscall.forkAndExecInChild1:
//
//   - every function the child runs is //go:nosplit (no stack growth: the
//     stack cannot be copied in the child) and //go:norace;
//   - no allocation, no locks, no goroutines, no channels, no defer, no
//     panics, no interfaces converted, no maps, no fmt, no error values:
//     wrappers return syscall.Errno;
//   - no pointer stores into Go memory (a write barrier could be on while
//     the parent's GC was marking); bodies write into mappings, fds and
//     pre-allocated byte buffers only;
//   - everything the child needs (NUL-terminated paths, argv, buffers) is
//     prepared before the fork, by the plan, in ordinary Go;
//   - the child ends with exit_group, never by returning.
//
// Signals are blocked on the forking thread around the clone, so no Go
// signal handler runs in the child before it resets every handler to
// SIG_DFL: a SIGBUS then kills the child as it would a C program.
//
// No //go:linkname into the runtime (locked down since Go 1.23,
// go.dev/issue/67401): instead of the runtime's stackFork guard, Start grows
// the goroutine's stack before the fork (see growStack), so the nosplit
// chain below it has room.
package rawchild
