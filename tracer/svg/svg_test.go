package svg_test

import (
	"bytes"
	"encoding/xml"
	"flag"
	"image/png"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/mmtrace/mmtrace/tracer"
	"github.com/mmtrace/mmtrace/tracer/svg"
	"github.com/mmtrace/mmtrace/tracer/sys"
)

var keep = flag.String("keep", "", "write the pictures and their screenshots into `DIR`")

// picture is what a test reads back from an SVG.
type picture struct {
	lanes    []int            // data-pid of each <g class="lane">, in order
	classes  map[string]int   // elements by class
	texts    map[int][]string // the text of each lane, by pid
	captions map[int]string
	fills    map[string]int // fill colours of call marks
}

// parse reads the SVG with the XML decoder, token by token, as a viewer
// would, and fails on anything that is not well-formed.
func parse(t testing.TB, b []byte) picture {
	t.Helper()
	pic := picture{classes: map[string]int{}, texts: map[int][]string{}, captions: map[int]string{}, fills: map[string]int{}}
	d := xml.NewDecoder(bytes.NewReader(b))
	var stack []string // class of each open element
	lane := 0
	root := false
	inCall := false
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("not XML: %v", err)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			if !root {
				if tok.Name.Local != "svg" || tok.Name.Space != "http://www.w3.org/2000/svg" {
					t.Fatalf("root element %v", tok.Name)
				}
				root = true
			}
			class := attr(tok, "class")
			stack = append(stack, class)
			pic.classes[class]++
			if class == "lane" && tok.Name.Local == "g" {
				pid, err := strconv.Atoi(attr(tok, "data-pid"))
				if err != nil {
					t.Fatalf("lane without data-pid: %v", tok.Attr)
				}
				lane = pid
				pic.lanes = append(pic.lanes, pid)
			}
			if class == "call" {
				inCall = true
			}
			if inCall && tok.Name.Local == "rect" {
				pic.fills[attr(tok, "fill")]++
			}
		case xml.EndElement:
			if stack[len(stack)-1] == "lane" {
				lane = 0
			}
			if stack[len(stack)-1] == "call" {
				inCall = false
			}
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if lane == 0 || len(stack) == 0 {
				continue
			}
			s := strings.TrimSpace(string(tok))
			if s == "" {
				continue
			}
			pic.texts[lane] = append(pic.texts[lane], s)
			if stack[len(stack)-1] == "caption" {
				pic.captions[lane] += s
			}
		}
	}
	if !root {
		t.Fatal("no <svg> element")
	}
	return pic
}

func attr(e xml.StartElement, name string) string {
	for _, a := range e.Attr {
		if a.Name.Local == name {
			return a.Value
		}
	}
	return ""
}

func (p picture) laneText(pid int) string { return strings.Join(p.texts[pid], "\n") }

