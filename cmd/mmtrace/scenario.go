package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/pflag"

	"github.com/mmtrace/mmtrace/scenarios"
)

// listCommand prints the scenarios, one line each.
func listCommand(args []string, stdout io.Writer) error {
	if len(args) > 0 {
		return usageErrorf("list takes no arguments")
	}
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	for _, s := range scenarios.All() {
		info := s.Info()
		fmt.Fprintf(tw, "%s %s\t%s\n", info.Name, info.Args, info.Summary)
	}
	return tw.Flush()
}

// scenarioCommand runs one scenario, traced.
func scenarioCommand(sc scenarios.Scenario, args []string, stdout, stderr io.Writer) error {
	info := sc.Info()
	fs := pflag.NewFlagSet(info.Name, pflag.ContinueOnError)
	fs.SetOutput(stderr)
	var tf traceFlags
	tf.register(fs)
	keep := fs.Bool("keep", false, "keep the scenario's temporary files")
	sc.Flags(fs)
	fs.Usage = func() {
		synopsis := strings.Join(strings.Fields("mmtrace "+info.Name+" "+info.Args+" [FLAGS]"), " ")
		fmt.Fprintf(fs.Output(), "Usage: %s\n\n%s\n\nFlags:\n", synopsis, info.Lesson)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, pflag.ErrHelp) {
			return nil
		}
		return usageErrorf("%s: %v", info.Name, err)
	}
	cfg, err := tf.config()
	if err != nil {
		return err
	}
	dir, err := os.MkdirTemp("", "mmtrace-"+info.Name+"-")
	if err != nil {
		return fmt.Errorf("temporary directory: %w", err)
	}
	if *keep {
		fmt.Fprintf(stderr, "mmtrace: %s keeps its files in %s\n", info.Name, dir)
	} else {
		defer os.RemoveAll(dir)
	}
	plan, err := sc.Plan(&scenarios.Env{Dir: dir, Out: stderr}, fs.Args())
	if err != nil {
		var ue *scenarios.UsageError
		if errors.As(err, &ue) {
			return usageErrorf("%s: %v", info.Name, err)
		}
		return &statusError{exitFailed, fmt.Sprintf("%s: %v", info.Name, err)}
	}
	tf.scenario = true
	tf.title = info.Name
	tf.stableDir = dir
	// A long run shows how far it has got, on a terminal only; the
	// timeline, when it goes to the same terminal, writes around it.
	var progress *progressLine
	if plan.Progress != nil && isTerminal(stderr) {
		progress = newProgressLine(stderr)
		stderr = progress
	}
	p, err := tf.pipeline(cfg, stderr)
	if err != nil {
		return err
	}
	if progress != nil {
		progress.start(info.Name, plan.Progress, 250*time.Millisecond)
	}
	res, err := trace(cfg, plan.Spec(), p)
	if progress != nil {
		progress.finish()
	}
	if cerr := p.close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	if plan.After != nil {
		if err := plan.After(res.Status()); err != nil {
			return &statusError{exitFailed, fmt.Sprintf("%s: %v", info.Name, err)}
		}
	}
	return nil
}
