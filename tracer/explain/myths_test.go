package explain_test

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/mmtrace/mmtrace/internal/rawchild"
	"github.com/mmtrace/mmtrace/internal/testutil"
	"github.com/mmtrace/mmtrace/tracer"
	"github.com/mmtrace/mmtrace/tracer/model"
)

// The notes' myths and the --verbatim programs: what mmtrace says under
// their calls. Each scenario's After checks what the kernel did (runScenario
// fails the test when it finds otherwise); the claims below that need more
// check it themselves.

func TestMythsNotes(t *testing.T) {
	tests := []struct {
		scenario string
		args     []string
		en, zh   []string
	}{{
		scenario: "myths",
		args:     []string{"oob-store"},
		en: []string{
			"oob.txt is 4 bytes long: touching the mapping's last 1 page (past its end) raises SIGBUS",
			// The store one page past the mapping, in the child.
			"lies in no mapping of this process: there is nothing there to read or write",
			"killed by SIGSEGV: it touched 0x",
		},
		zh: []string{"不在本进程的任何映射中"},
	}, {
		scenario: "myths",
		args:     []string{"unlinked-ipc"},
		en: []string{
			"the name unlinked.txt is gone; the file lives on while a fd or a mapping still uses it",
			": unlinked.txt (1 page): stores are seen by all",
		},
		zh: []string{"目录项 unlinked.txt 已删除"},
	}, {
		scenario: "myths",
		args:     []string{"shared-offset"},
		en: []string{
			"lseek(3, 0, SEEK_CUR) = 6",
			"fd 3 is at offset 6 of offset.txt: the open file's offset, shared with any child forked since",
		},
		zh: []string{"文件描述符 3 在 offset.txt 中的偏移量为 6：它属于打开的文件，之后 fork 的子进程也共用它"},
	}, {
		scenario: "write",
		args:     []string{"--verbatim"},
		en: []string{
			"mmap(NULL, 4, PROT_WRITE, MAP_SHARED, 3, 0) = 0x",
			"PROT_WRITE without PROT_READ: reads work all the same",
		},
		zh: []string{"只有 PROT_WRITE 没有 PROT_READ"},
	}, {
		scenario: "anon",
		args:     []string{"--verbatim"},
		en:       []string{"(4 bytes rounded up to pages)"},
		zh:       []string{"（4 字节向上取整为整页）"},
	}}
	for _, tc := range tests {
		t.Run(tc.scenario+"/"+strings.Join(tc.args, ","), func(t *testing.T) {
			a := runScenario(t, tc.scenario, tc.args...)
			wantNotes(t, a, tc.en, tc.zh)
		})
	}
}

func wantNotes(t *testing.T, a *annotate, en, zh []string) {
	t.Helper()
	for i, want := range [][]string{en, zh} {
		tl := a.timeline[i].String()
		for _, w := range want {
			if !strings.Contains(tl, w) {
				t.Errorf("the %s timeline lacks %q:\n%s", []string{"English", "Chinese"}[i], w, tl)
			}
		}
	}
}

// TestClaimDevZeroCreat: "O_CREAT and O_TRUNC do nothing here: /dev/zero
// exists, and a device has no contents to empty". The notes' open works,
// /dev/zero is the same device afterwards and still reads as zeros, and
// mmtrace says so under the open.
func TestClaimDevZeroCreat(t *testing.T) {
	var before, after unix.Stat_t
	if err := unix.Stat("/dev/zero", &before); err != nil {
		t.Fatal(err)
	}
	a := runScenario(t, "devzero", "--verbatim")
	if err := unix.Stat("/dev/zero", &after); err != nil {
		t.Fatal(err)
	}
	if before.Ino != after.Ino || before.Rdev != after.Rdev || before.Mode != after.Mode || after.Mode&unix.S_IFMT != unix.S_IFCHR {
		t.Errorf("/dev/zero changed: before %+v, after %+v", before, after)
	}
	b := make([]byte, 64)
	f, err := os.Open("/dev/zero")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.Read(b); err != nil || !bytes.Equal(b, make([]byte, 64)) {
		t.Errorf("/dev/zero reads %q, %v", b, err)
	}
	wantNotes(t, a,
		[]string{
			`openat(AT_FDCWD, "/dev/zero", O_RDWR|O_CREAT|O_TRUNC, 0644) = 3`,
			"O_CREAT and O_TRUNC do nothing here: /dev/zero exists, and a device has no contents to empty",
			"ftruncate(3, 4) = -1 EINVAL",
			"the notes' program exits on this error",
		},
		[]string{"O_CREAT 和 O_TRUNC 在这里不起作用"})
	// The corrected program opens it O_RDWR alone: no such note.
	a = runScenario(t, "devzero")
	if tl := a.timeline[0].String(); strings.Contains(tl, "O_CREAT and O_TRUNC") {
		t.Errorf("the note shows without O_CREAT|O_TRUNC:\n%s", tl)
	}
}

