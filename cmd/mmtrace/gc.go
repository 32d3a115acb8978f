package main

import (
	"os"
	"runtime/debug"
)

// gcPercent is the garbage collector's target mmtrace runs with: the heap
// may grow to 1.5 times what is live, not twice, and at least to 2 MB, not
// 4 MB (the runtime's minimum scales with it). mmtrace keeps little live
// (about 0.5 MB on a 1,000-fork trace) but makes garbage at every stop
// (a sys.Call per call), so with GOGC=100 its heap always grew to the
// 4 MB minimum. This takes about 1.8 MB off its peak RSS; the collector
// runs 2.5 times as often (62 cycles instead of 25 for 100,000 calls),
// each cycle short with so little live (issue 15 item 6).
const gcPercent = 50

// tuneGC sets gcPercent unless GOGC in the environment says otherwise.
func tuneGC() {
	if _, set := os.LookupEnv("GOGC"); set {
		return
	}
	debug.SetGCPercent(gcPercent)
}
