package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"syscall"

	"github.com/spf13/pflag"

	"github.com/mmtrace/mmtrace/internal/rawchild"
	"github.com/mmtrace/mmtrace/tracer"
)

func runCommand(args []string, stdout, stderr io.Writer) error {
	fs := pflag.NewFlagSet("run", pflag.ContinueOnError)
	fs.SetOutput(stderr)
	// The traced command's flags are its own: mmtrace run ls -l.
	fs.SetInterspersed(false)
	var tf traceFlags
	tf.register(fs)
	pid := fs.IntP("attach", "p", 0, "attach to the running process `PID` instead of starting CMD (as strace -p)")
	setHelp(fs, stdout, "Usage: mmtrace run [FLAGS] [--] CMD [ARGS...]\n       mmtrace run -p PID [FLAGS]\n\nTrace CMD and the processes it starts; exit with its status.\n")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, pflag.ErrHelp) {
			return nil
		}
		return usageErrorf("run: %v", err)
	}
	argv := fs.Args()
	if fs.Changed("attach") {
		if len(argv) > 0 {
			return usageErrorf("run: -p attaches to a running process: give no command")
		}
		return attachTo(*pid, &tf, stderr)
	}
	if len(argv) == 0 {
		return usageErrorf("run: no command to trace (mmtrace run -- CMD [ARGS...])")
	}
	cfg, err := tf.config()
	if err != nil {
		return err
	}
	path, err := lookCommand(argv[0])
	if err != nil {
		return err
	}
	spec := &rawchild.Spec{}
	if err := spec.SetExec(path, argv, os.Environ()); err != nil {
		return usageErrorf("run: %v", err)
	}
	tf.title = filepath.Base(argv[0])
	p, err := tf.pipeline(cfg, stderr)
	if err != nil {
		return err
	}
	res, err := trace(cfg, spec, p.sinks...)
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
		return &statusError{code, fmt.Sprintf("cannot run %s: %v", argv[0], res.ExecErr)}
	}
	if st := res.Status(); st != 0 {
		return &statusError{code: st}
	}
	return nil
}

// lookCommand finds the program as a shell would, and says why it cannot
// run before anything is started.
func lookCommand(name string) (string, error) {
	path, err := exec.LookPath(name)
	if err == nil {
		return path, nil
	}
	if errors.Is(err, exec.ErrDot) {
		return "", &statusError{exitNotFound, fmt.Sprintf("%s: not run from the current directory; write ./%s", name, name)}
	}
	if errors.Is(err, os.ErrPermission) || errors.Is(err, syscall.EACCES) {
		return "", &statusError{exitCannotRun, fmt.Sprintf("%s: permission denied (not executable)", name)}
	}
	if st, serr := os.Stat(name); serr == nil && st.IsDir() {
		return "", &statusError{exitCannotRun, fmt.Sprintf("%s: is a directory", name)}
	}
	return "", &statusError{exitNotFound, fmt.Sprintf("%s: command not found", name)}
}

// trace runs one trace with Ctrl-C handled: the signal goes to the traced
// program, and mmtrace exits when the program is gone.
func trace(cfg tracer.Config, spec *rawchild.Spec, sinks ...tracer.Sink) (tracer.Result, error) {
	t := tracer.New(cfg, sinks...)
	return withSignals(t, func() (tracer.Result, error) { return t.Run(context.Background(), spec) })
}

// withSignals runs a trace with mmtrace's terminating signals passed to
// the tracer (Ctrl-C ends a started program, detaches from an attached one).
func withSignals(t *tracer.Tracer, run func() (tracer.Result, error)) (tracer.Result, error) {
	stop := make(chan struct{})
	defer close(stop)
	// Notify and Stop each wait on the runtime's signal thread (0.15 ms
	// and 0.1 ms here, the first including starting it): done here, off
	// the path that starts the program and ends mmtrace. A signal in the
	// moment before Notify kills mmtrace by its default action, and the
	// program with it (PR_SET_PDEATHSIG, PTRACE_O_EXITKILL).
	go func() {
		sigs := make(chan os.Signal, 4)
		signal.Notify(sigs, syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP, syscall.SIGQUIT)
		defer signal.Stop(sigs)
		for {
			select {
			case s := <-sigs:
				t.Interrupt(s.(syscall.Signal))
			case <-stop:
				return
			}
		}
	}()
	res, err := run()
	if errors.Is(err, tracer.ErrNotPermitted) {
		return res, fmt.Errorf("%w: tracing is not permitted here (is mmtrace itself being traced? in a container, run with --cap-add=SYS_PTRACE or a seccomp profile that allows ptrace; check /proc/sys/kernel/yama/ptrace_scope)", err)
	}
	return res, err
}
