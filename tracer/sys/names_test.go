//go:build linux

package sys

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/sys/unix"
)

// notCalls are the x/sys constants that name no syscall; mksysnum skips
// them too.
var notCalls = map[string]bool{
	"SYS_ARCH_SPECIFIC_SYSCALL": true,
}

// xsysConsts parses one of x/sys's zsysnum files into constant name → value.
func xsysConsts(t *testing.T, file string) map[string]int {
	t.Helper()
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "golang.org/x/sys").Output()
	dir := strings.TrimSpace(string(out))
	if err != nil || dir == "" {
		t.Skipf("cannot locate golang.org/x/sys (go list -m: %v)", err)
	}
	f, err := parser.ParseFile(token.NewFileSet(), filepath.Join(dir, "unix", file), nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	consts := make(map[string]int)
	ast.Inspect(f, func(n ast.Node) bool {
		vs, ok := n.(*ast.ValueSpec)
		if !ok {
			return true
		}
		for i, id := range vs.Names {
			lit, ok := vs.Values[i].(*ast.BasicLit)
			if !strings.HasPrefix(id.Name, "SYS_") || !ok {
				continue
			}
			v, err := strconv.Atoi(lit.Value)
			if err != nil {
				t.Fatalf("%s: %s = %s", file, id.Name, lit.Value)
			}
			consts[id.Name] = v
		}
		return false
	})
	if len(consts) < 300 {
		t.Fatalf("%s: only %d SYS_ constants", file, len(consts))
	}
	return consts
}

// TestTablesMatchXSys checks every SYS_ constant of x/sys against the
// generated tables, both ways, so a stale table or a generator bug shows
// up as a named call.
func TestTablesMatchXSys(t *testing.T) {
	for _, tc := range []struct {
		arch Arch
		file string
	}{
		{AMD64, "zsysnum_linux_amd64.go"},
		{ARM64, "zsysnum_linux_arm64.go"},
	} {
		t.Run(tc.arch.String(), func(t *testing.T) {
			calls := 0
			for c, nr := range xsysConsts(t, tc.file) {
				if notCalls[c] {
					if name := Name(tc.arch, nr); !strings.HasPrefix(name, "syscall_") {
						t.Errorf("%s (%d) is no call, but Name = %q", c, nr, name)
					}
					continue
				}
				calls++
				want := strings.ToLower(strings.TrimPrefix(c, "SYS_"))
				if got := Name(tc.arch, nr); got != want {
					t.Errorf("Name(%v, %d) = %q, want %q (%s)", tc.arch, nr, got, want, c)
				}
				if got, ok := Number(tc.arch, want); !ok || got != nr {
					t.Errorf("Number(%v, %q) = %d, %v; want %d", tc.arch, want, got, ok, nr)
				}
			}
			if n := len(Names(tc.arch)); n != calls {
				t.Errorf("Names(%v) has %d names, x/sys has %d calls", tc.arch, n, calls)
			}
		})
	}
}

