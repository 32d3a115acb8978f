package scenarios_test

import (
	"bufio"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/mmtrace/mmtrace/tracer"
)

// The copy never damages DST: every way it can fail leaves an existing
// DST byte for byte as it was, and nothing beside it.

// TestCopyKernelFiles: files of /proc and /sys report a size of 0 or 4096
// whatever they hold, and cannot be mapped. The copy is refused before DST
// is touched (it used to empty DST, or fill it with 4096 zero bytes).
func TestCopyKernelFiles(t *testing.T) {
	for _, src := range []string{"/proc/cpuinfo", "/proc/self/status", "/sys/kernel/mm/transparent_hugepage/enabled"} {
		t.Run(strings.ReplaceAll(src, "/", "_"), func(t *testing.T) {
			if _, err := os.Stat(src); err != nil {
				t.Skip(err)
			}
			dir := t.TempDir()
			dst := filepath.Join(dir, "keep.txt")
			keep := keepFile(t, dst)
			_, _, _, err := planCopy(t, src, dst)
			if err == nil {
				t.Fatalf("copy %s was planned", src)
			}
			if want := src + " cannot be mapped, it has no pages"; !strings.Contains(err.Error(), want) || !strings.HasSuffix(err.Error(), "; use cp") {
				t.Errorf("error %q, want %q ... use cp", err, want)
			}
			sameBytes(t, dst, keep)
			onlyFiles(t, dir, "keep.txt")
		})
	}
}

// TestCopyEmptyReal: a real empty SRC still copies, as an empty file that
// replaces DST.
func TestCopyEmptyReal(t *testing.T) {
	dir := t.TempDir()
	src, dst := filepath.Join(dir, "empty"), filepath.Join(dir, "dst")
	randomFile(t, src, 0)
	keepFile(t, dst)
	o := traceCopy(t, nil, src, dst)
	if o.after != nil {
		t.Fatal(o.after)
	}
	sameBytes(t, dst, nil)
	onlyFiles(t, dir, "empty", "dst")
}

// pidsCgroup makes a cgroup of the pids controller allowing max tasks and
// returns its cgroup.procs file; it skips where there is none to use.
func pidsCgroup(t *testing.T, max int) string {
	t.Helper()
	f, err := os.Open("/proc/self/mountinfo")
	if err != nil {
		t.Skip(err)
	}
	defer f.Close()
	var root string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		// id parent dev root mountpoint options... - fstype source superoptions
		pre, post, ok := strings.Cut(sc.Text(), " - ")
		fields, tail := strings.Fields(pre), strings.Fields(post)
		if !ok || len(fields) < 5 || len(tail) < 3 {
			continue
		}
		mnt := fields[4]
		switch tail[0] {
		case "cgroup":
			for _, o := range strings.Split(tail[2], ",") {
				if o == "pids" {
					root = mnt
				}
			}
		case "cgroup2":
			if b, err := os.ReadFile(filepath.Join(mnt, "cgroup.subtree_control")); err == nil && strings.Contains(string(b), "pids") && root == "" {
				root = mnt
			}
		}
	}
	if root == "" {
		t.Skip("no cgroup with the pids controller")
	}
	cg, err := os.MkdirTemp(root, "mmtrace-test-")
	if err != nil {
		t.Skipf("cannot make a cgroup: %v", err)
	}
	t.Cleanup(func() {
		// Empty once every process in it has been reaped.
		for i := 0; i < 100; i++ {
			if err := os.Remove(cg); err == nil || errors.Is(err, os.ErrNotExist) {
				return
			}
			time.Sleep(10 * time.Millisecond)
		}
		t.Errorf("cgroup %s not removed", cg)
	})
	if err := os.WriteFile(filepath.Join(cg, "pids.max"), []byte(strconv.Itoa(max)), 0); err != nil {
		t.Skipf("pids.max: %v", err)
	}
	return filepath.Join(cg, "cgroup.procs")
}

