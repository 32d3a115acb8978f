package tracer_test

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/mmtrace/mmtrace/tracer"
	"github.com/mmtrace/mmtrace/tracer/filter"
	"github.com/mmtrace/mmtrace/tracer/sys"
)

// straceCall is one call line with the pid it came from.
type straceCall struct {
	pid  string
	text string // name(args) = result, strace's alignment removed
}

var (
	straceLine  = regexp.MustCompile(`^(\d+)\s+(.*)$`)
	mmtraceLine = regexp.MustCompile(`^(\d+)\s+[0-9.]+ (.*)$`)
	alignment   = regexp.MustCompile(`\)\s+= `)
	hexAddr     = regexp.MustCompile(`0x[0-9a-f]{6,}`)
	resumed     = regexp.MustCompile(`^<\.\.\. (\w+) resumed>(.*)$`)
)

// parseTimeline reads strace -f lines, or mmtrace's, into calls: split
// calls joined, signals and exits left out.
func parseTimeline(t *testing.T, s string, line *regexp.Regexp) []straceCall {
	t.Helper()
	var calls []straceCall
	unfinished := map[string]int{} // pid -> index of its split call
	sc := bufio.NewScanner(strings.NewReader(s))
	for sc.Scan() {
		m := line.FindStringSubmatch(sc.Text())
		if m == nil {
			t.Fatalf("unparsable timeline line %q", sc.Text())
		}
		pid, rest := m[1], m[2]
		switch {
		case strings.HasPrefix(rest, "---"), strings.HasPrefix(rest, "+++"):
			continue
		case strings.HasSuffix(rest, " <unfinished ...>"):
			unfinished[pid] = len(calls)
			calls = append(calls, straceCall{pid, strings.TrimSuffix(rest, " <unfinished ...>")})
		case resumed.MatchString(rest):
			r := resumed.FindStringSubmatch(rest)
			i, ok := unfinished[pid]
			if !ok {
				t.Fatalf("resumed without unfinished: %q", sc.Text())
			}
			delete(unfinished, pid)
			calls[i].text += r[2]
		default:
			calls = append(calls, straceCall{pid, rest})
		}
	}
	for i := range calls {
		c := &calls[i]
		c.text = alignment.ReplaceAllString(c.text, ") = ")
		c.text = strings.ReplaceAll(c.text, ",  ", ", ") // unfinished "wait4(-1, " joined
	}
	return calls
}

// normalise turns each process's calls into a sequence that does not
// depend on pids or addresses: processes are named by the order in which
// their parent's fork returned them.
func normalise(calls []straceCall) map[string][]string {
	label := map[string]string{}
	if len(calls) > 0 {
		label[calls[0].pid] = "P0"
	}
	forkResult := regexp.MustCompile(`^(fork|vfork|clone|clone3)\(.*\) = (\d+)$`)
	for _, c := range calls {
		if m := forkResult.FindStringSubmatch(c.text); m != nil {
			if _, ok := label[m[2]]; !ok {
				label[m[2]] = fmt.Sprintf("P%d", len(label))
			}
		}
	}
	out := map[string][]string{}
	trimming := map[string]bool{} // pid -> its last call mapped a library
	for _, c := range calls {
		// The dynamic loader reserves room for a library, maps it at an
		// address aligned to its segments' alignment (64 KiB for
		// Debian's arm64 libc) and unmaps the slack around it: how much,
		// and whether there is any before it, depends on where ASLR put
		// the reservation. Those munmaps are left out, as addresses are.
		if strings.HasPrefix(c.text, "munmap(") && trimming[c.pid] {
			continue
		}
		trimming[c.pid] = strings.HasPrefix(c.text, "mmap(") && strings.Contains(c.text, "MAP_DENYWRITE")
		l, ok := label[c.pid]
		if !ok {
			l = "unknown-" + c.pid
		}
		text := hexAddr.ReplaceAllString(c.text, "ADDR")
		for pid, pl := range label {
			text = regexp.MustCompile(`\b`+pid+`\b`).ReplaceAllString(text, pl)
		}
		out[l] = append(out[l], text)
	}
	return out
}

// TestSameAsStrace runs the lesson's C program under strace -f and under
// mmtrace, and compares, process by process, the lesson's calls with
// their decoded arguments and results.
func TestSameAsStrace(t *testing.T) {
	strace, err := exec.LookPath("strace")
	if err != nil {
		t.Skip("strace not installed")
	}
	bin := buildC(t, "lesson.c")
	dir := t.TempDir()
	set := filter.Default()
	traceExpr := "trace=" + strings.Join(set.Names(sys.HostArch()), ",")

	out := filepath.Join(dir, "strace.txt")
	cmd := exec.Command(strace, "-f", "-qq", "-e", traceExpr, "-o", out, bin, filepath.Join(dir, "dd.txt"))
	if b, err := cmd.CombinedOutput(); err != nil && cmd.ProcessState.ExitCode() != 3 {
		t.Skipf("strace cannot run here: %v\n%s", err, b)
	}
	want, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	_, got, _ := runTraced(t, tracer.Config{}, bin, filepath.Join(dir, "dd.txt"))

	ws := normalise(parseTimeline(t, string(want), straceLine))
	gs := normalise(parseTimeline(t, got, mmtraceLine))
	// The fixture runs three processes and the root makes dozens of the
	// lesson's calls: a comparison of less is no comparison.
	if len(ws) != 3 || len(ws["P0"]) < 20 || len(ws["P1"]) < 2 {
		t.Fatalf("strace's trace is too small to compare (%d processes, %d calls in the first):\n%s", len(ws), len(ws["P0"]), want)
	}
	if len(ws) != len(gs) {
		t.Errorf("strace saw %d processes, mmtrace %d", len(ws), len(gs))
	}
	for p, w := range ws {
		g := gs[p]
		for i := 0; i < max(len(w), len(g)); i++ {
			var wl, gl string
			if i < len(w) {
				wl = w[i]
			}
			if i < len(g) {
				gl = g[i]
			}
			if wl != gl {
				t.Errorf("%s call %d:\nstrace:  %s\nmmtrace: %s", p, i, wl, gl)
			}
		}
	}
	if t.Failed() {
		t.Logf("strace:\n%s\nmmtrace:\n%s", want, got)
	}
}

func replaceAll(s, old, new string) string { return strings.ReplaceAll(s, old, new) }
