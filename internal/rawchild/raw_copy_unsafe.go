//go:build linux

package rawchild

import (
	"syscall"

	"golang.org/x/sys/unix"
)

// Wrappers the copy scenario needs besides those in raw_unsafe.go; the same
// rules apply (see the package documentation).

// ClockGettime stores clock's current time, a struct timespec, at addr (a
// mapping, or a buffer's address from Addr). It is the system call, not
// the vDSO, which needs the runtime: it shows in a trace that selects it.
//
//go:nosplit
//go:norace
func ClockGettime(clock int, addr uintptr) syscall.Errno {
	_, e := rawSyscall(unix.SYS_CLOCK_GETTIME, uintptr(clock), addr, 0, 0, 0, 0)
	return e
}

// Pwrite writes n bytes from memory at addr (a buffer's address from Addr)
// to fd at offset off, as C's pwrite(): pwrite64.
//
//go:nosplit
//go:norace
func Pwrite(fd int, addr, n uintptr, off int64) (int, syscall.Errno) {
	r, e := rawSyscall(unix.SYS_PWRITE64, uintptr(fd), addr, n, uintptr(off), 0, 0)
	return int(r), e
}
