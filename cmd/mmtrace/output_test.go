package main

import (
	"bytes"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/mmtrace/mmtrace/internal/testutil"
)

// busyLoop makes shown calls (openat, close) without end, in one process.
var busyLoop = []string{"sh", "-c", "while :; do :> /dev/null; done"}

// hangGuard is how long a test lets mmtrace run before calling it a hang:
// far past anything expected, so that a loaded machine never fails it.
var hangGuard = testutil.Patience(60 * time.Second)

// waitFor waits for cmd, killing it (and failing) after hangGuard, and
// returns its exit status; a death by signal fails the test, as mmtrace
// must always exit on its own.
func waitFor(t *testing.T, cmd *exec.Cmd, what string) int {
	t.Helper()
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case <-done:
	case <-time.After(hangGuard):
		for _, pid := range descendants(cmd.Process.Pid) {
			syscall.Kill(pid, syscall.SIGKILL)
		}
		cmd.Process.Kill()
		<-done
		t.Fatalf("mmtrace did not end %s in %v", what, hangGuard)
	}
	if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		t.Errorf("mmtrace was killed by %v %s; want it to exit", ws.Signal(), what)
	}
	return cmd.ProcessState.ExitCode()
}

// tracedBy waits until mmtrace has a descendant and returns them all.
func tracedBy(t *testing.T, cmd *exec.Cmd) []int {
	t.Helper()
	deadline := time.Now().Add(hangGuard)
	for time.Now().Before(deadline) {
		if d := descendants(cmd.Process.Pid); len(d) > 0 {
			return d
		}
		time.Sleep(10 * time.Millisecond)
	}
	cmd.Process.Kill()
	t.Fatal("mmtrace started no tracee")
	return nil
}

// checkGone fails for every pid still alive, and kills it.
func checkGone(t *testing.T, pids []int) {
	t.Helper()
	for _, pid := range pids {
		deadline := time.Now().Add(5 * time.Second)
		for alive(pid) && time.Now().Before(deadline) {
			time.Sleep(10 * time.Millisecond)
		}
		if alive(pid) {
			t.Errorf("tracee %d (state %q) outlived mmtrace", pid, procStateOf(pid))
			syscall.Kill(pid, syscall.SIGKILL)
		}
	}
}

// checkRunsOn fails unless pid runs, untraced, after mmtrace let it go.
func checkRunsOn(t *testing.T, pid int) {
	t.Helper()
	if st := procStateOf(pid); st == "" || st == "T" || st == "t" || st == "Z" {
		t.Errorf("the attached program is in state %q after mmtrace ended", st)
	}
	status, _ := readFile("/proc/" + strconv.Itoa(pid) + "/status")
	if !strings.Contains(status, "TracerPid:\t0\n") {
		t.Errorf("the attached program is still traced:\n%s", status)
	}
}

// startBusy starts busyLoop untraced, for attach, and ends it with the test.
func startBusy(t *testing.T) int {
	t.Helper()
	target := exec.Command(busyLoop[0], busyLoop[1:]...)
	if err := target.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { target.Process.Kill(); target.Wait() })
	return target.Process.Pid
}

