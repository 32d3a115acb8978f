package html_test

// The classroom view in a real browser: Debian's chromium, headless,
// driven by chromedp. Skipped where chromium is not installed
// (apt-get install chromium; .ci/run installs it).

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/cdproto/performance"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/mmtrace/mmtrace/internal/rawchild"
	"github.com/mmtrace/mmtrace/internal/testutil"
	"github.com/mmtrace/mmtrace/tracer"
	"github.com/mmtrace/mmtrace/tracer/explain"
	"github.com/mmtrace/mmtrace/tracer/filter"
	"github.com/mmtrace/mmtrace/tracer/html"
	"github.com/mmtrace/mmtrace/tracer/model"
	"github.com/mmtrace/mmtrace/tracer/step"
)

// chromium returns the browser's path, or skips the test.
func chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	t.Skip("no chromium (apt-get install chromium)")
	return ""
}

// browser is one headless chromium tab, with the page's console errors
// and uncaught exceptions collected.
type browser struct {
	ctx    context.Context
	mu     sync.Mutex
	errors []string
}

func newBrowser(t *testing.T, width, height int) *browser {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromium(t)),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.WindowSize(width, height),
		chromedp.UserDataDir(t.TempDir()),
	)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelTab := chromedp.NewContext(actx)
	t.Cleanup(func() { cancelTab(); cancelAlloc() })
	b := &browser{ctx: ctx}
	// The first action starts the browser, and must not have a timeout.
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(int64(width), int64(height))); err != nil {
		t.Fatalf("starting chromium: %v", err)
	}
	msgs := chromedp.Console(ctx)
	go func() {
		for m, err := range msgs {
			if err != nil {
				return
			}
			if m.Type == chromedp.ConsoleError || m.Type == chromedp.ConsoleException {
				b.mu.Lock()
				b.errors = append(b.errors, string(m.Type)+": "+m.Text+" "+m.URL)
				b.mu.Unlock()
			}
		}
	}()
	return b
}

// do runs actions, within a minute.
func (b *browser) do(t *testing.T, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, time.Minute)
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		t.Fatal(err)
	}
}

// get runs one action that returns a value.
func get[T any](t *testing.T, b *browser, a chromedp.Action[T]) T {
	t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, time.Minute)
	defer cancel()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func eval[T any](t *testing.T, b *browser, js string) T {
	t.Helper()
	return get(t, b, chromedp.Evaluate[T](js))
}

// wait waits until js is true.
func (b *browser) wait(t *testing.T, js string, timeout time.Duration) {
	t.Helper()
	b.do(t, chromedp.Poll[chromedp.Void](js, chromedp.WithPollingTimeout(timeout)))
}

// open loads url and waits until the page has drawn.
func (b *browser) open(t *testing.T, url string) {
	t.Helper()
	b.do(t, chromedp.Navigate(url))
	b.wait(t, `window.mmtraceReady === true`, time.Minute)
}

func (b *browser) consoleErrors() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]string(nil), b.errors...)
}

// frame waits until the page has drawn what the last change asked for.
func (b *browser) frame(t *testing.T) {
	t.Helper()
	get(t, b, chromedp.Evaluate[bool](`new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => r(true))))`, chromedp.EvalAwaitPromise))
}

// goStep steps to number no through the URL fragment, as a linked step.
func (b *browser) goStep(t *testing.T, no int) {
	t.Helper()
	eval[string](t, b, fmt.Sprintf(`location.hash = "#step=%d"`, no))
	b.wait(t, fmt.Sprintf(`mmtrace.step() === %d`, no), 10*time.Second)
	b.frame(t)
}

type stepAt struct {
	No   int    `json:"no"`
	Pid  int    `json:"pid"`
	Line string `json:"line"`
}

func (b *browser) find(t *testing.T, re, kind string) []stepAt {
	t.Helper()
	return eval[[]stepAt](t, b, fmt.Sprintf(`mmtrace.find(%q, %q)`, re, kind))
}

// columns returns the pids of the address-space columns shown.
func (b *browser) columns(t *testing.T) []int {
	t.Helper()
	return eval[[]int](t, b, `[...document.querySelectorAll("#cols .col")].map(c => +c.dataset.pid)`)
}

