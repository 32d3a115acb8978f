package scenarios_test

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"github.com/mmtrace/mmtrace/scenarios"
	"github.com/mmtrace/mmtrace/tracer"
	"github.com/mmtrace/mmtrace/tracer/sys"
)

// The helpers below, shared by the tests of the sharing lessons and the
// pitfalls, turn a run into one exact timeline per process that does not
// depend on pids, addresses or the temporary directory.

// runProcs lists a run's processes: the root first, then each child in the
// order it was created.
func runProcs(o outcome) []int {
	var out []int
	for _, e := range o.rec.events {
		if len(out) == 0 && e.Pid != 0 {
			out = append(out, e.Pid)
		}
		if e.Kind == tracer.Spawn && !e.Thread {
			out = append(out, e.Child)
		}
	}
	return out
}

// lessonTimelines returns, for each process of runProcs(o), its calls with
// their results, the signals it received other than SIGCHLD (whose timing
// depends on scheduling), and how it ended, normalised: pids become P0
// (the root), P1, ...; addresses mmap returned become ADDR (and ADDR+1,
// ADDR+PAGE);
// the directory the run got from run (a t.TempDir) becomes DIR. On arm64
// the raw fork is clone(SIGCHLD): it is written fork().
func lessonTimelines(t *testing.T, o outcome) [][]string {
	t.Helper()
	ps := runProcs(o)
	name := map[int]string{}
	for i, p := range ps {
		name[p] = "P" + strconv.Itoa(i)
	}
	dir := regexp.MustCompile(regexp.QuoteMeta(filepath.Dir(t.TempDir())) + `/\d+`)
	number := regexp.MustCompile(`\b\d+\b`)
	addrs := map[string]string{}
	norm := func(c *sys.Call) string {
		if c.Name == "mmap" && c.Done && c.Errno() == 0 {
			a := uint64(c.Ret)
			addrs[fmt.Sprintf("%#x", a)] = "ADDR"
			addrs[fmt.Sprintf("%#x", a+1)] = "ADDR+1"
			addrs[fmt.Sprintf("%#x", a+uint64(os.Getpagesize()))] = "ADDR+PAGE"
		}
		s := c.Name + "(" + strings.Join(c.ArgsText(), ", ") + ") = " + c.ResultText()
		switch c.Name {
		case "fork", "vfork", "clone", "clone3", "wait4", "kill":
			s = number.ReplaceAllStringFunc(s, func(n string) string {
				if p, err := strconv.Atoi(n); err == nil && name[p] != "" {
					return name[p]
				}
				return n
			})
		}
		if c.Name == "clone" && runtime.GOARCH == "arm64" {
			s = "fork()" + s[strings.LastIndex(s, " = "):]
		}
		s = regexp.MustCompile(`0x[0-9a-f]+`).ReplaceAllStringFunc(s, func(a string) string {
			if n, ok := addrs[a]; ok {
				return n
			}
			return a
		})
		return dir.ReplaceAllString(s, "DIR")
	}
	out := make([][]string, len(ps))
	index := map[int]int{}
	for i, p := range ps {
		index[p] = i
	}
	for _, e := range o.rec.events {
		i, ok := index[e.Pid]
		if !ok {
			t.Errorf("event of pid %d, which is not one of the run's processes %v", e.Pid, ps)
			continue
		}
		switch {
		case e.Kind == tracer.CallExit:
			out[i] = append(out[i], norm(e.Call))
		case e.Kind == tracer.Signal && e.Signal != syscall.SIGCHLD:
			out[i] = append(out[i], "--- "+sys.SignalName(e.Signal)+" ---")
		case e.Kind == tracer.Exit:
			if e.Call != nil {
				out[i] = append(out[i], norm(e.Call))
			}
			if e.KilledBy != 0 {
				out[i] = append(out[i], "+++ killed by "+sys.SignalName(e.KilledBy)+" +++")
			} else {
				out[i] = append(out[i], fmt.Sprintf("+++ exited with %d +++", e.ExitCode))
			}
		}
	}
	return out
}

// wantTimelines checks every process's timeline against want, exactly.
func wantTimelines(t *testing.T, o outcome, want ...[]string) {
	t.Helper()
	got := lessonTimelines(t, o)
	if len(got) != len(want) {
		t.Errorf("%d processes, want %d\n%s", len(got), len(want), o.timeline)
	}
	for i := range min(len(got), len(want)) {
		if strings.Join(got[i], "\n") != strings.Join(want[i], "\n") {
			t.Errorf("P%d's timeline:\n\t%s\nwant:\n\t%s\nthe run:\n%s", i,
				strings.Join(got[i], "\n\t"), strings.Join(want[i], "\n\t"), o.timeline)
		}
	}
}

// wantAllGone checks that the run created n processes besides the root,
// and that each, the root too, has its exit in the trace: none was left
// behind.
func wantAllGone(t *testing.T, o outcome, n int) {
	t.Helper()
	ps := runProcs(o)
	if len(ps) != n+1 {
		t.Errorf("the run had %d processes, want %d", len(ps), n+1)
	}
	gone := map[int]bool{}
	for _, e := range o.rec.events {
		if e.Kind == tracer.Exit && e.Leader {
			gone[e.Pid] = true
		}
	}
	for i, p := range ps {
		if !gone[p] {
			t.Errorf("P%d (pid %d) has no exit in the trace", i, p)
		}
	}
}

