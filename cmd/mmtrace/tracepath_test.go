package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/mmtrace/mmtrace/internal/testutil"
)

var (
	pathHead  = regexp.MustCompile(`^\d+\s+(?:[0-9.]+ )?`)
	pathAddr  = regexp.MustCompile(`0x[0-9a-f]{6,}`)
	pathAlign = regexp.MustCompile(`\)\s+= `)
)

// pathLines runs a tracer and returns its timeline's lines without pids,
// times, addresses, alignment and exit lines (strace -qq prints none).
func pathLines(t *testing.T, name string, args ...string) []string {
	t.Helper()
	dir := t.TempDir()
	out := filepath.Join(dir, "trace.txt")
	if name == mmtraceBin {
		args = append([]string{args[0], "-o", out}, args[1:]...) // after "run"
	} else {
		args = append([]string{"-o", out}, args...)
	}
	cmd := exec.Command(name, args...)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%s %q: %v\n%s", name, args, err, b)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	for _, l := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		l = pathHead.ReplaceAllString(l, "")
		if l == "" || strings.HasPrefix(l, "+++ ") {
			continue
		}
		l = pathAddr.ReplaceAllString(l, "ADDR")
		lines = append(lines, pathAlign.ReplaceAllString(l, ") = "))
	}
	return lines
}

// TestTracePath: -P shows the calls strace -P shows, line for line, on a
// program that touches a file by name, by descriptors (read, mmap, dup2,
// poll, select), by rename and link, and other files; and -P 'DIR/**'
// shows what strace -P shows for every file of the tree, and more: the
// names relative to the working directory or a directory fd, which
// strace's -P, comparing names as given, cannot see (issue 13, items 2
// and 4).
func TestTracePath(t *testing.T) {
	strace, err := exec.LookPath("strace")
	if err != nil {
		t.Skip("strace not installed")
	}
	bin := testutil.BuildC(t, testutil.Fixture("pathcalls.c"))
	run := func(tracer string, ps ...string) []string {
		d := t.TempDir()
		var args []string
		for _, p := range ps {
			args = append(args, "-P", strings.ReplaceAll(p, "DIR", d))
		}
		if tracer == strace {
			args = append([]string{"-qq"}, args...)
		} else {
			args = append([]string{"run", "-q"}, args...)
			args = append(args, "--")
		}
		lines := pathLines(t, tracer, append(args, bin, d)...)
		for i := range lines {
			lines[i] = strings.ReplaceAll(lines[i], d, "DIR")
		}
		return lines
	}
	want := run(strace, "DIR/f", "DIR/g")
	got := run(mmtraceBin, "DIR/f", "DIR/g")
	if len(want) < 20 {
		t.Fatalf("strace -P shows only %d lines:\n%s", len(want), strings.Join(want, "\n"))
	}
	if !slices.Equal(got, want) {
		t.Errorf("-P differs from strace -P:\nstrace:\n%s\nmmtrace:\n%s", strings.Join(want, "\n"), strings.Join(got, "\n"))
	}

	every := run(strace, "DIR", "DIR/f", "DIR/g", "DIR/h", "DIR/l")
	tree := run(mmtraceBin, "DIR/**")
	var extra []string
	i := 0
	for _, l := range tree {
		if i < len(every) && l == every[i] {
			i++
			continue
		}
		extra = append(extra, l)
	}
	wantExtra := []string{`openat(AT_FDCWD, ".", O_RDONLY|O_DIRECTORY) = 4`, `openat(AT_FDCWD, "f", O_RDONLY) = 5`}
	if i != len(every) || !slices.Equal(extra, wantExtra) {
		t.Errorf("-P 'DIR/**' is not strace -P of every file of the tree and the relative names:\nstrace:\n%s\nmmtrace:\n%s",
			strings.Join(every, "\n"), strings.Join(tree, "\n"))
	}
}
