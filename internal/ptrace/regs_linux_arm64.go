//go:build linux && arm64

package ptrace

import "golang.org/x/sys/unix"

// hostAuditArch is the audit arch of syscalls made by native tracees.
const hostAuditArch = AuditArchAarch64

// infoFromRegs fills si from the registers, for kernels before 5.3 that lack
// PTRACE_GET_SYSCALL_INFO. The registers cannot say whether the stop is an
// entry or an exit: si.Op is left OpNone and the caller, which pairs the
// stops of each thread, decides. At an exit stop x0 already holds the
// result, so the first argument is only right at entry.
func infoFromRegs(tid int, si *SyscallInfo) error {
	var r unix.PtraceRegs
	if err := unix.PtraceGetRegs(tid, &r); err != nil {
		return wrap("PTRACE_GETREGSET", err)
	}
	*si = SyscallInfo{
		Op:   OpNone,
		Arch: hostAuditArch,
		IP:   r.Pc,
		SP:   r.Sp,
		Nr:   r.Regs[8],
		Args: [6]uint64{r.Regs[0], r.Regs[1], r.Regs[2], r.Regs[3], r.Regs[4], r.Regs[5]},
		Rval: int64(r.Regs[0]),
	}
	si.IsError = si.Rval < 0 && si.Rval >= -4095
	return nil
}
