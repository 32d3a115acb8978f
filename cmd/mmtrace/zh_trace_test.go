package main

import (
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"syscall"
	"testing"
	"unicode"

	"github.com/mmtrace/mmtrace/internal/glossary"
)

// TestTraceErrorsInChinese: what run says about its trace's options and
// its trace's start and end, under zh (by the locale, and by --lang=zh),
// is Chinese with the same exit status; in English it is what it always was, word for word.
// One row per kind of message: the -e and -P errors (tracer/filter's),
// the qualifiers and flags of strace's that mmtrace refuses, run's own
// flags, a program the kernel cannot run, the kernel refusing ptrace,
// --serve's address, a failed output (-o, --svg, --json, --perfetto,
// --html), a -P path resolved into another. Each runs the real command.
func TestTraceErrorsInChinese(t *testing.T) {
	dir := t.TempDir()
	garbage := filepath.Join(dir, "garbage")
	if err := os.WriteFile(garbage, []byte("not a program\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	link, target := filepath.Join(dir, "link"), filepath.Join(dir, "target")
	if err := os.WriteFile(target, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(target, link); err != nil {
		t.Fatal(err)
	}
	// A port that is taken: --serve cannot listen on it.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	taken := ln.Addr().String()

	tests := []struct {
		args   []string
		status int
		en     string // stderr's last line in English
		enRE   string // or a pattern it matches, where it names a pid
		line   string // a line other than the last, by its start
		zh     string // what the Chinese line says, where it matters
		userNS bool   // run in a user namespace of its own, as its root
		home   string // $HOME
	}{
		// tracer/filter's errors, by kind.
		{args: []string{"-e", "trace=bogus"}, status: 2, en: `mmtrace: -e: invalid system call "bogus"`},
		{args: []string{"-e", "trace=mmapp"}, status: 2, en: `mmtrace: -e: invalid system call "mmapp" (did you mean "mmap"?)`},
		{args: []string{"-e", "trace=%bogus"}, status: 2, en: `mmtrace: -e: invalid system call class "%bogus"`},
		{args: []string{"-e", "trace=%memroy"}, status: 2, en: `mmtrace: -e: invalid system call class "%memroy" (did you mean "%memory"?)`},
		{args: []string{"-e", "trace="}, status: 2, en: `mmtrace: -e: empty trace expression "": name calls (trace=mmap,munmap), a class (trace=%memory), all or none`},
		{args: []string{"-e", "trace=open@32"}, status: 2, en: `mmtrace: -e: invalid system call "open@32": mmtrace traces only the 64-bit personality`},
		{args: []string{"-e", "trace=open@7"}, status: 2, en: `mmtrace: -e: incorrect personality designator "7" in "open@7"`},
		{args: []string{"-e", "trace=1x"}, status: 2, en: `mmtrace: -e: invalid system call "1x": not a number`},
		{args: []string{"-e", "trace=99999"}, status: 2, en: `mmtrace: -e: invalid system call "99999": no architecture has a call with that number`},
		{args: []string{"-e", "trace=/["}, status: 2, en: "mmtrace: -e: invalid system call \"/[\": error parsing regexp: missing closing ]: `[`"},
		{args: []string{"-e", "trace=/zzzz"}, status: 2, en: `mmtrace: -e: invalid system call "/zzzz": the regular expression matches no system call`},
		{args: []string{"-e", "signal=x"}, status: 2, en: `mmtrace: -e: signal=x: "x" is not a signal`},
		{args: []string{"-e", "signal=99"}, status: 2, en: `mmtrace: -e: signal=99: no signal 99 (1 to 64)`},
		{args: []string{"-e", "status=x"}, status: 2, en: `mmtrace: -e: status=x: "x" is not a status (want successful, failed, unfinished, unavailable, detached)`},
		{args: []string{"-e", "status=none"}, status: 2, en: `mmtrace: -e: status=none: selects no call`},
		{args: []string{"-e", "status="}, status: 2, en: `mmtrace: -e: empty set`},
		{args: []string{"-e", "quiet=exit,,"}, status: 2, en: `mmtrace: -e: "exit,,": an empty item`},
		{args: []string{"-e", "quiet=x"}, status: 2, en: `mmtrace: -e: quiet=x: "x" is not a message strace can silence (want attach, exit, path-resolution, personality or thread-execve)`},
		{args: []string{"-P", ""}, status: 2, en: `mmtrace: run: -P: an empty path`},
		{args: []string{"-P", "a*"}, status: 2, en: `mmtrace: run: -P "a*": a pattern must be an absolute path`},
		{args: []string{"-P", "/["}, status: 2, en: `mmtrace: run: -P "/[": syntax error in pattern`},
		// strace's qualifiers and flags that mmtrace refuses.
		{args: []string{"-e", "fault=x"}, status: 2, en: `mmtrace: -e: fault=: strace's fault qualifier is not supported by mmtrace`},
		{args: []string{"-e", "raw=x"}, status: 2, en: `mmtrace: -e: raw=: strace's per-call raw is not supported by mmtrace; -v and -X apply to every call`},
		{args: []string{"-e", "decode-fds=x"}, status: 2, en: `mmtrace: -e: decode-fds=x: mmtrace decodes path (-y) and all (-yy, paths and sockets)`},
		{args: []string{"-X", "names"}, status: 2, en: `mmtrace: -X "names": want abbrev, raw, verbose`},
		{args: []string{"-k"}, status: 2, en: `mmtrace: run: -k: strace's -k (stack traces) is not supported`},
		{args: []string{"-a", "40"}, status: 2, en: `mmtrace: strace's -a COLUMN (alignment) is not supported; mmtrace's -a traces every call, and its lines are not aligned`},
		{args: []string{"-S", "x"}, status: 2, en: `mmtrace: -S "x": want time, min-time, max-time, avg-time, calls, errors, name, nothing`},
		{args: []string{"-z", "-Z"}, status: 2, en: `mmtrace: -z and -Z: give one (-e status=successful,failed prints both)`},
		{args: []string{"-ff", "--json", "-o", filepath.Join(dir, "ff")}, status: 2, en: `mmtrace: -ff writes a timeline per thread: not with --json, -c, -C or --step`},
		{args: []string{"-ff", "--stable", "-o", filepath.Join(dir, "ff")}, status: 2, en: `mmtrace: -ff: not with --stable, whose labels name the threads in one timeline`},
		// run's own flags.
		{args: []string{"-b", "x"}, status: 2, en: `mmtrace: run: -b "x": only -b execve is supported, as in strace`},
		{args: []string{"--follow", "x"}, status: 2, en: `mmtrace: run: --follow "x": give all or threads`},
		{args: []string{"-u", "no-such-user-mm"}, status: 2, en: `mmtrace: run: -u: no user "no-such-user-mm"`},
		{args: []string{"-E", "=x"}, status: 2, en: `mmtrace: run: -E "=x": no variable name`},
		{args: []string{"-p", "1", "-u", "root"}, status: 2, en: `mmtrace: run: -u sets the user of a program mmtrace starts; -p starts none`},
		{args: []string{"-p", "1", "-E", "A=1"}, status: 2, en: `mmtrace: run: -E sets the environment of a program mmtrace starts; -p starts none`},
		// --serve's address.
		{args: []string{"--serve=bad"}, status: 2, en: `mmtrace: --serve: listening on bad: listen tcp: address bad: missing port in address`},
		{args: []string{"--serve=" + taken}, status: 2, en: "mmtrace: --serve: listening on " + taken + ": listen tcp " + taken + ": bind: address already in use"},
		// The program, and the kernel refusing ptrace: mmtrace traced by
		// a mmtrace that follows its forks.
		{args: []string{"--", garbage}, status: 126, en: "mmtrace: cannot run " + garbage + ": exec format error", zh: "ENOEXEC（可执行文件格式错误）"},
		{args: []string{"-o", os.DevNull, "--", mmtraceBin, "run", "--", "true"}, status: 125,
			enRE: `^mmtrace: the kernel refused ptrace: mmtrace is itself traced by \d+ \(\S+\), which took mmtrace's child first: run mmtrace untraced, or let that tracer not follow forks \(ptrace\(PTRACE_SEIZE\): operation not permitted\)$`},
		// The child could not become -u's user (an unmapped uid in a user
		// namespace): it exited 126 before it could be traced.
		{args: []string{"-u", "nobody", "--", "true"}, status: 125, userNS: true,
			enRE: `^mmtrace: child \d+ ended before it could be traced \(wait status 0x7e00\)$`},
		// --gops cannot write its port file.
		{args: []string{"--gops", "-o", os.DevNull}, status: 125, home: "/proc/none",
			en: "mmtrace: gops agent: mkdir /proc/none: no such file or directory"},
		// A failed output: during the trace, and at its end.
		{args: []string{"-o", "/dev/full", "--", "true"}, status: 125, en: "mmtrace: write /dev/full: no space left on device: stopped tracing; the traced processes were killed"},
		{args: []string{"--json", "-o", "/dev/full", "--", "true"}, status: 125, en: "mmtrace: write /dev/full: no space left on device: stopped tracing; the traced processes were killed"},
		{args: []string{"-o", os.DevNull, "--svg", "/dev/full", "--", "true"}, status: 125, en: "mmtrace: write /dev/full: no space left on device"},
		{args: []string{"-o", os.DevNull, "--perfetto", "/dev/full", "--", "true"}, status: 125, en: "mmtrace: write /dev/full: no space left on device"},
		{args: []string{"-o", os.DevNull, "--html", "/dev/full", "--", "true"}, status: 125, en: "mmtrace: write /dev/full: no space left on device"},
		// A notice: a -P path that is a link.
		{args: []string{"-o", os.DevNull, "-P", link, "--", "true"}, status: 0,
			line: `mmtrace: -P: Requested path "` + link + `" resolved into "` + target + `"`},
	}
	names := append(helpNames(), "successful", "failed", "unfinished", "unavailable", "detached",
		"attach", "personality", "path-resolution", "thread-execve", "threads", "all", // values typed
		"ptrace") // the call
	userNS := exec.Command("unshare", "--user", "--map-root-user", "true").Run() == nil
	run := func(t *testing.T, locale string, args []string, ns bool, home string) (string, int) {
		t.Helper()
		if !slices.Contains(args, "--") && !slices.Contains(args, "-p") {
			args = append(args, "--", "true") // the errors come before it runs
		}
		cmd := exec.Command(mmtraceBin, append([]string{"run"}, args...)...)
		if ns {
			cmd = exec.Command("unshare", append([]string{"--user", "--map-root-user", mmtraceBin, "run"}, args...)...)
		}
		cmd.Env = []string{"PATH=/usr/bin:/bin", "TMPDIR=" + t.TempDir(), "LANG=" + locale}
		if home != "" {
			cmd.Env = append(cmd.Env, "HOME="+home)
		}
		var stderr strings.Builder
		cmd.Stderr = &stderr
		if err := cmd.Run(); err != nil {
			if _, ok := err.(*exec.ExitError); !ok {
				t.Fatal(err)
			}
		}
		return stderr.String(), cmd.ProcessState.ExitCode()
	}
	// pick is the row's line of stderr: the last, or the one line starts.
	pick := func(stderr, start string) string {
		lines := strings.Split(strings.TrimRight(stderr, "\n"), "\n")
		if start == "" {
			return lines[len(lines)-1]
		}
		for _, l := range lines {
			if strings.HasPrefix(l, start[:len("mmtrace: -P")]) {
				return l
			}
		}
		return ""
	}
	for _, tc := range tests {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			if tc.userNS && !userNS {
				t.Skip("no user namespace: unshare --user --map-root-user fails")
			}
			if i := slices.Index(tc.args, "-u"); i >= 0 && i+1 < len(tc.args) {
				if _, err := user.Lookup(tc.args[i+1]); err != nil {
					t.Skipf("no user %s here (the arm64 guest has none): %v", tc.args[i+1], err)
				}
			}
			en, status := run(t, "C", tc.args, tc.userNS, tc.home)
			got := pick(en, tc.line)
			switch {
			case status != tc.status:
				t.Errorf("English: status %d, want %d\n%s", status, tc.status, en)
			case tc.enRE != "" && !regexp.MustCompile(tc.enRE).MatchString(got):
				t.Errorf("English: %q, want a match of %s", got, tc.enRE)
			case tc.enRE == "" && got != tc.en+tc.line:
				t.Errorf("English: %q, want %q", got, tc.en+tc.line)
			}
			// Chinese by the locale, and by --lang=zh in a C locale
			// (given to the traced mmtrace too, where one is traced).
			for _, zh := range []struct{ locale, how string }{{"zh_CN.UTF-8", "locale"}, {"C", "--lang=zh"}} {
				args := tc.args
				if zh.how == "--lang=zh" {
					args = []string{"--lang=zh"}
					for i, a := range tc.args {
						args = append(args, a)
						if a == "run" && i > 0 && tc.args[i-1] == mmtraceBin {
							args = append(args, "--lang=zh")
						}
					}
				}
				out, status := run(t, zh.locale, args, tc.userNS, tc.home)
				line := pick(out, tc.line)
				if status != tc.status {
					t.Errorf("Chinese (%s): status %d, want %d", zh.how, status, tc.status)
				}
				if !strings.Contains(line, tc.zh) {
					t.Errorf("Chinese (%s): %q, want %q in it", zh.how, line, tc.zh)
				}
				if line == got || !strings.HasPrefix(line, "mmtrace") || !strings.ContainsFunc(line, func(r rune) bool { return unicode.Is(unicode.Han, r) }) {
					t.Errorf("Chinese (%s): %q", zh.how, line)
				}
				for _, p := range glossary.EnglishWords(line, names...) {
					t.Errorf("Chinese (%s): %q: English word %q", zh.how, p.Line, p.Found)
				}
				for _, p := range glossary.Check(line, names...) {
					t.Errorf("Chinese (%s): %q: found %q, want %s", zh.how, p.Line, p.Found, p.Want)
				}
			}
		})
	}
}

// TestClosedPipeInChinese: a timeline on stdout whose reader is gone ends
// the trace with 141 and says so, in Chinese under zh.
func TestClosedPipeInChinese(t *testing.T) {
	for _, tc := range []struct{ locale, want string }{
		{"C", "mmtrace: write /dev/stdout: broken pipe (its reader is gone): stopped tracing; the traced processes were killed"},
		{"zh_CN.UTF-8", "mmtrace: 写入 /dev/stdout 失败：EPIPE（断开的管道）：读它的一端已经关闭：停止跟踪；被跟踪的进程已被结束"},
	} {
		r, w, err := os.Pipe()
		if err != nil {
			t.Fatal(err)
		}
		r.Close() // no reader
		cmd := exec.Command(mmtraceBin, "run", "-o", "/dev/stdout", "--", "true")
		cmd.Env = []string{"PATH=/usr/bin:/bin", "LANG=" + tc.locale}
		var stderr strings.Builder
		cmd.Stdout, cmd.Stderr = w, &stderr
		err = cmd.Run()
		w.Close()
		if _, ok := err.(*exec.ExitError); err != nil && !ok {
			t.Fatal(err)
		}
		if got := strings.TrimSpace(stderr.String()); got != tc.want || cmd.ProcessState.ExitCode() != 128+int(syscall.SIGPIPE) {
			t.Errorf("LANG=%s: status %d, %q; want %d, %q", tc.locale, cmd.ProcessState.ExitCode(), got, 128+int(syscall.SIGPIPE), tc.want)
		}
	}
}
