package main

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/mmtrace/mmtrace/internal/testutil"
)

// TestAttachCommand runs mmtrace attach PID (and run -p PID) against a
// running program, interrupts it as Ctrl-C would, and checks the program
// runs on.
func TestAttachCommand(t *testing.T) {
	bin := testutil.BuildC(t, testutil.Fixture("ticker.c"))
	for _, args := range [][]string{{"attach"}, {"run", "-p"}} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			prog := exec.Command(bin)
			if err := prog.Start(); err != nil {
				t.Fatal(err)
			}
			defer func() { prog.Process.Kill(); prog.Wait() }()
			cmd := exec.Command(mmtraceBin, append(args, strconv.Itoa(prog.Process.Pid))...)
			stderr, err := cmd.StderrPipe()
			if err != nil {
				t.Fatal(err)
			}
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			seen, read := readLines(stderr, func(l string) bool { return strings.Contains(l, "munmap(") })
			select {
			case <-seen:
			case all := <-read:
				cmd.Wait()
				t.Fatalf("mmtrace ended before tracing a munmap:\n%s", strings.Join(all, "\n"))
			case <-time.After(20 * time.Second):
				cmd.Process.Kill()
				cmd.Wait()
				t.Fatal("no munmap traced in 20 s")
			}
			cmd.Process.Signal(syscall.SIGINT)
			// The last line, the detach message, is read before Wait:
			// Wait closes the pipe, and a line not read by then is lost.
			var all []string
			select {
			case all = <-read:
			case <-time.After(10 * time.Second):
				cmd.Process.Kill()
				cmd.Wait()
				t.Fatal("mmtrace did not detach after SIGINT")
			}
			if err := cmd.Wait(); err != nil {
				t.Fatalf("mmtrace %v: %v\n%s", args, err, strings.Join(all, "\n"))
			}
			if st := procStateOf(prog.Process.Pid); st == "" || st == "T" || st == "t" || st == "Z" {
				t.Fatalf("the program is in state %q after detach", st)
			}
			if !strings.Contains(strings.Join(all, "\n"), "detached from") {
				t.Errorf("no detach message:\n%s", strings.Join(all, "\n"))
			}
		})
	}
}

// readLines reads r's lines until its end: seen is ready once match has
// returned true for a line (match sees every line, in order, until then),
// and read gets every line at the end. A test takes read before it calls
// cmd.Wait, which closes the pipe: a last line not read by then would be
// lost (the detach message, once in a `go test -count=3 ./...`).
func readLines(r io.Reader, match func(string) bool) (seen <-chan struct{}, read <-chan []string) {
	s, all := make(chan struct{}), make(chan []string, 1)
	go func() {
		var lines []string
		found := false
		sc := bufio.NewScanner(r)
		for sc.Scan() {
			lines = append(lines, sc.Text())
			if !found && match(sc.Text()) {
				found = true
				close(s)
			}
		}
		all <- lines
	}()
	return s, all
}

func procStateOf(pid int) string {
	b, err := readFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return ""
	}
	i := strings.LastIndexByte(b, ')')
	if i < 0 || i+2 >= len(b) {
		return ""
	}
	return b[i+2 : i+3]
}

func readFile(p string) (string, error) {
	b, err := os.ReadFile(p)
	return string(b), err
}

