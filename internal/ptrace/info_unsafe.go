//go:build linux

package ptrace

import (
	"errors"
	"unsafe"

	"golang.org/x/sys/unix"
)

// InfoReader reads PTRACE_GET_SYSCALL_INFO into a buffer it owns, so a
// stop costs one request and no allocation.
type InfoReader struct {
	buf    [syscallInfoSize]byte
	noInfo bool // the kernel lacks PTRACE_GET_SYSCALL_INFO
}

// Read fills si for the stopped thread tid. It returns an error wrapping
// EIO on kernels before 5.3, which lack the request.
func (r *InfoReader) Read(tid int, si *SyscallInfo) error {
	n, _, e := unix.Syscall6(unix.SYS_PTRACE, unix.PTRACE_GET_SYSCALL_INFO, uintptr(tid),
		uintptr(len(r.buf)), uintptr(unsafe.Pointer(&r.buf[0])), 0, 0)
	if e != 0 {
		return wrap("PTRACE_GET_SYSCALL_INFO", e)
	}
	// The kernel returns the size of the whole structure and copies at
	// most len(buf); bytes past what it wrote are stale, so clear them.
	if int(n) < len(r.buf) {
		clear(r.buf[n:])
	}
	decodeSyscallInfo(r.buf[:], si)
	return nil
}

// SiginfoSize is the size of the kernel's siginfo_t.
const SiginfoSize = 128

// GetSiginfo reads the raw siginfo_t of the signal a tracee is stopped for
// (tracer/sys decodes it). It fails with EINVAL in a group-stop of a
// non-seized tracee.
func GetSiginfo(tid int, buf *[SiginfoSize]byte) error {
	_, _, e := unix.Syscall6(unix.SYS_PTRACE, unix.PTRACE_GETSIGINFO, uintptr(tid), 0,
		uintptr(unsafe.Pointer(&buf[0])), 0, 0)
	if e != 0 {
		return wrap("PTRACE_GETSIGINFO", e)
	}
	return nil
}

// ReadSyscall fills si for a thread at a syscall stop: with
// PTRACE_GET_SYSCALL_INFO where the kernel has it, else from the registers
// (then si.Op is OpNone). After the first EIO it stops asking.
func (r *InfoReader) ReadSyscall(tid int, si *SyscallInfo) error {
	if !r.noInfo {
		err := r.Read(tid, si)
		if err == nil || !errors.Is(err, unix.EIO) {
			return err
		}
		r.noInfo = true
	}
	return infoFromRegs(tid, si)
}
