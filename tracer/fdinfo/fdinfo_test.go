package fdinfo

import (
	"net"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"

	"golang.org/x/sys/unix"
)

// TestDescribe describes fds of the test's own process: a file, a pipe,
// a UNIX socket pair, a listening and a connected TCP socket, and a TCP
// socket not yet bound; each as strace -y and -yy print them.
func TestDescribe(t *testing.T) {
	pid := os.Getpid()
	path := filepath.Join(t.TempDir(), "f.dat")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var p [2]int
	if err := unix.Pipe2(p[:], unix.O_CLOEXEC); err != nil {
		t.Fatal(err)
	}
	defer unix.Close(p[0])
	defer unix.Close(p[1])
	sp, err := unix.Socketpair(unix.AF_UNIX, unix.SOCK_STREAM|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer unix.Close(sp[0])
	defer unix.Close(sp[1])
	unbound, err := unix.Socket(unix.AF_INET, unix.SOCK_STREAM|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer unix.Close(unbound)
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	conn, err := net.Dial("tcp4", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	lf, _ := ln.(*net.TCPListener).File()
	defer lf.Close()
	cf, _ := conn.(*net.TCPConn).File()
	defer cf.Close()
	port := strconv.Itoa(ln.Addr().(*net.TCPAddr).Port)
	ino := func(fd int) string {
		var st unix.Stat_t
		unix.Fstat(fd, &st)
		return strconv.FormatUint(st.Ino, 10)
	}
	for _, c := range []struct {
		fd    int
		level Level
		want  string // a regexp
	}{
		{int(f.Fd()), Path, regexp.QuoteMeta(path)},
		{int(f.Fd()), All, regexp.QuoteMeta(path)},
		{p[0], Path, `pipe:\[` + ino(p[0]) + `\]`},
		{sp[0], Path, `socket:\[` + ino(sp[0]) + `\]`},
		{sp[0], All, `UNIX-STREAM:\[` + ino(sp[0]) + `->` + ino(sp[1]) + `\]`},
		{unbound, All, `TCP:\[` + ino(unbound) + `\]`},
		{int(lf.Fd()), All, `TCP:\[127\.0\.0\.1:` + port + `\]`},
		{int(cf.Fd()), All, `TCP:\[127\.0\.0\.1:\d+->127\.0\.0\.1:` + port + `\]`},
	} {
		got, ok := Describe(pid, c.fd, c.level)
		if !ok || !regexp.MustCompile(`^`+c.want+`$`).MatchString(got) {
			t.Errorf("fd %d, level %d: %q, %v; want %s", c.fd, c.level, got, ok, c.want)
		}
	}
	if _, ok := Describe(pid, 99999, All); ok {
		t.Error("a closed fd was described")
	}
	wd, _ := os.Getwd()
	if got, ok := Describe(pid, unix.AT_FDCWD, Path); !ok || got != wd {
		t.Errorf("AT_FDCWD: %q, want %q", got, wd)
	}
}
