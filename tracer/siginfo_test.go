package tracer_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"

	"github.com/mmtrace/mmtrace/tracer"
	"github.com/mmtrace/mmtrace/tracer/filter"
)

// cpuComment is a SIGCHLD's user CPU time as strace prints it when it is
// not zero: the ticks and their seconds.
var cpuComment = regexp.MustCompile(`si_utime=(\d+) /\* (\d+)\.(\d\d) s \*/, si_stime=\d+`)

// TestSigchldCPUTimes: a child that used CPU time gives its parent a
// SIGCHLD whose si_utime is printed as strace prints it, with the seconds
// in a comment (issue 13, item 3). The child spins until times() says 10
// ticks; the kernel's SIGCHLD splits the same run time between user and
// system time by its own scaling (cputime_adjust), so only "not zero" is
// checked of the number.
func TestSigchldCPUTimes(t *testing.T) {
	bin := buildC(t, "cputicks.c")
	set, err := filter.Parse("none")
	if err != nil {
		t.Fatal(err)
	}
	rec, tl, res := runTraced(t, tracer.Config{Filter: set}, bin)
	if res.Status() != 0 {
		t.Fatalf("exit status %d\n%s", res.Status(), tl)
	}
	var si string
	for _, e := range rec.events {
		if e.Kind == tracer.Signal && e.Siginfo.Signo == 17 {
			si = e.Siginfo.String()
			if e.Siginfo.Utime+e.Siginfo.Stime < 5 || e.Siginfo.Utime == 0 {
				t.Errorf("si_utime %d, si_stime %d: want user time, and most of the 10 ticks the child spun", e.Siginfo.Utime, e.Siginfo.Stime)
			}
		}
	}
	m := cpuComment.FindStringSubmatch(si)
	if m == nil {
		t.Fatalf("SIGCHLD %q has no seconds comment\n%s", si, tl)
	}
	ticks, _ := strconv.Atoi(m[1])
	secs, _ := strconv.Atoi(m[2])
	cs, _ := strconv.Atoi(m[3])
	if secs*100+cs != ticks {
		t.Errorf("%s: %d ticks are not %d.%02d s", si, ticks, secs, cs)
	}
	// strace prints the same shape.
	strace, err := exec.LookPath("strace")
	if err != nil {
		t.Log("strace not installed: the line is not compared")
		return
	}
	out := filepath.Join(t.TempDir(), "strace.txt")
	if b, err := exec.Command(strace, "-f", "-qq", "-e", "trace=none", "-o", out, bin).CombinedOutput(); err != nil {
		t.Logf("strace cannot run here: %v\n%s", err, b)
		return
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if !cpuComment.Match(b) {
		t.Errorf("strace's SIGCHLD has another shape than %s:\n%s", cpuComment, b)
	}
}
