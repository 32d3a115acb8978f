package tracer_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/mmtrace/mmtrace/internal/rawchild"
	"github.com/mmtrace/mmtrace/internal/testutil"
	"github.com/mmtrace/mmtrace/tracer"
	"github.com/mmtrace/mmtrace/tracer/filter"
	"github.com/mmtrace/mmtrace/tracer/sys"
	"github.com/mmtrace/mmtrace/tracer/text"
)

// record is a sink that keeps a copy of every event.
type record struct {
	events []tracer.Event
}

func (r *record) Event(e *tracer.Event) { r.events = append(r.events, *e) }
func (r *record) Flush() error          { return nil }

// skipIfNoPtrace skips when the kernel refuses tracing here.
func skipIfNoPtrace(t *testing.T, err error) {
	t.Helper()
	var refused *tracer.RefusedError
	if errors.Is(err, tracer.ErrNotPermitted) || errors.As(err, &refused) && errors.Is(err, syscall.EPERM) {
		t.Skipf("ptrace not permitted: %v", err)
	}
}

// runTraced traces argv with cfg and returns the events, the text
// timeline and the result.
func runTraced(t *testing.T, cfg tracer.Config, argv ...string) (*record, string, tracer.Result) {
	t.Helper()
	path, err := exec.LookPath(argv[0])
	if err != nil {
		t.Fatal(err)
	}
	spec := &rawchild.Spec{}
	if err := spec.SetExec(path, argv, os.Environ()); err != nil {
		t.Fatal(err)
	}
	rec := &record{}
	var buf bytes.Buffer
	tl := text.New(&buf)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	res, err := tracer.New(cfg, rec, tl).Run(ctx, spec)
	skipIfNoPtrace(t, err)
	if err != nil {
		t.Fatalf("trace %v: %v", argv, err)
	}
	tl.Flush()
	return rec, buf.String(), res
}

// buildC compiles a C file of testdata into a temp dir.
func buildC(t *testing.T, name string, flags ...string) string {
	t.Helper()
	return testutil.BuildC(t, filepath.Join("testdata", name), flags...)
}

// checkAccounted checks that every entry has its exit (but calls that end
// the thread), that every thread seen is seen to end, and that a thread's
// events come in a sane order.
func checkAccounted(t *testing.T, rec *record) (procs, threads int) {
	t.Helper()
	open := map[int]*sys.Call{}
	alive := map[int]bool{}
	ended := map[int]bool{}
	groupEnding := map[int]bool{}
	seen := func(tid int) {
		if ended[tid] {
			t.Errorf("event for tid %d after its exit", tid)
		}
		alive[tid] = true
	}
	for _, e := range rec.events {
		switch e.Kind {
		case tracer.CallEnter:
			seen(e.Tid)
			if e.Call.Name == "exit_group" || e.Call.Name == "execve" {
				groupEnding[e.Pid] = true
			}
			if c := open[e.Tid]; c != nil {
				t.Errorf("tid %d: %s entered before %s returned", e.Tid, e.Call.Name, c.Name)
			}
			open[e.Tid] = e.Call
		case tracer.CallExit:
			seen(e.Tid)
			if open[e.Tid] != e.Call {
				t.Errorf("tid %d: exit of %s without its entry", e.Tid, e.Call.Name)
			}
			delete(open, e.Tid)
		case tracer.Spawn:
			if e.Thread {
				threads++
			} else {
				procs++
			}
		case tracer.Exit:
			// A thread may end inside a call only by ending it (exit,
			// exit_group), by a signal, or because another thread of its
			// process called exit_group or execve.
			if c := open[e.Tid]; c != nil && c.Name != "exit_group" && c.Name != "exit" && e.KilledBy == 0 && !groupEnding[e.Pid] {
				t.Errorf("tid %d exited inside %s", e.Tid, c.Name)
			}
			delete(open, e.Tid)
			delete(alive, e.Tid)
			ended[e.Tid] = true
		case tracer.Superseded:
			// The execve in flight continues under the leader's tid; the
			// old leader's call in flight is gone with it.
			open[e.Pid] = open[e.OldTid]
			delete(open, e.OldTid)
			delete(alive, e.OldTid)
			ended[e.OldTid] = true
		default:
			seen(e.Tid)
		}
	}
	for tid := range alive {
		t.Errorf("tid %d never seen to end", tid)
	}
	for tid, c := range open {
		t.Errorf("tid %d: %s never returned", tid, c.Name)
	}
	return procs, threads
}

func names(rec *record, pid int) []string {
	var out []string
	for _, e := range rec.events {
		if e.Kind == tracer.CallExit && (pid == 0 || e.Pid == pid) {
			out = append(out, e.Call.Name)
		}
	}
	return out
}

