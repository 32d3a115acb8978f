package main

import (
	"context"
	"errors"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"golang.org/x/sys/unix"

	"github.com/spf13/pflag"

	"github.com/mmtrace/mmtrace/internal/rawchild"
	"github.com/mmtrace/mmtrace/tracer"
	"github.com/mmtrace/mmtrace/tracer/explain"
)

func runCommand(args []string, stdout, stderr io.Writer) error {
	fs := pflag.NewFlagSet("run", pflag.ContinueOnError)
	fs.SetOutput(stderr)
	// The traced command's flags are its own: mmtrace run ls -l.
	fs.SetInterspersed(false)
	var tf traceFlags
	tf.register(fs)
	var rf runFlags
	rf.register(fs)
	tf.strace.register(fs) // strace's output flags: not in scenarios, whose flags are their own
	pids := fs.StringArrayP("attach", "p", nil, "attach to the running process `PID` instead of starting CMD (as strace -p; repeatable, or a list: -p 12,34)")
	l := langInArgs(args)
	setHelp(fs, stdout, "run", l, helpIn(l, "run", "Usage: mmtrace run [FLAGS] [--] CMD [ARGS...]\n       mmtrace run -p PID [FLAGS]\n\nTrace CMD and the processes it starts; exit with its status.\n"))
	if err := refuseColumns(l, args); err != nil {
		return err
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, pflag.ErrHelp) {
			return nil
		}
		if se := straceFlagError(l, err); se != err {
			return usageErrorf("run: %v", se)
		}
		return usageErrorf("run: %s", flagError(l, err))
	}
	l = tf.language()
	rf.lang = l
	argv := fs.Args()
	if fs.Changed("attach") {
		if len(argv) > 0 {
			return usageIn(l, msgRunAttachNoCommand)
		}
		if err := rf.noneFor("-p"); err != nil {
			return err
		}
		list, bad := parsePids(*pids)
		if bad != "" {
			return usageIn(l, msgRunNotPID, bad)
		}
		return attachTo(list, &tf, &rf, stderr)
	}
	if len(argv) == 0 {
		return usageIn(l, msgRunNoCommand)
	}
	cfg, err := tf.config()
	if err != nil {
		return err
	}
	if err := rf.apply(&cfg); err != nil {
		return err
	}
	rf.say(stderr)
	path, err := lookCommand(l, argv[0])
	if err != nil {
		return err
	}
	spec := &rawchild.Spec{}
	env, err := rf.environ(os.Environ())
	if err != nil {
		return err
	}
	if err := spec.SetExec(path, argv, env); err != nil {
		return usageErrorf("run: %v", err)
	}
	if err := rf.credential(spec); err != nil {
		return err
	}
	tf.title = filepath.Base(argv[0])
	p, err := tf.pipeline(cfg, stderr)
	if err != nil {
		return err
	}
	res, err := trace(cfg, spec, p)
	if cerr := p.close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	if res.ExecErr != 0 {
		code := exitCannotRun
		if res.ExecErr == syscall.ENOENT {
			code = exitNotFound
		}
		return &statusError{code, msg(l, msgCannotRun, argv[0], scenarioError(l, res.ExecErr))}
	}
	if st := res.Status(); st != 0 {
		return &statusError{code: st}
	}
	return nil
}

// lookCommand finds the program as a shell would, and says why it cannot
// run before anything is started.
func lookCommand(l explain.Lang, name string) (string, error) {
	path, err := exec.LookPath(name)
	if err == nil {
		return path, nil
	}
	if errors.Is(err, exec.ErrDot) {
		return "", &statusError{exitNotFound, msg(l, msgNotFromDot, name, name)}
	}
	if errors.Is(err, os.ErrPermission) || errors.Is(err, syscall.EACCES) {
		return "", &statusError{exitCannotRun, msg(l, msgNotExecutable, name)}
	}
	if st, serr := os.Stat(name); serr == nil && st.IsDir() {
		return "", &statusError{exitCannotRun, msg(l, msgIsDirectory, name)}
	}
	return "", &statusError{exitNotFound, msg(l, msgCommandNotFound, name)}
}

// trace runs one trace with Ctrl-C handled: the signal goes to the traced
// program, and mmtrace exits when the program is gone. The sinks are p's.
func trace(cfg tracer.Config, spec *rawchild.Spec, p *pipeline) (tracer.Result, error) {
	t := tracer.New(cfg, p.sinks...)
	return withSignals(t, p, func() (tracer.Result, error) { return t.Run(context.Background(), spec) })
}

// How long after a Ctrl-C a write may stay blocked on an output whose
// reader stopped reading (a pager, a full pipe) before mmtrace gives up
// on it: past the tracer's own two seconds of grace (Tracer.Interrupt),
// after which it has killed everything; and how long after giving up it
// waits for the trace to end before leaving (an output the runtime cannot
// unblock: mmtrace's exit then kills or detaches the tracees).
const (
	blockedGrace  = 3 * time.Second
	abandonGrace  = 2 * time.Second
	blockedSample = 250 * time.Millisecond
)

