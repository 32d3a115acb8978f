package text_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/mmtrace/mmtrace/tracer"
	"github.com/mmtrace/mmtrace/tracer/text"
)

// exitNoting returns from tid's call with ret and notes under it.
func (s *script) exitNoting(pid, tid int, ret int64, notes ...string) *script {
	s.t.Helper()
	c := s.inCall[tid]
	delete(s.inCall, tid)
	c.Exit(mem, ret, nil)
	return s.add(tracer.Event{Kind: tracer.CallExit, Pid: pid, Tid: tid, Call: c, Notes: notes})
}

func TestOptions(t *testing.T) {
	start := time.Date(2026, 11, 25, 9, 30, 0, 0, time.Local)
	tests := []struct {
		name    string
		opt     text.Options
		want    []string
		notWant []string
	}{
		{
			name: "notes under the call",
			want: []string{
				"100      0.001000 mmap(NULL, 28, PROT_READ|PROT_WRITE, MAP_SHARED, 3, 0) = 0x7f0000000000\n" +
					"                  > one page of /tmp/ipc.dat, shared\n",
				"100      0.005000 close(-1) = -1 EBADF (Bad file descriptor)\n",
			},
			notWant: []string{"\x1b["},
		},
		{
			name: "durations (-T)",
			opt:  text.Options{Durations: true},
			want: []string{"= 0x7f0000000000 <0.002000>\n", "(Bad file descriptor) <0.000000>\n"},
		},
		{
			name: "relative (-r)",
			opt:  text.Options{Time: text.Relative},
			want: []string{"100      0.001000 mmap(", "100      0.004000 close("},
		},
		{
			name: "wall clock (-t)",
			opt:  text.Options{Time: text.Wall, Start: start},
			want: []string{"100    09:30:00 mmap("},
		},
		{
			name: "wall clock with microseconds (-tt)",
			opt:  text.Options{Time: text.WallMicro, Start: start},
			want: []string{"100    09:30:00.001000 mmap(", "100    09:30:00.005000 close("},
		},
		{
			name: "epoch (-ttt)",
			opt:  text.Options{Time: text.Epoch, Start: start},
			want: []string{fmt.Sprintf("100    %d.001000 mmap(", start.Unix())},
		},
		{
			name: "colour",
			opt:  text.Options{Color: true},
			want: []string{
				"= \x1b[1;31m-1 EBADF (Bad file descriptor)\x1b[0m",
				"                  \x1b[1m> \x1b[0mone page of /tmp/ipc.dat, shared\n",
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := newScript(t, tc.opt)
			s.at(1).enter(100, 100, "mmap", 0, 28, 3, 1, 3, 0)
			s.at(3).exitNoting(100, 100, 0x7f0000000000, "one page of /tmp/ipc.dat, shared")
			s.at(5).call(100, 100, -9, "close", neg(-1))
			got := s.timeline(true)
			for _, w := range tc.want {
				if !strings.Contains(got, w) {
					t.Errorf("timeline lacks %q:\n%s", w, got)
				}
			}
			for _, w := range tc.notWant {
				if strings.Contains(got, w) {
					t.Errorf("timeline has %q:\n%s", w, got)
				}
			}
		})
	}
}
