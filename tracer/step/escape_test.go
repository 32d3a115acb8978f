package step

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"unicode"

	"github.com/mmtrace/mmtrace/tracer"
	"github.com/mmtrace/mmtrace/tracer/sys"
)

type fakeMem map[uint64][]byte

func (m fakeMem) Read(addr uint64, p []byte) (int, error) {
	for base, b := range m {
		if addr >= base && addr < base+uint64(len(b)) {
			return copy(p, b[addr-base:]), nil
		}
	}
	return 0, errors.New("unmapped")
}

// TestQuestionEscapesPaths checks that the question shows a path as the
// call line does, quoted and escaped as strace does: a name cannot end
// the question's line or reach the terminal as an escape sequence.
func TestQuestionEscapesPaths(t *testing.T) {
	tests := []struct {
		name, path, shown string
	}{
		{"newline", "/tmp/a\n12345 0.0 x", `"/tmp/a\n12345 0.0 x"`},
		{"escape sequence", "/tmp/\x1b[31m", `"/tmp/\33[31m"`},
		{"c1 and bidi", "/tmp/\u009b\u202e", `"/tmp/\302\233\342\200\256"`},
	}
	nr, ok := sys.Number(sys.HostArch(), "openat")
	if !ok {
		t.Skip("no openat")
	}
	for _, lang := range []bool{false, true} {
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				c := sys.NewCall(sys.HostArch(), nr, [6]uint64{uint64(^uint32(99)), 0x1000, 0})
				c.Enter(fakeMem{0x1000: []byte(tc.path + "\x00")}, nil)
				var out bytes.Buffer
				s := New(strings.NewReader("\n"), &out, Options{ZH: lang})
				s.Event(&tracer.Event{Kind: tracer.CallEnter, Pid: 42, Tid: 42, Call: c})
				q := out.String()
				q = q[strings.IndexByte(q, '\n')+1:] // after the first question's how-to line
				if !strings.Contains(q, tc.shown) {
					t.Errorf("question %q lacks %s", q, tc.shown)
				}
				if lines := strings.Count(q, "\n"); lines != 1 {
					t.Errorf("question has %d line ends, want 1: %q", lines, q)
				}
				for _, r := range q {
					if r != '\n' && !unicode.IsPrint(r) {
						t.Errorf("%U in question %q", r, q)
						break
					}
				}
			})
		}
	}
}