// linkedShared returns the objects of shared mappings drawn in more than
// one column and joined there by a drawn link.
func (b *browser) linkedShared(t *testing.T) []string {
	t.Helper()
	return eval[[]string](t, b, `(() => {
		const out = [];
		for (const p of document.querySelectorAll("#links path.link:not(.cow)")) {
			const o = p.dataset.obj;
			const cols = new Set([...document.querySelectorAll('#cols .map.shared[data-obj="' + o + '"]')].map(m => m.closest(".col").dataset.pid));
			if (cols.size >= 2 && p.getTotalLength() > 0) out.push(o);
		}
		return out;
	})()`)
}

// recorded returns a model and a recorder sharing it, in sink order.
func recorded(opt html.Options) (*model.Model, *html.Recorder) {
	m := model.New()
	opt.Model = m
	opt.Explain = true
	return m, html.New(opt)
}

func savePage(t *testing.T, rec *html.Recorder, name string) string {
	t.Helper()
	if err := rec.Close(); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), name)
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := rec.WritePage(f); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

var han = regexp.MustCompile(`\p{Han}`)

// TestPageShowsTheLesson is the "what must show" for fork-shared
// and copy: no console error; at the fork, two columns and the shared
// mapping linked; at the child's exit its column gone; the language
// switch changes the explanations; no horizontal scroll at 1600×1000 and
// 1024×768.
func TestPageShowsTheLesson(t *testing.T) {
	cases := []struct {
		name  string
		trace func(t *testing.T, m *model.Model, rec *html.Recorder)
	}{
		{"fork-shared", func(t *testing.T, m *model.Model, rec *html.Recorder) {
			testutil.TraceScenario(t, nil, "fork-shared", nil, m, rec)
		}},
		{"copy", func(t *testing.T, m *model.Model, rec *html.Recorder) {
			testutil.TraceCopy(t, "3", m, rec)
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			chromium(t)
			m, rec := recorded(html.Options{Title: tc.name, Name: tc.name, Lang: explain.EN})
			tc.trace(t, m, rec)
			page := savePage(t, rec, tc.name+".html")

			b := newBrowser(t, 1600, 1000)
			b.open(t, "file://"+page)
			if errs := b.consoleErrors(); len(errs) > 0 {
				t.Fatalf("console errors on load:\n%s", strings.Join(errs, "\n"))
			}

			forks := b.find(t, `^(fork|vfork|clone|clone3)\(`, "c")
			if len(forks) == 0 {
				t.Fatal("no fork in the trace")
			}
			fork := forks[0]
			// The scheduler may run the child to its end before the
			// parent's fork returns: then both are alive at the child's
			// first step, not at the fork's.
			if m := regexp.MustCompile(`= (\d+)$`).FindStringSubmatch(fork.Line); m != nil {
				for _, st := range b.find(t, ".", "") {
					if strconv.Itoa(st.Pid) == m[1] {
						if st.No < fork.No {
							t.Logf("the child ran before the fork returned: its first step, %d (%s), for the fork's", st.No, st.Line)
							fork.No = st.No
						}
						break
					}
				}
			}
			b.goStep(t, fork.No)
			cols := b.columns(t)
			if len(cols) != 2 {
				t.Fatalf("at the fork (step %d, %s): %d columns %v, want 2", fork.No, fork.Line, len(cols), cols)
			}
			if linked := b.linkedShared(t); len(linked) == 0 {
				t.Errorf("at the fork (step %d): no shared mapping linked across the two columns", fork.No)
			}

			// The child: the column that is not the forking process.
			child := cols[0]
			if child == fork.Pid {
				child = cols[1]
			}
			exits := b.find(t, `^\+\+\+ (exited|killed)`, "x")
			exitNo := 0
			for _, e := range exits {
				if e.Pid == child {
					exitNo = e.No
				}
			}
			if exitNo == 0 {
				t.Fatalf("no exit of the child %d in %v", child, exits)
			}
			b.goStep(t, exitNo-1)
			if cols := b.columns(t); !contains(cols, child) {
				t.Fatalf("just before the child's exit (step %d): columns %v lack the child %d", exitNo-1, cols, child)
			}
			b.goStep(t, exitNo)
			if cols := b.columns(t); contains(cols, child) {
				t.Fatalf("at the child's exit (step %d): columns %v still show the child %d", exitNo, cols, child)
			}

			// Keyboard: → moves one step on, and the fragment follows.
			b.goStep(t, fork.No)
			b.do(t, chromedp.Focus(chromedp.ID("list")), chromedp.KeyEvent(kb.ArrowRight))
			b.wait(t, fmt.Sprintf(`mmtrace.step() > %d`, fork.No), 5*time.Second)
			hash := eval[string](t, b, `location.hash`)
			if !strings.HasPrefix(hash, "#step=") || hash == fmt.Sprintf("#step=%d", fork.No) {
				t.Errorf("after →: the fragment is %q", hash)
			}

			// The explanations switch language.
			b.goStep(t, fork.No)
			en := get(t, b, chromedp.Text(chromedp.ID("detail")))
			b.do(t, chromedp.Click(chromedp.ID("lang")))
			b.wait(t, `document.documentElement.lang === "zh-Hans"`, 5*time.Second)
			zh := get(t, b, chromedp.Text(chromedp.ID("detail")))
			if en == zh || !han.MatchString(zh) || han.MatchString(en) {
				t.Errorf("language switch: English %q, then %q", en, zh)
			}
			rowsZH := get(t, b, chromedp.Text(chromedp.ID("rows")))
			if !han.MatchString(rowsZH) {
				t.Errorf("the timeline's notes did not switch to Chinese: %.200q", rowsZH)
			}

			// The widths: at the fork, and after the last fork, where
			// the most processes may be alive (copy: the parent and its
			// three children, four columns).
			lastFork := forks[len(forks)-1].No
			for _, size := range [][]int{{1600, 1000}, {1024, 768}, {1600, 1000, lastFork}, {1024, 768, lastFork}} {
				b.do(t, chromedp.EmulateViewport(int64(size[0]), int64(size[1])))
				at := fork.No
				if len(size) > 2 {
					at = size[2]
				}
				b.goStep(t, at)
				type width struct {
					Scroll int `json:"scroll"`
					Inner  int `json:"inner"`
				}
				fits := eval[width](t, b, `({scroll: document.scrollingElement.scrollWidth, inner: innerWidth})`)
				// The selected step's row is in sight in the list, the
				// window's size changed or not.
				inSight := eval[bool](t, b, `(() => {
					const r = document.querySelector("#rows .row.sel"), l = document.getElementById("list");
					if (!r) return false;
					const a = r.getBoundingClientRect(), b = l.getBoundingClientRect();
					return a.top >= b.top - 1 && a.bottom <= b.bottom + 1;
				})()`)
				if !inSight {
					t.Errorf("%dx%d, step %d: the selected step's row is out of the list's sight", size[0], size[1], at)
				}
				png := get(t, b, chromedp.CaptureScreenshot())
				shot := filepath.Join(t.TempDir(), fmt.Sprintf("%s-%dx%d-step%d.png", tc.name, size[0], size[1], at))
				if dir := os.Getenv("MMTRACE_SCREENSHOTS"); dir != "" {
					shot = filepath.Join(dir, filepath.Base(shot))
				}
				if err := os.WriteFile(shot, png, 0o644); err != nil {
					t.Fatal(err)
				}
				if fits.Scroll > fits.Inner {
					t.Errorf("%dx%d, step %d: horizontal scroll: the page is %d px wide in a %d px window (%s)", size[0], size[1], at, fits.Scroll, fits.Inner, shot)
				}
			}
			if errs := b.consoleErrors(); len(errs) > 0 {
				t.Fatalf("console errors:\n%s", strings.Join(errs, "\n"))
			}
		})
	}
}

