package main

import (
	"bufio"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/mmtrace/mmtrace/internal/testutil"
)

var update = flag.Bool("update", false, "rewrite the golden timelines in testdata/golden")

// goldenScenarios are the handouts: every scenario, with arguments that
// make it quick and independent of the machine (waitpid's ps and ls load
// the machine's libraries, so only its process calls are kept).
var goldenScenarios = []struct {
	name string
	args []string
	// callsOnly compares the calls but not the notes: where processes run
	// side by side, a note naming who still shares a mapping depends on
	// which of them the scheduler ran first.
	callsOnly bool
	// noOutput leaves out what the processes print: waitpid's ps and ls
	// list the machine's processes and the files of the directory.
	noOutput bool
	// noReport leaves out the scenario's report, the lines after the
	// trace: myths' counts the Go runtime's mappings and prints inodes.
	noReport bool
	// reapsAnyOrder: which children the wait4s reap is compared as a
	// set, not in order, and the polls between are left out (see
	// anyReapOrder).
	reapsAnyOrder bool
}{
	{"write", nil, false, false, false, false},
	{"fork-shared", nil, false, false, false, false},
	{"fork-private", nil, false, false, false, false},
	{"anon", nil, false, false, false, false},
	{"devzero", nil, false, false, false, false},
	{"pitfalls", nil, false, false, false, false},
	{"myths", nil, false, false, true, false},
	// The notes' programs as written, bugs included: NAME-verbatim.*.golden.
	{"write", []string{"--verbatim"}, false, false, false, false},
	{"devzero", []string{"--verbatim"}, false, false, false, false},
	{"anon", []string{"--verbatim"}, false, false, false, false},
	{"ipc", []string{"--count", "3", "--interval", "100ms"}, true, false, false, false},
	// Sleeps of 0.1, 0.2 and 0.5 s keep the children's order even while
	// the first one's ps runs; under emulation (.ci/arm64) ps takes over a
	// second to start, and the child that runs it ends after the one that
	// slept 0.2 s, or with it.
	{"waitpid", []string{"--scale", "0.1", "-e", "trace=fork,clone,wait4,exit_group"}, true, true, false, true},
	{"copy", []string{"$T/src.bin", "$T/dst.bin", "-n", "3"}, true, false, false, false},
}

// TestGoldenHandouts runs every scenario with --stable in both languages
// and compares the timeline with its golden file. Processes run
// concurrently, so the comparison is per process: each one's lines in
// order, a call split by another process's line joined again.
func TestGoldenHandouts(t *testing.T) {
	for _, sc := range goldenScenarios {
		file := sc.name
		if slices.Contains(sc.args, "--verbatim") {
			file += "-verbatim"
		}
		for _, lang := range []string{"en", "zh"} {
			t.Run(file+"/"+lang, func(t *testing.T) {
				dir := t.TempDir()
				if err := os.WriteFile(filepath.Join(dir, "src.bin"), []byte(strings.Repeat("mmap!", 2000)), 0o644); err != nil {
					t.Fatal(err)
				}
				out := filepath.Join(dir, "timeline")
				args := []string{sc.name, "--stable", "--lang", lang, "-o", out}
				for _, a := range sc.args {
					args = append(args, strings.ReplaceAll(a, "$T", dir))
				}
				cmd := exec.Command(mmtraceBin, args...)
				// A fixed environment: execve prints how many variables.
				cmd.Env = []string{"PATH=/usr/bin:/bin", "LANG=C"}
				cmd.Dir = dir // what waitpid's ls lists
				if b, err := cmd.CombinedOutput(); err != nil {
					t.Fatalf("mmtrace %v: %v\n%s", args, err, b)
				}
				b, err := os.ReadFile(out)
				if err != nil {
					t.Fatal(err)
				}
				got := strings.ReplaceAll(string(b), dir, "$T")
				golden := filepath.Join("testdata", "golden", file+"."+lang+".golden")
				if *update {
					if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
						t.Fatal(err)
					}
					return
				}
				want, err := os.ReadFile(golden)
				if err != nil {
					t.Fatalf("%v (run go test ./cmd/mmtrace -run Golden -update)", err)
				}
				g, w := byProcess(got, sc.callsOnly, sc.noOutput), byProcess(string(want), sc.callsOnly, sc.noOutput)
				if sc.noReport {
					delete(g, reportKey)
					delete(w, reportKey)
				}
				if sc.reapsAnyOrder {
					anyReapOrder(g)
					anyReapOrder(w)
				}
				for p, wl := range w {
					if strings.Join(g[p], "\n") != strings.Join(wl, "\n") {
						t.Errorf("%s differs from %s:\n--- got\n%s\n--- want\n%s", p, golden, strings.Join(g[p], "\n"), strings.Join(wl, "\n"))
					}
				}
				if len(g) != len(w) {
					t.Errorf("%d processes, want %d\n%s", len(g), len(w), got)
				}
			})
		}
	}
}

