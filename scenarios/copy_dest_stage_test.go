package scenarios

import (
	"strings"
	"testing"
)

// TestStagingNameLong: a name too long for ".NAME.mmtrace" gets a short,
// fixed name from its hash, the same each time and another for another
// name.
func TestStagingNameLong(t *testing.T) {
	if got := stagingName("out.bin"); got != ".out.bin.mmtrace" {
		t.Errorf("stagingName(out.bin) = %q", got)
	}
	a, b := strings.Repeat("a", 250), strings.Repeat("a", 249)+"b"
	sa, sb := stagingName(a), stagingName(b)
	if !strings.HasPrefix(sa, ".mmtrace-") || len(sa) != len(".mmtrace-")+16 {
		t.Errorf("stagingName(250 bytes) = %q", sa)
	}
	if sa != stagingName(a) || sa == sb {
		t.Errorf("stagingName: %q and %q", sa, sb)
	}
}
