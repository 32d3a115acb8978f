package main

import (
	"strings"
	"testing"

	"github.com/mmtrace/mmtrace/internal/testutil"
)

// TestScenarioTraceCalls checks the calls a plan asks for (shared-offset's
// write and lseek) join the default set, and that -e, when given, decides
// alone.
func TestScenarioTraceCalls(t *testing.T) {
	_, stderr, status := mmtrace(t, "myths", "shared-offset", "--stable", "-q")
	if status != 0 {
		t.Fatalf("status %d\n%s", status, stderr)
	}
	// The raw fork as each architecture makes it: arm64 has no fork call.
	forkLine := `P1 fork() = P2`
	if testutil.ForkCall() == "clone" {
		forkLine = `P1 clone(child_stack=NULL, flags=SIGCHLD) = P2`
	}
	for _, want := range []string{`P2 write(3, "child\n", 6) = 6`, `P1 lseek(3, 0, SEEK_CUR) = 6`, forkLine} {
		if !strings.Contains(stderr, want) {
			t.Errorf("the timeline lacks %q:\n%s", want, stderr)
		}
	}
	_, stderr, status = mmtrace(t, "myths", "shared-offset", "--stable", "-q", "-e", "trace=lseek")
	if status != 0 {
		t.Fatalf("with -e: status %d\n%s", status, stderr)
	}
	if !strings.Contains(stderr, "lseek(3, 0, SEEK_CUR) = 6") || strings.Contains(stderr, "write(") || strings.Contains(stderr, testutil.ForkCall()+"(") {
		t.Errorf("-e trace=lseek should show lseek alone:\n%s", stderr)
	}
}

// TestVerbatimExitStatus: devzero --verbatim's program exits with 1, as the
// notes' does, and mmtrace with 0, since that is the lesson's outcome; the
// program's perror line is on stderr.
func TestVerbatimExitStatus(t *testing.T) {
	_, stderr, status := mmtrace(t, "devzero", "--verbatim", "--stable")
	if status != 0 {
		t.Errorf("status %d, want 0\n%s", status, stderr)
	}
	for _, want := range []string{"ftruncate error: Invalid argument", "P1 exit_group(1) = ?", "it never mapped /dev/zero"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
}
