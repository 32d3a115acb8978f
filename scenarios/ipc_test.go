package scenarios_test

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/mmtrace/mmtrace/tracer"
)

// ipcTimelines is what the launcher, the writer and the reader do.
func ipcTimelines(path string) [][]string {
	return [][]string{{
		`fork() = P1`,
		`fork() = P2`,
		`wait4(P1, [{WIFEXITED(s) && WEXITSTATUS(s) == 0}], 0, NULL) = P1`,
		`wait4(P2, [{WIFEXITED(s) && WEXITSTATUS(s) == 0}], 0, NULL) = P2`,
		`exit_group(0) = ?`,
		`+++ exited with 0 +++`,
	}, {
		`openat(AT_FDCWD, "` + path + `", O_RDWR|O_CREAT, 0664) = 3`,
		`ftruncate(3, 28) = 0`,
		`mmap(NULL, 28, PROT_READ|PROT_WRITE, MAP_SHARED, 3, 0) = ADDR`,
		`close(3) = 0`,
		`munmap(ADDR, 28) = 0`,
		`exit_group(0) = ?`,
		`+++ exited with 0 +++`,
	}, {
		`openat(AT_FDCWD, "` + path + `", O_RDONLY) = 3`,
		`mmap(NULL, 28, PROT_READ, MAP_SHARED, 3, 0) = ADDR`,
		`close(3) = 0`,
		`munmap(ADDR, 28) = 0`,
		`exit_group(0) = ?`,
		`+++ exited with 0 +++`,
	}}
}

// restarted is a wait4 a signal interrupted (the SIGCHLD of the child that
// exited first), which the kernel restarts: the trace shows it, and the
// restarted call after it.
var restarted = regexp.MustCompile(`^wait4\(P\d, 0x[0-9a-f]+, 0, NULL\) = \? ERESTARTSYS `)

// wantIPCTimelines is wantTimelines, with the launcher's interrupted
// wait4 calls left out.
func wantIPCTimelines(t *testing.T, o outcome, want [][]string) {
	t.Helper()
	got := lessonTimelines(t, o)
	if len(got) != len(want) {
		t.Fatalf("%d processes, want %d\n%s", len(got), len(want), o.timeline)
	}
	for i := range got {
		var calls []string
		for _, c := range got[i] {
			if !restarted.MatchString(c) {
				calls = append(calls, c)
			}
		}
		if strings.Join(calls, "\n") != strings.Join(want[i], "\n") {
			t.Errorf("P%d's timeline:\n\t%s\nwant:\n\t%s\nthe run:\n%s", i,
				strings.Join(calls, "\n\t"), strings.Join(want[i], "\n\t"), o.timeline)
		}
	}
}

// ipcRecords are the lines the reader prints for records 1 to n.
func ipcRecords(n int) []string {
	var out []string
	for id := 1; id <= n; id++ {
		out = append(out, fmt.Sprintf("  id=%d name=xiaoming%d sex=%c\n", id, id, "fm"[id%2]))
	}
	return out
}

// ipcTestInterval is the writer's interval in the tests: under emulation
// (.ci/arm64) the reader took longer than 100 ms to map the file and
// missed the first records.
const ipcTestInterval = "500ms"

func TestIPC(t *testing.T) {
	// An interval long enough for the reader to start and look before the
	// writer's next record even on a loaded machine (go test -race of
	// every package at once, or in .ci/arm64's emulated guest, where a
	// traced call takes 30 ms): the reader shows the record there is, and
	// a slow reader misses one, as the notes' programs would.
	o := run(t, "ipc", "--count", "5", "--interval", ipcTestInterval)
	wantOK(t, o)
	// The launcher forks the writer and the reader and only waits: it
	// opens and maps nothing, so neither child inherits a mapping. Each
	// opens and maps the file itself; neither forks.
	wantIPCTimelines(t, o, ipcTimelines("DIR/ipc.dat"))
	wantAllGone(t, o, 2)
	wantFilesInDir(t, o)
	ps := runProcs(o)
	parent := map[int]int{}
	for _, e := range o.rec.events {
		if e.Kind == tracer.Spawn {
			parent[e.Child] = e.Pid
		}
	}
	if len(ps) != 3 || parent[ps[1]] != ps[0] || parent[ps[2]] != ps[0] {
		t.Errorf("processes %v with parents %v: want the writer and the reader both children of the launcher", ps, parent)
	}
	// Every record, once, in order, as the reader printed it.
	var want bytes.Buffer
	for _, l := range ipcRecords(5) {
		want.WriteString(l)
	}
	if !bytes.Contains([]byte(o.out), want.Bytes()) {
		t.Errorf("the reader's records:\n%s\nwant:\n%s", o.out, want.String())
	}
	wantOut(t, o, fmt.Sprintf("the reader (pid %d) saw 5 of the 5 records the writer (pid %d) stored", ps[2], ps[1]))
}

// TestIPCNamedFile runs on a FILE that holds a record from an earlier run:
// the plan empties it, so the reader does not take it for a new one.
func TestIPCNamedFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "shared")
	stale := make([]byte, 28)
	stale[0] = 3 // id 3: the last record of a run with --count 3
	if err := os.WriteFile(path, stale, 0o644); err != nil {
		t.Fatal(err)
	}
	o := run(t, "ipc", path, "--count", "3", "--interval", ipcTestInterval)
	wantOK(t, o)
	wantOut(t, o, ipcRecords(3)...)
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 28 || got[0] != 3 || string(got[4:13]) != "xiaoming3" || got[24] != 'm' {
		t.Errorf("%s holds %q, want the last record", path, got)
	}
}

func TestIPCUsage(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"no records", []string{"--count", "0"}, "1 to 1000 records"},
		{"too many records", []string{"--count", "1001"}, "1 to 1000 records"},
		{"no interval", []string{"--interval", "0s"}, "between 1ms and 10s"},
		{"long interval", []string{"--interval", "11s"}, "between 1ms and 10s"},
		{"too long", []string{"--count", "1000", "--interval", "1s"}, "more than 1m40s"},
		{"two files", []string{"a", "b"}, "at most one FILE"},
		{"a directory", []string{dir}, "is a directory"},
		{"no such directory", []string{filepath.Join(dir, "none", "f")}, "no directory"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			wantUsageError(t, planFlags(t, "ipc", tc.args...), tc.want)
		})
	}
}
