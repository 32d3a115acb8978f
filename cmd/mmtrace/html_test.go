package main

import (
	"bufio"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"
)

// pageData returns the trace a page holds: {"done": …, "b": [batches]}.
func pageData(t *testing.T, page string) map[string]any {
	t.Helper()
	_, rest, ok := strings.Cut(page, `<script id="mmtrace-data" type="application/json">`)
	data, _, ok2 := strings.Cut(rest, "</script>")
	if !ok || !ok2 {
		t.Fatalf("no data in the page: %.300s", page)
	}
	var v map[string]any
	if err := json.Unmarshal([]byte(data), &v); err != nil {
		t.Fatalf("page data: %v", err)
	}
	return v
}

func TestHTMLOutput(t *testing.T) {
	dir := t.TempDir()
	page := filepath.Join(dir, "copy.html")
	_, stderr, status := mmtrace(t, "fork-shared", "-o", filepath.Join(dir, "timeline"), "--html", page)
	if status != 0 {
		t.Fatalf("status %d\n%s", status, stderr)
	}
	b, err := os.ReadFile(page)
	if err != nil {
		t.Fatal(err)
	}
	v := pageData(t, string(b))
	if v["done"] != true || len(v["b"].([]any)) == 0 {
		t.Errorf("page data: done %v, %d batches", v["done"], len(v["b"].([]any)))
	}
	// The call the program made: arm64 has no fork, glibc's fork() is a
	// clone there.
	forkCall := map[string]string{"arm64": `clone(`}[runtime.GOARCH]
	if forkCall == "" {
		forkCall = `fork(`
	}
	for _, want := range []string{"<!DOCTYPE html>", "<style>", "mmtrace-meta", forkCall} {
		if !strings.Contains(string(b), want) {
			t.Errorf("the page lacks %q", want)
		}
	}
	// Self-contained: nothing loaded from anywhere.
	if m := regexp.MustCompile(`(?i)(src|href)="(https?:)?//`).FindString(string(b)); m != "" {
		t.Errorf("the page loads %s", m)
	}
	ents, _ := os.ReadDir(dir)
	for _, e := range ents {
		if strings.HasSuffix(e.Name(), ".tmp") {
			t.Errorf("temporary file left: %s", e.Name())
		}
	}

	// --stable: labels, no times, the scenario's directory as $DIR.
	_, stderr, status = mmtrace(t, "fork-shared", "--stable", "-o", filepath.Join(dir, "timeline"), "--html", page)
	if status != 0 {
		t.Fatalf("--stable: status %d\n%s", status, stderr)
	}
	b, _ = os.ReadFile(page)
	s := string(b)
	if strings.Contains(s, "/mmtrace-fork-shared-") || !strings.Contains(s, "$DIR/fork.txt") {
		t.Errorf("--stable page: the temporary directory is not $DIR")
	}
	if regexp.MustCompile(`"t":\d`).MatchString(s) || !strings.Contains(s, `"p":[1,`) || regexp.MustCompile(`0x7f[0-9a-f]{6,}`).MatchString(s) {
		t.Errorf("--stable page: times, real pids or addresses left")
	}

	// A page that cannot be written is refused before the trace.
	_, stderr, status = mmtrace(t, "write", "--html", filepath.Join(dir, "no", "such", "dir", "p.html"))
	if status != 2 || strings.Count(strings.TrimSpace(stderr), "\n") != 0 || !strings.Contains(stderr, "--html") {
		t.Errorf("unwritable --html: status %d, %q", status, stderr)
	}
	_, stderr, status = mmtrace(t, "write", "--serve=nowhere")
	if status != 2 || !strings.Contains(stderr, "--serve") {
		t.Errorf("bad --serve address: status %d, %q", status, stderr)
	}
}

// TestServe runs mmtrace --serve: the URL on stderr, the events streamed
// while the program runs, the page kept after the trace until Ctrl-C.
func TestServe(t *testing.T) {
	dir := t.TempDir()
	cmd := exec.Command(mmtraceBin, "ipc", "--count", "5", "--interval", "200ms", "--serve", "-o", filepath.Join(dir, "timeline"))
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	lines := make(chan string, 100)
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	next := func(re *regexp.Regexp) []string {
		t.Helper()
		timeout := time.After(time.Minute)
		for {
			select {
			case l, ok := <-lines:
				if !ok {
					t.Fatalf("mmtrace ended before a line matching %v", re)
				}
				if m := re.FindStringSubmatch(l); m != nil {
					return m
				}
			case <-timeout:
				t.Fatalf("no line matching %v", re)
			}
		}
	}
	url := next(regexp.MustCompile(`classroom view is at (http://127\.0\.0\.1:\d+/)`))[1]
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(body), `"live":true`) {
		t.Errorf("the live page: %.300s", body)
	}
	events, err := http.Get(url + "events")
	if err != nil {
		t.Fatal(err)
	}
	defer events.Body.Close()
	sc := bufio.NewScanner(events.Body)
	sc.Buffer(nil, 1<<24)
	data, ended := 0, false
	for sc.Scan() {
		l := sc.Text()
		if strings.HasPrefix(l, "data: {") && strings.Contains(l, `"k":"`) {
			data++
		}
		if l == "event: end" {
			ended = true
			break
		}
	}
	if data == 0 || !ended {
		t.Fatalf("events: %d batches, end %v", data, ended)
	}
	next(regexp.MustCompile(`the trace has ended; the page stays at`))
	// Still served after the trace.
	if resp, err := http.Get(url); err != nil || resp.StatusCode != 200 {
		t.Fatalf("after the trace: %v", err)
	}
	// From elsewhere by name: refused (a rebound name on loopback).
	req, _ := http.NewRequest("GET", url, nil)
	req.Host = "example.com"
	if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != http.StatusForbidden {
		t.Errorf("a request for example.com: %v %v", resp.Status, err)
	}
	cmd.Process.Signal(syscall.SIGINT)
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("after Ctrl-C: %v", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("mmtrace did not end after Ctrl-C")
	}
}
