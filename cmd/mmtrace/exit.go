package main

import (
	"errors"
	"fmt"
)

// Exit statuses, in one place. Besides these, mmtrace exits with the traced
// program's own status, or 128+signal when a signal killed it.
const (
	exitOK = 0
	// exitFailed: a scenario's input was refused or its outcome was
	// wrong; attach was refused the process (tracer.RefusedError).
	exitFailed = 1
	// exitUsage: bad flags or arguments. Go's runtime exits with 2 too
	// when it cannot start or grow (an address-space limit, no thread
	// left): it calls exit(2) itself, mostly before main, so there is no
	// changing that; its "fatal error:" and stack tell it apart.
	exitUsage = 2
	// exitInternal: mmtrace itself failed (as env and timeout use 125),
	// a failed write to an output included.
	exitInternal = 125
	// exitCannotRun: the command exists but cannot be executed.
	exitCannotRun = 126
	// exitNotFound: no such command.
	exitNotFound = 127
	// exitPipe: an output's reader closed it (128+SIGPIPE, as a shell
	// reports a program SIGPIPE killed); the trace stopped.
	exitPipe = 141
)

// usageError is a mistake on the command line.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usageErrorf(format string, args ...any) error {
	return &usageError{fmt.Sprintf(format, args...)}
}

// statusError carries an exit status without a message of mmtrace's own:
// the traced program's status, or a code whose reason was already printed.
type statusError struct {
	code int
	msg  string
}

func (e *statusError) Error() string { return e.msg }

func exitCode(err error) int {
	var ue *usageError
	var se *statusError
	switch {
	case err == nil:
		return exitOK
	case errors.As(err, &ue):
		return exitUsage
	case errors.As(err, &se):
		return se.code
	}
	return exitInternal
}
