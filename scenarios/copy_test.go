package scenarios_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/spf13/pflag"
	"golang.org/x/sys/unix"

	"github.com/mmtrace/mmtrace/internal/testutil"
	"github.com/mmtrace/mmtrace/scenarios"
	"github.com/mmtrace/mmtrace/tracer"
	"github.com/mmtrace/mmtrace/tracer/filter"
	"github.com/mmtrace/mmtrace/tracer/text"
)

// copyOutcome is a copy run: what run gives, plus the scenario's directory.
type copyOutcome struct {
	outcome
	dir string
}

// traceCopy is run for the copy scenario, with the lesson's calls and
// fallocate in the trace, and extra sinks.
func traceCopy(t *testing.T, extra []tracer.Sink, args ...string) copyOutcome {
	t.Helper()
	plan, out, dir, err := planCopy(t, args...)
	if err != nil {
		t.Fatalf("plan: %v", err)
	}
	return tracePlan(t, plan, out, dir, extra)
}

// tracePlan traces a planned copy, then runs its After.
func tracePlan(t *testing.T, plan *scenarios.Plan, out *bytes.Buffer, dir string, extra []tracer.Sink) copyOutcome {
	t.Helper()
	calls := filter.Default()
	calls.Add("fallocate")
	rec := &record{}
	var tl bytes.Buffer
	tx := text.New(&tl)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	res, err := tracer.New(tracer.Config{Filter: calls}, append([]tracer.Sink{rec, tx}, extra...)...).Run(ctx, plan.Spec())
	if errors.Is(err, tracer.ErrNotPermitted) {
		t.Skipf("ptrace not permitted: %v", err)
	}
	if err != nil {
		t.Fatal(err)
	}
	tx.Flush()
	o := copyOutcome{outcome: outcome{rec: rec, timeline: tl.String(), status: res.Status()}, dir: dir}
	o.after = plan.After(res.Status())
	o.out = out.String()
	return o
}

// planCopy parses args as the command line does and plans a copy.
func planCopy(t *testing.T, args ...string) (*scenarios.Plan, *bytes.Buffer, string, error) {
	t.Helper()
	return planCopyCache(t, "", args...)
}

// planCopyCache is planCopy with a cache directory.
func planCopyCache(t *testing.T, cache string, args ...string) (*scenarios.Plan, *bytes.Buffer, string, error) {
	t.Helper()
	sc, ok := scenarios.Lookup("copy")
	if !ok {
		t.Fatal("no copy scenario")
	}
	fs := pflag.NewFlagSet("copy", pflag.ContinueOnError)
	fs.SetOutput(io.Discard)
	sc.Flags(fs)
	if err := fs.Parse(args); err != nil {
		t.Fatalf("flags %q: %v", args, err)
	}
	out := &bytes.Buffer{}
	dir := t.TempDir()
	plan, err := sc.Plan(&scenarios.Env{Dir: dir, Out: out, CacheDir: cache}, fs.Args())
	return plan, out, dir, err
}

// randomFile writes size bytes that never repeat to path and returns them.
func randomFile(t *testing.T, path string, size int) []byte {
	t.Helper()
	b := make([]byte, size)
	rand.NewChaCha8([32]byte{byte(size), byte(size >> 8), byte(size >> 16)}).Read(b)
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return b
}

// count returns how many completed calls start with prefix.
func count(o outcome, prefix string) int {
	n := 0
	for _, c := range o.rec.calls() {
		if strings.HasPrefix(c, prefix) {
			n++
		}
	}
	return n
}

// forks counts the processes created: fork on amd64, clone on arm64. A
// fork that a signal interrupted (ERESTARTNOINTR) created none.
func forks(o outcome) int {
	n := 0
	for _, c := range o.rec.calls() {
		if forked.MatchString(c) {
			n++
		}
	}
	return n
}

var forked = regexp.MustCompile(`^(fork|clone)\(.*\) = \d+$`)

var reapedOK = regexp.MustCompile(`^wait4\(\d+, \[\{WIFEXITED\(s\) && WEXITSTATUS\(s\) == 0\}\], 0, NULL\) = \d+$`)

var reapedAny = regexp.MustCompile(`^wait4\(\d+, \[.*\], 0, NULL\) = \d+$`)

func reaped(o outcome) int {
	n := 0
	for _, c := range o.rec.calls() {
		if reapedOK.MatchString(c) {
			n++
		}
	}
	return n
}

