package perfetto_test

import "github.com/mmtrace/mmtrace/internal/testutil"

// The shared tracing helpers, under the names the tests use.
var (
	traceSpec     = testutil.TraceSpec
	traceScenario = testutil.TraceScenario
	traceCopy     = testutil.TraceCopy
	traceLesson   = testutil.TraceLesson
)
