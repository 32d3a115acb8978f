package filter

import (
	"fmt"

	"golang.org/x/net/bpf"
	"golang.org/x/sys/unix"

	"github.com/mmtrace/mmtrace/tracer/sys"
)

// seccomp_data offsets: the syscall number, the audit arch, and the low
// 32 bits of the first argument (both architectures are little-endian).
const (
	seccompNrOffset   = 0
	seccompArchOffset = 4
	seccompArg0Offset = 16
)

// x32Bit marks the x32 ABI's syscall numbers on x86_64; mmtrace does not
// decode x32, so those calls never stop.
const x32Bit = 0x40000000

// Seccomp returns a seccomp filter that stops (SECCOMP_RET_TRACE) exactly
// the calls of the set for arch, and lets every other call run without a
// stop. Calls of other ABIs (i386, x32) are let through: they are not
// decoded, and would not be shown.
//
// writeFDs adds the write and writev calls to those fds (a scenario's
// stdout and stderr, whose lines the tracer reads at the stop), whether or
// not the set has write: the kernel takes an fd as an unsigned int, so the
// low 32 bits of the argument are the fd it writes to.
//
// The program is a list of ascending number ranges, built with
// golang.org/x/net/bpf's assembler.
func (s *Set) Seccomp(arch sys.Arch, writeFDs ...int) ([]unix.SockFilter, error) {
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
	if len(writeFDs) > 0 {
		write, ok1 := sys.Number(arch, "write")
		writev, ok2 := sys.Number(arch, "writev")
		if !ok1 || !ok2 || len(writeFDs) > 32 {
			return nil, fmt.Errorf("seccomp filter: cannot watch writes on %v", arch)
		}
		// write or writev: the fd against each of writeFDs, then the
		// number again for the ranges below.
		n := len(writeFDs)
		prog = append(prog,
			bpf.JumpIf{Cond: bpf.JumpEqual, Val: uint32(write), SkipTrue: 1},
			bpf.JumpIf{Cond: bpf.JumpNotEqual, Val: uint32(writev), SkipTrue: uint8(n + 3)},
			bpf.LoadAbsolute{Off: seccompArg0Offset, Size: 4})
		for i, fd := range writeFDs {
			// To the trace below, past the other fds' tests.
			prog = append(prog, bpf.JumpIf{Cond: bpf.JumpEqual, Val: uint32(fd), SkipTrue: uint8(n - i)})
		}
		prog = append(prog,
			bpf.Jump{Skip: 1},
			trace,
			bpf.LoadAbsolute{Off: seccompNrOffset, Size: 4})
	}
	// The set's calls as ranges of numbers, ascending.
	type span struct{ lo, hi uint32 }
	var spans []span
	for nr := 0; nr < maxNr; {
		if !s.Has(arch, nr) {
			nr++
			continue
		}
		lo := nr
		for nr < maxNr && s.Has(arch, nr) {
			nr++
		}
		spans = append(spans, span{uint32(lo), uint32(nr - 1)})
	}
	if s.Has(arch, maxNr) {
		// A negated set holds the numbers no table names yet.
		spans = append(spans, span{maxNr, ^uint32(0)})
	}
	// Each range is "below it: allow at once (the ranges ascend, so no
	// later one can match); above it: next range; else trace": three
	// instructions, and a call below every range, like read and write,
	// costs one comparison. BPF jumps reach 255 instructions ahead: a set
	// too scattered for that falls back to trying every range.
	early := 3*len(spans) < 256
	for i, sp := range spans {
		toAllow := uint8(0)
		if early {
			toAllow = uint8(3*(len(spans)-i) - 1)
		}
		below := bpf.JumpIf{Cond: bpf.JumpLessThan, Val: sp.lo, SkipTrue: toAllow}
		if !early {
			below.SkipTrue = 2 // to the next range
		}
		prog = append(prog,
			below,
			bpf.JumpIf{Cond: bpf.JumpGreaterThan, Val: sp.hi, SkipTrue: 1},
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
