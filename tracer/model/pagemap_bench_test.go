package model

import (
	"os"
	"testing"

	"golang.org/x/sys/unix"
)

// benchMapping maps size bytes of anonymous memory, every page touched,
// for the benchmarks of reading a mapping's pages.
func benchMapping(b *testing.B, size int) (uint64, uint64) {
	mem, err := unix.Mmap(-1, 0, size, unix.PROT_READ|unix.PROT_WRITE, unix.MAP_PRIVATE|unix.MAP_ANONYMOUS)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { unix.Munmap(mem) })
	unix.Madvise(mem, unix.MADV_NOHUGEPAGE)
	for i := 0; i < size; i += int(PageSize) {
		mem[i] = 1
	}
	start := uint64(addrOf(mem))
	return start, start + uint64(size)
}

// BenchmarkPages is the cost of one look at a mapping's pages, as the
// model reads them where faults are shown: 256 MiB, all of it resident,
// in 4 KiB pages (the worst case: huge pages are one entry each).
func BenchmarkPages(b *testing.B) {
	for _, bc := range []struct {
		name           string
		noScan, byPage bool
	}{{"PAGEMAP_SCAN", false, false}, {"PAGEMAP_SCAN-by-page", false, true}, {"pagemap-read", true, false}} {
		b.Run(bc.name, func(b *testing.B) {
			start, end := benchMapping(b, 256<<20)
			r := newRealProc()
			r.noScan = bc.noScan
			pid := os.Getpid()
			ranges := []pageRange{{start: start, end: end, byPage: bc.byPage}}
			pg := make([]Pages, 1)
			for b.Loop() {
				ok := r.pages(pid, ranges, pg)
				if !ok || pg[0].Resident() != (end-start)/PageSize {
					b.Fatalf("%+v, %v: want %d pages", pg[0], ok, (end-start)/PageSize)
				}
			}
		})
	}
	b.Run("smaps", func(b *testing.B) {
		benchMapping(b, 256<<20)
		r := newRealProc()
		pid := os.Getpid()
		for b.Loop() {
			if _, err := r.read(r.procPath(pid, "smaps", -1)); err != nil {
				b.Fatal(err)
			}
		}
	})
}
