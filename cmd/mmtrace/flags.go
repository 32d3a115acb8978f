package main

import (
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/google/gops/agent"
	"github.com/spf13/pflag"
	"golang.org/x/sys/unix"

	"github.com/mmtrace/mmtrace/tracer"
	"github.com/mmtrace/mmtrace/tracer/annotate"
	"github.com/mmtrace/mmtrace/tracer/explain"
	"github.com/mmtrace/mmtrace/tracer/filter"
	"github.com/mmtrace/mmtrace/tracer/html"
	"github.com/mmtrace/mmtrace/tracer/jsonl"
	"github.com/mmtrace/mmtrace/tracer/model"
	"github.com/mmtrace/mmtrace/tracer/perfetto"
	"github.com/mmtrace/mmtrace/tracer/stable"
	"github.com/mmtrace/mmtrace/tracer/step"
	"github.com/mmtrace/mmtrace/tracer/summary"
	"github.com/mmtrace/mmtrace/tracer/svg"
	"github.com/mmtrace/mmtrace/tracer/sys"
	"github.com/mmtrace/mmtrace/tracer/text"
)

// traceFlags are the flags shared by everything that traces: what to
// trace, and how to show it.
type traceFlags struct {
	output   string
	exprs    []string
	all      bool
	strsize  int
	seccomp  bool
	pin      string
	absolute int // -t, -tt, -ttt
	relative bool
	took     bool
	color    string
	noFold   bool

	// The classroom layer.
	lang      string
	quiet     bool
	faults    bool
	noFaults  bool
	maps      bool
	stable    bool
	step      bool
	scenario  bool   // a scenario: faults on by default
	stableDir string // replaced by $DIR in --stable output
	// labels names what varies, with --stable; a scenario makes it
	// before its plan, whose closing lines it labels too.
	labels *stable.Labeler

	gops bool

	// strace's output flags (see strace.go).
	strace straceFlags

	// Other outputs.
	json        bool
	summary     bool // -c: the summary alone
	summaryToo  bool // -C: the timeline, then the summary
	perfettoOut string
	svgOut      string
	htmlOut     string
	serve       string // the address to serve the page live at, or ""
	title       string // names the picture and the first process
	// jsonOut, when set, is where --json goes without -o: a scenario's
	// stdout, a stream of its own.
	jsonOut io.Writer
}

