package main

import (
	"bytes"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/mmtrace/mmtrace/tracer/explain"
)

// lockedBuffer is a bytes.Buffer safe for the progress goroutine.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func TestProgressLine(t *testing.T) {
	var out lockedBuffer
	l := newProgressLine(&out, explain.EN)
	var done atomic.Int64
	l.start("copy", func() (int64, int64) { return done.Load(), 64 << 20 }, 5*time.Millisecond)
	done.Store(16 << 20)
	deadline := time.Now().Add(5 * time.Second)
	for !strings.Contains(out.String(), "copy: 16 MiB of 64 MiB (25%)") && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	// A timeline line erases the progress line before it is written.
	l.Write([]byte("4242 0.1 munmap(0x7f0000000000, 4096) = 0\n"))
	done.Store(64 << 20)
	for !strings.Contains(out.String(), "(100%)") && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	l.finish()
	got := out.String()
	if !strings.Contains(got, "copy: 16 MiB of 64 MiB (25%)"+eraseLine+"4242 0.1 munmap(") {
		t.Errorf("the timeline line did not erase the progress line first:\n%q", got)
	}
	if !strings.HasSuffix(got, "(100%)"+eraseLine) {
		t.Errorf("finish did not erase the last progress line:\n%q", got)
	}
}

func TestProgressLineTooShortToShow(t *testing.T) {
	var out lockedBuffer
	l := newProgressLine(&out, explain.EN)
	l.start("copy", func() (int64, int64) { return 1, 2 }, time.Hour)
	l.Write([]byte("a line\n"))
	l.finish()
	if got := out.String(); got != "a line\n" {
		t.Errorf("a run shorter than the interval showed %q", got)
	}
}
