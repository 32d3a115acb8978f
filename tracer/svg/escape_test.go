package svg_test

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"strings"
	"syscall"
	"testing"
	"time"
	"unicode"

	"golang.org/x/sys/unix"

	"github.com/mmtrace/mmtrace/tracer"
	"github.com/mmtrace/mmtrace/tracer/model"
	"github.com/mmtrace/mmtrace/tracer/svg"
	"github.com/mmtrace/mmtrace/tracer/sys"
)

// TestNamesEscaped draws a trace whose names would act on a terminal or
// forge a tooltip line — the command's name, a program exec'd, a mapped
// file, what the program wrote — and checks that every text of the
// picture shows them escaped as strace escapes strings: no control
// character (which XML 1.0 cannot even hold: it would be lost as U+FFFD),
// no line of a label or tooltip that a name started.
func TestNamesEscaped(t *testing.T) {
	tests := []struct {
		name  string
		raw   string
		shown string
	}{
		{"newline forging a line", "a\n12345 0.0 x", `a\n12345 0.0 x`},
		{"escape sequence and bell", "a\x1b]0;t\a", `a\33]0;t\7`},
		{"c1 control and bidi override", "a\u009b\u202eb", `a\302\233\342\200\256b`},
		{"invalid utf-8", "a\xff", `a\377`},
		{"chinese stays readable", "数据", "数据"},
	}
	const pid = 1 << 30
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m := model.New()
			var buf bytes.Buffer
			r := svg.New(&buf, svg.Options{Title: "run " + tc.raw, Name: "first " + tc.raw, Model: m})
			at := time.Duration(0)
			send := func(e *tracer.Event) {
				at += time.Millisecond
				e.Time, e.Pid, e.Tid = at, pid, pid
				m.Event(e)
				r.Event(e)
			}
			call := func(name string, mem sys.Memory, ret int64, args ...uint64) {
				c := newCall(t, name, mem, args...)
				send(&tracer.Event{Kind: tracer.CallEnter, Call: c})
				c.Exit(mem, ret, &sys.Options{})
				send(&tracer.Event{Kind: tracer.CallExit, Call: c})
			}
			const addr = 0x7f0000000000
			mem := fakeMem{0x1000: []byte("/tmp/d/" + tc.raw + "\x00"), 0x2000: []byte("said " + tc.raw + "\n")}
			call("getpid", nil, pid)
			call("openat", mem, 3, uint64(^uint32(99)), 0x1000, unix.O_RDWR)
			m.Process(pid).FDs[3] = model.FD{Path: "/tmp/d/" + tc.raw, Flags: unix.O_RDWR}
			call("mmap", nil, addr, 0, 4096, unix.PROT_READ|unix.PROT_WRITE, unix.MAP_SHARED, 3, 0)
			call("write", mem, int64(len(mem[0x2000])), 1, 0x2000, uint64(len(mem[0x2000])))
			send(&tracer.Event{Kind: tracer.Signal, Signal: syscall.SIGBUS,
				Siginfo: sys.Siginfo{Signo: syscall.SIGBUS, Code: 2, Addr: addr}})
			call("execve", mem, 0, 0x1000, 0, 0)
			send(&tracer.Event{Kind: tracer.Exit, Leader: true})
			if err := r.Close(); err != nil {
				t.Fatal(err)
			}
			texts := svgTexts(t, buf.Bytes())
			all := strings.Join(texts, "\n")
			for _, s := range texts {
				for _, l := range strings.Split(s, "\n") {
					if strings.HasPrefix(strings.TrimSpace(l), "12345 ") {
						t.Errorf("a line starts with what a name held: %q", l)
					}
					for _, r := range l {
						if !unicode.IsPrint(r) || r == unicode.ReplacementChar {
							t.Errorf("%U in %q", r, l)
							break
						}
					}
				}
			}
			for _, want := range []string{
				"run " + tc.shown,              // the title
				"/tmp/d/" + tc.shown,           // the mapping's tooltip
				"said " + tc.shown,             // what the process wrote
				"in " + tc.shown + " 7f000000", // where the SIGBUS struck
			} {
				if !strings.Contains(all, want) {
					t.Errorf("the picture lacks %q:\n%s", want, all)
				}
			}
		})
	}
}

// svgTexts returns every text of the picture: character data and
// attribute values; it fails on anything that is not XML.
func svgTexts(t *testing.T, b []byte) []string {
	t.Helper()
	d := xml.NewDecoder(bytes.NewReader(b))
	var out []string
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			return out
		}
		if err != nil {
			t.Fatalf("not XML: %v", err)
		}
		switch tok := tok.(type) {
		case xml.CharData:
			out = append(out, string(tok))
		case xml.StartElement:
			for _, a := range tok.Attr {
				out = append(out, a.Value)
			}
		}
	}
}
