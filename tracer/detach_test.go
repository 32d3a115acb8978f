package tracer_test

import (
	"strings"
	"testing"

	"github.com/mmtrace/mmtrace/tracer"
	"github.com/mmtrace/mmtrace/tracer/filter"
)

// TestDetachOnExec: with DetachOnExec (strace -b execve), a process that
// execs after the program's start is let go: the new program finds no
// tracer in its /proc/self/status, the timeline ends its execve with
// "<detached ...>" as strace does, and when the first process is the one
// let go, its exit status is still the trace's. Without it the same
// program is traced (the check can fail) (issue 13, item 2).
func TestDetachOnExec(t *testing.T) {
	bin := buildC(t, "untraced.c")
	for _, tc := range []struct {
		name   string
		detach bool
		argv   []string
		status int
	}{
		{"child execs", true, []string{bin}, 0},
		{"first process execs", true, []string{bin, "self"}, 0},
		{"child execs, traced", false, []string{bin}, 1},
		{"first process execs, traced", false, []string{bin, "self"}, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec, tl, res := runTraced(t, tracer.Config{DetachOnExec: tc.detach}, tc.argv...)
			if res.Status() != tc.status {
				t.Fatalf("exit status %d, want %d\n%s", res.Status(), tc.status, tl)
			}
			detached := 0
			for _, e := range rec.events {
				if e.Kind == tracer.Detached {
					detached++
				}
			}
			if !tc.detach {
				if detached != 0 {
					t.Errorf("%d processes let go without DetachOnExec", detached)
				}
				return
			}
			if detached != 1 || !strings.Contains(tl, `"check"], 0x`) || !strings.Contains(tl, " <detached ...>\n") {
				t.Errorf("%d processes let go, want 1, its execve ending <detached ...>:\n%s", detached, tl)
			}
		})
	}
}

// TestThreadsOnly: with ThreadsOnly (--follow threads), a thread's calls
// are traced and a child process is not: it finds no tracer in its
// /proc/self/status, and the SIGUSR1 its parent sent it at once, while it
// was being let go, reaches it (a lost one ends it with 5). Following all,
// the same child is traced (issue 13, item 4).
func TestThreadsOnly(t *testing.T) {
	bin := buildC(t, "threadsonly.c", "-pthread")
	for _, tc := range []struct {
		name        string
		threadsOnly bool
		status      int
	}{
		{"threads only", true, 0},
		{"all", false, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec, tl, res := runTraced(t, tracer.Config{ThreadsOnly: tc.threadsOnly}, bin)
			if res.Status() != tc.status {
				t.Fatalf("exit status %d, want %d\n%s", res.Status(), tc.status, tl)
			}
			threadCalls, childEvents, let := 0, 0, 0
			for _, e := range rec.events {
				switch {
				case e.Kind == tracer.Detached:
					let++
				case e.Pid == res.Pid && e.Tid != res.Pid && e.Kind == tracer.CallExit && e.Call.Name == "munmap":
					threadCalls++
				case e.Pid != res.Pid && e.Kind != tracer.Spawn:
					childEvents++
				}
			}
			if threadCalls != 1 {
				t.Errorf("%d munmap calls of the thread traced, want 1\n%s", threadCalls, tl)
			}
			if tc.threadsOnly && (let != 1 || childEvents != 0) {
				t.Errorf("%d processes let go (want 1), %d events of the child (want none)\n%s", let, childEvents, tl)
			}
		})
	}
}

// TestNoDeathSignal: a traced program sees no death signal it did not set
// (PR_GET_PDEATHSIG 0), as untraced or under strace: the one the child
// holds until it is seized must not outlive its exec. Filtered (seccomp
// set-up before the exec) and full tracing, and the serial scheduler.
func TestNoDeathSignal(t *testing.T) {
	bin := buildC(t, "deathsig.c")
	set, err := filter.Parse("openat,mmap,exit_group")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		cfg  tracer.Config
	}{
		{"full", tracer.Config{}},
		{"filtered", tracer.Config{Filter: set}},
		{"serial", tracer.Config{Serial: true}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, tl, res := runTraced(t, tc.cfg, bin)
			if res.Status() != 0 {
				t.Errorf("the program found death signal %d (100: prctl failed), want 0\n%s", res.Status(), tl)
			}
		})
	}
}
