package main

import (
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// TestRunAsUser: -u nobody runs the program as nobody (the kernel says so:
// id -u prints nobody's uid, id -G its groups only), and the change of
// user is not in the timeline, which starts at the program's execve,
// whether the calls stop through the seccomp filter or at every call
// (issue 13, item 2).
func TestRunAsUser(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("-u needs root")
	}
	nobody, err := user.Lookup("nobody")
	if err != nil {
		t.Skipf("no user nobody: %v", err)
	}
	groups, err := nobody.GroupIds()
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(groups)
	for _, seccomp := range []string{"--seccomp=true", "--seccomp=false"} {
		t.Run(seccomp, func(t *testing.T) {
			for _, tc := range []struct {
				flag string
				want string
			}{
				{"-u", nobody.Uid},
				{"-g", nobody.Gid},
				{"-G", strings.Join(groups, " ")},
			} {
				cmd := exec.Command(mmtraceBin, "run", "-q", seccomp, "-e", "trace=execve,setuid,setresuid,setgroups", "-u", "nobody", "--", "id", tc.flag)
				var stderr strings.Builder
				cmd.Stderr = &stderr
				out, err := cmd.Output()
				if err != nil {
					t.Fatalf("id %s: %v\n%s", tc.flag, err, stderr.String())
				}
				if got := strings.Join(sorted(strings.Fields(string(out))), " "); got != tc.want {
					t.Errorf("id %s printed %q, want %q", tc.flag, got, tc.want)
				}
				lines := strings.Split(strings.TrimSpace(stderr.String()), "\n")
				if len(lines) != 2 || !strings.Contains(lines[0], `execve("`) || !strings.Contains(lines[1], "+++ exited with 0 +++") {
					t.Errorf("the timeline is not the program's execve and exit:\n%s", stderr.String())
				}
			}
		})
	}
	// A user that does not exist: refused before anything starts.
	cmd := exec.Command(mmtraceBin, "run", "-u", "no-such-user-mmtrace", "--", "true")
	out, err := cmd.CombinedOutput()
	if cmd.ProcessState.ExitCode() != 2 || strings.TrimSpace(string(out)) != `mmtrace: run: -u: no user "no-such-user-mmtrace"` {
		t.Errorf("unknown user: exit %d (%v), %q", cmd.ProcessState.ExitCode(), err, out)
	}
}

func sorted(s []string) []string { slices.Sort(s); return s }

// TestRunEnv: -E VAR=VAL sets a variable of the program's environment,
// -E VAR removes one, in order, as strace -E does (issue 13, item 2).
func TestRunEnv(t *testing.T) {
	cmd := exec.Command(mmtraceBin, "run", "-q", "-o", os.DevNull, "-E", "FOO", "-E", "BAZ=3", "-E", "BAR=x", "-E", "QUX=1", "-E", "QUX",
		"--", "sh", "-c", `echo "${FOO-unset}|$BAR|$BAZ|${QUX-unset}"`)
	cmd.Env = append(os.Environ(), "FOO=1", "BAR=2")
	out, err := cmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	if got, want := strings.TrimSpace(string(out)), "unset|x|3|unset"; got != want {
		t.Errorf("the program saw %q, want %q", got, want)
	}
}

func TestEnviron(t *testing.T) {
	env := []string{"A=1", "B=2", "C=3"}
	for _, tc := range []struct {
		flags []string
		want  []string
		err   bool
	}{
		{nil, env, false},
		{[]string{"B"}, []string{"A=1", "C=3"}, false},
		{[]string{"B=9"}, []string{"A=1", "C=3", "B=9"}, false},
		{[]string{"D=4", "A"}, []string{"B=2", "C=3", "D=4"}, false},
		{[]string{"E="}, []string{"A=1", "B=2", "C=3", "E="}, false},
		{[]string{"NONE"}, env, false},
		{[]string{"=x"}, nil, true},
	} {
		f := runFlags{env: tc.flags}
		got, err := f.environ(slices.Clone(env))
		if (err != nil) != tc.err || !slices.Equal(got, tc.want) {
			t.Errorf("-E %q: %q %v, want %q", tc.flags, got, err, tc.want)
		}
	}
}

