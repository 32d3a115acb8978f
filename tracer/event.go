package tracer

import (
	"syscall"
	"time"

	"github.com/mmtrace/mmtrace/tracer/sys"
)

// Kind says what an Event reports.
type Kind uint8

// The events a trace delivers, in the order the kernel reported them.
const (
	// CallEnter: a shown call has entered the kernel. Call holds the
	// arguments known at entry.
	CallEnter Kind = iota
	// CallExit: the same call has returned; Call is complete.
	CallExit
	// Signal: a signal is being delivered (signal-delivery-stop); it is
	// passed on to the tracee unchanged.
	Signal
	// Stopped: the process entered group-stop (SIGSTOP, SIGTSTP, ...).
	Stopped
	// Spawn: Tid created Child, a new process or (Thread) a new thread.
	Spawn
	// Exit: the thread is gone; ExitCode or KilledBy says how. Call is the
	// call it was in, if any, which will never return.
	Exit
	// Superseded: a non-leader thread called execve and took over the
	// leader's id (Pid); OldTid no longer exists.
	Superseded
	// Message: a line of text that is part of the story, in its place:
	// one the process wrote to its stdout (FD 1) or stderr (FD 2), with
	// Config.Messages, delivered at the write; or, with Pid 0 and FD 0,
	// one of mmtrace's own (a scenario's report on its outcome),
	// delivered after the trace by whoever ran it. Text is the line,
	// without its newline, escaped (see internal/escape.Message).
	Message
	// Detached: the tracer let the thread's process go, and it runs on
	// untraced (Config.DetachOnExec: it execed a new program; ThreadsOnly:
	// it is a new process, let go at its first stop). Call is the
	// call it was in, which is not seen to return. Nothing more of the
	// process is reported.
	Detached
)

// Event is one thing that happened in the traced processes.
type Event struct {
	Kind Kind
	// Time since the trace started.
	Time time.Duration
	// Pid is the process (thread group) id; Tid the thread.
	Pid, Tid int

	Call *sys.Call

	// Signal, Stopped, Exit (KilledBy).
	Signal  syscall.Signal
	Siginfo sys.Siginfo

	// Exit.
	ExitCode   int
	KilledBy   syscall.Signal
	CoreDumped bool
	// Leader is set on Exit when the thread was its process's last.
	Leader bool

	// Spawn.
	Child  int
	Thread bool

	// Superseded.
	OldTid int

	// Message.
	Text string
	FD   int

	// Notes are lines to show under the event: explanations, page faults,
	// the address-space table. Sinks placed before the renderers add them
	// (see tracer/explain); renderers print them.
	Notes []string
}

// KeepsNoCalls is implemented by a sink that keeps neither a *sys.Call
// nor the slice its ArgsText returns once the event that ends the call
// has returned: its CallExit, or the Exit of its thread (exit_group) (it copies what it keeps: the strings, the numbers).
// When every sink of a trace says so, the tracer reuses the record for a
// later call: a call record was most of what mmtrace allocated per call.
type KeepsNoCalls interface {
	KeepsNoCalls()
}

// Sink receives the events of a trace. Renderers are sinks. Event is
// called on the tracer's goroutine; the event and its Call are valid
// only until Event returns, except that a Call stays the same pointer
// from CallEnter to CallExit.
type Sink interface {
	Event(e *Event)
	// Flush is called when the tracer is about to block waiting for the
	// tracees, and at the end: buffered output goes out then.
	Flush() error
}
