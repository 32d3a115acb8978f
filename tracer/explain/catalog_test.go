package explain

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode"
)

func TestMain(m *testing.M) {
	strict = true
	os.Exit(m.Run())
}

func hasHan(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Han, r) || (r >= 0x3000 && r <= 0x303f) || (r >= 0xff00 && r <= 0xff60) {
			return true
		}
	}
	return false
}

// TestCatalog checks every message: both languages present, the same
// fields in both, and a full rendering leaves no placeholder.
func TestCatalog(t *testing.T) {
	for id := msgID(0); id < numMsgs; id++ {
		m := catalog[id]
		if m.en == "" || m.zh == "" {
			t.Errorf("message %d: en %q, zh %q: both are needed", id, m.en, m.zh)
			continue
		}
		fe, fz := fields(m.en), fields(m.zh)
		if !slices.Equal(sorted(fe), sorted(fz)) {
			t.Errorf("message %d: en fields %v, zh fields %v\n  en: %s\n  zh: %s", id, fe, fz, m.en, m.zh)
		}
		if hasHan(m.en) {
			t.Errorf("message %d: Chinese in the English text: %s", id, m.en)
		}
		if m.zh == m.en && id != mSinceFork && id != mListSep {
			t.Errorf("message %d: the Chinese text is the English one: %s", id, m.zh)
		}
		var kv []any
		for _, f := range fe {
			kv = append(kv, f, "X")
		}
		for _, l := range []Lang{EN, ZH} {
			s := render(l, id, kv...)
			if strings.ContainsAny(s, "{}") {
				t.Errorf("message %d (%v) renders with a placeholder left: %s", id, l, s)
			}
		}
	}
}

func sorted(s []string) []string {
	s = slices.Clone(s)
	slices.Sort(s)
	return s
}

// TestEveryMessageUsed checks that each message of the catalog is used by
// the code, so that the table holds no text nobody can see.
func TestEveryMessageUsed(t *testing.T) {
	fset := token.NewFileSet()
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	declared := map[string]bool{}
	used := map[string]int{}
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		file, err := parser.ParseFile(fset, f, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		if f == "catalog.go" {
			for _, d := range file.Decls {
				if g, ok := d.(*ast.GenDecl); ok && g.Tok == token.CONST {
					for _, s := range g.Specs {
						for _, n := range s.(*ast.ValueSpec).Names {
							declared[n.Name] = true
						}
					}
				}
			}
			continue
		}
		ast.Inspect(file, func(n ast.Node) bool {
			if id, ok := n.(*ast.Ident); ok {
				used[id.Name]++
			}
			return true
		})
	}
	for name := range declared {
		if name != "numMsgs" && used[name] == 0 && name != "mListSep" {
			t.Errorf("%s is in the catalog but no code uses it", name)
		}
	}
}

func TestRenderMarksMistakes(t *testing.T) {
	if got := render(EN, mNotOpen); !strings.Contains(got, "{fd}") {
		t.Errorf("a missing field should stay visible: %q", got)
	}
	if got := render(EN, mNotOpen, "fd", 3, "bogus", 1); !strings.Contains(got, "{unused bogus}") {
		t.Errorf("an unused field should be marked in tests: %q", got)
	}
}

func TestCounts(t *testing.T) {
	tests := []struct {
		v      local
		en, zh string
	}{
		{pages(1), "1 page", "1 页"},
		{pages(2), "2 pages", "2 页"},
		{nbytes(4), "4 bytes", "4 字节"},
		{minorFlt(4096), "4096 minor page faults", "次缺页 4096 次"},
		{majorFlt(1), "1 major page fault", "主缺页 1 次"},
		{list{1, 2, 3}, "1, 2 and 3", "1、2 和 3"},
		{capList([]any{1, 2, 3, 4, 5, 6}), "1, 2, 3 and 3 more", "1、2、3 和 另外 3 个"},
	}
	for _, tc := range tests {
		if got := tc.v.in(EN); got != tc.en {
			t.Errorf("en: %q, want %q", got, tc.en)
		}
		if got := tc.v.in(ZH); got != tc.zh {
			t.Errorf("zh: %q, want %q", got, tc.zh)
		}
	}
}

