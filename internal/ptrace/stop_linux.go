//go:build linux

package ptrace

import (
	"syscall"

	"golang.org/x/sys/unix"
)

// StopKind sorts what a wait status reports about a tracee.
type StopKind uint8

// The kinds of report a tracer gets from wait.
const (
	// Exited: the thread is gone, by exit or by signal.
	Exited StopKind = iota
	// SyscallStop: syscall entry or exit (SIGTRAP|0x80 with TRACESYSGOOD).
	SyscallStop
	// EventStop: a ptrace event (fork, vfork, clone, exec, vfork-done,
	// exit, seccomp), in Event.
	EventStop
	// GroupStop: a seized tracee in group-stop (PTRACE_EVENT_STOP with a
	// stopping signal).
	GroupStop
	// InterruptStop: PTRACE_EVENT_STOP with SIGTRAP: the first stop of an
	// auto-attached child, or the answer to PTRACE_INTERRUPT.
	InterruptStop
	// SignalStop: signal-delivery-stop; the signal must be passed on when
	// the tracee is restarted, or it is lost.
	SignalStop
)

// Stop is one decoded wait status.
type Stop struct {
	Kind   StopKind
	Signal syscall.Signal // SignalStop, GroupStop; the killing signal for Exited
	Event  int            // PTRACE_EVENT_* for EventStop
	Status unix.WaitStatus
}

// Classify decodes a wait status of a seized tracee with TRACESYSGOOD.
func Classify(ws unix.WaitStatus) Stop {
	s := Stop{Status: ws}
	switch {
	case ws.Exited():
		s.Kind = Exited
	case ws.Signaled():
		s.Kind = Exited
		s.Signal = ws.Signal()
	case ws.Stopped():
		sig := ws.StopSignal()
		// The event sits above the stop signal (status>>16); x/sys's
		// TrapCause reads it only when the signal is SIGTRAP, and a
		// group-stop's PTRACE_EVENT_STOP comes with SIGSTOP and friends.
		ev := int(uint32(ws)>>16) & 0xff
		switch {
		case sig == unix.SIGTRAP|0x80:
			s.Kind = SyscallStop
		case ev == unix.PTRACE_EVENT_STOP:
			// A seized tracee reports group-stop as PTRACE_EVENT_STOP with
			// the stopping signal, and its other event stops with SIGTRAP.
			switch sig {
			case unix.SIGSTOP, unix.SIGTSTP, unix.SIGTTIN, unix.SIGTTOU:
				s.Kind = GroupStop
				s.Signal = sig
			default:
				s.Kind = InterruptStop
			}
		case ev > 0:
			s.Kind = EventStop
			s.Event = ev
		default:
			s.Kind = SignalStop
			s.Signal = sig
		}
	}
	return s
}
