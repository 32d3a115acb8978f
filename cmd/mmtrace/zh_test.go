package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode"

	"github.com/spf13/pflag"

	"github.com/mmtrace/mmtrace/internal/escape"
	"github.com/mmtrace/mmtrace/internal/glossary"
	"github.com/mmtrace/mmtrace/scenarios"
	"github.com/mmtrace/mmtrace/tracer/explain"
)

// A timeline's lines as the glossary reads them. A line that strace
// would print (the call, a signal, an exit: after the pid and time, or a
// --stable label) is strace's, but for its end, which may be mmtrace's
// own words: a fold's count, after two spaces. A line a process wrote
// (stdout: or stderr: after the pid) is the scenario's text.
var (
	lineHead  = regexp.MustCompile(`^(?:P\d+|\d+ +\d+\.\d+) `)
	writtenBy = regexp.MustCompile(`^(?:P\d+|\d+ +\d+\.\d+) (stdout|stderr): (.*)$`)
	foldTail  = regexp.MustCompile(`  [(（][^()（）]*[)）]$`)
)

// prose returns what of a timeline mmtrace or the scenario wrote, for the
// glossary: the notes, the scenario's lines and report, a fold's count.
// Without stdout, what the processes wrote on stdout is left out (waitpid's
// is the output of ps and ls).
func prose(timeline string, stdout bool) string {
	var out []string
	for _, line := range strings.Split(timeline, "\n") {
		switch m := writtenBy.FindStringSubmatch(line); {
		case m != nil:
			if m[1] == "stdout" && !stdout {
				continue
			}
			line = m[2]
		case lineHead.MatchString(line):
			line = foldTail.FindString(line)
		}
		out = append(out, line)
	}
	return strings.Join(out, "\n")
}

