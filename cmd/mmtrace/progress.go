package main

import (
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/mmtrace/mmtrace/tracer/explain"
)

// progressLine shows how far a long run has got, on the last line of a
// terminal, and keeps the timeline's lines intact: every write through it
// first erases the progress line, which the next tick draws again.
type progressLine struct {
	mu    sync.Mutex
	w     io.Writer
	lang  explain.Lang
	shown bool
	stop  chan struct{}
	done  chan struct{}
}

// eraseLine returns the cursor to the line's start and clears it.
const eraseLine = "\r\x1b[K"

func newProgressLine(w io.Writer, l explain.Lang) *progressLine { return &progressLine{w: w, lang: l} }

// Write writes p, after erasing the progress line if it is shown.
func (l *progressLine) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.shown {
		io.WriteString(l.w, eraseLine)
		l.shown = false
	}
	return l.w.Write(p)
}

// start draws "label: 12 MiB of 64 MiB (18%)" every interval from get,
// after a first interval: a run shorter than that shows nothing.
func (l *progressLine) start(label string, get func() (done, total int64), interval time.Duration) {
	l.stop, l.done = make(chan struct{}), make(chan struct{})
	go func() {
		defer close(l.done)
		t := time.NewTicker(interval)
		defer t.Stop()
		for {
			select {
			case <-l.stop:
				return
			case <-t.C:
				done, total := get()
				l.draw(label, done, total)
			}
		}
	}()
}

func (l *progressLine) draw(label string, done, total int64) {
	pct := int64(100)
	if total > 0 {
		pct = 100 * done / total
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	fmt.Fprint(l.w, eraseLine+msg(l.lang, msgProgress, label, sizeOf(done), sizeOf(total), pct))
	l.shown = true
}

// finish stops the drawing and erases the line.
func (l *progressLine) finish() {
	if l.stop == nil {
		return
	}
	close(l.stop)
	<-l.done
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.shown {
		io.WriteString(l.w, eraseLine)
		l.shown = false
	}
}

// sizeOf prints a byte count for a person.
func sizeOf(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GiB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.0f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.0f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d bytes", n)
}
