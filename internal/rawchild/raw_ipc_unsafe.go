//go:build linux

package rawchild

import (
	"syscall"
	"unsafe"

	"golang.org/x/sys/unix"
)

// Wrappers the ipc and waitpid scenarios need besides those in
// raw_unsafe.go; the same rules apply (see the package documentation).

// Load32 returns the 32-bit word at addr, which must be 4-byte aligned (a
// field at the start of a mapping is). An aligned word is read in one
// access on amd64 and arm64: a process never sees half of another's store.
// It is a plain load, not sync/atomic, whose -race build calls into the
// race runtime, which a raw-forked child must never reach.
//
//go:nosplit
//go:norace
//go:nocheckptr
func Load32(addr uintptr) uint32 {
	return *(*uint32)(unsafe.Pointer(bytePtr(addr)))
}

// Store32 stores v in the 32-bit word at addr (4-byte aligned), in one
// access. Stores are kept in program order by the compiler; amd64 also
// makes them visible to other processes in that order.
//
//go:nosplit
//go:norace
//go:nocheckptr
func Store32(addr uintptr, v uint32) {
	*(*uint32)(unsafe.Pointer(bytePtr(addr))) = v
}

// Statx fills stx with what mask asks for about path, as C's
// statx(AT_FDCWD, path, 0, mask, stx) does.
//
//go:nosplit
//go:norace
func Statx(path *byte, mask int, stx *unix.Statx_t) syscall.Errno {
	_, e := rawSyscall(unix.SYS_STATX, uintptr(atFDCWD), uintptr(unsafe.Pointer(path)), 0,
		uintptr(mask), uintptr(unsafe.Pointer(stx)), 0)
	return e
}

// ExecArg returns the bytes of argument i of the program s was prepared
// for with SetExec, without the NUL. It is for the plan, in ordinary Go: a
// plan reserves a placeholder argument, long enough, and the child fills
// it in before Exec with what only the child knows (a pid), ending it early
// with a NUL if it is shorter. It returns nil if there is no argument i.
func (s *Spec) ExecArg(i int) []byte {
	// argv ends with a nil pointer.
	if i < 0 || i >= len(s.argv)-1 || s.argv[i] == nil {
		return nil
	}
	p := unsafe.Pointer(s.argv[i])
	n := 0
	for *(*byte)(unsafe.Add(p, n)) != 0 {
		n++
	}
	return unsafe.Slice(s.argv[i], n)
}