func contains(xs []int, x int) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

// traceInBackground runs scenario name under the tracer on another
// goroutine; the channel gets its error (nil when it went well).
func traceInBackground(t *testing.T, name string, args []string, sinks ...tracer.Sink) <-chan error {
	t.Helper()
	plan, _ := testutil.PlanScenario(t, name, args...)
	calls := filter.Default()
	for _, c := range plan.Trace {
		calls.Add(c)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	out := make(chan error, 1)
	go func() {
		defer cancel()
		res, err := tracer.New(tracer.Config{Filter: calls}, sinks...).Run(ctx, plan.Spec())
		if err == nil && plan.After != nil {
			err = plan.After(res.Status())
		}
		out <- err
	}()
	return out
}

// TestServeLive: a page connected while the program runs sees its calls
// before the program ends, and the end.
func TestServeLive(t *testing.T) {
	chromium(t)
	m, rec := recorded(html.Options{Title: "ipc", Name: "ipc"})
	srv, err := html.Serve(rec, "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	if !srv.Loopback() || !strings.HasPrefix(srv.URL(), "http://127.0.0.1:") {
		t.Fatalf("serving at %s: want loopback", srv.URL())
	}
	b := newBrowser(t, 1600, 1000)
	// The class connects, then the program starts: it runs 4 s.
	b.open(t, srv.URL())
	b.wait(t, `mmtrace.connected()`, time.Minute)
	var ended atomic.Bool
	traced := traceInBackground(t, "ipc", []string{"--count", "20", "--interval", "200ms"}, m, rec)
	finished := make(chan error, 1)
	go func() {
		err := <-traced
		ended.Store(true)
		rec.Close()
		finished <- err
	}()
	b.wait(t, `mmtrace.steps() > 0`, time.Minute)
	running := !ended.Load()
	seen := eval[int](t, b, `mmtrace.steps()`)
	if !running {
		t.Errorf("the page saw its first calls only after the program ended")
	}
	t.Logf("%d calls on the page while the program ran", seen)
	if err := <-finished; err != nil {
		t.Fatal(err)
	}
	b.wait(t, `mmtrace.done()`, time.Minute)
	all := eval[int](t, b, `mmtrace.steps()`)
	if all <= seen {
		t.Errorf("no calls came after the first %d", seen)
	}
	// The page follows the trace to its last step.
	b.frame(t)
	if at := eval[int](t, b, `mmtrace.step()`); at != all {
		t.Errorf("the live page is at step %d of %d", at, all)
	}
	// What came in batches while the program ran shows, step by step,
	// what the saved page of the same trace shows.
	live, _ := b.stepDumps(t)
	b.open(t, "file://"+savePage(t, rec, "ipc.html"))
	saved, _ := b.stepDumps(t)
	if len(live) != len(saved) {
		t.Fatalf("the live page has %d steps, the saved page %d", len(live), len(saved))
	}
	for no := range live {
		if live[no] != saved[no] {
			t.Fatalf("step %d: the live page shows\n%s\n\nthe saved page\n%s", no+1, live[no], saved[no])
		}
	}
	if errs := b.consoleErrors(); len(errs) > 0 {
		t.Fatalf("console errors:\n%s", strings.Join(errs, "\n"))
	}
}

// TestServeStep: with step mode the trace waits at each call until the
// page's Next button releases it.
func TestServeStep(t *testing.T) {
	chromium(t)
	m, rec := recorded(html.Options{Title: "fork-shared", Name: "fork-shared", Step: true})
	srv, err := html.Serve(rec, "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	gate := html.NewGate(nil)
	defer gate.Close()
	srv.SetGate(gate)
	st := step.New(gate, io.Discard, step.Options{})
	b := newBrowser(t, 1600, 1000)
	traced := traceInBackground(t, "fork-shared", nil, m, rec, st)
	finished := make(chan error, 1)
	go func() {
		err := <-traced
		rec.Close()
		finished <- err
	}()
	b.open(t, srv.URL())
	waitingAt := func() string {
		b.wait(t, `!document.getElementById("release").disabled`, time.Minute)
		return get(t, b, chromedp.Text(chromedp.ID("status")))
	}
	first := waitingAt()
	if !strings.Contains(first, "openat(") {
		t.Fatalf("the first call waiting is %q, want the openat", first)
	}
	if n := eval[int](t, b, `mmtrace.steps()`); n != 0 {
		t.Fatalf("%d calls returned before the first Next", n)
	}
	for i := 1; i <= 3; i++ {
		b.do(t, chromedp.Click(chromedp.ID("release")))
		b.wait(t, fmt.Sprintf(`mmtrace.steps() >= %d`, i), time.Minute)
		now := waitingAt()
		if now == first {
			t.Fatalf("after Next %d the page still waits at %q", i, now)
		}
		t.Logf("after Next %d: %d calls, %s", i, eval[int](t, b, `mmtrace.steps()`), now)
		first = now
	}
	select {
	case err := <-finished:
		t.Fatalf("the trace ended (%v) before the class ran it to the end", err)
	default:
	}
	b.do(t, chromedp.Click(chromedp.ID("runon")))
	if err := <-finished; err != nil {
		t.Fatal(err)
	}
	b.wait(t, `mmtrace.done()`, time.Minute)
	if errs := b.consoleErrors(); len(errs) > 0 {
		t.Fatalf("console errors:\n%s", strings.Join(errs, "\n"))
	}
}

// TestPageScale measures how long the page's script takes to start on a
// big trace: the waitpid scenario, and a program making 100,000 calls.
// Measured and logged, not asserted (the machine is shared): the page's
// own clock (wall time, which a busy machine stretches) and chromium's
// count of the main thread's CPU time. What is asserted is the size of the
// page for 100,000 calls: its data compact.
func TestPageScale(t *testing.T) {
	if testing.Short() {
		t.Skip("traces 100,000 calls")
	}
	cases := []struct {
		name    string
		trace   func(t *testing.T, sinks ...tracer.Sink)
		maxSize int64
	}{
		{"waitpid", func(t *testing.T, sinks ...tracer.Sink) {
			testutil.TraceScenario(t, nil, "waitpid", nil, sinks...)
		}, 0},
		{"100000-calls", func(t *testing.T, sinks ...tracer.Sink) {
			prog := testutil.BuildC(t, filepath.Join("testdata", "calls.c"))
			spec := &rawchild.Spec{}
			if err := spec.SetExec(prog, []string{prog}, os.Environ()); err != nil {
				t.Fatal(err)
			}
			testutil.TraceSpec(t, spec, nil, sinks...)
		}, 1 << 20}, // 12.4 MB as an object per record
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			m, rec := recorded(html.Options{Title: tc.name, Name: tc.name})
			tc.trace(t, m, rec)
			page := savePage(t, rec, tc.name+".html")
			st, err := os.Stat(page)
			if err != nil {
				t.Fatal(err)
			}
			if tc.maxSize > 0 && st.Size() > tc.maxSize {
				t.Errorf("the page is %d KiB, want at most %d KiB", st.Size()/1024, tc.maxSize/1024)
			}
			chromium(t)
			b := newBrowser(t, 1600, 1000)
			// Chromium counts the main thread's busy time in CPU time
			// (thread ticks), which the other work on the machine does
			// not stretch.
			b.do(t, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
				return tg.Call(ctx, "Performance.enable", map[string]any{"timeDomain": "threadTicks"}, nil)
			}))
			b.open(t, "file://"+page)
			cpu := b.metrics(t)
			type timing struct {
				Script  float64 `json:"script"`
				Load    float64 `json:"load"`
				Records int     `json:"records"`
				// The start's phases (app.js, mark).
				Read, Inflate, Parse, Wait, Ingest, List, Select, Frame, Draw float64
			}
			tm := eval[timing](t, b, `window.mmtraceTiming`)
			steps := eval[int](t, b, `mmtrace.steps()`)
			// Then to the end and back: every record's changes applied
			// and undone.
			end := eval[float64](t, b, `(() => { const t0 = performance.now(); document.getElementById("last").click(); return performance.now() - t0; })()`)
			b.wait(t, `mmtrace.step() === mmtrace.steps()`, time.Minute)
			back := eval[float64](t, b, `(() => { const t0 = performance.now(); document.getElementById("first").click(); return performance.now() - t0; })()`)
			t.Logf("%s: %d steps (%d records), page %d KiB: script %.0f ms to the first drawing (data read %.0f, inflated %.0f, parsed %.0f, records read %.0f, list %.0f, first step %.0f, waiting for the frame %.0f, drawn %.0f), %.0f ms from the navigation's start; main thread's CPU time %.0f ms; to the last step %.0f ms, back to the first %.0f ms",
				tc.name, steps, tm.Records, st.Size()/1024, tm.Script, tm.Read, tm.Inflate, tm.Parse, tm.Ingest, tm.List, tm.Select, tm.Wait+tm.Frame, tm.Draw, tm.Load,
				1000*cpu["TaskDuration"], end, back)
			if tc.name == "100000-calls" && steps < 100000 {
				t.Errorf("%d steps, want 100,000 calls and more", steps)
			}
			if errs := b.consoleErrors(); len(errs) > 0 {
				t.Fatalf("console errors:\n%s", strings.Join(errs, "\n"))
			}
		})
	}
}

