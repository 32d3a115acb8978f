package model

import (
	"bufio"
	"bytes"
	"fmt"
	"strconv"
	"strings"
	"unsafe"

	"golang.org/x/sys/unix"
)

// procReader is what the model reads from /proc.
type procReader interface {
	maps(pid int) []Mapping
	// fds reads a process's fds, nil if /proc/PID/fd cannot be read. An
	// fd of known with the same file keeps its flags: they are read only
	// for the others.
	fds(pid int, known map[int]FD) map[int]FD
	fdPath(pid, fd int) string
	fdFlags(pid, fd int) (flags int, cloexec bool)
	size(pid, fd int) int64
	faults(pid int) (min, maj uint64, ok bool)
	resident(pid int) (pages uint64, ok bool)
	pages(pid int, ranges []pageRange, out []Pages) bool
	readBytes(pid int) (uint64, bool)
}

// realProc reads the kernel's /proc with plain system calls into one
// reused buffer: os.Open would also try to register each file with Go's
// netpoller (three to five more calls a file), and these reads sit on the
// tracer's stop path, where the traced program waits for them.
type realProc struct {
	buf  []byte
	path []byte
	// regions receives PAGEMAP_SCAN's runs; noScan: the kernel has no
	// PAGEMAP_SCAN (before 6.7).
	regions [64]pageRegion
	noScan  bool
}

func newRealProc() *realProc { return &realProc{buf: make([]byte, 4096)} }

// procPath returns "/proc/PID/name" or "/proc/PID/name/N" (n >= 0),
// NUL-terminated for the kernel, in a reused buffer.
func (r *realProc) procPath(pid int, name string, n int) []byte {
	b := append(r.path[:0], "/proc/"...)
	b = strconv.AppendInt(b, int64(pid), 10)
	b = append(b, '/')
	b = append(b, name...)
	if n >= 0 {
		b = append(b, '/')
		b = strconv.AppendInt(b, int64(n), 10)
	}
	r.path = append(b, 0)
	return r.path
}

// read returns the whole of a /proc file, in the reused buffer: valid until
// the next read.
func (r *realProc) read(path []byte) ([]byte, error) {
	fd, err := openRaw(path, unix.O_RDONLY|unix.O_CLOEXEC)
	if err != nil {
		return nil, err
	}
	defer unix.Close(fd)
	n := 0
	for {
		if n == len(r.buf) {
			r.buf = append(r.buf, make([]byte, len(r.buf))...)
		}
		m, err := unix.Read(fd, r.buf[n:])
		if err == unix.EINTR {
			continue
		}
		if err != nil {
			return nil, err
		}
		if m == 0 {
			return r.buf[:n], nil
		}
		n += m
	}
}

// atFDCWD is AT_FDCWD (-100) as a system call argument.
const atFDCWD = ^uintptr(-unix.AT_FDCWD - 1)

// openRaw opens a NUL-terminated path without Go's string copy.
func openRaw(path []byte, flags int) (int, error) {
	for {
		fd, _, e := unix.Syscall6(unix.SYS_OPENAT, atFDCWD, uintptr(unsafe.Pointer(&path[0])), uintptr(flags), 0, 0, 0)
		if e == unix.EINTR {
			continue
		}
		if e != 0 {
			return -1, e
		}
		return int(fd), nil
	}
}

func (r *realProc) maps(pid int) []Mapping {
	b, err := r.read(r.procPath(pid, "maps", -1))
	if err != nil {
		return nil
	}
	maps, _ := ParseMaps(b)
	for i := range maps {
		maps[i].Initial = true
	}
	return maps
}

