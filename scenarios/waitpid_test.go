package scenarios_test

import (
	"fmt"
	"io"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/spf13/pflag"

	"github.com/mmtrace/mmtrace/scenarios"
)

// The reaps of the waitpid scenario, as lessonTimelines writes them.
const (
	wpPoll = "POLL" // a run of wait4(-1, ADDR, WNOHANG, NULL) = 0
	wpReap = "wait4(-1, [{WIFEXITED(s) && WEXITSTATUS(s) == 0}], WNOHANG, NULL) = "
)

var pollCall = regexp.MustCompile(`^wait4\(-1, 0x[0-9a-f]+, WNOHANG, NULL\) = 0$`)

func TestWaitpid(t *testing.T) {
	for _, prog := range []string{"ps", "ls"} {
		if _, err := exec.LookPath(prog); err != nil {
			t.Skipf("%s is not installed", prog)
		}
	}
	o := run(t, "waitpid", "--scale", "0.02")
	wantOK(t, o)
	wantAllGone(t, o, 3)
	ps := runProcs(o)
	tl := lessonTimelines(t, o)
	if len(tl) != 4 {
		t.Fatalf("%d processes, want 4\n%s", len(tl), o.timeline)
	}

	// The parent: three forks, then polls and reaps, then exit. Runs of
	// polls collapse to POLL; the status pointer is the same in every
	// poll (that is what lets them fold).
	var parent []string
	addrs := map[string]bool{}
	polls := 0
	for _, c := range tl[0] {
		if pollCall.MatchString(c) {
			polls++
			addrs[strings.Fields(c)[1]] = true
			if len(parent) == 0 || parent[len(parent)-1] != wpPoll {
				parent = append(parent, wpPoll)
			}
			continue
		}
		parent = append(parent, c)
	}
	if len(addrs) != 1 {
		t.Errorf("the polls passed %d different status pointers, want 1: %v", len(addrs), addrs)
	}
	got := strings.Join(parent, "\n")
	want := regexp.MustCompile(`^fork\(\) = P1\nfork\(\) = P2\nfork\(\) = P3\n` +
		`POLL\n` + regexp.QuoteMeta(wpReap) + `P(\d)\n(POLL\n)?` +
		regexp.QuoteMeta(wpReap) + `P(\d)\n(POLL\n)?` +
		regexp.QuoteMeta(wpReap) + `P(\d)\n` +
		`exit_group\(0\) = \?\n\+\+\+ exited with 0 \+\+\+$`)
	m := want.FindStringSubmatch(got)
	if m == nil {
		t.Fatalf("the parent's timeline:\n\t%s\nwant forks, polls and three reaps\n%s", strings.ReplaceAll(got, "\n", "\n\t"), o.timeline)
	}
	if reaped := m[1] + m[3] + m[5]; !sameDigits(reaped, "123") {
		t.Errorf("reaped P%c, P%c, P%c: want each child once", reaped[0], reaped[1], reaped[2])
	}

	// The fold: every poll is counted in the text timeline, on few lines.
	folded, lines := foldedPolls(t, o.timeline, ps[0])
	if folded != polls {
		t.Errorf("the text timeline accounts for %d polls, the trace has %d\n%s", folded, polls, o.timeline)
	}
	if lines > 21 || polls < 20 {
		t.Errorf("%d polls on %d lines: want many polls folded onto at most 21 lines (7 runs, between 3 reaps and 3 SIGCHLDs, of 3 lines at most: the first poll, maybe split by another process's line, and the fold)\n%s", polls, lines, o.timeline)
	}
	// The body's own count of wait4 returning 0 agrees with the trace.
	wantOut(t, o, fmt.Sprintf("%d times it returned 0 (no child had exited yet), 3 times a pid (a reap)", polls))

	// Child 0 runs ps on the scenario's processes, child 2 runs ls -l;
	// child 1 only prints and exits.
	psCall := fmt.Sprintf(`", ["ps", "-o", "pid,ppid,stat,args", "-q", "%d,%d,%d,%d"], `, ps[0], ps[1], ps[2], ps[3])
	wantExec(t, tl[1], psCall, o.timeline)
	wantExec(t, tl[3], `", ["ls", "-l"], `, o.timeline)
	if strings.Join(tl[2], "\n") != strings.Join(childTimeline, "\n") {
		t.Errorf("child 1's timeline:\n\t%s\nwant:\n\t%s", strings.Join(tl[2], "\n\t"), strings.Join(childTimeline, "\n\t"))
	}
	for i, p := range ps[1:] {
		wantOut(t, o, fmt.Sprintf("pid %d (child %d: ", p, i))
	}
	if n := strings.Count(o.out, ") exited with 0\n"); n != 3 {
		t.Errorf("the plan reported %d children exiting with 0, want 3:\n%s", n, o.out)
	}
}

