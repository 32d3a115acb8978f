package tracer

import (
	"bytes"
	"fmt"
	"strconv"

	"golang.org/x/sys/unix"
)

// statusBufSize holds /proc/TID/status up to the fields readStatus wants
// (State, Tgid, PPid, TracerPid come in its first ten lines, after a
// Name of at most 64 bytes escaped); the rest of the file is not needed.
const statusBufSize = 1024

// readStatus reads a task's process id, parent, tracer and state.
//
// It runs once per new task, so it allocates nearly nothing: one read
// into a buffer on the stack, fields parsed in place. os.ReadFile and a
// split of the file made 8 KB of garbage and 60 allocations a task, most
// of the tracer's garbage on a fork-heavy program (issue 15, item 6).
func readStatus(tid int) (taskStatus, error) {
	st := taskStatus{tgid: tid}
	var buf [statusBufSize]byte
	b, err := readStatusFile(tid, buf[:])
	if err != nil {
		return st, err
	}
	parseStatus(b, &st)
	return st, nil
}

// readStatusFile reads /proc/TID/status into buf, as much as fits.
func readStatusFile(tid int, buf []byte) ([]byte, error) {
	fd, err := unix.Open("/proc/"+strconv.Itoa(tid)+"/status", unix.O_RDONLY|unix.O_CLOEXEC, 0)
	if err != nil {
		return nil, err
	}
	n, err := readFull(fd, buf)
	unix.Close(fd)
	return buf[:n], err
}

// signalStatus is what a serial run reads of /proc/TID/status to know
// whether a signal sent to the task's process would wake it.
type signalStatus struct {
	blocked, ignored uint64 // SigBlk, SigIgn: bit n-1 for signal n
}

// readSignals reads a task's blocked and ignored signals. They come late
// in the file, after the memory figures: the whole file is read.
func readSignals(tid int) (signalStatus, error) {
	var ss signalStatus
	var buf [4096]byte
	b, err := readStatusFile(tid, buf[:])
	if err != nil {
		return ss, err
	}
	for len(b) > 0 {
		var line []byte
		line, b, _ = bytes.Cut(b, []byte{'\n'})
		k, v, ok := bytes.Cut(line, []byte{':'})
		if !ok {
			continue
		}
		var dst *uint64
		switch string(k) {
		case "SigBlk":
			dst = &ss.blocked
		case "SigIgn":
			dst = &ss.ignored
		default:
			continue
		}
		x, err := strconv.ParseUint(string(bytes.TrimSpace(v)), 16, 64)
		if err != nil {
			return ss, fmt.Errorf("/proc/%d/status: %s: %w", tid, k, err)
		}
		*dst = x
	}
	return ss, nil
}

// readFull reads fd until buf is full or the file ends.
func readFull(fd int, buf []byte) (int, error) {
	n := 0
	for n < len(buf) {
		m, err := unix.Read(fd, buf[n:])
		if err == unix.EINTR {
			continue
		}
		if err != nil {
			return n, err
		}
		if m == 0 {
			break
		}
		n += m
	}
	return n, nil
}

// parseStatus fills st from the "Key:\tvalue" lines of b, leaving a field
// whose line is missing or not a number as it was.
func parseStatus(b []byte, st *taskStatus) {
	for len(b) > 0 {
		var line []byte
		line, b, _ = bytes.Cut(b, []byte{'\n'})
		k, v, ok := bytes.Cut(line, []byte{':'})
		if !ok {
			continue
		}
		v = bytes.TrimSpace(v)
		switch string(k) {
		case "State":
			if len(v) > 0 {
				st.state = v[0]
			}
		case "Tgid":
			setDecimal(&st.tgid, v)
		case "PPid":
			setDecimal(&st.ppid, v)
		case "TracerPid":
			setDecimal(&st.tracer, v)
		}
	}
}

// setDecimal sets *n to the decimal number v, if v is one.
func setDecimal(n *int, v []byte) {
	if len(v) == 0 || len(v) > 10 {
		return
	}
	x := 0
	for _, c := range v {
		if c < '0' || c > '9' {
			return
		}
		x = x*10 + int(c-'0')
	}
	*n = x
}
