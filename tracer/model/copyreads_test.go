package model

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/mmtrace/mmtrace/internal/testutil"
	"github.com/mmtrace/mmtrace/tracer"
	"github.com/mmtrace/mmtrace/tracer/filter"
)

// procRead is one read of /proc the model made: what, of which process,
// at which event, and how long the kernel took.
type procRead struct {
	what  string
	pid   int
	at    string // the event being applied: "enter write", "spawn", ...
	ok    bool   // pid is the event's process, or the child it forked
	took  time.Duration
	bytes uint64 // for pages: the bytes of the ranges walked
}

// readLog passes every read to the real /proc and logs it.
type readLog struct {
	real  procReader
	at    string
	pids  [2]int // the event's process, and the child it forked
	reads []procRead
}

func (c *readLog) log(what string, pid int, t0 time.Time, bytes uint64) {
	c.reads = append(c.reads, procRead{what: what, pid: pid, at: c.at, ok: pid == c.pids[0] || pid == c.pids[1],
		took: time.Since(t0), bytes: bytes})
}

func (c *readLog) maps(pid int) []Mapping {
	defer c.log("maps", pid, time.Now(), 0)
	return c.real.maps(pid)
}
func (c *readLog) fds(pid int, known map[int]FD) map[int]FD {
	defer c.log("fd/", pid, time.Now(), 0)
	return c.real.fds(pid, known)
}
func (c *readLog) fdPath(pid, fd int) string {
	defer c.log("fd/N", pid, time.Now(), 0)
	return c.real.fdPath(pid, fd)
}
func (c *readLog) fdFlags(pid, fd int) (int, bool) {
	defer c.log("fdinfo/N", pid, time.Now(), 0)
	return c.real.fdFlags(pid, fd)
}
func (c *readLog) size(pid, fd int) int64 {
	defer c.log("fd/N stat", pid, time.Now(), 0)
	return c.real.size(pid, fd)
}
func (c *readLog) faults(pid int) (uint64, uint64, bool) {
	defer c.log("stat", pid, time.Now(), 0)
	return c.real.faults(pid)
}
func (c *readLog) resident(pid int) (uint64, bool) {
	defer c.log("smaps_rollup", pid, time.Now(), 0)
	return c.real.resident(pid)
}
func (c *readLog) pages(pid int, ranges []pageRange, out []Pages) bool {
	var n uint64
	for _, r := range ranges {
		n += r.end - r.start
	}
	defer c.log("pagemap", pid, time.Now(), n)
	return c.real.pages(pid, ranges, out)
}
func (c *readLog) readBytes(pid int) (uint64, bool) {
	defer c.log("io", pid, time.Now(), 0)
	return c.real.readBytes(pid)
}

// readLogger names the event the model is about to apply.
type readLogger struct {
	m *Model
	c *readLog
}

func (r *readLogger) Event(e *tracer.Event) {
	switch e.Kind {
	case tracer.CallEnter:
		r.c.at = "enter " + e.Call.Name
	case tracer.CallExit:
		r.c.at = "exit " + e.Call.Name
	case tracer.Spawn:
		r.c.at = "spawn"
	default:
		r.c.at = "other"
	}
	r.c.pids = [2]int{e.Pid, e.Child}
	r.m.Event(e)
}
func (r *readLogger) Flush() error { return nil }

// TestCopyProcReads lists the /proc reads the model makes, with faults
// shown (SkipFaults false, Residency on, as `mmtrace copy` runs by
// default), while the copy's children fault their parts in: per process,
// per event, and what each cost. It is the record behind issue 15's
// question whether those reads slow the copy down; it checks only that
// every read is of a process stopped at the event being applied (the
// parent, or the child being forked), so that no read walks the page
// tables of a child that is copying. MMTRACE_COPY_READS_MIB sets the
// size copied (default 64).
func TestCopyProcReads(t *testing.T) {
	if testing.Short() {
		t.Skip("copies 64 MiB")
	}
	mib := 64
	if v := os.Getenv("MMTRACE_COPY_READS_MIB"); v != "" {
		mib, _ = strconv.Atoi(v)
	}
	dir := t.TempDir()
	src := filepath.Join(dir, "src.bin")
	f, err := os.Create(src)
	if err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 1<<20)
	for i := 0; i < mib; i++ {
		for j := range buf {
			buf[j] = byte(i*31 + j*7)
		}
		if _, err := f.Write(buf); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	plan, _ := testutil.PlanScenario(t, "copy", src, filepath.Join(dir, "dst.bin"), "-n", "5")
	m := New()
	m.Residency = true
	c := &readLog{real: m.proc}
	m.proc = c
	lg := &readLogger{m: m, c: c}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	res, err := tracer.New(tracer.Config{Filter: filter.Default()}, lg).Run(ctx, plan.Spec())
	if errors.Is(err, tracer.ErrNotPermitted) {
		t.Skip(err)
	}
	if err != nil {
		t.Fatal(err)
	}
	if err := plan.After(res.Status()); err != nil {
		t.Fatal(err)
	}

	// One line per process and event: the reads, their count and time.
	type key struct {
		pid int
		at  string
	}
	var order []key
	byKey := map[key][]procRead{}
	total := map[string]time.Duration{}
	count := map[string]int{}
	for _, r := range c.reads {
		k := key{r.pid, r.at}
		if _, ok := byKey[k]; !ok {
			order = append(order, k)
		}
		byKey[k] = append(byKey[k], r)
		total[r.what] += r.took
		count[r.what]++
		if !r.ok {
			t.Errorf("%s of pid %d read at %s of another process", r.what, r.pid, r.at)
		}
	}
	var lines []string
	for _, k := range order {
		var parts []string
		var sum time.Duration
		for _, r := range byKey[k] {
			s := r.what
			if r.bytes > 0 {
				s += fmt.Sprintf("(%d MiB)", r.bytes>>20)
			}
			parts = append(parts, fmt.Sprintf("%s %v", s, r.took.Round(time.Microsecond)))
			sum += r.took
		}
		lines = append(lines, fmt.Sprintf("pid %d at %-14s %2d reads, %8v: %s", k.pid, k.at, len(byKey[k]), sum.Round(time.Microsecond), strings.Join(parts, ", ")))
	}
	t.Logf("%d MiB, -n 5: %d reads of /proc\n%s", mib, len(c.reads), strings.Join(lines, "\n"))
	var kinds []string
	for w := range total {
		kinds = append(kinds, w)
	}
	sort.Strings(kinds)
	for _, w := range kinds {
		t.Logf("%-12s %3d reads, %v", w, count[w], total[w].Round(time.Microsecond))
	}
}
