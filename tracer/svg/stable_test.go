package svg_test

import (
	"bytes"
	"encoding/xml"
	"io"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/mmtrace/mmtrace/tracer"
	"github.com/mmtrace/mmtrace/tracer/svg"
	"github.com/mmtrace/mmtrace/tracer/sys"
)

// stablePicture draws a made-up trace (a fork, a SIGBUS in the child, its
// reap) with the given pids, address and clock, through the labels as the
// pipeline does with --stable.
func stablePicture(t *testing.T, parent, child int, addr uint64, t0 time.Duration) string {
	t.Helper()
	var buf bytes.Buffer
	r := svg.New(&buf, svg.Options{Title: "made up", Name: "bus", Stable: true})
	send := func(e *tracer.Event) {
		e.Time += t0
		r.Event(e)
	}
	send(&tracer.Event{Kind: tracer.Spawn, Time: time.Millisecond, Pid: parent, Tid: parent, Child: child})
	send(&tracer.Event{Kind: tracer.Signal, Time: 3 * time.Millisecond, Pid: child, Tid: child, Signal: syscall.SIGBUS,
		Siginfo: sys.Siginfo{Signo: syscall.SIGBUS, Code: 2, Addr: addr},
		Notes:   []string{"0x" + strconv.FormatUint(addr, 16) + " is past the end of the file; child " + strconv.Itoa(child), "289 pages of the file are mapped"}})
	send(&tracer.Event{Kind: tracer.Exit, Time: 7 * time.Millisecond, Pid: child, Tid: child, KilledBy: syscall.SIGBUS, Leader: true})
	// The parent's SIGCHLD: the child's CPU times are the clock's.
	send(&tracer.Event{Kind: tracer.Signal, Time: 8 * time.Millisecond, Pid: parent, Tid: parent, Signal: syscall.SIGCHLD,
		Siginfo: sys.Siginfo{Signo: syscall.SIGCHLD, Code: 2, Pid: int32(child), Status: int32(syscall.SIGBUS), Utime: int64(t0 / time.Second), Stime: int64(t0/time.Second) + 1}})
	send(&tracer.Event{Kind: tracer.Exit, Time: 9 * time.Millisecond, Pid: parent, Tid: parent, Leader: true})
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
	d := xml.NewDecoder(bytes.NewReader(buf.Bytes()))
	for {
		if _, err := d.Token(); err == io.EOF {
			break
		} else if err != nil {
			t.Fatalf("not XML: %v", err)
		}
	}
	return buf.String()
}

// TestStablePicture: with Labels, two runs that differ in pids, addresses
// and times draw the same picture, which names the processes P1 and P2,
// the address A1, and times by the events' numbers.
func TestStablePicture(t *testing.T) {
	a := stablePicture(t, 4242, 4250, 0x7f3c1a2b4000, 0)
	b := stablePicture(t, 987654, 987655, 0x7ffe00001000, 3*time.Second)
	if a != b {
		t.Errorf("two runs drew different pictures:\n%s\n---\n%s", a, b)
	}
	for _, want := range []string{"P1", "P2", "child of P1", "A1"} {
		if !strings.Contains(a, want) {
			t.Errorf("no %q in the picture:\n%s", want, a)
		}
	}
	for _, not := range []string{"4242", "4250", "7f3c1a2b4000", " ms", "µs"} {
		if strings.Contains(a, not) {
			t.Errorf("%q in the picture", not)
		}
	}
}

// adjacentPicture draws two mmaps, the second at second, with --stable.
func adjacentPicture(t *testing.T, second uint64) string {
	t.Helper()
	var buf bytes.Buffer
	r := svg.New(&buf, svg.Options{Title: "made up", Name: "maps", Stable: true})
	const first, size = 0x7f0000010000, 0x6000
	at := time.Millisecond
	mmap := func(addr uint64, prot uint64) {
		c := newCall(t, "mmap", fakeMem{}, 0, size, prot, uint64(syscall.MAP_SHARED|syscall.MAP_ANONYMOUS), uint64(^uint32(0)), 0)
		r.Event(&tracer.Event{Kind: tracer.CallEnter, Time: at, Pid: 4242, Tid: 4242, Call: c})
		c.Exit(fakeMem{}, int64(addr), &sys.Options{})
		r.Event(&tracer.Event{Kind: tracer.CallExit, Time: at + time.Microsecond, Pid: 4242, Tid: 4242, Call: c})
		at += time.Millisecond
	}
	mmap(first, syscall.PROT_READ|syscall.PROT_WRITE)
	mmap(second, syscall.PROT_READ)
	r.Event(&tracer.Event{Kind: tracer.Exit, Time: at, Pid: 4242, Tid: 4242, Leader: true})
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

// TestStablePictureAdjacentMappings: whether a mapping starts where the
// previous one ends is the layout's choice, which differs from run to run
// in a forked child; --stable's picture reads the same either way (a
// range is its start's label and its size, as in the timeline's maps
// table), where a label for the end once named the next mapping's start
// in one run and a new address in another.
func TestStablePictureAdjacentMappings(t *testing.T) {
	adjacent := adjacentPicture(t, 0x7f0000016000)
	apart := adjacentPicture(t, 0x7f0000040000)
	if adjacent != apart {
		t.Errorf("the pictures differ with the second mapping adjacent or apart:\n%s\n---\n%s", adjacent, apart)
	}
	if !strings.Contains(adjacent, "A1-A1+24KiB") {
		t.Errorf("no range A1-A1+24KiB in the picture:\n%s", adjacent)
	}
}

// TestStablePictureCountsStayNumbers: a number that counts something
// ("289 pages") stays a number in a --stable picture even when a process
// has that id, as in the text timeline: in the arm64 guest, where pids are
// in the hundreds, the waitpid picture's "242 pages of address space
// reserved" read "P4 pages" in one run of five (issue 16).
func TestStablePictureCountsStayNumbers(t *testing.T) {
	for _, child := range []int{289, 4711} {
		pic := stablePicture(t, 100, child, 0x7f0000001000, 0)
		for _, want := range []string{"child P2", "289 pages"} {
			if !strings.Contains(pic, want) {
				t.Errorf("child pid %d: the picture lacks %q", child, want)
			}
		}
	}
}
