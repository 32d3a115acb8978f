package explain

import (
	"fmt"
	"strings"
	"testing"
	"unicode"

	"golang.org/x/sys/unix"

	"github.com/mmtrace/mmtrace/tracer"
	"github.com/mmtrace/mmtrace/tracer/model"
	"github.com/mmtrace/mmtrace/tracer/sys"
)

// TestNamesEscaped runs every kind of note that names a file or a program
// with names that would act on a terminal if printed raw, in both
// languages, and checks that each note shows the name escaped as strace
// escapes strings, and that nothing in any note is a control character.
func TestNamesEscaped(t *testing.T) {
	tests := []struct {
		name  string
		file  string // a base name
		shown string // how a note must show it
	}{
		{"a newline forging a line", "a\n12345 0.0 openat(AT_FDCWD, \"x\") = 3", `a\n12345 0.0 openat(AT_FDCWD, \"x\") = 3`},
		{"escape sequences", "\x1b[31mred\x1b]0;title\a", `\33[31mred\33]0;title\7`},
		{"tab, carriage return, del", "a\tb\rc\x7f", `a\tb\rc\177`},
		{"c1 control", "a\u009b31m", `a\302\23331m`},
		{"bidi override", "\u202etxt.exe", `\342\200\256txt.exe`},
		{"invalid utf-8", "a\xff\xfe", `a\377\376`},
		{"backslash", `a\nb`, `a\\nb`},
		{"chinese stays readable", "数据.txt", "数据.txt"},
	}
	for _, tc := range tests {
		for _, lang := range []Lang{EN, ZH} {
			t.Run(tc.name+"/"+lang.String(), func(t *testing.T) {
				dir := "/tmp/esc"
				path := dir + "/" + tc.file
				prog := dir + "/run-" + tc.file
				steps := []struct {
					step
					named bool // its notes must show the name
				}{
					{openat(t, P, path, creat, 3), true},
					{step{e: sc(t, P, "ftruncate", 0, 3, 4)}, true},
					{step{e: mmap(t, P, 4, rw, shared, 3, 0, addr), fix: sized(4)}, true},
					{step{e: sc(t, P, "msync", 0, addr, page, unix.MS_SYNC)}, true},
					{step{e: spawn(P, C)}, false},
					{step{e: forkCall(t, P, C)}, true},
					{step{e: exited(C, 0, 0)}, true},
					{step{e: sc(t, P, "wait4", C, fd64(C), 0, 0, 0)}, false},
					{step{e: sc(t, P, "mprotect", 0, addr, page, unix.PROT_READ)}, true},
					{step{e: sc(t, P, "munmap", 0, addr, 4)}, true},
					{step{e: signal(P, unix.SIGSEGV, 1, addr)}, true},
					{step{e: sc(t, P, "close", 0, 3)}, true},
					{step{e: sc(t, P, "openat", neg(unix.ENOENT), fd64(unix.AT_FDCWD), str(path), unix.O_RDONLY)}, true},
					{step{e: sc(t, P, "openat", neg(unix.EACCES), fd64(unix.AT_FDCWD), str(path), unix.O_RDWR)}, true},
					{step{e: sc(t, P, "truncate", neg(unix.ENOENT), str(path), 4)}, true},
					// An empty file mapped, then touched: SIGBUS.
					{openat(t, P, path, creat, 4), true},
					{step{e: mmap(t, P, 4, rw, shared, 4, 0, addr), fix: sized(0)}, true},
					{step{e: signal(P, unix.SIGBUS, 2, addr)}, true},
					{step{e: sc(t, P, "unlinkat", 0, fd64(unix.AT_FDCWD), str(path), 0)}, true},
					{step{e: unlinkENOENT(t, P, path)}, true},
					{step{e: sc(t, P, "execve", neg(unix.EACCES), str(prog), 0, 0)}, true},
					{step{e: sc(t, P, "execve", neg(unix.ENOENT), str(prog), 0, 0)}, true},
					{step{e: sc(t, P, "execve", 0, str(prog), 0, 0)}, true},
					{step{e: exited(P, 0, unix.SIGBUS)}, true},
				}
				m := model.New()
				x := New(lang, m)
				for i, s := range steps {
					ch := m.Apply(s.e)
					if s.fix != nil {
						s.fix(m, &ch)
					}
					notes := x.Notes(s.e, ch)
					label := fmt.Sprintf("step %d (%s)", i, describe(s.e))
					text := strings.Join(notes, " ")
					if s.named && !strings.Contains(text, tc.shown) {
						t.Errorf("%s: notes lack %s:\n%s", label, tc.shown, strings.Join(notes, "\n"))
					}
					for _, l := range notes {
						for _, r := range l {
							if !unicode.IsPrint(r) {
								t.Errorf("%s: %U in note %q", label, r, l)
								break
							}
						}
					}
				}
			})
		}
	}
}

// unlinkENOENT is unlink(path) failing with ENOENT; unlinkat where the
// architecture has no unlink (arm64), rather than skipping the test there.
func unlinkENOENT(t *testing.T, pid int, path string) *tracer.Event {
	if _, ok := sys.Number(sys.HostArch(), "unlink"); ok {
		return sc(t, pid, "unlink", neg(unix.ENOENT), str(path))
	}
	return sc(t, pid, "unlinkat", neg(unix.ENOENT), fd64(unix.AT_FDCWD), str(path), 0)
}
