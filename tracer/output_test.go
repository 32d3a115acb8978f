package tracer_test

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"syscall"
	"testing"
	"time"

	"github.com/mmtrace/mmtrace/internal/rawchild"
	"github.com/mmtrace/mmtrace/tracer"
)

// failingSink fails every Flush once it has seen n events, as a writer
// whose reader went away does.
type failingSink struct {
	n, seen int
}

func (s *failingSink) Event(*tracer.Event) { s.seen++ }
func (s *failingSink) Flush() error {
	if s.seen >= s.n {
		return syscall.EPIPE
	}
	return nil
}

// TestSinkErrorEndsTrace: a sink's write error ends the trace: the program
// the tracer started, which would run forever, is killed, and Run returns
// the error wrapping ErrOutput. Before, Flush's error was dropped and the
// trace went on for nobody.
func TestSinkErrorEndsTrace(t *testing.T) {
	path, err := exec.LookPath("sh")
	if err != nil {
		t.Fatal(err)
	}
	spec := &rawchild.Spec{}
	argv := []string{"sh", "-c", "while :; do :> /dev/null; done"}
	if err := spec.SetExec(path, argv, os.Environ()); err != nil {
		t.Fatal(err)
	}
	// A minute is a hang, not slowness: cancelling then kills the program.
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	res, err := tracer.New(tracer.Config{}, &failingSink{n: 50}).Run(ctx, spec)
	skipIfNoPtrace(t, err)
	if ctx.Err() != nil {
		t.Fatal("the trace went on after its sink failed")
	}
	if !errors.Is(err, tracer.ErrOutput) || !errors.Is(err, syscall.EPIPE) {
		t.Errorf("Run: %v, want ErrOutput wrapping EPIPE", err)
	}
	if res.Signal != syscall.SIGKILL {
		t.Errorf("the program ended with %+v, want killed by SIGKILL", res)
	}
}
