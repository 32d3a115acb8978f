package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/mmtrace/mmtrace/internal/testutil"
)

// TestStraceOutputFlags runs mmtrace run with strace's output flags on a
// shell that reads a file, fails to open another and starts a child, and
// checks each flag's mark on the timeline. (The comparisons with strace's
// own output are tracer's TestStraceFlags and TestStraceFF.)
func TestStraceOutputFlags(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "hello.txt")
	if err := os.WriteFile(src, []byte("hello, world\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		flags []string
		want  string // a regexp the timeline must match
		not   string // a regexp it must not match
	}{
		{"-f", []string{"-f"}, `\+\+\+ exited with 0 \+\+\+`, ``},
		{"-y", []string{"-a", "-y"}, `read\(3<` + regexp.QuoteMeta(src) + `>, "hello`, ``},
		{"-e decode-fds=path", []string{"-a", "-e", "decode-fds=path"}, `read\(3<` + regexp.QuoteMeta(src) + `>, "hello`, ``},
		{"-Z", []string{"-Z"}, `ENOENT`, `= 0\b`},
		{"-z", []string{"-a", "-z"}, `read\(`, `ENOENT`},
		{"-e status=failed", []string{"-e", "status=failed"}, `ENOENT`, `= 0\b`},
		{"-e status=!failed", []string{"-a", "-e", "status=!failed"}, `read\(`, `ENOENT`},
		{"-e signal=none", []string{"-e", "signal=none"}, `wait4\(`, `--- SIGCHLD`},
		{"-e signal=SIGCHLD", []string{"-e", "signal=SIGCHLD"}, `--- SIGCHLD`, ``},
		{"-e quiet=exit", []string{"-e", "quiet=exit"}, `close\(`, `\+\+\+ exited`},
		{"-e quiet=exits,superseded", []string{"-e", "quiet=exits,superseded"}, `close\(`, `\+\+\+ exited`},
		{"-n", []string{"-n"}, `(?m)^\d+ +\d+\.\d{6} \[ +\d+\] close\(`, ``},
		{"-x", []string{"-x", "-e", "trace=read"}, `read\(\d+, "hello, world\\n", `, ``},
		{"-xx", []string{"-xx", "-e", "trace=read"}, `read\(\d+, "\\x68\\x65\\x6c`, ``},
		{"-c -S calls -w", []string{"-c", "-S", "calls", "-w"}, `(?m)^% time +seconds`, ``},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "timeline")
			args := append([]string{"run", "-o", out}, tc.flags...)
			args = append(args, "--", "sh", "-c", "cat "+src+" /nonexistent; (true); exit 0")
			_, stderr, status := mmtrace(t, args...)
			if status != 0 {
				t.Fatalf("status %d\n%s", status, stderr)
			}
			b, err := os.ReadFile(out)
			if err != nil {
				t.Fatal(err)
			}
			if !regexp.MustCompile(tc.want).Match(b) {
				t.Errorf("timeline does not match %q:\n%s", tc.want, b)
			}
			if tc.not != "" && regexp.MustCompile(tc.not).Match(b) {
				t.Errorf("timeline matches %q:\n%s", tc.not, b)
			}
		})
	}
}

// TestFFWithoutOutput: -ff without -o is -f, as in strace: one timeline
// on stderr.
func TestFFWithoutOutput(t *testing.T) {
	_, stderr, status := mmtrace(t, "run", "-ff", "-q", "--", "sh", "-c", "(true); exit 0")
	if status != 0 || strings.Count(stderr, "+++ exited with 0 +++") != 2 {
		t.Errorf("status %d, want both exits on stderr:\n%s", status, stderr)
	}
}

// TestSortedSummary: -S calls puts the most called call first.
func TestSortedSummary(t *testing.T) {
	out := filepath.Join(t.TempDir(), "summary")
	_, stderr, status := mmtrace(t, "run", "-o", out, "-c", "-S", "calls", "--", "sh", "-c", "for i in 1 2 3 4 5 6 7 8; do (true); done")
	if status != 0 {
		t.Fatalf("status %d\n%s", status, stderr)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	rows := regexp.MustCompile(`(?m)^\s*\d+\.\d\d\s+\d+\.\d+\s+\d+\s+(\d+)\s+\d*\s+(\w+)$`).FindAllStringSubmatch(string(b), -1)
	if len(rows) < 3 {
		t.Fatalf("no rows:\n%s", b)
	}
	rows = rows[:len(rows)-1] // the total
	for i := 1; i < len(rows); i++ {
		if len(rows[i][1]) > len(rows[i-1][1]) || (len(rows[i][1]) == len(rows[i-1][1]) && rows[i][1] > rows[i-1][1]) {
			t.Errorf("%s (%s calls) after %s (%s calls): not sorted by calls\n%s", rows[i][2], rows[i][1], rows[i-1][2], rows[i-1][1], b)
		}
	}
}

// TestStraceFlagsRefused: strace's flags mmtrace does not take, and the
// combinations that cannot work, are usage errors: status 2, one line
// that says what to use; never a program run by mistake.
func TestStraceFlagsRefused(t *testing.T) {
	tests := []struct {
		args []string
		msg  string
	}{
		{[]string{"-a", "40"}, "strace's -a COLUMN (alignment) is not supported"},
		{[]string{"-a40"}, "strace's -a COLUMN"},
		{[]string{"--columns=40"}, "strace's -a COLUMN"},
		{[]string{"-k"}, "-k: strace's -k (stack traces) is not supported"},
		{[]string{"-X", "names"}, `-X "names": want abbrev, raw, verbose`},
		{[]string{"-A"}, "strace's -A"},
		{[]string{"-Z", "-z"}, "-z and -Z"},
		{[]string{"-S", "speed"}, `-S "speed"`},
		{[]string{"-e", "signal=SIGNOPE"}, "SIGNOPE"},
		{[]string{"-e", "status=great"}, "great"},
		{[]string{"-e", "quiet=loud"}, "loud"},
		{[]string{"-e", "raw=all"}, "raw="},
		{[]string{"-e", "inject=open"}, "inject"},
		{[]string{"-e", "decode-fds=dev"}, "decode-fds=dev"},
		{[]string{"-ff", "-o", "/tmp/never-written", "--json"}, "-ff"},
		{[]string{"-ff", "-o", "/tmp/never-written", "-c"}, "-ff"},
	}
	for _, tc := range tests {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			marker := filepath.Join(t.TempDir(), "ran")
			_, stderr, status := mmtrace(t, append(append([]string{"run"}, tc.args...), "--", "touch", marker)...)
			if status != 2 {
				t.Errorf("status %d, want 2\n%s", status, stderr)
			}
			if !strings.Contains(stderr, tc.msg) {
				t.Errorf("stderr does not say %q:\n%s", tc.msg, stderr)
			}
			if strings.Count(strings.TrimSpace(stderr), "\n") > 0 {
				t.Errorf("more than one line:\n%s", stderr)
			}
			if _, err := os.Stat(marker); err == nil {
				t.Errorf("the program ran")
			}
		})
	}
}

