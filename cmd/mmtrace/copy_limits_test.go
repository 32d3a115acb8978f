package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
)

// TestCopyAddressSpaceLimit: under an address-space limit (ulimit -v) too
// small for SRC's and DST's mappings, the copy used to fail after DST was
// created: an existing DST was left as gigabytes of zeros. Now the plan
// maps SRC (and reserves as much again) before anything is written, and
// DST is untouched.
func TestCopyAddressSpaceLimit(t *testing.T) {
	prlimit, err := exec.LookPath("prlimit")
	if err != nil {
		t.Skip("prlimit not installed")
	}
	// The least address space mmtrace itself starts in, plus 1 GiB.
	limit := int64(0)
	for as := int64(512 << 20); as <= 8<<30; as += 256 << 20 {
		if exec.Command(prlimit, fmt.Sprintf("--as=%d", as), mmtraceBin, "version").Run() == nil {
			limit = as + 1<<30
			break
		}
	}
	if limit == 0 {
		t.Skip("mmtrace does not start under any address-space limit up to 8 GiB")
	}
	dir := t.TempDir()
	src, dst := filepath.Join(dir, "src"), filepath.Join(dir, "keep.txt")
	// A sparse SRC of twice the limit: nothing is read before the error.
	if err := os.WriteFile(src, []byte("head"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(src, 2*limit); err != nil {
		t.Fatal(err)
	}
	keep := []byte("precious\n")
	if err := os.WriteFile(dst, keep, 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(prlimit, fmt.Sprintf("--as=%d", limit), mmtraceBin, "copy", "-q", "-o", os.DevNull, src, dst)
	cmd.Env = append(os.Environ(), "TMPDIR="+t.TempDir())
	out, err := cmd.CombinedOutput()
	if code := cmd.ProcessState.ExitCode(); code != 1 {
		t.Fatalf("exit %d (%v), want 1\n%s", code, err, out)
	}
	if want := "is the address space limited (ulimit -v)?"; !strings.Contains(string(out), want) || strings.Count(string(out), "\n") != 1 {
		t.Errorf("output %q, want one line with %q", out, want)
	}
	if b, err := os.ReadFile(dst); err != nil || !bytes.Equal(b, keep) {
		t.Errorf("DST is %d bytes (%v), want its %d bytes untouched", len(b), err, len(keep))
	}
	if names := workDirs(t, dir); strings.Join(names, " ") != "keep.txt src" {
		t.Errorf("%s holds %q", dir, names)
	}
}

// TestCopyProcessLimit runs the copy as an ordinary user under a low
// RLIMIT_NPROC (root is not bound by it): -n 1000 used to fork until the
// kernel refused, failing the copy; now -n is cut to what the limit
// leaves, with a note, and the copy succeeds.
func TestCopyProcessLimit(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root, to run the copy as another user")
	}
	prlimit, err := exec.LookPath("prlimit")
	if err != nil {
		t.Skip("prlimit not installed")
	}
	const nobody = 65534
	// A directory the other user can reach: mmtrace, SRC and DST in it.
	dir, err := os.MkdirTemp("", "copytest-nproc-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	if err := os.Chmod(dir, 0o777); err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(dir, "mmtrace")
	b, err := os.ReadFile(mmtraceBin)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(bin, b, 0o755); err != nil {
		t.Fatal(err)
	}
	src, dst := filepath.Join(dir, "src"), filepath.Join(dir, "dst")
	data := bytes.Repeat([]byte("0123456789abcdef"), 2000*4096/16) // 2000 pages
	if err := os.WriteFile(src, data, 0o644); err != nil {
		t.Fatal(err)
	}
	const limit = 60
	cmd := exec.Command(prlimit, fmt.Sprintf("--nproc=%d:%d", limit, limit), bin, "copy", "-q", "-o", os.DevNull, src, dst, "-n", "1000")
	cmd.Env = []string{"PATH=/usr/bin:/bin", "TMPDIR=" + dir}
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: nobody, Gid: nobody}}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	err = cmd.Run()
	if st := stderr.String(); strings.Contains(st, "operation not permitted") && strings.Contains(st, "trac") {
		t.Skipf("the other user may not trace here: %s", st)
	}
	if err != nil {
		t.Fatalf("copy as uid %d under RLIMIT_NPROC %d: %v\n%s", nobody, limit, err, lastLines(stderr.String(), 5))
	}
	m := regexp.MustCompile(`-n 1000: cut to (\d+) processes: RLIMIT_NPROC \(ulimit -u\) allows 60 processes for your user, which has (\d+) tasks? already\n`).FindStringSubmatch(stderr.String())
	if m == nil {
		t.Fatalf("no note on the cut:\n%s", lastLines(stderr.String(), 8))
	}
	cut, _ := strconv.Atoi(m[1])
	if cut < 1 || cut >= limit {
		t.Errorf("cut to %d under a limit of %d", cut, limit)
	}
	if !strings.Contains(stderr.String(), fmt.Sprintf("with %d processes in", cut)) {
		t.Errorf("the copy did not use the %d processes it said:\n%s", cut, lastLines(stderr.String(), 8))
	}
	if got, err := os.ReadFile(dst); err != nil || !bytes.Equal(got, data) {
		t.Errorf("DST differs from SRC (%v)", err)
	}
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	return strings.Join(lines[max(0, len(lines)-n):], "\n")
}