// TestAttachRefused: attach to a process that cannot be traced says why,
// in one line, and exits 1 (the target was refused; 125 is for mmtrace's
// own failures). Before, every refusal guessed "is mmtrace itself being
// traced? container? yama" with exit 125.
func TestAttachRefused(t *testing.T) {
	// A process traced already: another mmtrace's tracee.
	other := exec.Command(mmtraceBin, "run", "-q", "-o", os.DevNull, "--", "sleep", "60")
	if err := other.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { other.Process.Signal(syscall.SIGINT); other.Wait() }()
	traced := tracedBy(t, other)[0]
	for procStateOf(traced) == "t" || !strings.Contains(mustRead(t, "/proc/"+strconv.Itoa(traced)+"/comm"), "sleep") {
		time.Sleep(10 * time.Millisecond) // until it runs sleep itself
	}

	tests := []struct {
		name string
		cmd  func() *exec.Cmd
		msg  string
	}{
		{"no such process", func() *exec.Cmd {
			return exec.Command(mmtraceBin, "attach", strconv.Itoa(unusedPid(t)))
		}, "no such process"},
		{"itself", func() *exec.Cmd {
			return exec.Command("sh", "-c", `exec "$0" attach $$`, mmtraceBin)
		}, "it is mmtrace itself"},
		{"itself, run -p", func() *exec.Cmd {
			return exec.Command("sh", "-c", `exec "$0" run -p $$`, mmtraceBin)
		}, "it is mmtrace itself"},
		{"kernel thread", func() *exec.Cmd {
			pid := kernelThread()
			if pid == 0 {
				t.Skip("no kernel thread visible (a PID namespace)")
			}
			return exec.Command(mmtraceBin, "attach", strconv.Itoa(pid))
		}, "it is a kernel thread ("},
		{"traced already", func() *exec.Cmd {
			return exec.Command(mmtraceBin, "attach", strconv.Itoa(traced))
		}, "it is already traced by " + strconv.Itoa(other.Process.Pid) + " (mmtrace)"},
		{"another user's", func() *exec.Cmd {
			if os.Getuid() != 0 {
				t.Skip("needs root, to run mmtrace as nobody")
			}
			cmd := exec.Command(publicCopy(t), "attach", strconv.Itoa(os.Getpid()))
			cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
			return cmd
		}, "it runs as root (uid 0) and mmtrace as"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cmd := tc.cmd()
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			err := cmd.Run()
			if _, ok := err.(*exec.ExitError); err != nil && !ok {
				t.Fatal(err)
			}
			if got := cmd.ProcessState.ExitCode(); got != exitFailed {
				t.Errorf("exit status %d, want %d", got, exitFailed)
			}
			msg := strings.TrimSpace(stderr.String())
			if !strings.HasPrefix(msg, "mmtrace: cannot trace ") || !strings.Contains(msg, tc.msg) || strings.Contains(msg, "\n") {
				t.Errorf("%v: status %d: want one line with %q, got:\n%s", cmd.Args, cmd.ProcessState.ExitCode(), tc.msg, msg)
			}
			if strings.Contains(msg, "being traced") || strings.Contains(msg, "container") {
				t.Errorf("the old guess is back:\n%s", msg)
			}
		})
	}
}

// unusedPid returns a process id that no process has now.
func unusedPid(t *testing.T) int {
	b, _ := os.ReadFile("/proc/sys/kernel/pid_max")
	max, err := strconv.Atoi(strings.TrimSpace(string(b)))
	if err != nil {
		max = 32768
	}
	for pid := max - 1; pid > max-1000; pid-- {
		if _, err := os.Stat("/proc/" + strconv.Itoa(pid)); os.IsNotExist(err) {
			return pid
		}
	}
	t.Skip("no unused pid found")
	return 0
}

// kernelThread returns a kernel thread's pid (kthreadd's, usually 2), or 0.
func kernelThread() int {
	ents, _ := os.ReadDir("/proc")
	for _, e := range ents {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		s, err := readFile("/proc/" + e.Name() + "/stat")
		i := strings.LastIndexByte(s, ')')
		if err != nil || i < 0 {
			continue
		}
		f := strings.Fields(s[i+1:])
		if len(f) > 6 {
			if flags, err := strconv.ParseUint(f[6], 10, 64); err == nil && flags&0x00200000 != 0 { // PF_KTHREAD
				return pid
			}
		}
	}
	return 0
}

