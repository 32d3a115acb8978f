package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/creack/pty"
)

// timelineLine is one line of a timeline as strace prints it: pid, time,
// the rest.
var timelineLine = regexp.MustCompile(`^(\d+) +\d+\.\d{6} (.*)$`)

// order finds lines of a timeline: the index of the first line of pid
// whose text matches re at or after from, or -1.
type order []string

func (o order) find(from int, pid, re string) int {
	r := regexp.MustCompile(re)
	for i := max(from, 0); i < len(o); i++ {
		m := timelineLine.FindStringSubmatch(o[i])
		if m != nil && (pid == "" || m[1] == pid) && r.MatchString(m[2]) {
			return i
		}
	}
	return -1
}

// pidOf returns the first group of re in the first line matching it.
func (o order) pidOf(t *testing.T, re string) string {
	t.Helper()
	r := regexp.MustCompile(re)
	for _, l := range o {
		if m := r.FindStringSubmatch(l); m != nil {
			return m[1]
		}
	}
	t.Fatalf("no line matches %s:\n%s", re, strings.Join(o, "\n"))
	return ""
}

// before checks that each index is found and comes before the next.
func before(t *testing.T, o order, what string, idx ...int) {
	t.Helper()
	for i, n := range idx {
		if n < 0 {
			t.Errorf("%s: line %d of %d not found:\n%s", what, i+1, len(idx), strings.Join(o, "\n"))
			return
		}
		if i > 0 && idx[i-1] >= n {
			t.Errorf("%s: out of order (lines %v):\n%s", what, idx, strings.Join(o, "\n"))
			return
		}
	}
}

// timelineTo runs a scenario with the timeline on a terminal 100 columns
// wide, or in a file, and returns its lines.
func timelineTo(t *testing.T, terminal bool, args ...string) order {
	t.Helper()
	env := []string{"PATH=/usr/bin:/bin", "LANG=C", "TERM=xterm", "HOME=" + t.TempDir(), "NO_COLOR=1"}
	if terminal {
		var stdout bytes.Buffer
		lines := onTerminal(t, 100, env, &stdout, args...)
		if stdout.Len() > 0 {
			t.Errorf("the scenario wrote to stdout, past the timeline:\n%s", stdout.String())
		}
		return lines
	}
	cmd := exec.Command(mmtraceBin, args...)
	cmd.Env = env
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("mmtrace %v: %v\n%s", args, err, stderr.String())
	}
	if stdout.Len() > 0 {
		t.Errorf("the scenario wrote to stdout, past the timeline:\n%s", stdout.String())
	}
	return strings.Split(strings.TrimRight(stderr.String(), "\n"), "\n")
}