// TestChineseEverywhere runs what a student runs under --lang zh and
// checks everything it prints against the glossary: every scenario (its
// timeline's notes and fold lines, its own lines on stdout and stderr),
// the -C tables, scenario errors, SCENARIO --help, help scenarios, list,
// explain. No rejected variant of a term, no English sentence.
func TestChineseEverywhere(t *testing.T) {
	var names []string
	for _, s := range scenarios.All() {
		names = append(names, s.Info().Name)
	}
	check := func(t *testing.T, what, text string) {
		t.Helper()
		for _, p := range glossary.Check(text, names...) {
			t.Errorf("%s: %q: found %q, want %s", what, p.Line, p.Found, p.Want)
		}
	}
	dir := t.TempDir()
	src := filepath.Join(dir, "src.bin")
	if err := os.WriteFile(src, []byte(strings.Repeat("mmap!", 2000)), 0o644); err != nil {
		t.Fatal(err)
	}
	env := []string{"PATH=/usr/bin:/bin", "LANG=C"}
	run := func(t *testing.T, args ...string) (stdout, stderr string) {
		t.Helper()
		cmd := exec.Command(mmtraceBin, args...)
		cmd.Env = env
		var o, e strings.Builder
		cmd.Stdout, cmd.Stderr = &o, &e
		if err := cmd.Run(); err != nil {
			if _, ok := err.(*exec.ExitError); !ok {
				t.Fatal(err)
			}
		}
		return o.String(), e.String()
	}

	for _, sc := range goldenScenarios {
		args := []string{sc.name, "--lang", "zh"}
		for _, a := range sc.args {
			args = append(args, strings.ReplaceAll(a, "$T", dir))
		}
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			timeline := filepath.Join(t.TempDir(), "timeline")
			stdout, stderr := run(t, append(args, "--stable", "-o", timeline)...)
			b, err := os.ReadFile(timeline)
			if err != nil {
				t.Fatal(err)
			}
			// waitpid's stdout is the notes' program's and ps's and ls's:
			// "0 th", a process list, a directory listing.
			own := sc.name != "waitpid"
			check(t, "timeline", prose(string(b), own))
			check(t, "stderr", stderr)
			if own {
				check(t, "stdout", stdout)
			}
		})
	}

	t.Run("page faults and the -C tables", func(t *testing.T) {
		stdout, stderr := run(t, "fork-private", "--lang", "zh", "-C")
		check(t, "stderr", prose(stderr, true))
		check(t, "stdout", stdout)
		if !strings.Contains(stderr, "系统调用") || !strings.Contains(stderr, "结束方式") {
			t.Errorf("no Chinese tables:\n%s", stderr)
		}
	})

	t.Run("copy's page-count note", func(t *testing.T) {
		stdout, stderr := run(t, "copy", src, filepath.Join(dir, "five.bin"), "-n", "5", "--lang", "zh", "-q")
		if !strings.Contains(stderr, "-n 5：") {
			t.Errorf("no note that -n 5 was cut to the pages:\n%s", stderr)
		}
		check(t, "copy -n 5", stdout+prose(stderr, true))
	})

	t.Run("errors", func(t *testing.T) {
		for _, args := range [][]string{
			{"copy", filepath.Join(dir, "no-such-file"), filepath.Join(dir, "out")},
			{"copy", "/proc/self/status", filepath.Join(dir, "out")},
			{"copy", src, src},
			{"copy", "-n", "x"},
			{"write", "a", "b"},
			{"pitfalls", "no-such-pitfall"},
			{"myths", "no-such-myth"},
			{"ipc", "--count", "0"},
			{"waitpid", "--scale", "99"},
			{"anon", "extra"},
		} {
			stdout, stderr := run(t, append(args, "--lang", "zh")...)
			if stderr == "" {
				t.Errorf("%v: no error", args)
			}
			check(t, strings.Join(args, " "), stdout+stderr)
		}
	})

	t.Run("help", func(t *testing.T) {
		out, _ := run(t, "help", "scenarios", "--lang", "zh")
		check(t, "help scenarios", out)
		out, _ = run(t, "list", "--lang", "zh")
		check(t, "list", out)
		for _, name := range names {
			stdout, stderr := run(t, name, "--help", "--lang", "zh")
			out := stdout + stderr
			if !strings.Contains(out, "选项：") {
				t.Errorf("%s --help --lang zh: no 选项： heading:\n%s", name, out)
			}
			check(t, name+" --help", out)
		}
	})

	t.Run("explain", func(t *testing.T) {
		out, _ := run(t, "explain", "--lang", "zh")
		check(t, "explain", out)
		for _, name := range explain.Topics() {
			out, _ := run(t, "explain", name, "--lang", "zh")
			check(t, "explain "+name, out)
		}
	})
}

// TestLangOfHelp: list, help scenarios and SCENARIO --help speak the
// language --lang or the locale asks for, and --lang may come before or
// after --help.
func TestLangOfHelp(t *testing.T) {
	var write scenarios.Scenario
	for _, s := range scenarios.All() {
		if s.Info().Name == "write" {
			write = s
		}
	}
	// The first words of each: list wraps a summary to fit 80 columns.
	zhSummary, enSummary := write.Info().Summary.ZH[:len("通过共享映射写文件")], write.Info().Summary.EN[:len("write a file through")]
	zhLesson := strings.SplitN(write.Info().Lesson.ZH, "\n", 2)[0]
	tests := []struct {
		args []string
		lang string // the LANG variable
		want string
	}{
		{[]string{"list", "--lang", "zh"}, "C", zhSummary},
		{[]string{"list"}, "zh_CN.UTF-8", zhSummary},
		{[]string{"list", "--lang", "en"}, "zh_CN.UTF-8", enSummary},
		{[]string{"help", "scenarios", "--lang", "zh"}, "C", zhLesson},
		{[]string{"help", "--lang", "zh", "scenarios"}, "C", zhSummary},
		{[]string{"help", "write", "--lang", "zh"}, "C", "用法：mmtrace write"},
		{[]string{"write", "--help", "--lang", "zh"}, "C", zhLesson},
		{[]string{"write", "--lang", "zh", "--help"}, "C", zhLesson},
		{[]string{"write", "--help"}, "zh_CN.UTF-8", zhLesson},
		{[]string{"write", "--help"}, "C", "Usage: mmtrace write"},
	}
	for _, tc := range tests {
		cmd := exec.Command(mmtraceBin, tc.args...)
		cmd.Env = []string{"PATH=/usr/bin:/bin", "LANG=" + tc.lang}
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Errorf("%v: %v\n%s", tc.args, err, out)
			continue
		}
		if !strings.Contains(string(out), tc.want) {
			t.Errorf("LANG=%s mmtrace %v: no %q in\n%s", tc.lang, tc.args, tc.want, out)
		}
	}
	if _, _, status := mmtrace(t, "list", "--lang", "fr"); status != 2 {
		t.Errorf("list --lang fr: status %d, want 2", status)
	}
}

