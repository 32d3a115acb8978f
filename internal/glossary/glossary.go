// Package glossary is mmtrace's Chinese glossary: one Chinese term for
// each concept of the lesson, the variants it rejects and why, and a
// checker that finds a rejected variant, or an English sentence, in a text
// mmtrace prints under --lang zh.
//
// Tests of every package that writes Chinese run Check on what it writes:
// the explanations (tracer/explain), the scenarios' texts (scenarios), and
// whole runs of the command (cmd/mmtrace): timelines, scenario lines,
// help, list, the -c tables, the fold line.
package glossary

import (
	"regexp"
	"strings"
	"unicode"
)

// Term is one concept and its Chinese name.
type Term struct {
	// EN is the English term.
	EN string
	// ZH is the one Chinese term mmtrace uses for it.
	ZH string
	// Why says why ZH and not the variants.
	Why string
	// Rejected are the variants a Chinese text may not use.
	Rejected []Variant
}

// Variant is a rejected way of writing a term.
type Variant struct {
	// Pattern finds the variant (a regular expression).
	Pattern string
	// Except, when set, is a wider pattern in which a match of Pattern is
	// not the variant: 内存映射进 is "maps memory into", not "memory
	// mapping".
	Except string
	// Code: the variant is a C identifier (fd), allowed where it is code
	// (see codeContext), never in prose.
	Code bool
}

// Terms is the glossary.
var Terms = []Term{
	{
		EN: "file descriptor (fd)", ZH: "文件描述符",
		Why: "the term of the Chinese man pages and textbooks. \"fd\" is C's name for the argument: it stays in code " +
			"(close(fd), the fd parameter of mmap) and nowhere in a Chinese sentence, where 文件描述符 3 says what fd 3 says",
		Rejected: []Variant{{Pattern: `\bfds?\b`, Code: true}, {Pattern: `文件句柄`}},
	},
	{
		EN: "page fault", ZH: "缺页",
		Why:      "short, and true: a fault is a synchronous exception, not an interrupt, and 页错误 sounds like a mistake",
		Rejected: []Variant{{Pattern: `缺页中断`}, {Pattern: `缺页异常`}, {Pattern: `页面?错误`}},
	},
	{
		EN: "minor fault", ZH: "次缺页",
		Why:      "pairs with 主缺页 and says nothing false: a minor fault is not less important, it only needs no I/O",
		Rejected: []Variant{{Pattern: `次要缺页`}, {Pattern: `轻微缺页`}, {Pattern: `小缺页`}},
	},
	{
		EN: "major fault", ZH: "主缺页",
		Why:      "pairs with 次缺页; 严重 would say an error happened",
		Rejected: []Variant{{Pattern: `主要缺页`}, {Pattern: `严重缺页`}, {Pattern: `大缺页`}},
	},
	{
		EN: "demand paging", ZH: "按需调页",
		Why:      "the usual textbook term; 分页 is paging as address translation, not bringing pages in",
		Rejected: []Variant{{Pattern: `请求调页`}, {Pattern: `按需分页`}, {Pattern: `请求分页`}},
	},
	{
		EN: "killed by SIGBUS", ZH: "被 SIGBUS 信号终止",
		Why: "a signal's default action terminates the process; 杀死 is colloquial and reads as if another process did it. " +
			"The signal's name stays as the kernel spells it",
		Rejected: []Variant{{Pattern: `杀死|杀掉|干掉`}, {Pattern: `被 ?SIG[A-Z0-9]+ ?终止`}},
	},
	{
		EN: "raise SIGBUS (a fault the kernel answers with a signal)", ZH: "触发 SIGBUS",
		Why:      "a signal's name is a noun: 会 SIGBUS uses it as a verb",
		Rejected: []Variant{{Pattern: `会 ?SIG[A-Z0-9]+`}},
	},
	{
		EN: "core dumped", ZH: "已生成核心转储",
		Why:      "核心转储 is the established term; the English word in a Chinese sentence is not a translation",
		Rejected: []Variant{{Pattern: `(?i)core ?dump`}, {Pattern: `吐核`}, {Pattern: `核心已转储|已转储核心|转储了核心`}},
	},
	{
		EN: "seal (memfd seals)", ZH: "密封",
		Why:      "the word of the Chinese fcntl(2) translations; 封印 is from fantasy novels",
		Rejected: []Variant{{Pattern: `封印`}, {Pattern: `封存`}},
	},
	{
		EN: "page cache", ZH: "页缓存",
		Why:      "page is 页 throughout; 页面 is a web page",
		Rejected: []Variant{{Pattern: `页面缓存`}, {Pattern: `页高速缓存`}, {Pattern: `页缓冲`}},
	},
	{
		EN: "page", ZH: "页",
		Why:      "one character, as in 页表 and 页缓存",
		Rejected: []Variant{{Pattern: `页面`}},
	},
	{
		EN: "copy-on-write", ZH: "写时复制",
		Why:      "the established term; 拷贝 is colloquial, and 写入时复制 is one character longer for nothing",
		Rejected: []Variant{{Pattern: `写入时复制`}, {Pattern: `写时拷贝`}, {Pattern: `即写即拷`}},
	},
	{
		EN: "mapping", ZH: "映射",
		Why: "one word for the thing mmap makes and for the range it covers: 映射区 is the same mapping seen as addresses, " +
			"and 内存映射 is the whole subject, not one mapping (内存映射进 is the verb phrase \"maps memory into\")",
		Rejected: []Variant{{Pattern: `映射区`}, {Pattern: `映像`}, {Pattern: `内存映射`, Except: `内存映射[进到入]`}},
	},
	{
		EN: "shared mapping", ZH: "共享映射",
		Rejected: []Variant{{Pattern: `共用映射`}, {Pattern: `分享映射`}},
	},
	{
		EN: "private mapping", ZH: "私有映射",
		Rejected: []Variant{{Pattern: `专用映射`}, {Pattern: `私人映射`}},
	},
	{
		EN: "anonymous mapping", ZH: "匿名映射",
		Why:      "匿名内存 is the memory such a mapping gives, a different thing, and keeps its name",
		Rejected: []Variant{{Pattern: `无名映射`}},
	},
	{
		EN: "huge page", ZH: "大页",
		Rejected: []Variant{{Pattern: `巨页`}, {Pattern: `巨型页`}},
	},
	{
		EN: "reap (a child)", ZH: "回收",
		Rejected: []Variant{{Pattern: `收割`}},
	},
	{
		EN: "zombie", ZH: "僵尸进程",
		Rejected: []Variant{{Pattern: `僵死进程`}},
	},
	{
		EN: "trace (ptrace a process)", ZH: "跟踪",
		Why:      "the word of the Chinese strace and gdb documentation; 追踪 is a detective's",
		Rejected: []Variant{{Pattern: `追踪`}},
	},
	{
		EN: "process id (pid)", ZH: "进程号",
		Why:      "a number, as the help texts and notes say it; pid stays where it is code (the pid argument, --step's pid answer)",
		Rejected: []Variant{{Pattern: `进程 ?ID`}, {Pattern: `PID ?号`}},
	},
	{
		EN: "scenario (an exercise mmtrace runs)", ZH: "场景",
		Rejected: []Variant{{Pattern: `情景`}},
	},
	{
		EN: "timeline", ZH: "时间线",
		Rejected: []Variant{{Pattern: `时间轴`}},
	},
	{
		EN: "locale", ZH: "区域设置",
		Why:      "what the help texts say --lang defaults to (LC_ALL, LC_MESSAGES, LANG)",
		Rejected: []Variant{{Pattern: `语言环境`}, {Pattern: `本地化设置`}},
	},
	{
		EN: "exit status", ZH: "退出状态",
		Why:      "what wait returns is a status, of which WEXITSTATUS is the exit status",
		Rejected: []Variant{{Pattern: `退出码`}},
	},
}

