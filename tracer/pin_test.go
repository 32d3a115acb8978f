package tracer_test

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/mmtrace/mmtrace/internal/rawchild"
	"github.com/mmtrace/mmtrace/internal/testutil"
	"github.com/mmtrace/mmtrace/tracer"
	"github.com/mmtrace/mmtrace/tracer/text"
)

// cpusAllowed returns the Cpus_allowed_list line of a status file's text.
func cpusAllowed(status string) string {
	for _, line := range strings.Split(status, "\n") {
		if v, ok := strings.CutPrefix(line, "Cpus_allowed_list:"); ok {
			return strings.TrimSpace(v)
		}
	}
	return ""
}

// TestPinPolicies: where the tracees run. A shell reads its own CPU list,
// starts a child that reads its own, then reads its own again.
func TestPinPolicies(t *testing.T) {
	var set unix.CPUSet
	if err := unix.SchedGetaffinity(0, &set); err != nil || set.Count() < 2 {
		t.Skip("one CPU: nothing to pin")
	}
	self, err := os.ReadFile("/proc/self/status")
	if err != nil {
		t.Fatal(err)
	}
	all := cpusAllowed(string(self))
	tests := []struct {
		name string
		cfg  tracer.Config
		// Whether the shell before its child, the child, and the shell
		// after it run on one CPU.
		before, child, after bool
	}{
		// The first child spreads the tracees at once (a program that
		// starts workers runs in parallel from their start); 50 ms of
		// less than one CPU's work bring them back, which a traced
		// shell may take before its child looks: after the spawn,
		// either (TestPinFollowsParallelism checks what the measure
		// does).
		{"auto, seccomp", tracer.Config{}, true, false, false},
		{"auto, every call", tracer.Config{NoSeccomp: true}, true, false, false},
		// The first policy: one CPU until the first child, with the
		// filter; throughout without it.
		{"spawn, seccomp", tracer.Config{Pin: tracer.PinSpawn}, true, false, false},
		{"spawn, every call", tracer.Config{Pin: tracer.PinSpawn, NoSeccomp: true}, true, true, true},
		{"always", tracer.Config{Pin: tracer.PinAlways}, true, true, true},
		{"never", tracer.Config{Pin: tracer.PinNever}, false, false, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "cpus")
			script := `own() { while read -r k v; do [ "$k" = Cpus_allowed_list: ] && echo "$1 $v"; done < /proc/$$/status; }
{ own before; grep Cpus_allowed_list: /proc/self/status; own after; } >"$0"; true`
			tr, tl, res := runTracedWith(t, tc.cfg, "sh", "-c", script, out)
			if res.Status() != 0 {
				t.Fatalf("status %d\n%s", res.Status(), tl)
			}
			spreads, shares := tracer.PinMoves(tr)
			t.Logf("spread %d times, shared again %d times", spreads, shares)
			b, err := os.ReadFile(out)
			if err != nil {
				t.Fatal(err)
			}
			lines := strings.Split(strings.TrimSpace(string(b)), "\n")
			if len(lines) != 3 {
				t.Fatalf("the shell wrote %q", b)
			}
			got := []string{
				strings.TrimPrefix(lines[0], "before "),
				cpusAllowed(lines[1]),
				strings.TrimPrefix(lines[2], "after "),
			}
			for i, one := range []bool{tc.before, tc.child, tc.after} {
				if i > 0 && tc.cfg.Pin == tracer.PinAuto {
					continue // see the auto rows
				}
				pinned := !strings.ContainsAny(got[i], ",-")
				if pinned != one || (!one && got[i] != all) {
					t.Errorf("%s runs on CPUs %q (mmtrace's: %q); want one CPU: %v", []string{"the shell before", "its child", "the shell after"}[i], got[i], all, one)
				}
			}
		})
	}
}

