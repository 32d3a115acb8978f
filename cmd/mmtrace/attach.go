package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"

	"github.com/spf13/pflag"

	"github.com/mmtrace/mmtrace/tracer"
)

// attachCommand is mmtrace attach PID: watch a running process (the ipc
// writer running in another terminal) until Ctrl-C, then let it go.
func attachCommand(args []string, stdout, stderr io.Writer) error {
	fs := pflag.NewFlagSet("attach", pflag.ContinueOnError)
	fs.SetOutput(stderr)
	var tf traceFlags
	tf.register(fs)
	tf.strace.register(fs) // strace's output flags: not in scenarios, whose flags are their own
	setHelp(fs, stdout, "Usage: mmtrace attach PID [FLAGS]\n\nTrace a running process, its threads and the processes it starts, until it\nends or Ctrl-C; then detach and leave it running.\n")
	if err := refuseColumns(args); err != nil {
		return err
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, pflag.ErrHelp) {
			return nil
		}
		return usageErrorf("attach: %v", straceFlagError(err))
	}
	if fs.NArg() != 1 {
		return usageErrorf("attach: give one PID")
	}
	pid, err := strconv.Atoi(fs.Arg(0))
	if err != nil || pid <= 0 {
		return usageErrorf("attach: %q is not a process id", fs.Arg(0))
	}
	return attachTo(pid, &tf, stderr)
}

func attachTo(pid int, tf *traceFlags, stderr io.Writer) error {
	if pid <= 0 {
		return usageErrorf("attach: %d is not a process id", pid)
	}
	cfg, err := tf.config()
	if err != nil {
		return err
	}
	p, err := tf.pipeline(cfg, stderr)
	if err != nil {
		return err
	}
	p.attached = true
	t := tracer.New(cfg, p.sinks...)
	res, err := withSignals(t, p, func() (tracer.Result, error) { return t.Attach(context.Background(), pid) })
	if cerr := p.close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	if res.Detached && !tf.strace.quietAttach() {
		fmt.Fprintf(stderr, "mmtrace: detached from %d; it runs on\n", pid)
		return nil
	}
	if st := res.Status(); st != 0 {
		return &statusError{code: st}
	}
	return nil
}
