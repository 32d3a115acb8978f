package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/creack/pty"

	"github.com/mmtrace/mmtrace/internal/cells"
	"github.com/mmtrace/mmtrace/internal/cells/cellstest"
)

// onTerminal runs mmtrace with its stdin and stderr on a pseudo-terminal
// cols columns wide (0: a terminal that does not know its size), as a
// class sees it projected, and returns the terminal's lines. stdout goes
// to the terminal too, unless programOut is set: then it is captured there
// (a scenario's traced program writes its own lines to stdout, which are
// the program's and not mmtrace's to fit, as strace leaves them).
func onTerminal(t *testing.T, cols int, env []string, programOut *bytes.Buffer, args ...string) []string {
	t.Helper()
	ptmx, tty, err := pty.Open()
	if err != nil {
		t.Skipf("no pseudo-terminal here: %v", err)
	}
	defer ptmx.Close()
	if cols > 0 {
		if err := pty.Setsize(ptmx, &pty.Winsize{Rows: 40, Cols: uint16(cols)}); err != nil {
			t.Fatal(err)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, mmtraceBin, args...)
	cmd.Env = env
	cmd.Stdin, cmd.Stdout, cmd.Stderr = tty, tty, tty
	if programOut != nil {
		cmd.Stdout = programOut
	}
	if err := cmd.Start(); err != nil {
		tty.Close()
		t.Fatal(err)
	}
	tty.Close() // the child has it; reading ptmx ends when every copy is closed
	var screen bytes.Buffer
	done := make(chan error, 1)
	go func() {
		_, err := io.Copy(&screen, ptmx)
		done <- err
	}()
	werr := cmd.Wait()
	if err := <-done; err != nil && !errors.Is(err, os.ErrClosed) && !isEIO(err) {
		t.Fatalf("reading the terminal: %v", err)
	}
	if werr != nil {
		t.Fatalf("mmtrace %v: %v\n%s", args, werr, screen.String())
	}
	return render(screen.String())
}

// isEIO: Linux answers a read of a pseudo-terminal's master with EIO once
// the last slave is closed.
func isEIO(err error) bool {
	var pe *os.PathError
	return errors.As(err, &pe) && strings.Contains(pe.Err.Error(), "input/output error")
}

// render plays what was written to a terminal as the terminal shows it,
// one string per line: colours go, a carriage return goes back to the
// line's start, and erase-to-end-of-line (the progress line's) erases.
// A line wider than the terminal stays one string, so that its width shows.
func render(raw string) []string {
	var lines []string
	for _, l := range strings.Split(raw, "\n") {
		var buf []rune
		col := 0
		rs := []rune(l)
		for i := 0; i < len(rs); i++ {
			switch r := rs[i]; {
			case r == '\x1b' && i+1 < len(rs) && rs[i+1] == '[':
				j := i + 2
				for j < len(rs) && (rs[j] < '@' || rs[j] > '~') {
					j++
				}
				if j < len(rs) && rs[j] == 'K' {
					buf = buf[:col]
				}
				i = j
			case r == '\r':
				col = 0
			default:
				if col < len(buf) {
					buf[col] = r
				} else {
					buf = append(buf, r)
				}
				col++
			}
		}
		lines = append(lines, string(buf))
	}
	for len(lines) > 0 && lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	return lines
}

const (
	noteFirst = "                  > " // a note's first line
	noteMore  = "                    " // a wrapped note's later lines
)

var (
	// straceLine is a line of the timeline as strace prints it: pid,
	// time, then a call, a signal or an exit. It stays whole whatever
	// the width.
	straceLine  = regexp.MustCompile(`^\d+ +\d+\.\d{6} `)
	straceShape = regexp.MustCompile(`^\d+ +\d+\.\d{6} (\w+\(.*(\) = .*|<unfinished \.\.\.>)|<\.\.\. \w+ resumed>.*\) = .*|--- .* ---|\+\+\+ .* \+\+\+)$`)
)

// progressGlued is a line where copy's progress line ("copy: 12 MiB of
// 64 MiB (18%)") was left on screen and the traced program's own output
// went on after it.
var progressGlued = regexp.MustCompile(`^copy: [^()]* of [^()]* \(\d+%\)(.+)$`)

// notesOnScreen reads the notes back from the terminal's lines: each a
// first line and the lines wrapped after it.
func notesOnScreen(t *testing.T, lines []string) [][]string {
	var notes [][]string
	inNote := false
	for _, l := range lines {
		switch {
		case strings.HasPrefix(l, noteFirst):
			notes = append(notes, []string{strings.TrimPrefix(l, noteFirst)})
			inNote = true
		case inNote && strings.HasPrefix(l, noteMore) && !strings.HasPrefix(l, noteMore+" "):
			n := &notes[len(notes)-1]
			*n = append(*n, strings.TrimPrefix(l, noteMore))
		default:
			inNote = false
		}
	}
	return notes
}

// perfettoNotes are every note of a trace, whole, from its --perfetto
// file: the same run's notes as a file keeps them, never wrapped.
func perfettoNotes(t *testing.T, path string) []string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var trace struct {
		TraceEvents []struct {
			Args struct {
				Notes []string `json:"notes"`
			} `json:"args"`
		} `json:"traceEvents"`
	}
	if err := json.Unmarshal(b, &trace); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	var notes []string
	for _, e := range trace.TraceEvents {
		notes = append(notes, e.Args.Notes...)
	}
	return notes
}