// TestPinFollowsParallelism: under PinAuto a program whose processes
// compute at the same time gets every CPU, with the seccomp filter (its
// children make no call the filter stops: the loop sits in wait4 the
// whole time, and only ptrace.Wake reaches it) and without it. Two
// children write their pid and spin until a file appears; the test reads
// their CPU lists from outside the trace until both list more than one
// CPU (or a minute passes), then makes the file. Afterwards, with one
// process left, the tracees share one CPU again.
func TestPinFollowsParallelism(t *testing.T) {
	var set unix.CPUSet
	if err := unix.SchedGetaffinity(0, &set); err != nil || set.Count() < 2 {
		t.Skip("one CPU: nothing to spread")
	}
	if b, err := os.ReadFile("/proc/self/schedstat"); err != nil || len(strings.Fields(string(b))) < 2 || strings.Fields(string(b))[1] == "0" {
		t.Skip("the kernel reports no run-queue waits (/proc/PID/schedstat): PinAuto cannot measure")
	}
	// $1: where the child writes its pid; $2: a fifo whose opening
	// starts the spin, at the same time in both children, after every
	// stop of their start; $3: the file that ends it.
	spin := `echo $$ >"$1.tmp" && mv "$1.tmp" "$1"
read x <"$2" || true
while [ ! -e "$3" ]; do :; done`
	for _, tc := range []struct {
		name string
		cfg  tracer.Config
	}{
		{"seccomp", tracer.Config{}},
		{"every call", tracer.Config{NoSeccomp: true}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			a, b, stop, after := filepath.Join(dir, "a"), filepath.Join(dir, "b"), filepath.Join(dir, "stop"), filepath.Join(dir, "after")
			start := filepath.Join(dir, "start")
			if err := unix.Mkfifo(start, 0o600); err != nil {
				t.Fatal(err)
			}
			// Held open read-write: a child's open never blocks, and its
			// read waits for the line written when both are ready,
			// however late it comes (under emulation a child may reach
			// the fifo long after the other).
			fifo, err := os.OpenFile(start, os.O_RDWR, 0)
			if err != nil {
				t.Fatal(err)
			}
			defer fifo.Close()
			// After both children: 0.3 s of the shell alone, then its
			// CPU list.
			script := `sh -c "$1" sh "$2" "$4" "$5" & sh -c "$1" sh "$3" "$4" "$5" & wait
sleep 0.3
while read -r k v; do [ "$k" = Cpus_allowed_list: ] && echo "$v"; done </proc/$$/status >"$6"; true`
			type outcome struct {
				tr  *tracer.Tracer
				tl  string
				res tracer.Result
			}
			done := make(chan outcome, 1)
			go func() {
				tr, tl, res := runTracedWith(t, tc.cfg, "sh", "-c", script, "sh", spin, a, b, start, stop, after)
				done <- outcome{tr, tl, res}
			}()
			// Make stop whatever happens, so that the children end.
			defer os.WriteFile(stop, nil, 0o644)
			deadline := time.Now().Add(time.Minute)
			for time.Now().Before(deadline) {
				_, errA := os.Stat(a)
				_, errB := os.Stat(b)
				if errA == nil && errB == nil {
					break
				}
				time.Sleep(10 * time.Millisecond)
			}
			t0 := time.Now()
			// A line for each child: both go.
			time.Sleep(100 * time.Millisecond)
			if _, err := fifo.Write([]byte("go\ngo\n")); err != nil {
				t.Fatal(err)
			}
			spread := map[string]bool{}
			for len(spread) < 2 && time.Now().Before(deadline) {
				time.Sleep(10 * time.Millisecond)
				for _, f := range []string{a, b} {
					pid, err := os.ReadFile(f)
					if err != nil {
						continue
					}
					status, err := os.ReadFile("/proc/" + strings.TrimSpace(string(pid)) + "/status")
					if err == nil && strings.ContainsAny(cpusAllowed(string(status)), ",-") {
						spread[f] = true
					}
				}
			}
			// What the test saw, for a run that ends late (once, under
			// emulation, the seccomp case ran past its two minutes).
			t.Logf("%d children spread after %v", len(spread), time.Since(t0).Round(time.Millisecond))
			if err := os.WriteFile(stop, nil, 0o644); err != nil {
				t.Fatal(err)
			}
			o := <-done
			t.Logf("the trace ended %v after the children started", time.Since(t0).Round(time.Millisecond))
			if o.res.Status() != 0 {
				t.Fatalf("status %d\n%s", o.res.Status(), o.tl)
			}
			if len(spread) < 2 {
				t.Errorf("after a minute of computing side by side, %d of the 2 children run on more than one CPU", len(spread))
			}
			spreads, shares := tracer.PinMoves(o.tr)
			t.Logf("spread %d times, shared again %d times", spreads, shares)
			if got := strings.TrimSpace(mustReadString(t, after)); strings.ContainsAny(got, ",-") {
				t.Errorf("the shell alone afterwards runs on CPUs %q, want one", got)
			}
		})
	}
}

