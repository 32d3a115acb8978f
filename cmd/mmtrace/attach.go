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
	l := langInArgs(args)
	setHelp(fs, stdout, "attach", l, helpIn(l, "attach", "Usage: mmtrace attach PID [FLAGS]\n\nTrace a running process, its threads and the processes it starts, until it\nends or Ctrl-C; then detach and leave it running.\n"))
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, pflag.ErrHelp) {
			return nil
		}
		return usageErrorf("attach: %s", flagError(l, err))
	}
	l = tf.language()
	if fs.NArg() != 1 {
		return usageIn(l, msgAttachOnePID)
	}
	pid, err := strconv.Atoi(fs.Arg(0))
	if err != nil || pid <= 0 {
		return usageIn(l, msgAttachNotPIDText, fs.Arg(0))
	}
	return attachTo(pid, &tf, stderr)
}

func attachTo(pid int, tf *traceFlags, stderr io.Writer) error {
	l := tf.language()
	if pid <= 0 {
		return usageIn(l, msgAttachNotPID, pid)
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
	if res.Detached {
		fmt.Fprintln(stderr, msg(l, msgDetached, pid))
		return nil
	}
	if st := res.Status(); st != 0 {
		return &statusError{code: st}
	}
	return nil
}
