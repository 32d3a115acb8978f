package filter

import (
	"testing"

	"golang.org/x/net/bpf"
	"golang.org/x/sys/unix"

	"github.com/mmtrace/mmtrace/tracer/sys"
)

// run executes a seccomp program on one syscall with x/net/bpf's VM.
func run(t *testing.T, prog []unix.SockFilter, audit uint32, nr uint32) uint32 {
	t.Helper()
	return runArg(t, prog, audit, nr, 0)
}

// runArg is run with the first argument's low 32 bits.
func runArg(t *testing.T, prog []unix.SockFilter, audit uint32, nr uint32, arg0 uint32) uint32 {
	t.Helper()
	raw := make([]bpf.RawInstruction, len(prog))
	for i, f := range prog {
		raw[i] = bpf.RawInstruction{Op: f.Code, Jt: f.Jt, Jf: f.Jf, K: f.K}
	}
	insns, ok := bpf.Disassemble(raw)
	if !ok {
		t.Fatal("program does not disassemble")
	}
	vm, err := bpf.NewVM(insns)
	if err != nil {
		t.Fatal(err)
	}
	// struct seccomp_data: nr, arch, instruction_pointer, args[6]; the VM
	// reads big-endian words, so lay the fields out as it reads them.
	data := make([]byte, 64)
	put := func(off int, v uint32) {
		data[off], data[off+1], data[off+2], data[off+3] = byte(v>>24), byte(v>>16), byte(v>>8), byte(v)
	}
	put(0, nr)
	put(4, audit)
	put(16, arg0)
	out, err := vm.Run(data)
	if err != nil {
		t.Fatal(err)
	}
	return uint32(out)
}

func TestSeccompMatchesSet(t *testing.T) {
	tests := []struct {
		name string
		expr string
	}{
		{"default", ""},
		{"one call", "mmap"},
		{"negated", "!close,read"},
		{"class", "%memory"},
		{"all", "all"},
		{"none", "none"},
		{"scattered", "every other"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			set := Default()
			if tc.expr == "every other" {
				// More ranges than a BPF jump can skip over: the program
				// must try them one by one.
				set = &Set{}
				for nr := 0; nr < maxNr; nr += 2 {
					set.set(sys.AMD64, nr, true)
					set.set(sys.ARM64, nr, true)
				}
			} else if tc.expr != "" {
				var err error
				if set, err = Parse(tc.expr); err != nil {
					t.Fatal(err)
				}
			}
			for _, arch := range []sys.Arch{sys.AMD64, sys.ARM64} {
				prog, err := set.Seccomp(arch)
				if err != nil {
					t.Fatal(err)
				}
				for nr := 0; nr < maxNr+8; nr++ {
					want := uint32(unix.SECCOMP_RET_ALLOW)
					if set.Has(arch, nr) {
						want = unix.SECCOMP_RET_TRACE
					}
					if got := run(t, prog, arch.AuditArch(), uint32(nr)); got != want {
						t.Fatalf("%v nr %d (%s): filter returns %#x, want %#x", arch, nr, sys.Name(arch, nr), got, want)
					}
				}
				// Another ABI's calls run without a stop.
				if got := run(t, prog, 0x40000003, 9); got != unix.SECCOMP_RET_ALLOW {
					t.Errorf("i386 call: %#x, want ALLOW", got)
				}
			}
		})
	}
	prog, _ := Default().Seccomp(sys.AMD64)
	if got := run(t, prog, sys.AMD64.AuditArch(), x32Bit|9); got != unix.SECCOMP_RET_ALLOW {
		t.Errorf("x32 call: %#x, want ALLOW", got)
	}
}

// TestSeccompWatchesWrites: with fds to watch, write and writev to them
// stop whatever the set, writes to other fds do only if the set has the
// call, and every other call is decided by the set alone.
func TestSeccompWatchesWrites(t *testing.T) {
	sets := map[string]*Set{"default": Default(), "none": mustParse(t, "none"), "write": mustParse(t, "write")}
	for name, set := range sets {
		for _, arch := range []sys.Arch{sys.AMD64, sys.ARM64} {
			prog, err := set.Seccomp(arch, 1, 2)
			if err != nil {
				t.Fatal(err)
			}
			write, _ := sys.Number(arch, "write")
			writev, _ := sys.Number(arch, "writev")
			for nr := 0; nr < maxNr+8; nr++ {
				for _, fd := range []uint32{0, 1, 2, 3, 1000} {
					want := uint32(unix.SECCOMP_RET_ALLOW)
					if set.Has(arch, nr) || ((nr == write || nr == writev) && (fd == 1 || fd == 2)) {
						want = unix.SECCOMP_RET_TRACE
					}
					if got := runArg(t, prog, arch.AuditArch(), uint32(nr), fd); got != want {
						t.Fatalf("%s, %v nr %d (%s) fd %d: filter returns %#x, want %#x", name, arch, nr, sys.Name(arch, nr), fd, got, want)
					}
				}
			}
			if got := runArg(t, prog, 0x40000003, 4, 1); got != unix.SECCOMP_RET_ALLOW {
				t.Errorf("%s: i386 write(1): %#x, want ALLOW", name, got)
			}
		}
	}
}

func mustParse(t *testing.T, expr string) *Set {
	t.Helper()
	s, err := Parse(expr)
	if err != nil {
		t.Fatal(err)
	}
	return s
}