func TestName(t *testing.T) {
	for _, tc := range []struct {
		name string
		arch Arch
		nr   int
		want string
	}{
		{"host mmap", HostArch(), unix.SYS_MMAP, "mmap"},
		{"host munmap", HostArch(), unix.SYS_MUNMAP, "munmap"},
		{"host mprotect", HostArch(), unix.SYS_MPROTECT, "mprotect"},
		{"host mremap", HostArch(), unix.SYS_MREMAP, "mremap"},
		{"host msync", HostArch(), unix.SYS_MSYNC, "msync"},
		{"host madvise", HostArch(), unix.SYS_MADVISE, "madvise"},
		{"host openat", HostArch(), unix.SYS_OPENAT, "openat"},
		{"host ftruncate", HostArch(), unix.SYS_FTRUNCATE, "ftruncate"},
		{"host newfstatat", HostArch(), unix.SYS_NEWFSTATAT, "newfstatat"},
		{"host fstat", HostArch(), unix.SYS_FSTAT, "fstat"},
		{"host pread64", HostArch(), unix.SYS_PREAD64, "pread64"},
		{"host clone3", HostArch(), unix.SYS_CLONE3, "clone3"},
		{"host execve", HostArch(), unix.SYS_EXECVE, "execve"},
		{"host wait4", HostArch(), unix.SYS_WAIT4, "wait4"},
		{"host exit_group", HostArch(), unix.SYS_EXIT_GROUP, "exit_group"},
		{"host tgkill", HostArch(), unix.SYS_TGKILL, "tgkill"},

		{"amd64 read", AMD64, 0, "read"},
		{"amd64 open", AMD64, 2, "open"},
		{"amd64 fork", AMD64, 57, "fork"},
		{"amd64 _sysctl", AMD64, 156, "_sysctl"},
		{"amd64 umount2", AMD64, 166, "umount2"},
		{"amd64 newfstatat", AMD64, 262, "newfstatat"},
		{"amd64 last", AMD64, 471, "rseq_slice_yield"},
		{"arm64 io_setup", ARM64, 0, "io_setup"},
		{"arm64 newfstatat", ARM64, 79, "newfstatat"},
		{"arm64 fstat", ARM64, 80, "fstat"},
		{"arm64 mmap", ARM64, 222, "mmap"},
		{"arm64 wait4", ARM64, 260, "wait4"},

		// strace prints unknown numbers in hex, zero as C's %#x does.
		{"amd64 gap", AMD64, 400, "syscall_0x190"},
		{"amd64 past end", AMD64, 1000, "syscall_0x3e8"},
		{"arm64 arch specific", ARM64, 244, "syscall_0xf4"},
		{"arm64 gap", ARM64, 300, "syscall_0x12c"},
		{"negative", AMD64, -1, "syscall_0xffffffffffffffff"},
		{"unknown arch", ArchUnknown, 2, "syscall_0x2"},
		{"unknown arch zero", ArchUnknown, 0, "syscall_0"},
		{"out of range arch", Arch(200), 9, "syscall_0x9"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.arch == ArchUnknown && strings.HasPrefix(tc.name, "host") {
				t.Skipf("mmtrace has no table for GOARCH=%s", runtime.GOARCH)
			}
			if got := Name(tc.arch, tc.nr); got != tc.want {
				t.Errorf("Name(%v, %d) = %q, want %q", tc.arch, tc.nr, got, tc.want)
			}
		})
	}
}

func TestNameDoesNotAllocate(t *testing.T) {
	if n := testing.AllocsPerRun(100, func() { _ = Name(ARM64, 222) }); n != 0 {
		t.Errorf("Name allocates %v times per known call", n)
	}
}

func TestNumber(t *testing.T) {
	for _, tc := range []struct {
		arch   Arch
		name   string
		want   int
		wantOK bool
	}{
		{AMD64, "mmap", 9, true},
		{ARM64, "mmap", 222, true},
		{AMD64, "open", 2, true},
		{ARM64, "open", 0, false}, // arm64 has only openat
		{ARM64, "fork", 0, false}, // and only clone/clone3
		{ARM64, "read", 63, true},
		{AMD64, "mmapp", 0, false},
		{AMD64, "", 0, false},
		{ARM64, "arch_specific_syscall", 0, false},
		{ArchUnknown, "read", 0, false},
		{Arch(200), "read", 0, false},
	} {
		got, ok := Number(tc.arch, tc.name)
		if got != tc.want || ok != tc.wantOK {
			t.Errorf("Number(%v, %q) = %d, %v; want %d, %v", tc.arch, tc.name, got, ok, tc.want, tc.wantOK)
		}
	}
}

func TestNames(t *testing.T) {
	for _, arch := range []Arch{AMD64, ARM64} {
		names := Names(arch)
		seen := make(map[string]bool)
		prev := -1
		for _, name := range names {
			nr, ok := Number(arch, name)
			if !ok || seen[name] || nr <= prev {
				t.Fatalf("Names(%v): %q out of order, duplicated or unknown", arch, name)
			}
			seen[name], prev = true, nr
		}
		names[0] = "changed"
		if Names(arch)[0] == "changed" {
			t.Errorf("Names(%v) returns the table itself", arch)
		}
	}
	if got := Names(ArchUnknown); len(got) != 0 {
		t.Errorf("Names(ArchUnknown) = %v", got)
	}
}

func TestHostArch(t *testing.T) {
	want := map[string]Arch{"amd64": AMD64, "arm64": ARM64}[runtime.GOARCH]
	if got := HostArch(); got != want {
		t.Errorf("HostArch() = %v on GOARCH=%s", got, runtime.GOARCH)
	}
}
