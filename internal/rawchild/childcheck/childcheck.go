// Package childcheck checks, in tests, the rules of code that runs in a
// raw-forked child, on the compiled test binary itself: the linker checks
// nosplit chains only for direct calls, and cannot see that a scenario's
// Body.Run is reached through an interface.
//
// It builds the test binary of the package in the current directory (the
// one go test runs is stripped of its symbols), disassembles the functions
// named by a pattern with go tool objdump and follows their direct calls. Each function reached must have no stack
// check (no call of runtime.morestack: it would enter the scheduler in the
// child), and every call must stay inside the checked code or go to a
// runtime leaf that takes no lock and needs no stack (memmove, the panics
// that end the process).
package childcheck

import (
	"bufio"
	"bytes"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// leaves are functions outside the checked code that child code may call.
var leaves = []string{
	"syscall.RawSyscall6",
	"internal/runtime/syscall/linux.Syscall6",
	"runtime.memmove",
	"runtime.memclrNoHeapPointers",
	"runtime.duffcopy",
	"runtime.duffzero",
	// Bounds and nil checks: reaching one is a bug that kills the child
	// either way; they are not part of a correct run.
	"runtime.panic",
	"runtime.goPanic",
}

var (
	textLine = regexp.MustCompile(`^TEXT (\S+)\(SB\)`)
	callLine = regexp.MustCompile(`\sCALL (\S+)`)
)

// Check disassembles the test binary of the current directory's package and checks every function
// matching roots (a go tool objdump -s pattern), and what they call within
// prefix (a package path prefix, e.g. "github.com/mmtrace/mmtrace/").
// allowIndirect names the functions allowed an indirect call (the child's
// call of Body.Run).
func Check(t *testing.T, roots, prefix string, allowIndirect ...string) {
	t.Helper()
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("go tool not found")
	}
	exe := filepath.Join(t.TempDir(), "child.test")
	if b, err := exec.Command(goTool, "test", "-c", "-o", exe, ".").CombinedOutput(); err != nil {
		t.Fatalf("go test -c: %v\n%s", err, b)
	}
	pattern := "^(" + regexp.QuoteMeta(prefix) + "|syscall\\.RawSyscall6$)"
	cmd := exec.Command(goTool, "tool", "objdump", "-s", pattern, exe)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go tool objdump: %v\n%s", err, stderr.Bytes())
	}
	funcs := parse(out)
	rootRE := regexp.MustCompile(roots)
	var queue []string
	for name := range funcs {
		if rootRE.MatchString(name) {
			queue = append(queue, name)
		}
	}
	if len(queue) == 0 {
		t.Fatalf("no function matches %q: nothing checked", roots)
	}
	seen := map[string]bool{}
	for len(queue) > 0 {
		name := queue[0]
		queue = queue[1:]
		if seen[name] {
			continue
		}
		seen[name] = true
		for _, callee := range funcs[name] {
			switch {
			case strings.HasPrefix(callee, "runtime.morestack"):
				t.Errorf("%s has a stack check: mark it //go:nosplit (it runs in a raw-forked child)", name)
			case isRegister(callee):
				if !contains(allowIndirect, name) {
					t.Errorf("%s makes an indirect call (%s): child code must call directly", name, callee)
				}
			case isLeaf(callee):
			case funcs[callee] != nil:
				queue = append(queue, callee)
			default:
				t.Errorf("%s calls %s, which child code must not: it may allocate, lock or grow the stack", name, callee)
			}
		}
	}
}

// parse maps each function of an objdump listing to the targets of its
// calls.
func parse(out []byte) map[string][]string {
	funcs := map[string][]string{}
	var cur string
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if m := textLine.FindStringSubmatch(line); m != nil {
			cur = m[1]
			if funcs[cur] == nil {
				funcs[cur] = []string{}
			}
			continue
		}
		if m := callLine.FindStringSubmatch(line); m != nil && cur != "" {
			funcs[cur] = append(funcs[cur], strings.TrimSuffix(m[1], "(SB)"))
		}
	}
	return funcs
}

func isRegister(s string) bool {
	return !strings.Contains(s, ".") && !strings.Contains(s, "(")
}

func isLeaf(name string) bool {
	name = strings.TrimSuffix(name, ".abi0")
	for _, l := range leaves {
		if name == l || (strings.HasSuffix(l, "panic") || strings.HasSuffix(l, "Panic")) && strings.HasPrefix(name, l) {
			return true
		}
	}
	return false
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
