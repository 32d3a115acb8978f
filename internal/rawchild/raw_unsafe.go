//go:build linux

package rawchild

import (
	"syscall"
	"unsafe"

	"golang.org/x/sys/unix"
)

// The wrappers below are what scenario bodies call in the child. Each is
// one system call, returns syscall.Errno, and follows the package rules.
// Paths are NUL-terminated byte strings prepared by the plan
// (syscall.BytePtrFromString).

// Exit ends the whole process with exit_group(code).
//
//go:nosplit
//go:norace
func Exit(code int) {
	for {
		rawSyscall(unix.SYS_EXIT_GROUP, uintptr(code), 0, 0, 0, 0, 0)
	}
}

// Open opens path as C's open() does on Linux: openat(AT_FDCWD, ...).
//
//go:nosplit
//go:norace
func Open(path *byte, flags int, mode uint32) (int, syscall.Errno) {
	fd, e := rawSyscall(unix.SYS_OPENAT, uintptr(atFDCWD), uintptr(unsafe.Pointer(path)),
		uintptr(flags), uintptr(mode), 0, 0)
	return int(fd), e
}

// atFDCWD is AT_FDCWD; a variable, so it converts to uintptr with the sign
// bits a syscall argument needs.
var atFDCWD = -100

// Close closes fd.
//
//go:nosplit
//go:norace
func Close(fd int) syscall.Errno {
	_, e := rawSyscall(unix.SYS_CLOSE, uintptr(fd), 0, 0, 0, 0, 0)
	return e
}

// Ftruncate sets fd's file size.
//
//go:nosplit
//go:norace
func Ftruncate(fd int, size int64) syscall.Errno {
	_, e := rawSyscall(unix.SYS_FTRUNCATE, uintptr(fd), uintptr(size), 0, 0, 0, 0)
	return e
}

// Fallocate reserves blocks for fd's range, so a mapping of it cannot hit
// a full disk later (which would be a SIGBUS instead of an error).
//
//go:nosplit
//go:norace
func Fallocate(fd int, mode int, off, size int64) syscall.Errno {
	_, e := rawSyscall(unix.SYS_FALLOCATE, uintptr(fd), uintptr(mode), uintptr(off), uintptr(size), 0, 0)
	return e
}

// Mmap maps length bytes; it returns the address.
//
//go:nosplit
//go:norace
func Mmap(addr uintptr, length uintptr, prot, flags, fd int, off int64) (uintptr, syscall.Errno) {
	p, e := rawSyscall(unix.SYS_MMAP, addr, length, uintptr(prot), uintptr(flags), uintptr(fd), uintptr(off))
	return p, e
}

// Munmap unmaps [addr, addr+length).
//
//go:nosplit
//go:norace
func Munmap(addr, length uintptr) syscall.Errno {
	_, e := rawSyscall(unix.SYS_MUNMAP, addr, length, 0, 0, 0, 0)
	return e
}

// Madvise gives the kernel advice about a range.
//
//go:nosplit
//go:norace
func Madvise(addr, length uintptr, advice int) syscall.Errno {
	_, e := rawSyscall(unix.SYS_MADVISE, addr, length, uintptr(advice), 0, 0, 0)
	return e
}

// Msync flushes a shared file mapping.
//
//go:nosplit
//go:norace
func Msync(addr, length uintptr, flags int) syscall.Errno {
	_, e := rawSyscall(unix.SYS_MSYNC, addr, length, uintptr(flags), 0, 0, 0)
	return e
}

// Write writes n bytes from memory at addr (a mapping, or a buffer's
// address from Addr) to fd.
//
//go:nosplit
//go:norace
func Write(fd int, addr, n uintptr) (int, syscall.Errno) {
	r, e := rawSyscall(unix.SYS_WRITE, uintptr(fd), addr, n, 0, 0, 0)
	return int(r), e
}

// Read reads up to n bytes from fd into memory at addr.
//
//go:nosplit
//go:norace
func Read(fd int, addr, n uintptr) (int, syscall.Errno) {
	r, e := rawSyscall(unix.SYS_READ, uintptr(fd), addr, n, 0, 0, 0)
	return int(r), e
}