// TestOnATerminal drives mmtrace in a pseudo-terminal 80 and 100 columns
// wide, as a teacher projects it: no line wider than the terminal in
// display cells, except the strace lines, which stay whole; every note
// wrapped under its marker, its lines, joined, the note itself (as the
// same run's --perfetto file holds it), with no word split and Chinese
// broken only where kinsoku allows.
func TestOnATerminal(t *testing.T) {
	if testing.Short() {
		t.Skip("traces scenarios in a terminal")
	}
	env := []string{"PATH=/usr/bin:/bin", "LANG=C", "TERM=xterm", "HOME=" + t.TempDir()}
	tests := []struct {
		name     string
		args     []string
		scenario bool // traces: notes to check, the program's stdout apart
	}{
		{"copy", []string{"copy"}, true},
		{"fork-shared zh", []string{"fork-shared", "--lang", "zh"}, true},
		{"pitfalls", []string{"pitfalls"}, true},
		{"help run", []string{"help", "run"}, false},
		{"list", []string{"list"}, false},
	}
	for _, width := range []int{80, 100} {
		for _, tc := range tests {
			t.Run(tc.name+"/"+strconv.Itoa(width), func(t *testing.T) {
				args := tc.args
				var perfetto string
				var programOut *bytes.Buffer
				if tc.scenario {
					perfetto = filepath.Join(t.TempDir(), "trace.json")
					args = append(append([]string(nil), args...), "--perfetto", perfetto)
					programOut = new(bytes.Buffer)
				}
				lines := onTerminal(t, width, env, programOut, args...)
				if len(lines) == 0 {
					t.Fatal("nothing on the terminal")
				}
				calls := 0
				for i, l := range lines {
					if m := progressGlued.FindStringSubmatch(l); m != nil {
						// Known, and not this test's: copy's children
						// write their own lines to stderr with raw
						// write(2), past mmtrace, so nothing erases the
						// progress line first (issue 12, item 2: route
						// them through the timeline). The rest of the
						// line is checked.
						t.Logf("line %d: the progress line and a line of the program's own share a line: %q", i+1, l)
						l = m[1]
					}
					if straceLine.MatchString(l) {
						calls++
						if !straceShape.MatchString(l) {
							t.Errorf("line %d is not a whole strace line: %q", i+1, l)
						}
						continue
					}
					if w := cells.Width(l); w > width {
						t.Errorf("line %d is %d cells wide on a %d-column terminal: %q", i+1, w, width, l)
					}
				}
				if !tc.scenario {
					return
				}
				if calls == 0 {
					t.Fatalf("no strace line on the terminal:\n%s", strings.Join(lines, "\n"))
				}
				onScreen := notesOnScreen(t, lines)
				whole := perfettoNotes(t, perfetto)
				if len(onScreen) != len(whole) {
					t.Errorf("%d notes on the terminal, %d in the trace file", len(onScreen), len(whole))
				}
				used := make([]bool, len(whole))
				wrapped := 0
				for _, n := range onScreen {
					if len(n) > 1 {
						wrapped++
					}
					found := false
					var why error
					for j, w := range whole {
						if used[j] {
							continue
						}
						err := cellstest.CheckWrap(w, n, width-cells.Width(noteMore))
						if err == nil {
							used[j], found = true, true
							break
						}
						if strings.ReplaceAll(strings.Join(n, ""), " ", "") == strings.ReplaceAll(w, " ", "") {
							why = err // the note, badly wrapped
						}
					}
					if !found {
						if why != nil {
							t.Errorf("a note is wrapped wrong: %v", why)
						} else {
							t.Errorf("a note on the terminal is in no trace file note:\n%s", strings.Join(n, "\n"))
						}
					}
				}
				if wrapped == 0 && width == 80 {
					t.Errorf("no note needed wrapping at %d columns: the test shows nothing", width)
				}
			})
		}
	}
}

