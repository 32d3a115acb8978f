package filter

import (
	"slices"
	"strings"
	"testing"

	"github.com/mmtrace/mmtrace/tracer/sys"
)

// has reports whether s holds the call called name on arch; a name arch
// does not have is reported as absent.
func has(s *Set, arch sys.Arch, name string) bool {
	nr, ok := sys.Number(arch, name)
	return ok && s.Has(arch, nr)
}

func TestParse(t *testing.T) {
	for _, tc := range []struct {
		name string
		expr string
		in   []string // on both arches, where the arch has the call
		out  []string
		// unnamed says whether numbers no table names are in the set.
		unnamed bool
	}{
		{name: "names", expr: "open,close,mmap",
			in: []string{"open", "close", "mmap"}, out: []string{"openat", "read", "munmap"}},
		{name: "spaces forgiven", expr: "open, close", in: []string{"open", "close"}},
		{name: "empty values skipped", expr: ",mmap,,", in: []string{"mmap"}, out: []string{"munmap"}},
		{name: "class", expr: "%memory",
			in: []string{"mmap", "munmap", "mprotect", "brk", "mremap", "msync", "madvise"}, out: []string{"open", "read"}},
		{name: "legacy class", expr: "process",
			in: []string{"fork", "vfork", "clone", "clone3", "execve", "wait4", "waitid", "exit", "exit_group", "kill", "tgkill"}, out: []string{"getpid", "mmap"}},
		{name: "net alias", expr: "%net", in: []string{"socket", "connect"}, out: []string{"read"}},
		{name: "stat like", expr: "%%stat", in: []string{"stat", "lstat", "fstat", "newfstatat", "statx"}, out: []string{"statfs"}},
		{name: "class and names", expr: "%file,close",
			in: []string{"open", "openat", "unlink", "execve", "newfstatat", "close"}, out: []string{"read", "mmap"}},
		{name: "negation", expr: "!read,write",
			in: []string{"open", "mmap", "close"}, out: []string{"read", "write"}, unnamed: true},
		{name: "double negation", expr: "!!read", in: []string{"read"}, out: []string{"write"}},
		{name: "negated class", expr: "!%memory", in: []string{"read"}, out: []string{"mmap", "brk"}, unnamed: true},
		{name: "regex", expr: "/^mm", in: []string{"mmap"}, out: []string{"munmap", "open"}},
		{name: "regex unanchored", expr: "/map$", in: []string{"mmap", "munmap", "mremap"}, out: []string{"remap_file_pages", "open"}},
		{name: "regex alternation", expr: "/^(open|close)$", in: []string{"open", "close"}, out: []string{"openat"}},
		{name: "all", expr: "all", in: []string{"read", "mmap", "_sysctl"}, unnamed: true},
		{name: "none", expr: "none", out: []string{"read", "mmap"}},
		{name: "not all", expr: "!all", out: []string{"read"}},
		{name: "not none", expr: "!none", in: []string{"read"}, unnamed: true},
		{name: "all in a list is every named call", expr: "all,read", in: []string{"read", "mmap"}},
		{name: "quiet unknown", expr: "?nosuchcall,read", in: []string{"read"}, out: []string{"write"}},
		{name: "quiet regex without match", expr: "?/^zzz,read", in: []string{"read"}},
		{name: "quiet 32-bit", expr: "?read@32,write", in: []string{"write"}, out: []string{"read"}},
		{name: "64-bit personality", expr: "read@64", in: []string{"read"}, out: []string{"write"}},
		{name: "one arch is enough", expr: "open,fork", in: []string{"open", "fork"}, out: []string{"openat", "clone"}},
		{name: "number", expr: "9", in: nil, out: []string{"read"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, err := Parse(tc.expr)
			if err != nil {
				t.Fatalf("Parse(%q): %v", tc.expr, err)
			}
			for _, arch := range arches {
				for _, name := range tc.in {
					if _, ok := sys.Number(arch, name); ok && !has(s, arch, name) {
						t.Errorf("Parse(%q) lacks %s on %v", tc.expr, name, arch)
					}
				}
				for _, name := range tc.out {
					if has(s, arch, name) {
						t.Errorf("Parse(%q) has %s on %v", tc.expr, name, arch)
					}
				}
				for _, nr := range []int{400, 5000, -1} {
					if got := s.Has(arch, nr); got != tc.unnamed {
						t.Errorf("Parse(%q).Has(%v, %d) = %v, want %v", tc.expr, arch, nr, got, tc.unnamed)
					}
				}
			}
		})
	}
}

