package scenarios_test

import (
	"path/filepath"
	"testing"

	"github.com/mmtrace/mmtrace/tracer"
	"github.com/mmtrace/mmtrace/tracer/model"
)

// faultSink keeps the model and notes, for each copy child, the faults it
// took before its exit_group: its whole part.
type faultSink struct {
	m      *model.Model
	root   int
	faults map[int]uint64
	mapped map[int]uint64 // pages the faults mapped in
}

func (f *faultSink) Event(e *tracer.Event) {
	if f.root == 0 {
		f.root = e.Pid
	}
	ch := f.m.Apply(e)
	if e.Kind == tracer.CallEnter && e.Call.Name == "exit_group" && e.Pid != f.root {
		f.faults[e.Pid] = ch.MinFlt + ch.MajFlt
		f.mapped[e.Pid] = ch.MappedIn
	}
}
func (f *faultSink) Flush() error { return nil }

// TestCopyFaultsGrow: a child's page faults are its copy's work, made
// visible; four times the bytes take about four times the faults. Not one
// fault per page: fault-around maps up to 16 pages of the source at one
// fault, and MADV_HUGEPAGE lets a fault of the destination map 2 MiB; so
// the pages the faults mapped in are shown too, and they are at least the
// pages the child wrote.
func TestCopyFaultsGrow(t *testing.T) {
	if testing.Short() {
		t.Skip("copies 80 MiB")
	}
	faults := map[int]uint64{}
	for _, size := range []int{16 << 20, 64 << 20} {
		dir := t.TempDir()
		src := filepath.Join(dir, "src")
		randomFile(t, src, size)
		f := &faultSink{m: model.New(), faults: map[int]uint64{}, mapped: map[int]uint64{}}
		o := traceCopy(t, []tracer.Sink{f}, src, filepath.Join(dir, "dst"), "-n", "1")
		if o.status != 0 || o.after != nil {
			t.Fatalf("status %d, %v", o.status, o.after)
		}
		if len(f.faults) != 1 {
			t.Fatalf("%d children seen, want 1", len(f.faults))
		}
		for pid, n := range f.faults {
			faults[size] = n
			if written := uint64(size / 4096); f.mapped[pid] < written {
				t.Errorf("a child writing %d pages shows %d pages mapped in", written, f.mapped[pid])
			}
			t.Logf("a child copying %d MiB (%d pages) took %d page faults, mapping in %d pages", size>>20, size/4096, n, f.mapped[pid])
		}
	}
	small, big := faults[16<<20], faults[64<<20]
	if small == 0 || big < 2*small {
		t.Errorf("faults: %d for 16 MiB, %d for 64 MiB; want at least twice as many", small, big)
	}
}