// publicCopy returns the mmtrace binary at a path every user may run.
func publicCopy(t *testing.T) string {
	// Not t.TempDir: its parent is private to us.
	dir, err := os.MkdirTemp("", "mmtrace-public-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	if err := os.Chmod(dir, 0o755); err != nil {
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
	return bin
}

// TestAttachSeveral: -p given twice, once as a comma list naming a pid
// again, attaches to both processes (strace -p 1 -p 2, -p 1,2): each one's
// calls are traced, and Ctrl-C lets both go, running (issue 13, item 2).
func TestAttachSeveral(t *testing.T) {
	bin := testutil.BuildC(t, testutil.Fixture("ticker.c"))
	var pids []int
	for range 2 {
		prog := exec.Command(bin)
		if err := prog.Start(); err != nil {
			t.Fatal(err)
		}
		defer func() { prog.Process.Kill(); prog.Wait() }()
		pids = append(pids, prog.Process.Pid)
	}
	a, b := strconv.Itoa(pids[0]), strconv.Itoa(pids[1])
	cmd := exec.Command(mmtraceBin, "run", "-q", "-p", a+","+b, "-p", a)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	from := map[string]bool{} // the processes a munmap was seen from
	seen, read := readLines(stderr, func(l string) bool {
		if f := strings.Fields(l); len(f) > 2 && strings.HasPrefix(f[2], "munmap(") {
			from[f[0]] = true
		}
		return from[a] && from[b]
	})
	select {
	case <-seen:
	case all := <-read:
		cmd.Wait()
		t.Fatalf("mmtrace ended before both were traced:\n%s", strings.Join(all, "\n"))
	case <-time.After(20 * time.Second):
		cmd.Process.Kill()
		cmd.Wait()
		t.Fatal("no munmap of both processes traced in 20 s")
	}
	cmd.Process.Signal(syscall.SIGINT)
	var all []string
	select {
	case all = <-read:
	case <-time.After(10 * time.Second):
		cmd.Process.Kill()
		cmd.Wait()
		t.Fatal("mmtrace did not detach after SIGINT")
	}
	if err := cmd.Wait(); err != nil {
		t.Fatalf("mmtrace: %v\n%s", err, strings.Join(all, "\n"))
	}
	for _, pid := range pids {
		if st := procStateOf(pid); st == "" || st == "T" || st == "t" || st == "Z" {
			t.Errorf("process %d is in state %q after detach", pid, st)
		}
	}
	if want := "detached from " + a + " and " + b; !strings.Contains(strings.Join(all, "\n"), want) {
		t.Errorf("no %q:\n%s", want, strings.Join(all, "\n"))
	}
}

func TestParsePids(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want []int
		err  string
	}{
		{args: []string{"12"}, want: []int{12}},
		{args: []string{"12,34", "56"}, want: []int{12, 34, 56}},
		{args: []string{"12 34", "12"}, want: []int{12, 34}},
		{args: []string{"12,x"}, err: `"x" is not a process id`},
		{args: []string{"0"}, err: `"0" is not a process id`},
		{args: []string{"-5"}, err: `"-5" is not a process id`},
		{args: []string{","}, err: `"," is not a process id`},
	} {
		got, bad := parsePids(tc.args)
		if tc.err != "" {
			if bad == "" || fmt.Sprintf("%q is not a process id", bad) != tc.err {
				t.Errorf("%q: bad %q, want %s", tc.args, bad, tc.err)
			}
			continue
		}
		if bad != "" || !slices.Equal(got, tc.want) {
			t.Errorf("%q: %v %q, want %v", tc.args, got, bad, tc.want)
		}
	}
}

// TestAttachSeveralOneRefused: when one of the processes -p names cannot
// be traced, none is: mmtrace says which in one line, exits as for a
// refusal, and the process it had seized runs on, no longer traced (its
// TracerPid is 0 again) and not stopped.
func TestAttachSeveralOneRefused(t *testing.T) {
	bin := testutil.BuildC(t, testutil.Fixture("ticker.c"))
	prog := exec.Command(bin)
	if err := prog.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { prog.Process.Kill(); prog.Wait() }()
	pid, gone := prog.Process.Pid, unusedPid(t)
	cmd := exec.Command(mmtraceBin, "run", "-q", "-p", strconv.Itoa(pid)+","+strconv.Itoa(gone))
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	cmd.Run()
	msg := strings.TrimSpace(stderr.String())
	if cmd.ProcessState.ExitCode() != exitFailed || msg != "mmtrace: cannot trace "+strconv.Itoa(gone)+": no such process" {
		t.Errorf("exit %d, %q", cmd.ProcessState.ExitCode(), msg)
	}
	st := mustRead(t, "/proc/"+strconv.Itoa(pid)+"/status")
	if !strings.Contains(st, "\nTracerPid:\t0\n") {
		t.Errorf("the process is still traced:\n%s", st)
	}
	if s := procStateOf(pid); s == "" || s == "T" || s == "t" || s == "Z" {
		t.Errorf("the process is in state %q", s)
	}
}