// TestTerminalWidthFallbacks: a terminal that does not know its size is
// taken at $COLUMNS, else 80; output that is not a terminal keeps each
// note on one line, whatever $COLUMNS says.
func TestTerminalWidthFallbacks(t *testing.T) {
	if testing.Short() {
		t.Skip("traces a scenario")
	}
	base := []string{"PATH=/usr/bin:/bin", "LANG=C", "TERM=xterm", "NO_COLOR=1"}
	widest := func(lines []string) int {
		w := 0
		for _, l := range lines {
			if !straceLine.MatchString(l) {
				w = max(w, cells.Width(l))
			}
		}
		return w
	}
	t.Run("COLUMNS", func(t *testing.T) {
		lines := onTerminal(t, 0, append(base, "COLUMNS=50"), new(bytes.Buffer), "fork-shared")
		if w := widest(lines); w > 50 || w < 40 {
			t.Errorf("with COLUMNS=50 on a terminal of no size, the widest note line is %d cells", w)
		}
	})
	t.Run("80", func(t *testing.T) {
		lines := onTerminal(t, 0, base, new(bytes.Buffer), "fork-shared")
		if w := widest(lines); w > 80 || w < 70 {
			t.Errorf("on a terminal of no size and no COLUMNS, the widest note line is %d cells", w)
		}
	})
	t.Run("a pipe", func(t *testing.T) {
		cmd := exec.Command(mmtraceBin, "fork-shared")
		cmd.Env = append(base, "COLUMNS=40")
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		if err := cmd.Run(); err != nil {
			t.Fatal(err)
		}
		notes := 0
		for _, l := range strings.Split(stderr.String(), "\n") {
			if strings.HasPrefix(l, noteFirst) {
				notes++
			}
			if strings.HasPrefix(l, noteMore) {
				t.Errorf("a note wrapped in a pipe: %q", l)
			}
		}
		if notes == 0 {
			t.Fatalf("no notes:\n%s", stderr.String())
		}
	})
}

// TestStepOnATerminal plays --step as a class would, at a terminal, and
// checks each verdict against what the kernel returned, as the timeline
// shows it: openat's fd, ftruncate's 0, mmap's address, munmap's 0 (a
// wrong guess), and exit_group, which never returns; r replays munmap;
// the score comes last.
func TestStepOnATerminal(t *testing.T) {
	if testing.Short() {
		t.Skip("traces a scenario")
	}
	tests := []struct {
		lang string
		want []string
	}{
		{"en", []string{
			"  right: it returned 3: a new fd is the lowest number not in use",
			"  right: it returned 0: it worked",
			"  right: it returned 0x", ", an address the kernel chose",
			"  wrong: you said EINVAL; it returned 0: it worked",
			"  again: ",
			"  right: exit_group never returns: the process ends in it",
			"step: 4 right of 5 guesses",
		}},
		{"zh", []string{
			"  猜对了：返回 3：新的 fd 总是未被占用的最小编号",
			"  猜对了：返回 0：调用成功",
			"，一个由内核选定的地址",
			"  猜错了：你猜 EINVAL；返回 0：调用成功",
			"  再看一遍：",
			"  猜对了：exit_group 不会返回：进程在其中结束",
			"单步：猜了 5 次，猜对 4 次",
		}},
	}
	for _, tc := range tests {
		t.Run(tc.lang, func(t *testing.T) {
			ptmx, tty, err := pty.Open()
			if err != nil {
				t.Skipf("no pseudo-terminal here: %v", err)
			}
			defer ptmx.Close()
			if err := pty.Setsize(ptmx, &pty.Winsize{Rows: 40, Cols: 80}); err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
			defer cancel()
			cmd := exec.CommandContext(ctx, mmtraceBin, "write", "--step", "--lang", tc.lang, "--color=never")
			cmd.Env = []string{"PATH=/usr/bin:/bin", "LANG=C", "TERM=xterm"}
			var programOut bytes.Buffer
			cmd.Stdin, cmd.Stdout, cmd.Stderr = tty, &programOut, tty
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			tty.Close()
			// The screen, read as it comes; each answer is typed when its
			// question is on it, as a class would. openat, ftruncate,
			// mmap, munmap (after r), close (no guess), exit_group.
			var mu sync.Mutex
			var screen bytes.Buffer
			done := make(chan struct{})
			go func() {
				buf := make([]byte, 4096)
				for {
					n, err := ptmx.Read(buf)
					mu.Lock()
					screen.Write(buf[:n])
					mu.Unlock()
					if err != nil {
						close(done)
						return
					}
				}
			}()
			prompt := map[string]string{"en": "what will it return?", "zh": "它会返回什么？"}[tc.lang]
			for i, answer := range []string{"3", "0", "addr", "r", "EINVAL", "", "?"} {
				for {
					mu.Lock()
					asked := strings.Count(screen.String(), prompt)
					mu.Unlock()
					if asked > i {
						break
					}
					select {
					case <-done:
						t.Fatalf("mmtrace ended before question %d:\n%s", i+1, screen.String())
					case <-ctx.Done():
						t.Fatalf("no question %d:\n%s", i+1, screen.String())
					case <-time.After(10 * time.Millisecond):
					}
				}
				if _, err := io.WriteString(ptmx, answer+"\n"); err != nil {
					t.Fatal(err)
				}
			}
			if err := cmd.Wait(); err != nil {
				t.Fatalf("mmtrace write --step: %v\n%s", err, screen.String())
			}
			<-done
			got := strings.Join(render(screen.String()), "\n")
			for _, w := range tc.want {
				if !strings.Contains(got, w) {
					t.Errorf("the screen lacks %q:\n%s", w, got)
				}
			}
			// The timeline agrees with the verdicts: what the kernel
			// returned.
			for _, call := range []*regexp.Regexp{
				regexp.MustCompile(`(?m)^\d+ +\d+\.\d+ openat\(.*\) = 3$`),
				regexp.MustCompile(`(?m)^\d+ +\d+\.\d+ ftruncate\(3, 4\) = 0$`),
				regexp.MustCompile(`(?m)^\d+ +\d+\.\d+ mmap\(.*\) = 0x[0-9a-f]+$`),
				regexp.MustCompile(`(?m)^\d+ +\d+\.\d+ munmap\(0x[0-9a-f]+, 4\) = 0$`),
				regexp.MustCompile(`(?m)^\d+ +\d+\.\d+ exit_group\(0\) = \?$`),
			} {
				if !call.MatchString(got) {
					t.Errorf("the timeline has no line %s:\n%s", call, got)
				}
			}
		})
	}
}

