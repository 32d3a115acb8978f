// Package testutil holds what mmtrace's tests share: building the C
// fixtures, and a sink that records a trace's events.
package testutil

import (
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/mmtrace/mmtrace/tracer"
)

// BuildC compiles the C file src (a path) into a temp dir and returns the
// program's path; it skips the test where gcc is missing.
func BuildC(t testing.TB, src string, flags ...string) string {
	t.Helper()
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