// wantFilesInDir checks that every path the run opened, created or
// removed is in its directory (or is /dev/zero).
func wantFilesInDir(t *testing.T, o outcome) {
	t.Helper()
	for _, tl := range lessonTimelines(t, o) {
		for _, c := range tl {
			if !strings.HasPrefix(c, "openat(") && !strings.HasPrefix(c, "open(") &&
				!strings.HasPrefix(c, "creat(") && !strings.HasPrefix(c, "unlink") {
				continue
			}
			if !strings.Contains(c, `"DIR/`) && !strings.Contains(c, `"/dev/zero"`) {
				t.Errorf("a path outside the run's directory: %s", c)
			}
		}
	}
}

// wantOK checks that the root exited 0 and After found the lesson's
// outcome.
func wantOK(t *testing.T, o outcome) {
	t.Helper()
	if o.status != 0 || o.after != nil {
		t.Fatalf("status %d, after: %v\n%s%s", o.status, o.after, o.timeline, o.out)
	}
}

// wantOut checks the plan's report contains each line.
func wantOut(t *testing.T, o outcome, lines ...string) {
	t.Helper()
	for _, l := range lines {
		if !strings.Contains(o.out, l) {
			t.Errorf("the plan's report lacks %q:\n%s", l, o.out)
		}
	}
}

// forkTimelines is what fork-shared and fork-private do, with flags.
func forkTimelines(path, flags string) [][]string {
	return [][]string{{
		`openat(AT_FDCWD, "` + path + `", O_RDWR|O_CREAT|O_TRUNC, 0644) = 3`,
		`ftruncate(3, 20) = 0`,
		`mmap(NULL, 20, PROT_READ|PROT_WRITE, ` + flags + `, 3, 0) = ADDR`,
		`fork() = P1`,
		`wait4(P1, [{WIFEXITED(s) && WEXITSTATUS(s) == 0}], 0, NULL) = P1`,
		`munmap(ADDR, 20) = 0`,
		`close(3) = 0`,
		`exit_group(0) = ?`,
		`+++ exited with 0 +++`,
	}, childTimeline}
}

// childTimeline is the child of every sharing lesson: it stores, exits.
var childTimeline = []string{
	`exit_group(0) = ?`,
	`+++ exited with 0 +++`,
}

const childStore = "hello from the child"

func TestForkShared(t *testing.T) {
	o := run(t, "fork-shared")
	wantOK(t, o)
	wantTimelines(t, o, forkTimelines("DIR/fork.txt", "MAP_SHARED")...)
	wantAllGone(t, o, 1)
	wantFilesInDir(t, o)
	wantOut(t, o,
		`the parent's mapping held 20 bytes: "`+childStore+`"`,
		`fork.txt holds 20 bytes: "`+childStore+`"`)
}

func TestForkPrivate(t *testing.T) {
	o := run(t, "fork-private")
	wantOK(t, o)
	wantTimelines(t, o, forkTimelines("DIR/fork.txt", "MAP_PRIVATE")...)
	wantAllGone(t, o, 1)
	wantFilesInDir(t, o)
	wantOut(t, o,
		`the parent's mapping held 20 zero bytes`,
		`fork.txt holds 20 zero bytes`)
}

// TestForkNamedFile reads the file itself: with MAP_SHARED it holds the
// child's store, with MAP_PRIVATE only the zeros ftruncate gave it.
func TestForkNamedFile(t *testing.T) {
	for _, tc := range []struct {
		name string
		want []byte
	}{
		{"fork-shared", []byte(childStore)},
		{"fork-private", make([]byte, len(childStore))},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "mine.txt")
			o := run(t, tc.name, path)
			wantOK(t, o)
			b, err := os.ReadFile(path)
			if err != nil || !bytes.Equal(b, tc.want) {
				t.Fatalf("%s holds %q, %v; want %q", path, b, err, tc.want)
			}
		})
	}
}

func TestForkUsage(t *testing.T) {
	for _, name := range []string{"fork-shared", "fork-private"} {
		wantUsageError(t, planError(t, name, "a", "b"), "at most one FILE")
		wantUsageError(t, planError(t, name, t.TempDir()), "is a directory")
	}
}

// planError returns the error of planning scenario name with args, which
// must be a mistake: a plan that succeeded would need its run.
func planError(t *testing.T, name string, args ...string) error {
	t.Helper()
	sc, ok := scenarios.Lookup(name)
	if !ok {
		t.Fatalf("no scenario %q", name)
	}
	_, err := sc.Plan(&scenarios.Env{Dir: t.TempDir(), Out: io.Discard}, args)
	if err == nil {
		t.Fatalf("%s %q: planned, want a usage error", name, args)
	}
	return err
}

// wantUsageError checks err is a usage error that says want.
func wantUsageError(t *testing.T, err error, want string) {
	t.Helper()
	var ue *scenarios.UsageError
	if !errors.As(err, &ue) || !strings.Contains(err.Error(), want) {
		t.Errorf("error %v (%T), want a usage error saying %q", err, err, want)
	}
}
