package tracer_test

import (
	"bufio"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/mmtrace/mmtrace/internal/testutil"
	"github.com/mmtrace/mmtrace/tracer"
	"github.com/mmtrace/mmtrace/tracer/filter"
)

// execCalls are the calls compared with strace on the execagain fixture.
var execCalls = []string{"execve", "exit", "exit_group"}

// TestExecFromThreadReturns: a non-leader thread's execve returns 0 under
// the leader's tid, as strace shows it, whether the calls stop through the
// seccomp filter or at every call; so do the exec of the same process
// after it, and the raw exit of a thread of the new program (issue 10,
// defect 7; issue 13, item 3).
func TestExecFromThreadReturns(t *testing.T) {
	bin := testutil.BuildC(t, "testdata/execagain.c", "-pthread")
	set, err := filter.Parse(strings.Join(execCalls, ","))
	if err != nil {
		t.Fatal(err)
	}
	want := straceOf(t, bin)
	for _, tc := range []struct {
		name string
		cfg  tracer.Config
	}{
		{"seccomp", tracer.Config{Filter: set}},
		{"every-call", tracer.Config{Filter: set, NoSeccomp: true}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec, tl, res := runTraced(t, tc.cfg, bin)
			if res.Status() != 5 {
				t.Fatalf("exit status %d, want 5\n%s", res.Status(), tl)
			}
			if tc.name == "seccomp" && !res.Seccomp {
				t.Fatalf("the seccomp filter is off (%v)", res.SeccompErr)
			}
			checkAccounted(t, rec)
			var execs []int64
			for _, e := range rec.events {
				if e.Kind == tracer.CallExit && e.Call.Name == "execve" {
					if e.Tid != res.Pid {
						t.Errorf("execve returned under tid %d, want the leader's, %d", e.Tid, res.Pid)
					}
					execs = append(execs, e.Call.Ret)
				}
			}
			if !slices.Equal(execs, []int64{0, 0, 0}) {
				t.Errorf("execve results %v, want three times 0\n%s", execs, tl)
			}
			got := execLines(t, tl, mmtraceLine)
			if want != nil && !slices.Equal(got, want) {
				t.Errorf("calls differ from strace -f:\nstrace:  %q\nmmtrace: %q\n%s", want, got, tl)
			}
			// The thread's exec line by line, as strace prints it: the
			// execve's line ends with the leader's tid, and the leader's
			// tid says which thread superseded it.
			lines := execRawLines(tl, mmtraceLine, res.Pid)
			if len(lines) < 3 ||
				!strings.HasPrefix(lines[1], "T1 execve(") || !strings.HasSuffix(lines[1], " <pid changed to LEADER ...>") ||
				lines[2] != "LEADER +++ superseded by execve in pid T1 +++" ||
				lines[3] != "LEADER <... execve resumed>) = 0" {
				t.Errorf("the thread's exec is not printed as strace prints it:\n%s", strings.Join(lines, "\n"))
			}
		})
	}
}

