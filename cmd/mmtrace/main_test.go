package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/mmtrace/mmtrace/internal/testutil"
)

// mmtraceBin is the command built once for the tests that need a real
// process (signals, exit statuses as the shell sees them).
var mmtraceBin string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "mmtrace-cmd-test")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	mmtraceBin = filepath.Join(dir, "mmtrace")
	// MMTRACE_BIN names a command built beforehand: .ci/arm64's guest has
	// no go to build one.
	if bin := os.Getenv("MMTRACE_BIN"); bin != "" {
		mmtraceBin = bin
	} else if b, err := exec.Command("go", "build", "-o", mmtraceBin, ".").CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "go build: %v\n%s", err, b)
		os.RemoveAll(dir)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// mmtrace runs the built command and returns its stdout, stderr and exit
// status.
func mmtrace(t *testing.T, args ...string) (string, string, int) {
	t.Helper()
	cmd := exec.Command(mmtraceBin, args...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	if err != nil {
		if _, ok := err.(*exec.ExitError); !ok {
			t.Fatal(err)
		}
	}
	return stdout.String(), stderr.String(), cmd.ProcessState.ExitCode()
}

func TestRunExitStatus(t *testing.T) {
	notExec := filepath.Join(t.TempDir(), "plain.txt")
	if err := os.WriteFile(notExec, []byte("echo hi\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		args    []string
		status  int
		stderr  string // a substring of mmtrace's own message
		noPanic bool
	}{
		{"success", []string{"run", "--", "true"}, 0, "+++ exited with 0 +++", true},
		{"program's status", []string{"run", "--", "sh", "-c", "exit 7"}, 7, "+++ exited with 7 +++", true},
		{"killed by a signal", []string{"run", "--", "sh", "-c", "kill -TERM $$"}, 128 + 15, "+++ killed by SIGTERM +++", true},
		{"missing command", []string{"run", "--", "no-such-command-mmtrace"}, 127, "mmtrace: no-such-command-mmtrace: command not found", true},
		{"not executable", []string{"run", "--", notExec}, 126, "permission denied", true},
		{"a directory", []string{"run", "--", t.TempDir()}, 126, "", true},
		{"no command", []string{"run"}, 2, "mmtrace: run: no command to trace", true},
		{"bad filter", []string{"run", "-e", "trace=mmapp", "--", "true"}, 2, "mmapp", true},
		{"bad flag", []string{"run", "--nope", "--", "true"}, 2, "unknown flag", true},
		{"negative -s", []string{"run", "-s", "-1", "--", "true"}, 2, "-s -1", true},
		{"empty -e trace=", []string{"run", "-e", "trace=", "--", "true"}, 2, `mmtrace: -e: empty trace expression ""`, true},
		{"empty -e", []string{"run", "-e", "", "--", "true"}, 2, `mmtrace: -e: empty trace expression ""`, true},
		{"empty -e trace=!", []string{"run", "-e", "trace=!", "--", "true"}, 2, `mmtrace: -e: empty trace expression "!"`, true},
		{"unknown subcommand", []string{"frobnicate"}, 2, `unknown command "frobnicate"`, true},
		{"misspelt copy", []string{"copi"}, 2, `unknown command "copi" (did you mean copy?)`, true},
		{"misspelt run", []string{"rn", "--", "true"}, 2, `unknown command "rn" (did you mean run?)`, true},
		{"misspelt attach", []string{"atach", "1"}, 2, `unknown command "atach" (did you mean attach?)`, true},
		{"misspelt write", []string{"wirte"}, 2, `unknown command "wirte" (did you mean write?)`, true},
		{"misspelt help topic", []string{"help", "atach"}, 2, `help: no topic "atach" (did you mean attach?)`, true},
		{"a scenario's prefix", []string{"fork"}, 2, `unknown command "fork" (did you mean fork-private or fork-shared?)`, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, stderr, status := mmtrace(t, tc.args...)
			if status != tc.status {
				t.Errorf("status %d, want %d\n%s", status, tc.status, stderr)
			}
			if !strings.Contains(stderr, tc.stderr) {
				t.Errorf("stderr lacks %q:\n%s", tc.stderr, stderr)
			}
			if strings.Contains(stderr, "panic") || strings.Contains(stderr, "goroutine ") {
				t.Errorf("stderr shows a Go panic:\n%s", stderr)
			}
		})
	}
}

func TestRunKeepsTheCommandsFlags(t *testing.T) {
	// -c must reach sh, not mmtrace: run stops parsing at the command.
	stdout, stderr, status := mmtrace(t, "run", "sh", "-c", "echo own-output")
	if status != 0 || stdout != "own-output\n" {
		t.Fatalf("status %d stdout %q\n%s", status, stdout, stderr)
	}
	if strings.Contains(stderr, "\nown-output\n") || strings.HasPrefix(stderr, "own-output\n") {
		t.Errorf("the program's output went into the timeline:\n%s", stderr)
	}
}

func TestRunOutputFile(t *testing.T) {
	out := filepath.Join(t.TempDir(), "timeline.txt")
	_, stderr, status := mmtrace(t, "run", "-o", out, "-e", "trace=openat", "--", "cat", "/dev/null")
	if status != 0 {
		t.Fatalf("status %d\n%s", status, stderr)
	}
	if stderr != "" {
		t.Errorf("with -o, stderr should be empty, got:\n%s", stderr)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), `openat(AT_FDCWD, "/dev/null", O_RDONLY) = 3`) {
		t.Errorf("timeline file lacks the openat of /dev/null:\n%s", b)
	}
	if strings.Contains(string(b), "execve(") {
		t.Errorf("-e trace=openat let execve through:\n%s", b)
	}
}

