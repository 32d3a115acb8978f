package text_test

import (
	"regexp"
	"strings"
	"syscall"
	"testing"

	"github.com/mmtrace/mmtrace/internal/cells"
	"github.com/mmtrace/mmtrace/internal/cells/cellstest"
	"github.com/mmtrace/mmtrace/tracer"
	"github.com/mmtrace/mmtrace/tracer/text"
)

// everything renders one of each kind of line the palette colours: a call
// that worked and one that failed, notes, a signal, a stop, a normal exit
// and a killing one.
func everything(t *testing.T, opt text.Options, notes ...string) string {
	s := newScript(t, opt)
	s.at(1).enter(100, 100, "mmap", 0, 28, 3, 1, 3, 0)
	s.at(2).exitNoting(100, 100, 0x7f0000000000, notes...)
	s.at(3).call(100, 100, -9, "close", neg(-1))
	s.at(4).add(tracer.Event{Kind: tracer.Signal, Pid: 100, Tid: 100, Signal: syscall.SIGCHLD, Notes: notes})
	s.at(5).add(tracer.Event{Kind: tracer.Stopped, Pid: 100, Tid: 100, Signal: syscall.SIGSTOP})
	s.at(6).exited(101, 101, 0)
	s.at(7).add(tracer.Event{Kind: tracer.Exit, Pid: 102, Tid: 102, KilledBy: syscall.SIGBUS, Notes: notes})
	return s.timeline(true)
}

// TestPaletteReadsOnLightAndDark checks every colour the timeline uses: a
// projector's white screen washes out yellow, cyan and white, a dark
// terminal hides black, and dim text is faint on both. Only bold, red,
// green, blue, magenta and the terminal's own foreground may be used, and
// every coloured run ends with a reset.
func TestPaletteReadsOnLightAndDark(t *testing.T) {
	allowed := map[string]string{
		"0": "reset", "1": "bold", "22": "normal intensity", "39": "default foreground",
		"31": "red", "32": "green", "34": "blue", "35": "magenta",
	}
	got := everything(t, text.Options{Color: true}, "a note")
	sgr := regexp.MustCompile(`\x1b\[([0-9;]*)m`)
	seen := 0
	for _, m := range sgr.FindAllStringSubmatch(got, -1) {
		seen++
		for _, p := range strings.Split(m[1], ";") {
			if p == "" {
				p = "0"
			}
			if _, ok := allowed[p]; !ok {
				t.Errorf("SGR parameter %s (in %q) is not one that reads on both a white and a dark screen", p, m[0])
			}
		}
	}
	if seen == 0 {
		t.Fatalf("no colour at all:\n%s", got)
	}
	if rest := sgr.ReplaceAllString(got, ""); strings.Contains(rest, "\x1b") {
		t.Errorf("an escape sequence other than a colour: %q", rest)
	}
	for _, line := range strings.Split(got, "\n") {
		if i := strings.LastIndex(line, "\x1b["); i >= 0 && !strings.HasSuffix(line[i:], "\x1b[0m") && !strings.Contains(line[i:], "\x1b[0m") {
			t.Errorf("a line ends in colour: %q", line)
		}
	}
	for _, want := range []string{"\x1b[1;31m-1 EBADF", "\x1b[1;35m--- SIGCHLD", "\x1b[1;35m--- stopped by SIGSTOP", "\x1b[1;31m+++ killed by SIGBUS"} {
		if !strings.Contains(got, want) {
			t.Errorf("timeline lacks %q:\n%s", want, got)
		}
	}
}

// TestNotesFitTheWidth checks that notes are wrapped to the terminal's
// width, in cells, under their marker, whole words and Chinese kept
// together; that the call lines stay whole; and that with no width a note
// stays one line.
func TestNotesFitTheWidth(t *testing.T) {
	notes := []string{
		"shared by 16252, 16253, 16254 and 16255: copy.bin (16384 pages) and sample.bin (16384 pages): stores are seen by all",
		"MAP_SHARED：写入直接进入 fork.txt 本身，所有映射它的进程都看得到，无需 write()，写入彼此可见",
		"short",
	}
	for _, width := range []int{40, 80, 100} {
		for _, color := range []bool{false, true} {
			got := everything(t, text.Options{Width: width, Color: color}, notes...)
			plain := regexp.MustCompile(`\x1b\[[0-9;]*m`).ReplaceAllString(got, "")
			var note []string // the lines of the note being read
			var read []string // the notes read back
			end := func() {
				if note != nil {
					read = append(read, strings.Join(note, "\n"))
					note = nil
				}
			}
			for _, line := range strings.Split(strings.TrimSuffix(plain, "\n"), "\n") {
				switch {
				case strings.HasPrefix(line, "                  > "):
					end()
					note = []string{strings.TrimPrefix(line, "                  > ")}
				case strings.HasPrefix(line, "                    "):
					if note == nil {
						t.Fatalf("a continuation line with no note: %q", line)
					}
					note = append(note, strings.TrimPrefix(line, "                    "))
				default:
					end() // a call, signal or exit line: never wrapped
					continue
				}
				if w := cells.Width(line); w > width {
					t.Errorf("width %d: a note line is %d cells: %q", width, w, line)
				}
			}
			end()
			if len(read) != 3*len(notes) {
				t.Fatalf("width %d: read %d notes, want %d:\n%s", width, len(read), 3*len(notes), plain)
			}
			for i, n := range read {
				orig := notes[i%len(notes)]
				if err := cellstest.CheckWrap(orig, strings.Split(n, "\n"), width-20); err != nil {
					t.Errorf("width %d: %v", width, err)
				}
			}
			if !strings.Contains(plain, "100      0.001000 mmap(NULL, 28, PROT_READ|PROT_WRITE, MAP_SHARED, 3, 0) = 0x7f0000000000\n") {
				t.Errorf("width %d: the call line was cut:\n%s", width, plain)
			}
		}
	}
	got := everything(t, text.Options{}, notes...)
	for _, n := range notes {
		if !strings.Contains(got, "                  > "+n+"\n") {
			t.Errorf("with no width, the note is not one line: %q\n%s", n, got)
		}
	}
}

// TestWrapNotesAfterwards: a timeline rendered with no width and passed
// through WrapNotes, in pieces, reads as one rendered at that width.
func TestWrapNotesAfterwards(t *testing.T) {
	notes := []string{
		"shared by 16252, 16253, 16254 and 16255: copy.bin (16384 pages) and sample.bin (16384 pages): stores are seen by all",
		"MAP_SHARED：写入直接进入 fork.txt 本身，所有映射它的进程都看得到，无需 write()，写入彼此可见",
		"  7f09b8fa0000-7f09b8fa1000 rw-s 00000000 file shared /tmp/a/very/long/directory/fork.txt",
	}
	for _, width := range []int{40, 80} {
		want := everything(t, text.Options{Width: width}, notes...)
		plain := everything(t, text.Options{}, notes...)
		var got strings.Builder
		w := text.WrapNotes(&got, width)
		for len(plain) > 0 {
			n := min(7, len(plain)) // in pieces, as a writer gets them
			w.Write([]byte(plain[:n]))
			plain = plain[n:]
		}
		if got.String() != want {
			t.Errorf("width %d: WrapNotes gave\n%s\nthe renderer\n%s", width, got.String(), want)
		}
	}
}
