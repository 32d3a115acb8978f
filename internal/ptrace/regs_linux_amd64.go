//go:build linux && amd64

package ptrace

import "golang.org/x/sys/unix"

// hostAuditArch is the audit arch of syscalls made by native tracees.
const hostAuditArch = AuditArchX86_64

// infoFromRegs fills si from the registers, for kernels before 5.3 that lack
// PTRACE_GET_SYSCALL_INFO. The registers cannot say whether the stop is an
// entry or an exit: si.Op is left OpNone and the caller, which pairs the
// stops of each thread, decides.
func infoFromRegs(tid int, si *SyscallInfo) error {
	var r unix.PtraceRegs
	if err := unix.PtraceGetRegs(tid, &r); err != nil {
		return wrap("PTRACE_GETREGS", err)
	}
	*si = SyscallInfo{
		Op:   OpNone,
		Arch: hostAuditArch,
		IP:   r.Rip,
		SP:   r.Rsp,
		Nr:   r.Orig_rax,
		Args: [6]uint64{r.Rdi, r.Rsi, r.Rdx, r.R10, r.R8, r.R9},
		Rval: int64(r.Rax),
	}
	si.IsError = si.Rval < 0 && si.Rval >= -4095
	return nil
}