func (f *traceFlags) register(fs *pflag.FlagSet) {
	fs.StringVarP(&f.output, "output", "o", "", "write the timeline to `FILE` instead of stderr")
	fs.StringArrayVarP(&f.exprs, "expr", "e", nil, "strace filter `EXPR`: trace=mmap,munmap, trace=%memory, trace=!close (repeatable)")
	fs.BoolVarP(&f.all, "all", "a", false, "trace every syscall, not just the mmap lesson's (not strace's -a COLUMN, which mmtrace does not take)")
	fs.IntVarP(&f.strsize, "string-limit", "s", sys.DefaultStringLimit, "print at most `N` bytes of each string")
	fs.CountVarP(&f.absolute, "absolute-timestamps", "t", "time of day instead of time since start (-tt: with microseconds, -ttt: seconds since 1970)")
	fs.BoolVarP(&f.relative, "relative-timestamps", "r", false, "time since the previous line instead of since start")
	fs.BoolVarP(&f.took, "syscall-times", "T", false, "show the time spent in each call, <0.000123>")
	fs.StringVar(&f.color, "color", "auto", "colour errors, signals and notes: `WHEN` is auto (on a terminal, unless NO_COLOR is set), always or never")
	fs.BoolVar(&f.noFold, "no-fold", false, "print every repeated call instead of folding them into one line")
	fs.StringVar(&f.lang, "lang", "", "write the explanations in `LANG`: en or zh (default: the locale's, from LC_ALL, LC_MESSAGES or LANG)")
	fs.BoolVarP(&f.quiet, "no-explain", "q", false, "plain strace lines: no explanations, faults or tables under the calls (strace's -q is -e quiet=attach)")
	fs.BoolVar(&f.faults, "faults", false, "show the page faults each process took since its previous call, and where their pages went (default for scenarios)")
	fs.BoolVar(&f.noFaults, "no-faults", false, "do not show page faults")
	fs.BoolVar(&f.maps, "maps", false, "print the process's mappings after each call that changes them")
	fs.BoolVar(&f.stable, "stable", false, "handout mode: labels (P1, A1) instead of pids and addresses, no times, the same every run")
	fs.BoolVar(&f.step, "step", false, "pause before each call for the class to guess its result: type a number, an errno such as EINVAL, addr, pid or ? (no return) and Enter, or Enter alone; r shows the last call's notes again, n runs on to another process's call, c runs to the end; the score comes at the end (stdin must be a terminal)")
	fs.BoolVar(&f.json, "json", false, "the timeline as JSON Lines, one object per event (schema: docs/json-schema.md)")
	fs.BoolVarP(&f.summary, "summary-only", "c", false, "a summary only: per call count, errors and time; per process exit, faults and bytes mapped")
	fs.BoolVarP(&f.summaryToo, "summary", "C", false, "the timeline, then the summary")
	fs.StringVar(&f.perfettoOut, "perfetto", "", "also write a Chrome trace-event `FILE` for ui.perfetto.dev or chrome://tracing")
	fs.StringVar(&f.svgOut, "svg", "", "also write a picture of the processes and their mappings to `FILE` (SVG)")
	fs.StringVar(&f.htmlOut, "html", "", "also write the classroom view to `FILE`: one self-contained page with the timeline and the address space at every step")
	fs.StringVar(&f.serve, "serve", "", "serve the classroom view live, on loopback (--serve=`ADDR` for another address; the URL is printed); with --step its Next button runs the next call")
	fs.Lookup("serve").NoOptDefVal = "127.0.0.1:0"
	fs.BoolVar(&f.gops, "gops", false, "start the gops agent on loopback, to inspect mmtrace itself (gops stack PID)")
	fs.StringVar(&f.pin, "pin-cpu", "auto", "run the tracer and the program on one CPU: `WHEN` is auto (while the program uses one CPU at most, as measured), spawn (until the program first creates a process or thread), always or never")
	fs.BoolVar(&f.seccomp, "seccomp", true, "let a seccomp filter stop only the traced calls (on by default; --seccomp=false stops at every call, as strace does by default)")
}

// config builds the tracer configuration the flags ask for.
func (f *traceFlags) config() (tracer.Config, error) {
	cfg := tracer.Config{Decode: sys.Options{StringLimit: f.strsize}, NoSeccomp: !f.seccomp, Start: time.Now()}
	if err := f.strace.apply(f, &cfg); err != nil {
		return cfg, err
	}
	// A handout is the same every run: one tracee runs at a time.
	cfg.Serial = f.stable
	switch f.pin {
	case "auto":
		cfg.Pin = tracer.PinAuto
	case "always":
		cfg.Pin = tracer.PinAlways
	case "never":
		cfg.Pin = tracer.PinNever
	case "spawn":
		cfg.Pin = tracer.PinSpawn
	default:
		return cfg, usageIn(f.language(), msgWantPin, f.pin)
	}
	if f.strsize < 0 {
		return cfg, usageIn(f.language(), msgNegativeStringLimit, f.strsize)
	}
	if f.stable && (f.absolute > 0 || f.relative || f.took) {
		return cfg, usageIn(f.language(), msgStableNoTimes)
	}
	switch {
	case f.all && len(f.strace.traceExprs(f.exprs)) > 0:
		return cfg, usageIn(f.language(), msgAllAndExpr)
	case f.all:
		cfg.Filter = filter.All()
	case len(f.exprs) > 0 && len(f.strace.traceExprs(f.exprs)) > 0:
		set, err := filter.FromOptions(f.strace.traceExprs(f.exprs), filter.Default())
		if err != nil {
			return cfg, exprError(f.language(), err)
		}
		cfg.Filter = set
	}
	return cfg, nil
}