// metrics returns chromium's performance figures for the page (seconds
// for the durations), after Performance.enable.
func (b *browser) metrics(t *testing.T) map[string]float64 {
	t.Helper()
	ms := get(t, b, chromedp.Action[[]performance.Metric](func(ctx context.Context, tg *chromedp.Target) ([]performance.Metric, error) {
		var res struct {
			Metrics []performance.Metric `json:"metrics"`
		}
		err := tg.Call(ctx, "Performance.getMetrics", nil, &res)
		return res.Metrics, err
	}))
	out := map[string]float64{}
	for _, m := range ms {
		out[m.Name] = m.Value
	}
	return out
}

// mapBlock is an address-space block as the page draws it.
type mapBlock struct {
	Pid     int    `json:"pid"`
	Name    string `json:"name"`
	Classes string `json:"classes"`
	Obj     string `json:"obj"`
	Touched string `json:"touched"`
}

func (b *browser) blocks(t *testing.T) []mapBlock {
	t.Helper()
	return eval[[]mapBlock](t, b, `[...document.querySelectorAll("#cols .map")].map(m => ({
		pid: +m.closest(".col").dataset.pid, name: m.querySelector(".mname").textContent, classes: m.className,
		obj: m.dataset.obj, touched: (m.querySelector(".pages") || {title: ""}).title}))`)
}

