package scenarios_test

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"github.com/mmtrace/mmtrace/internal/testutil"
	"github.com/mmtrace/mmtrace/tracer"
	"github.com/mmtrace/mmtrace/tracer/sys"
)

// mythCase is one myth: each process's calls, and the line the plan
// reports after checking what the body recorded.
type mythCase struct {
	name  string
	root  []string
	child []string // nil: the myth forks no child
	out   string
}

func mythCases() []mythCase {
	page := strconv.Itoa(os.Getpagesize())
	return []mythCase{{
		name: "oob-store",
		root: []string{
			`openat(AT_FDCWD, "DIR/oob.txt", O_RDWR|O_CREAT|O_TRUNC, 0644) = 3`,
			`ftruncate(3, 4) = 0`,
			`mmap(NULL, ` + strconv.Itoa(2*os.Getpagesize()) + `, PROT_READ|PROT_WRITE, MAP_SHARED, 3, 0) = ADDR`,
			`munmap(ADDR+PAGE, ` + page + `) = 0`,
			`fork() = P`,
			`wait4(P, [{WIFSIGNALED(s) && WTERMSIG(s) == SIGSEGV}], 0, NULL) = P`,
			// The call the notes say fails.
			`munmap(ADDR, 4) = 0`,
			`close(3) = 0`,
		},
		child: []string{`--- SIGSEGV ---`, `+++ killed by SIGSEGV +++`},
		out: `oob-store      17 bytes stored at p, in a one-page mapping of a 4-byte file, read back "abcdefghijklmnop"; ` +
			`munmap(p, 4) after it: success; oob.txt holds "abcd"; a store one page past p: the child was killed by SIGSEGV`,
	}, {
		name: "unlinked-ipc",
		root: []string{
			`openat(AT_FDCWD, "DIR/unlinked.txt", O_RDWR|O_CREAT|O_TRUNC, 0644) = 3`,
			`unlinkat(AT_FDCWD, "DIR/unlinked.txt", 0) = 0`,
			`ftruncate(3, 20) = 0`,
			`mmap(NULL, 20, PROT_READ|PROT_WRITE, MAP_SHARED, 3, 0) = ADDR`,
			`close(3) = 0`,
			`fork() = P`,
			`wait4(P, [{WIFEXITED(s) && WEXITSTATUS(s) == 0}], 0, NULL) = P`,
			`munmap(ADDR, 20) = 0`,
		},
		child: []string{`exit_group(0) = ?`, `+++ exited with 0 +++`},
		out: `unlinked-ipc   unlink: success; names left (fstat's st_nlink): 0; the child exited with 0; ` +
			`the parent's mapping held 20 bytes: "hello from the child"; unlinked.txt exists: false`,
	}, {
		name: "shared-offset",
		root: []string{
			`openat(AT_FDCWD, "DIR/offset.txt", O_RDWR|O_CREAT|O_TRUNC, 0644) = 3`,
			`fork() = P`,
			`wait4(P, [{WIFEXITED(s) && WEXITSTATUS(s) == 0}], 0, NULL) = P`,
			// The parent wrote nothing, and its offset moved.
			`lseek(3, 0, SEEK_CUR) = 6`,
			`write(3, "parent\n", 7) = 7`,
			`close(3) = 0`,
		},
		child: []string{`write(3, "child\n", 6) = 6`, `exit_group(0) = ?`, `+++ exited with 0 +++`},
		out: `shared-offset  the child wrote 6 bytes and exited with 0; the parent's lseek(fd, 0, SEEK_CUR) then: 6 (success); ` +
			`offset.txt holds "child\nparent\n"`,
	}, {
		name: "open-no-mmap",
		root: []string{
			`openat(AT_FDCWD, "/proc/self/maps", O_RDONLY) = 3`,
			`openat(AT_FDCWD, "DIR/open.txt", O_RDONLY) = 4`,
			`mmap(NULL, 18, PROT_READ, MAP_SHARED, 4, 0) = ADDR`,
			`munmap(ADDR, 18) = 0`,
			`close(4) = 0`,
			`close(3) = 0`,
		},
		out: `open-no-mmap   /proc/self/maps: N mappings before open; after open N, the same, 0 of open.txt; after mmap (success) N+1, 1 of open.txt: r--s 00000000`,
	}}
}