// intoCgroup moves the scenario's first process into a cgroup at its
// first event, while it is stopped and before it forks: its children
// follow it, the tracer stays out.
type intoCgroup struct {
	procs string
	moved int
	err   error
}

func (c *intoCgroup) Event(e *tracer.Event) {
	if c.moved != 0 {
		return
	}
	c.moved = e.Pid
	c.err = os.WriteFile(c.procs, []byte(strconv.Itoa(e.Pid)), 0)
}
func (c *intoCgroup) Flush() error { return nil }

var forkEAGAIN = regexp.MustCompile(`^(fork|clone)\(.*\) = -1 EAGAIN`)

// TestCopyForkFails: a fork refused by the kernel mid-way (EAGAIN, here
// from a pids cgroup that allows the copy's process and two children) is
// a clean error: the children started are reaped, DST is untouched and
// the temporary copy is gone.
func TestCopyForkFails(t *testing.T) {
	procs := pidsCgroup(t, 3)
	dir := t.TempDir()
	src, dst := filepath.Join(dir, "src"), filepath.Join(dir, "dst")
	want := randomFile(t, src, 10*4096)
	keep := keepFile(t, dst)
	cg := &intoCgroup{procs: procs}
	o := traceCopy(t, []tracer.Sink{cg}, src, dst, "-n", "5")
	if cg.err != nil {
		t.Skipf("cannot move the copy into the cgroup: %v", cg.err)
	}
	if o.after == nil {
		t.Fatalf("the copy succeeded with 2 children allowed\n%s", o.timeline)
	}
	if got, want := o.after.Error(), "cannot fork child 3 of 5: resource temporarily unavailable; the 2 children forked before it were reaped; "+dst+" is untouched"; got != want {
		t.Errorf("error\n%q, want\n%q", got, want)
	}
	failed := 0
	for _, c := range o.rec.calls() {
		if forkEAGAIN.MatchString(c) {
			failed++
		}
	}
	if failed != 1 {
		t.Errorf("%d forks failed with EAGAIN, want 1\n%s", failed, o.timeline)
	}
	n := 0
	for _, c := range o.rec.calls() {
		if reapedAny.MatchString(c) {
			n++
		}
	}
	if forks(o.outcome) != 2 || n != 2 {
		t.Errorf("%d forks, %d reaped; want 2 and 2\n%s", forks(o.outcome), n, o.timeline)
	}
	sameBytes(t, src, want)
	sameBytes(t, dst, keep)
	onlyFiles(t, dir, "src", "dst")
}

