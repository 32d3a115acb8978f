package sys

import (
	goflag "flag"
	"fmt"
	"os"
	"sort"
	"testing"
)

// casesOf counts the decoder test cases of each call, as runCallCases
// runs them.
var casesOf = map[string]int{}

// TestMain checks, after a run of every test, that every call of the
// table has test cases: a decoder without them is a decoder nobody
// compared with strace.
func TestMain(m *testing.M) {
	code := m.Run()
	if f := goflag.Lookup("test.run"); code == 0 && (f == nil || f.Value.String() == "") {
		var missing []string
		for name := range tableSpecs() {
			if casesOf[name] == 0 {
				missing = append(missing, name)
			}
		}
		if len(missing) > 0 {
			sort.Strings(missing)
			fmt.Fprintf(os.Stderr, "FAIL: decoders without test cases: %v\n", missing)
			code = 1
		}
	}
	os.Exit(code)
}
