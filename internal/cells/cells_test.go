package cells_test

import (
	"bytes"
	"reflect"
	"strings"
	"testing"

	"github.com/mmtrace/mmtrace/internal/cells"
	"github.com/mmtrace/mmtrace/internal/cells/cellstest"
)

func TestWidth(t *testing.T) {
	tests := []struct {
		name string
		s    string
		want int
	}{
		{"ascii", "mmap(NULL, 4096)", 16},
		{"chinese", "映射", 4},
		{"fullwidth punctuation", "（fork.txt）：", 14},
		{"ideographic space", "\u3000", 2},
		{"combining accent", "e\u0301", 1},
		{"zero-width space", "a\u200bb", 2},
		{"hangul", "한국어", 6},
		{"kana", "カタカナ", 8},
		{"emoji", "🙂", 2},
		{"latin accented", "é", 1},
		{"greek and arrows are narrow", "µs→", 3},
		{"cjk extension b", "\U00020000", 2},
		{"control", "a\tb", 2},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := cells.Width(tc.s); got != tc.want {
				t.Errorf("Width(%q) = %d, want %d", tc.s, got, tc.want)
			}
		})
	}
}

func TestWrap(t *testing.T) {
	tests := []struct {
		name  string
		s     string
		width int
		want  []string
	}{
		{"fits", "short", 10, []string{"short"}},
		{"exactly", "0123456789", 10, []string{"0123456789"}},
		{"empty", "", 10, []string{""}},
		{"at spaces", "one two three four five six", 10, []string{"one two", "three four", "five six"}},
		{"never inside a word", "before touching the mapping", 12, []string{"before", "touching the", "mapping"}},
		{"runs of spaces go", "a  b   c", 3, []string{"a", "b", "c"}},
		{"a word longer than the line is cut after a _", "SIGBUS_SIGBUS_SIGBUS", 8, []string{"SIGBUS_", "SIGBUS_", "SIGBUS"}},
		{"a long path is cut after a slash", "/a/very/long/path/name then", 12, []string{"/a/very/", "long/path/", "name then"}},
		{"a word with no place to cut is cut at the width", "0123456789abcdef", 6, []string{"012345", "6789ab", "cdef"}},
		{"a long word gets its own lines, the next word stays whole", "see /tmp/mmtrace-copy-123456/sample.bin now", 16,
			[]string{"see", "/tmp/mmtrace-", "copy-123456/", "sample.bin now"}},
		// Chinese: two cells a character.
		{"chinese by cells", "文件描述符现在指向它", 10, []string{"文件描述符", "现在指向它"}},
		{"a wide character never straddles the edge", "ab文件", 3, []string{"ab", "文", "件"}},
		{"no closing punctuation starts a line", "写入彼此可见。好", 12, []string{"写入彼此可", "见。好"}},
		{"no opening punctuation ends a line", "映射到「彼此」", 8, []string{"映射到", "「彼此」"}},
		{"prefers punctuation to splitting a word", "子进程继承了，写入彼此可见", 16, []string{"子进程继承了，", "写入彼此可见"}},
		{"breaks at a space between latin and chinese", "它写入 fork.txt 的内容仍在 16490 中", 20,
			[]string{"它写入 fork.txt", "的内容仍在 16490 中"}},
		{"after a colon rather than between characters", "MAP_SHARED：写入直接进入", 14, []string{"MAP_SHARED：", "写入直接进入"}},
		{"chinese next to latin with no space", "MAP_SHARED写入", 12, []string{"MAP_SHARED", "写入"}},
		{"the later break wins", "得到，无需 write()", 7, []string{"得到，", "无需", "write()"}},
		{"width 1 still moves on", "文a", 1, []string{"文", "a"}},
		{"width below 1 is 1", "ab", 0, []string{"a", "b"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := cells.Wrap(tc.s, tc.width)
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("Wrap(%q, %d) =\n%q\nwant\n%q", tc.s, tc.width, got, tc.want)
			}
			w := max(tc.width, 1)
			if tc.name == "width 1 still moves on" {
				w = 2 // a wide character cannot fit in one cell
			}
			if err := cellstest.CheckWrap(tc.s, got, w); err != nil {
				t.Error(err)
			}
		})
	}
}