// TestClosedOutputEndsTrace: when the reader of the timeline goes away,
// mmtrace stops as strace does: it kills what it started, or detaches
// from what it attached to, and exits 141 (128+SIGPIPE). Before, -o opened
// the pipe read-write (mmtrace was a reader of its own output, so no EPIPE
// ever came) and the trace never ended; and a closed stderr killed mmtrace
// by SIGPIPE before it could clean up.
func TestClosedOutputEndsTrace(t *testing.T) {
	tests := []struct {
		name   string
		args   []string // "PID" is the attached program's
		stderr bool     // the timeline is stderr, not -o /dev/fd/3
		attach bool
		msg    string // in stderr, when it is not the pipe
	}{
		{name: "-o pipe, run", args: append([]string{"run", "-q", "-o", "/dev/fd/3", "--"}, busyLoop...), msg: "write /dev/fd/3: broken pipe (its reader is gone): stopped tracing; the traced processes were killed"},
		{name: "-o pipe, --json", args: append([]string{"run", "--json", "-o", "/dev/fd/3", "--"}, busyLoop...), msg: "broken pipe"},
		{name: "stderr pipe, run", args: append([]string{"run", "-q", "--"}, busyLoop...), stderr: true},
		{name: "-o pipe, attach", args: []string{"attach", "-q", "PID", "-o", "/dev/fd/3"}, attach: true, msg: "stopped tracing; detached, the processes run on"},
		{name: "-o pipe, run -p", args: []string{"run", "-q", "-o", "/dev/fd/3", "-p", "PID"}, attach: true, msg: "broken pipe"},
		{name: "stderr pipe, attach", args: []string{"attach", "-q", "PID"}, stderr: true, attach: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			target := 0
			if tc.attach {
				target = startBusy(t)
			}
			args := slicesReplace(tc.args, "PID", strconv.Itoa(target))
			r, w, err := os.Pipe()
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			cmd := exec.Command(mmtraceBin, args...)
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			if tc.stderr {
				cmd.Stderr = w
			} else {
				cmd.ExtraFiles = []*os.File{w}
			}
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			w.Close()
			var tracees []int
			if !tc.attach {
				tracees = tracedBy(t, cmd)
			}
			if _, err := io.ReadFull(r, make([]byte, 100)); err != nil {
				cmd.Process.Kill()
				t.Fatalf("reading the timeline: %v", err)
			}
			r.Close()
			closed := time.Now()
			status := waitFor(t, cmd, "after its output closed")
			t.Logf("mmtrace ended %v after the reader closed", time.Since(closed).Round(time.Millisecond))
			if status != 141 {
				t.Errorf("exit status %d, want 141\n%s", status, stderr.String())
			}
			if !strings.Contains(stderr.String(), tc.msg) {
				t.Errorf("stderr lacks %q:\n%s", tc.msg, stderr.String())
			}
			checkGone(t, tracees)
			if tc.attach {
				checkRunsOn(t, target)
			}
		})
	}
}

func slicesReplace(args []string, old, new string) []string {
	out := make([]string, len(args))
	for i, a := range args {
		if a == old {
			a = new
		}
		out[i] = a
	}
	return out
}

// TestClosedStderrScenario: a scenario whose stderr is closed stops, and
// its temporary directory goes with it (the scenario returns normally).
func TestClosedStderrScenario(t *testing.T) {
	tmp := t.TempDir()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	// Children that sleep 1, 2 and 5 s: the reader is gone long before.
	cmd := exec.Command(mmtraceBin, "waitpid", "--scale", "1")
	cmd.Env = append(os.Environ(), "TMPDIR="+tmp)
	cmd.Stderr = w
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	w.Close()
	tracees := tracedBy(t, cmd)
	if _, err := io.ReadFull(r, make([]byte, 100)); err != nil {
		cmd.Process.Kill()
		t.Fatal(err)
	}
	r.Close()
	if status := waitFor(t, cmd, "after its stderr closed"); status != 141 {
		t.Errorf("exit status %d, want 141", status)
	}
	checkGone(t, tracees)
	left, _ := filepath.Glob(filepath.Join(tmp, "*"))
	if len(left) > 0 {
		t.Errorf("left behind: %v", left)
	}
}