// sameDigits says a and b hold the same digits, in any order.
func sameDigits(a, b string) bool {
	count := map[rune]int{}
	for _, c := range a {
		count[c]++
	}
	for _, c := range b {
		count[c]--
	}
	for _, n := range count {
		if n != 0 {
			return false
		}
	}
	return true
}

var foldLine = regexp.MustCompile(`^(\d+) +[\d.]+ (?:wait4\(-1, |<\.\.\. wait4 resumed>)0x[0-9a-f]+, WNOHANG, NULL\) = 0(  \(repeated (\d+) more times over [\d.]+ (s|ms|µs)\))?$`)

// foldedPolls adds up the polls of pid the text timeline shows: 1 for a
// line (or the resumed half of a poll another process's line interrupted),
// N for "(repeated N more times ...)". It returns the polls and the lines
// they took.
func foldedPolls(t *testing.T, timeline string, pid int) (polls, lines int) {
	t.Helper()
	for _, l := range strings.Split(timeline, "\n") {
		m := foldLine.FindStringSubmatch(l)
		if m == nil || m[1] != strconv.Itoa(pid) {
			continue
		}
		lines++
		if m[3] == "" {
			polls++
			continue
		}
		n, _ := strconv.Atoi(m[3])
		if n < 2 {
			t.Errorf("a fold of %d: %s", n, l)
		}
		polls += n
	}
	return polls, lines
}

// wantExec checks a child's timeline starts with a successful execve whose
// arguments contain args, and ends with its exit with 0.
func wantExec(t *testing.T, tl []string, args, timeline string) {
	t.Helper()
	if len(tl) < 3 || !strings.HasPrefix(tl[0], `execve("/`) || !strings.Contains(tl[0], args) || !strings.HasSuffix(tl[0], ") = 0") {
		t.Errorf("the child's first call: %q, want a successful execve with %s\n%s", tl, args, timeline)
		return
	}
	if tl[len(tl)-1] != "+++ exited with 0 +++" {
		t.Errorf("the child ended with %q, want exit 0", tl[len(tl)-1])
	}
}

func TestWaitpidUsage(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"argument", []string{"x"}, "no arguments"},
		{"negative scale", []string{"--scale", "-1"}, "between 0 and 10"},
		{"huge scale", []string{"--scale", "11"}, "between 0 and 10"},
		{"not a number", []string{"--scale", "NaN"}, "between 0 and 10"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			wantUsageError(t, planFlags(t, "waitpid", tc.args...), tc.want)
		})
	}
}

// planFlags parses args as the command line does and plans scenario name
// with them, which must be a mistake.
func planFlags(t *testing.T, name string, args ...string) error {
	t.Helper()
	sc, ok := scenarios.Lookup(name)
	if !ok {
		t.Fatalf("no scenario %q", name)
	}
	fs := pflag.NewFlagSet(name, pflag.ContinueOnError)
	sc.Flags(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	_, err := sc.Plan(&scenarios.Env{Dir: t.TempDir(), Out: io.Discard}, fs.Args())
	if err == nil {
		t.Fatalf("%s %q: planned, want an error", name, args)
	}
	return err
}
