package tracer_test

import (
	"context"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mmtrace/mmtrace/internal/rawchild"
	"github.com/mmtrace/mmtrace/tracer"
)

// flushLog is a sink that writes down each Event (E) and Flush (F) the
// tracer gives it. The exit of the first close takes longer than two of
// the flusher's ticks, as a slow renderer's can under emulation, so that
// the flusher waits for it.
type flushLog struct {
	mu     sync.Mutex
	seq    strings.Builder
	closes int
}

func (l *flushLog) Event(e *tracer.Event) {
	l.mu.Lock()
	l.seq.WriteByte('E')
	l.mu.Unlock()
	if e.Kind == tracer.CallExit && strings.HasPrefix(e.Call.String(), "close(-1)") {
		l.closes++
		if l.closes == 1 {
			time.Sleep(250 * time.Millisecond)
		}
	}
}

func (l *flushLog) Flush() error {
	l.mu.Lock()
	l.seq.WriteByte('F')
	l.mu.Unlock()
	return nil
}

// TestNoQuietFlushWhileEventsCome: the flusher flushes only what came
// since the last flush, so that a text timeline ends its folds ("repeated
// N more times") only where the events say (a thread's exit, the trace's
// end), never because a tick found nothing new: a Flush with no event
// since the previous one comes only after the last event. Before, the
// flusher that waited for a slow sink's event flushed it and left it
// counted as unflushed, and its next tick in the quiet stretch that
// followed was such a Flush (issue 16: the --stable waitpid timeline
// differed from run to run under emulation).
func TestNoQuietFlushWhileEventsCome(t *testing.T) {
	bin := buildC(t, "quietgap.c")
	spec := &rawchild.Spec{}
	if err := spec.SetExec(bin, []string{bin}, os.Environ()); err != nil {
		t.Fatal(err)
	}
	log := &flushLog{}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	res, err := tracer.New(tracer.Config{}, log).Run(ctx, spec)
	skipIfNoPtrace(t, err)
	if err != nil {
		t.Fatal(err)
	}
	if res.Status() != 0 || log.closes != 2 {
		t.Fatalf("status %d, %d closes shown: want 0 and 2", res.Status(), log.closes)
	}
	seq := log.seq.String()
	last := strings.LastIndexByte(seq, 'E')
	if i := strings.Index(seq[:last], "FF"); i >= 0 {
		t.Errorf("a Flush with no event since the previous one at %d, before the last event: %s", i+1, seq)
	}
	t.Logf("events and flushes: %s", seq)
}