// ParseMaps reads the text of /proc/PID/maps.
func ParseMaps(b []byte) ([]Mapping, error) {
	var out []Mapping
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		// 7f0000000000-7f0000001000 rw-s 00000000 00:05 123   /path
		f := strings.Fields(sc.Text())
		if len(f) < 5 {
			return out, fmt.Errorf("maps line %q", sc.Text())
		}
		lo, hi, ok := strings.Cut(f[0], "-")
		if !ok || len(f[1]) != 4 {
			return out, fmt.Errorf("maps line %q", sc.Text())
		}
		start, err1 := strconv.ParseUint(lo, 16, 64)
		end, err2 := strconv.ParseUint(hi, 16, 64)
		off, err3 := strconv.ParseUint(f[2], 16, 64)
		if err1 != nil || err2 != nil || err3 != nil {
			return out, fmt.Errorf("maps line %q", sc.Text())
		}
		mp := Mapping{Start: start, End: end, Offset: off, Shared: f[1][3] == 's', FileSize: -1}
		if f[1][0] == 'r' {
			mp.Prot |= unix.PROT_READ
		}
		if f[1][1] == 'w' {
			mp.Prot |= unix.PROT_WRITE
		}
		if f[1][2] == 'x' {
			mp.Prot |= unix.PROT_EXEC
		}
		if len(f) >= 6 {
			mp.Path, mp.Deleted = CutDeleted(strings.Join(f[5:], " "))
		}
		inode := f[4]
		mp.Anon = inode == "0" && !strings.HasPrefix(mp.Path, "/")
		if strings.HasPrefix(mp.Path, "/dev/zero") || strings.HasPrefix(mp.Path, "/SYSV") {
			// A shared mapping of /dev/zero is shared anonymous memory
			// to the kernel; /proc names it "/dev/zero (deleted)".
			mp.Path = "/dev/zero"
			mp.Anon, mp.Deleted = false, false
		}
		out = append(out, mp)
	}
	return out, sc.Err()
}

func (r *realProc) fds(pid int, known map[int]FD) map[int]FD {
	dir, err := openRaw(r.procPath(pid, "fd", -1), unix.O_RDONLY|unix.O_DIRECTORY|unix.O_CLOEXEC)
	if err != nil {
		return nil
	}
	out := map[int]FD{}
	var nums []int
	var ents [4096]byte
	for {
		n, err := unix.ReadDirent(dir, ents[:])
		if err == unix.EINTR {
			continue
		}
		if err != nil || n <= 0 {
			break
		}
		var names []string
		_, _, names = unix.ParseDirent(ents[:n], -1, names)
		for _, name := range names {
			if fd, err := strconv.Atoi(name); err == nil {
				nums = append(nums, fd)
			}
		}
	}
	unix.Close(dir)
	for _, n := range nums {
		fd := FD{Path: r.fdPath(pid, n)}
		if k, ok := known[n]; ok && k.Path == fd.Path {
			fd = k
		} else {
			fd.Flags, fd.Cloexec = r.fdFlags(pid, n)
		}
		out[n] = fd
	}
	return out
}

// fdFlags reads fd's open flags from /proc/PID/fdinfo/N.
func (r *realProc) fdFlags(pid, fd int) (int, bool) {
	info, err := r.read(r.procPath(pid, "fdinfo", fd))
	if err != nil {
		return 0, false
	}
	return parseFdinfoFlags(info)
}

// parseFdinfoFlags reads the octal "flags:" line of /proc/PID/fdinfo/N.
func parseFdinfoFlags(info []byte) (int, bool) {
	for len(info) > 0 {
		line := info
		if i := bytes.IndexByte(info, '\n'); i >= 0 {
			line, info = info[:i], info[i+1:]
		} else {
			info = nil
		}
		if v, ok := bytes.CutPrefix(line, []byte("flags:")); ok {
			fl, _ := strconv.ParseInt(string(bytes.TrimSpace(v)), 8, 64)
			return int(fl), fl&unix.O_CLOEXEC != 0
		}
	}
	return 0, false
}

func (r *realProc) fdPath(pid, fd int) string {
	path := r.procPath(pid, "fd", fd)
	var buf [unix.PathMax]byte
	n, _, e := unix.Syscall6(unix.SYS_READLINKAT, atFDCWD, uintptr(unsafe.Pointer(&path[0])), uintptr(unsafe.Pointer(&buf[0])), uintptr(len(buf)), 0, 0)
	if e != 0 {
		return ""
	}
	return string(buf[:n])
}

func (r *realProc) size(pid, fd int) int64 {
	path := r.procPath(pid, "fd", fd)
	var st unix.Stat_t
	_, _, e := unix.Syscall6(unix.SYS_NEWFSTATAT, atFDCWD, uintptr(unsafe.Pointer(&path[0])), uintptr(unsafe.Pointer(&st)), 0, 0, 0)
	if e != 0 || st.Mode&unix.S_IFMT != unix.S_IFREG {
		return -1
	}
	return st.Size
}

