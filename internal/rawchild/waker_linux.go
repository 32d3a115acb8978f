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
	// The child's fork copies every descriptor, the pipe's write end too:
	// it closes its copy first, or no close of ours could reach it.
	b := &wakerBody{fd: int(r.Fd()), wfd: int(w.Fd()), buf: make([]byte, 1)}
	pid, err := Start(&Spec{Body: b})
	if err != nil {
		w.Close()
		return nil, err
	}
	return &Waker{Pid: pid, w: w}, nil
}

// Wake makes the waker exit: a byte, which it reads whatever write ends
// are still open, then the close. It is safe from any goroutine, and more
// than once.
func (k *Waker) Wake() {
	k.w.Write([]byte{1})
	k.w.Close()
}

// Stop ends a waker that was not woken; the caller still reaps it.
func (k *Waker) Stop() {
	k.w.Close()
	syscall.Kill(k.Pid, syscall.SIGKILL)
}

type wakerBody struct {
	fd, wfd int
	buf     []byte
}

// Run blocks until the pipe is written or its write end closed, then exits.
//
//go:nosplit
//go:norace
func (b *wakerBody) Run() {
	Close(b.wfd)
	Read(b.fd, Addr(b.buf), 1)
	Exit(0)
}