// mountExt2 mounts a fresh ext2 filesystem of sizeMiB on a loop device
// and returns its directory; it skips where mkfs.ext2 or loop mounts are
// missing. ext2 has no fallocate.
func mountExt2(t *testing.T, sizeMiB int) string {
	t.Helper()
	mkfs, err := exec.LookPath("mkfs.ext2")
	if err != nil {
		t.Skip("mkfs.ext2 not installed")
	}
	img := filepath.Join(t.TempDir(), "ext2.img")
	if err := os.WriteFile(img, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(img, int64(sizeMiB)<<20); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(mkfs, "-q", "-F", img).CombinedOutput(); err != nil {
		t.Skipf("mkfs.ext2: %v\n%s", err, out)
	}
	mnt := t.TempDir()
	if out, err := exec.Command("mount", "-o", "loop", img, mnt).CombinedOutput(); err != nil {
		t.Skipf("cannot mount a loop device: %v\n%s", err, out)
	}
	t.Cleanup(func() {
		if out, err := exec.Command("umount", mnt).CombinedOutput(); err != nil {
			t.Errorf("umount %s: %v\n%s", mnt, err, out)
		}
	})
	return mnt
}

// TestCopyExt2Full copies 20 MiB onto an 8 MiB ext2 filesystem, which has
// no fallocate: every child used to die of SIGBUS, leaving a sparse DST.
// Now the blocks are reserved by writing zeros, the full disk is an
// ENOSPC before anything is mapped, and DST is untouched.
func TestCopyExt2Full(t *testing.T) {
	mnt := mountExt2(t, 8)
	dir := t.TempDir()
	src, dst := filepath.Join(dir, "src"), filepath.Join(mnt, "dst")
	want := randomFile(t, src, 20<<20)
	keep := keepFile(t, dst)
	o := traceCopy(t, nil, src, dst)
	if o.status == 128+int(syscall.SIGBUS) || strings.Contains(o.timeline, "SIGBUS") {
		t.Fatalf("SIGBUS on a full disk\n%s", o.timeline)
	}
	if o.after == nil {
		t.Fatalf("a copy onto a full disk succeeded\n%s", o.timeline)
	}
	for _, w := range []string{"cannot reserve 20971520 bytes for " + dst + " (fallocate is not supported there, so by writing zeros): no space left on device", dst + " is untouched"} {
		if !strings.Contains(o.after.Error(), w) {
			t.Errorf("error %q lacks %q", o.after, w)
		}
	}
	wantCalls(t, o.outcome, "fallocate(")
	if count(o.outcome, "fallocate(") != count(o.outcome, "fallocate(4, 0, 0, 20971520) = -1 EOPNOTSUPP")+count(o.outcome, "fallocate(0x4, 0, 0, 0x1400000) = -1 EOPNOTSUPP") {
		t.Errorf("fallocate did not fail with EOPNOTSUPP on ext2:\n%s", o.timeline)
	}
	if n := count(o.outcome, "mmap("); n != 0 {
		t.Errorf("mapped after the reservation failed:\n%s", o.timeline)
	}
	sameBytes(t, src, want)
	sameBytes(t, dst, keep)
	onlyFiles(t, mnt, "dst", "lost+found")
}

// TestCopyExt2Fits: where the copy fits, ext2's missing fallocate costs a
// write of zeros, and says so.
func TestCopyExt2Fits(t *testing.T) {
	mnt := mountExt2(t, 8)
	dir := t.TempDir()
	src, dst := filepath.Join(dir, "src"), filepath.Join(mnt, "dst")
	want := randomFile(t, src, 1<<20+5)
	o := traceCopy(t, nil, src, dst, "-n", "3")
	if o.status != 0 || o.after != nil {
		t.Fatalf("status %d, %v\n%s", o.status, o.after, o.timeline)
	}
	sameBytes(t, dst, want)
	if !strings.Contains(o.out, "cannot reserve blocks with fallocate (EOPNOTSUPP): they were reserved by writing zeros first") {
		t.Errorf("no note on the zeros: %q", o.out)
	}
	onlyFiles(t, mnt, "dst", "lost+found")
}

// touchSrc changes SRC's modification time when the first child exits, as
// a writer of SRC during the copy would.
type touchSrc struct {
	src  string
	root int
	done bool
}

func (s *touchSrc) Event(e *tracer.Event) {
	if s.root == 0 {
		s.root = e.Pid
	}
	if e.Kind == tracer.Exit && e.Pid != s.root && !s.done {
		s.done = true
		later := time.Now().Add(time.Hour)
		os.Chtimes(s.src, later, later)
	}
}
func (s *touchSrc) Flush() error { return nil }

// spoilCopy writes over the start of part 2 of the temporary copy when the
// copy's process exits, after its children did their work: a copy gone
// wrong that the exit statuses cannot see.
type spoilCopy struct {
	file string
	off  int64
	root int
	err  error
}

func (s *spoilCopy) Event(e *tracer.Event) {
	if s.root == 0 {
		s.root = e.Pid
	}
	if e.Kind == tracer.Exit && e.Pid == s.root {
		f, err := os.OpenFile(s.file, os.O_WRONLY, 0)
		if err != nil {
			s.err = err
			return
		}
		_, s.err = f.WriteAt([]byte("spoilt"), s.off)
		f.Close()
	}
}
func (s *spoilCopy) Flush() error { return nil }

// TestCopyVerifies: the finished copy replaces DST only if it checks out.
func TestCopyVerifies(t *testing.T) {
	t.Run("src changed", func(t *testing.T) {
		dir := t.TempDir()
		src, dst := filepath.Join(dir, "src"), filepath.Join(dir, "dst")
		randomFile(t, src, 8*4096)
		keep := keepFile(t, dst)
		o := traceCopy(t, []tracer.Sink{&touchSrc{src: src}}, src, dst, "-n", "2")
		if o.after == nil || !strings.Contains(o.after.Error(), src+" changed during the copy") || !strings.HasSuffix(o.after.Error(), dst+" is untouched") {
			t.Fatalf("error %v, want SRC changed, DST untouched", o.after)
		}
		sameBytes(t, dst, keep)
		onlyFiles(t, dir, "src", "dst")
	})
	t.Run("copy spoilt", func(t *testing.T) {
		dir := t.TempDir()
		src, dst := filepath.Join(dir, "src"), filepath.Join(dir, "new")
		randomFile(t, src, 8*4096+100)
		spoil := &spoilCopy{file: filepath.Join(dir, ".new.mmtrace", "new"), off: 4 * 4096}
		o := traceCopy(t, []tracer.Sink{spoil}, src, dst, "-n", "2")
		if spoil.err != nil {
			t.Fatal(spoil.err)
		}
		if want := "the copy differs from " + src + " in the page at byte 16384; " + dst + " was not created"; o.after == nil || o.after.Error() != want {
			t.Fatalf("error %v, want %q", o.after, want)
		}
		onlyFiles(t, dir, "src")
	})
}

// TestCopyReplaces: DST is replaced by rename, as install does, keeping
// what cp would keep: its mode, and a symbolic link DST stays a link to
// the file that now holds the copy.
func TestCopyReplaces(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "src")
	want := randomFile(t, src, 3*4096+1)
	target, link := filepath.Join(dir, "target"), filepath.Join(dir, "link")
	keepFile(t, target) // mode 0600, SRC's is 0644
	if err := os.Symlink("target", link); err != nil {
		t.Fatal(err)
	}
	owner := os.Geteuid()
	if owner == 0 {
		owner = 65534 // root may give the new file the old one's owner
		if err := os.Chown(target, owner, owner); err != nil {
			t.Fatal(err)
		}
	}
	o := traceCopy(t, nil, src, link)
	if o.after != nil {
		t.Fatal(o.after)
	}
	sameBytes(t, target, want)
	if st, err := os.Lstat(link); err != nil || st.Mode()&os.ModeSymlink == 0 {
		t.Errorf("the link DST was replaced: %v %v", st.Mode(), err)
	}
	if st, err := os.Stat(target); err != nil || st.Mode().Perm() != 0o600 {
		t.Errorf("the replaced DST has mode %v, want its old -rw-------", st.Mode())
	} else if uid := st.Sys().(*syscall.Stat_t).Uid; int(uid) != owner {
		t.Errorf("the replaced DST belongs to uid %d, want its old owner %d", uid, owner)
	}
	onlyFiles(t, dir, "src", "target", "link")
}

