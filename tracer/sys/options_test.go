package sys

import (
	"testing"

	"golang.org/x/sys/unix"
)

// callText runs a call through Enter and Exit with opt and returns its
// line.
func callText(name string, args [6]uint64, mem fakeMem, ret int64, opt *Options) string {
	nr, _ := Number(AMD64, name)
	c := NewCall(AMD64, nr, args)
	c.Enter(mem, opt)
	c.Exit(mem, ret, opt)
	return c.String()
}

// TestStringsInHex checks -x and -xx against what strace 6.1 printed for
// the same calls (strace -x / -xx on the flags.c fixture).
func TestStringsInHex(t *testing.T) {
	buf := fakeMem{0x1000: []byte("hello\n\t\xff\x01 world\x00"), 0x2000: cstr("f.dat"), 0x3000: []byte("x")}
	for _, c := range []struct {
		name string
		hex  int
		call string
		args [6]uint64
		ret  int64
		want string
	}{
		{"non-ASCII byte: all hex", 1, "write", [6]uint64{3, 0x1000, 16}, 16,
			`write(3, "\x68\x65\x6c\x6c\x6f\x0a\x09\xff\x01\x20\x77\x6f\x72\x6c\x64\x00", 16) = 16`},
		{"printable: as is", 1, "write", [6]uint64{4, 0x3000, 1}, 1, `write(4, "x", 1) = 1`},
		{"path printable", 1, "openat", [6]uint64{neg(-100), 0x2000, 0}, 3, `openat(AT_FDCWD, "f.dat", O_RDONLY) = 3`},
		{"-xx path", 2, "openat", [6]uint64{neg(-100), 0x2000, 0}, 3, `openat(AT_FDCWD, "\x66\x2e\x64\x61\x74", O_RDONLY) = 3`},
		{"-xx buffer", 2, "write", [6]uint64{4, 0x3000, 1}, 1, `write(4, "\x78", 1) = 1`},
		{"-x off", 0, "write", [6]uint64{3, 0x1000, 16}, 16, `write(3, "hello\n\t\377\1 world\0", 16) = 16`},
	} {
		if got := callText(c.call, c.args, buf, c.ret, &Options{Hex: c.hex}); got != c.want {
			t.Errorf("%s:\n got %s\nwant %s", c.name, got, c.want)
		}
	}
}

func TestUnquote(t *testing.T) {
	for _, in := range [][]byte{
		[]byte("plain"), []byte("a\"b\\c"), []byte("\x00\x01\x7f\xff\t\n\v\f\r"), []byte("\x0012"), {},
	} {
		q := quote(in)
		b, n, ok := unquote(q + ` rest`)
		if !ok || n != len(q) || string(b) != string(in) {
			t.Errorf("unquote(%s) = %q, %d, %v; want %q, %d", q, b, n, ok, in, len(q))
		}
		b, _, ok = unquote(quoteHex(in))
		if !ok || string(b) != string(in) {
			t.Errorf("unquote(%s) = %q, want %q", quoteHex(in), b, in)
		}
	}
	for _, bad := range []string{``, `"`, `"abc`, `x"a"`, `"\x4"`} {
		if _, _, ok := unquote(bad); ok {
			t.Errorf("unquote(%s) accepted", bad)
		}
	}
}

// TestDecodeFDs checks -y: every fd argument, AT_FDCWD, an fd result and
// pipe's pair carry what FDPath says, as strace -y printed them; -1 and
// an fd FDPath does not know stay bare.
func TestDecodeFDs(t *testing.T) {
	paths := map[int]string{unix.AT_FDCWD: "/tmp/sf/w", 3: "/tmp/sf/w/f.dat", 4: "pipe:[3247872]", 5: "pipe:[3247872]"}
	opt := &Options{FDPath: func(_ Memory, fd int) (string, bool) { p, ok := paths[fd]; return p, ok }}
	mem := fakeMem{0x2000: cstr("f.dat"), 0x3000: []byte("x"), 0x4000: {4, 0, 0, 0, 5, 0, 0, 0}}
	for _, c := range []struct {
		call string
		args [6]uint64
		ret  int64
		want string
	}{
		{"openat", [6]uint64{neg(-100), 0x2000, 0}, 3, `openat(AT_FDCWD</tmp/sf/w>, "f.dat", O_RDONLY) = 3</tmp/sf/w/f.dat>`},
		{"openat", [6]uint64{neg(-100), 0x2000, 0}, -2, `openat(AT_FDCWD</tmp/sf/w>, "f.dat", O_RDONLY) = -1 ENOENT (No such file or directory)`},
		{"close", [6]uint64{3}, 0, `close(3</tmp/sf/w/f.dat>) = 0`},
		{"write", [6]uint64{5, 0x3000, 1}, 1, `write(5<pipe:[3247872]>, "x", 1) = 1`},
		{"write", [6]uint64{neg(-1), 0x3000, 1}, -9, `write(-1, "x", 1) = -1 EBADF (Bad file descriptor)`},
		{"write", [6]uint64{9, 0x3000, 1}, -9, `write(9, "x", 1) = -1 EBADF (Bad file descriptor)`},
		{"pipe2", [6]uint64{0x4000, 0}, 0, `pipe2([4<pipe:[3247872]>, 5<pipe:[3247872]>], 0) = 0`},
		{"mmap", [6]uint64{0, 4096, 1, 2, neg(-1), 0}, 0x7f0000000000, `mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, -1, 0) = 0x7f0000000000`},
		{"mmap", [6]uint64{0, 4096, 1, 2, 3, 0}, 0x7f0000000000, `mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, 3</tmp/sf/w/f.dat>, 0) = 0x7f0000000000`},
	} {
		if got := callText(c.call, c.args, mem, c.ret, opt); got != c.want {
			t.Errorf("\n got %s\nwant %s", got, c.want)
		}
	}
}