// stepOf returns the first step whose line matches re in process pid (0:
// any).
func stepOf(t *testing.T, b *browser, re string, pid int) stepAt {
	t.Helper()
	for _, s := range b.find(t, re, "") {
		if pid == 0 || s.Pid == pid {
			return s
		}
	}
	t.Fatalf("no step matching %s in process %d", re, pid)
	return stepAt{}
}

// TestPageDetails checks the rest of what the issue asks the page to
// show: copy-on-write marks, the pages a process touched, the fd tables,
// the process tree's arrows, the stepping keys, and the labels.
func TestPageDetails(t *testing.T) {
	chromium(t)
	t.Run("fork-private", func(t *testing.T) {
		// After the fork the file's private mapping is in both
		// processes: marked copy-on-write, linked by a dashed line.
		m, rec := recorded(html.Options{Title: "fork-private", Name: "fork-private"})
		testutil.TraceScenario(t, nil, "fork-private", nil, m, rec)
		b := newBrowser(t, 1600, 1000)
		b.open(t, "file://"+savePage(t, rec, "fork-private.html"))
		fork := stepOf(t, b, `^(fork|clone)\(`, 0)
		var child stepAt
		for _, s := range b.find(t, `^exit_group`, "") {
			if s.Pid != fork.Pid {
				child = s
			}
		}
		if child.No == 0 {
			t.Fatal("no exit_group of the child")
		}
		b.goStep(t, child.No) // both alive, whoever ran first
		var cow []mapBlock
		for _, m := range b.blocks(t) {
			if strings.HasPrefix(m.Name, "fork.txt") {
				if !strings.Contains(m.Classes, "private") || !strings.Contains(m.Classes, "cow") {
					t.Errorf("the private mapping of fork.txt in %d is not marked copy-on-write: %q", m.Pid, m.Classes)
				}
				cow = append(cow, m)
			}
		}
		if len(cow) != 2 || cow[0].Obj != cow[1].Obj {
			t.Fatalf("fork.txt's private mapping at step %d: %+v, want one object in two columns", child.No, cow)
		}
		if n := eval[int](t, b, fmt.Sprintf(`document.querySelectorAll('#links path.link.cow[data-obj="%s"]').length`, cow[0].Obj)); n != 1 {
			t.Errorf("%d dashed links for the copy-on-write mapping, want 1", n)
		}
	})

	t.Run("fork-shared", func(t *testing.T) {
		m, rec := recorded(html.Options{Title: "fork-shared", Name: "fork-shared", Faults: true})
		testutil.TraceScenario(t, nil, "fork-shared", nil, m, rec)
		b := newBrowser(t, 1600, 1000)
		b.open(t, "file://"+savePage(t, rec, "fork-shared.html"))
		fork := stepOf(t, b, `^(fork|clone)\(`, 0)
		parent := fork.Pid
		var exit stepAt
		for _, s := range b.find(t, `^exit_group`, "") {
			if s.Pid != parent {
				exit = s
			}
		}
		if exit.No == 0 {
			t.Fatal("no exit_group of the child")
		}
		child := exit.Pid
		b.goStep(t, exit.No)

		// The pages touched: the child stored into the file's one page
		// before it exits, and a store maps the page in: 1 of 1.
		touched := map[int]string{}
		for _, m := range b.blocks(t) {
			if strings.HasPrefix(m.Name, "fork.txt") {
				touched[m.Pid] = m.Touched
			}
		}
		if touched[child] != "1 of 1 pages touched" {
			t.Errorf("the child's mapping of fork.txt after its store: %q, want 1 of 1 pages touched (all: %v)", touched[child], touched)
		}

		// The fd tables: fd 3 is fork.txt, open read-write, in both.
		fds := eval[map[string]string](t, b, `Object.fromEntries([...document.querySelectorAll("#cols .col")].map(c =>
			[c.dataset.pid, [...c.querySelectorAll(".fds tr")].map(r => r.textContent).join("|")]))`)
		for _, pid := range []int{parent, child} {
			if !strings.Contains(fds[strconv.Itoa(pid)], "3rwfork.txt") {
				t.Errorf("the fd table of %d: %q, want 3 rw fork.txt", pid, fds[strconv.Itoa(pid)])
			}
		}

		// The tree: a fork arrow while the child lives, and a wait arrow
		// once the parent reaped it.
		if n := eval[int](t, b, `document.querySelectorAll("#tree path.fork").length`); n != 1 {
			t.Errorf("%d fork arrows, want 1", n)
		}
		if n := eval[int](t, b, `document.querySelectorAll("#tree path.wait").length`); n != 0 {
			t.Errorf("a wait arrow before the wait")
		}
		wait := stepOf(t, b, `^wait4\(`, parent)
		b.goStep(t, wait.No)
		if n := eval[int](t, b, `document.querySelectorAll("#tree path.wait").length`); n != 1 {
			t.Errorf("after wait4 (step %d): %d wait arrows, want 1", wait.No, n)
		}

		// The keys: ← and → one step, Home before the first, End the
		// last, space plays and pauses.
		key := func(k string) {
			b.do(t, chromedp.Focus(chromedp.ID("list")), chromedp.KeyEvent(k))
			b.frame(t)
		}
		all := eval[int](t, b, `mmtrace.steps()`)
		key(kb.ArrowLeft)
		if at := eval[int](t, b, `mmtrace.step()`); at != wait.No-1 {
			t.Errorf("← from step %d: step %d", wait.No, at)
		}
		key(kb.Home)
		if at := eval[int](t, b, `mmtrace.step()`); at != 0 {
			t.Errorf("Home: step %d, want 0 (before the first)", at)
		}
		key(kb.End)
		if at := eval[int](t, b, `mmtrace.step()`); at != all {
			t.Errorf("End: step %d, want %d", at, all)
		}
		key(kb.Home)
		key(" ")
		if p := eval[string](t, b, `document.getElementById("play").getAttribute("aria-pressed")`); p != "true" {
			t.Errorf("space did not start playing")
		}
		b.wait(t, `mmtrace.step() >= 1`, 10*time.Second)
		key(" ")
		if p := eval[string](t, b, `document.getElementById("play").getAttribute("aria-pressed")`); p != "false" {
			t.Errorf("space again did not pause")
		}

		// Labels: the real ids, and P1, P2 … and A1 … at a click.
		b.goStep(t, fork.No)
		chips := func() string {
			return eval[string](t, b, `[...document.querySelectorAll("#cols .col h3 .pid")].map(e => e.textContent).join(" ") + " " + document.getElementById("detail").textContent`)
		}
		real := chips()
		if !strings.Contains(real, strconv.Itoa(parent)) || strings.Contains(real, "P1") {
			t.Errorf("real ids: %q", real)
		}
		b.do(t, chromedp.Click(chromedp.ID("labels")))
		b.frame(t)
		lab := chips()
		if !strings.HasPrefix(lab, "P1") || strings.Contains(lab, strconv.Itoa(parent)) || regexp.MustCompile(`0x[0-9a-f]{6,}`).MatchString(lab) {
			t.Errorf("labels: %q", lab)
		}
		if errs := b.consoleErrors(); len(errs) > 0 {
			t.Fatalf("console errors:\n%s", strings.Join(errs, "\n"))
		}
	})

	t.Run("stable", func(t *testing.T) {
		// --stable: labels only, no toggle, no time.
		m, rec := recorded(html.Options{Title: "fork-shared", Name: "fork-shared", Stable: true})
		testutil.TraceScenario(t, nil, "fork-shared", nil, m, rec)
		b := newBrowser(t, 1600, 1000)
		b.open(t, "file://"+savePage(t, rec, "stable.html"))
		fork := stepOf(t, b, `^(fork|clone)\(`, 0)
		b.goStep(t, fork.No)
		if !eval[bool](t, b, `document.getElementById("labels").hidden`) {
			t.Errorf("a stable page offers real ids it does not have")
		}
		text := eval[string](t, b, `document.getElementById("main").textContent`)
		if !strings.Contains(text, "P1") || !strings.Contains(text, "P2") || regexp.MustCompile(`0x[0-9a-f]{6,}|\d\.\d{6}`).MatchString(text) {
			t.Errorf("the stable page: %.400q", text)
		}
	})
}