func TestTraceCp(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "src")
	dst := filepath.Join(dir, "dst")
	if err := os.WriteFile(src, []byte("hello, mapping\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	// Temporary paths are longer than strace's default -s of 32.
	cfg := tracer.Config{Filter: filter.All(), Decode: sys.Options{StringLimit: 256}}
	rec, tl, res := runTraced(t, cfg, "cp", src, dst)
	if res.Status() != 0 {
		t.Fatalf("cp exited with %d\n%s", res.Status(), tl)
	}
	checkAccounted(t, rec)
	got, err := os.ReadFile(dst)
	if err != nil || string(got) != "hello, mapping\n" {
		t.Fatalf("dst = %q, %v", got, err)
	}
	for _, want := range []string{
		`execve("` + mustLook(t, "cp") + `", ["cp", "` + src + `", "` + dst + `"]`,
		`openat(AT_FDCWD, "` + src + `", O_RDONLY) = 3`,
		`+++ exited with 0 +++`,
	} {
		if !strings.Contains(tl, want) {
			t.Errorf("timeline lacks %q:\n%s", want, tl)
		}
	}
}

func mustLook(t *testing.T, name string) string {
	p, err := exec.LookPath(name)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestTraceCProgram(t *testing.T) {
	bin := buildC(t, "lesson.c")
	file := filepath.Join(t.TempDir(), "dd.txt")
	rec, tl, res := runTraced(t, tracer.Config{}, bin, file)
	if res.Status() != 3 {
		t.Fatalf("exit status %d, want 3 (the parent saw the child's store)\n%s", res.Status(), tl)
	}
	procs, _ := checkAccounted(t, rec)
	if procs != 2 {
		t.Errorf("%d processes spawned, want 2", procs)
	}
	var killed int
	for _, e := range rec.events {
		if e.Kind == tracer.Exit && e.KilledBy == syscall.SIGTERM {
			killed++
		}
	}
	if killed != 1 {
		t.Errorf("%d children killed by SIGTERM, want 1\n%s", killed, tl)
	}
	for _, want := range []string{
		`ftruncate(3, 4) = 0`,
		`mmap(NULL, 4, PROT_READ|PROT_WRITE, MAP_SHARED, 3, 0) = 0x`,
		`mmap(NULL, 0, PROT_READ, MAP_SHARED, 3, 0) = -1 EINVAL (Invalid argument)`,
		`mmap(NULL, 4, PROT_READ|PROT_WRITE, MAP_SHARED, 4, 0) = -1 EACCES (Permission denied)`,
		`[{WIFEXITED(s) && WEXITSTATUS(s) == 0}], 0, NULL) = `,
		`[{WIFSIGNALED(s) && WTERMSIG(s) == SIGTERM}], 0, NULL) = `,
		`--- SIGTERM {si_signo=SIGTERM, si_code=SI_USER, si_pid=`,
		`+++ killed by SIGTERM +++`,
		`+++ exited with 3 +++`,
	} {
		if !strings.Contains(tl, want) {
			t.Errorf("timeline lacks %q:\n%s", want, tl)
		}
	}
	if _, err := os.Stat(file); !os.IsNotExist(err) {
		t.Errorf("the program's file was not unlinked: %v", err)
	}
}

func TestTraceThreads(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a Go program")
	}
	dir := t.TempDir()
	src, err := os.ReadFile("testdata/threads.go.txt")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "main.go"), src, 0o644); err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(dir, "threads")
	cmd := exec.Command("go", "build", "-o", bin, "main.go")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GO111MODULE=off", "CGO_ENABLED=0")
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, b)
	}
	rec, tl, res := runTraced(t, tracer.Config{Filter: filter.All()}, bin)
	if res.Status() != 4 {
		t.Fatalf("exit status %d, want 4\n%s", res.Status(), tl)
	}
	_, threads := checkAccounted(t, rec)
	if threads < 2 {
		t.Errorf("%d threads spawned, want several\n%s", threads, tl)
	}
}

func TestExecFailureIsReported(t *testing.T) {
	dir := t.TempDir()
	script := filepath.Join(dir, "notelf")
	// Executable but not a program: execve fails with ENOEXEC.
	if err := os.WriteFile(script, []byte("\x00\x01\x02"), 0o755); err != nil {
		t.Fatal(err)
	}
	rec, tl, res := runTraced(t, tracer.Config{}, script)
	if res.ExecErr != syscall.ENOEXEC || res.Status() != 127 {
		t.Fatalf("ExecErr %v status %d, want ENOEXEC and 127\n%s", res.ExecErr, res.Status(), tl)
	}
	checkAccounted(t, rec)
	if !strings.Contains(tl, "= -1 ENOEXEC (Exec format error)") {
		t.Errorf("timeline lacks the failed execve:\n%s", tl)
	}
}

// TestExecFailureUnshown: a program that never started is reported so
// (ExecErr, status 127) when the filter shows no execve, with or without
// the seccomp filter; the timeline shows none of mmtrace's own calls (the
// child's exit_group after the failed execve), and its exit as a shell's
// failed exec, 127 (issue 13, item 3).
func TestExecFailureUnshown(t *testing.T) {
	dir := t.TempDir()
	script := filepath.Join(dir, "notelf")
	if err := os.WriteFile(script, []byte("\x00\x01\x02"), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		expr string
		cfg  tracer.Config
	}{
		{"seccomp, openat", "openat", tracer.Config{}},
		{"every call, exit_group", "exit_group", tracer.Config{NoSeccomp: true}},
		{"seccomp, exit_group", "exit_group", tracer.Config{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			set, err := filter.Parse(tc.expr)
			if err != nil {
				t.Fatal(err)
			}
			tc.cfg.Filter = set
			_, tl, res := runTraced(t, tc.cfg, script)
			if res.ExecErr != syscall.ENOEXEC || res.Status() != 127 {
				t.Fatalf("ExecErr %v status %d, want ENOEXEC and 127\n%s", res.ExecErr, res.Status(), tl)
			}
			if lines := strings.Split(strings.TrimSpace(tl), "\n"); len(lines) != 1 || !strings.HasSuffix(lines[0], " +++ exited with 127 +++") {
				t.Errorf("want the exit only, with 127:\n%s", tl)
			}
		})
	}
}