// textOptions builds the text renderer's options for a timeline written
// to w.
func (f *traceFlags) textOptions(cfg tracer.Config, w io.Writer) (text.Options, error) {
	// On a terminal every line goes out before the traced program runs
	// on, so the class sees things in the order they happened.
	opt := text.Options{NoFold: f.noFold, Durations: f.took, Start: cfg.Start, Width: termWidth(w, os.Getenv), Immediate: isTerminal(w), Lang: f.language()}
	switch {
	case f.relative && f.absolute > 0:
		return opt, usageIn(f.language(), msgRelativeAndAbsolute)
	case f.relative:
		opt.Time = text.Relative
	case f.absolute == 1:
		opt.Time = text.Wall
	case f.absolute == 2:
		opt.Time = text.WallMicro
	case f.absolute >= 3:
		opt.Time = text.Epoch
	}
	f.strace.textOptions(&opt)
	switch f.color {
	case "always":
		opt.Color = true
	case "never":
	case "auto":
		opt.Color = os.Getenv("NO_COLOR") == "" && isTerminal(w)
	default:
		return opt, usageIn(f.language(), msgWantWhen, "--color", f.color)
	}
	return opt, nil
}

// isTerminal says whether w is a terminal: colour codes belong on a
// screen, never in a file or a pipe.
func isTerminal(w io.Writer) bool {
	fd, ok := writerFd(w)
	if !ok {
		return false
	}
	_, err := unix.IoctlGetTermios(fd, unix.TCGETS)
	return err == nil
}

// writerFd returns the descriptor w writes to, when it is a file (through
// the progress line or an output), without file.Fd(): that puts a file
// in blocking mode, which would keep a blocked write from being abandoned
// (outputFile.unblock). The descriptor is for a quick ioctl only.
func writerFd(w io.Writer) (int, bool) {
	if l, ok := w.(*progressLine); ok {
		w = l.w
	}
	if o, ok := w.(*outputFile); ok {
		w = o.file
	}
	file, ok := w.(*os.File)
	if !ok {
		return -1, false
	}
	fd := -1
	if rc, err := file.SyscallConn(); err == nil {
		rc.Control(func(u uintptr) { fd = int(u) })
	}
	return fd, fd >= 0
}

// timeline returns where the timeline goes: the -o file, else stderr
// (stdout for a scenario's JSON), through a file of mmtrace's own when it
// is the process's stderr or stdout (see timelineFile).
func (f *traceFlags) timeline(p *pipeline, stderr io.Writer) io.Writer {
	if f.output != "" && !f.strace.ff(f) {
		return p.files[0]
	}
	w := stderr
	if f.json && f.jsonOut != nil {
		w = f.jsonOut
	}
	if file, ok := w.(*os.File); ok {
		if o := timelineFile(file); o != nil {
			p.files = append(p.files, o)
			return o
		}
	}
	return w
}

// closingSink is an output written at the end of the trace.
type closingSink interface {
	tracer.Sink
	Close() error
}

// pipeline is the sinks of one trace, the files they write, and what to
// do when it ends.
type pipeline struct {
	sinks  []tracer.Sink
	text   *text.Renderer
	finish []func() error
	// linger runs after the files are in place: the classroom page that
	// stays served until Ctrl-C.
	linger func() error
	// timeline: a text or JSON timeline is written, where a scenario's
	// lines can take their place.
	timeline bool
	// files are the outputs, the timeline's first when it has one.
	files []*outputFile
	// ff, with -ff -o PREFIX, is the timeline of one file per thread,
	// whose files join files when the trace ends.
	ff *ffTimeline
	// attached: the trace watches processes it did not start, which an
	// output failure detaches from rather than kills.
	attached bool
	// traceErr: the trace failed, so its outputs are not complete.
	traceErr error
	// abandoned is the signal after which blockedOn, an output whose
	// writes blocked, was given up.
	abandoned syscall.Signal
	blockedOn string
	// lang: the language of the trace's own messages.
	lang explain.Lang
}

