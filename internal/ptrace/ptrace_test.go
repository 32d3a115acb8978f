//go:build linux

package ptrace

import (
	"encoding/binary"
	"errors"
	"os"
	"testing"

	"golang.org/x/sys/unix"
)

func TestClassify(t *testing.T) {
	// Wait statuses as the kernel builds them: exit code<<8, the signal in
	// the low 7 bits (0x80 core), 0x7f for stopped with the signal above
	// it and a ptrace event above that.
	stopped := func(sig int, event int) unix.WaitStatus {
		return unix.WaitStatus(event<<16 | sig<<8 | 0x7f)
	}
	tests := []struct {
		name   string
		ws     unix.WaitStatus
		kind   StopKind
		signal unix.Signal
		event  int
	}{
		{"exit 3", unix.WaitStatus(3 << 8), Exited, 0, 0},
		{"killed", unix.WaitStatus(int(unix.SIGBUS)), Exited, unix.SIGBUS, 0},
		{"killed, core", unix.WaitStatus(int(unix.SIGSEGV) | 0x80), Exited, unix.SIGSEGV, 0},
		{"syscall stop", stopped(int(unix.SIGTRAP)|0x80, 0), SyscallStop, 0, 0},
		{"fork event", stopped(int(unix.SIGTRAP), unix.PTRACE_EVENT_FORK), EventStop, 0, unix.PTRACE_EVENT_FORK},
		{"exec event", stopped(int(unix.SIGTRAP), unix.PTRACE_EVENT_EXEC), EventStop, 0, unix.PTRACE_EVENT_EXEC},
		{"seccomp event", stopped(int(unix.SIGTRAP), unix.PTRACE_EVENT_SECCOMP), EventStop, 0, unix.PTRACE_EVENT_SECCOMP},
		{"group-stop", stopped(int(unix.SIGSTOP), unix.PTRACE_EVENT_STOP), GroupStop, unix.SIGSTOP, 0},
		{"group-stop tstp", stopped(int(unix.SIGTSTP), unix.PTRACE_EVENT_STOP), GroupStop, unix.SIGTSTP, 0},
		{"new child", stopped(int(unix.SIGTRAP), unix.PTRACE_EVENT_STOP), InterruptStop, 0, 0},
		{"signal", stopped(int(unix.SIGCHLD), 0), SignalStop, unix.SIGCHLD, 0},
		{"a real SIGTRAP", stopped(int(unix.SIGTRAP), 0), SignalStop, unix.SIGTRAP, 0},
		{"SIGSTOP delivery", stopped(int(unix.SIGSTOP), 0), SignalStop, unix.SIGSTOP, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := Classify(tc.ws)
			if s.Kind != tc.kind || s.Signal != tc.signal || s.Event != tc.event {
				t.Errorf("Classify(%#x) = kind %d signal %v event %d, want %d %v %d",
					uint32(tc.ws), s.Kind, s.Signal, s.Event, tc.kind, tc.signal, tc.event)
			}
		})
	}
}

func TestDecodeSyscallInfo(t *testing.T) {
	le := binary.LittleEndian
	b := make([]byte, syscallInfoSize)
	b[0] = byte(OpEntry)
	le.PutUint32(b[4:], AuditArchX86_64)
	le.PutUint64(b[8:], 0x401000)
	le.PutUint64(b[16:], 0x7ffc0000)
	le.PutUint64(b[24:], 9)
	for i := 0; i < 6; i++ {
		le.PutUint64(b[32+8*i:], uint64(i+1))
	}
	var si SyscallInfo
	decodeSyscallInfo(b, &si)
	if si.Op != OpEntry || si.Arch != AuditArchX86_64 || si.IP != 0x401000 || si.SP != 0x7ffc0000 ||
		si.Nr != 9 || si.Args != [6]uint64{1, 2, 3, 4, 5, 6} {
		t.Errorf("entry decoded as %+v", si)
	}
	clear(b)
	b[0] = byte(OpExit)
	le.PutUint64(b[24:], uint64(0xfffffffffffffff3)) // -13
	b[32] = 1
	si = SyscallInfo{}
	decodeSyscallInfo(b, &si)
	if si.Op != OpExit || si.Rval != -13 || !si.IsError {
		t.Errorf("exit decoded as %+v", si)
	}
}

// TestMemRead reads this process's own memory, which process_vm_readv
// allows, including a read that runs into an unmapped page.
func TestMemRead(t *testing.T) {
	page := os.Getpagesize()
	m, err := unix.Mmap(-1, 0, 2*page, unix.PROT_READ|unix.PROT_WRITE, unix.MAP_PRIVATE|unix.MAP_ANONYMOUS)
	if err != nil {
		t.Fatal(err)
	}
	copy(m[page-4:], "mmap")
	addr := uint64(uintptrOf(m))
	// x/sys's Munmap takes back only whole mappings: unmap by address.
	munmap := func(a uint64, n int) error {
		_, _, e := unix.Syscall(unix.SYS_MUNMAP, uintptr(a), uintptr(n), 0)
		if e != 0 {
			return e
		}
		return nil
	}
	defer munmap(addr, page)
	if err := munmap(addr+uint64(page), page); err != nil {
		t.Fatal(err)
	}
	mem := &Mem{Tid: os.Getpid()}
	buf := make([]byte, 4)
	if n, err := mem.Read(addr+uint64(page)-4, buf); err != nil || n != 4 || string(buf) != "mmap" {
		t.Fatalf("Read = %d %q %v", n, buf, err)
	}
	buf = make([]byte, 8)
	n, err := mem.Read(addr+uint64(page)-4, buf)
	if n != 4 || err == nil || !errors.Is(err, unix.EFAULT) {
		t.Fatalf("read across the unmapped page = %d, %v; want 4 bytes and EFAULT", n, err)
	}
	if n, err := mem.Read(0, buf); n != 0 || err == nil {
		t.Fatalf("read at NULL = %d, %v; want an error", n, err)
	}
}
