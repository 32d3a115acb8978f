//go:build linux

package rawchild

import (
	"syscall"
	"unsafe"

	"golang.org/x/sys/unix"
)

// Wrappers the myths scenario needs besides those in raw_unsafe.go; the
// same rules apply (see the package documentation).

// Pread reads up to n bytes of fd from offset off into memory at addr,
// without moving fd's offset: pread64.
//
//go:nosplit
//go:norace
func Pread(fd int, addr, n uintptr, off int64) (int, syscall.Errno) {
	r, e := rawSyscall(unix.SYS_PREAD64, uintptr(fd), addr, n, uintptr(off), 0, 0)
	return int(r), e
}

// Lseek moves fd's offset as C's lseek() does and returns the new offset;
// lseek(fd, 0, SEEK_CUR) only asks where it is.
//
//go:nosplit
//go:norace
func Lseek(fd int, off int64, whence int) (int64, syscall.Errno) {
	r, e := rawSyscall(unix.SYS_LSEEK, uintptr(fd), uintptr(off), uintptr(whence), 0, 0, 0)
	return int64(r), e
}

// Fstat fills st with what the kernel knows of fd's file, as C's fstat()
// does (on arm64 the call is fstat too: SYS_FSTAT).
//
//go:nosplit
//go:norace
func Fstat(fd int, st *unix.Stat_t) syscall.Errno {
	_, e := rawSyscall(unix.SYS_FSTAT, uintptr(fd), uintptr(unsafe.Pointer(st)), 0, 0, 0, 0)
	return e
}