// straceOf runs bin under strace -f with execCalls and returns its calls,
// or nil (logged) where strace is missing or cannot trace here.
func straceOf(t *testing.T, bin string) []string {
	t.Helper()
	strace, err := exec.LookPath("strace")
	if err != nil {
		t.Log("strace not installed: results checked, lines not compared")
		return nil
	}
	out := filepath.Join(t.TempDir(), "strace.txt")
	cmd := exec.Command(strace, "-f", "-qq", "-e", "trace="+strings.Join(execCalls, ","), "-o", out, bin)
	if b, err := cmd.CombinedOutput(); err != nil && cmd.ProcessState.ExitCode() != 5 {
		t.Logf("strace cannot run here: %v\n%s", err, b)
		return nil
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	calls := execLines(t, string(b), straceLine)
	if len(calls) != 5 {
		t.Fatalf("strace saw %d calls, want 5:\n%s", len(calls), b)
	}
	return calls
}

var (
	pidChanged = regexp.MustCompile(` <pid changed to \d+ \.\.\.>$`)
	supersede  = regexp.MustCompile(`^\+\+\+ superseded by execve in pid (\d+) \+\+\+$`)
)

// execLines reads a timeline, strace's or mmtrace's, into its calls in
// order, each joined from its unfinished and resumed halves, with
// addresses and the alignment taken out. An execve from a thread enters
// under one tid and returns under the leader's: the "superseded" line
// names both (strace prints it under the leader, mmtrace under the old
// tid), and the half in flight moves to the other.
func execLines(t *testing.T, s string, line *regexp.Regexp) []string {
	t.Helper()
	var calls []string
	open := map[string]int{} // tid -> index of its unfinished call
	sc := bufio.NewScanner(strings.NewReader(s))
	for sc.Scan() {
		m := line.FindStringSubmatch(sc.Text())
		if m == nil {
			t.Fatalf("unparsable timeline line %q", sc.Text())
		}
		tid, rest := m[1], m[2]
		if r := supersede.FindStringSubmatch(rest); r != nil {
			for _, from := range [][2]string{{tid, r[1]}, {r[1], tid}} {
				if i, ok := open[from[0]]; ok {
					delete(open, from[0])
					open[from[1]] = i
					break
				}
			}
			continue
		}
		switch {
		case strings.HasPrefix(rest, "+++"), strings.HasPrefix(rest, "---"):
		case strings.HasSuffix(rest, " <unfinished ...>"), pidChanged.MatchString(rest):
			rest = strings.TrimSuffix(rest, " <unfinished ...>")
			open[tid] = len(calls)
			calls = append(calls, pidChanged.ReplaceAllString(rest, ""))
		case resumed.MatchString(rest):
			i, ok := open[tid]
			if !ok {
				t.Fatalf("resumed without unfinished: %q", sc.Text())
			}
			delete(open, tid)
			calls[i] += resumed.FindStringSubmatch(rest)[2]
		default:
			calls = append(calls, rest)
		}
	}
	for i, c := range calls {
		c = alignment.ReplaceAllString(c, ") = ")
		calls[i] = hexAddr.ReplaceAllString(c, "ADDR")
	}
	return calls
}

// execRawLines returns a timeline's lines with the leader's tid written
// LEADER and every other tid T1, T2... in order of appearance, the times
// and the alignment taken out.
func execRawLines(s string, line *regexp.Regexp, leader int) []string {
	names := map[string]string{strconv.Itoa(leader): "LEADER"}
	var out []string
	tids := regexp.MustCompile(`(pid changed to |superseded by execve in pid )(\d+)`)
	for _, l := range strings.Split(strings.TrimSpace(s), "\n") {
		m := line.FindStringSubmatch(l)
		if m == nil {
			continue
		}
		name := func(tid string) string {
			if n, ok := names[tid]; ok {
				return n
			}
			n := "T" + strconv.Itoa(len(names))
			names[tid] = n
			return n
		}
		rest := alignment.ReplaceAllString(m[2], ") = ")
		tid := name(m[1])
		rest = tids.ReplaceAllStringFunc(rest, func(s string) string {
			sm := tids.FindStringSubmatch(s)
			return sm[1] + name(sm[2])
		})
		out = append(out, tid+" "+rest)
	}
	return out
}

// TestOwnExecveatFails: with a filter that shows execveat but not the
// execve that starts the program, a failing execveat of the program's own
// is the program's, not a failed start: the trace reports the program's
// exit status, 0, and no exec error (issue 13, item 3). The start is
// known by the tracer's own exec stop, whatever the filter shows.
func TestOwnExecveatFails(t *testing.T) {
	bin := buildC(t, "execveatfail.c")
	set, err := filter.Parse("execveat")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		cfg  tracer.Config
	}{
		{"seccomp", tracer.Config{Filter: set}},
		{"every-call", tracer.Config{Filter: set, NoSeccomp: true}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, tl, res := runTraced(t, tc.cfg, bin)
			if res.ExecErr != 0 || res.Status() != 0 {
				t.Errorf("exec error %v, status %d: want the program's own exit, 0\n%s", res.ExecErr, res.Status(), tl)
			}
			if !strings.Contains(tl, `execveat(AT_FDCWD, "/nonexistent/mmtrace-test"`) || !strings.Contains(tl, "= -1 ENOENT") {
				t.Errorf("the program's execveat is not shown failing:\n%s", tl)
			}
		})
	}
}
