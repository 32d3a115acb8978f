package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"unicode"

	"github.com/mmtrace/mmtrace/internal/testutil"
)

// The names hostilename.c uses, as mmtrace must show them: escaped as
// strace escapes strings, printable UTF-8 (数据) kept.
const (
	// fileShown is the part of the file's name with no space, which a
	// note's wrapping cannot cut: the ESC sequences, BEL, the C1 CSI
	// and the bidi override escaped, 数据 as it is.
	fileShown = `3\33[31mRED\33]0;pwned\7\302\23331m\342\200\256txt.exe数据`
	// fileHead is the start of the name: its newline and forged line.
	fileHead = `x\n12345 0.0 openat(AT_FDCWD, \"forged\", O_RDONLY) = ` + fileShown
	// progShown is the base name of the link the program execs.
	progShown = `true\n12345 0.0 exec\0337数`
	// forged starts the line the file name would forge if printed raw.
	forged = "12345 0.0 "
)

// TestNamesAreEscaped traces a program whose file names hold a newline
// and a forged timeline line, ESC and OSC sequences, a C1 control, a bidi
// override and Chinese, and checks every output: no line starts with the
// forged prefix, no control character from the names reaches any output,
// nothing was replaced by U+FFFD, and the escaped names are there.
func TestNamesAreEscaped(t *testing.T) {
	bin := testutil.BuildC(t, testutil.Fixture("hostilename.c"))
	truePath, err := exec.LookPath("true")
	if err != nil {
		t.Skip("no true to exec")
	}
	out := t.TempDir()
	timeline := filepath.Join(out, "timeline.txt")
	picture := filepath.Join(out, "trace.svg")
	events := filepath.Join(out, "trace.perfetto.json")
	run := func(t *testing.T, args ...string) {
		t.Helper()
		dir := t.TempDir()
		args = append(append([]string{"run"}, args...), "--", bin, dir, truePath)
		if _, stderr, status := mmtrace(t, args...); status != 0 {
			t.Fatalf("mmtrace %s: status %d\n%s", strings.Join(args, " "), status, stderr)
		}
	}

	t.Run("timeline, maps and summary", func(t *testing.T) {
		for _, lang := range []string{"en", "zh"} {
			run(t, "-a", "--lang", lang, "--maps", "-C", "-o", timeline, "--svg", picture, "--perfetto", events)
			text := read(t, timeline)
			checkLines(t, "timeline "+lang, text)
			notes, maps := 0, 0
			for _, l := range strings.Split(text, "\n") {
				if strings.HasPrefix(strings.TrimSpace(l), ">") && strings.Contains(l, fileShown) {
					notes++
				}
				if strings.Contains(l, "file shared") && strings.Contains(l, "/"+fileHead) {
					maps++
				}
			}
			// open, ftruncate, mmap, munmap, close, the SIGBUS, the
			// child's death, its reaping, unlink: each names the file.
			if notes < 9 {
				t.Errorf("%s: %d notes show the escaped name %s, want 9 or more:\n%s", lang, notes, fileShown, text)
			}
			if maps == 0 {
				t.Errorf("%s: no --maps line shows the escaped path /%s:\n%s", lang, fileHead, text)
			}
			if !strings.Contains(text, "% time") {
				t.Errorf("%s: no summary table (-C):\n%s", lang, text)
			}
			if !strings.Contains(text, progShown) {
				t.Errorf("%s: the exec's note does not name %s", lang, progShown)
			}
		}
		checkSVG(t, read(t, picture))
		strs := checkJSON(t, "perfetto", []byte(read(t, events)))
		for _, want := range []string{fileShown, progShown} {
			if !strings.Contains(strs, want) {
				t.Errorf("perfetto: %s missing", want)
			}
		}
	})

	t.Run("json lines", func(t *testing.T) {
		lines := filepath.Join(out, "trace.jsonl")
		run(t, "--json", "-o", lines)
		sc := bufio.NewScanner(strings.NewReader(read(t, lines)))
		sc.Buffer(nil, 1<<20)
		n := 0
		for sc.Scan() {
			checkJSON(t, "json line", sc.Bytes())
			n++
		}
		if n == 0 {
			t.Fatal("no JSON lines")
		}
	})

	t.Run("command not found", func(t *testing.T) {
		name := filepath.Join(t.TempDir(), "nope\n"+forged+"\x1b[31m")
		_, stderr, status := mmtrace(t, "run", "--", name)
		if status != 127 {
			t.Errorf("status %d, want 127", status)
		}
		checkLines(t, "stderr", stderr)
		if want := `nope\n12345 0.0 \33[31m: command not found`; !strings.Contains(stderr, want) {
			t.Errorf("stderr %q lacks %q", stderr, want)
		}
	})

	t.Run("scenario paths", func(t *testing.T) {
		file := filepath.Join(t.TempDir(), "w\n"+forged+"\x1b[31m数")
		_, stderr, status := mmtrace(t, "write", "-q", file)
		if status != 0 {
			t.Fatalf("write: status %d\n%s", status, stderr)
		}
		checkLines(t, "write's stderr", stderr)
		if want := `w\n12345 0.0 \33[31m数 now holds`; !strings.Contains(stderr, want) {
			t.Errorf("write's stderr lacks %q:\n%s", want, stderr)
		}
		_, stderr, status = mmtrace(t, "copy", "-q", file+"-missing", file+"-copy")
		if status == 0 {
			t.Fatalf("copy of a missing file: status 0")
		}
		checkLines(t, "copy's stderr", stderr)
		if want := `w\n12345 0.0 \33[31m数-missing`; !strings.Contains(stderr, want) {
			t.Errorf("copy's stderr lacks %q:\n%s", want, stderr)
		}
	})
}