var (
	stableHead = regexp.MustCompile(`^(P\d+) (.*)$`)
	unfinished = regexp.MustCompile(` <unfinished \.\.\.>$`)
	resumedAt  = regexp.MustCompile(`^<\.\.\. \w+ resumed>`)
	printed    = regexp.MustCompile(`^(stdout|stderr): `)
	armFork    = regexp.MustCompile(`^clone\(child_stack=NULL, flags=SIGCHLD\) = `)
)

// reportKey holds a scenario's report in byProcess's map.
const reportKey = "report"

// byProcess groups a --stable timeline by process: each process's lines
// (and the notes under them, unless callsOnly; the lines it printed,
// unless noOutput) in order, with split calls joined, so that the order
// in which concurrent processes ran does not matter. mmtrace's own lines,
// the scenario's report, are under reportKey (unless callsOnly).
func byProcess(s string, callsOnly, noOutput bool) map[string][]string {
	out := map[string][]string{}
	split := map[string]int{} // process -> index of its unfinished call
	var cur string
	sc := bufio.NewScanner(strings.NewReader(s))
	for sc.Scan() {
		line := sc.Text()
		m := stableHead.FindStringSubmatch(line)
		if m == nil && !strings.HasPrefix(line, noteFirst[:len(noteFirst)-2]) {
			if !callsOnly {
				out[reportKey] = append(out[reportKey], line)
			}
			continue
		}
		if m == nil {
			if cur != "" && !callsOnly {
				out[cur] = append(out[cur], line) // a note under cur's line
			}
			continue
		}
		cur = m[1]
		rest := m[2]
		if noOutput && printed.MatchString(rest) {
			continue
		}
		switch {
		case unfinished.MatchString(rest):
			split[cur] = len(out[cur])
			out[cur] = append(out[cur], unfinished.ReplaceAllString(rest, ""))
		case resumedAt.MatchString(rest):
			if i, ok := split[cur]; ok {
				out[cur][i] += resumedAt.ReplaceAllString(rest, "")
				delete(split, cur)
				continue
			}
			out[cur] = append(out[cur], rest)
		default:
			out[cur] = append(out[cur], rest)
		}
	}
	for p, lines := range out {
		var kept []string
		for _, l := range lines {
			l = strings.ReplaceAll(l, ",  ", ", ")
			// arm64 has no fork call: there the scenarios' fork() is
			// clone(SIGCHLD) (internal/rawchild), and the handouts, made
			// on amd64, say fork(). The notes under it must be the same.
			if testutil.ForkCall() == "clone" {
				l = armFork.ReplaceAllString(l, "fork() = ")
			}
			if callsOnly {
				// How many times a polling loop ran between two events is
				// the scheduler's: one poll, one fold, or none.
				l = strings.TrimSuffix(l, "  (repeated more times)")
				l = strings.TrimSuffix(l, "  （又重复了多次）")
				if n := len(kept); n > 0 && kept[n-1] == l {
					continue
				}
			}
			kept = append(kept, l)
		}
		out[p] = kept
	}
	return out
}

// reaped is a wait4 line that reaped a child, the child's label last.
var reaped = regexp.MustCompile(`^(wait4\(.*\) = )(P\d+)$`)

// polled is a wait4 that found no child ended.
var polled = regexp.MustCompile(`^wait4\(.*\) = 0$`)

// anyReapOrder replaces, in each process's lines, the child each wait4
// reaped with "P?" and adds a last line with the children reaped, sorted,
// and leaves out the polls that found none: the same reaps in another
// order, or two with no poll between them, compare equal.
func anyReapOrder(procs map[string][]string) {
	for p, lines := range procs {
		var who, kept []string
		for _, l := range lines {
			if polled.MatchString(l) {
				continue
			}
			if m := reaped.FindStringSubmatch(l); m != nil {
				who = append(who, m[2])
				l = m[1] + "P?"
			}
			kept = append(kept, l)
		}
		if len(who) > 0 {
			slices.Sort(who)
			kept = append(kept, "reaped: "+strings.Join(who, " "))
		}
		procs[p] = kept
	}
}
