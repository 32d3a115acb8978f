//go:build linux

package rawchild

import (
	"os"
	"syscall"
)

// Waker is a child process whose only job is to end when asked, so that a
// thread blocked in wait4 for its tracees wakes up: wait4 has no timeout,
// and only the tracer's own thread may make the ptrace requests that
// follow (a detach), so another goroutine cannot do them itself.
type Waker struct {
	// Pid is the waker's pid: wait4 reports its exit.
	Pid int
	w   *os.File
}

// StartWaker starts a waker. Like Start, it must be called on the thread
// that will wait for it.
func StartWaker() (*Waker, error) {
	r, w, err := os.Pipe()
	if err != nil {
		return nil, err
	}
	defer r.Close()
	b := &wakerBody{fd: int(r.Fd()), buf: make([]byte, 1)}
	pid, err := Start(&Spec{Body: b})
	if err != nil {
		w.Close()
		return nil, err
	}
	return &Waker{Pid: pid, w: w}, nil
}

// Wake makes the waker exit. It is safe from any goroutine, and more than
// once.
func (k *Waker) Wake() { k.w.Close() }

// Stop ends a waker that was not woken; the caller still reaps it.
func (k *Waker) Stop() {
	k.w.Close()
	syscall.Kill(k.Pid, syscall.SIGKILL)
}

type wakerBody struct {
	fd  int
	buf []byte
}

// Run blocks until the pipe's write end is closed (or written), then exits.
//
//go:nosplit
//go:norace
func (b *wakerBody) Run() {
	Read(b.fd, Addr(b.buf), 1)
	Exit(0)
}
