package glossary

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"unicode"
)

func TestCheck(t *testing.T) {
	tests := []struct {
		name  string
		text  string
		found []string // what Check finds, in order; none: the text is clean
	}{
		{"the term", "关闭了文件描述符 3（data.txt）", nil},
		{"fd in a sentence", "fd 3 是只读打开的", []string{"fd"}},
		{"fd in parentheses", "在 A1 得到 1 页清零的内存，没有文件（fd 为 -1）", []string{"fd"}},
		{"fds", "在新程序中仍然打开：fds 0-2", []string{"fds"}},
		{"fd in a call", "mmap 之后立刻 close(fd)：映射照常可用", nil},
		{"fd in a call cut by a line break", "MAP_SHARED, fd, 0)。PROT_WRITE|PROT_WRITE 是笔误", nil},
		{"fd as a parameter", "MAP_ANONYMOUS  匿名映射：没有文件；参数 fd 传 -1", nil},
		{"fd in a parameter table", "fd      已打开的文件描述符；用 MAP_ANONYMOUS 时传 -1", nil},
		{"dirfd is another name", "dirfd   openat 从这个目录解析相对路径", nil},
		{"fd in data", `子进程：通过映射写入了 "fd 3"`, nil},
		{"fd in English is English", "fd 3 now refers to data.txt", []string{"fd 3 now refers to"}},
		{"killed", "被 SIGSEGV 杀死：它访问的 A2 处没有映射", []string{"杀死"}},
		{"killed, no 信号", "被 SIGBUS 终止", []string{"被 SIGBUS 终止"}},
		{"killed, the term", "子进程被 SIGBUS 信号终止", nil},
		{"core dump", "被 SIGSEGV 信号终止（产生了 core dump）", []string{"core dump"}},
		{"minor", "次要缺页 3 次", []string{"次要缺页"}},
		{"fault as interrupt", "缺页中断", []string{"缺页中断"}},
		{"seal", "或文件已被封印（seal）", []string{"封印"}},
		{"cow", "写入时复制（MAP_PRIVATE）", []string{"写入时复制"}},
		{"page cache", "这些页仍留在页面缓存中", []string{"页面缓存", "页面"}},
		{"memory mapping, the noun", "页 —— 内存映射的基本单位", []string{"内存映射"}},
		{"memory mapped into, the verb", "把文件或匿名内存映射进进程的地址空间", nil},
		{"mapping as a region", "返回映射区的首地址", []string{"映射区"}},
		{"an English sentence", "ftruncate(/dev/zero, 4) failed with EINVAL (Invalid argument): a device has no size to set",
			[]string{"failed with EINVAL (Invalid argument): a device has no size to set"}},
		{"the fold line", "P1 wait4(-1, A1, WNOHANG, NULL) = 0  (repeated more times)", []string{"(repeated more times)"}},
		{"the fold line in Chinese", "P1 wait4(-1, A1, WNOHANG, NULL) = 0  （又重复了多次）", nil},
		{"English between Chinese", "子进程：stored it through the mapping，然后退出", []string{"stored it through the mapping"}},
		{"two words are a term", "缺页（page fault）：内核找到这一页", nil},
		{"names and code", "pitfalls write-only 演示了这一点；munmap-offset：munmap(p+1, 4) 以 EINVAL 失败", nil},
		{"a C prototype", "  void *mmap(void *addr, size_t length, int prot, int flags, int fd, off_t offset);", nil},
		{"a prototype cut by a line break", "               int flags, ... /* void *new_address */);", nil},
		{"paths and flags", "加 --verbatim 时，文件 /tmp/mmtrace-write-1/dd.txt 的内容是 4 字节", nil},
		{"the notes' program output", "ftruncate error: 无效的参数", nil},
		{"a command in a list of examples", "  mmtrace pitfalls past-eof --lang zh   为什么越过文件末尾的写入会触发 SIGBUS", nil},
		{"a command in prose is not an example", "运行 mmtrace pitfalls past-eof with the notes", []string{"past-eof with the notes"}},
		{"trace", "追踪正在运行的进程", []string{"追踪"}},
		{"process id", "attach: \"x\" 不是进程 ID", []string{"进程 ID"}},
		{"locale", "默认按语言环境", []string{"语言环境"}},
		{"a maps line", "r--s 00000000 fe:00 9980723 /tmp/mmtrace-myths-1/open.txt", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var found []string
			for _, p := range Check(tc.text, "pitfalls", "write-only", "munmap-offset") {
				found = append(found, p.Found)
			}
			if strings.Join(found, "|") != strings.Join(tc.found, "|") {
				t.Errorf("Check(%q) found %q, want %q", tc.text, found, tc.found)
			}
		})
	}
}

