// Package testutil holds what mmtrace's tests share: building the C
// fixtures, and a sink that records a trace's events.
package testutil

import (
	"crypto/sha256"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/mmtrace/mmtrace/tracer"
	"github.com/mmtrace/mmtrace/tracer/sys"
)

// BuildC compiles the C file src (a path) into a temp dir and returns the
// program's path; it skips the test where gcc is missing.
//
// With MMTRACE_FIXTURES set to a directory, it compiles nothing: it returns
// the program built there from the same source, DIR/NAME-HASH/NAME (NAME
// the file's name without .c, as gcc would name it, HASH the first 16 hex
// digits of the source's SHA-256), and fails the test when there is none. .ci/arm64 builds them
// with a cross compiler for a guest that has no gcc; the hash makes sure a
// test never runs a program built from other source.
func BuildC(t testing.TB, src string, flags ...string) string {
	t.Helper()
	if dir := os.Getenv("MMTRACE_FIXTURES"); dir != "" {
		return prebuilt(t, dir, src)
	}
	gcc, err := exec.LookPath("gcc")
	if err != nil {
		t.Skip("gcc not installed")
	}
	out := filepath.Join(t.TempDir(), strings.TrimSuffix(filepath.Base(src), ".c"))
	args := append([]string{"-O1", "-o", out, src}, flags...)
	if b, err := exec.Command(gcc, args...).CombinedOutput(); err != nil {
		t.Fatalf("gcc: %v\n%s", err, b)
	}
	return out
}

// prebuilt returns the program built from src in dir (see BuildC).
func prebuilt(t testing.TB, dir, src string) string {
	t.Helper()
	b, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(b)
	name := strings.TrimSuffix(filepath.Base(src), ".c")
	out := filepath.Join(dir, fmt.Sprintf("%s-%x", name, sum[:8]), name)
	if _, err := os.Stat(out); err != nil {
		t.Fatalf("MMTRACE_FIXTURES: no program built from %s: %v", src, err)
	}
	return out
}

// ForkCall is the call the scenarios' fork() (internal/rawchild's raw
// fork) makes on this architecture, as a trace names it: fork on amd64;
// arm64 has no fork call, so clone(SIGCHLD) there. (glibc's fork() is a
// clone on both.)
func ForkCall() string {
	if _, ok := sys.Number(sys.HostArch(), "fork"); ok {
		return "fork"
	}
	return "clone"
}

// Fixture returns the path of a C fixture in tracer/testdata.
func Fixture(name string) string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..", "tracer", "testdata", name)
}

// Record is a sink that keeps a copy of every event.
type Record struct {
	Events []tracer.Event
}

// Event records e.
func (r *Record) Event(e *tracer.Event) { r.Events = append(r.Events, *e) }

// Flush does nothing.
func (r *Record) Flush() error { return nil }
