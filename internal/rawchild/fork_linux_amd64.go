//go:build linux && amd64

package rawchild

import (
	"syscall"

	"golang.org/x/sys/unix"
)

// rawFork is fork(2) as glibc's fork() would show in a trace: on amd64 the
// fork syscall itself.
//
//go:nosplit
//go:norace
func rawFork() (uintptr, syscall.Errno) {
	return rawSyscall(unix.SYS_FORK, 0, 0, 0, 0, 0, 0)
}