// TestOutputWriteError: a write that fails for another reason (a full
// disk, a file size limit) stops the trace too, exit 125, and a regular
// FILE is left as it was: the timeline went to a temporary file, removed.
func TestOutputWriteError(t *testing.T) {
	t.Run("/dev/full", func(t *testing.T) {
		cmd := exec.Command(mmtraceBin, append([]string{"run", "-q", "-o", "/dev/full", "--"}, busyLoop...)...)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		tracees := tracedBy(t, cmd)
		if status := waitFor(t, cmd, "writing to /dev/full"); status != exitInternal {
			t.Errorf("exit status %d, want %d", status, exitInternal)
		}
		if !strings.Contains(stderr.String(), "write /dev/full: no space left on device: stopped tracing") {
			t.Errorf("stderr:\n%s", stderr.String())
		}
		checkGone(t, tracees)
	})
	t.Run("file size limit", func(t *testing.T) {
		prlimit, err := exec.LookPath("prlimit")
		if err != nil {
			t.Skip("no prlimit")
		}
		dir := t.TempDir()
		keep := filepath.Join(dir, "keep.txt")
		if err := os.WriteFile(keep, []byte("precious\n"), 0o640); err != nil {
			t.Fatal(err)
		}
		// Go ignores SIGXFSZ: the write past the limit fails with EFBIG.
		cmd := exec.Command(prlimit, append([]string{"--fsize=20000", mmtraceBin, "run", "-q", "-o", keep, "--"}, busyLoop...)...)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		if status := waitFor(t, cmd, "past its file size limit"); status != exitInternal {
			t.Errorf("exit status %d, want %d\n%s", status, exitInternal, stderr.String())
		}
		if !strings.Contains(stderr.String(), "write "+keep+": file too large") {
			t.Errorf("stderr:\n%s", stderr.String())
		}
		checkUntouched(t, dir, keep, "precious\n")
	})
}

// checkUntouched fails unless file holds want and dir holds nothing else
// of mmtrace's.
func checkUntouched(t *testing.T, dir, file, want string) {
	t.Helper()
	if b, err := os.ReadFile(file); err != nil || string(b) != want {
		t.Errorf("%s now holds %q (%v), want %q", file, b, err, want)
	}
	ents, _ := os.ReadDir(dir)
	for _, e := range ents {
		if strings.Contains(e.Name(), ".mmtrace-") {
			t.Errorf("temporary file left: %s", e.Name())
		}
	}
}

// TestBlockedOutputInterrupt: Ctrl-C ends the trace even when the timeline
// is blocked on a reader that stopped reading (a pager, a full pipe):
// mmtrace exits 130 (128+SIGINT), having killed what it started, or let
// the attached program go. Before, the blocked write kept the tracer from
// ever seeing the tracees again, and mmtrace never ended.
func TestBlockedOutputInterrupt(t *testing.T) {
	tests := []struct {
		name   string
		args   []string
		stderr bool
		attach bool
		msg    string
		sig    syscall.Signal // SIGINT if 0
		// socket: stderr is a socket, which mmtrace cannot reopen: the
		// write cannot be abandoned, so mmtrace leaves it blocked.
		socket bool
	}{
		{name: "-o pipe, run", args: append([]string{"run", "-q", "-o", "/dev/fd/3", "--"}, busyLoop...), msg: "-o /dev/fd/3: the output was not being read; gave up on it after SIGINT"},
		{name: "-o pipe, run, SIGTERM", args: append([]string{"run", "-q", "-o", "/dev/fd/3", "--"}, busyLoop...), msg: "gave up on it after SIGTERM", sig: syscall.SIGTERM},
		{name: "stderr pipe, run", args: append([]string{"run", "-q", "--"}, busyLoop...), stderr: true},
		{name: "stderr socket, run", args: append([]string{"run", "-q", "--"}, busyLoop...), stderr: true, socket: true},
		{name: "stderr socket, attach", args: []string{"attach", "-q", "PID"}, stderr: true, socket: true, attach: true},
		{name: "-o pipe, attach", args: []string{"attach", "-q", "PID", "-o", "/dev/fd/3"}, attach: true, msg: "detached, the processes run on"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			target := 0
			if tc.attach {
				target = startBusy(t)
			}
			r, w, err := os.Pipe()
			if tc.socket {
				r, w, err = socketPair()
			}
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			cmd := exec.Command(mmtraceBin, slicesReplace(tc.args, "PID", strconv.Itoa(target))...)
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			if tc.stderr {
				cmd.Stderr = w
			} else {
				cmd.ExtraFiles = []*os.File{w}
			}
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			w.Close()
			var tracees []int
			if !tc.attach {
				tracees = tracedBy(t, cmd)
			}
			// Never read: wait until the pipe is full, and mmtrace blocked
			// (what the pipe holds stays the same for half a second, longer
			// where everything is slower: under emulation a tracer not yet
			// blocked could leave it so for that long).
			deadline := time.Now().Add(hangGuard)
			for last := -1; ; {
				n, err := unix.IoctlGetInt(int(r.Fd()), unix.TIOCINQ) // FIONREAD
				if err != nil {
					t.Fatal(err)
				}
				if n >= 32<<10 && n == last || tc.socket && n > 0 && n == last {
					break
				}
				if time.Now().After(deadline) {
					cmd.Process.Kill()
					t.Fatalf("the pipe holds %d bytes after %v", n, hangGuard)
				}
				last = n
				time.Sleep(testutil.Patience(500 * time.Millisecond))
			}
			sig := tc.sig
			if sig == 0 {
				sig = syscall.SIGINT
			}
			cmd.Process.Signal(sig)
			if status := waitFor(t, cmd, "after "+unix.SignalName(sig)+" with its output blocked"); status != 128+int(sig) {
				t.Errorf("exit status %d, want %d\n%s", status, 128+int(sig), stderr.String())
			}
			if !strings.Contains(stderr.String(), tc.msg) {
				t.Errorf("stderr lacks %q:\n%s", tc.msg, stderr.String())
			}
			checkGone(t, tracees)
			if tc.attach {
				checkRunsOn(t, target)
			}
		})
	}
}