// TestEnglishWords: the rule for help texts finds every English word
// that is not a name, one by one, and none in code, flags, files,
// placeholders, list names or quoted commands.
func TestEnglishWords(t *testing.T) {
	tests := []struct {
		name  string
		text  string
		found []string
	}{
		{"all Chinese", "把时间线写到 FILE，而不是 stderr", nil},
		{"one word", "跟踪所有 syscall", []string{"syscall"}},
		{"a sentence", "time of day 而不是", []string{"time", "of", "day"}},
		{"an English flag description", "  -a, --all                   trace every syscall, not just the mmap lesson's",
			[]string{"trace", "every", "syscall", "not", "just", "the", "lesson's"}},
		{"flags, values and placeholders", "  -s, --string-limit N        每个字符串最多打印 N 字节（默认 32）", nil},
		{"a flag row's name column", "      --no-explain            只打印 strace 式的行", nil},
		{"a list's name column", "  past-eof        空文件的 mmap：成功", nil},
		{"files, paths and expressions", "另外写到 ui.perfetto.dev 或 chrome://tracing；trace=%memory、dd.txt", nil},
		{"a quoted command", "'mmtrace help scenarios' 完整讲述每一课", nil},
		{"a quoted string over two lines", "输出 \"ftruncate\n error: 无效的参数\"（中文环境下）", nil},
		{"a C block", "struct STU {int id; char sex;}（28 字节）", nil},
		{"a name given", "pitfalls write-only 演示了这一点", nil},
		{"a name not given", "myths oob-store 演示了", []string{"myths", "oob-store"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var found []string
			for _, p := range EnglishWords(tc.text, "pitfalls", "write-only") {
				found = append(found, p.Found)
			}
			if strings.Join(found, "|") != strings.Join(tc.found, "|") {
				t.Errorf("EnglishWords(%q) found %q, want %q", tc.text, found, tc.found)
			}
		})
	}
}

// TestTermsCompile: every pattern compiles, and no chosen term is its own
// rejected variant.
func TestTermsCompile(t *testing.T) {
	for _, term := range Terms {
		for _, v := range term.Rejected {
			re, err := regexp.Compile(v.Pattern)
			if err != nil {
				t.Fatalf("%s: %v", term.EN, err)
			}
			if v.Except != "" {
				if _, err := regexp.Compile(v.Except); err != nil {
					t.Fatalf("%s: %v", term.EN, err)
				}
			}
			if re.MatchString(term.ZH) {
				t.Errorf("%s: the chosen %q matches its rejected %q", term.EN, term.ZH, v.Pattern)
			}
		}
	}
}

// TestSourceLiterals checks every Chinese string literal in mmtrace's
// source, outside tests: whatever prints it (a note, a lesson, a --step
// question, a table heading, the classroom page's words), it keeps to the
// glossary. The runs of the command (cmd/mmtrace) check the texts as
// printed; this catches a text no run reaches.
func TestSourceLiterals(t *testing.T) {
	root := filepath.Join("..", "..")
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if name := d.Name(); name == "testdata" || name == "glossary" || (strings.HasPrefix(name, ".") && path != root) {
				return filepath.SkipDir
			}
			return nil
		}
		if strings.HasSuffix(path, ".js") || strings.HasSuffix(path, ".html") {
			// The page's own words, in its JavaScript strings.
			b, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			for _, m := range jsString.FindAllStringSubmatch(string(b), -1) {
				if chinese(m[1]) {
					for _, p := range Check(m[1]) {
						t.Errorf("%s: %q: found %q, want %s", path, p.Line, p.Found, p.Want)
					}
				}
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(token.NewFileSet(), path, nil, 0)
		if err != nil {
			return err
		}
		ast.Inspect(f, func(n ast.Node) bool {
			lit, ok := n.(*ast.BasicLit)
			if !ok || lit.Kind != token.STRING {
				return true
			}
			s, err := strconv.Unquote(lit.Value)
			if err != nil || !chinese(s) {
				return true
			}
			for _, p := range Check(s) {
				t.Errorf("%s: %q: found %q, want %s", path, p.Line, p.Found, p.Want)
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// jsString is a double-quoted JavaScript string.
var jsString = regexp.MustCompile(`"((?:[^"\\\n]|\\.)*)"`)

// chinese says whether s is a Chinese text: one Chinese character for
// every three Latin letters or more. An English text may quote the notes
// in Chinese (the myths lesson does); a Chinese one is mostly Chinese,
// with the names of calls and flags in it.
func chinese(s string) bool {
	han, latin := 0, 0
	for _, r := range s {
		switch {
		case unicode.Is(unicode.Han, r):
			han++
		case r < 0x80 && unicode.IsLetter(r):
			latin++
		}
	}
	return han > 0 && 3*han >= latin
}