// TestStableOnANarrowTerminal: a --stable handout shown on a terminal is
// wrapped after its labels are in, so no temporary path is cut before it
// can be replaced by $DIR, and the notes are filled to the width the
// labels leave, not to the width of the pids and addresses they replaced.
func TestStableOnANarrowTerminal(t *testing.T) {
	if testing.Short() {
		t.Skip("traces a scenario")
	}
	// A long temporary directory, so that its paths must wrap.
	tmp := filepath.Join(t.TempDir(), "a-temporary-directory-with-a-long-name")
	if err := os.Mkdir(tmp, 0o755); err != nil {
		t.Fatal(err)
	}
	env := []string{"PATH=/usr/bin:/bin", "LANG=C", "TERM=xterm", "TMPDIR=" + tmp}
	const width = 60
	lines := onTerminal(t, width, env, new(bytes.Buffer), "fork-shared", "--stable", "--maps", "--color=never")
	room := width - cells.Width(noteMore)
	// The timeline's lines: the scenario's closing messages are not
	// labelled yet (issue 12, item 3), and not checked here.
	var timeline []string
	for _, l := range lines {
		if regexp.MustCompile(`^P\d+ `).MatchString(l) || strings.HasPrefix(l, noteFirst) || strings.HasPrefix(l, noteMore) {
			timeline = append(timeline, l)
		}
	}
	if len(timeline) < 10 {
		t.Fatalf("no timeline:\n%s", strings.Join(lines, "\n"))
	}
	for _, l := range timeline {
		for _, piece := range []string{tmp, "a-temporary", "long-name", "mmtrace-fork-shared-"} {
			if strings.Contains(l, piece) {
				t.Errorf("the timeline shows the temporary directory (%q) instead of $DIR: %q", piece, l)
			}
		}
	}
	if !strings.Contains(strings.Join(timeline, "\n"), "$DIR/fork.txt") {
		t.Errorf("no $DIR/fork.txt in the timeline:\n%s", strings.Join(timeline, "\n"))
	}
	for _, n := range notesOnScreen(t, lines) {
		for i := 0; i+1 < len(n); i++ {
			next := strings.Fields(n[i+1])[0]
			if strings.HasPrefix(n[i+1], " ") {
				continue // a table row's own layout
			}
			if cells.Width(n[i])+1+cells.Width(next) <= room {
				t.Errorf("a note line left room for the next word %q: %q", next, n[i])
			}
		}
	}
}
