package tracer

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"unicode"

	"github.com/mmtrace/mmtrace/internal/glossary"
)

// fakeProc writes a /proc with the files given (path: contents).
func fakeProc(t *testing.T, files map[string]string) procFS {
	t.Helper()
	root := t.TempDir()
	for name, body := range files {
		p := filepath.Join(root, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return procFS{root}
}

// procStatus is a /proc/PID/status with the fields the diagnosis reads.
func procStatus(name string, tgid, tracer int, state, uid, gid, capEff string) string {
	return "Name:\t" + name + "\nState:\t" + state + "\nTgid:\t" + strconv.Itoa(tgid) +
		"\nTracerPid:\t" + strconv.Itoa(tracer) + "\nUid:\t" + uid + "\nGid:\t" + gid +
		"\nCapEff:\t" + capEff + "\nSeccomp:\t0\n"
}

// TestAttachRefusal checks each reason attachRefusal gives against a fake
// /proc (the kernel cases mmtrace can provoke here are run for real by
// cmd/mmtrace's TestAttachRefused; these cover what this machine cannot
// set up: Yama's scopes, setgid and non-dumpable targets, zombies).
func TestAttachRefusal(t *testing.T) {
	me := strconv.Itoa(os.Getuid())
	ids := me + "\t" + me + "\t" + me + "\t" + me
	gids := strconv.Itoa(os.Getgid())
	gids = gids + "\t" + gids + "\t" + gids + "\t" + gids
	const noCaps, allCaps = "0000000000000000", "000001ffffffffff"
	self := procStatus("mmtrace", 100, 0, "R (running)", ids, gids, noCaps)
	running := "S (sleeping)"
	stat := func(flags int) string {
		return "200 (a (b) c) S 1 200 200 0 -1 " + strconv.Itoa(flags) + " 0 0 0 0\n"
	}
	tests := []struct {
		name  string
		files map[string]string
		want  string
	}{
		{"no such process", map[string]string{"self/status": self}, "no such process"},
		{"kernel thread", map[string]string{"self/status": self, "200/stat": stat(pfKthread | 0x40), "200/status": procStatus("kthreadd", 200, 0, running, ids, gids, noCaps)},
			"it is a kernel thread (kthreadd)"},
		{"itself", map[string]string{"self/status": self, "200/stat": stat(0), "200/status": procStatus("mmtrace", 100, 0, running, ids, gids, noCaps)},
			"it is mmtrace itself"},
		{"zombie", map[string]string{"self/status": self, "200/stat": stat(0), "200/status": procStatus("a.out", 200, 0, "Z (zombie)", ids, gids, noCaps)},
			"it has exited (a.out is a zombie"},
		{"another user", map[string]string{"self/status": self, "200/stat": stat(0), "200/status": procStatus("a.out", 200, 0, running, "4242\t4242\t4242\t4242", gids, noCaps)},
			"it runs as uid 4242 and mmtrace as"},
		{"a setuid program's saved uid", map[string]string{"self/status": self, "200/stat": stat(0), "200/status": procStatus("a.out", 200, 0, running, me+"\t"+me+"\t4242\t"+me, gids, noCaps)},
			"it runs as uid 4242 and mmtrace as"},
		{"another group", map[string]string{"self/status": self, "200/stat": stat(0), "200/status": procStatus("a.out", 200, 0, running, ids, "4242\t4242\t4242\t4242", noCaps)},
			"it runs with group 4242"},
		{"yama 1", map[string]string{"self/status": self, "200/stat": stat(0), "200/status": procStatus("a.out", 200, 0, running, ids, gids, noCaps), "sys/kernel/yama/ptrace_scope": "1\n"},
			"kernel.yama.ptrace_scope is 1: a process may be traced only by its ancestors"},
		{"yama 1, privileged", map[string]string{"self/status": procStatus("mmtrace", 100, 0, "R", ids, gids, allCaps), "200/stat": stat(0), "200/status": procStatus("a.out", 200, 0, running, ids, gids, noCaps), "sys/kernel/yama/ptrace_scope": "1\n"},
			"the kernel refused (EPERM) for a reason /proc does not show"},
		{"yama 2", map[string]string{"self/status": self, "200/stat": stat(0), "200/status": procStatus("a.out", 200, 0, running, ids, gids, noCaps), "sys/kernel/yama/ptrace_scope": "2\n"},
			"kernel.yama.ptrace_scope is 2: only root"},
		{"yama 3, privileged", map[string]string{"self/status": procStatus("mmtrace", 100, 0, "R", ids, gids, allCaps), "200/stat": stat(0), "200/status": procStatus("a.out", 200, 0, running, ids, gids, noCaps), "sys/kernel/yama/ptrace_scope": "3\n"},
			"kernel.yama.ptrace_scope is 3"},
		{"traced already", map[string]string{"self/status": self, "200/stat": stat(0), "200/status": procStatus("a.out", 200, 300, running, ids, gids, noCaps), "300/status": procStatus("strace", 300, 0, running, ids, gids, noCaps)},
			"it is already traced by 300 (strace)"},
		{"traced by a thread", map[string]string{"self/status": self, "200/stat": stat(0), "200/status": procStatus("a.out", 200, 303, running, ids, gids, noCaps), "303/status": procStatus("gdb", 300, 0, running, ids, gids, noCaps), "300/status": procStatus("gdb", 300, 0, running, ids, gids, noCaps)},
			"it is already traced by 300 (gdb)"},
		{"another user namespace", map[string]string{"self/status": self, "self/uid_map": "         0       1000          1\n", "200/stat": stat(0), "200/status": procStatus("a.out", 200, 0, running, ids, gids, noCaps)},
			"mmtrace runs in a user namespace and the process is outside it"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := attachRefusal(fakeProc(t, tc.files), 200, 100)
			if !strings.HasPrefix(got, tc.want) {
				t.Errorf("got  %q\nwant %q...", got, tc.want)
			}
			// The same reason in Chinese, in the glossary's terms.
			zh := attachWhy(fakeProc(t, tc.files), 200, 100).zh
			if !strings.ContainsFunc(zh, func(r rune) bool { return unicode.Is(unicode.Han, r) }) {
				t.Errorf("no Chinese for %q: %q", got, zh)
			}
			for _, p := range glossary.Check(zh) {
				t.Errorf("%q: found %q, want %s", zh, p.Found, p.Want)
			}
			if strings.Contains(got, "\n") {
				t.Errorf("more than one line: %q", got)
			}
		})
	}
	t.Run("not dumpable", func(t *testing.T) {
		// Its /proc entry is root's; the fake's is ours, so only root
		// can fake it.
		if os.Getuid() != 0 {
			t.Skip("needs root")
		}
		ids := "4242\t4242\t4242\t4242"
		self := procStatus("mmtrace", 100, 0, "R", ids, gids, noCaps)
		p := fakeProc(t, map[string]string{"self/status": self, "200/stat": stat(0), "200/status": procStatus("a.out", 200, 0, running, ids, gids, noCaps)})
		if got := attachRefusal(p, 200, 100); !strings.HasPrefix(got, "it is not dumpable") {
			t.Errorf("got %q", got)
		}
	})
}

func TestSeizeRefusal(t *testing.T) {
	ids := "0\t0\t0\t0"
	tests := []struct {
		name  string
		files map[string]string
		want  string
	}{
		{"under strace -f", map[string]string{
			"self/status": procStatus("mmtrace", 100, 300, "R", ids, ids, "0"),
			"200/status":  procStatus("true", 200, 300, "t", ids, ids, "0"),
			"300/status":  procStatus("strace", 300, 0, "S", ids, ids, "0"),
		}, "mmtrace is itself traced by 300 (strace), which took mmtrace's child first"},
		{"traced, not following forks", map[string]string{
			"self/status": procStatus("mmtrace", 100, 300, "R", ids, ids, "0"),
			"200/status":  procStatus("true", 200, 0, "t", ids, ids, "0"),
			"300/status":  procStatus("gdb", 300, 0, "S", ids, ids, "0"),
		}, "mmtrace is itself traced by 300 (gdb)"},
		{"yama 3", map[string]string{
			"self/status":                  procStatus("mmtrace", 100, 0, "R", ids, ids, "0"),
			"sys/kernel/yama/ptrace_scope": "3",
		}, "kernel.yama.ptrace_scope is 3"},
		{"seccomp", map[string]string{
			"self/status": strings.Replace(procStatus("mmtrace", 100, 0, "R", ids, ids, "0"), "Seccomp:\t0", "Seccomp:\t2", 1),
		}, "mmtrace runs under a seccomp filter"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := seizeRefusal(fakeProc(t, tc.files), 200); !strings.HasPrefix(got, tc.want) {
				t.Errorf("got  %q\nwant %q...", got, tc.want)
			}
			// The same reason in Chinese: the same numbers and names.
			w := seizeWhy(fakeProc(t, tc.files), 200)
			if !strings.ContainsFunc(w.zh, func(r rune) bool { return unicode.Is(unicode.Han, r) }) {
				t.Errorf("no Chinese reason: %q", w.zh)
			}
			for _, name := range []string{"300", "strace", "gdb", "kernel.yama.ptrace_scope", "seccomp"} {
				if strings.Contains(w.en, name) != strings.Contains(w.zh, name) {
					t.Errorf("%q in one reason only:\n%s\n%s", name, w.en, w.zh)
				}
			}
		})
	}
}
