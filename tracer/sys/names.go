package sys

import (
	"fmt"
	"runtime"
)

//go:generate go run ./internal/mksysnum

// sysnames holds each architecture's names, indexed by syscall number. Both
// tables are compiled on every GOARCH: the tracer names a call by the ABI
// the kernel reports for the stop, which need not be the tracer's own.
var sysnames = [...][]string{
	AMD64: sysnamesAMD64[:],
	ARM64: sysnamesARM64[:],
}

// sysnumbers is the reverse of sysnames, for filters and tests: each
// architecture's numbers in the order of their names, generated with the
// names, so that a lookup is a binary search over static data and nothing
// is built when mmtrace starts.
var sysnumbers = [...][]uint16{
	AMD64: sysnumbersAMD64[:],
	ARM64: sysnumbersARM64[:],
}

// Name returns the name strace prints for syscall nr of arch, or
// "syscall_0x…" (strace's form) for a number with no call. It does not
// allocate for a known call.
func Name(arch Arch, nr int) string {
	if int(arch) < len(sysnames) {
		names := sysnames[arch]
		if uint(nr) < uint(len(names)) && names[nr] != "" {
			return names[nr]
		}
	}
	if nr == 0 {
		// strace formats with C's "%#lx", which prints zero without 0x.
		return "syscall_0"
	}
	// A negative nr is the register as the kernel holds it (orig_rax of
	// -1 after a seccomp skip, say): print it unsigned, as strace does.
	return fmt.Sprintf("syscall_%#x", uint64(nr))
}

// Number returns the number of the syscall called name on arch, and false
// when arch has no such call (arm64 has no open or fork, for example).
func Number(arch Arch, name string) (int, bool) {
	if int(arch) >= len(sysnumbers) {
		return 0, false
	}
	names, nrs := sysnames[arch], sysnumbers[arch]
	i, j := 0, len(nrs)
	for i < j {
		h := int(uint(i+j) >> 1)
		if names[nrs[h]] < name {
			i = h + 1
		} else {
			j = h
		}
	}
	if i < len(nrs) && names[nrs[i]] == name {
		return int(nrs[i]), true
	}
	return 0, false
}

// Names returns every syscall name of arch, in number order. The slice is
// the caller's.
func Names(arch Arch) []string {
	if int(arch) >= len(sysnames) {
		return nil
	}
	names := make([]string, 0, len(sysnumbers[arch]))
	for _, name := range sysnames[arch] {
		if name != "" {
			names = append(names, name)
		}
	}
	return names
}

// HostArch returns the Arch of the running program's GOARCH, or
// ArchUnknown on one mmtrace does not decode.
func HostArch() Arch {
	switch runtime.GOARCH {
	case "amd64":
		return AMD64
	case "arm64":
		return ARM64
	}
	return ArchUnknown
}