// TestClaimGlibcOffset: "from C this call is never made: glibc's mmap()
// returns EINVAL itself, so strace shows no mmap". A C program's mmap at
// offset 1000 fails with EINVAL and its trace holds no mmap with that
// offset (the one at 4096 is there); the pitfall's raw call reaches the
// kernel, which answers EINVAL, and mmtrace's note under it says so.
func TestClaimGlibcOffset(t *testing.T) {
	prog := testutil.BuildC(t, filepath.Join("testdata", "offset.c"))
	spec := &rawchild.Spec{}
	if err := spec.SetExec(prog, []string{prog, filepath.Join(t.TempDir(), "off.txt")}, os.Environ()); err != nil {
		t.Fatal(err)
	}
	rec := &testutil.Record{}
	res := testutil.TraceSpec(t, spec, nil, rec)
	if res.Status() != 0 {
		t.Fatalf("the C program exited with %d: its mmap at offset 1000 did not fail with EINVAL, or the one at 4096 failed", res.Status())
	}
	var at1000, at4096 int
	for _, e := range rec.Events {
		if e.Kind != tracer.CallExit || e.Call.Name != "mmap" {
			continue
		}
		switch e.Call.Args[5] {
		case 1000:
			at1000++
		case 4096:
			at4096++
		}
	}
	if at1000 != 0 || at4096 != 1 {
		t.Errorf("mmap calls at offset 1000: %d (want 0: glibc refuses it), at 4096: %d (want 1)", at1000, at4096)
	}
	// strace, where it is installed, sees the same: no mmap at 0x3e8.
	if strace, err := exec.LookPath("strace"); err == nil {
		out, err := exec.Command(strace, "-e", "trace=mmap", prog, filepath.Join(t.TempDir(), "off.txt")).CombinedOutput()
		if err != nil {
			t.Fatalf("strace: %v\n%s", err, out)
		}
		if strings.Contains(string(out), ", 0x3e8)") || !strings.Contains(string(out), ", 0x1000) = 0x") {
			t.Errorf("strace shows an mmap at offset 1000, or none at 4096:\n%s", out)
		}
	}

	a := runScenario(t, "pitfalls", "offset")
	wantNotes(t, a,
		[]string{
			"mmap(NULL, 4, PROT_READ|PROT_WRITE, MAP_SHARED, 3, 0x3e8) = -1 EINVAL (Invalid argument)",
			"from C this call is never made: glibc's mmap() returns EINVAL itself, so strace shows no mmap",
		},
		[]string{"C 程序根本不会发出这次调用：glibc 的 mmap() 自己就返回 EINVAL"})
}

// modelSink applies each event to a model and keeps, for the calls of
// open-no-mmap, how many mappings the model had before and after.
type modelSink struct {
	m     *model.Model
	steps []string
}

func (s *modelSink) Event(e *tracer.Event) {
	var before int
	if p := s.m.Process(e.Pid); p != nil {
		before = len(p.Maps)
	}
	ch := s.m.Apply(e)
	if e.Kind != tracer.CallExit || ch.Proc == nil {
		return
	}
	switch e.Call.Name {
	case "openat", "mmap":
		added := ""
		if ch.Added != nil {
			added = filepath.Base(ch.Added.Path)
		}
		opened := ""
		if ch.FD.Path != "" {
			opened = " " + filepath.Base(ch.FD.Path)
		}
		s.steps = append(s.steps, fmt.Sprintf("%s%s: %d -> %d mappings, added %q",
			e.Call.Name, opened, before, len(ch.Proc.Maps), added))
	}
}

func (s *modelSink) Flush() error { return nil }

// TestOpenNoMmapModel: the model mmtrace's notes and --maps read from
// agrees with /proc/self/maps, which the scenario's own check compares:
// open adds no mapping, mmap adds open.txt's.
func TestOpenNoMmapModel(t *testing.T) {
	s := &modelSink{m: model.New()}
	testutil.TraceScenario(t, nil, "myths", []string{"open-no-mmap"}, s)
	if len(s.steps) != 3 {
		t.Fatalf("steps %q, want the two opens and the mmap", s.steps)
	}
	var n int
	if _, err := fmt.Sscanf(s.steps[1], "openat open.txt: %d -> ", &n); err != nil {
		t.Fatalf("%q: %v", s.steps[1], err)
	}
	want := []string{
		fmt.Sprintf("openat open.txt: %d -> %d mappings, added %q", n, n, ""),
		fmt.Sprintf("mmap: %d -> %d mappings, added %q", n, n+1, "open.txt"),
	}
	if s.steps[1] != want[0] || s.steps[2] != want[1] {
		t.Errorf("the model saw\n\t%s\nwant\n\t%s", strings.Join(s.steps[1:], "\n\t"), strings.Join(want, "\n\t"))
	}
}
