package perfetto_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"testing"
	"time"
	"unicode"

	"github.com/mmtrace/mmtrace/tracer"
	"github.com/mmtrace/mmtrace/tracer/perfetto"
	"github.com/mmtrace/mmtrace/tracer/sys"
)

// fakeMem is a tracee's memory: byte strings at fixed addresses.
type fakeMem map[uint64][]byte

func (m fakeMem) Read(addr uint64, p []byte) (int, error) {
	for base, b := range m {
		if addr >= base && addr < base+uint64(len(b)) {
			return copy(p, b[addr-base:]), nil
		}
	}
	return 0, errors.New("unmapped")
}

// TestNamesEscaped names tracks after a command and a program whose names
// would act on a terminal, and checks that the tracks show them escaped
// as strace escapes strings: JSON could carry any byte, but a viewer
// shows the name.
func TestNamesEscaped(t *testing.T) {
	tests := []struct {
		name  string
		raw   string
		shown string
	}{
		{"newline", "a\nb", `a\nb`},
		// Only escapes of three digits: a Go-style unquote would take them.
		{"escape before a digit", "a\x1b7", `a\0337`},
		{"short octal escape", "a\x1b[31m", `a\33[31m`},
		{"c1 control and bidi override", "a\u009b\u202eb", `a\302\233\342\200\256b`},
		{"chinese stays readable", "数据", "数据"},
	}
	const parent, child = 1 << 30, 1<<30 + 1
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var buf bytes.Buffer
			w := perfetto.New(&buf, perfetto.Options{Name: "cmd " + tc.raw})
			mem := fakeMem{0x1000: []byte("/tmp/d/" + tc.raw + "\x00")}
			nr, ok := sys.Number(sys.HostArch(), "execve")
			if !ok {
				t.Skip("no execve")
			}
			exec := sys.NewCall(sys.HostArch(), nr, [6]uint64{0x1000})
			exec.Enter(mem, nil)
			w.Event(&tracer.Event{Kind: tracer.Spawn, Pid: parent, Tid: parent, Child: child})
			w.Event(&tracer.Event{Kind: tracer.CallEnter, Time: time.Millisecond, Pid: child, Tid: child, Call: exec})
			exec.Exit(mem, 0, nil)
			w.Event(&tracer.Event{Kind: tracer.CallExit, Time: 2 * time.Millisecond, Pid: child, Tid: child, Call: exec})
			if err := w.Close(); err != nil {
				t.Fatal(err)
			}
			var f struct {
				TraceEvents []struct {
					Name string
					Pid  int
					Args map[string]any
				}
			}
			if err := json.Unmarshal(buf.Bytes(), &f); err != nil {
				t.Fatal(err)
			}
			names := map[int]string{}
			for _, e := range f.TraceEvents {
				if e.Name == "process_name" {
					names[e.Pid], _ = e.Args["name"].(string)
				}
			}
			for pid, want := range map[int]string{parent: "cmd " + tc.shown, child: tc.shown + " (child of 1073741824)"} {
				if names[pid] != want {
					t.Errorf("process %d is named %q, want %q", pid, names[pid], want)
				}
				for _, r := range names[pid] {
					if !unicode.IsPrint(r) {
						t.Errorf("%U in %q", r, names[pid])
						break
					}
				}
			}
		})
	}
}