// TestDetachOnExecFlag: run -b execve prints what strace -b execve prints
// for a shell that runs another (its second execve ends "<detached
// ...>"), and the program's own output and status are untouched; any
// other call is refused, as strace refuses it (issue 13, item 2).
func TestDetachOnExecFlag(t *testing.T) {
	script := `sh -c "exit 3"; echo $?`
	dir := t.TempDir()
	out := filepath.Join(dir, "mmtrace.txt")
	cmd := exec.Command(mmtraceBin, "run", "-q", "-b", "execve", "-e", "trace=execve,exit_group", "-o", out, "--", "sh", "-c", script)
	got, err := cmd.Output()
	if err != nil || string(got) != "3\n" {
		t.Fatalf("the program printed %q (%v), want 3", got, err)
	}
	mm := detachLines(t, out, true)
	if len(mm) != 5 || !strings.HasSuffix(mm[1], "<detached ...>") || !strings.Contains(mm[2], "si_status=3") {
		t.Errorf("want the start, the detached execve, the SIGCHLD of its exit 3, exit_group and the exit:\n%s", strings.Join(mm, "\n"))
	}
	if strace, err := exec.LookPath("strace"); err == nil {
		sout := filepath.Join(dir, "strace.txt")
		if b, err := exec.Command(strace, "-f", "-qq", "-b", "execve", "-e", "trace=execve,exit_group", "-o", sout, "sh", "-c", script).CombinedOutput(); err != nil {
			t.Logf("strace cannot run here: %v\n%s", err, b)
		} else if st := detachLines(t, sout, false); !slices.Equal(st, mm[:len(mm)-1]) {
			// strace -qq prints no "+++ exited" line.
			t.Errorf("differs from strace -b execve:\nstrace:  %q\nmmtrace: %q", st, mm)
		}
	}
	cmd = exec.Command(mmtraceBin, "run", "-b", "open", "--", "true")
	b, _ := cmd.CombinedOutput()
	if cmd.ProcessState.ExitCode() != 2 || !strings.Contains(string(b), "only -b execve") {
		t.Errorf("-b open: exit %d, %q", cmd.ProcessState.ExitCode(), b)
	}
}

var (
	detachHead  = regexp.MustCompile(`^\d+\s+(?:[0-9.]+ )?`)
	detachAddr  = regexp.MustCompile(`0x[0-9a-f]+`)
	detachPid   = regexp.MustCompile(`si_pid=\d+`)
	detachTimes = regexp.MustCompile(`(si_[us]time)=\d+( /\* [\d.]+ s \*/)?`)
	detachAlign = regexp.MustCompile(`\)\s+= `)
)

// detachLines reads a timeline file without the pids, times, addresses
// and alignment.
func detachLines(t *testing.T, name string, mmtrace bool) []string {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	for _, l := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		l = detachHead.ReplaceAllString(l, "")
		l = detachAddr.ReplaceAllString(l, "ADDR")
		l = detachPid.ReplaceAllString(l, "si_pid=PID")
		// The child's CPU times: 0 here, 2 or 9 clock ticks in the
		// emulated arm64 guest, never the same twice.
		l = detachTimes.ReplaceAllString(l, "$1=T")
		lines = append(lines, detachAlign.ReplaceAllString(l, ") = "))
	}
	return lines
}

// TestFollowThreads: --follow threads traces the program and not the
// processes it starts: a shell's child's execve is not in the timeline,
// the shell's own calls are, and the child's output and status are
// untouched; following all (the default), the child's execve is there
// (issue 13, item 4).
func TestFollowThreads(t *testing.T) {
	for _, tc := range []struct {
		follow string
		execs  int
	}{
		{"threads", 1},
		{"all", 2},
	} {
		t.Run(tc.follow, func(t *testing.T) {
			cmd := exec.Command(mmtraceBin, "run", "-q", "--follow", tc.follow, "-e", "trace=execve,wait4", "--", "sh", "-c", `sh -c "echo child; exit 3"; echo $?`)
			var stderr strings.Builder
			cmd.Stderr = &stderr
			out, err := cmd.Output()
			if err != nil || string(out) != "child\n3\n" {
				t.Fatalf("the program printed %q (%v)\n%s", out, err, stderr.String())
			}
			if n := strings.Count(stderr.String(), "execve("); n != tc.execs {
				t.Errorf("%d execve lines, want %d\n%s", n, tc.execs, stderr.String())
			}
			if !strings.Contains(stderr.String(), "WEXITSTATUS(s) == 3}") {
				t.Errorf("the shell's wait4 for its child is not traced\n%s", stderr.String())
			}
		})
	}
	cmd := exec.Command(mmtraceBin, "run", "--follow", "forks", "--", "true")
	b, _ := cmd.CombinedOutput()
	if cmd.ProcessState.ExitCode() != 2 || !strings.Contains(string(b), "give all or threads") {
		t.Errorf("--follow forks: exit %d, %q", cmd.ProcessState.ExitCode(), b)
	}
}
