package sys

import (
	"sync"
	"testing"
)

// TestLookupOnce: goroutines that look a call up for the first time at
// once all get the one spec that is kept; a call with no decoder is kept
// as none; a Call named by hand finds the same spec as one named by
// number; and a lookup once built allocates nothing.
func TestLookupOnce(t *testing.T) {
	// amd64's numbers, whatever the test runs on (unix.SYS_* are the
	// host's: on arm64 they name other amd64 calls).
	nr, _ := Number(AMD64, "mmap")
	getpid, _ := Number(AMD64, "getpid")
	specs[AMD64][nr].Store(nil)
	var wg sync.WaitGroup
	got := make([]*spec, 16)
	for i := range got {
		wg.Go(func() { got[i] = lookup(AMD64, nr, "mmap") })
	}
	wg.Wait()
	kept := specs[AMD64][nr].Load()
	for i, sp := range got {
		if sp == nil || sp != kept {
			t.Fatalf("lookup %d = %p, kept %p", i, sp, kept)
		}
	}
	if sp := lookupName(ArchUnknown, "mmap"); sp != kept {
		t.Errorf("lookupName(mmap) = %p, want the kept %p", sp, kept)
	}
	if sp := lookup(AMD64, getpid, "getpid"); sp != nil {
		t.Errorf("getpid has a spec: %+v", sp)
	}
	if sp := specs[AMD64][getpid].Load(); sp != &noSpec {
		t.Errorf("getpid kept as %p, want noSpec", sp)
	}
	if n := testing.AllocsPerRun(100, func() { lookup(AMD64, nr, "mmap") }); n != 0 {
		t.Errorf("lookup allocates %v times", n)
	}
}