// descendants lists the processes below pid, from /proc's children lists.
func descendants(pid int) []int {
	var out []int
	tasks, _ := filepath.Glob(fmt.Sprintf("/proc/%d/task/*/children", pid))
	for _, f := range tasks {
		b, _ := os.ReadFile(f)
		for _, s := range strings.Fields(string(b)) {
			if c, err := strconv.Atoi(s); err == nil {
				out = append(out, c)
				out = append(out, descendants(c)...)
			}
		}
	}
	return out
}

// alive says whether pid exists and is not a zombie.
func alive(pid int) bool {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return false
	}
	s := string(b)
	i := strings.LastIndexByte(s, ')')
	return i < 0 || i+2 >= len(s) || s[i+2] != 'Z'
}

// TestKilledMmtraceLeavesNoTracee kills mmtrace with SIGKILL while it traces
// a shell with two children: the kernel must kill all three.
func TestKilledMmtraceLeavesNoTracee(t *testing.T) {
	out := filepath.Join(t.TempDir(), "timeline.txt")
	cmd := exec.Command(mmtraceBin, "run", "-o", out, "--", "sh", "-c", "sleep 60 & sleep 60 & wait")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var tracees []int
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		tracees = descendants(cmd.Process.Pid)
		if len(tracees) >= 3 {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if len(tracees) < 3 {
		cmd.Process.Kill()
		cmd.Wait()
		t.Fatalf("found %d tracees under mmtrace, want sh and two sleeps", len(tracees))
	}
	cmd.Process.Signal(syscall.SIGKILL)
	cmd.Wait()
	deadline = time.Now().Add(5 * time.Second)
	for _, pid := range tracees {
		for alive(pid) && time.Now().Before(deadline) {
			time.Sleep(20 * time.Millisecond)
		}
		if alive(pid) {
			syscall.Kill(pid, syscall.SIGKILL)
			t.Errorf("tracee %d outlived the killed mmtrace", pid)
		}
	}
}

// TestInterruptEndsTrace sends SIGINT to mmtrace, as Ctrl-C would: the
// traced program gets it, and mmtrace exits with 128+SIGINT.
func TestInterruptEndsTrace(t *testing.T) {
	out := filepath.Join(t.TempDir(), "timeline.txt")
	cmd := exec.Command(mmtraceBin, "run", "-o", out, "--", "sleep", "60")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for len(descendants(cmd.Process.Pid)) == 0 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	tracees := descendants(cmd.Process.Pid)
	time.Sleep(100 * time.Millisecond) // let sleep reach its nanosleep
	cmd.Process.Signal(syscall.SIGINT)
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		cmd.Process.Kill()
		<-done
		t.Fatal("mmtrace did not exit after SIGINT")
	}
	if got := cmd.ProcessState.ExitCode(); got != 128+int(syscall.SIGINT) {
		t.Errorf("exit status %d, want %d", got, 128+int(syscall.SIGINT))
	}
	for _, pid := range tracees {
		if alive(pid) {
			syscall.Kill(pid, syscall.SIGKILL)
			t.Errorf("tracee %d outlived mmtrace", pid)
		}
	}
	b, _ := os.ReadFile(out)
	if !strings.Contains(string(b), "+++ killed by SIGINT +++") {
		t.Errorf("timeline does not show the SIGINT death:\n%s", b)
	}
}