func sameBytes(t *testing.T, path string, want []byte) {
	t.Helper()
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		i := 0
		for i < len(got) && i < len(want) && got[i] == want[i] {
			i++
		}
		t.Fatalf("%s: %d bytes, want %d; first difference at byte %d", path, len(got), len(want), i)
	}
}

func TestCopySizes(t *testing.T) {
	const page = 4096
	sizes := []int{0, 1, page - 1, page, page + 1, 5*page + 3, 64<<20 + 1}
	for _, size := range sizes {
		for _, n := range []int{1, 2, 5, 16, 100000} {
			t.Run(fmt.Sprintf("%d/n=%d", size, n), func(t *testing.T) {
				if size > 1<<20 && testing.Short() {
					t.Skip("64 MiB copy: not with -short")
				}
				if size > 1<<20 && n > 16 {
					// The clamp is checked on the small sizes; here it
					// would be 16385 traced processes, minutes of test.
					t.Skip("64 MiB with N cut to 16385 pages: too slow for a test")
				}
				dir := t.TempDir()
				src, dst := filepath.Join(dir, "src"), filepath.Join(dir, "dst")
				want := randomFile(t, src, size)
				o := traceCopy(t, nil, src, dst, "-n", fmt.Sprint(n))
				if o.status != 0 || o.after != nil {
					t.Fatalf("status %d, after: %v\n%s", o.status, o.after, o.timeline)
				}
				sameBytes(t, dst, want)
				sameBytes(t, src, want)

				pages := (size + page - 1) / page
				procs := min(n, pages)
				if got := forks(o.outcome); got != procs {
					t.Errorf("%d processes forked, want %d\n%s", got, procs, o.timeline)
				}
				if got := reaped(o.outcome); got != procs {
					t.Errorf("%d processes reaped with status 0, want %d\n%s", got, procs, o.timeline)
				}
				note := fmt.Sprintf("-n %d: %s has only %d pages, so %d processes copy one part each", n, src, pages, pages)
				if pages == 1 {
					note = fmt.Sprintf("-n %d: %s has only 1 page, so 1 process copies one part each", n, src)
				}
				clamped := strings.Contains(o.out, note)
				if clamped != (n > pages && pages > 0) {
					t.Errorf("clamping reported %v, want %v: %q", clamped, n > pages, o.out)
				}
				onlyFiles(t, dir, "src", "dst")
			})
		}
	}
}

// TestCopyTimeline checks the calls of the lesson, in order, and each
// child's line naming its bytes.
func TestCopyTimeline(t *testing.T) {
	dir := t.TempDir()
	src, dst := filepath.Join(dir, "src"), filepath.Join(dir, "dst")
	want := randomFile(t, src, 2*4096+1)

	var o copyOutcome
	notes := captureStderr(t, func() { o = traceCopy(t, nil, src, dst, "-n", "2") })
	if o.status != 0 || o.after != nil {
		t.Fatalf("status %d, after: %v\n%s", o.status, o.after, o.timeline)
	}
	sameBytes(t, dst, want)
	wantCalls(t, o.outcome,
		fmt.Sprintf(`openat(AT_FDCWD, "%s", O_RDONLY) = 3`, src),
		fmt.Sprintf(`openat(AT_FDCWD, "%s", O_RDWR|O_CREAT|O_TRUNC, 0644) = 4`, filepath.Join(dir, ".dst.mmtrace", "dst")),
		`ftruncate(4, 8193) = 0`,
		`fallocate(`, // decoded generically for now: fallocate(0x4, 0, 0, 0x2001)
		`mmap(NULL, 8193, PROT_READ, MAP_SHARED, 3, 0) = 0x`,
		`mmap(NULL, 8193, PROT_READ|PROT_WRITE, MAP_SHARED, 4, 0) = 0x`,
		`madvise(0x`,
	)
	if n := count(o.outcome, "fallocate(") - count(o.outcome, "fallocate(0x4, 0, 0, 0x2001) = 0") - count(o.outcome, "fallocate(4, 0, 0, 8193) = 0"); n != 0 {
		t.Errorf("fallocate did not reserve DST's 8193 bytes:\n%s", o.timeline)
	}
	if forks(o.outcome) != 2 || reaped(o.outcome) != 2 {
		t.Errorf("%d forks and %d reaps with status 0, want 2 and 2\n%s", forks(o.outcome), reaped(o.outcome), o.timeline)
	}
	// After the reaps: both mappings gone, both files closed.
	calls := o.rec.calls()
	last := 0
	for i, c := range calls {
		if strings.HasPrefix(c, "wait4(") {
			last = i
		}
	}
	tail := strings.Join(calls[last+1:], "\n")
	for _, w := range []string{"munmap(0x", "munmap(0x", "close(3) = 0", "close(4) = 0"} {
		i := strings.Index(tail, w)
		if i < 0 {
			t.Fatalf("after the last wait4, no %q in order:\n%s", w, strings.Join(calls[last+1:], "\n"))
		}
		tail = tail[i+len(w):]
	}
	for _, w := range []string{
		"mmtrace copy: child 1 of 2 copies bytes [0, 4096) (4096 bytes)\n",
		"mmtrace copy: child 2 of 2 copies bytes [4096, 8193) (4097 bytes)\n",
	} {
		if !strings.Contains(notes, w) {
			t.Errorf("stderr lacks %q: %q", w, notes)
		}
	}
	for _, w := range []string{"copied 8193 bytes", "with 2 processes", "child 2 copied bytes [4096, 8193)"} {
		if !strings.Contains(o.out, w) {
			t.Errorf("report lacks %q: %q", w, o.out)
		}
	}
}