// TestRefillChinese: a Chinese paragraph refilled for the terminal is
// joined without a space where Chinese met Chinese or fullwidth
// punctuation at a line break, and with one where a word met Chinese.
func TestRefillChinese(t *testing.T) {
	tests := []struct{ in, want string }{
		{"进程创建一个文件，\n再通过 mmap 返回的指针\n写入 \"abc\"：没有调用\nwrite()，这几个字节却进入了\n文件。",
			"进程创建一个文件，再通过 mmap 返回的指针写入 \"abc\"：没有调用 write()，这几个字节却进入了文件。\n"},
		{"fork 之后，然后\nfork。子进程（\nMAP_SHARED）", "fork 之后，然后 fork。子进程（MAP_SHARED）\n"},
		{"a mapping\nof the file", "a mapping of the file\n"},
	}
	for _, tc := range tests {
		if got := refill(tc.in, "", 200); got != tc.want {
			t.Errorf("refill(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// zhHelpCases are every help text, asked for under --lang zh.
func zhHelpCases() [][]string {
	cases := [][]string{
		{"--help", "--lang", "zh"}, {"help", "--lang", "zh"}, {"help", "--help", "--lang", "zh"},
		{"help", "help", "--lang", "zh"}, {"help", "list", "--lang", "zh"}, {"help", "version", "--lang", "zh"},
		{"help", "scenarios", "--lang", "zh"}, {"list", "--lang", "zh"}, {"list", "--help", "--lang", "zh"},
		{"run", "--help", "--lang", "zh"}, {"help", "run", "--lang", "zh"}, {"attach", "--help", "--lang", "zh"},
		{"explain", "--help", "--lang", "zh"}, {"explain", "--lang", "zh"},
	}
	for _, s := range scenarios.All() {
		cases = append(cases, []string{s.Info().Name, "--help", "--lang", "zh"}, []string{"help", s.Info().Name, "--lang", "zh"})
	}
	return cases
}

// helpNames are the English words a Chinese help text may use, being
// names typed as they are (glossary.EnglishWords takes out code, flags,
// files, placeholders and the calls' names by itself).
func helpNames() []string {
	names := slices.Clone(commands)
	for _, s := range scenarios.All() {
		names = append(names, s.Info().Name)
	}
	names = append(names, explain.Topics()...)
	return append(names,
		"scenarios", "filter", // help's topics
		"all", "threads", // --follow's values
		"time", "min-time", "max-time", "avg-time", "calls", "errors", "name", "nothing", // -S's keys
		"en", "zh", "auto", "spawn", "always", "never", "true", "false", // values a flag takes
		"abbrev", "raw", "verbose", // -X's styles
		"stat", "statx", "rusage", "uname", "termios", // the structures -v prints whole
		"gops", "stack", // the gops program and its command
		"Linux", "shell", // names the Chinese texts of the field use as they are
		"uid", "root", "exec", // the kernel's words, as Chinese texts on Linux use them
		"id",     // the field of ipc's record (struct STU)
		"Chrome", // the browser whose trace format --perfetto writes
	)
}

// TestHelpInChinese: under --lang zh, every help text (the main one, each
// command's, each scenario's, list, help scenarios, explain's list) is
// Chinese but for names: no English word that glossary.EnglishWords does
// not know for a name, flag, file, placeholder or code; and no rejected
// variant of a term. It runs mmtrace in-process, as TestHelpTexts does.
func TestHelpInChinese(t *testing.T) {
	t.Setenv("LC_ALL", "C")
	helps := map[string]string{}
	var listed []string
	for _, args := range zhHelpCases() {
		var out, errs bytes.Buffer
		if err := route(args, nil, &out, &errs); err != nil {
			t.Errorf("%v: %v", args, err)
			continue
		}
		helps[strings.Join(args, " ")] = out.String()
		// What a help text lists by name is a name where the prose
		// mentions it too: pitfalls write-only, myths' oob-store.
		for _, m := range listItem.FindAllStringSubmatch(out.String(), -1) {
			listed = append(listed, m[1])
		}
	}
	names := append(helpNames(), listed...)
	for args, help := range helps {
		for _, p := range glossary.EnglishWords(help, names...) {
			t.Errorf("%s: %q: English word %q", args, p.Line, p.Found)
		}
		for _, p := range glossary.Check(help, names...) {
			t.Errorf("%s: %q: found %q, want %s", args, p.Line, p.Found, p.Want)
		}
	}
}

// listItem is an item of a list in a help text: "  past-eof    text".
var listItem = regexp.MustCompile(`(?m)^ +([a-z][a-z0-9-]*) {2,}\S`)

// flagRow is a flag's line in a help text: its name and its description,
// the wrapped lines joined.
type flagRow struct{ name, left, text string }

var flagLeft = regexp.MustCompile(`^  (?:-\S, )?--([\w-]+)(?: (\S+))?\s+(.*)$|^      --([\w-]+)(?: (\S+))?\s+(.*)$`)

// flagRows reads the flags' rows out of a help text.
func flagRows(help string) []flagRow {
	var rows []flagRow
	in := false
	for _, line := range strings.Split(help, "\n") {
		switch {
		case line == "Flags:" || line == "选项：":
			in = true
			continue
		case !in || line == "":
			continue
		}
		if m := flagLeft.FindStringSubmatch(line); m != nil {
			name, ph, text := m[1], m[2], m[3]
			if name == "" {
				name, ph, text = m[4], m[5], m[6]
			}
			rows = append(rows, flagRow{name, ph, text})
			continue
		}
		if len(rows) > 0 {
			rows[len(rows)-1].text = joinLines([]string{rows[len(rows)-1].text, strings.TrimSpace(line)})
		}
	}
	return rows
}

var number = regexp.MustCompile(`\d+`)

// TestFlagsInChinese: every flag of every command and scenario has a
// Chinese description in flagZH, which says the same placeholder and the
// same numbers as the English (a range, a default, a year). A flag added
// without one fails here, by name.
func TestFlagsInChinese(t *testing.T) {
	t.Setenv("LC_ALL", "C")
	cmds := []string{"run", "attach", "explain"}
	for _, s := range scenarios.All() {
		cmds = append(cmds, s.Info().Name)
	}
	helpOf := func(cmd, lang string) []flagRow {
		var out bytes.Buffer
		if err := route([]string{cmd, "--help", "--lang", lang}, nil, &out, &out); err != nil {
			t.Fatalf("%s --help --lang %s: %v", cmd, lang, err)
		}
		return flagRows(out.String())
	}
	seen := 0
	for _, cmd := range cmds {
		en, zh := helpOf(cmd, "en"), helpOf(cmd, "zh")
		if len(en) == 0 || len(en) != len(zh) {
			t.Errorf("%s: %d flags in English, %d in Chinese", cmd, len(en), len(zh))
			continue
		}
		for i, e := range en {
			z := zh[i]
			seen++
			if _, ok := flagTextZH(cmd, &pflag.Flag{Name: e.name}); !ok {
				t.Errorf("%s --%s has no Chinese description: add %q (or %q) to flagZH in helptext_zh.go", cmd, e.name, e.name, cmd+"/"+e.name)
				continue
			}
			if e.left != "" && strings.Contains(e.text, e.left) && !strings.Contains(z.text, e.left) {
				t.Errorf("%s --%s: the Chinese does not name the placeholder %s: %q", cmd, e.name, e.left, z.text)
			}
			en, zh := number.FindAllString(e.text, -1), number.FindAllString(z.text, -1)
			slices.Sort(en)
			slices.Sort(zh)
			if !slices.Equal(en, zh) {
				t.Errorf("%s --%s: numbers %v in English, %v in Chinese:\n%s\n%s", cmd, e.name, en, zh, e.text, z.text)
			}
		}
	}
	if seen < 30 {
		t.Errorf("read only %d flags' rows: is flagRows still reading the help?", seen)
	}
	// No entry of flagZH that no flag uses: a renamed flag leaves one.
	used := map[string]bool{}
	for _, cmd := range cmds {
		for _, r := range helpOf(cmd, "en") {
			used[r.name], used[cmd+"/"+r.name] = true, true
		}
	}
	for key := range flagZH.Get() {
		if !used[key] {
			t.Errorf("flagZH.Get()[%q] describes no flag", key)
		}
	}
}

// TestCatalog: every message has both texts, and the Chinese takes the
// same arguments as the English.
func TestCatalog(t *testing.T) {
	verb := regexp.MustCompile(`%(?:\[(\d+)\])?[-+# 0]*\d*(?:\.\d+)?[a-zA-Z%]`)
	args := func(format string) int {
		n, next := 0, 0
		for _, m := range verb.FindAllStringSubmatch(format, -1) {
			if strings.HasSuffix(m[0], "%%") {
				continue
			}
			if m[1] != "" {
				next, _ = strconv.Atoi(m[1])
				next--
			}
			next++
			n = max(n, next)
		}
		return n
	}
	for id, m := range catalog.Get() {
		if m.en == "" || m.zh == "" {
			t.Errorf("%s: a text is missing: %q, %q", id, m.en, m.zh)
		}
		if a, b := args(m.en), args(m.zh); a != b {
			t.Errorf("%s: English takes %d arguments, Chinese %d: %q, %q", id, a, b, m.en, m.zh)
		}
	}
}

// TestErrorsInChinese: the usage errors and refusals a student meets are
// Chinese under zh (by --lang or by the locale), with the same exit
// status; under English they are what they always were, word for word
// (scripts and tests match them). pflag's errors are recognised by type.
func TestErrorsInChinese(t *testing.T) {
	tests := []struct {
		args   []string
		status int
		en     string // stderr's last line in English
	}{
		{[]string{"bogus"}, 2, "mmtrace: unknown command \"bogus\" (try 'mmtrace help', or 'mmtrace list' for the scenarios)"},
		{[]string{"fork"}, 2, "mmtrace: unknown command \"fork\" (did you mean fork-private or fork-shared?)"},
		{[]string{"copy", "--bogus"}, 2, "mmtrace: copy: unknown flag: --bogus"},
		{[]string{"copy", "-x"}, 2, "mmtrace: copy: unknown shorthand flag: 'x' in -x"},
		{[]string{"copy", "-s"}, 2, "mmtrace: copy: flag needs an argument: 's' in -s"},
		{[]string{"copy", "--output"}, 2, "mmtrace: copy: flag needs an argument: --output"},
		{[]string{"copy", "-s", "x"}, 2, "mmtrace: copy: invalid argument \"x\" for \"-s, --string-limit\" flag: must be an integer"},
		{[]string{"ipc", "--interval", "x"}, 2, "mmtrace: ipc: invalid argument \"x\" for \"--interval\" flag: must be a duration like \"30s\" or \"5m\""},
		{[]string{"ipc", "--seccomp=x"}, 2, "mmtrace: ipc: invalid argument \"x\" for \"--seccomp\" flag: must be true or false"},
		{[]string{"copy", "---x"}, 2, "mmtrace: copy: bad flag syntax: ---x"},
		{[]string{"run"}, 2, "mmtrace: run: no command to trace (mmtrace run -- CMD [ARGS...])"},
		{[]string{"run", "-p", "1", "ls"}, 2, "mmtrace: run: -p attaches to a running process: give no command"},
		{[]string{"run", "--", "/nonexistent-mmtrace-cmd"}, 127, "mmtrace: /nonexistent-mmtrace-cmd: command not found"},
		{[]string{"run", "--", "/tmp"}, 126, "mmtrace: /tmp: is a directory"},
		{[]string{"attach", "x"}, 2, "mmtrace: attach: \"x\" is not a process id"},
		{[]string{"attach"}, 2, "mmtrace: attach: give a PID"},
		{[]string{"attach", "2147483647"}, 1, "mmtrace: cannot trace 2147483647: no such process"},
		{[]string{"write", "--color=x"}, 2, "mmtrace: --color \"x\": want auto, always or never"},
		{[]string{"write", "--pin-cpu=x"}, 2, "mmtrace: --pin-cpu \"x\": want auto, spawn, always or never"},
		{[]string{"write", "-s", "-1"}, 2, "mmtrace: -s -1: the string limit cannot be negative"},
		{[]string{"write", "--stable", "-T"}, 2, "mmtrace: --stable prints no times, which change every run: not with -t, -tt, -ttt, -r or -T"},
		{[]string{"write", "-a", "-e", "trace=mmap"}, 2, "mmtrace: -a and -e both choose the calls: give one"},
		{[]string{"write", "-r", "-t"}, 2, "mmtrace: -r and -t both choose the time column: give one"},
		{[]string{"write", "-c", "-C"}, 2, "mmtrace: -c and -C: give one"},
		{[]string{"write", "--json", "-c"}, 2, "mmtrace: --json writes only JSON: not with -c or -C"},
		{[]string{"write", "--faults", "--no-faults"}, 2, "mmtrace: --faults and --no-faults: give one"},
		{[]string{"write", "--step"}, 2, "mmtrace: --step asks the class at each call: stdin must be a terminal (or use --serve: the page's Next button)"},
		{[]string{"list", "extra"}, 2, "mmtrace: list takes no arguments"},
		{[]string{"list", "--lang", "fr"}, 2, "mmtrace: list: --lang: unknown language \"fr\": want en or zh"},
		{[]string{"explain", "a", "b"}, 2, "mmtrace: explain takes one SYSCALL or TOPIC, got 2"},
		{[]string{"explain", "nope"}, 2, "mmtrace: explain: nothing is called \"nope\"; did you mean \"open\"? ('mmtrace explain' lists them all)"},
		{[]string{"explain", "mmapp"}, 2, "mmtrace: explain: nothing is called \"mmapp\"; did you mean \"mmap\"? ('mmtrace explain' lists them all)"},
		{[]string{"explain", "--lang", "fr"}, 2, "mmtrace: explain: --lang: unknown language \"fr\": want en or zh"},
		{[]string{"help", "nope"}, 2, "mmtrace: help: no topic \"nope\" (did you mean copy?)"},
		{[]string{"help", "forkk"}, 2, "mmtrace: help: no topic \"forkk\" (try 'mmtrace help scenarios')"},
		{[]string{"help", "a", "b"}, 2, "mmtrace: help takes one topic: scenarios, filter, or a command"},
		{[]string{"help", "--lang", "fr"}, 2, "mmtrace: help: --lang: unknown language \"fr\": want en or zh"},
		{[]string{"write", "--lang", "fr"}, 2, `mmtrace: --lang "fr": want en or zh`},
		{nil, 2, "mmtrace: no command given"},
		{[]string{"write", "-o", "/"}, 2, "mmtrace: -o /: is a directory"},
		{[]string{"write", "-o", "/nonexistent-mm/x"}, 2, "mmtrace: -o /nonexistent-mm/x: no directory /nonexistent-mm"},
		{[]string{"write", "-o", "/nonexistent-mm/x", "--svg", "/nonexistent-mm/x"}, 2,
			"mmtrace: -o /nonexistent-mm/x and --svg /nonexistent-mm/x are the same file: give each output its own"},
	}
	run := func(t *testing.T, locale string, args []string, process bool) (string, int) {
		t.Helper()
		if !process {
			t.Setenv("LC_ALL", locale)
			t.Setenv("TMPDIR", t.TempDir())
			var stdout, stderr bytes.Buffer
			err := route(args, nil, &stdout, &stderr)
			if err != nil && err.Error() != "" {
				fmt.Fprintln(&stderr, "mmtrace: "+escape.Message(err.Error())) // as main does
			}
			return stderr.String(), exitCode(err)
		}
		cmd := exec.Command(mmtraceBin, args...)
		cmd.Env = []string{"PATH=/usr/bin:/bin", "TMPDIR=" + t.TempDir(), "LANG=" + locale}
		var stderr strings.Builder
		cmd.Stderr = &stderr
		if err := cmd.Run(); err != nil {
			if _, ok := err.(*exec.ExitError); !ok {
				t.Fatal(err)
			}
		}
		return stderr.String(), cmd.ProcessState.ExitCode()
	}
	lastLine := func(s string) string {
		lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
		return lines[len(lines)-1]
	}
	// A few run as processes, as a shell runs them: attach, --step (which
	// asks whether stdin is a terminal), and one to check main's own
	// printing; the others through route, in this process.
	process := func(args []string) bool {
		return len(args) > 0 && (args[0] == "attach" || args[0] == "bogus" || slices.Contains(args, "--step"))
	}
	names := helpNames()
	for _, tc := range tests {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			en, status := run(t, "C", tc.args, process(tc.args))
			if lastLine(en) != tc.en || status != tc.status {
				t.Errorf("English: status %d, %q; want status %d, %q", status, lastLine(en), tc.status, tc.en)
			}
			zh, status := run(t, "zh_CN.UTF-8", tc.args, process(tc.args))
			if status != tc.status {
				t.Errorf("Chinese: status %d, want %d", status, tc.status)
			}
			if lastLine(zh) == tc.en || !strings.HasPrefix(zh, "mmtrace") {
				t.Errorf("Chinese: %q", zh)
			}
			for _, p := range glossary.EnglishWords(zh, names...) {
				t.Errorf("Chinese: %q: English word %q", p.Line, p.Found)
			}
			for _, p := range glossary.Check(zh, names...) {
				t.Errorf("Chinese: %q: found %q, want %s", p.Line, p.Found, p.Want)
			}
		})
	}
	// --lang zh says it in Chinese as the locale does, wherever --lang is.
	for _, args := range [][]string{{"copy", "--bogus", "--lang", "zh"}, {"bogus", "--lang", "zh"}, {"write", "--lang", "zh", "-c", "-C"}} {
		if zh, _ := run(t, "C", args, false); !strings.ContainsFunc(zh, func(r rune) bool { return unicode.Is(unicode.Han, r) }) {
			t.Errorf("LANG=C mmtrace %v: %q is not Chinese", args, zh)
		}
	}
}

// TestProgressLineInChinese: copy's progress line on a terminal speaks
// the run's language.
func TestProgressLineInChinese(t *testing.T) {
	var out bytes.Buffer
	newProgressLine(&out, explain.ZH).draw("copy", 16<<20, 64<<20)
	if got, want := out.String(), eraseLine+"copy：16 MiB / 64 MiB（25%）"; got != want {
		t.Errorf("progress line %q, want %q", got, want)
	}
}