// withSignals runs a trace with mmtrace's terminating signals passed to
// the tracer (Ctrl-C ends a started program, detaches from an attached
// one), and with a way out when an output blocks the trace.
func withSignals(t *tracer.Tracer, p *pipeline, run func() (tracer.Result, error)) (tracer.Result, error) {
	sigs := make(chan os.Signal, 4)
	stop := make(chan struct{})
	defer close(stop)
	// Notify and Stop each wait on the runtime's signal thread (0.15 ms
	// and 0.1 ms here, the first including starting it): done here, off
	// the path that starts the program and ends mmtrace. A signal in the
	// moment before Notify kills mmtrace by its default action, and the
	// program with it (PR_SET_PDEATHSIG, PTRACE_O_EXITKILL).
	go func() {
		signal.Notify(sigs, syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP, syscall.SIGQUIT)
		<-stop
		signal.Stop(sigs)
	}()
	type outcome struct {
		res tracer.Result
		err error
	}
	done := make(chan outcome, 1)
	go func() {
		res, err := run()
		done <- outcome{res, err}
	}()
	var (
		first     syscall.Signal // the first terminating signal
		firstAt   time.Time
		check     <-chan time.Time
		abandonAt time.Time
	)
	for {
		select {
		case o := <-done:
			p.traceErr = o.err
			return o.res, p.traceError(o.err)
		case s := <-sigs:
			sig := s.(syscall.Signal)
			t.Interrupt(sig)
			if first == 0 {
				first, firstAt = sig, time.Now()
				tick := time.NewTicker(blockedSample)
				defer tick.Stop()
				check = tick.C
			}
		case <-check:
			switch {
			case p.abandoned == 0 && time.Since(firstAt) > blockedGrace && p.blocked(blockedGrace/2):
				p.unblock(first)
				abandonAt = time.Now()
			case p.abandoned != 0 && time.Since(abandonAt) > abandonGrace:
				// The write cannot be unblocked (stderr is a socket, or a
				// pipe mmtrace could not open afresh). Leave it blocked:
				// make sure the tracees are dead, or let exiting detach
				// them.
				if !p.attached {
					t.Interrupt(syscall.SIGKILL)
				}
				p.traceErr = errAbandoned
				return tracer.Result{}, p.abandonedError()
			}
		}
	}
}

// errAbandoned: the trace was left running, blocked on an output.
var errAbandoned = errors.New("output blocked")

// traceError says why a trace failed in the user's terms.
func (p *pipeline) traceError(err error) error {
	var refused *tracer.RefusedError
	if errors.As(err, &refused) {
		// The process asked for, not mmtrace, is the problem.
		return &statusError{exitFailed, msg(p.lang, msgCannotTrace, refused.Pid, refusalIn(p.lang, refused))}
	}
	if p.abandoned != 0 && errors.Is(err, os.ErrDeadlineExceeded) {
		return p.abandonedError()
	}
	if errors.Is(err, tracer.ErrOutput) {
		return p.outputError(err, true)
	}
	return startError(p.lang, err)
}

// abandonedError is the exit after Ctrl-C (or another signal) could end
// the trace only by giving up on a blocked output.
func (p *pipeline) abandonedError() error {
	if p.blockedOn == "stderr" || p.blockedOn == "stdout" {
		// A message would block on it too.
		return &statusError{code: 128 + int(p.abandoned)}
	}
	return &statusError{128 + int(p.abandoned), msg(p.lang, msgOutputAbandoned, p.blockedOn, unix.SignalName(p.abandoned), p.tracees())}
}

// outputError turns a failed write into the error mmtrace exits with,
// saying what became of the tracees when it stopped the trace (during),
// rather than coming after it. A closed pipe is 141, 128+SIGPIPE, what a
// shell reports for a program SIGPIPE killed, and says nothing when the
// pipe was stderr: nobody reads it any more.
func (p *pipeline) outputError(err error, during bool) error {
	if err == nil {
		return nil
	}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe // "write out.txt: no space left on device"
	}
	if p.lang == explain.ZH {
		return p.outputErrorZH(err, pe, during)
	}
	msg := err.Error()
	if during {
		msg += ": " + p.tracees()
	}
	if errors.Is(err, syscall.EPIPE) {
		if pe != nil && (pe.Path == "stderr" || pe.Path == "stdout") {
			return &statusError{code: exitPipe}
		}
		return &statusError{exitPipe, strings.Replace(msg, "broken pipe", "broken pipe (its reader is gone)", 1)}
	}
	return errors.New(msg)
}

// outputErrorZH is outputError in Chinese: the same exits, the same
// parts (the call that failed, the errno, what became of the tracees), in
// the catalog's words.
func (p *pipeline) outputErrorZH(err error, pe *fs.PathError, during bool) error {
	l := p.lang
	var ce *commitError
	var text string
	switch {
	case pe != nil:
		text = ioErrorText(l, pe)
	case errors.As(err, &ce) && ce.asWas:
		text = msg(l, msgAsItWas, ce.label, ioErrorText(l, ce.err))
	case errors.As(err, &ce):
		text = msg(l, msgOutputStopped, ce.label, ioErrorText(l, ce.err))
	default:
		text = ioErrorText(l, err)
	}
	if errors.Is(err, syscall.EPIPE) {
		if pe != nil && (pe.Path == "stderr" || pe.Path == "stdout") {
			return &statusError{code: exitPipe}
		}
		text = msg(l, msgReaderGone, text)
	}
	if during {
		text = msg(l, msgOutputStopped, text, p.tracees())
	}
	if errors.Is(err, syscall.EPIPE) {
		return &statusError{exitPipe, text}
	}
	return &saidError{text, err}
}

// tracees says what became of the traced processes when an output
// ended the trace.
func (p *pipeline) tracees() string {
	if p.attached {
		return msg(p.lang, msgTraceesDetached)
	}
	return msg(p.lang, msgTraceesKilled)
}

// blocked says whether a write to one of the outputs has waited longer
// than d.
func (p *pipeline) blocked(d time.Duration) bool {
	for _, o := range p.files {
		if o.blocked(d) {
			return true
		}
	}
	return false
}