// faults reads minflt and majflt, fields 10 and 12 of /proc/PID/stat,
// counted after the command name, which may hold spaces and parentheses.
func (r *realProc) faults(pid int) (uint64, uint64, bool) {
	b, err := r.read(r.procPath(pid, "stat", -1))
	if err != nil {
		return 0, 0, false
	}
	return parseFaults(b)
}

// resident reads the resident pages: Rss of /proc/PID/smaps_rollup, which
// the kernel counts from the page tables as it is read. statm's second
// field is a counter that is not exact: before Linux 6.2 each thread kept
// its own share and added it to the process's only every 64 faults
// (SPLIT_RSS_COUNTING), so a child that has just faulted in 32 pages shows
// none of them (measured on Debian 12's 6.1 kernel, under .ci/arm64), and
// since 6.2 it is a per-CPU counter read without summing. statm stays the
// fallback for kernels without smaps_rollup (before 4.14).
func (r *realProc) resident(pid int) (uint64, bool) {
	if b, err := r.read(r.procPath(pid, "smaps_rollup", -1)); err == nil {
		if kb, ok := parseRssKB(b); ok {
			return kb * 1024 / PageSize, true
		}
	}
	b, err := r.read(r.procPath(pid, "statm", -1))
	if err != nil {
		return 0, false
	}
	fields := strings.Fields(string(b))
	if len(fields) < 2 {
		return 0, false
	}
	v, err := strconv.ParseUint(fields[1], 10, 64)
	return v, err == nil
}

// parseRssKB returns the kB of the "Rss:" line of smaps_rollup.
func parseRssKB(b []byte) (uint64, bool) {
	for len(b) > 0 {
		line := b
		if i := bytes.IndexByte(b, '\n'); i >= 0 {
			line, b = b[:i], b[i+1:]
		} else {
			b = nil
		}
		if v, ok := bytes.CutPrefix(line, []byte("Rss:")); ok {
			v = bytes.TrimSpace(v)
			v, ok = bytes.CutSuffix(v, []byte(" kB"))
			if !ok {
				return 0, false
			}
			n, err := strconv.ParseUint(string(bytes.TrimSpace(v)), 10, 64)
			return n, err == nil
		}
	}
	return 0, false
}

// readBytes reads read_bytes of /proc/PID/io: what the process caused to
// be read from storage (disk reads it submitted, readahead included).
func (r *realProc) readBytes(pid int) (uint64, bool) {
	b, err := r.read(r.procPath(pid, "io", -1))
	if err != nil {
		return 0, false
	}
	return parseReadBytes(b)
}

func parseReadBytes(b []byte) (uint64, bool) {
	for len(b) > 0 {
		line := b
		if i := bytes.IndexByte(b, '\n'); i >= 0 {
			line, b = b[:i], b[i+1:]
		} else {
			b = nil
		}
		if v, ok := bytes.CutPrefix(line, []byte("read_bytes:")); ok {
			n, err := strconv.ParseUint(string(bytes.TrimSpace(v)), 10, 64)
			return n, err == nil
		}
	}
	return 0, false
}

func parseFaults(b []byte) (uint64, uint64, bool) {
	i := bytes.LastIndexByte(b, ')')
	if i < 0 {
		return 0, 0, false
	}
	f := strings.Fields(string(b[i+1:]))
	// After ")": state(3) ppid pgrp session tty_nr tpgid flags minflt(10)
	// cminflt majflt(12).
	if len(f) < 10 {
		return 0, 0, false
	}
	min, err1 := strconv.ParseUint(f[7], 10, 64)
	maj, err2 := strconv.ParseUint(f[9], 10, 64)
	return min, maj, err1 == nil && err2 == nil
}

// String prints the mapping as a line of /proc/PID/maps does.
func (m Mapping) String() string {
	perm := []byte("---p")
	if m.Prot&unix.PROT_READ != 0 {
		perm[0] = 'r'
	}
	if m.Prot&unix.PROT_WRITE != 0 {
		perm[1] = 'w'
	}
	if m.Prot&unix.PROT_EXEC != 0 {
		perm[2] = 'x'
	}
	if m.Shared {
		perm[3] = 's'
	}
	return fmt.Sprintf("%x-%x %s %08x %-18s %s", m.Start, m.End, perm, m.Offset, m.Kind(), m.Path)
}
