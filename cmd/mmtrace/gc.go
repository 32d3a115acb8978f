package main

import (
	"os"
	"runtime/debug"
)

// gcPercent is the garbage collector's target mmtrace runs with: the heap
// may grow to 1.4 times what is live, not twice, and at least to about
// 1.6 MB, not 4 MB (the runtime's minimum scales with it). mmtrace keeps
// little live (about 0.5 MB on a 1,000-fork trace) but makes garbage as it
// goes, so with GOGC=100 its heap always grew to the 4 MB minimum (issue 15
// item 6). Measured with bench/run.sh --only rss (5 rounds, 1,000 children):
// peak RSS medians 9.6-10.4 MiB at 50, 9.2-10.2 MiB at 40. The collector
// runs more often (16 to 27 cycles on a 60,000-call dd trace, about 6 ms
// more of its CPU time), which no timing showed: 30,000 one-byte dd blocks
// under run -a took 2.20-2.22 s at 50 and 2.20-2.26 s at 40 (perf stat -r
// 10, three alternating rounds, quiet machine).
const gcPercent = 40

// tuneGC sets gcPercent unless GOGC in the environment says otherwise.
func tuneGC() {
	if _, set := os.LookupEnv("GOGC"); set {
		return
	}
	debug.SetGCPercent(gcPercent)
}
