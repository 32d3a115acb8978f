//go:build linux && arm64

package rawchild

import (
	"syscall"

	"golang.org/x/sys/unix"
)

// rawFork is fork(2): arm64 has no fork syscall, so clone(SIGCHLD), which
// traces as clone(child_stack=NULL, flags=SIGCHLD).
//
//go:nosplit
//go:norace
func rawFork() (uintptr, syscall.Errno) {
	return rawSyscall(unix.SYS_CLONE, uintptr(unix.SIGCHLD), 0, 0, 0, 0, 0)
}
