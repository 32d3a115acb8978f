package tracer

import (
	"os"
	"strconv"

	"github.com/mmtrace/mmtrace/internal/ptrace"
)

// pathTracee is a thread as the -P filter (filter.Paths) reads it: its
// memory, its fds' and working directory's links in /proc.
type pathTracee struct {
	*ptrace.Mem
	tid int
}

// FDPath returns the link /proc/TID/fd/FD, as strace's getfdpath reads it.
func (p pathTracee) FDPath(fd int) (string, bool) {
	s, err := os.Readlink("/proc/" + strconv.Itoa(p.tid) + "/fd/" + strconv.Itoa(fd))
	return s, err == nil
}

// Cwd returns the link /proc/TID/cwd.
func (p pathTracee) Cwd() (string, bool) {
	s, err := os.Readlink("/proc/" + strconv.Itoa(p.tid) + "/cwd")
	return s, err == nil
}
