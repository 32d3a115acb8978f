package filter

import (
	"fmt"

	"golang.org/x/net/bpf"
	"golang.org/x/sys/unix"

	"github.com/mmtrace/mmtrace/tracer/sys"
)

// seccomp_data offsets: the syscall number, then the audit arch.
const (
	seccompNrOffset   = 0
	seccompArchOffset = 4
)

// x32Bit marks the x32 ABI's syscall numbers on x86_64; mmtrace does not
// decode x32, so those calls never stop.
const x32Bit = 0x40000000

// Seccomp returns a seccomp filter that stops (SECCOMP_RET_TRACE) exactly
// the calls of the set for arch, and lets every other call run without a
// stop. Calls of other ABIs (i386, x32) are let through: they are not
// decoded, and would not be shown.
//
// The program is a list of number ranges, each "below it? next; above it?
// next; trace", built with golang.org/x/net/bpf's assembler.
func (s *Set) Seccomp(arch sys.Arch) ([]unix.SockFilter, error) {
	audit := arch.AuditArch()
	if audit == 0 {
		return nil, fmt.Errorf("seccomp filter: unsupported architecture %v", arch)
	}
	allow := bpf.RetConstant{Val: unix.SECCOMP_RET_ALLOW}
	trace := bpf.RetConstant{Val: unix.SECCOMP_RET_TRACE}
	prog := []bpf.Instruction{
		bpf.LoadAbsolute{Off: seccompArchOffset, Size: 4},
		bpf.JumpIf{Cond: bpf.JumpEqual, Val: audit, SkipTrue: 1},
		allow,
		bpf.LoadAbsolute{Off: seccompNrOffset, Size: 4},
	}
	if arch == sys.AMD64 {
		prog = append(prog,
			bpf.JumpIf{Cond: bpf.JumpBitsNotSet, Val: x32Bit, SkipTrue: 1},
			allow)
	}
	for nr := 0; nr < maxNr; {
		if !s.Has(arch, nr) {
			nr++
			continue
		}
		lo := nr
		for nr < maxNr && s.Has(arch, nr) {
			nr++
		}
		hi := nr - 1
		if lo == hi {
			prog = append(prog,
				bpf.JumpIf{Cond: bpf.JumpNotEqual, Val: uint32(lo), SkipTrue: 1},
				trace)
			continue
		}
		prog = append(prog,
			bpf.JumpIf{Cond: bpf.JumpLessThan, Val: uint32(lo), SkipTrue: 2},
			bpf.JumpIf{Cond: bpf.JumpGreaterThan, Val: uint32(hi), SkipTrue: 1},
			trace)
	}
	if s.Has(arch, maxNr) {
		// A negated set holds the numbers no table names yet.
		prog = append(prog,
			bpf.JumpIf{Cond: bpf.JumpLessThan, Val: maxNr, SkipTrue: 1},
			trace)
	}
	prog = append(prog, allow)
	raw, err := bpf.Assemble(prog)
	if err != nil {
		return nil, fmt.Errorf("seccomp filter: %w", err)
	}
	out := make([]unix.SockFilter, len(raw))
	for i, r := range raw {
		out[i] = unix.SockFilter{Code: r.Op, Jt: r.Jt, Jf: r.Jf, K: r.K}
	}
	return out, nil
}