func TestLang(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want Lang
		ok   bool
	}{{"en", EN, true}, {"zh", ZH, true}, {"ZH", ZH, true}, {"zh_CN.UTF-8", ZH, true}, {"en-US", EN, true}, {"fr", EN, false}, {"", EN, false}} {
		got, err := ParseLang(tc.in)
		if got != tc.want || (err == nil) != tc.ok {
			t.Errorf("ParseLang(%q) = %v, %v", tc.in, got, err)
		}
	}
	for _, tc := range []struct {
		env  map[string]string
		want Lang
	}{
		{map[string]string{}, EN},
		{map[string]string{"LANG": "zh_CN.UTF-8"}, ZH},
		{map[string]string{"LANG": "zh_CN.UTF-8", "LC_MESSAGES": "C"}, EN},
		{map[string]string{"LANG": "en_US.UTF-8", "LC_MESSAGES": "zh_TW.UTF-8"}, ZH},
		{map[string]string{"LC_ALL": "C", "LC_MESSAGES": "zh_CN"}, EN},
		{map[string]string{"LC_ALL": "zh_CN.GB18030"}, ZH},
	} {
		if got := LangFromEnv(func(k string) string { return tc.env[k] }); got != tc.want {
			t.Errorf("LangFromEnv(%v) = %v, want %v", tc.env, got, tc.want)
		}
	}
}

// TestTopics checks every offline text: both languages, the summary line,
// no field but {page}, and a width that fits a terminal.
func TestTopics(t *testing.T) {
	want := []string{"open", "close", "ftruncate", "mmap", "munmap", "mprotect", "msync", "madvise", "mremap",
		"fork", "execve", "wait4", "exit", "unlink", "kill", "page", "shared-vs-private", "sigbus", "fd", "faults"}
	names := Topics()
	for _, w := range want {
		if !slices.Contains(names, w) {
			t.Errorf("Topics() lacks %s", w)
		}
	}
	// Every call of the default set has a text, under its name or an alias.
	for _, c := range []string{"open", "openat", "creat", "close", "ftruncate", "truncate", "mmap", "munmap",
		"mprotect", "msync", "madvise", "mremap", "fork", "vfork", "clone", "clone3", "execve", "execveat",
		"wait4", "waitid", "exit", "exit_group", "unlink", "unlinkat", "kill", "tgkill"} {
		if _, ok := Topic(EN, c); !ok {
			t.Errorf("no text for the call %s", c)
		}
	}
	for _, tp := range topics {
		for _, l := range []Lang{EN, ZH} {
			s, ok := Topic(l, tp.name)
			if !ok || s == "" {
				t.Errorf("%s (%v): no text", tp.name, l)
				continue
			}
			for _, f := range fields(tp.text.in(l)) {
				if f != "page" {
					t.Errorf("%s (%v): field {%s}: topics may only use {page}", tp.name, l, f)
				}
			}
			if strings.ContainsAny(s, "{}") && !strings.Contains(s, "struct") {
				t.Errorf("%s (%v): a placeholder is left", tp.name, l)
			}
			first := strings.SplitN(s, "\n", 2)[0]
			sep := " — "
			if l == ZH {
				sep = " —— "
			}
			if !strings.Contains(first, sep) {
				t.Errorf("%s (%v): the first line %q is not \"NAME%sWHAT\"", tp.name, l, first, sep)
			}
			for i, line := range strings.Split(s, "\n") {
				if w := width(line); w > 84 {
					t.Errorf("%s (%v) line %d is %d columns wide: %s", tp.name, l, i+1, w, line)
				}
			}
			if l == ZH && !hasHan(s) {
				t.Errorf("%s: the Chinese text has no Chinese", tp.name)
			}
			if l == EN && hasHan(s) {
				t.Errorf("%s: Chinese in the English text", tp.name)
			}
		}
	}
}

