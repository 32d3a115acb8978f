package tracer_test

import (
	"strings"
	"testing"

	"github.com/mmtrace/mmtrace/tracer"
)

// TestDetachOnExec: with DetachOnExec (strace -b execve), a process that
// execs after the program's start is let go: the new program finds no
// tracer in its /proc/self/status, the timeline ends its execve with
// "<detached ...>" as strace does, and when the first process is the one
// let go, its exit status is still the trace's. Without it the same
// program is traced (the check can fail) (issue 13, item 2).
func TestDetachOnExec(t *testing.T) {
	bin := buildC(t, "untraced.c")
	for _, tc := range []struct {
		name   string
		detach bool
		argv   []string
		status int
	}{
		{"child execs", true, []string{bin}, 0},
		{"first process execs", true, []string{bin, "self"}, 0},
		{"child execs, traced", false, []string{bin}, 1},
		{"first process execs, traced", false, []string{bin, "self"}, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec, tl, res := runTraced(t, tracer.Config{DetachOnExec: tc.detach}, tc.argv...)
			if res.Status() != tc.status {
				t.Fatalf("exit status %d, want %d\n%s", res.Status(), tc.status, tl)
			}
			detached := 0
			for _, e := range rec.events {
				if e.Kind == tracer.Detached {
					detached++
				}
			}
			if !tc.detach {
				if detached != 0 {
					t.Errorf("%d processes let go without DetachOnExec", detached)
				}
				return
			}
			if detached != 1 || !strings.Contains(tl, `"check"], 0x`) || !strings.Contains(tl, " <detached ...>\n") {
				t.Errorf("%d processes let go, want 1, its execve ending <detached ...>:\n%s", detached, tl)
			}
		})
	}
}
