package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/spf13/pflag"

	"github.com/mmtrace/mmtrace/internal/cells"
	"github.com/mmtrace/mmtrace/internal/escape"
	"github.com/mmtrace/mmtrace/scenarios"
	"github.com/mmtrace/mmtrace/tracer"
	"github.com/mmtrace/mmtrace/tracer/explain"
	"github.com/mmtrace/mmtrace/tracer/filter"
)

// listCommand prints the scenarios, one line each.
func listCommand(args []string, stdout, stderr io.Writer) error {
	fs := pflag.NewFlagSet("list", pflag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {} // help list says it, below
	lang := langFlag(fs)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, pflag.ErrHelp) {
			return helpCommand([]string{"list", "--lang", langInArgs(args).String()}, stdout, stderr)
		}
		return usageErrorf("list: %s", flagError(langInArgs(args), err))
	}
	if fs.NArg() > 0 {
		return usageIn(langInArgs(args), msgListNoArgs)
	}
	l, err := lang()
	if err != nil {
		return usageErrorf("list: %v", err)
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
		b.WriteString(strings.Join(cells.Wrap(info.Summary.In(scenarioLang(l)), helpWidth-col), "\n"+pad) + "\n")
	}
	_, err = io.WriteString(stdout, b.String())
	return err
}

// langFlag registers --lang on fs; the function it returns gives the
// language chosen, or the locale's when --lang was not given.
func langFlag(fs *pflag.FlagSet) func() (explain.Lang, error) {
	lang := fs.String("lang", "", "write in `LANG`: en or zh (default: from LC_ALL, LC_MESSAGES or LANG)")
	return func() (explain.Lang, error) {
		locale := explain.LangFromEnv(os.Getenv)
		if *lang == "" {
			return locale, nil
		}
		l, err := explain.ParseLang(*lang)
		if err != nil {
			return locale, errors.New(msg(locale, msgUnknownLang, *lang))
		}
		return l, nil
	}
}

// langInArgs is the language args ask for with --lang, before any "--",
// or the locale's: --help prints a scenario's lesson as soon as pflag
// meets it, before it has read a --lang that comes after.
func langInArgs(args []string) explain.Lang {
	for i, a := range args {
		v, ok := "", false
		switch {
		case a == "--":
			return explain.LangFromEnv(os.Getenv)
		case a == "--lang" && i+1 < len(args):
			v, ok = args[i+1], true
		case strings.HasPrefix(a, "--lang="):
			v, ok = strings.TrimPrefix(a, "--lang="), true
		}
		if ok {
			if l, err := explain.ParseLang(v); err == nil {
				return l
			}
		}
	}
	return explain.LangFromEnv(os.Getenv)
}

// scenarioLang is the scenarios' name for an explanation language: the
// scenarios do not depend on the tracer.
func scenarioLang(l explain.Lang) scenarios.Lang {
	if l == explain.ZH {
		return scenarios.Chinese
	}
	return scenarios.English
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
	l := langInArgs(args)
	setHelp(fs, stdout, info.Name, l, heading(l, "Usage: ")+synopsis+"\n\n"+refill(info.Lesson.In(scenarioLang(l)), "", helpWidth))
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, pflag.ErrHelp) {
			return nil
		}
		return usageErrorf("%s: %s", info.Name, flagError(l, err))
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
	l = tf.language()
	wd, err := scenarios.NewWorkDirIn(scenarioLang(l), info.Name)
	if err != nil {
		return errorIn(l, msgWorkDir, err)
	}
	dir := wd.Path
	if *keep {
		fmt.Fprintln(stderr, msg(l, msgKeeps, info.Name, dir))
		defer wd.Keep()
	} else {
		defer wd.Remove()
	}
	// The plan's own lines (its report on the outcome) go into the
	// timeline, as messages, after everything the trace showed; under
	// --stable the labeler names its files and processes there.
	tf.stableDir = dir
	out := &lineBuffer{}
	env := &scenarios.Env{Dir: dir, Out: out, Stable: tf.stable, Lang: scenarioLang(tf.language())}
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
	// JSON is a stream of its own: stdout, which nothing else writes to.
	tf.jsonOut = stdout
	// A long run shows how far it has got, on a terminal only; the
	// timeline, when it goes to the same terminal, writes around it. JSON
	// on stdout does not go through it: no progress line then.
	var progress *progressLine
	if plan.Progress != nil && isTerminal(stderr) && !(tf.json && tf.output == "") {
		progress = newProgressLine(stderr, l)
		stderr = progress
	}
	p, err := tf.pipeline(cfg, stderr)
	if err != nil {
		return err
	}
	// The processes' lines are part of the story: they come in the
	// timeline, each where it was written. With no timeline (-c), they
	// go to stdout and stderr as the processes write them, and the
	// report to stderr, after the summary.
	cfg.Messages = p.timeline
	tellPlan := func() {
		if p.timeline {
			tell(p.sinks, cfg.Start, out.take())
			return
		}
		w := cells.NewWriter(stderr, termWidth(stderr, os.Getenv))
		for _, l := range out.take() {
			fmt.Fprintln(w, l)
		}
	}
	tellPlan() // what the plan said before the run
	if progress != nil {
		progress.start(info.Name, plan.Progress, 250*time.Millisecond)
	}
	res, err := trace(cfg, plan.Spec(), p)
	if progress != nil {
		progress.finish()
	}
	if err != nil {
		p.close()
		return err
	}
	var afterErr error
	if plan.After != nil {
		afterErr = plan.After(res.Status())
	}
	// The report, the timeline's last lines, before the outputs close.
	if p.timeline {
		tellPlan()
	}
	if err := p.close(); err != nil {
		return err
	}
	if !p.timeline {
		tellPlan()
	}
	if afterErr != nil {
		return &statusError{exitFailed, fmt.Sprintf("%s: %v", info.Name, afterErr)}
	}
	return nil
}

// tell delivers lines of mmtrace's own to the sinks, outside the trace:
// Message events of no process, stamped with the time since start.
func tell(sinks []tracer.Sink, start time.Time, lines []string) {
	for _, l := range lines {
		e := tracer.Event{Kind: tracer.Message, Time: time.Since(start), Text: escape.Message(l)}
		for _, s := range sinks {
			s.Event(&e)
		}
	}
}

// lineBuffer keeps what a plan writes, as lines, until it is told.
type lineBuffer struct {
	mu      sync.Mutex // After may write from any goroutine
	lines   []string
	partial []byte
}

func (b *lineBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.partial = append(b.partial, p...)
	for {
		i := bytes.IndexByte(b.partial, '\n')
		if i < 0 {
			return len(p), nil
		}
		b.lines = append(b.lines, string(b.partial[:i]))
		b.partial = b.partial[i+1:]
	}
}

// take returns the lines written since the last take, a last one without
// its newline included.
func (b *lineBuffer) take() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	lines := b.lines
	if len(b.partial) > 0 {
		lines = append(lines, string(b.partial))
	}
	b.lines, b.partial = nil, nil
	return lines
}
