package main

import (
	"bufio"
	"os"
	"os/exec"
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
			lines := bufio.NewScanner(stderr)
			seen := make(chan bool, 1)
			var all []string
			go func() {
				found := false
				for lines.Scan() {
					all = append(all, lines.Text())
					if !found && strings.Contains(lines.Text(), "munmap(") {
						found = true
						seen <- true
					}
				}
				close(seen)
			}()
			select {
			case <-seen:
			case <-time.After(20 * time.Second):
				cmd.Process.Kill()
				t.Fatal("no munmap traced in 20 s")
			}
			cmd.Process.Signal(syscall.SIGINT)
			done := make(chan error, 1)
			go func() { done <- cmd.Wait() }()
			select {
			case err := <-done:
				if err != nil {
					t.Fatalf("mmtrace %v: %v\n%s", args, err, strings.Join(all, "\n"))
				}
			case <-time.After(10 * time.Second):
				cmd.Process.Kill()
				t.Fatal("mmtrace did not detach after SIGINT")
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
