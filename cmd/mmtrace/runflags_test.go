package main

import (
	"os"
	"os/exec"
	"os/user"
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