// render traces with the renderer and returns the picture's bytes.
func render(t *testing.T, name string, opt svg.Options, trace func(...tracer.Sink) tracer.Result) ([]byte, tracer.Result) {
	t.Helper()
	var buf bytes.Buffer
	r := svg.New(&buf, opt)
	res := trace(r)
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
	if *keep != "" {
		if err := os.WriteFile(filepath.Join(*keep, name+".svg"), buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return buf.Bytes(), res
}

func TestCopy(t *testing.T) {
	b, res := render(t, "copy", svg.Options{Title: "copy -n 5", Name: "copy"}, func(s ...tracer.Sink) tracer.Result { return traceCopy(t, "5", s...) })
	pic := parse(t, b)
	if len(pic.lanes) != 6 || pic.lanes[0] != res.Pid {
		t.Fatalf("lanes %v, want 6, the first %d", pic.lanes, res.Pid)
	}
	if pic.classes["fork"] != 5 || pic.classes["wait"] != 5 {
		t.Errorf("%d fork arrows and %d wait arrows, want 5 and 5", pic.classes["fork"], pic.classes["wait"])
	}
	root := pic.laneText(res.Pid)
	for _, want := range []string{"src.bin · 1 MiB · r-- shared", "dst.bin · 1 MiB · rw- shared", "exited with 0"} {
		if !strings.Contains(root, want) {
			t.Errorf("the parent's lane lacks %q:\n%s", want, root)
		}
	}
	// Each child: its part, in its own words, and the two mappings it
	// inherited.
	parts := map[string]bool{}
	for _, pid := range pic.lanes[1:] {
		text := pic.laneText(pid)
		c := pic.captions[pid]
		if !strings.Contains(c, "copies bytes [") {
			t.Errorf("child %d's caption %q does not say which part it copies", pid, c)
		}
		parts[c] = true
		for _, want := range []string{"child of " + strconv.Itoa(res.Pid), "inherited: src.bin · 1 MiB · r-- shared", "inherited: dst.bin · 1 MiB · rw- shared", "exited with 0", "page faults"} {
			if !strings.Contains(text, want) {
				t.Errorf("child %d's lane lacks %q:\n%s", pid, want, text)
			}
		}
	}
	if len(parts) != 5 {
		t.Errorf("%d different parts, want 5", len(parts))
	}
	screenshot(t, "copy", b)
}

func TestLesson(t *testing.T) {
	b, res := render(t, "lesson", svg.Options{Title: "lesson dd.txt"}, func(s ...tracer.Sink) tracer.Result { return traceLesson(t, s...) })
	pic := parse(t, b)
	if len(pic.lanes) != 3 {
		t.Fatalf("lanes %v, want 3", pic.lanes)
	}
	root := pic.laneText(res.Pid)
	for _, want := range []string{"lesson", "exited with 3", "mmap EINVAL", "mmap EACCES", "munmap EINVAL", "dd.txt · 4 KiB · rw- shared", "libc.so.6 ×"} {
		if !strings.Contains(root, want) {
			t.Errorf("the root's lane lacks %q:\n%s", want, root)
		}
	}
	if n := pic.fills["#d62728"]; n != 3 {
		t.Errorf("%d red marks, want 3 (the failed calls)", n)
	}
	killed := pic.laneText(pic.lanes[2])
	for _, want := range []string{"SIGTERM", "killed by SIGTERM", "kill"} {
		if !strings.Contains(killed, want) {
			t.Errorf("the second child's lane lacks %q:\n%s", want, killed)
		}
	}
	// The first child unmapped its inherited dd.txt mapping: the bar
	// ends there, before the child's exit.
	if first := pic.laneText(pic.lanes[1]); !strings.Contains(first, "ended by: munmap(0x") {
		t.Errorf("the first child's dd.txt mapping does not end at its munmap:\n%s", first)
	}
	if pic.classes["fork"] != 2 || pic.classes["wait"] != 2 || pic.classes["signal"] < 3 {
		t.Errorf("%d forks, %d waits, %d signals", pic.classes["fork"], pic.classes["wait"], pic.classes["signal"])
	}
	screenshot(t, "lesson", b)
}

// TestSIGBUS draws a made-up trace of a store past the end of a file.
func TestSIGBUS(t *testing.T) {
	var buf bytes.Buffer
	r := svg.New(&buf, svg.Options{Title: "made up", Name: "bus"})
	r.Event(&tracer.Event{Kind: tracer.Signal, Time: time.Millisecond, Pid: 1 << 30, Tid: 1 << 30, Signal: syscall.SIGBUS,
		Siginfo: sys.Siginfo{Signo: syscall.SIGBUS, Code: 2, Addr: 0x7f0000000000}, Notes: []string{"the page past the end of the file"}})
	r.Event(&tracer.Event{Kind: tracer.Exit, Time: 2 * time.Millisecond, Pid: 1 << 30, Tid: 1 << 30, KilledBy: syscall.SIGBUS, CoreDumped: true, Leader: true})
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
	pic := parse(t, buf.Bytes())
	text := pic.laneText(1 << 30)
	for _, want := range []string{"SIGBUS", "si_addr=0x7f0000000000", "the page past the end of the file", "killed by SIGBUS (core dumped)"} {
		if !strings.Contains(text, want) {
			t.Errorf("lane lacks %q:\n%s", want, text)
		}
	}
}

// TestCaptionFromMessage: the first line a process printed, which comes
// as a message (a scenario's writes to stdout are not calls), is its
// lane's caption; mmtrace's own report makes no lane.
func TestCaptionFromMessage(t *testing.T) {
	var buf bytes.Buffer
	r := svg.New(&buf, svg.Options{Title: "made up", Name: "copy"})
	r.Event(&tracer.Event{Kind: tracer.Spawn, Time: time.Millisecond, Pid: 10, Tid: 10, Child: 11})
	r.Event(&tracer.Event{Kind: tracer.Message, Time: 2 * time.Millisecond, Pid: 11, Tid: 11, FD: 2, Text: "child 1 of 2 copies bytes [0, 4096)"})
	r.Event(&tracer.Event{Kind: tracer.Message, Time: 3 * time.Millisecond, Pid: 11, Tid: 11, FD: 1, Text: "a second line"})
	r.Event(&tracer.Event{Kind: tracer.Exit, Time: 4 * time.Millisecond, Pid: 11, Tid: 11, Leader: true})
	r.Event(&tracer.Event{Kind: tracer.Exit, Time: 5 * time.Millisecond, Pid: 10, Tid: 10, Leader: true})
	r.Event(&tracer.Event{Kind: tracer.Message, Time: 6 * time.Millisecond, Text: "copied 4096 bytes"})
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
	pic := parse(t, buf.Bytes())
	if len(pic.lanes) != 2 {
		t.Errorf("%d lanes, want 2", len(pic.lanes))
	}
	if text := pic.laneText(11); !strings.Contains(text, "child 1 of 2 copies bytes [0, 4096)") || strings.Contains(text, "a second line") {
		t.Errorf("the child's lane's caption is not its first line:\n%s", text)
	}
}

// screenshot renders the picture in headless Chromium, where there is
// one, and checks that it is not blank.
func screenshot(t *testing.T, name string, pic []byte) {
	t.Helper()
	chromium := ""
	for _, c := range []string{"/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"} {
		if _, err := os.Stat(c); err == nil {
			chromium = c
			break
		}
	}
	if chromium == "" {
		t.Log("skipping the screenshot: no /usr/bin/chromium (apt-get install chromium)")
		return
	}
	if testing.Short() {
		t.Log("skipping the screenshot in -short mode")
		return
	}
	dir := t.TempDir()
	if *keep != "" {
		dir = *keep
	}
	file := filepath.Join(dir, name+".svg")
	if err := os.WriteFile(file, pic, 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, name+".png")
	cmd := exec.Command(chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--user-data-dir="+t.TempDir(), "--screenshot="+out, "--window-size=1200,800", "file://"+file)
	done := make(chan struct{})
	var log []byte
	var err error
	go func() {
		log, err = cmd.CombinedOutput()
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(90 * time.Second):
		cmd.Process.Kill()
		<-done
		t.Fatalf("chromium took more than 90 s:\n%s", log)
	}
	if err != nil {
		t.Fatalf("chromium: %v\n%s", err, log)
	}
	f, err := os.Open(out)
	if err != nil {
		t.Fatalf("no screenshot: %v\n%s", err, log)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	colours := map[uint32]bool{}
	ink := 0
	bounds := img.Bounds()
	for y := bounds.Min.Y; y < bounds.Max.Y; y++ {
		for x := bounds.Min.X; x < bounds.Max.X; x++ {
			r, g, b, _ := img.At(x, y).RGBA()
			r, g, b = r>>8, g>>8, b>>8
			colours[r<<16|g<<8|b] = true
			if r < 200 || g < 200 || b < 200 {
				ink++
			}
		}
	}
	total := bounds.Dx() * bounds.Dy()
	t.Logf("%s: %dx%d, %d colours, %.1f%% ink", out, bounds.Dx(), bounds.Dy(), len(colours), 100*float64(ink)/float64(total))
	if len(colours) < 20 || ink < total/100 {
		t.Errorf("the screenshot looks blank: %d colours, %d of %d pixels inked", len(colours), ink, total)
	}
}

// FuzzPicture feeds arbitrary strings to every place the picture shows
// text from the trace — a call's name and decoded text, notes, a
// process's words, a signal — and checks that it stays well-formed XML.
func FuzzPicture(f *testing.F) {
	f.Add([]byte("/tmp/dd.txt"), "note")
	f.Add([]byte("\x00\x01\x1b]0;\xff\xfe<&>\"'"), "]]><!--")
	f.Add([]byte("\xef\xbf\xbe\xed\xa0\x80"), "中文说明")
	f.Fuzz(func(t *testing.T, data []byte, s string) {
		var buf bytes.Buffer
		r := svg.New(&buf, svg.Options{Title: s, Name: string(data)})
		mem := fakeMem{0x1000: append(append([]byte(nil), data...), 0), 0x2000: data}
		open := newCall(t, "openat", mem, uint64(^uint32(99)), 0x1000, 0)
		e := &tracer.Event{Kind: tracer.CallEnter, Pid: 1 << 30, Tid: 1 << 30, Call: open, Notes: []string{s}}
		r.Event(e)
		open.Exit(mem, -int64(syscall.ENOENT), &sys.Options{StringLimit: 1 << 10})
		e.Kind, e.Time, e.Notes = tracer.CallExit, time.Microsecond, []string{string(data)}
		r.Event(e)
		write := newCall(t, "write", mem, 2, 0x2000, uint64(len(data)))
		write.Name = s
		r.Event(&tracer.Event{Kind: tracer.CallEnter, Time: 2 * time.Microsecond, Pid: 1 << 30, Tid: 1 << 30, Call: write})
		write.Exit(mem, int64(len(data)), &sys.Options{StringLimit: 1 << 10})
		r.Event(&tracer.Event{Kind: tracer.CallExit, Time: 3 * time.Microsecond, Pid: 1 << 30, Tid: 1 << 30, Call: write, Notes: []string{s}})
		r.Event(&tracer.Event{Kind: tracer.Signal, Time: 4 * time.Microsecond, Pid: 1 << 30, Tid: 1 << 30, Signal: syscall.SIGSEGV,
			Siginfo: sys.Siginfo{Signo: syscall.SIGSEGV, Code: 1}, Notes: []string{s + string(data)}})
		r.Event(&tracer.Event{Kind: tracer.Exit, Time: 5 * time.Microsecond, Pid: 1 << 30, Tid: 1 << 30, KilledBy: syscall.SIGSEGV, Leader: true})
		if err := r.Close(); err != nil {
			t.Fatal(err)
		}
		if pic := parse(t, buf.Bytes()); len(pic.lanes) != 1 {
			t.Fatalf("lanes %v", pic.lanes)
		}
	})
}

// fakeMem is a tracee's memory: byte strings at fixed addresses.
type fakeMem map[uint64][]byte

func (m fakeMem) Read(addr uint64, p []byte) (int, error) {
	for base, b := range m {
		if addr >= base && addr < base+uint64(len(b)) {
			return copy(p, b[addr-base:]), nil
		}
	}
	return 0, syscall.EFAULT
}

func newCall(t testing.TB, name string, mem sys.Memory, args ...uint64) *sys.Call {
	nr, ok := sys.Number(sys.HostArch(), name)
	if !ok {
		t.Skipf("no %s on this ABI", name)
	}
	var a [6]uint64
	copy(a[:], args)
	c := sys.NewCall(sys.HostArch(), nr, a)
	c.Enter(mem, &sys.Options{})
	return c
}

// TestScenarios draws the other lessons: each parses, with a lane per
// process the trace saw.
func TestScenarios(t *testing.T) {
	for _, tc := range []struct {
		name  string
		args  []string
		lanes int
		want  []string
	}{
		{name: "fork-shared", lanes: 2, want: []string{"file shared"}},
		{name: "anon", lanes: 2, want: []string{"anonymous shared"}},
		{name: "pitfalls", lanes: 0, want: []string{"SIGBUS", "killed by SIGBUS"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			spawns := &spawnCount{}
			b, _ := render(t, tc.name, svg.Options{Title: tc.name, Name: tc.name}, func(s ...tracer.Sink) tracer.Result {
				return traceScenario(t, nil, tc.name, tc.args, append(s, spawns)...)
			})
			pic := parse(t, b)
			if len(pic.lanes) != spawns.n+1 || tc.lanes != 0 && len(pic.lanes) != tc.lanes {
				t.Errorf("%d lanes, %d processes spawned", len(pic.lanes), spawns.n)
			}
			var all strings.Builder
			for _, pid := range pic.lanes {
				all.WriteString(pic.laneText(pid))
			}
			for _, w := range tc.want {
				if !strings.Contains(all.String(), w) {
					t.Errorf("picture lacks %q", w)
				}
			}
			if tc.name == "pitfalls" {
				screenshot(t, tc.name, b)
			}
		})
	}
}

// spawnCount counts the processes a trace creates.
type spawnCount struct{ n int }

func (s *spawnCount) Event(e *tracer.Event) {
	if e.Kind == tracer.Spawn && !e.Thread {
		s.n++
	}
}
func (s *spawnCount) Flush() error { return nil }