func mustReadString(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// runTracedWith is runTraced, returning the tracer for what it counted.
func runTracedWith(t *testing.T, cfg tracer.Config, argv ...string) (*tracer.Tracer, string, tracer.Result) {
	t.Helper()
	path, err := exec.LookPath(argv[0])
	if err != nil {
		t.Fatal(err)
	}
	spec := &rawchild.Spec{}
	if err := spec.SetExec(path, argv, os.Environ()); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	tl := text.New(&buf)
	ctx, cancel := context.WithTimeout(context.Background(), 120*time.Second)
	defer cancel()
	tr := tracer.New(cfg, tl)
	res, err := tr.Run(ctx, spec)
	skipIfNoPtrace(t, err)
	if err != nil {
		t.Fatalf("trace %v: %v", argv, err)
	}
	tl.Flush()
	return tr, buf.String(), res
}

// TestPinSamplesAfterSpawn: the monitor reads nothing while one task is
// traced (one task alone never spreads), and samples once a tracee has
// created another.
func TestPinSamplesAfterSpawn(t *testing.T) {
	var set unix.CPUSet
	if err := unix.SchedGetaffinity(0, &set); err != nil || set.Count() < 2 {
		t.Skip("one CPU: no monitor")
	}
	sleep, err := exec.LookPath("sleep")
	if err != nil {
		t.Skip(err)
	}
	// Long enough for many of the monitor's 5 ms samples.
	tr, tl, res := runTracedWith(t, tracer.Config{}, sleep, "0.1")
	if res.Status() != 0 {
		t.Fatalf("status %d\n%s", res.Status(), tl)
	}
	if n := tracer.PinSamples(tr); n != 0 {
		t.Errorf("one process: the monitor took %d samples, want none", n)
	}
	tr, tl, res = runTracedWith(t, tracer.Config{}, "sh", "-c", sleep+" 0.3; true")
	if res.Status() != 0 {
		t.Fatalf("status %d\n%s", res.Status(), tl)
	}
	if n := tracer.PinSamples(tr); n == 0 {
		t.Errorf("a shell and its child: the monitor took no sample in 0.3 s")
	}
}

// TestPinTasksFollowAccounts: the pin monitor's copy of the traced tasks
// is the accounts' at every wait, through threads, forks and a thread's
// exec (which gives the leader's tid to the thread), and empty at the end.
func TestPinTasksFollowAccounts(t *testing.T) {
	var set unix.CPUSet
	if err := unix.SchedGetaffinity(0, &set); err != nil || set.Count() < 2 {
		t.Skip("one CPU: no monitor")
	}
	bin := testutil.BuildC(t, "testdata/execagain.c", "-pthread")
	spec := &rawchild.Spec{}
	if err := spec.SetExec(bin, []string{bin}, os.Environ()); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	tr := tracer.New(tracer.Config{}, text.New(&buf))
	var wrong string
	waits := 0
	tracer.BeforeWait(tr, func(int) {
		waits++
		if w := tracer.PinTasksWrong(tr); w != "" && wrong == "" {
			wrong = w
		}
	})
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	res, err := tr.Run(ctx, spec)
	skipIfNoPtrace(t, err)
	if err != nil || res.Status() != 5 {
		t.Fatalf("trace: %v, status %d, want 5", err, res.Status())
	}
	if wrong != "" {
		t.Errorf("in %d waits: %s", waits, wrong)
	}
	if n, p, fds := tracer.Accounts(tr); n != 0 || p != 0 || fds != 0 {
		t.Errorf("after the program ended the tracer still holds %d tasks, %d processes, %d pidfds", n, p, fds)
	}
}

// TestPinLeavesOwnMask: a program that binds itself to CPUs keeps its
// mask under every policy, its child too, also when it binds itself to
// the CPU it runs on, the very mask the pin gave it (which the pin once
// took for its own and spread, giving the program every CPU). A call that
// fails binds nothing: such a program is spread like any other.
func TestPinLeavesOwnMask(t *testing.T) {
	var set unix.CPUSet
	if err := unix.SchedGetaffinity(0, &set); err != nil || set.Count() < 2 {
		t.Skip("one CPU: nothing to pin")
	}
	var cpus []string
	for c := 0; c < 1024 && len(cpus) < set.Count(); c++ {
		if set.IsSet(c) {
			cpus = append(cpus, strconv.Itoa(c))
		}
	}
	all := strings.Join(cpus, ",")
	bin := testutil.BuildC(t, "testdata/ownmask.c")
	policies := []struct {
		name string
		cfg  tracer.Config
		// spreads: a program that binds nothing runs on every CPU after
		// its fork (nil: it depends on the monitor's measure).
		spreads *bool
	}{
		{"auto, seccomp", tracer.Config{}, nil},
		{"auto, every call", tracer.Config{NoSeccomp: true}, nil},
		{"spawn, seccomp", tracer.Config{Pin: tracer.PinSpawn}, ptr(true)},
		{"always", tracer.Config{Pin: tracer.PinAlways}, ptr(false)},
		{"never", tracer.Config{Pin: tracer.PinNever}, ptr(true)},
	}
	for _, p := range policies {
		for _, bind := range []string{"cur", cpus[len(cpus)-1], "fail"} {
			t.Run(p.name+"/"+bind, func(t *testing.T) {
				out := filepath.Join(t.TempDir(), "masks")
				_, tl, res := runTracedWith(t, p.cfg, bin, out, bind)
				if res.Status() != 0 {
					t.Fatalf("status %d\n%s", res.Status(), tl)
				}
				b, err := os.ReadFile(out)
				if err != nil {
					t.Fatal(err)
				}
				got := map[string]string{}
				for _, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
					k, v, _ := strings.Cut(line, "=")
					got[k] = v
				}
				want := got["set"]
				if bind == "fail" {
					if want != "fail" {
						t.Fatalf("an empty mask was taken: %q", b)
					}
					if p.spreads == nil {
						return
					}
					want = all
					if !*p.spreads {
						want = got["after_fork"]
						if strings.Contains(want, ",") {
							t.Errorf("always pinned, the program runs on %q", want)
						}
					}
				} else if want == "" || strings.Contains(want, ",") || (bind != "cur" && want != bind) {
					t.Fatalf("the program bound itself to %q, asked %q", want, bind)
				}
				for _, k := range []string{"after_fork", "child", "later"} {
					if got[k] != want {
						t.Errorf("%s: runs on CPUs %q, want %q (bound itself to %q; mmtrace's CPUs %q)", k, got[k], want, got["set"], all)
					}
				}
			})
		}
	}
}

func ptr[T any](v T) *T { return &v }