// stepDumps steps the open page through every step, forward then
// backward (the changes applied, then undone), and returns at each what
// it draws: the address space, the tree and the detail, and forward the
// rows shown.
func (b *browser) stepDumps(t *testing.T) (fwd, back []string) {
	t.Helper()
	type dumps struct {
		Fwd  []string `json:"fwd"`
		Back []string `json:"back"`
	}
	d := get(t, b, chromedp.Evaluate[dumps](`(async () => {
		const frame = () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
		const text = (id) => document.getElementById(id).innerText;
		const n = mmtrace.steps(), fwd = [], back = [];
		const go = async (no) => {
			location.hash = "#step=" + no;
			for (let k = 0; k < 100 && mmtrace.step() !== no; k++) await frame();
			await frame();
			return [mmtrace.step(), text("cols"), text("tree"), text("detail")].join("\n");
		};
		for (let no = 1; no <= n; no++) fwd.push(await go(no) + "\n" + text("rows"));
		for (let no = n; no >= 1; no--) back.unshift(await go(no));
		return { fwd, back };
	})()`, chromedp.EvalAwaitPromise))
	return d.Fwd, d.Back
}

// TestPackedPageShowsTheSame checks that a page whose data is packed, as
// a big trace's is (batch.go's pack, read by the script's unpack), shows
// at every step what the same trace shows from its JSON: the same steps,
// address space, tree, detail and rows; and that stepping back through
// the changes (undone) shows what stepping forward showed.
func TestPackedPageShowsTheSame(t *testing.T) {
	chromium(t)
	cases := []struct {
		name   string
		stable bool
		trace  func(t *testing.T, m *model.Model, rec *html.Recorder)
	}{
		{"copy", false, func(t *testing.T, m *model.Model, rec *html.Recorder) {
			testutil.TraceCopy(t, "3", m, rec)
		}},
		{"fork-shared-stable", true, func(t *testing.T, m *model.Model, rec *html.Recorder) {
			testutil.TraceScenario(t, nil, "fork-shared", nil, m, rec)
		}},
	}
	b := newBrowser(t, 1600, 1000)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			m, rec := recorded(html.Options{Title: tc.name, Name: tc.name, Lang: explain.EN, Stable: tc.stable})
			tc.trace(t, m, rec)
			plain := savePage(t, rec, "plain.html")
			saved := *html.PackAbove
			*html.PackAbove = 0
			packed := savePage(t, rec, "packed.html")
			*html.PackAbove = saved
			src, err := os.ReadFile(packed)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(string(src), `data-encoding="packed gzip base64"`) {
				t.Fatal("the page's data is not packed")
			}

			var fwd, back [2][]string
			var steps [2][]stepAt
			for k, page := range []string{plain, packed} {
				b.open(t, "file://"+page)
				steps[k] = b.find(t, ".", "")
				fwd[k], back[k] = b.stepDumps(t)
			}
			if len(steps[0]) < 10 || !reflect.DeepEqual(steps[0], steps[1]) {
				t.Fatalf("steps from JSON %d, packed %d; differ: %v", len(steps[0]), len(steps[1]), !reflect.DeepEqual(steps[0], steps[1]))
			}
			for k, name := range []string{"JSON", "packed"} {
				for no := range fwd[k] {
					if k == 1 && fwd[1][no] != fwd[0][no] {
						t.Fatalf("step %d: packed page shows\n%s\n\nthe JSON page\n%s", no+1, fwd[1][no], fwd[0][no])
					}
					if !strings.HasPrefix(fwd[k][no], back[k][no]+"\n") {
						t.Fatalf("%s page, step %d: forward\n%s\n\nbackward\n%s", name, no+1, fwd[k][no], back[k][no])
					}
				}
			}
			if errs := b.consoleErrors(); len(errs) > 0 {
				t.Fatalf("console errors:\n%s", strings.Join(errs, "\n"))
			}
		})
	}
}
