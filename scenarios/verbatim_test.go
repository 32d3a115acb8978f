package scenarios_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The --verbatim runs: the notes' programs as written, bugs included.

func TestWriteVerbatim(t *testing.T) {
	path := filepath.Join(t.TempDir(), "dd.txt")
	o := run(t, "write", "--verbatim", path)
	wantOK(t, o)
	wantTimelines(t, o, []string{
		`openat(AT_FDCWD, "DIR/dd.txt", O_RDWR|O_CREAT|O_TRUNC, 0644) = 3`,
		`ftruncate(3, 4) = 0`,
		// PROT_WRITE|PROT_WRITE is PROT_WRITE.
		`mmap(NULL, 4, PROT_WRITE, MAP_SHARED, 3, 0) = ADDR`,
		`munmap(ADDR, 4) = 0`,
		`close(3) = 0`,
		`exit_group(0) = ?`,
		`+++ exited with 0 +++`,
	})
	if b, err := os.ReadFile(path); err != nil || string(b) != "abc\x00" {
		t.Errorf("%s holds %q, %v", path, b, err)
	}
	wantOut(t, o, "as the notes wrote it: PROT_WRITE|PROT_WRITE is PROT_WRITE alone", `now holds 4 bytes: "abc\x00"`)
}

// TestDevzeroVerbatim runs the notes' /dev/zero program: it exits with
// status 1 at its ftruncate, having mapped nothing, and that is the
// lesson's outcome (After finds no fault with it).
func TestDevzeroVerbatim(t *testing.T) {
	o := run(t, "devzero", "--verbatim")
	if o.status != 1 || o.after != nil {
		t.Fatalf("status %d (want 1), after: %v\n%s", o.status, o.after, o.timeline)
	}
	wantTimelines(t, o, []string{
		`openat(AT_FDCWD, "/dev/zero", O_RDWR|O_CREAT|O_TRUNC, 0644) = 3`,
		`ftruncate(3, 4) = -1 EINVAL (Invalid argument)`,
		`exit_group(1) = ?`,
		`+++ exited with 1 +++`,
	})
	wantAllGone(t, o, 0)
	wantOut(t, o, "as the notes wrote it: ftruncate(/dev/zero, 4) failed with EINVAL, and the program exited with status 1: it never mapped /dev/zero")
}

func TestAnonVerbatim(t *testing.T) {
	o := run(t, "anon", "--verbatim")
	wantOK(t, o)
	wantTimelines(t, o, []string{
		// The notes' length: 4, "as an example".
		`mmap(NULL, 4, PROT_READ|PROT_WRITE, MAP_SHARED|MAP_ANONYMOUS, -1, 0) = ADDR`,
		`fork() = P1`,
		`wait4(P1, [{WIFEXITED(s) && WEXITSTATUS(s) == 0}], 0, NULL) = P1`,
		`munmap(ADDR, 4) = 0`,
		`exit_group(0) = ?`,
		`+++ exited with 0 +++`,
	}, childTimeline)
	wantAllGone(t, o, 1)
	wantOut(t, o,
		"as the notes wrote it: a 4-byte mapping; the kernel made it a whole page, and the child's 20 bytes fit in it",
		`the parent's anonymous mapping held 20 bytes: "`+childStore+`"`)
}

// TestVerbatimResets checks that --verbatim does not stick: the scenarios
// are registered once, and a run without the flag after one with it is
// the corrected program.
func TestVerbatimResets(t *testing.T) {
	for _, name := range []string{"write", "anon"} {
		run(t, name, "--verbatim")
		o := run(t, name)
		wantOK(t, o)
		if strings.Contains(o.out, "as the notes wrote it") {
			t.Errorf("%s without --verbatim ran verbatim:\n%s", name, o.out)
		}
	}
	run(t, "devzero", "--verbatim")
	wantOK(t, run(t, "devzero"))
}
