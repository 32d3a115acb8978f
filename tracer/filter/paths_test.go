package filter

import (
	"encoding/binary"
	"errors"
	"slices"
	"testing"
)

// noResolve is a resolver for paths that resolve to themselves.
func noResolve(p string) (string, error) { return p, nil }

func TestPathsMatch(t *testing.T) {
	resolve := func(p string) (string, error) {
		if p == "/tmp/link" {
			return "/tmp/target", nil
		}
		return "", errors.New("no such file")
	}
	ps, notes, err := NewPaths([]string{"/tmp/link", "/etc/passwd", "/srv/**", "/home/*/.ssh/id_[re]*", "/a/**/z"}, resolve)
	if err != nil {
		t.Fatal(err)
	}
	if want := []Resolved{{"/tmp/link", "/tmp/target"}}; !slices.Equal(notes, want) {
		t.Errorf("notes %v, want %v", notes, want)
	}
	if len(notes) > 0 {
		if got, want := notes[0].String(), `Requested path "/tmp/link" resolved into "/tmp/target"`; got != want {
			t.Errorf("note %q, want %q", got, want)
		}
	}
	for _, tc := range []struct {
		name string
		want bool
	}{
		{"/tmp/link", true},
		{"/tmp/target", true}, // where it leads, as strace adds it
		{"/etc/passwd", true},
		{"/etc/passwd2", false},
		{"passwd", false}, // a plain path is compared as given
		{"/etc/../etc/passwd", false},
		{"/srv", true}, // ** matches no name too: the tree's root
		{"/srv/", true},
		{"/srv/a", true},
		{"/srv/a/b/c", true},
		{"/srvx", false},
		{"/home/ann/.ssh/id_rsa", true},
		{"/home/ann/.ssh/id_ed25519", true},
		{"/home/ann/.ssh/id_dsa", false},
		{"/home/ann/b/.ssh/id_rsa", false}, // * stays within a name
		{"/a/z", true},
		{"/a/b/c/z", true},
		{"/a/b/c/y", false},
		{"", false},
	} {
		if got := ps.Match(tc.name); got != tc.want {
			t.Errorf("Match(%q) = %v, want %v", tc.name, got, tc.want)
		}
	}
	for _, bad := range [][]string{{""}, {"tmp/*"}, {"/tmp/[x"}} {
		if _, _, err := NewPaths(bad, noResolve); err == nil {
			t.Errorf("NewPaths(%q): no error", bad)
		}
	}
}

// fakeTracee is a thread with a few strings in memory, fds and a cwd.
type fakeTracee struct {
	mem map[uint64][]byte
	fds map[int]string
	cwd string
}

func (f fakeTracee) Read(addr uint64, p []byte) (int, error) {
	for base, b := range f.mem {
		if addr >= base && addr < base+uint64(len(b)) {
			return copy(p, b[addr-base:]), nil
		}
	}
	return 0, errors.New("EFAULT")
}
func (f fakeTracee) FDPath(fd int) (string, bool) { s, ok := f.fds[fd]; return s, ok }
func (f fakeTracee) Cwd() (string, bool)          { return f.cwd, f.cwd != "" }

func TestPathsTouches(t *testing.T) {
	const (
		pF    = 0x1000 // "/tmp/d/f"
		pRel  = 0x2000 // "f"
		pOth  = 0x3000 // "/etc/hosts"
		polls = 0x4000
		sets  = 0x5000
	)
	pollfds := make([]byte, 16)
	binary.LittleEndian.PutUint32(pollfds[0:], 7)
	binary.LittleEndian.PutUint32(pollfds[8:], 3)
	fdset := make([]byte, 8)
	fdset[0] = 1 << 3
	tr := fakeTracee{
		mem: map[uint64][]byte{
			pF: []byte("/tmp/d/f\x00"), pRel: []byte("f\x00"), pOth: []byte("/etc/hosts\x00"),
			polls: pollfds, sets: fdset,
		},
		fds: map[int]string{3: "/tmp/d/f", 4: "/tmp/d", 7: "pipe:[12]"},
		cwd: "/tmp/d",
	}
	exact, _, err := NewPaths([]string{"/tmp/d/f"}, noResolve)
	if err != nil {
		t.Fatal(err)
	}
	tree, _, err := NewPaths([]string{"/tmp/d/**"}, noResolve)
	if err != nil {
		t.Fatal(err)
	}
	neg := func(n int64) uint64 { return uint64(n) }
	for _, tc := range []struct {
		name       string
		call       string
		args       [6]uint64
		exact, all bool // Touches for -P /tmp/d/f, and for -P '/tmp/d/**'
	}{
		{"open by name", "open", [6]uint64{pF}, true, true},
		{"open another", "open", [6]uint64{pOth}, false, false},
		{"open relative", "open", [6]uint64{pRel}, false, true},
		{"openat relative to cwd", "openat", [6]uint64{neg(-100), pRel}, false, true},
		{"openat relative to a dir fd", "openat", [6]uint64{4, pRel}, false, true},
		{"newfstatat by the fd", "newfstatat", [6]uint64{3, 0}, true, true},
		{"read the fd", "read", [6]uint64{3, 0, 5}, true, true},
		{"read a pipe", "read", [6]uint64{7, 0, 5}, false, false},
		{"read a bad fd", "read", [6]uint64{neg(-1), 0, 5}, false, false},
		{"mmap the fd", "mmap", [6]uint64{0, 4096, 1, 1, 3, 0}, true, true},
		{"mmap anonymous", "mmap", [6]uint64{0, 4096, 1, 0x22, neg(-1), 0}, false, false},
		{"munmap: no fd, no name", "munmap", [6]uint64{0x7f0000000000, 4096}, false, false},
		{"dup2 to it", "dup2", [6]uint64{7, 3}, true, true},
		{"rename to it", "rename", [6]uint64{pOth, pF}, false, false}, // strace looks at the first name only
		{"renameat to it", "renameat", [6]uint64{neg(-100), pOth, neg(-100), pF}, true, true},
		{"link to it", "link", [6]uint64{pOth, pF}, true, true},
		{"symlink to it", "symlink", [6]uint64{pF, pOth}, false, false}, // the target is no file touched
		{"symlinkat at it", "symlinkat", [6]uint64{pOth, neg(-100), pF}, true, true},
		{"pipe", "pipe2", [6]uint64{0, 0}, false, false},
		{"socket", "socket", [6]uint64{1, 1, 0}, false, false},
		{"poll on it", "poll", [6]uint64{polls, 2, 0}, true, true},
		{"poll on a pipe", "poll", [6]uint64{polls, 1, 0}, false, false},
		{"select on it", "select", [6]uint64{4, sets, 0, 0, 0}, true, true},
		{"select below it", "select", [6]uint64{3, sets, 0, 0, 0}, false, false},
		{"getpid: no file", "getpid", [6]uint64{}, false, false},
		{"bad name pointer", "open", [6]uint64{0xdeadbeef}, false, false},
		{"NULL name", "open", [6]uint64{0}, false, false},
	} {
		if got := exact.Touches(tc.call, tc.args, tr); got != tc.exact {
			t.Errorf("%s: -P /tmp/d/f: %v, want %v", tc.name, got, tc.exact)
		}
		if got := tree.Touches(tc.call, tc.args, tr); got != tc.all {
			t.Errorf("%s: -P '/tmp/d/**': %v, want %v", tc.name, got, tc.all)
		}
	}
}
