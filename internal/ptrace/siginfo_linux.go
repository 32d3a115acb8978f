//go:build linux

package ptrace

import (
	"encoding/binary"

	"golang.org/x/sys/unix"
)

// decodeSiginfo reads the union of siginfo_t by signal. The union starts at
// byte 16 on 64-bit architectures.
func decodeSiginfo(b []byte) Siginfo {
	le := binary.LittleEndian
	si := Siginfo{
		Signo: int32(le.Uint32(b[0:])),
		Errno: int32(le.Uint32(b[4:])),
		Code:  int32(le.Uint32(b[8:])),
	}
	switch si.Signo {
	case int32(unix.SIGSEGV), int32(unix.SIGBUS), int32(unix.SIGILL), int32(unix.SIGFPE):
		si.Addr = le.Uint64(b[16:])
	case int32(unix.SIGCHLD):
		si.Pid = int32(le.Uint32(b[16:]))
		si.Uid = le.Uint32(b[20:])
		si.Status = int32(le.Uint32(b[24:]))
	default:
		// SI_USER, SI_TKILL, SI_QUEUE: the sender. Kernel-generated traps
		// (SIGTRAP from a breakpoint) put an address here instead; the
		// caller looks at Code to know which.
		si.Pid = int32(le.Uint32(b[16:]))
		si.Uid = le.Uint32(b[20:])
		si.Addr = le.Uint64(b[16:])
	}
	return si
}