func TestParseNumber(t *testing.T) {
	// 9 is mmap on x86_64 and lgetxattr on aarch64: a number selects
	// whatever call has it on each architecture, as in strace.
	s, err := Parse("9")
	if err != nil {
		t.Fatal(err)
	}
	if !has(s, sys.AMD64, "mmap") || !has(s, sys.ARM64, "lgetxattr") || has(s, sys.ARM64, "mmap") {
		t.Errorf("Parse(\"9\"): amd64 %v, arm64 %v", s.Names(sys.AMD64), s.Names(sys.ARM64))
	}
}

func TestParseArm64LacksOpen(t *testing.T) {
	s, err := Parse("open,fork,openat")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := s.Names(sys.ARM64), []string{"openat"}; !slices.Equal(got, want) {
		t.Errorf("arm64 names = %v, want %v", got, want)
	}
	if got, want := s.Names(sys.AMD64), []string{"fork", "open", "openat"}; !slices.Equal(got, want) {
		t.Errorf("amd64 names = %v, want %v", got, want)
	}
}

func TestParseErrors(t *testing.T) {
	for _, tc := range []struct {
		expr string
		want string // the whole error
	}{
		{"mmapp", `invalid system call "mmapp" (did you mean "mmap"?)`},
		{"read,mmapp", `invalid system call "mmapp" (did you mean "mmap"?)`},
		{"!opne", `invalid system call "opne" (did you mean "open"?)`},
		{"xyzzyplugh", `invalid system call "xyzzyplugh"`},
		{"creds", `invalid system call "creds" (did you mean "%creds"?)`},
		{"%memroy", `invalid system call class "%memroy" (did you mean "%memory"?)`},
		{"%nosuchclass", `invalid system call class "%nosuchclass"`},
		{"/^zzz", `invalid system call "/^zzz": the regular expression matches no system call`},
		{"?/(", "invalid system call \"/(\": error parsing regexp: missing closing ): `(`"},
		{"99999", `invalid system call "99999": no architecture has a call with that number`},
		{"9x", `invalid system call "9x": not a number`},
		{"read@32", `invalid system call "read@32": mmtrace traces only the 64-bit personality`},
		{"read@z", `incorrect personality designator "z" in "read@z"`},
		{"", `empty trace expression "": name calls (trace=mmap,munmap), a class (trace=%memory), all or none`},
		{"!", `empty trace expression "!": name calls (trace=mmap,munmap), a class (trace=%memory), all or none`},
		{",", `empty trace expression ",": name calls (trace=mmap,munmap), a class (trace=%memory), all or none`},
		{"open,,!close", `invalid system call "!close" (did you mean "close"?)`},
	} {
		t.Run(tc.expr, func(t *testing.T) {
			s, err := Parse(tc.expr)
			if err == nil {
				t.Fatalf("Parse(%q) = %v, want error", tc.expr, s.Names(sys.AMD64))
			}
			if err.Error() != tc.want {
				t.Errorf("Parse(%q) error:\n got %s\nwant %s", tc.expr, err, tc.want)
			}
			if strings.Contains(err.Error(), "\n") {
				t.Errorf("error has more than one line: %q", err)
			}
		})
	}
}

