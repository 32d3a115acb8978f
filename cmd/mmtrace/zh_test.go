package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

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
			out := stdout + stderr // stderr until help goes to stdout
			// The flags' own descriptions are pflag's listing, in English.
			lesson, _, ok := strings.Cut(out, "选项：")
			if !ok {
				t.Errorf("%s --help --lang zh: no 选项： heading:\n%s", name, out)
			}
			check(t, name+" --help", lesson)
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
