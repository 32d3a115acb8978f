package main

import (
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// TestInitCost holds what mmtrace's own packages cost every start, before
// main runs, whatever is traced: the allocations of their init, as the
// runtime's inittrace counts them in a run of the built command. They
// were 1,591 allocations and 342 kB when the decoder table, the message
// catalog and the regular expressions were built at init (issue 15); each
// is built on first use now.
func TestInitCost(t *testing.T) {
	const maxAllocs, maxBytes = 150, 48 << 10
	cmd := exec.Command(mmtraceBin, "version")
	cmd.Env = append(os.Environ(), "GODEBUG=inittrace=1")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	line := regexp.MustCompile(`(?m)^init (\S+) @.* clock, (\d+) bytes, (\d+) allocs$`)
	var allocs, bytes int
	var per []string
	for _, m := range line.FindAllStringSubmatch(string(out), -1) {
		if m[1] != "main" && !strings.HasPrefix(m[1], "github.com/mmtrace/mmtrace/") {
			continue
		}
		b, _ := strconv.Atoi(m[2])
		a, _ := strconv.Atoi(m[3])
		bytes, allocs = bytes+b, allocs+a
		per = append(per, strings.TrimPrefix(m[1], "github.com/mmtrace/mmtrace/")+" "+m[3])
	}
	if len(per) == 0 {
		t.Fatalf("no inittrace lines of mmtrace's packages in:\n%s", out)
	}
	t.Logf("init of mmtrace's packages: %d bytes, %d allocs (%s)", bytes, allocs, strings.Join(per, ", "))
	if allocs > maxAllocs || bytes > maxBytes {
		t.Errorf("init of mmtrace's packages: %d bytes, %d allocs (%s); want at most %d bytes, %d allocs",
			bytes, allocs, strings.Join(per, ", "), maxBytes, maxAllocs)
	}
}