// Problem is a rejected variant or an English sentence found in a line.
type Problem struct {
	Line  string // the line, as printed
	Found string // what was found
	Want  string // the term to use, or why it is wrong
}

// Check returns the problems of text, a text mmtrace printed in Chinese.
// names are words that are names, not English (a scenario's name, a
// pitfall's): they do not count as English words.
//
// What it checks, line by line, once the code and the data are taken out
// (a call with its arguments, a C prototype, a quoted string, a path):
//   - in a line with Chinese in it, every rejected variant of Terms;
//   - in any line, a run of minWords English words or more with no
//     Chinese between them: a sentence left untranslated.
func Check(text string, names ...string) []Problem {
	allowed := map[string]bool{}
	for _, n := range append(names, identifiers...) {
		allowed[strings.ToLower(n)] = true
	}
	var out []Problem
	for _, line := range strings.Split(text, "\n") {
		prose := stripCode(line)
		if hasHan(prose) {
			out = append(out, variants(line, prose)...)
		}
		if run := englishRun(prose, allowed); run != "" {
			out = append(out, Problem{Line: line, Found: run, Want: "Chinese (an English sentence in a Chinese text)"})
		}
	}
	return out
}

// EnglishWords returns every English word of text, a help text mmtrace
// printed in Chinese, that is not a name: the stricter rule for what a
// student reads first. Check allows two English words in a row (a term
// glossed in English); a help text says everything in Chinese and keeps
// in English only what is typed or quoted as it is:
//   - code and data, as Check takes them out: a call with its arguments,
//     a quoted string, a command in single quotes ('mmtrace help run');
//   - a flag (-n, --lang), a path, a file name (dd.txt), an expression
//     with = in it (trace=%memory);
//   - a placeholder or a constant: no lower-case letter (FILE, PID,
//     MAP_SHARED, SIGBUS, JSON), or digits in it (x86, 1ms);
//   - the name column of a list: an indented line's first word when two
//     spaces follow it (a pitfall's name, a call's, a flag's);
//   - names: identifiers (calls, programs, C words) and the names given.
//
// A word is letters only, two or more, lower case but for the first.
func EnglishWords(text string, names ...string) []Problem {
	allowed := map[string]bool{}
	for _, n := range append(names, identifiers...) {
		allowed[strings.ToLower(n)] = true
	}
	// A quoted string may go on over a line break: taken out whole, its
	// line breaks kept.
	text = quotedRE.ReplaceAllStringFunc(text, func(q string) string { return strings.Repeat("\n", strings.Count(q, "\n")) })
	var out []Problem
	for _, line := range strings.Split(text, "\n") {
		prose := listNameRE.ReplaceAllString(line, " ")
		prose = blockRE.ReplaceAllString(prose, " ")
		prose = commandRE.ReplaceAllString(prose, " ")
		prose = pathRE.ReplaceAllString(stripCode(prose), " ")
		for _, tok := range splitHan(prose) {
			tok = strings.Trim(tok, ".,;:!?()[]{}'`*&~<>|")
			if word := strings.TrimSuffix(tok, "'s"); wordRE.MatchString(word) && !allowed[strings.ToLower(word)] {
				out = append(out, Problem{Line: line, Found: tok, Want: "Chinese (an English word in a Chinese help text)"})
			}
		}
	}
	return out
}

