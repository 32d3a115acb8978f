//go:build linux

package ptrace

import (
	"encoding/binary"

	"golang.org/x/sys/unix"
)

// Op says what kind of stop a SyscallInfo describes.
type Op uint8

// The ops of PTRACE_GET_SYSCALL_INFO.
const (
	OpNone    Op = unix.PTRACE_SYSCALL_INFO_NONE
	OpEntry   Op = unix.PTRACE_SYSCALL_INFO_ENTRY
	OpExit    Op = unix.PTRACE_SYSCALL_INFO_EXIT
	OpSeccomp Op = unix.PTRACE_SYSCALL_INFO_SECCOMP
)

// Audit architectures the kernel reports for a syscall stop.
const (
	AuditArchX86_64  = 0xc000003e
	AuditArchAarch64 = 0xc00000b7
	AuditArchI386    = 0x40000003
)

// SyscallInfo is struct ptrace_syscall_info: the state of a thread at a
// syscall stop, in one request.
type SyscallInfo struct {
	Op   Op
	Arch uint32
	IP   uint64
	SP   uint64
	// Entry and seccomp stops.
	Nr   uint64
	Args [6]uint64
	// Exit stops: the return value, negative errno when IsError.
	Rval    int64
	IsError bool
}

// syscallInfoSize is sizeof(struct ptrace_syscall_info) in the uapi header
// of Linux 5.3 and later: a 24-byte head and a union of at most 64 bytes.
const syscallInfoSize = 88

// decodeSyscallInfo fills si from the kernel's bytes. Both supported
// architectures are little-endian.
func decodeSyscallInfo(b []byte, si *SyscallInfo) {
	le := binary.LittleEndian
	si.Op = Op(b[0])
	si.Arch = le.Uint32(b[4:])
	si.IP = le.Uint64(b[8:])
	si.SP = le.Uint64(b[16:])
	switch si.Op {
	case OpEntry, OpSeccomp:
		si.Nr = le.Uint64(b[24:])
		for i := range si.Args {
			si.Args[i] = le.Uint64(b[32+8*i:])
		}
	case OpExit:
		si.Rval = int64(le.Uint64(b[24:]))
		si.IsError = b[32] != 0
	}
}
