package tracer_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/mmtrace/mmtrace/tracer"
)

// cpusAllowed returns the Cpus_allowed_list line of a status file's text.
func cpusAllowed(status string) string {
	for _, line := range strings.Split(status, "\n") {
		if v, ok := strings.CutPrefix(line, "Cpus_allowed_list:"); ok {
			return strings.TrimSpace(v)
		}
	}
	return ""
}

// TestPinPolicies: where the tracees run. A shell reads its own CPU list,
// starts a child that reads its own, then reads its own again.
func TestPinPolicies(t *testing.T) {
	var set unix.CPUSet
	if err := unix.SchedGetaffinity(0, &set); err != nil || set.Count() < 2 {
		t.Skip("one CPU: nothing to pin")
	}
	self, err := os.ReadFile("/proc/self/status")
	if err != nil {
		t.Fatal(err)
	}
	all := cpusAllowed(string(self))
	tests := []struct {
		name string
		cfg  tracer.Config
		// Whether the shell before its child, the child, and the shell
		// after it run on one CPU.
		before, child, after bool
	}{
		// The seccomp filter: one CPU until the program runs in parallel.
		{"auto, seccomp", tracer.Config{}, true, false, false},
		// Every call stops: one CPU for good.
		{"auto, every call", tracer.Config{NoSeccomp: true}, true, true, true},
		{"always", tracer.Config{Pin: tracer.PinAlways}, true, true, true},
		{"never", tracer.Config{Pin: tracer.PinNever}, false, false, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "cpus")
			script := `own() { while read -r k v; do [ "$k" = Cpus_allowed_list: ] && echo "$1 $v"; done < /proc/$$/status; }
{ own before; grep Cpus_allowed_list: /proc/self/status; own after; } >"$0"; true`
			_, tl, res := runTraced(t, tc.cfg, "sh", "-c", script, out)
			if res.Status() != 0 {
				t.Fatalf("status %d\n%s", res.Status(), tl)
			}
			b, err := os.ReadFile(out)
			if err != nil {
				t.Fatal(err)
			}
			lines := strings.Split(strings.TrimSpace(string(b)), "\n")
			if len(lines) != 3 {
				t.Fatalf("the shell wrote %q", b)
			}
			got := []string{
				strings.TrimPrefix(lines[0], "before "),
				cpusAllowed(lines[1]),
				strings.TrimPrefix(lines[2], "after "),
			}
			for i, one := range []bool{tc.before, tc.child, tc.after} {
				pinned := !strings.ContainsAny(got[i], ",-")
				if pinned != one || (!one && got[i] != all) {
					t.Errorf("%s runs on CPUs %q (mmtrace's: %q); want one CPU: %v", []string{"the shell before", "its child", "the shell after"}[i], got[i], all, one)
				}
			}
		})
	}
}