var (
	// The name column of a list: "  past-eof  text", "  mmtrace list   text".
	listNameRE = regexp.MustCompile(`^\s+\S+(?: \S+)*?\s{2,}`)
	// A command to type, in single quotes.
	commandRE = regexp.MustCompile(`'[^']*'`)
	// A C block: struct STU {int id; char sex;}.
	blockRE = regexp.MustCompile(`\{[^{}]*;[^{}]*\}`)
)

// minWords English words in a row make a sentence: "(repeated more
// times)" has three; no Chinese line needs three English words in a row
// that are not code, names or data.
const minWords = 3

// identifiers are words that appear in Chinese text as names: calls,
// programs, C keywords and types.
var identifiers = []string{
	"mmap", "munmap", "mprotect", "msync", "madvise", "mremap", "open", "openat", "creat", "close",
	"ftruncate", "truncate", "fork", "vfork", "clone", "execve", "execveat", "wait", "waitpid", "waitid",
	"exit", "unlink", "unlinkat", "kill", "tgkill", "lseek", "read", "write", "pread", "pwrite", "fstat",
	"statx", "fallocate", "nanosleep", "strcpy", "perror", "printf", "malloc", "sysconf", "raise",
	"execlp", "execvp", "rmdir", "chown", "ps", "ls", "cp", "gcc", "strace", "mmtrace", "libc", "glibc",
	"int", "void", "char", "const", "struct", "unsigned", "long", "size", "pid", "tid", "offset", "addr",
	"length", "prot", "flags", "mode", "path", "status", "options", "advice", "sig", "dirfd",
	"stdin", "stdout", "stderr", "errno", "seccomp", "ulimit",
	"procfs", "sysfs", "tmpfs", "debugfs", "tracefs", "configfs", "bpffs", "cgroupfs",
	"nsfs", "pstore", "securityfs", "selinuxfs", "smackfs", "efivarfs",
}

var (
	// A call or a C prototype: name(args), innermost parentheses first.
	callRE = regexp.MustCompile(`[A-Za-z_][A-Za-z0-9_]*\([^()]*\)`)
	// A quoted string: data, as the program wrote or read it.
	quotedRE = regexp.MustCompile(`"[^"]*"`)
	// A path, a file name, a flag: not words.
	pathRE = regexp.MustCompile(`\S*[/=]\S*|(?:^|\s)--?[A-Za-z][\w-]*`)
	// The head of a parameter table: "fd      the open file".
	paramRE = regexp.MustCompile(`^\s*[a-z_]+\s{2,}`)
	// A command line in a list of examples, typed as it is:
	// "  mmtrace pitfalls past-eof --lang zh   为什么…".
	exampleRE = regexp.MustCompile(`^\s*mmtrace(?: \S+)*?\s{2,}`)
	// A field of a message template, filled in when it is printed:
	// {fd}, {file}.
	fieldRE = regexp.MustCompile(`\{[a-z]+\}`)
	// flagRE is a command-line flag (--decode-fds, -y): typed as it is,
	// whatever words its name holds.
	flagRE = regexp.MustCompile(`(^|[\s(（,，、])--?[A-Za-z][A-Za-z0-9-]*`)
)

