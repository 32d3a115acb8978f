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

// The sa_flags bits used here, the same on amd64 and arm64.
const (
	saNoCldStop = 0x1
	saRestart   = 0x10000000
)

// sigaction reads sig's action.
func sigaction(sig unix.Signal) (kernelSigaction, error) {
	var act kernelSigaction
	if _, _, e := unix.RawSyscall6(unix.SYS_RT_SIGACTION, uintptr(sig), 0, uintptr(unsafe.Pointer(&act)), 8, 0, 0); e != 0 {
		return act, e
	}
	return act, nil
}

// changeFlags sets and clears flags of sig's action, keeping the handler
// (the Go runtime's), its mask and its other flags.
func changeFlags(sig unix.Signal, set, clear uint64) error {
	act, err := sigaction(sig)
	if err != nil {
		return err
	}
	flags := (act.flags | set) &^ clear
	if flags == act.flags {
		return nil
	}
	act.flags = flags
	if _, _, e := unix.RawSyscall6(unix.SYS_RT_SIGACTION, uintptr(sig), uintptr(unsafe.Pointer(&act)), 0, 8, 0, 0); e != 0 {
		return e
	}
	return nil
}

var quietOnce sync.Once

// QuietChildStops adds SA_NOCLDSTOP to the SIGCHLD action the Go runtime
// installed. Without it every ptrace stop raises a SIGCHLD in the tracer:
// a signal delivery, the runtime's handler and an rt_sigreturn per stop
// (200,368 signals in a 200,000-stop trace, strace got 3), all for
// nothing, since the tracer learns of stops from wait4. With it the kernel
// still wakes wait4 for a stop (do_notify_parent_cldstop wakes the waiter
// whether or not it sends the signal) and still sends SIGCHLD for an exit.
// mmtrace never asks for SIGCHLD (os/signal), so the runtime has no use
// for the stop notifications. Done once per process.
func QuietChildStops() error {
	var err error
	quietOnce.Do(func() { err = changeFlags(unix.SIGCHLD, saNoCldStop, 0) })
	return err
}

// WakeSignal interrupts the tracer's wait4 (Wake): a real-time signal the
// Go runtime handles and ignores, whose action PrepareWake makes
// interrupting (no SA_RESTART), so that the wait4 it lands in returns
// EINTR instead of being restarted by the kernel.
const WakeSignal = unix.Signal(40)

var wakeOnce sync.Once
var wakeErr error

// PrepareWake clears SA_RESTART from WakeSignal's action, once per
// process. Only the trace's thread is ever sent WakeSignal, and only
// while it waits (Wake): any other call of the runtime that it might
// interrupt retries on EINTR, as Go's runtime does for its own
// preemption signals.
func PrepareWake() error {
	wakeOnce.Do(func() { wakeErr = changeFlags(WakeSignal, 0, saRestart) })
	return wakeErr
}

// Wake sends WakeSignal to thread tid of this process (pid): the tracer's
// own thread, which cannot have ended while the trace runs.
func Wake(pid, tid int) error {
	return unix.Tgkill(pid, tid, WakeSignal)
}

// actionFlags returns sig's sa_flags: for the tests.
func actionFlags(sig unix.Signal) (uint64, error) {
	act, err := sigaction(sig)
	return act.flags, err
}