// TestScenarioLinesInOrder: what a scenario's processes print is in the
// timeline where they printed it, on a terminal and in a file: in
// fork-shared the child's line after its fork and before its exit, the
// parent's after wait4 returned the child and before munmap, the report
// after the last process's exit; in copy each child's line after the fork
// that made it and before its exit.
func TestScenarioLinesInOrder(t *testing.T) {
	if testing.Short() {
		t.Skip("traces scenarios")
	}
	src := filepath.Join(t.TempDir(), "src.bin")
	if err := os.WriteFile(src, bytes.Repeat([]byte("mmap!"), 4000), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, terminal := range []bool{true, false} {
		name := "file"
		if terminal {
			name = "terminal"
		}
		t.Run("fork-shared/"+name, func(t *testing.T) {
			o := timelineTo(t, terminal, "fork-shared")
			child := o.pidOf(t, `^(\d+) +\S+ stdout: child: stored "hello from the child"`)
			parent := o.pidOf(t, `^(\d+) +\S+ openat\(`)
			said := o.find(0, child, `^stdout: child: stored`)
			fork := madeBy(o, child, said)
			before(t, o, "the child's line",
				o.find(0, parent, `^openat\(`), fork, said,
				o.find(said, child, `^exit_group\(0`), o.find(said, child, `^\+\+\+ exited with 0`))
			reaped := o.find(0, parent, `(wait4\(|resumed>).*= `+child+`$`)
			sees := o.find(reaped, parent, `^stdout: parent: sees "hello from the child"$`)
			before(t, o, "the parent's line", reaped, sees, o.find(sees, parent, `^munmap\(`))
			end := o.find(0, parent, `^\+\+\+ exited with 0`)
			report := -1
			for i, l := range o {
				if strings.HasPrefix(l, "after the child exited, the parent's mapping held") {
					report = i
				}
			}
			before(t, o, "the report", end, report)
		})
		t.Run("copy/"+name, func(t *testing.T) {
			dst := filepath.Join(t.TempDir(), "dst.bin")
			o := timelineTo(t, terminal, "copy", src, dst, "-n", "3")
			for n := 1; n <= 3; n++ {
				re := fmt.Sprintf(`^(\d+) +\S+ stderr: mmtrace copy: child %d of 3 copies bytes`, n)
				child := o.pidOf(t, re)
				said := o.find(0, child, fmt.Sprintf(`^stderr: mmtrace copy: child %d of 3`, n))
				made := madeBy(o, child, said)
				before(t, o, fmt.Sprintf("child %d's line", n), o.find(0, "", `^openat\(`), made, said,
					o.find(said, child, `^exit_group\(0`))
			}
		})
	}
}

// madeBy is the line of the fork that made child, as seen from the
// child's line at said: the fork's whole line, or, when the child ran
// before its fork returned, the fork's unfinished half before said.
func madeBy(o order, child string, said int) int {
	made := o.find(0, "", `^fork\(\) = `+child+`$`)
	if made < 0 || made > said {
		made = lastBefore(o, said, `^fork\( <unfinished \.\.\.>$`)
	}
	return made
}

// lastBefore is the index of the last line before i matching re, or -1.
func lastBefore(o order, i int, re string) int {
	r := regexp.MustCompile(re)
	for j := i - 1; j >= 0; j-- {
		if m := timelineLine.FindStringSubmatch(o[j]); m != nil && r.MatchString(m[2]) {
			return j
		}
	}
	return -1
}

// blockAfterCall is a program that makes a call the timeline shows, says
// so on its own stdout, and then waits for a line on stdin.
const blockAfterCall = `#include <fcntl.h>
#include <unistd.h>
int main(void) {
	int fd = open("/dev/null", O_RDONLY);
	write(1, "MARK\n", 5);
	char c;
	read(0, &c, 1);
	close(fd);
	return 0;
}
`

// TestLineOnScreenBeforeProgramRunsOn: on a terminal, the line of a call
// is on the screen before the traced program runs on, as strace writes
// it: the program's own line, written right after the call, comes after
// the call's, and the call's is there while the program waits for input.
// Before, the timeline waited in a buffer for up to 100 ms, and the
// program's line came first.
func TestLineOnScreenBeforeProgramRunsOn(t *testing.T) {
	if testing.Short() {
		t.Skip("traces a program")
	}
	gcc, err := exec.LookPath("gcc")
	if err != nil {
		t.Skip("gcc not installed")
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "block.c"), []byte(blockAfterCall), 0o644); err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(dir, "block")
	if b, err := exec.Command(gcc, "-O1", "-o", bin, filepath.Join(dir, "block.c")).CombinedOutput(); err != nil {
		t.Fatalf("gcc: %v\n%s", err, b)
	}
	for _, tc := range []struct {
		name string
		args []string
		call string // the call's line, as it shows
	}{
		{"text", []string{"run", "-q", "--", bin}, `openat(AT_FDCWD, "/dev/null", O_RDONLY) = 3`},
		{"json", []string{"run", "--json", "--", bin}, `"args":["AT_FDCWD","\"/dev/null\"","O_RDONLY"]`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ptmx, tty, err := pty.Open()
			if err != nil {
				t.Skipf("no pseudo-terminal here: %v", err)
			}
			defer ptmx.Close()
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			cmd := exec.CommandContext(ctx, mmtraceBin, tc.args...)
			cmd.Env = []string{"PATH=/usr/bin:/bin", "LANG=C", "TERM=xterm", "NO_COLOR=1"}
			cmd.Stdin, cmd.Stdout, cmd.Stderr = tty, tty, tty
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			tty.Close()
			var mu sync.Mutex
			var screen bytes.Buffer
			done := make(chan struct{})
			go func() {
				defer close(done)
				io.Copy(lockedWriter{&mu, &screen}, ptmx)
			}()
			look := func() string {
				mu.Lock()
				defer mu.Unlock()
				return screen.String()
			}
			// The program blocks in read after MARK: wait for it, then
			// for the call's line, which must be there while it blocks.
			deadline := time.After(30 * time.Second)
			for !strings.Contains(look(), "MARK") || !strings.Contains(look(), tc.call) {
				select {
				case <-deadline:
					t.Fatalf("while the program waits for input, the screen holds:\n%s", look())
				case <-time.After(5 * time.Millisecond):
				}
			}
			seen := look()
			if strings.Index(seen, tc.call) > strings.Index(seen, "MARK") {
				t.Errorf("the program ran on before its call's line was on the screen:\n%s", seen)
			}
			if _, err := io.WriteString(ptmx, "\n"); err != nil {
				t.Fatal(err)
			}
			if err := cmd.Wait(); err != nil {
				t.Fatalf("mmtrace: %v\n%s", err, look())
			}
			<-done
		})
	}
}

// lockedWriter writes to w under mu.
type lockedWriter struct {
	mu *sync.Mutex
	w  io.Writer
}

func (l lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

// TestSummaryOnlyKeepsLines: with -c there is no timeline for a
// scenario's lines to take their place in: the processes print to stdout
// as they would untraced, and the report follows the summary on stderr.
func TestSummaryOnlyKeepsLines(t *testing.T) {
	if testing.Short() {
		t.Skip("traces a scenario")
	}
	stdout, stderr, status := mmtrace(t, "fork-shared", "-c")
	if status != 0 {
		t.Fatalf("status %d\n%s", status, stderr)
	}
	if want := "child: stored \"hello from the child\" through the mapping\nparent: sees \"hello from the child\"\n"; stdout != want {
		t.Errorf("stdout %q, want %q", stdout, want)
	}
	table := strings.Index(stderr, "% time")
	report := strings.Index(stderr, "after the child exited, the parent's mapping held 20 bytes")
	if table < 0 || report < table {
		t.Errorf("no summary then report on stderr:\n%s", stderr)
	}
}