// Fork creates a child process as C's fork() does; it returns 0 in the
// child. The child inherits every mapping: MAP_SHARED ones stay shared,
// MAP_PRIVATE ones become copy-on-write.
//
//go:nosplit
//go:norace
func Fork() (int, syscall.Errno) {
	pid, e := rawFork()
	return int(pid), e
}

// Wait4 waits for a child; status receives the wait status.
//
//go:nosplit
//go:norace
func Wait4(pid int, status *int32, options int) (int, syscall.Errno) {
	r, e := rawSyscall(unix.SYS_WAIT4, uintptr(pid), uintptr(unsafe.Pointer(status)), uintptr(options), 0, 0, 0)
	return int(r), e
}

// Getpid returns the calling process's pid.
//
//go:nosplit
//go:norace
func Getpid() int {
	r, _ := rawSyscall(unix.SYS_GETPID, 0, 0, 0, 0, 0, 0)
	return int(r)
}

// Kill sends sig to pid.
//
//go:nosplit
//go:norace
func Kill(pid int, sig syscall.Signal) syscall.Errno {
	_, e := rawSyscall(unix.SYS_KILL, uintptr(pid), uintptr(sig), 0, 0, 0, 0)
	return e
}

// Sleep sleeps for ts (seconds and nanoseconds).
//
//go:nosplit
//go:norace
func Sleep(ts *unix.Timespec) syscall.Errno {
	_, e := rawSyscall(unix.SYS_NANOSLEEP, uintptr(unsafe.Pointer(ts)), 0, 0, 0, 0, 0)
	return e
}

// Unlink removes path as C's unlink() does: unlinkat(AT_FDCWD, path, 0).
//
//go:nosplit
//go:norace
func Unlink(path *byte) syscall.Errno {
	_, e := rawSyscall(unix.SYS_UNLINKAT, uintptr(atFDCWD), uintptr(unsafe.Pointer(path)), 0, 0, 0, 0)
	return e
}

// Exec replaces the process with the program s was prepared for with
// SetExec; it returns only on failure.
//
//go:nosplit
//go:norace
func Exec(s *Spec) syscall.Errno {
	_, e := rawSyscall(unix.SYS_EXECVE, uintptr(unsafe.Pointer(s.path)),
		uintptr(unsafe.Pointer(&s.argv[0])), uintptr(unsafe.Pointer(&s.envp[0])), 0, 0, 0)
	return e
}

// Addr returns the address of b's first byte, for Write and Read. b must
// be kept alive by the plan (it is: the plan outlives the child's run).
//
//go:nosplit
//go:norace
func Addr(b []byte) uintptr {
	if len(b) == 0 {
		return 0
	}
	return uintptr(unsafe.Pointer(&b[0]))
}

// Copy copies n bytes from src to dst, which may be mappings: it is the
// runtime's memmove, a leaf that needs no stack and takes no lock.
//
//go:nosplit
//go:norace
//go:nocheckptr
func Copy(dst, src, n uintptr) {
	if n == 0 || dst == 0 || src == 0 {
		return
	}
	move(unsafe.Slice(bytePtr(dst), n), unsafe.Slice(bytePtr(src), n))
}

// Store copies b into memory at dst.
//
//go:nosplit
//go:norace
//go:nocheckptr
func Store(dst uintptr, b []byte) {
	if len(b) == 0 || dst == 0 {
		return
	}
	move(unsafe.Slice(bytePtr(dst), len(b)), b)
}

// Load returns the byte at addr. Touching an address no page backs raises
// SIGSEGV or SIGBUS, as in C.
//
//go:nosplit
//go:norace
//go:nocheckptr
func Load(addr uintptr) byte {
	return *bytePtr(addr)
}

// bytePtr turns an address from the kernel into a pointer. Going through
// the variable's address keeps vet's unsafeptr check meaningful for the
// rest of the code: these addresses are mappings, not Go memory.
//
// The //go:nocheckptr on this and its callers matters: -race turns on
// checkptr, whose checks of unsafe.Slice and pointer conversions call into
// the runtime's heap lookup, which a raw-forked child must never reach.
//
//go:nosplit
//go:norace
//go:nocheckptr
func bytePtr(addr uintptr) *byte {
	return *(**byte)(unsafe.Pointer(&addr))
}
