package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/spf13/pflag"

	"github.com/mmtrace/mmtrace/tracer"
	"github.com/mmtrace/mmtrace/tracer/explain"
)

// attachCommand is mmtrace attach PID: watch a running process (the ipc
// writer running in another terminal) until Ctrl-C, then let it go.
func attachCommand(args []string, stdout, stderr io.Writer) error {
	fs := pflag.NewFlagSet("attach", pflag.ContinueOnError)
	fs.SetOutput(stderr)
	var tf traceFlags
	tf.register(fs)
	tf.strace.register(fs) // strace's output flags: not in scenarios, whose flags are their own
	l := langInArgs(args)
	setHelp(fs, stdout, "attach", l, helpIn(l, "attach", "Usage: mmtrace attach PID... [FLAGS]\n\nTrace a running process, its threads and the processes it starts, until it\nends or Ctrl-C; then detach and leave it running. Several PIDs (or a list,\n12,34) are traced together.\n"))
	if err := refuseColumns(l, args); err != nil {
		return err
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, pflag.ErrHelp) {
			return nil
		}
		if se := straceFlagError(l, err); se != err {
			return usageErrorf("attach: %v", se)
		}
		return usageErrorf("attach: %s", flagError(l, err))
	}
	l = tf.language()
	if fs.NArg() == 0 {
		return usageIn(l, msgAttachNoPID)
	}
	pids, bad := parsePids(fs.Args())
	if bad != "" {
		return usageIn(l, msgAttachNotPIDText, bad)
	}
	return attachTo(pids, &tf, nil, stderr)
}

// parsePids reads process ids as strace's -p takes them: each argument one
// id or several, separated by commas or spaces ("12,34", "$(pidof x)").
// An id named twice is traced once. bad is the first argument that is no
// id, or "".
func parsePids(args []string) (pids []int, bad string) {
	seen := map[int]bool{}
	for _, a := range args {
		fields := strings.FieldsFunc(a, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' || r == '\n' })
		if len(fields) == 0 {
			return nil, a
		}
		for _, f := range fields {
			pid, err := strconv.Atoi(f)
			if err != nil || pid <= 0 {
				return nil, f
			}
			if !seen[pid] {
				seen[pid] = true
				pids = append(pids, pid)
			}
		}
	}
	return pids, ""
}

// attachTo traces the running processes pids; rf, if not nil, holds run's
// flags (run -p).
func attachTo(pids []int, tf *traceFlags, rf *runFlags, stderr io.Writer) error {
	cfg, err := tf.config()
	if err != nil {
		return err
	}
	if rf != nil {
		if err := rf.apply(&cfg); err != nil {
			return err
		}
		rf.say(stderr)
	}
	p, err := tf.pipeline(cfg, stderr)
	if err != nil {
		return err
	}
	p.attached = true
	t := tracer.New(cfg, p.sinks...)
	res, err := withSignals(t, p, func() (tracer.Result, error) { return t.Attach(context.Background(), pids[0], pids[1:]...) })
	if cerr := p.close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	if res.Detached && !tf.strace.quietAttach() {
		l := tf.language()
		if len(pids) == 1 {
			fmt.Fprintln(stderr, msg(l, msgDetached, pids[0]))
		} else {
			fmt.Fprintln(stderr, msg(l, msgDetachedMany, joinPids(l, pids)))
		}
		return nil
	}
	if st := res.Status(); st != 0 {
		return &statusError{code: st}
	}
	return nil
}

// joinPids writes pids as "12, 34 and 56" (“12、34 和 56”).
func joinPids(l explain.Lang, pids []int) string {
	s := make([]string, len(pids))
	for i, p := range pids {
		s[i] = strconv.Itoa(p)
	}
	if len(s) < 2 {
		return strings.Join(s, "")
	}
	if l == explain.ZH {
		return strings.Join(s[:len(s)-1], "、") + " 和 " + s[len(s)-1]
	}
	return strings.Join(s[:len(s)-1], ", ") + " and " + s[len(s)-1]
}