func TestFromOptions(t *testing.T) {
	def := Default()
	for _, tc := range []struct {
		name    string
		values  []string
		in, out []string
		wantErr string
	}{
		{name: "none given", values: nil, in: []string{"mmap"}, out: []string{"read"}},
		{name: "trace=", values: []string{"trace=read"}, in: []string{"read"}, out: []string{"mmap"}},
		{name: "t=", values: []string{"t=read"}, in: []string{"read"}, out: []string{"mmap"}},
		{name: "bare", values: []string{"read"}, in: []string{"read"}, out: []string{"mmap"}},
		{name: "bare negated", values: []string{"!read"}, in: []string{"mmap"}, out: []string{"read"}},
		{name: "last wins", values: []string{"trace=read", "trace=write"}, in: []string{"write"}, out: []string{"read"}},
		{name: "unsupported qualifier", values: []string{"signal=SIGSEGV"}, wantErr: "-e signal=: strace's signal qualifier is not supported by mmtrace"},
		{name: "bad set", values: []string{"trace=mmapp"}, wantErr: `invalid system call "mmapp" (did you mean "mmap"?)`},
		{name: "unknown qualifier is a name", values: []string{"foo=bar"}, wantErr: `invalid system call "foo=bar"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, err := FromOptions(tc.values, def)
			if tc.wantErr != "" {
				if err == nil || err.Error() != tc.wantErr {
					t.Fatalf("FromOptions(%q) error = %v, want %s", tc.values, err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			for _, name := range tc.in {
				if !has(s, sys.AMD64, name) {
					t.Errorf("lacks %s", name)
				}
			}
			for _, name := range tc.out {
				if has(s, sys.AMD64, name) {
					t.Errorf("has %s", name)
				}
			}
		})
	}
}

func TestDefault(t *testing.T) {
	s := Default()
	for _, name := range defaultCalls {
		found := false
		for _, arch := range arches {
			if _, ok := sys.Number(arch, name); ok {
				found = true
				if !has(s, arch, name) {
					t.Errorf("Default() lacks %s on %v", name, arch)
				}
			}
		}
		if !found {
			t.Errorf("default call %q is on no architecture", name)
		}
	}
	if got, want := len(s.Names(sys.AMD64)), len(defaultCalls); got != want {
		t.Errorf("Default() has %d amd64 calls, want %d: %v", got, want, s.Names(sys.AMD64))
	}
	// arm64 has no open, creat, fork, vfork or unlink.
	if got, want := len(s.Names(sys.ARM64)), len(defaultCalls)-5; got != want {
		t.Errorf("Default() has %d arm64 calls, want %d: %v", got, want, s.Names(sys.ARM64))
	}
	for _, name := range []string{"read", "write", "brk", "rt_sigaction"} {
		if has(s, sys.AMD64, name) {
			t.Errorf("Default() has %s", name)
		}
	}
}

func TestAllAndNil(t *testing.T) {
	var null *Set
	for _, s := range []*Set{All(), null} {
		for _, arch := range []sys.Arch{sys.AMD64, sys.ARM64, sys.ArchUnknown} {
			for _, nr := range []int{0, 9, 400, 5000, -1} {
				if !s.Has(arch, nr) {
					t.Errorf("Has(%v, %d) = false", arch, nr)
				}
			}
		}
	}
	if got, want := len(All().Names(sys.ARM64)), len(sys.Names(sys.ARM64)); got != want {
		t.Errorf("All().Names(arm64) has %d names, want %d", got, want)
	}
}

func TestAddAndMerge(t *testing.T) {
	for _, tc := range []struct {
		name    string
		a, b    string
		in, out []string
		unnamed bool
	}{
		{name: "plain", a: "read", b: "write", in: []string{"read", "write"}, out: []string{"mmap"}},
		{name: "negated left", a: "!read,write", b: "read", in: []string{"read", "mmap"}, out: []string{"write"}, unnamed: true},
		{name: "negated right", a: "read", b: "!read,write", in: []string{"read", "mmap"}, out: []string{"write"}, unnamed: true},
		{name: "both negated", a: "!read,write", b: "!write,mmap", in: []string{"read", "mmap", "open"}, out: []string{"write"}, unnamed: true},
		{name: "none", a: "none", b: "%memory", in: []string{"mmap"}, out: []string{"read"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a, err := Parse(tc.a)
			if err != nil {
				t.Fatal(err)
			}
			b, err := Parse(tc.b)
			if err != nil {
				t.Fatal(err)
			}
			a.Merge(b)
			for _, name := range tc.in {
				if !has(a, sys.AMD64, name) {
					t.Errorf("merge lacks %s", name)
				}
			}
			for _, name := range tc.out {
				if has(a, sys.AMD64, name) {
					t.Errorf("merge has %s", name)
				}
			}
			if got := a.Has(sys.AMD64, 400); got != tc.unnamed {
				t.Errorf("merge Has(unnamed) = %v, want %v", got, tc.unnamed)
			}
		})
	}

	s, _ := Parse("!read,write")
	if !s.Add("read") || !has(s, sys.AMD64, "read") || has(s, sys.AMD64, "write") {
		t.Errorf("Add on a negated set: read %v, write %v", has(s, sys.AMD64, "read"), has(s, sys.AMD64, "write"))
	}
	if s.Add("nosuchcall") {
		t.Error(`Add("nosuchcall") = true`)
	}
	if !s.Add("fork") || !has(s, sys.AMD64, "fork") {
		t.Error(`Add("fork") failed on amd64`)
	}
}

func TestHasDoesNotAllocate(t *testing.T) {
	s := Default()
	if n := testing.AllocsPerRun(100, func() { _ = s.Has(sys.ARM64, 222) }); n != 0 {
		t.Errorf("Has allocates %v times", n)
	}
}

// TestCapacity fails when a table outgrows the Set's bitmap.
func TestCapacity(t *testing.T) {
	for _, arch := range arches {
		for _, name := range sys.Names(arch) {
			if nr, _ := sys.Number(arch, name); nr >= maxNr {
				t.Errorf("%s is %d on %v; raise maxNr", name, nr, arch)
			}
		}
	}
	if int(arches[len(arches)-1]) >= len(Set{}.bits) {
		t.Errorf("Set.bits has no slot for %v", arches[len(arches)-1])
	}
}
