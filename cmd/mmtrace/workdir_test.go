package main

import (
	"bytes"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// A scenario's temporary directory goes with the run however it ends; one
// left by a run killed outright goes with the next run; a live run's
// directory is never taken.

// scenarioCmd is mmtrace with args, its temporary directories in tmp and
// its cache in cache.
func scenarioCmd(tmp, cache string, args ...string) *exec.Cmd {
	cmd := exec.Command(mmtraceBin, args...)
	cmd.Env = append(os.Environ(), "TMPDIR="+tmp, "XDG_CACHE_HOME="+cache)
	return cmd
}

// workDirs lists tmp's entries.
func workDirs(t *testing.T, tmp string) []string {
	t.Helper()
	entries, err := os.ReadDir(tmp)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

// waitLocked waits until tmp holds one work directory with its lock file,
// and returns it.
func waitLocked(t *testing.T, tmp string, cmd *exec.Cmd) string {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		if m, _ := filepath.Glob(filepath.Join(tmp, "mmtrace-*", "mmtrace.lock")); len(m) == 1 {
			return filepath.Dir(m[0])
		}
		time.Sleep(2 * time.Millisecond)
	}
	cmd.Process.Kill()
	t.Fatalf("no locked work directory in %s: %q", tmp, workDirs(t, tmp))
	return ""
}

// TestWorkDirAfterSIGKILL: a copy killed outright leaves its directory
// (and its 64 MiB copy); the next run removes it. The sample it copies is
// in the cache and is made once.
func TestWorkDirAfterSIGKILL(t *testing.T) {
	tmp, cache := t.TempDir(), t.TempDir()
	cmd := scenarioCmd(tmp, cache, "copy", "-q", "-o", os.DevNull)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	dir := waitLocked(t, tmp, cmd)
	cmd.Process.Signal(syscall.SIGKILL)
	cmd.Wait()
	if _, err := os.Stat(dir); err != nil {
		t.Fatalf("the killed run's directory is already gone (%v): the test shows nothing", err)
	}
	sample := filepath.Join(cache, "mmtrace", "sample-64MiB.bin")

	// The next run, of any scenario, removes it.
	out, err := scenarioCmd(tmp, cache, "copy", "-q", "-o", os.DevNull).CombinedOutput()
	if err != nil {
		t.Fatalf("second run: %v\n%s", err, out)
	}
	if names := workDirs(t, tmp); len(names) != 0 {
		t.Errorf("%s holds %q after the next run", tmp, names)
	}
	st, err := os.Stat(sample)
	if err != nil {
		t.Fatalf("no cached sample: %v", err)
	}
	// A third run copies the same sample, not a new one.
	if out, err := scenarioCmd(tmp, cache, "copy", "-q", "-o", os.DevNull).CombinedOutput(); err != nil {
		t.Fatalf("third run: %v\n%s", err, out)
	}
	if st2, err := os.Stat(sample); err != nil || !os.SameFile(st, st2) || !st2.ModTime().Equal(st.ModTime()) {
		t.Errorf("the cached sample was made again (%v)", err)
	}
}

// TestWorkDirLiveRun: a run that starts while another runs leaves the
// other's directory alone, and both end well.
func TestWorkDirLiveRun(t *testing.T) {
	tmp, cache := t.TempDir(), t.TempDir()
	var stderr bytes.Buffer
	long := scenarioCmd(tmp, cache, "ipc", "-q", "-o", os.DevNull, "--count", "10", "--interval", "200ms")
	long.Stderr = &stderr
	if err := long.Start(); err != nil {
		t.Fatal(err)
	}
	dir := waitLocked(t, tmp, long)
	for _, sc := range []string{"write", "anon"} {
		if out, err := scenarioCmd(tmp, cache, sc, "-q", "-o", os.DevNull).CombinedOutput(); err != nil {
			t.Fatalf("%s: %v\n%s", sc, err, out)
		}
		if _, err := os.Stat(filepath.Join(dir, "mmtrace.lock")); err != nil {
			t.Fatalf("the live run's directory was taken by %s: %v", sc, err)
		}
	}
	if err := long.Wait(); err != nil {
		t.Fatalf("the long run: %v\n%s", err, stderr.Bytes())
	}
	if names := workDirs(t, tmp); len(names) != 0 {
		t.Errorf("%s holds %q after every run ended", tmp, names)
	}
}

// TestWorkDirClosedOutput: a copy whose timeline goes to a pipe that its
// reader closes stops, and its directory goes with it.
func TestWorkDirClosedOutput(t *testing.T) {
	tmp, cache := t.TempDir(), t.TempDir()
	src := filepath.Join(t.TempDir(), "src")
	if err := os.WriteFile(src, bytes.Repeat([]byte("mmtrace "), 4<<20), 0o644); err != nil {
		t.Fatal(err)
	}
	dstDir := t.TempDir()
	cmd := scenarioCmd(tmp, cache, "copy", src, filepath.Join(dstDir, "dst"), "-n", "50")
	r, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// Read a little, as head does, then close the pipe.
	io.ReadFull(r, make([]byte, 200))
	r.Close()
	err = cmd.Wait()
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() && ws.Signal() == syscall.SIGPIPE {
			// A closed output must be a clean stop (exit 141 after the
			// cleanup), not a death by SIGPIPE that no cleanup survives.
			t.Errorf("mmtrace was killed by SIGPIPE instead of stopping cleanly; %s holds %q", tmp, workDirs(t, tmp))
		}
	}
	if code := cmd.ProcessState.ExitCode(); code != 141 {
		t.Errorf("mmtrace ended %v after its output closed; want exit 141", err)
	}
	if names := workDirs(t, tmp); len(names) != 0 {
		t.Errorf("%s holds %q after the output closed (mmtrace ended: %v)", tmp, names, err)
	}
	if names := workDirs(t, dstDir); strings.Contains(strings.Join(names, " "), "mmtrace") {
		t.Errorf("a temporary copy is left beside DST: %q", names)
	}
}