// socketPair returns the two ends of a Unix stream socket, as files.
func socketPair() (*os.File, *os.File, error) {
	fds, err := unix.Socketpair(unix.AF_UNIX, unix.SOCK_STREAM|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		return nil, nil, err
	}
	return os.NewFile(uintptr(fds[0]), "socket"), os.NewFile(uintptr(fds[1]), "socket"), nil
}

// TestOutputFilesWholeOrUntouched: an output FILE is replaced only by a
// complete one. A usage error found after the outputs were opened used to
// leave -o FILE truncated.
func TestOutputFilesWholeOrUntouched(t *testing.T) {
	t.Run("failed run leaves FILE", func(t *testing.T) {
		dir := t.TempDir()
		keep, pic := filepath.Join(dir, "keep.txt"), filepath.Join(dir, "keep.svg")
		page := filepath.Join(dir, "keep.html")
		for _, f := range []string{keep, pic, page} {
			if err := os.WriteFile(f, []byte("precious\n"), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		_, stderr, status := mmtrace(t, "run", "-o", keep, "--svg", pic, "--html", page, "--color=sometimes", "--", "true")
		if status != exitUsage {
			t.Errorf("status %d, want %d\n%s", status, exitUsage, stderr)
		}
		checkUntouched(t, dir, keep, "precious\n")
		checkUntouched(t, dir, pic, "precious\n")
		checkUntouched(t, dir, page, "precious\n")
	})
	t.Run("replaced whole, mode and link kept", func(t *testing.T) {
		dir := t.TempDir()
		file, link := filepath.Join(dir, "timeline.txt"), filepath.Join(dir, "link.txt")
		if err := os.WriteFile(file, []byte("old\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink("timeline.txt", link); err != nil {
			t.Fatal(err)
		}
		_, stderr, status := mmtrace(t, "run", "-q", "-o", link, "--", "true")
		if status != 0 {
			t.Fatalf("status %d\n%s", status, stderr)
		}
		if b, _ := os.ReadFile(file); !strings.Contains(string(b), "+++ exited with 0 +++") {
			t.Errorf("the link's target holds:\n%s", b)
		}
		if st, err := os.Lstat(link); err != nil || st.Mode()&os.ModeSymlink == 0 {
			t.Errorf("the link was replaced: %v %v", st.Mode(), err)
		}
		if st, err := os.Stat(file); err != nil || st.Mode().Perm() != 0o600 {
			t.Errorf("mode %v, want 0600 (%v)", st.Mode().Perm(), err)
		}
		checkUntouched(t, dir, file, mustRead(t, file))
	})
	t.Run("a new file gets 0666 less the umask", func(t *testing.T) {
		file := filepath.Join(t.TempDir(), "new.txt")
		cmd := exec.Command("sh", "-c", `umask 027 && exec "$0" run -q -o "$1" -- true`, mmtraceBin, file)
		if b, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("%v\n%s", err, b)
		}
		if st, err := os.Stat(file); err != nil || st.Mode().Perm() != 0o640 {
			t.Errorf("mode %v, want 0640 (%v)", st.Mode().Perm(), err)
		}
	})
	t.Run("-o stdout, redirected to a file", func(t *testing.T) {
		// The shell's >out: the program writes its own output there too;
		// replacing the file, or writing it from offset 0, would lose it.
		out := filepath.Join(t.TempDir(), "out")
		f, err := os.Create(out)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		cmd := exec.Command(mmtraceBin, "run", "-q", "-o", "/dev/stdout", "--", "sh", "-c", "echo own-output")
		cmd.Stdout = f
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		if err := cmd.Run(); err != nil {
			t.Fatalf("%v\n%s", err, stderr.String())
		}
		// Both whole, in whatever order they came: the program's line,
		// and timeline lines, none cut into by the other.
		got := mustRead(t, out)
		own := 0
		line := regexp.MustCompile(`^\d+ +\d+\.\d{6} \S`)
		for _, l := range strings.Split(strings.TrimSuffix(got, "\n"), "\n") {
			switch {
			case l == "own-output":
				own++
			case !line.MatchString(l):
				t.Errorf("a damaged line: %q", l)
			}
		}
		if own != 1 || !strings.Contains(got, "+++ exited with 0 +++") {
			t.Errorf("out holds:\n%s", got)
		}
	})
}

func mustRead(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestSameOutputTwice: two outputs to one file are refused before anything
// is written (-o a.svg --svg a.svg exited 0 and lost the timeline), through
// links too; character devices may take several.
func TestSameOutputTwice(t *testing.T) {
	dir := t.TempDir()
	a := filepath.Join(dir, "a.svg")
	if err := os.WriteFile(a, []byte("precious\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	hard, soft := filepath.Join(dir, "hard.svg"), filepath.Join(dir, "soft.svg")
	if err := os.Link(a, hard); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("a.svg", soft); err != nil {
		t.Fatal(err)
	}
	fresh := filepath.Join(dir, "fresh.json")
	tests := []struct {
		name string
		args []string
		ok   bool
	}{
		{"same path", []string{"-o", a, "--svg", a}, false},
		{"same path, spelt differently", []string{"-o", a, "--svg", filepath.Join(dir, ".", "a.svg")}, false},
		{"hard link", []string{"--svg", a, "--perfetto", hard}, false},
		{"symbolic link", []string{"-o", soft, "--svg", a}, false},
		{"a new file twice", []string{"-o", fresh, "--perfetto", fresh}, false},
		{"the page and the picture", []string{"--html", a, "--svg", hard}, false},
		{"/dev/null twice", []string{"-o", "/dev/null", "--svg", "/dev/null"}, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, stderr, status := mmtrace(t, append(append([]string{"run", "-q"}, tc.args...), "--", "true")...)
			if tc.ok {
				if status != 0 {
					t.Errorf("status %d\n%s", status, stderr)
				}
				return
			}
			if status != exitUsage || !strings.Contains(stderr, "are the same file") {
				t.Errorf("status %d, want %d and a refusal:\n%s", status, exitUsage, stderr)
			}
			checkUntouched(t, dir, a, "precious\n")
			if _, err := os.Stat(fresh); err == nil {
				t.Errorf("%s was created", fresh)
			}
		})
	}
}
