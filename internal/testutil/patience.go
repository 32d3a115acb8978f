package testutil

import (
	"os"
	"strconv"
	"time"
)

// Patience returns d, how long a test waits before it calls something a
// hang, stretched by MMTRACE_TEST_SLOWDOWN: a factor (1 by default) that
// .ci/arm64 sets for its emulated guest, where a program runs ten to
// twenty times slower than here, and slower still when the host is busy.
// A test's verdict never depends on it: only how long it waits for what
// must come.
func Patience(d time.Duration) time.Duration {
	f, err := strconv.ParseFloat(os.Getenv("MMTRACE_TEST_SLOWDOWN"), 64)
	if err != nil || f < 1 {
		return d
	}
	return time.Duration(float64(d) * f)
}

// Emulated says whether the tests run in .ci/arm64's emulated guest.
func Emulated() bool { return os.Getenv("MMTRACE_TEST_SLOWDOWN") != "" }
