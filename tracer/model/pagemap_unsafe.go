package model

import (
	"encoding/binary"
	"runtime"
	"unsafe"

	"golang.org/x/sys/unix"
)

// The kernel's PAGEMAP_SCAN ioctl on /proc/PID/pagemap (Linux 6.7,
// include/uapi/linux/fs.h): it walks the page tables of a range and
// returns runs of pages with the same categories, so a range of any size
// costs a few runs instead of 8 bytes a page.
const (
	pagemapScan   = 0xc0606610 // _IOWR('f', 16, struct pm_scan_arg)
	pageIsFile    = 1 << 2     // a page-cache page: the file's, or shared memory's
	pageIsPresent = 1 << 3
	pageIsPFNZero = 1 << 5 // the shared zero page
)

// pageRegion is struct page_region.
type pageRegion struct{ start, end, categories uint64 }

// pmScanArg is struct pm_scan_arg.
type pmScanArg struct {
	size, flags, start, end, walkEnd, vec, vecLen, maxPages uint64
	categoryInverted, categoryMask, categoryAnyofMask       uint64
	returnMask                                              uint64
}

// The bits of a /proc/PID/pagemap entry (Documentation/admin-guide/mm/pagemap.rst).
const (
	pmPresent = 1 << 63
	pmFile    = 1 << 61 // file page or shared anonymous
)

// pages counts, for each of the ranges (sorted, not overlapping), its
// pages mapped in pid's page tables into out[i]. One walk covers them
// all, from the first range's start to the last one's end: the page
// tables between them cost only their mapped pages.
func (r *realProc) pages(pid int, ranges []pageRange, out []Pages) bool {
	if len(ranges) == 0 {
		return true
	}
	fd, err := openRaw(r.procPath(pid, "pagemap", -1), unix.O_RDONLY|unix.O_CLOEXEC)
	if err != nil {
		return false
	}
	defer unix.Close(fd)
	if !r.noScan {
		errno := r.scan(fd, ranges, out)
		if errno == 0 {
			return true
		}
		if errno != unix.ENOTTY && errno != unix.EINVAL {
			return false
		}
		// A kernel before 6.7: read the entries one by one.
		r.noScan = true
	}
	for i, rg := range ranges {
		if !r.readPagemap(fd, rg, &out[i]) {
			return false
		}
	}
	return true
}

// scan counts with PAGEMAP_SCAN, asking for the file bit (which reads
// each page's struct page, ten times the cost of the walk alone) only if
// a range needs it.
func (r *realProc) scan(fd int, ranges []pageRange, out []Pages) unix.Errno {
	clear(out)
	arg := pmScanArg{
		size: uint64(unsafe.Sizeof(pmScanArg{})), start: ranges[0].start, end: ranges[len(ranges)-1].end,
		vec: uint64(uintptr(unsafe.Pointer(&r.regions[0]))), vecLen: uint64(len(r.regions)),
		categoryAnyofMask: pageIsPresent,
		returnMask:        pageIsPresent | pageIsPFNZero,
	}
	for _, rg := range ranges {
		if rg.byPage {
			arg.returnMask |= pageIsFile
		}
	}
	i := 0 // the first range a region may overlap: regions come in order
	for arg.start < arg.end {
		n, _, errno := unix.Syscall(unix.SYS_IOCTL, uintptr(fd), pagemapScan, uintptr(unsafe.Pointer(&arg)))
		if errno == unix.EINTR {
			continue
		}
		if errno != 0 {
			return errno
		}
		for _, reg := range r.regions[:n] {
			for i < len(ranges) && ranges[i].end <= reg.start {
				i++
			}
			for j := i; j < len(ranges) && ranges[j].start < reg.end; j++ {
				rg := &ranges[j]
				npages := (min(reg.end, rg.end) - max(reg.start, rg.start)) / PageSize
				cache := rg.cache
				if rg.byPage {
					cache = reg.categories&pageIsFile != 0
				}
				out[j].add(cache, reg.categories&pageIsPFNZero != 0, npages)
			}
		}
		if arg.walkEnd <= arg.start {
			break
		}
		arg.start = arg.walkEnd
	}
	// The kernel wrote through the address in arg.vec: keep the array
	// (a field of r, never moved) reachable until it is done.
	runtime.KeepAlive(r)
	return 0
}

// readPagemap counts one range with the plain 8-byte entries, a buffer at
// a time. It cannot tell the zero page (its frame number is hidden
// without CAP_SYS_ADMIN): such a page counts as anonymous.
func (r *realProc) readPagemap(fd int, rg pageRange, pg *Pages) bool {
	*pg = Pages{}
	for addr := rg.start; addr < rg.end; {
		want := min((rg.end-addr)/PageSize*8, uint64(len(r.buf)))
		n, err := unix.Pread(fd, r.buf[:want], int64(addr/PageSize*8))
		if err == unix.EINTR {
			continue
		}
		if err != nil || n < 8 {
			return false
		}
		for i := 0; i+8 <= n; i += 8 {
			e := binary.NativeEndian.Uint64(r.buf[i:])
			if e&pmPresent != 0 {
				cache := rg.cache
				if rg.byPage {
					cache = e&pmFile != 0
				}
				pg.add(cache, false, 1)
			}
		}
		addr += uint64(n/8) * PageSize
	}
	return true
}