func read(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// checkLines checks text output line by line: no line starts with the
// forged prefix, and every character is printable (a raw name's ESC,
// BEL, C1 or bidi control would not be), with no U+FFFD standing for a
// byte lost.
func checkLines(t *testing.T, what, text string) {
	t.Helper()
	for i, l := range strings.Split(text, "\n") {
		if strings.HasPrefix(l, forged) {
			t.Errorf("%s: line %d is forged by a file name: %q", what, i+1, l)
		}
		checkPrintable(t, what, l)
	}
}

func checkPrintable(t *testing.T, what, s string) {
	t.Helper()
	for _, r := range s {
		if !unicode.IsPrint(r) || r == unicode.ReplacementChar {
			t.Errorf("%s: %U in %q", what, r, s)
			return
		}
	}
}

// checkSVG checks that the picture is XML, that no text in it (a label,
// a tooltip: tooltips have lines of their own) holds a control character
// or a line starting with the forged prefix, and that the file and the
// program show escaped.
func checkSVG(t *testing.T, svg string) {
	t.Helper()
	d := xml.NewDecoder(strings.NewReader(svg))
	var texts []string
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("svg: not XML: %v", err)
		}
		switch tok := tok.(type) {
		case xml.CharData:
			texts = append(texts, string(tok))
		case xml.StartElement:
			for _, a := range tok.Attr {
				texts = append(texts, a.Value)
			}
		}
	}
	all := strings.Join(texts, "\n")
	for _, s := range texts {
		for _, l := range strings.Split(s, "\n") {
			if strings.HasPrefix(strings.TrimSpace(l), forged) {
				t.Errorf("svg: a text line is forged by a file name: %q", l)
			}
			checkPrintable(t, "svg", strings.ReplaceAll(l, "\t", " "))
		}
	}
	for _, want := range []string{fileShown, progShown} {
		if !strings.Contains(all, want) {
			t.Errorf("svg: %s missing", want)
		}
	}
}

// checkJSON decodes one JSON value and checks every string in it: no
// control character, no line break, no U+FFFD. It returns the strings,
// one a line.
func checkJSON(t *testing.T, what string, b []byte) string {
	t.Helper()
	var strs strings.Builder
	var v any
	d := json.NewDecoder(bytes.NewReader(b))
	if err := d.Decode(&v); err != nil {
		t.Fatalf("%s: not JSON: %v", what, err)
	}
	var walk func(any)
	walk = func(v any) {
		switch v := v.(type) {
		case string:
			checkPrintable(t, what, v)
			strs.WriteString(v + "\n")
		case []any:
			for _, e := range v {
				walk(e)
			}
		case map[string]any:
			for k, e := range v {
				checkPrintable(t, what, k)
				walk(e)
			}
		}
	}
	walk(v)
	return strs.String()
}
