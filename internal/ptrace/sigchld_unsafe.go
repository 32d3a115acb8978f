//go:build linux

package ptrace

import (
	"sync"
	"unsafe"

	"golang.org/x/sys/unix"
)

// kernelSigaction is the kernel's struct sigaction on amd64 and arm64
// (the rt_sigaction layout: handler, flags, restorer, a 64-bit mask).
type kernelSigaction struct {
	handler  uintptr
	flags    uint64
	restorer uintptr
	mask     uint64
}

// saNoCldStop is SA_NOCLDSTOP, 1 on amd64 and arm64.
const saNoCldStop = 1

var quietOnce sync.Once

// QuietChildStops adds SA_NOCLDSTOP to the SIGCHLD action the Go runtime
// installed, keeping its handler, mask and other flags. Without it every
// ptrace stop raises a SIGCHLD in the tracer: a signal delivery, the
// runtime's handler and an rt_sigreturn per stop (200,368 signals in a
// 200,000-stop trace, strace got 3), all for nothing, since the tracer
// learns of stops from wait4. With it the kernel still wakes wait4 for a
// stop (do_notify_parent_cldstop wakes the waiter whether or not it sends
// the signal) and still sends SIGCHLD for an exit. mmtrace never asks
// for SIGCHLD (os/signal), so the runtime has no use for the stop
// notifications. Done once per process; the error is the kernel's.
func QuietChildStops() error {
	var err error
	quietOnce.Do(func() {
		var act kernelSigaction
		if _, _, e := unix.RawSyscall6(unix.SYS_RT_SIGACTION, uintptr(unix.SIGCHLD), 0, uintptr(unsafe.Pointer(&act)), 8, 0, 0); e != 0 {
			err = e
			return
		}
		if act.flags&saNoCldStop != 0 {
			return
		}
		act.flags |= saNoCldStop
		if _, _, e := unix.RawSyscall6(unix.SYS_RT_SIGACTION, uintptr(unix.SIGCHLD), uintptr(unsafe.Pointer(&act)), 0, 8, 0, 0); e != 0 {
			err = e
		}
	})
	return err
}

// childStopsQuiet says whether the SIGCHLD action has SA_NOCLDSTOP: for
// the tests.
func childStopsQuiet() (bool, error) {
	var act kernelSigaction
	if _, _, e := unix.RawSyscall6(unix.SYS_RT_SIGACTION, uintptr(unix.SIGCHLD), 0, uintptr(unsafe.Pointer(&act)), 8, 0, 0); e != 0 {
		return false, e
	}
	return act.flags&saNoCldStop != 0, nil
}
