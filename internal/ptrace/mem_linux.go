//go:build linux

package ptrace

import (
	"errors"
	"fmt"

	"golang.org/x/sys/unix"
)

// Mem reads one tracee's memory. It satisfies tracer/sys.Memory.
//
// process_vm_readv copies in one call without stopping anything; where it is
// refused (ENOSYS in some sandboxes, EPERM under some LSMs) Mem falls back to
// PTRACE_PEEKDATA, a word at a time, which needs the tracee stopped.
type Mem struct {
	Tid int

	local  [1]unix.Iovec
	remote [1]unix.RemoteIovec
	peek   bool // process_vm_readv refused once: peek from now on
}

// Read copies tracee memory at addr into p. It stops at the first page it
// cannot read and returns the bytes before it with an error.
func (m *Mem) Read(addr uint64, p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	if !m.peek {
		m.local[0].Base = &p[0]
		m.local[0].SetLen(len(p))
		m.remote[0] = unix.RemoteIovec{Base: uintptr(addr), Len: len(p)}
		n, err := unix.ProcessVMReadv(m.Tid, m.local[:], m.remote[:], 0)
		m.local[0].Base = nil // do not keep the caller's buffer alive
		switch {
		case err == nil && n == len(p):
			return n, nil
		case err == nil:
			// A partial read: the next page is not mapped.
			return n, fmt.Errorf("read %d bytes at %#x: %w", len(p), addr, unix.EFAULT)
		case errors.Is(err, unix.ENOSYS), errors.Is(err, unix.EPERM):
			m.peek = true
		default:
			return 0, fmt.Errorf("process_vm_readv at %#x: %w", addr, err)
		}
	}
	n, err := unix.PtracePeekData(m.Tid, uintptr(addr), p)
	if err != nil {
		return n, fmt.Errorf("ptrace(PTRACE_PEEKDATA) at %#x: %w", addr, err)
	}
	return n, nil
}