// TestCopyStaging: the directory a copy is written in, beside DST, left by
// a copy that was killed, is removed by the next copy to DST; one that a
// running copy holds (locked) makes the copy an error, touching nothing.
func TestCopyStaging(t *testing.T) {
	for _, tc := range []struct {
		name    string
		locked  bool
		foreign bool   // holds a file the copy would not have made
		want    string // in the error; "" for success
	}{
		{name: "left by a killed copy"},
		{name: "held by a running copy", locked: true, want: "another mmtrace copy to it is running"},
		{name: "not mmtrace's", foreign: true, want: "or it is not mmtrace's"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			src, dst := filepath.Join(dir, "src"), filepath.Join(dir, "dst")
			want := randomFile(t, src, 2*4096)
			keep := keepFile(t, dst)
			stage := filepath.Join(dir, ".dst.mmtrace")
			if err := os.Mkdir(stage, 0o700); err != nil {
				t.Fatal(err)
			}
			randomFile(t, filepath.Join(stage, "dst"), 4096) // a half-made copy
			if tc.foreign {
				randomFile(t, filepath.Join(stage, "notes.txt"), 10)
			}
			if tc.locked {
				f, err := os.Open(stage)
				if err != nil {
					t.Fatal(err)
				}
				defer f.Close()
				if err := unix.Flock(int(f.Fd()), unix.LOCK_EX); err != nil {
					t.Fatal(err)
				}
			}
			plan, _, _, err := planCopy(t, src, dst)
			if tc.want != "" {
				if err == nil || !strings.Contains(err.Error(), tc.want) {
					t.Fatalf("error %v, want %q", err, tc.want)
				}
				sameBytes(t, dst, keep)
				if _, err := os.Stat(filepath.Join(stage, "dst")); err != nil {
					t.Errorf("the other copy's file was removed: %v", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			plan.Cleanup()
			o := traceCopy(t, nil, src, dst)
			if o.after != nil {
				t.Fatal(o.after)
			}
			sameBytes(t, dst, want)
			onlyFiles(t, dir, "src", "dst")
		})
	}
}

// TestCopyPlurals: one of a thing is not "1 things".
func TestCopyPlurals(t *testing.T) {
	dir := t.TempDir()
	src, dst := filepath.Join(dir, "src"), filepath.Join(dir, "dst")
	randomFile(t, src, 1)
	o := traceCopy(t, nil, src, dst)
	if o.after != nil {
		t.Fatal(o.after)
	}
	for _, w := range []string{
		"-n 5: " + src + " has only 1 page, so 1 process copies one part each\n",
		"copied 1 byte from " + src + " to " + dst + " with 1 process in ",
		"child 1 copied bytes [0, 1) (1 byte)\n",
		"1 page compared",
	} {
		if !strings.Contains(o.out, w) {
			t.Errorf("report lacks %q:\n%s", w, o.out)
		}
	}
	for _, bad := range []string{"1 pages", "1 processes", "1 bytes"} {
		if strings.Contains(o.out, bad) {
			t.Errorf("report says %q:\n%s", bad, o.out)
		}
	}
	if _, _, _, err := planCopy(t, src); err == nil || !strings.HasSuffix(err.Error(), "got 1 argument") {
		t.Errorf("one argument: %v", err)
	}
	if _, _, _, err := planCopy(t, src, dst, dst); err == nil || !strings.HasSuffix(err.Error(), "got 3 arguments") {
		t.Errorf("three arguments: %v", err)
	}
}

// TestCopyEscapesNames: the report prints SRC's and DST's names (and the
// temporary copy's) escaped: a newline or ESC in a name reaches no terminal.
func TestCopyEscapesNames(t *testing.T) {
	dir := t.TempDir()
	src, dst := filepath.Join(dir, "s\nrc"), filepath.Join(dir, "d\x1b[31mst")
	want := randomFile(t, src, 3*4096)
	keepFile(t, dst)
	o := traceCopy(t, nil, src, dst, "-n", "5")
	if o.after != nil {
		t.Fatal(o.after)
	}
	sameBytes(t, dst, want)
	if strings.Contains(o.out, "\x1b") || strings.Contains(o.out, "s\nrc") {
		t.Errorf("a raw name in the report:\n%q", o.out)
	}
	for _, w := range []string{`s\nrc has only 3 pages`, `d\33[31mst with 3 processes`, `.d\33[31mst.mmtrace/d\33[31mst, checked`} {
		if !strings.Contains(o.out, w) {
			t.Errorf("report lacks %q:\n%s", w, o.out)
		}
	}
}