// close runs the end-of-trace steps: the text renderer's last folds, the
// sinks' closing writes; then, when the trace and every write succeeded,
// renames each output file over its name, and otherwise removes them, so
// that each FILE is whole or as it was. The first error wins.
func (p *pipeline) close() error {
	if p.abandoned != 0 {
		// The trace's goroutine may still be inside a write to the
		// blocked output: the sinks are not ours to touch.
		p.abort()
		return nil
	}
	var first error
	if p.text != nil {
		if err := p.text.Close(); err != nil {
			first = fmt.Errorf("timeline: %w", err)
		}
	}
	for _, f := range p.finish {
		if err := f(); err != nil && first == nil {
			first = err
		}
	}
	if p.ff != nil {
		p.files = append(p.files, p.ff.outputs()...)
		p.ff = nil
	}
	if first != nil || p.traceErr != nil {
		p.abort()
		return p.outputError(first, false)
	}
	for _, o := range p.files {
		if err := o.commit(); err != nil && first == nil {
			first = err
		}
	}
	if err := p.outputError(first, false); err != nil {
		return err
	}
	if p.linger != nil {
		return p.linger()
	}
	return nil
}

// abort closes every output and removes every temporary file, leaving
// each FILE as it was.
func (p *pipeline) abort() {
	for _, o := range p.files {
		o.abort()
	}
	if p.ff != nil {
		for _, o := range p.ff.outputs() {
			o.abort()
		}
	}
}

// unblock abandons the writes blocked on an output (see outputFile.unblock)
// after sig failed to end the trace.
func (p *pipeline) unblock(sig syscall.Signal) {
	p.abandoned = sig
	for _, o := range p.files {
		if p.blockedOn == "" && o.blocked(0) {
			p.blockedOn = o.label()
		}
		o.unblock()
	}
}

// pipeline builds the sinks the flags ask for and opens their files.
func (f *traceFlags) pipeline(cfg tracer.Config, stderr io.Writer) (*pipeline, error) {
	p := &pipeline{lang: f.language()}
	var reqs []outputRequest
	timeline := f.output
	if f.strace.ff(f) {
		timeline = "" // a file per thread, opened as each comes
	}
	for _, o := range []outputRequest{{"-o", timeline}, {"--perfetto", f.perfettoOut}, {"--svg", f.svgOut}, {"--html", f.htmlOut}} {
		if o.path != "" {
			reqs = append(reqs, o)
		}
	}
	files, err := openOutputs(p.lang, reqs)
	if err != nil {
		return nil, err
	}
	p.files = files
	p, err = f.sinks(p, cfg, stderr)
	if err != nil {
		p.abort()
		return nil, err
	}
	if f.gops {
		// Loopback only, on a free port: the agent answers anyone who can
		// connect, and mmtrace often runs as root.
		if err := agent.Listen(agent.Options{Addr: "127.0.0.1:0"}); err != nil {
			p.abort()
			return nil, errorIn(f.language(), msgGopsFailed, ioErrorText(f.language(), err))
		}
		fmt.Fprintln(stderr, msg(f.language(), msgGopsListening, os.Getpid()))
		p.finish = append(p.finish, func() error { agent.Close(); return nil })
	}
	return p, nil
}