// captureStderr runs f with fd 2, which the scenario's processes inherit,
// sent to a file, and returns what was written there.
func captureStderr(t *testing.T, f func()) string {
	t.Helper()
	file, err := os.CreateTemp(t.TempDir(), "stderr")
	if err != nil {
		t.Fatal(err)
	}
	defer file.Close()
	saved, err := unix.Dup(2)
	if err != nil {
		t.Fatal(err)
	}
	if err := unix.Dup2(int(file.Fd()), 2); err != nil {
		t.Fatal(err)
	}
	func() {
		defer func() {
			unix.Dup2(saved, 2)
			unix.Close(saved)
		}()
		f()
	}()
	b, err := os.ReadFile(file.Name())
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestCopySample is `mmtrace copy` with no arguments, the README's first
// command: a generated sample copied to copy.bin, with 5 processes.
func TestCopySample(t *testing.T) {
	if testing.Short() {
		t.Skip("64 MiB sample: not with -short")
	}
	// A run with -n 2 first: the default must come back.
	dir := t.TempDir()
	randomFile(t, filepath.Join(dir, "a"), 3*4096)
	if o := traceCopy(t, nil, filepath.Join(dir, "a"), filepath.Join(dir, "b"), "-n", "2"); o.after != nil {
		t.Fatal(o.after)
	}

	o := traceCopy(t, nil)
	if o.status != 0 || o.after != nil {
		t.Fatalf("status %d, after: %v", o.status, o.after)
	}
	sample, err := os.ReadFile(filepath.Join(o.dir, "sample.bin"))
	if err != nil {
		t.Fatal(err)
	}
	if len(sample) != 64<<20 {
		t.Fatalf("sample of %d bytes, want 64 MiB", len(sample))
	}
	// Not a repeating pattern: no 4 KiB page equals the first.
	for off := 4096; off < len(sample); off += 4096 {
		if bytes.Equal(sample[:4096], sample[off:off+4096]) {
			t.Fatalf("the sample repeats: page at %d equals the first", off)
		}
	}
	sameBytes(t, filepath.Join(o.dir, "copy.bin"), sample)
	if forks(o.outcome) != 5 {
		t.Errorf("%d processes, want the default 5", forks(o.outcome))
	}
	for _, w := range []string{"generated sample", "copied 67108864 bytes", "/s)"} {
		if !strings.Contains(o.out, w) {
			t.Errorf("report lacks %q: %q", w, o.out)
		}
	}
}

func TestCopyEmpty(t *testing.T) {
	dir := t.TempDir()
	src, dst := filepath.Join(dir, "empty"), filepath.Join(dir, "dst")
	randomFile(t, src, 0)
	if err := os.WriteFile(dst, []byte("old contents"), 0o644); err != nil {
		t.Fatal(err)
	}
	o := traceCopy(t, nil, src, dst)
	if o.status != 0 || o.after != nil {
		t.Fatalf("status %d, after: %v\n%s", o.status, o.after, o.timeline)
	}
	sameBytes(t, dst, nil)
	if n := count(o.outcome, "mmap("); n != 0 {
		t.Errorf("%d mmap calls for an empty file:\n%s", n, o.timeline)
	}
	if n := forks(o.outcome); n != 0 {
		t.Errorf("%d processes forked for an empty file", n)
	}
	wantCalls(t, o.outcome, `openat(AT_FDCWD, "`+src, `openat(AT_FDCWD, "`+filepath.Join(dir, ".dst.mmtrace", "dst"), `close(3) = 0`, `close(4) = 0`)
	onlyFiles(t, dir, "empty", "dst")
	if !strings.Contains(o.out, "EINVAL") {
		t.Errorf("the report does not say why nothing was mapped: %q", o.out)
	}
}

// TestCopyIntoDirectory: DST a directory means DST/basename(SRC).
func TestCopyIntoDirectory(t *testing.T) {
	dir := t.TempDir()
	src, into := filepath.Join(dir, "data.bin"), filepath.Join(dir, "into")
	want := randomFile(t, src, 3*4096+7)
	if err := os.Mkdir(into, 0o755); err != nil {
		t.Fatal(err)
	}
	o := traceCopy(t, nil, src, into)
	if o.after != nil {
		t.Fatal(o.after)
	}
	sameBytes(t, filepath.Join(into, "data.bin"), want)
}

// TestCopyRefusals: each refusal comes from the plan, before anything is
// created or truncated.
func TestCopyRefusals(t *testing.T) {
	type setup struct{ dir, src string }
	cases := []struct {
		name string
		// args returns the arguments; the files are made in dir, SRC
		// (dir/src, random bytes) already exists.
		args  func(t *testing.T, s setup) []string
		usage bool
		want  string // in the error
		// untouched files must keep their bytes; absent files must stay absent.
		absent []string
	}{
		{name: "src missing", args: func(t *testing.T, s setup) []string {
			return []string{filepath.Join(s.dir, "nope"), filepath.Join(s.dir, "dst")}
		}, want: "no such file", absent: []string{"dst"}},
		{name: "src a directory", args: func(t *testing.T, s setup) []string {
			return []string{s.dir, filepath.Join(s.dir, "dst")}
		}, want: "is a directory", absent: []string{"dst"}},
		{name: "src a named pipe", args: func(t *testing.T, s setup) []string {
			fifo := filepath.Join(s.dir, "fifo")
			if err := unix.Mkfifo(fifo, 0o644); err != nil {
				t.Skip(err)
			}
			return []string{fifo, filepath.Join(s.dir, "dst")}
		}, want: "not a regular file (a named pipe)", absent: []string{"dst"}},
		{name: "src a device", args: func(t *testing.T, s setup) []string {
			return []string{"/dev/zero", filepath.Join(s.dir, "dst")}
		}, want: "not a regular file (a character device)", absent: []string{"dst"}},
		{name: "src unreadable", args: func(t *testing.T, s setup) []string {
			if os.Geteuid() == 0 {
				t.Skip("root reads any file")
			}
			os.Chmod(s.src, 0)
			t.Cleanup(func() { os.Chmod(s.src, 0o644) })
			return []string{s.src, filepath.Join(s.dir, "dst")}
		}, want: "permission denied", absent: []string{"dst"}},
		{name: "dst is src", args: func(t *testing.T, s setup) []string {
			return []string{s.src, s.src}
		}, want: "are the same file"},
		{name: "dst is src by another path", args: func(t *testing.T, s setup) []string {
			return []string{s.src, s.dir + "/./src"}
		}, want: "are the same file"},
		{name: "dst a hard link to src", args: func(t *testing.T, s setup) []string {
			link := filepath.Join(s.dir, "hard")
			if err := os.Link(s.src, link); err != nil {
				t.Skip(err)
			}
			return []string{s.src, link}
		}, want: "are the same file"},
		{name: "dst a symbolic link to src", args: func(t *testing.T, s setup) []string {
			link := filepath.Join(s.dir, "sym")
			if err := os.Symlink("src", link); err != nil {
				t.Fatal(err)
			}
			return []string{s.src, link}
		}, want: "are the same file"},
		{name: "src a symbolic link to dst", args: func(t *testing.T, s setup) []string {
			link := filepath.Join(s.dir, "sym")
			if err := os.Symlink("src", link); err != nil {
				t.Fatal(err)
			}
			return []string{link, s.src}
		}, want: "are the same file"},
		{name: "dst the directory holding src", args: func(t *testing.T, s setup) []string {
			return []string{s.src, s.dir}
		}, want: "are the same file"},
		{name: "dst a dangling symbolic link", args: func(t *testing.T, s setup) []string {
			if err := os.Symlink("target", filepath.Join(s.dir, "dangling")); err != nil {
				t.Fatal(err)
			}
			return []string{s.src, filepath.Join(s.dir, "dangling")}
		}, want: "dangling symbolic link", absent: []string{"target"}},
		{name: "dst a directory in the way", args: func(t *testing.T, s setup) []string {
			into := filepath.Join(s.dir, "into")
			if err := os.MkdirAll(filepath.Join(into, "src"), 0o755); err != nil {
				t.Fatal(err)
			}
			return []string{s.src, into}
		}, want: "cannot overwrite directory"},
		{name: "dst a device", args: func(t *testing.T, s setup) []string {
			return []string{s.src, "/dev/null"}
		}, want: "not a regular file (a character device)"},
		{name: "dst in a missing directory", args: func(t *testing.T, s setup) []string {
			return []string{s.src, filepath.Join(s.dir, "no", "dst")}
		}, want: "no such file", absent: []string{"no"}},
		{name: "one argument", args: func(t *testing.T, s setup) []string {
			return []string{s.src}
		}, usage: true, want: "SRC and DST"},
		{name: "three arguments", args: func(t *testing.T, s setup) []string {
			return []string{s.src, filepath.Join(s.dir, "a"), filepath.Join(s.dir, "b")}
		}, usage: true, want: "SRC and DST", absent: []string{"a", "b"}},
		{name: "n zero", args: func(t *testing.T, s setup) []string {
			return []string{s.src, filepath.Join(s.dir, "dst"), "-n", "0"}
		}, usage: true, want: "at least one process", absent: []string{"dst"}},
		{name: "n negative", args: func(t *testing.T, s setup) []string {
			return []string{s.src, filepath.Join(s.dir, "dst"), "-n=-3"}
		}, usage: true, want: "at least one process", absent: []string{"dst"}},
		{name: "n not a number", args: func(t *testing.T, s setup) []string {
			return []string{s.src, filepath.Join(s.dir, "dst"), "-n", "five"}
		}, usage: true, want: "whole number", absent: []string{"dst"}},
		{name: "n empty", args: func(t *testing.T, s setup) []string {
			return []string{"-n", "", s.src, filepath.Join(s.dir, "dst")}
		}, usage: true, want: "whole number", absent: []string{"dst"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			s := setup{dir: dir, src: filepath.Join(dir, "src")}
			want := randomFile(t, s.src, 3*4096+5)
			args := tc.args(t, s)

			plan, _, _, err := planCopy(t, args...)
			if err == nil {
				t.Fatalf("copy %q was planned, want an error with %q", args, tc.want)
				_ = plan
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q, want %q in it", err, tc.want)
			}
			var ue *scenarios.UsageError
			if errors.As(err, &ue) != tc.usage {
				t.Errorf("error %q (%T): usage error %v, want %v", err, err, !tc.usage, tc.usage)
			}
			sameBytes(t, s.src, want)
			for _, name := range tc.absent {
				if _, err := os.Lstat(filepath.Join(dir, name)); !errors.Is(err, os.ErrNotExist) {
					t.Errorf("%s was created by a refused copy", name)
				}
			}
		})
	}
}

// killNth is a sink that kills the nth process the root creates, as the
// kernel's OOM killer or a user's kill could: an honest failing child.
type killNth struct {
	root   int
	n, cnt int
	killed int
}

func (k *killNth) Event(e *tracer.Event) {
	if e.Kind != tracer.Spawn || e.Thread {
		return
	}
	if k.root == 0 {
		k.root = e.Pid
	}
	if e.Pid != k.root {
		return
	}
	k.cnt++
	if k.cnt == k.n {
		k.killed = e.Child
		unix.Kill(e.Child, unix.SIGKILL)
	}
}

func (k *killNth) Flush() error { return nil }

func TestCopyChildFails(t *testing.T) {
	dir := t.TempDir()
	src, dst := filepath.Join(dir, "src"), filepath.Join(dir, "dst")
	want := randomFile(t, src, 10*4096+1)
	keep := keepFile(t, dst)
	k := &killNth{n: 2}
	o := traceCopy(t, []tracer.Sink{k}, src, dst, "-n", "5")
	if k.killed == 0 {
		t.Fatalf("no second child to kill\n%s", o.timeline)
	}
	if o.status != 1 {
		t.Errorf("the copy's process ended with status %d, want 1", o.status)
	}
	if o.after == nil {
		t.Fatalf("a killed child did not fail the copy\n%s", o.timeline)
	}
	for _, w := range []string{"child 2 of 5, copying bytes [8192, 16384), was killed by SIGKILL (killed)", "1 of 5 parts failed", dst + " is untouched"} {
		if !strings.Contains(o.after.Error(), w) {
			t.Errorf("error %q lacks %q", o.after, w)
		}
	}
	// The others were still all reaped (a wait4 a signal interrupted,
	// ERESTARTSYS, reaped none).
	n := 0
	for _, c := range o.rec.calls() {
		if reapedAny.MatchString(c) {
			n++
		}
	}
	if n != 5 {
		t.Errorf("%d children reaped, want 5\n%s", n, o.timeline)
	}
	if r := reaped(o.outcome); r != 4 {
		t.Errorf("%d children reaped with status 0, want 4\n%s", r, o.timeline)
	}
	sameBytes(t, src, want)
	sameBytes(t, dst, keep)
	onlyFiles(t, dir, "src", "dst")
}

// TestCopyDiskFull copies 4 MiB into a 1 MiB tmpfs: the fallocate fails
// with ENOSPC, the copy is a clean error, nothing dies of SIGBUS.
func TestCopyDiskFull(t *testing.T) {
	dir := t.TempDir()
	small := filepath.Join(dir, "small")
	if err := os.Mkdir(small, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := unix.Mount("tmpfs", small, "tmpfs", 0, "size=1m"); err != nil {
		t.Skipf("cannot mount a small tmpfs: %v", err)
	}
	t.Cleanup(func() { unix.Unmount(small, unix.MNT_DETACH) })

	src, dst := filepath.Join(dir, "src"), filepath.Join(small, "dst")
	want := randomFile(t, src, 4<<20)
	keep := keepFile(t, dst)
	o := traceCopy(t, nil, src, dst)
	if o.status == 128+int(syscall.SIGBUS) || strings.Contains(o.timeline, "SIGBUS") {
		t.Fatalf("SIGBUS on a full disk\n%s", o.timeline)
	}
	if o.after == nil {
		t.Fatalf("a copy onto a full disk succeeded\n%s", o.timeline)
	}
	for _, w := range []string{"cannot reserve 4194304 bytes for " + dst, "no space left on device", dst + " is untouched"} {
		if !strings.Contains(o.after.Error(), w) {
			t.Errorf("error %q lacks %q", o.after, w)
		}
	}
	if n := count(o.outcome, "mmap("); n != 0 {
		t.Errorf("mapped after the reservation failed:\n%s", o.timeline)
	}
	if n := forks(o.outcome); n != 0 {
		t.Errorf("forked after the reservation failed:\n%s", o.timeline)
	}
	sameBytes(t, src, want)
	sameBytes(t, dst, keep)
	onlyFiles(t, small, "dst")
}

// TestCopyProgress: while a copy runs its children mark the bytes they
// have copied; at the end the marks add up to the file.
func TestCopyProgress(t *testing.T) {
	dir := t.TempDir()
	src, dst := filepath.Join(dir, "src"), filepath.Join(dir, "dst")
	size := 3*copyChunkForTest + 4097
	randomFile(t, src, size)
	plan, _ := testutil.PlanScenario(t, "copy", src, dst, "-n", "2")
	if plan.Progress == nil {
		t.Fatal("copy has no progress")
	}
	if done, total := plan.Progress(); done != 0 || total != int64(size) {
		t.Fatalf("before: %d of %d", done, total)
	}
	if _, err := tracer.New(tracer.Config{}).Run(context.Background(), plan.Spec()); err != nil {
		t.Fatal(err)
	}
	if done, total := plan.Progress(); done != int64(size) || total != int64(size) {
		t.Errorf("after: %d of %d, want all", done, total)
	}
	if err := plan.After(0); err != nil {
		t.Fatal(err)
	}
}

// copyChunkForTest is the children's progress step (8 MiB), so the file
// above takes several marks per child.
const copyChunkForTest = 8 << 20

// onlyFiles fails unless dir holds exactly names: nothing left behind.
func onlyFiles(t *testing.T, dir string, names ...string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range entries {
		got = append(got, e.Name())
	}
	slices.Sort(got)
	slices.Sort(names)
	if !slices.Equal(got, names) {
		t.Errorf("%s holds %q, want %q", dir, got, names)
	}
}

// keepFile writes a DST that must survive a failed copy, and returns its
// bytes.
func keepFile(t *testing.T, path string) []byte {
	t.Helper()
	b := []byte("precious: a failed copy must leave these bytes as they are\n")
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return b
}
