package model

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"strconv"
	"strings"

	"golang.org/x/sys/unix"
)

// procReader is what the model reads from /proc.
type procReader interface {
	maps(pid int) []Mapping
	fds(pid int) map[int]FD
	fdPath(pid, fd int) string
	size(pid, fd int) int64
	faults(pid int) (min, maj uint64, ok bool)
	resident(pid int) (pages uint64, ok bool)
}

type realProc struct{}

func (realProc) maps(pid int) []Mapping {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/maps", pid))
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
			mp.Path = strings.Join(f[5:], " ")
		}
		inode := f[4]
		mp.Anon = inode == "0" && !strings.HasPrefix(mp.Path, "/")
		if strings.HasPrefix(mp.Path, "/dev/zero") || strings.HasPrefix(mp.Path, "/SYSV") {
			// A shared mapping of /dev/zero is shared anonymous memory
			// to the kernel; /proc names it "/dev/zero (deleted)".
			mp.Path = "/dev/zero"
			mp.Anon = false
		}
		out = append(out, mp)
	}
	return out, sc.Err()
}

func (realProc) fds(pid int) map[int]FD {
	out := map[int]FD{}
	ents, err := os.ReadDir(fmt.Sprintf("/proc/%d/fd", pid))
	if err != nil {
		return out
	}
	for _, e := range ents {
		n, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		fd := FD{Path: realProc{}.fdPath(pid, n)}
		if info, err := os.ReadFile(fmt.Sprintf("/proc/%d/fdinfo/%d", pid, n)); err == nil {
			for _, line := range strings.Split(string(info), "\n") {
				if v, ok := strings.CutPrefix(line, "flags:"); ok {
					fl, _ := strconv.ParseInt(strings.TrimSpace(v), 8, 64)
					fd.Flags = int(fl)
					fd.Cloexec = fl&unix.O_CLOEXEC != 0
				}
			}
		}
		out[n] = fd
	}
	return out
}

func (realProc) fdPath(pid, fd int) string {
	p, err := os.Readlink(fmt.Sprintf("/proc/%d/fd/%d", pid, fd))
	if err != nil {
		return ""
	}
	return p
}

func (realProc) size(pid, fd int) int64 {
	st, err := os.Stat(fmt.Sprintf("/proc/%d/fd/%d", pid, fd))
	if err != nil || !st.Mode().IsRegular() {
		return -1
	}
	return st.Size()
}

// faults reads minflt and majflt, fields 10 and 12 of /proc/PID/stat,
// counted after the command name, which may hold spaces and parentheses.
func (realProc) faults(pid int) (uint64, uint64, bool) {
	var buf [512]byte
	f, err := os.Open("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return 0, 0, false
	}
	n, _ := f.Read(buf[:])
	f.Close()
	return parseFaults(buf[:n])
}

// resident reads the resident pages, the second field of /proc/PID/statm.
func (realProc) resident(pid int) (uint64, bool) {
	var buf [128]byte
	f, err := os.Open("/proc/" + strconv.Itoa(pid) + "/statm")
	if err != nil {
		return 0, false
	}
	n, _ := f.Read(buf[:])
	f.Close()
	fields := strings.Fields(string(buf[:n]))
	if len(fields) < 2 {
		return 0, false
	}
	v, err := strconv.ParseUint(fields[1], 10, 64)
	return v, err == nil
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