// TestWrapNotes wraps real notes, English and Chinese, at every width a
// note may get on a terminal, and checks each result with CheckWrap.
func TestWrapNotes(t *testing.T) {
	notes := []string{
		"read-only: a MAP_SHARED mapping of it cannot be writable (EACCES); a MAP_PRIVATE one can",
		"shared by 16252, 16253, 16254 and 16255: copy.bin (16384 pages) and sample.bin (16384 pages): stores are seen by all",
		"O_TRUNC emptied it: give it a size (ftruncate) before touching a mapping of it",
		"文件描述符 3 现在指向 fork.txt（以读写方式打开）",
		"MAP_SHARED：写入直接进入 fork.txt 本身，所有映射它的进程都看得到，无需 write()",
		"由 16490 和 16501 共享：fork.txt（1 页）：写入彼此可见",
		"把 fork.txt 从偏移 0 起的 1 页映射到 0x7fb841253000（20 字节向上取整为整页）",
		"映射区的权限不能超过打开文件时的权限：改用 O_RDWR 打开、去掉 PROT_WRITE，或改用 MAP_PRIVATE",
	}
	for _, n := range notes {
		for w := 8; w <= 100; w++ {
			lines := cells.Wrap(n, w)
			if err := cellstest.CheckWrap(n, lines, w); err != nil {
				t.Errorf("width %d: %v\n%s", w, err, strings.Join(lines, "\n"))
			}
		}
	}
}

func TestCheckWrapFindsSplits(t *testing.T) {
	tests := []struct {
		name  string
		text  string
		lines []string
		width int
	}{
		{"a word split", "before touching", []string{"before touchi", "ng"}, 13},
		{"too wide", "abc def", []string{"abc def"}, 5},
		{"closing punctuation first", "写入。好", []string{"写入", "。好"}, 4},
		{"opening punctuation last", "到「彼此」", []string{"到「", "彼此」"}, 6},
		{"text lost", "abc def", []string{"abc"}, 5},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if err := cellstest.CheckWrap(tc.text, tc.lines, tc.width); err == nil {
				t.Errorf("CheckWrap(%q, %q, %d) found nothing wrong", tc.text, tc.lines, tc.width)
			}
		})
	}
}

func TestFit(t *testing.T) {
	tests := []struct {
		name  string
		line  string
		width int
		want  []string
	}{
		{"fits", "past-eof  ok", 80, []string{"past-eof  ok"}},
		{"no width", "a b c", 0, []string{"a b c"}},
		{"second column", "past-eof          mmap of an empty file: success; the child's store: killed by SIGBUS", 50,
			[]string{"past-eof          mmap of an empty file: success;", "                  the child's store: killed by", "                  SIGBUS"}},
		{"indented", "  child 1 copied bytes [0, 13418496) (13418496 bytes)", 30,
			[]string{"  child 1 copied bytes [0,", "  13418496) (13418496 bytes)"}},
		{"plain", "copied 67108864 bytes from /tmp/x/sample.bin to /tmp/x/copy.bin", 30,
			[]string{"copied 67108864 bytes from", "/tmp/x/sample.bin to", "/tmp/x/copy.bin"}},
		{"second column too far right", "name                          a long description here", 40,
			[]string{"name                          a long", "description here"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := cells.Fit(tc.line, tc.width)
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("Fit(%q, %d) =\n%q\nwant\n%q", tc.line, tc.width, got, tc.want)
			}
		})
	}
}

func TestWriter(t *testing.T) {
	var out bytes.Buffer
	w := cells.NewWriter(&out, 12)
	for _, p := range []string{"one two ", "three four\nfive", " six\n", "tail"} {
		if _, err := w.Write([]byte(p)); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if want := "one two\nthree four\nfive six\ntail"; out.String() != want {
		t.Errorf("wrote %q, want %q", out.String(), want)
	}
	out.Reset()
	w = cells.NewWriter(&out, 0)
	w.Write([]byte("one two three four\n"))
	if out.String() != "one two three four\n" {
		t.Errorf("width 0 changed the text: %q", out.String())
	}
}
