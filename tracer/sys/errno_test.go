package sys

import (
	"bufio"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
)

func TestErrno(t *testing.T) {
	tests := []struct {
		e            syscall.Errno
		name, text   string
		resultString string
	}{
		{1, "EPERM", "Operation not permitted", "-1 EPERM (Operation not permitted)"},
		{2, "ENOENT", "No such file or directory", "-1 ENOENT (No such file or directory)"},
		{11, "EAGAIN", "Resource temporarily unavailable", "-1 EAGAIN (Resource temporarily unavailable)"},
		{13, "EACCES", "Permission denied", "-1 EACCES (Permission denied)"},
		{14, "EFAULT", "Bad address", "-1 EFAULT (Bad address)"},
		{35, "EDEADLK", "Resource deadlock avoided", "-1 EDEADLK (Resource deadlock avoided)"},
		{95, "EOPNOTSUPP", "Operation not supported", "-1 EOPNOTSUPP (Operation not supported)"},
		{133, "EHWPOISON", "Memory page has hardware error", "-1 EHWPOISON (Memory page has hardware error)"},
		// Unassigned and out-of-range numbers: no name, glibc's text, and
		// strace's "(errno N)".
		{41, "", "Unknown error 41", "-1 (errno 41)"},
		{58, "", "Unknown error 58", "-1 (errno 58)"},
		{134, "", "Unknown error 134", "-1 (errno 134)"},
		{4095, "", "Unknown error 4095", "-1 (errno 4095)"},
		{0, "", "Unknown error 0", "-1 (errno 0)"},
		// The restart codes: the call is not finished.
		{512, "ERESTARTSYS", "To be restarted if SA_RESTART is set", "? ERESTARTSYS (To be restarted if SA_RESTART is set)"},
		{513, "ERESTARTNOINTR", "To be restarted", "? ERESTARTNOINTR (To be restarted)"},
		{514, "ERESTARTNOHAND", "To be restarted if no handler", "? ERESTARTNOHAND (To be restarted if no handler)"},
		{516, "ERESTART_RESTARTBLOCK", "Interrupted by signal", "? ERESTART_RESTARTBLOCK (Interrupted by signal)"},
		// Other kernel-internal codes have a name but only glibc's text.
		{515, "ENOIOCTLCMD", "Unknown error 515", "-1 ENOIOCTLCMD (Unknown error 515)"},
		{524, "ENOTSUPP", "Unknown error 524", "-1 ENOTSUPP (Unknown error 524)"},
		{519, "", "Unknown error 519", "-1 (errno 519)"},
	}
	for _, tc := range tests {
		t.Run(strconv.Itoa(int(tc.e)), func(t *testing.T) {
			if got := ErrnoName(tc.e); got != tc.name {
				t.Errorf("ErrnoName(%d) = %q, want %q", tc.e, got, tc.name)
			}
			if got := ErrnoText(tc.e); got != tc.text {
				t.Errorf("ErrnoText(%d) = %q, want %q", tc.e, got, tc.text)
			}
			if got := errnoResult(tc.e); got != tc.resultString {
				t.Errorf("errnoResult(%d) = %q, want %q", tc.e, got, tc.resultString)
			}
		})
	}
}

// TestErrnoTableComplete checks every errno from 1 to 133 but the two
// unassigned ones has a name and a text.
func TestErrnoTableComplete(t *testing.T) {
	for e := syscall.Errno(1); e <= 133; e++ {
		name, text := ErrnoName(e), ErrnoText(e)
		if e == 41 || e == 58 {
			if name != "" {
				t.Errorf("errno %d is unassigned but named %s", e, name)
			}
			continue
		}
		if !strings.HasPrefix(name, "E") || text == "" || strings.HasPrefix(text, "Unknown") {
			t.Errorf("errno %d: name %q, text %q", e, name, text)
		}
	}
}

// TestErrnoTextMatchesGlibc compares the table with this machine's glibc
// strerror, through a C program; it skips without gcc.
func TestErrnoTextMatchesGlibc(t *testing.T) {
	gcc, err := exec.LookPath("gcc")
	if err != nil {
		t.Skip("no gcc")
	}
	dir := t.TempDir()
	src := filepath.Join(dir, "strerror.c")
	prog := `#include <stdio.h>
#include <string.h>
int main(void) {
	for (int i = 1; i <= 133; i++) printf("%d %s\n", i, strerror(i));
	return 0;
}
`
	if err := os.WriteFile(src, []byte(prog), 0o644); err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(dir, "strerror")
	if out, err := exec.Command(gcc, "-o", bin, src).CombinedOutput(); err != nil {
		t.Skipf("gcc: %v\n%s", err, out)
	}
	out, err := exec.Command(bin).Output()
	if err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(strings.NewReader(string(out)))
	for sc.Scan() {
		num, text, _ := strings.Cut(sc.Text(), " ")
		n, _ := strconv.Atoi(num)
		if got := ErrnoText(syscall.Errno(n)); got != text {
			t.Errorf("ErrnoText(%d) = %q, glibc says %q", n, got, text)
		}
	}
}

// TestErrnoFromTracee: si_errno is whatever a tracee put there
// (rt_sigqueueinfo), negative included; it must print, not panic.
func TestErrnoFromTracee(t *testing.T) {
	si := &Siginfo{Signo: syscall.SIGUSR1, Errno: -1, Code: -1}
	if s := si.String(); !strings.Contains(s, "si_signo=SIGUSR1") {
		t.Errorf("String() = %q", s)
	}
	for _, e := range []syscall.Errno{^syscall.Errno(0), 1 << 40, 4096} {
		ErrnoName(e)
		ErrnoText(e)
	}
}