// sinks adds to p the sinks the flags ask for, writing to p's files.
func (f *traceFlags) sinks(p *pipeline, cfg tracer.Config, stderr io.Writer) (*pipeline, error) {
	w := f.timeline(p, stderr)
	opt, err := f.textOptions(cfg, w)
	if err != nil {
		return p, err
	}
	var labels *stable.Labeler
	if f.stable {
		// First: every later sink sees the events' stable times.
		labels = f.stableLabels()
		p.sinks = append(p.sinks, labels)
	}
	// One address-space model for every sink that reads it, applied once
	// per event by being the first sink after the labels; its fault
	// counters are read only when something shows them. With none to
	// read it (-q and no other view), it is not applied at all: it
	// would read /proc at every new process for nothing.
	shared := model.New()
	shared.Blind = model.BlindUnder(cfg.Filter) // -e hides what it learns from
	ann, err := f.annotator(shared)
	if err != nil {
		return p, err
	}
	// The sinks besides the annotator that read the model.
	readers := f.summary || f.summaryToo || f.perfettoOut != "" || f.svgOut != "" || f.htmlOut != "" || f.serve != ""
	if ann != nil || readers {
		p.sinks = append(p.sinks, shared)
	}
	if ann != nil {
		p.sinks = append(p.sinks, ann)
	}
	if labels != nil {
		p.sinks = append(p.sinks, labels.Notes())
	}
	shared.SkipFaults = !readers && (ann == nil || !ann.ShowsFaults())
	if labels != nil {
		if opt.Width > 0 {
			// Notes wrapped once the labels have made them shorter, so
			// that no label, address or path is cut before it is found.
			w = text.WrapNotes(w, opt.Width)
			opt.Width = 0
		}
		// NoteWriter: the scenario's report, now in the timeline, names
		// processes as "pid 4242"; those are labelled too. JSON labels
		// its messages itself: through NoteWriter, every quoted number
		// that equals a pid (an mmap's length) would become one.
		if !f.json {
			w = labels.NoteWriter(w)
		}
		opt.Color = false
		// Each event's lines reach the labels as the event comes, as its
		// notes do, and not when the tracer's timer flushes: a label is
		// numbered by first appearance, the same every run only in the
		// events' order.
		opt.Immediate = true
	}
	switch {
	case f.summary && f.summaryToo:
		return p, usageIn(f.language(), msgSummaryBoth)
	case (f.summary || f.summaryToo) && f.json:
		return p, usageIn(f.language(), msgJSONNoSummary)
	case f.summary:
		// No timeline: the summary alone, where the timeline would go.
	case f.json:
		jopt := jsonl.Options{Immediate: opt.Immediate}
		if labels != nil {
			jopt.Labels = labels
		}
		j := jsonl.New(w, jopt)
		p.sinks = append(p.sinks, j)
		p.timeline = true
		p.finish = append(p.finish, j.Close)
	case f.strace.ff(f):
		p.ff = newFFTimeline(f.output, opt, p.lang)
		p.sinks = append(p.sinks, p.ff)
		p.timeline = true
		p.finish = append(p.finish, p.ff.Close)
	default:
		p.text = text.NewWithOptions(w, opt)
		p.sinks = append(p.sinks, p.text)
		p.timeline = true
	}
	if f.summary || f.summaryToo {
		sum := summary.New(w, summary.Options{Faults: true, Model: shared, Lang: f.language(), SortBy: f.strace.sortBy})
		p.sinks = append(p.sinks, sum)
		// After the timeline's last lines.
		p.finish = append(p.finish, sum.Close)
	}
	outputs := map[string]func(io.Writer) closingSink{
		"--perfetto": func(w io.Writer) closingSink {
			return perfetto.New(w, perfetto.Options{Faults: true, Name: f.title, Model: shared})
		},
		"--svg": func(w io.Writer) closingSink {
			return svg.New(w, svg.Options{Title: f.title, Name: f.title, Model: shared, Lang: f.language(), Stable: f.stable, StableDir: f.stableDir})
		},
	}
	for _, o := range p.files {
		open := outputs[o.flag]
		if open == nil {
			continue // the timeline, the page
		}
		sink, o := open(o), o
		p.sinks = append(p.sinks, sink)
		p.finish = append(p.finish, func() error {
			if err := sink.Close(); err != nil {
				return fmt.Errorf("%s: %w", o.flag, err)
			}
			return nil
		})
	}
	page, srv, err := f.classroom(p, shared, ann, stderr)
	if err != nil {
		return p, err
	}
	if f.step {
		var in io.Reader = os.Stdin
		switch {
		case srv != nil:
			// The page's Next button answers, and the terminal if there
			// is one.
			var term io.Reader
			if isTerminal(os.Stdin) {
				term = os.Stdin
			}
			gate := html.NewGate(term)
			srv.SetGate(gate)
			in = gate
			p.finish = append(p.finish, gate.Close)
		case !isTerminal(os.Stdin):
			return p, usageIn(f.language(), msgStepTerminal)
		}
		var flush []tracer.Sink
		if p.text != nil {
			flush = append(flush, p.text)
		}
		st := step.New(in, os.Stderr, step.Options{ZH: f.language() == explain.ZH, Width: termWidth(os.Stderr, os.Getenv)}, flush...)
		p.sinks = append(p.sinks, st)
		p.finish = append(p.finish, st.Close) // the score, after the timeline's last lines
	}
	if srv != nil {
		// Last: the files are in place, the score printed; the page
		// stays for a reload or a late student until Ctrl-C.
		p.linger = func() error {
			page.Close()
			sigs := make(chan os.Signal, 1)
			signal.Notify(sigs, syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP)
			defer signal.Stop(sigs)
			fmt.Fprintln(stderr, msg(f.language(), msgPageStays, srv.URL()))
			<-sigs
			return srv.Close()
		}
	}
	return p, nil
}

