package sys

import (
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"testing"
)

// TestInitCost holds what the package costs every start of mmtrace, with
// or without a call to decode: the allocations of its init, as the
// runtime's inittrace counts them in a fresh run of this test binary.
// Building the decoder table and the name index at init cost 938
// allocations and 202 kB; they are built on first use, or are static
// data, now.
func TestInitCost(t *testing.T) {
	const maxAllocs, maxBytes = 50, 16 << 10
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "GODEBUG=inittrace=1")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	m := regexp.MustCompile(`(?m)^init github.com/mmtrace/mmtrace/tracer/sys @.* clock, (\d+) bytes, (\d+) allocs$`).FindSubmatch(out)
	if m == nil {
		t.Fatalf("no inittrace line for tracer/sys in:\n%s", out)
	}
	bytes, _ := strconv.Atoi(string(m[1]))
	allocs, _ := strconv.Atoi(string(m[2]))
	t.Logf("tracer/sys init: %d bytes, %d allocs", bytes, allocs)
	if allocs > maxAllocs || bytes > maxBytes {
		t.Errorf("tracer/sys init: %d bytes, %d allocs; want at most %d bytes, %d allocs", bytes, allocs, maxBytes, maxAllocs)
	}
}