// mythTimelines is each process's calls, signals other than SIGCHLD and
// end, as lessonTimelines gives them, but with addresses read in order:
// the address the last successful mmap returned is ADDR, a page past it
// ADDR+PAGE (a later mmap may reuse an earlier one's address); a child's
// pid is P; the run's directory is DIR.
func mythTimelines(t *testing.T, o outcome) [][]string {
	t.Helper()
	ps := runProcs(o)
	index := map[int]int{}
	for i, p := range ps {
		index[p] = i
	}
	page := uint64(os.Getpagesize())
	dir := regexp.MustCompile(regexp.QuoteMeta(filepath.Dir(t.TempDir())) + `/\d+`)
	addr := regexp.MustCompile(`0x[0-9a-f]+`)
	pid := regexp.MustCompile(`\b\d+\b`)
	last := map[int]uint64{}
	norm := func(e *tracer.Event) string {
		c := e.Call
		s := c.Name + "(" + strings.Join(c.ArgsText(), ", ") + ") = " + c.ResultText()
		if c.Name == "clone" && runtime.GOARCH == "arm64" {
			s = "fork()" + s[strings.LastIndex(s, " = "):]
		}
		switch c.Name {
		case "fork", "clone", "wait4":
			s = pid.ReplaceAllStringFunc(s, func(n string) string {
				if p, err := strconv.Atoi(n); err == nil {
					if _, ok := index[p]; ok {
						return "P"
					}
				}
				return n
			})
		}
		if a, ok := last[e.Pid]; ok {
			s = addr.ReplaceAllStringFunc(s, func(h string) string {
				switch h {
				case fmt.Sprintf("%#x", a):
					return "ADDR"
				case fmt.Sprintf("%#x", a+page):
					return "ADDR+PAGE"
				}
				return h
			})
		}
		return dir.ReplaceAllString(s, "DIR")
	}
	out := make([][]string, len(ps))
	for i := range o.rec.events {
		e := &o.rec.events[i]
		i, ok := index[e.Pid]
		if !ok {
			t.Errorf("event of pid %d, which is not one of the run's processes %v", e.Pid, ps)
			continue
		}
		switch {
		case e.Kind == tracer.CallExit:
			if e.Call.Name == "mmap" && e.Call.Errno() == 0 {
				last[e.Pid] = uint64(e.Call.Ret)
			}
			out[i] = append(out[i], norm(e))
		case e.Kind == tracer.Signal && e.Signal != syscall.SIGCHLD:
			out[i] = append(out[i], "--- "+sys.SignalName(e.Signal)+" ---")
		case e.Kind == tracer.Exit:
			if e.Call != nil {
				out[i] = append(out[i], norm(e))
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

// wantMyths checks a run of the named myths, in order: the root's calls,
// one child per myth that forks, each with its own calls, and the
// report's lines.
func wantMyths(t *testing.T, o outcome, cases []mythCase) {
	t.Helper()
	wantOK(t, o)
	var root []string
	want := [][]string{nil}
	for _, tc := range cases {
		root = append(root, tc.root...)
		if tc.child != nil {
			want = append(want, tc.child)
		}
	}
	want[0] = append(root, rootEnd...)
	got := mythTimelines(t, o)
	if len(got) != len(want) {
		t.Errorf("%d processes, want %d\n%s", len(got), len(want), o.timeline)
	}
	for i := range min(len(got), len(want)) {
		if strings.Join(got[i], "\n") != strings.Join(want[i], "\n") {
			t.Errorf("process %d's timeline:\n\t%s\nwant:\n\t%s\nthe run:\n%s", i,
				strings.Join(got[i], "\n\t"), strings.Join(want[i], "\n\t"), o.timeline)
		}
	}
	wantAllGone(t, o, len(want)-1)
	lines := strings.Split(strings.TrimSpace(o.out), "\n")
	if len(lines) != len(cases) {
		t.Fatalf("%d report lines, want %d:\n%s", len(lines), len(cases), o.out)
	}
	for i, tc := range cases {
		if !mythLineMatches(lines[i], tc.out) {
			t.Errorf("report line %d:\n\t%s\nwant:\n\t%s", i, lines[i], tc.out)
		}
	}
}

// mythLineMatches compares a report line with its pattern, where N stands
// for a count of mappings (the same each time) and N+1 for one more.
func mythLineMatches(line, pattern string) bool {
	if !strings.Contains(pattern, "N") {
		return line == pattern
	}
	m := regexp.MustCompile(`before open; after open (\d+),`).FindStringSubmatch(line)
	if m == nil {
		return false
	}
	n, _ := strconv.Atoi(m[1])
	p := strings.ReplaceAll(pattern, "N+1", strconv.Itoa(n+1))
	p = regexp.MustCompile(`\bN\b`).ReplaceAllString(p, strconv.Itoa(n))
	return strings.HasPrefix(line, p)
}

func TestMyths(t *testing.T) {
	for _, tc := range mythCases() {
		t.Run(tc.name, func(t *testing.T) {
			o := run(t, "myths", tc.name)
			wantMyths(t, o, []mythCase{tc})
			wantFilesInDirOrProc(t, o)
		})
	}
}

// TestMythsAll runs every myth, in the notes' order, in one process and
// one child per myth that forks.
func TestMythsAll(t *testing.T) {
	o := run(t, "myths")
	wantMyths(t, o, mythCases())
}

// TestMythsSelect runs named myths in the order given, each once; write
// and lseek are traced only when shared-offset runs.
func TestMythsSelect(t *testing.T) {
	cases := map[string]mythCase{}
	for _, tc := range mythCases() {
		cases[tc.name] = tc
	}
	o := run(t, "myths", "open-no-mmap", "oob-store", "open-no-mmap")
	wantMyths(t, o, []mythCase{cases["open-no-mmap"], cases["oob-store"]})
	plan, _ := testutil.PlanScenario(t, "myths", "oob-store")
	if plan.Trace != nil {
		t.Errorf("oob-store asks to trace %v too", plan.Trace)
	}
	plan, _ = testutil.PlanScenario(t, "myths", "shared-offset")
	if strings.Join(plan.Trace, ",") != "write,lseek" {
		t.Errorf("shared-offset asks to trace %v, want write and lseek", plan.Trace)
	}
}

func TestMythsUnknown(t *testing.T) {
	err := planError(t, "myths", "oob-store", "bogus")
	wantUsageError(t, err, `no myth "bogus"`)
	for _, tc := range mythCases() {
		if !strings.Contains(err.Error(), tc.name) {
			t.Errorf("the usage error does not list %s: %v", tc.name, err)
		}
	}
}

// wantFilesInDirOrProc is wantFilesInDir, with /proc/self/maps allowed:
// open-no-mmap reads it.
func wantFilesInDirOrProc(t *testing.T, o outcome) {
	t.Helper()
	for _, tl := range lessonTimelines(t, o) {
		for _, c := range tl {
			if !strings.HasPrefix(c, "openat(") && !strings.HasPrefix(c, "unlink") {
				continue
			}
			if !strings.Contains(c, `"DIR/`) && !strings.Contains(c, `"/proc/self/maps"`) {
				t.Errorf("a path outside the run's directory: %s", c)
			}
		}
	}
}

// TestMythsOOBNeighbour checks what the oob-store lesson says of a store
// past a mapping when another writable mapping lies there: it lands in
// that mapping, with no signal. The C program places the neighbour
// itself (MAP_FIXED over a reservation of two pages), then stores one
// page past its 4-byte mapping of a 4-byte file, and munmaps.
func TestMythsOOBNeighbour(t *testing.T) {
	prog := testutil.BuildC(t, filepath.Join("testdata", "neighbour.c"))
	dir := t.TempDir()
	cmd := exec.Command(prog, filepath.Join(dir, "dd.txt"))
	out, err := cmd.CombinedOutput()
	if err != nil {
		if ee, ok := err.(*exec.ExitError); ok {
			if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
				t.Fatalf("the store past the mapping raised %v; the lesson says no signal\n%s", ws.Signal(), out)
			}
		}
		t.Fatalf("%v\n%s", err, out)
	}
	if want := "neighbour holds X; munmap 0; file 4 bytes\n"; string(out) != want {
		t.Errorf("the program printed %q, want %q", out, want)
	}
}
