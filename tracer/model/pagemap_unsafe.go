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

// pages counts the pages of [start, end) mapped in pid's page tables,
// telling page-cache pages from anonymous ones page by page only if
// byPage: that check reads each page's struct page, ten times the cost of
// the walk alone, and the caller knows the answer for most mappings.
// Otherwise every page counts as cached if cache, else as anonymous.
func (r *realProc) pages(pid int, start, end uint64, byPage, cache bool) (Pages, bool) {
	fd, err := openRaw(r.procPath(pid, "pagemap", -1), unix.O_RDONLY|unix.O_CLOEXEC)
	if err != nil {
		return Pages{}, false
	}
	defer unix.Close(fd)
	if !r.noScan {
		pg, errno := r.scan(fd, start, end, byPage, cache)
		if errno == 0 {
			return pg, true
		}
		if errno != unix.ENOTTY && errno != unix.EINVAL {
			return Pages{}, false
		}
		// A kernel before 6.7: read the entries one by one.
		r.noScan = true
	}
	return r.readPagemap(fd, start, end, byPage, cache)
}

// scan counts with PAGEMAP_SCAN.
func (r *realProc) scan(fd int, start, end uint64, byPage, cache bool) (Pages, unix.Errno) {
	var pg Pages
	arg := pmScanArg{
		size: uint64(unsafe.Sizeof(pmScanArg{})), start: start, end: end,
		vec: uint64(uintptr(unsafe.Pointer(&r.regions[0]))), vecLen: uint64(len(r.regions)),
		categoryAnyofMask: pageIsPresent,
		returnMask:        pageIsPresent | pageIsPFNZero,
	}
	if byPage {
		arg.returnMask |= pageIsFile
	}
	for arg.start < end {
		n, _, errno := unix.Syscall(unix.SYS_IOCTL, uintptr(fd), pagemapScan, uintptr(unsafe.Pointer(&arg)))
		if errno == unix.EINTR {
			continue
		}
		if errno != 0 {
			return Pages{}, errno
		}
		for _, reg := range r.regions[:n] {
			isCache := cache
			if byPage {
				isCache = reg.categories&pageIsFile != 0
			}
			pg.add(isCache, reg.categories&pageIsPFNZero != 0, (reg.end-reg.start)/PageSize)
		}
		if arg.walkEnd <= arg.start {
			break
		}
		arg.start = arg.walkEnd
	}
	// The kernel wrote through the address in arg.vec: keep the array
	// (a field of r, never moved) reachable until it is done.
	runtime.KeepAlive(r)
	return pg, 0
}

// readPagemap counts with the plain 8-byte entries, a buffer at a time.
// It cannot tell the zero page (its PFN is hidden without CAP_SYS_ADMIN):
// such a page counts as anonymous.
func (r *realProc) readPagemap(fd int, start, end uint64, byPage, cache bool) (Pages, bool) {
	var pg Pages
	for addr := start; addr < end; {
		want := min((end-addr)/PageSize*8, uint64(len(r.buf)))
		n, err := unix.Pread(fd, r.buf[:want], int64(addr/PageSize*8))
		if err == unix.EINTR {
			continue
		}
		if err != nil || n < 8 {
			return Pages{}, false
		}
		for i := 0; i+8 <= n; i += 8 {
			e := binary.NativeEndian.Uint64(r.buf[i:])
			if e&pmPresent != 0 {
				pg.add(cache && !byPage || byPage && e&pmFile != 0, false, 1)
			}
		}
		addr += uint64(n/8) * PageSize
	}
	return pg, true
}