// stripCode takes out of line what is code or data, not prose.
func stripCode(line string) string {
	s := exampleRE.ReplaceAllString(line, " ")
	s = quotedRE.ReplaceAllString(s, " ")
	for {
		t := callRE.ReplaceAllString(s, " ")
		if t == s {
			break
		}
		s = t
	}
	s = paramRE.ReplaceAllString(s, " ")
	s = fieldRE.ReplaceAllString(s, " ")
	s = flagRE.ReplaceAllString(s, "$1 ")
	return s
}

// variants finds the rejected variants in prose, the line with its code
// taken out.
func variants(line, prose string) []Problem {
	var out []Problem
	for _, t := range Terms {
		for _, v := range t.Rejected {
			re := regexp.MustCompile(v.Pattern)
			var except [][]int
			if v.Except != "" {
				except = regexp.MustCompile(v.Except).FindAllStringIndex(prose, -1)
			}
		matches:
			for _, m := range re.FindAllStringIndex(prose, -1) {
				for _, e := range except {
					if e[0] <= m[0] && m[1] <= e[1] {
						continue matches
					}
				}
				if v.Code && codeContext(prose, m[0], m[1]) {
					continue
				}
				out = append(out, Problem{Line: line, Found: prose[m[0]:m[1]], Want: t.ZH})
			}
		}
	}
	return out
}

// codeContext says whether the identifier at prose[i:j] is code: an
// argument in a list (next to a comma or a parenthesis that a line break
// left unmatched), a C declaration (int fd), or the parameter named in
// Chinese (参数 fd).
func codeContext(prose string, i, j int) bool {
	before := strings.TrimRight(prose[:i], " ")
	after := strings.TrimLeft(prose[j:], " ")
	switch {
	case strings.HasSuffix(before, ",") || strings.HasSuffix(before, "("):
		return true
	case strings.HasPrefix(after, ",") || strings.HasPrefix(after, ")"):
		return true
	case strings.HasSuffix(before, "int") || strings.HasSuffix(before, "参数"):
		return true
	}
	return false
}

// englishRun returns the first run of minWords or more English words in
// prose with no Chinese between them, or "".
func englishRun(prose string, allowed map[string]bool) string {
	prose = pathRE.ReplaceAllString(prose, " ")
	var run []string
	best := ""
	flush := func() {
		if first, last, n := words(run, allowed); n >= minWords && best == "" {
			best = strings.Join(run[first:last+1], " ")
		}
		run = run[:0]
	}
	for _, field := range splitHan(prose) {
		if field == "" {
			flush()
			continue
		}
		run = append(run, field)
	}
	flush()
	return best
}

// splitHan splits s into its space-separated tokens, with "" where Chinese
// (a character or fullwidth punctuation) came between two of them.
func splitHan(s string) []string {
	var out []string
	var tok strings.Builder
	end := func() {
		if tok.Len() > 0 {
			out = append(out, tok.String())
			tok.Reset()
		}
	}
	for _, r := range s {
		switch {
		case wide(r):
			end()
			out = append(out, "")
		case unicode.IsSpace(r):
			end()
		default:
			tok.WriteRune(r)
		}
	}
	end()
	return out
}

var wordRE = regexp.MustCompile(`^[A-Za-z][a-z]+(?:-[a-z]+)*$`)

// words counts the English words among tokens (letters only, a capital
// first, two or more, and not a name) and returns where the first and the
// last of them are.
func words(tokens []string, allowed map[string]bool) (first, last, n int) {
	for i, t := range tokens {
		t = strings.Trim(t, ".,;:!?()[]{}'`*&~<>|")
		if wordRE.MatchString(t) && !allowed[strings.ToLower(t)] {
			if n == 0 {
				first = i
			}
			last = i
			n++
		}
	}
	return first, last, n
}

// hasHan says whether s has Chinese in it.
func hasHan(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			return true
		}
	}
	return false
}

// wide says whether r is Chinese: a character, or CJK or fullwidth
// punctuation.
func wide(r rune) bool {
	return unicode.Is(unicode.Han, r) || (r >= 0x3000 && r <= 0x303f) || (r >= 0xff00 && r <= 0xff60) ||
		r == '“' || r == '”' || r == '‘' || r == '’' || r == '…' || r == '—'
}
