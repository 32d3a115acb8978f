package scenarios_test

import (
	"testing"

	"github.com/mmtrace/mmtrace/internal/rawchild/childcheck"
)

// TestBodiesAreChildCode checks every scenario body, compiled, against the
// rules of code that runs in a raw-forked child: no stack checks, no calls
// into the runtime, no indirect calls.
func TestBodiesAreChildCode(t *testing.T) {
	if testing.Short() {
		t.Skip("disassembles the test binary")
	}
	childcheck.Check(t, `^github\.com/mmtrace/mmtrace/scenarios\.\(\*\w+\)\.Run$`, "github.com/mmtrace/mmtrace/")
}