func TestTopicAliases(t *testing.T) {
	a, _ := Topic(EN, "openat")
	b, _ := Topic(EN, "open")
	if a != b || a == "" {
		t.Error("openat should give open's text")
	}
	if _, ok := Topic(ZH, "nonesuch"); ok {
		t.Error("an unknown name was found")
	}
	if s, _ := Topic(EN, "page"); strings.Contains(s, "{page}") {
		t.Error("{page} was not filled in")
	}
}

func TestSuggest(t *testing.T) {
	for in, want := range map[string]string{
		"mmpa": "mmap", "munamp": "munmap", "ftrunc": "ftruncate", "sigbu": "sigbus",
		"shared": "shared", "forks": "fork", "xyzzyplugh": "",
	} {
		if got := Suggest(in); got != want {
			t.Errorf("Suggest(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestList(t *testing.T) {
	for _, l := range []Lang{EN, ZH} {
		s := List(l)
		for _, n := range Topics() {
			if !strings.Contains(s, "\n  "+n) {
				t.Errorf("List(%v) lacks %s:\n%s", l, n, s)
			}
		}
		if strings.Contains(s, " — ") {
			t.Errorf("List(%v) should show summaries without the name prefix:\n%s", l, s)
		}
	}
	if s := List(EN); !strings.Contains(s, "open, openat, creat") || !strings.Contains(s, "fork, vfork, clone, clone3") {
		t.Errorf("List shows no aliases of the calls:\n%s", s)
	}
}

// sample gives each field a typical value, long enough to be realistic.
var sample = map[string]any{
	"file": "data.txt", "addr": hex(0x7f1234567000), "page": hex(0x7f1234567000), "old": hex(0x7f1234567000),
	"pages": pages(2), "size": nbytes(4096), "len": nbytes(5000), "off": 1000, "pagesize": 4096, "done": t(mMsyncAsync),
	"fd": 3, "child": 1234567, "pid": 1234567, "tid": 1234568, "code": 0, "sig": "SIGBUS",
	"errno": "EINVAL", "call": "mprotect", "prot": "PROT_READ|PROT_WRITE", "n": 4096,
	"minor": minorFlt(4096), "major": majorFlt(12), "since": t(mSincePrev), "faults": faultCount(23),
	"pids": list{1234567, 1234568}, "maps": list{t(mMapItem, "name", "fork.txt", "pages", pages(16))},
	"fds":  list{"0-2", t(mFdItem, "fd", 3, "file", "fork.txt")},
	"what": t(mAnonMemory), "name": "fork.txt", "kind": t(mKindChar), "access": t(mReadWrite),
	"rounded": t(mRounded, "len", nbytes(5000)), "how": t(mHowKilled, "sig", "SIGBUS"), "advice": "MADV_SEQUENTIAL",
	"meaning": t(mAdvSequential), "target": t(mTargetPid, "pid", 1234567), "why": t(mWhyBus, "addr", hex(0x7f1234567000), "file", "empty.txt"),
	"bytes": lit("4 KiB"), "items": list{t(mGainCache, "pages", pages(16))},
	"core": lit(""), "from": pages(16), "to": pages(32), "lo": 0, "delta": 1000, "list": "3", "a": "a", "b": "b",
}

// TestMessageWidths renders every message with typical values: a line
// should fit the projector without wrapping.
func TestMessageWidths(t *testing.T) {
	for id := msgID(0); id < numMsgs; id++ {
		for _, l := range []Lang{EN, ZH} {
			var kv []any
			for _, f := range fields(catalog[id].in(l)) {
				v, ok := sample[f]
				if !ok {
					t.Fatalf("no sample for field %s", f)
				}
				kv = append(kv, f, v)
			}
			s := tidy(render(l, id, kv...))
			if w := width(s); w > MaxWidth {
				t.Errorf("message %d (%v) is %d columns with typical values:\n%s", id, l, w, s)
			}
		}
	}
}
