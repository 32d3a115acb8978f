package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"unicode"

	"github.com/mmtrace/mmtrace/tracer"
	"github.com/mmtrace/mmtrace/tracer/explain"
	"github.com/mmtrace/mmtrace/tracer/filter"
)

// TestFilterMessages: each kind of filter.Error has a message whose
// English, with the error's words, is the error's own text word for word
// (under English mmtrace prints the error itself; the catalog must not
// drift from it), and whose Chinese is Chinese.
func TestFilterMessages(t *testing.T) {
	_, reErr := regexp.Compile("[")
	samples := map[filter.Kind]*filter.Error{
		filter.EmptyExpr:         {Expr: "!"},
		filter.Personality32:     {Word: "open@32"},
		filter.BadPersonality:    {Word: "open@7", Item: "7"},
		filter.NotNumber:         {Word: "1x"},
		filter.NoSuchNumber:      {Word: "99999"},
		filter.BadRegexp:         {Word: "/[", Err: reErr},
		filter.RegexpMatchesNone: {Word: "/zzz"},
		filter.UnknownClass:      {Word: "%memroy", Suggest: "%memory"},
		filter.UnknownCall:       {Word: "mmapp", Suggest: "mmap"},
		filter.Unsupported:       {Word: "s", Item: "signal"},
		filter.EmptySet:          {},
		filter.EmptyItem:         {Expr: "exit,,"},
		filter.NoSignalNumber:    {Expr: "99", Word: "99", Max: 64},
		filter.NotSignal:         {Expr: "x", Word: "x"},
		filter.NotStatus:         {Expr: "x", Word: "x"},
		filter.NoStatus:          {Expr: "none"},
		filter.NotQuiet:          {Expr: "x", Word: "x"},
		filter.EmptyPath:         {},
		filter.RelativePattern:   {Word: "a*"},
		filter.BadPattern:        {Word: "/[", Err: path.ErrBadPattern},
	}
	if len(samples) != len(filterIDs) {
		t.Errorf("%d kinds have a message, %d a sample here", len(filterIDs), len(samples))
	}
	for kind, fe := range samples {
		fe.Kind = kind
		if _, ok := filterIDs[kind]; !ok {
			t.Errorf("%v: no message", fe)
			continue
		}
		if got := filterText(explain.EN, fe); got != fe.Error() {
			t.Errorf("English:\n got %s\nwant %s", got, fe.Error())
		}
		zh := filterText(explain.ZH, fe)
		if !strings.ContainsFunc(zh, func(r rune) bool { return unicode.Is(unicode.Han, r) }) {
			t.Errorf("%v: Chinese %q", fe, zh)
		}
		if got := filterError(explain.ZH, errors.Join(fe)); got != zh {
			t.Errorf("filterError of a wrapped error: %q, want %q", got, zh)
		}
	}
}

// TestOutputErrorText: a failed output is said with the call, the file,
// the errno and what became of the tracees, in English as it always was
// and in Chinese in the catalog's words; a closed pipe exits 141 in both.
func TestOutputErrorText(t *testing.T) {
	write := func(errno syscall.Errno) error {
		return fmt.Errorf("%w: %w", tracer.ErrOutput, &fs.PathError{Op: "write", Path: "/x", Err: errno})
	}
	tests := []struct {
		name     string
		err      error
		during   bool
		attached bool
		status   int
		en, zh   string
	}{
		{"disk full", write(syscall.ENOSPC), true, false, exitInternal,
			"write /x: no space left on device: stopped tracing; the traced processes were killed",
			"写入 /x 失败：ENOSPC（设备上没有空间）：停止跟踪；被跟踪的进程已被结束"},
		{"EIO, attached", write(syscall.EIO), true, true, exitInternal,
			"write /x: input/output error: stopped tracing; detached, the processes run on",
			"写入 /x 失败：EIO（输入/输出错误）：停止跟踪；已脱离，这些进程继续运行"},
		{"closed pipe", write(syscall.EPIPE), true, false, exitPipe,
			"write /x: broken pipe (its reader is gone): stopped tracing; the traced processes were killed",
			"写入 /x 失败：EPIPE（断开的管道）：读它的一端已经关闭：停止跟踪；被跟踪的进程已被结束"},
		{"close", &commitError{"-o /x", &fs.PathError{Op: "close", Path: "/x", Err: syscall.EIO}, false}, false, false, exitInternal,
			"close /x: input/output error",
			"关闭 /x 失败：EIO（输入/输出错误）"},
		{"rename", &commitError{"--svg /d/x", &os.LinkError{Op: "rename", Old: "/d/.x.tmp", New: "/d/x", Err: syscall.EISDIR}, true}, false, false, exitInternal,
			"--svg /d/x: rename /d/.x.tmp /d/x: is a directory (the file is as it was)",
			"--svg /d/x：把 /d/.x.tmp 改名为 /d/x 失败：EISDIR（是一个目录）（文件保持原样）"},
	}
	for _, tc := range tests {
		for _, l := range []explain.Lang{explain.EN, explain.ZH} {
			p := &pipeline{lang: l, attached: tc.attached}
			err := p.outputError(tc.err, tc.during)
			want := tc.en
			if l == explain.ZH {
				want = tc.zh
			}
			if err.Error() != want || exitCode(err) != tc.status {
				t.Errorf("%s, %v: status %d, %q; want %d, %q", tc.name, l, exitCode(err), err, tc.status, want)
			}
		}
	}
}