// TestPtraceRefused provokes the kernel's refusal: a process that strace
// -f traces cannot trace its own child, which strace took first. mmtrace
// must say so in one line, exit 125, and leave no child behind.
func TestPtraceRefused(t *testing.T) {
	strace, err := exec.LookPath("strace")
	if err != nil {
		t.Skip("strace not installed")
	}
	out := filepath.Join(t.TempDir(), "strace.txt")
	cmd := exec.Command(strace, "-f", "-o", out, mmtraceBin, "run", "--", "sleep", "30")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	done := make(chan error, 1)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { done <- cmd.Wait() }()
	select {
	case <-done:
	case <-time.After(testutil.Patience(20 * time.Second)):
		cmd.Process.Kill()
		t.Fatal("mmtrace did not give up")
	}
	if got := cmd.ProcessState.ExitCode(); got != 125 {
		t.Errorf("exit status %d, want 125\n%s", got, stderr.String())
	}
	msg := strings.TrimSpace(stderr.String())
	if !strings.Contains(msg, "not permitted") || strings.Contains(msg, "\n") {
		t.Errorf("want one line saying tracing is not permitted, got:\n%s", msg)
	}
	// The reason, not a list of guesses.
	if !strings.Contains(msg, "mmtrace is itself traced by ") || !strings.Contains(msg, "(strace), which took mmtrace's child first") || strings.Contains(msg, "container") {
		t.Errorf("want the reason, strace, got:\n%s", msg)
	}
	// The child was killed and reaped: no sleep 30 is left.
	b, _ := os.ReadFile(out)
	if !strings.Contains(string(b), "+++ killed by SIGKILL +++") {
		t.Errorf("the child was not killed:\n%s", b)
	}
}

// TestRuntimeFailureStatus pins what the README says of Go's runtime
// failing: under an address-space limit too small for it, mmtrace exits
// with 2 and the runtime's own "fatal error:", never an "mmtrace:" line.
// (mmtrace cannot change this: the runtime exits before main runs.)
func TestRuntimeFailureStatus(t *testing.T) {
	prlimit, err := exec.LookPath("prlimit")
	if err != nil {
		t.Skip("no prlimit")
	}
	cmd := exec.Command(prlimit, "--as=67108864", mmtraceBin, "version")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	err = cmd.Run()
	if _, ok := err.(*exec.ExitError); err != nil && !ok {
		t.Fatal(err)
	}
	if got := cmd.ProcessState.ExitCode(); got != exitUsage {
		t.Errorf("exit status %d, want %d\n%s", got, exitUsage, stderr.String())
	}
	if !strings.HasPrefix(stderr.String(), "fatal error:") && !strings.HasPrefix(stderr.String(), "runtime:") {
		t.Errorf("stderr does not start with the runtime's message:\n%.300s", stderr.String())
	}
}
