package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/pflag"

	"github.com/mmtrace/mmtrace/internal/cells"
	"github.com/mmtrace/mmtrace/scenarios"
	"github.com/mmtrace/mmtrace/tracer/filter"
)

// listCommand prints the scenarios, one line each.
func listCommand(args []string, stdout io.Writer) error {
	if len(args) > 0 {
		return usageErrorf("list takes no arguments")
	}
	// Two columns, the summaries wrapped under themselves to fit 80.
	col := 0
	for _, s := range scenarios.All() {
		info := s.Info()
		col = max(col, cells.Width(info.Name+" "+info.Args)+2)
	}
	pad := strings.Repeat(" ", col)
	var b strings.Builder
	for _, s := range scenarios.All() {
		info := s.Info()
		name := info.Name + " " + info.Args
		b.WriteString(name + strings.Repeat(" ", col-cells.Width(name)))
		b.WriteString(strings.Join(cells.Wrap(info.Summary, helpWidth-col), "\n"+pad) + "\n")
	}
	_, err := io.WriteString(stdout, b.String())
	return err
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
	synopsis := strings.Join(strings.Fields("mmtrace "+info.Name+" "+info.Args+" [FLAGS]"), " ")
	setHelp(fs, stdout, "Usage: "+synopsis+"\n\n"+refill(info.Lesson, "", helpWidth))
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
	// The scenario's files go to a fresh directory, locked while this
	// run lives; directories of runs killed outright are removed here.
	// Every way out of this function removes it (or keeps it, with
	// --keep): a failed trace, a closed output, an interrupt that ended
	// the trace.
	wd, err := scenarios.NewWorkDir(info.Name)
	if err != nil {
		return fmt.Errorf("temporary directory: %w", err)
	}
	dir := wd.Path
	if *keep {
		fmt.Fprintf(stderr, "mmtrace: %s keeps its files in %s\n", info.Name, dir)
		defer wd.Keep()
	} else {
		defer wd.Remove()
	}
	// The scenario's own messages fit the terminal as the notes do.
	out := cells.NewWriter(stderr, termWidth(stderr, os.Getenv))
	defer out.Flush()
	env := &scenarios.Env{Dir: dir, Out: out}
	if cache, err := os.UserCacheDir(); err == nil {
		env.CacheDir = filepath.Join(cache, "mmtrace")
	}
	plan, err := sc.Plan(env, fs.Args())
	if err != nil {
		var ue *scenarios.UsageError
		if errors.As(err, &ue) {
			return usageErrorf("%s: %v", info.Name, err)
		}
		return &statusError{exitFailed, fmt.Sprintf("%s: %v", info.Name, err)}
	}
	if plan.Cleanup != nil {
		defer plan.Cleanup()
	}
	if len(plan.Trace) > 0 && cfg.Filter == nil {
		// The user did not choose the calls: the lesson's own, and those
		// this plan is about.
		cfg.Filter = filter.Default()
		for _, name := range plan.Trace {
			cfg.Filter.Add(name)
		}
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