// stableLabels returns the trace's labeler, made now if the command has
// not made it already.
func (f *traceFlags) stableLabels() *stable.Labeler {
	if f.labels == nil {
		f.labels = stable.New()
		f.labels.Replace(f.stableDir, "$DIR")
	}
	return f.labels
}

// classroom adds the classroom view's recorder when --html or --serve
// asks for it, and starts the server for --serve.
func (f *traceFlags) classroom(p *pipeline, shared *model.Model, ann *annotate.Annotator, stderr io.Writer) (*html.Recorder, *html.Server, error) {
	if f.htmlOut == "" && f.serve == "" {
		return nil, nil, nil
	}
	page := html.New(html.Options{
		Title: f.title, Name: f.title, Model: shared,
		Explain: !f.quiet, Faults: ann != nil && ann.ShowsFaults(),
		Lang: f.language(), Stable: f.stable, StableDir: f.stableDir, Step: f.step,
	})
	p.sinks = append(p.sinks, page)
	for _, o := range p.files {
		if o.flag != "--html" {
			continue
		}
		// The page is written whole at the end; the file is renamed into
		// place with the others.
		o := o
		p.finish = append(p.finish, func() error {
			page.Close()
			if err := page.WritePage(o); err != nil {
				return fmt.Errorf("%s: %w", o.flag, err)
			}
			return nil
		})
	}
	if f.serve == "" {
		return page, nil, nil
	}
	srv, err := html.Serve(page, f.serve)
	if err != nil {
		return nil, nil, serveError(f.language(), f.serve, err)
	}
	fmt.Fprintln(stderr, msg(f.language(), msgClassroomAt, srv.URL()))
	if !srv.Loopback() {
		fmt.Fprintln(stderr, msg(f.language(), msgServeBeyond))
	}
	return page, srv, nil
}

// language is the explanations' language: --lang, else the locale.
func (f *traceFlags) language() explain.Lang {
	if l, err := explain.ParseLang(f.lang); err == nil && f.lang != "" {
		return l
	}
	return explain.LangFromEnv(os.Getenv)
}

// annotator returns the classroom layer's sink, or nil with -q.
func (f *traceFlags) annotator(m *model.Model) (*annotate.Annotator, error) {
	if f.lang != "" {
		if _, err := explain.ParseLang(f.lang); err != nil {
			return nil, usageIn(f.language(), msgWantLang, f.lang)
		}
	}
	if f.faults && f.noFaults {
		return nil, usageIn(f.language(), msgFaultsBoth)
	}
	opt := annotate.Options{
		Explain: !f.quiet,
		Faults:  (f.faults || f.scenario) && !f.noFaults && !f.quiet && !f.stable,
		// A scenario shows by default only the faults that gave its
		// mappings pages; --faults shows every one.
		FaultsEverywhere: f.faults,
		Maps:             f.maps && !f.quiet,
		Stable:           f.stable,
		Lang:             f.language(),
		Model:            m,
	}
	if !opt.Explain && !opt.Faults && !opt.Maps {
		return nil, nil
	}
	return annotate.New(opt), nil
}