// TestFFFiles: -ff -o PREFIX leaves PREFIX.TID for each task, and
// nothing else: no PREFIX, no temporary file.
func TestFFFiles(t *testing.T) {
	dir := t.TempDir()
	prefix := filepath.Join(dir, "tr")
	_, stderr, status := mmtrace(t, "run", "-ff", "-o", prefix, "--", "sh", "-c", "(true); (true); exit 0")
	if status != 0 {
		t.Fatalf("status %d\n%s", status, stderr)
	}
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	name := regexp.MustCompile(`^tr\.(\d+)$`)
	if len(ents) < 3 {
		t.Errorf("%d files, want one for sh and each of its 2 children", len(ents))
	}
	for _, e := range ents {
		m := name.FindStringSubmatch(e.Name())
		if m == nil {
			t.Errorf("%s: not PREFIX.TID", e.Name())
			continue
		}
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		for _, l := range strings.Split(strings.TrimSpace(string(b)), "\n") {
			if !strings.HasPrefix(l, m[1]+" ") && !strings.HasPrefix(l, " ") {
				t.Errorf("%s holds another task's line: %s", e.Name(), l)
			}
		}
	}
}

// TestAttachQuiet attaches to a running program with -e quiet=attach and
// lets it go as Ctrl-C would: the trace is there, the "detached from"
// message is not (and is without the flag).
func TestAttachQuiet(t *testing.T) {
	bin := testutil.BuildC(t, testutil.Fixture("ticker.c"))
	for _, quiet := range []bool{true, false} {
		prog := exec.Command(bin)
		if err := prog.Start(); err != nil {
			t.Fatal(err)
		}
		defer func() { prog.Process.Kill(); prog.Wait() }()
		out := filepath.Join(t.TempDir(), "timeline")
		args := []string{"attach", strconv.Itoa(prog.Process.Pid), "-a", "-q", "-o", out}
		if quiet {
			args = append(args, "-e", "quiet=attach")
		}
		cmd := exec.Command(mmtraceBin, args...)
		var stderr strings.Builder
		cmd.Stderr = &stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		// Attached once the program is traced.
		deadline := time.Now().Add(20 * time.Second)
		for regexp.MustCompile(`TracerPid:\s+0\n`).MatchString(readStatus(prog.Process.Pid)) {
			if time.Now().After(deadline) {
				cmd.Process.Kill()
				cmd.Wait()
				t.Fatal("not attached in 20 s")
			}
			time.Sleep(10 * time.Millisecond)
		}
		// A few of its writes while traced (its write-call count in
		// /proc/PID/io), before the Ctrl-C: a loaded machine may not run
		// the program at once, and a detach no longer waits for its next
		// call.
		from, deadline := writeCalls(prog.Process.Pid), time.Now().Add(testutil.Patience(20*time.Second))
		for writeCalls(prog.Process.Pid) < from+3 && time.Now().Before(deadline) {
			time.Sleep(10 * time.Millisecond)
		}
		cmd.Process.Signal(syscall.SIGINT)
		if err := cmd.Wait(); err != nil {
			t.Fatalf("mmtrace: %v\n%s", err, stderr.String())
		}
		if got := strings.Contains(stderr.String(), "detached from"); got == quiet {
			t.Errorf("-e quiet=attach %v: stderr %q", quiet, stderr.String())
		}
		if b, err := os.ReadFile(out); err != nil || !strings.Contains(string(b), "write(1, \"tick") {
			t.Errorf("no trace: %v\n%s", err, b)
		}
	}
}

// writeCalls is the number of write calls pid has made (syscw in
// /proc/PID/io), or -1.
func writeCalls(pid int) int {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/io")
	if err != nil {
		return -1
	}
	m := regexp.MustCompile(`(?m)^syscw: (\d+)$`).FindSubmatch(b)
	if m == nil {
		return -1
	}
	n, _ := strconv.Atoi(string(m[1]))
	return n
}

func readStatus(pid int) string {
	b, _ := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/status")
	return string(b)
}
