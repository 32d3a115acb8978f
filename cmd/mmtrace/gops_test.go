package main

import (
	"bufio"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/gops/signal"
)

// TestGopsAgent starts mmtrace with --gops and asks its agent, over
// loopback, for the Go version, as the gops command would.
func TestGopsAgent(t *testing.T) {
	home := t.TempDir() // the agent writes its port under the config dir
	cmd := exec.Command(mmtraceBin, "run", "--gops", "-o", filepath.Join(home, "timeline"), "--", "sleep", "3")
	cmd.Env = append(os.Environ(), "GOPS_CONFIG_DIR="+home)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { cmd.Process.Kill(); cmd.Wait() }()
	line, err := bufio.NewReader(stderr).ReadString('\n')
	if err != nil || !strings.Contains(line, "gops agent listening on loopback") {
		t.Fatalf("first line %q, %v", line, err)
	}
	var port []byte
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if port, err = os.ReadFile(filepath.Join(home, strconv.Itoa(cmd.Process.Pid))); err == nil {
			break
		}
	}
	if err != nil {
		t.Fatalf("no port file: %v", err)
	}
	conn, err := net.Dial("tcp", "127.0.0.1:"+strings.TrimSpace(string(port)))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.Write([]byte{signal.Version}); err != nil {
		t.Fatal(err)
	}
	conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	b, _ := io.ReadAll(conn)
	if !strings.HasPrefix(string(b), "go1.") {
		t.Fatalf("agent answered %q, want a Go version", b)
	}
}
