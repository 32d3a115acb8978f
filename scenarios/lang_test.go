package scenarios

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"
	"syscall"
	"testing"
	"unicode"

	"golang.org/x/sys/unix"

	"github.com/mmtrace/mmtrace/internal/glossary"
)

// names are the words of the scenarios that are names, not English.
func names() []string {
	var out []string
	for _, s := range All() {
		out = append(out, s.Info().Name)
	}
	out = append(out, pitfallNames[:]...)
	return append(out, mythNames[:]...)
}

// checkZH fails t for each problem the glossary finds in text, a Chinese
// text; and for a text with no Chinese in it at all.
func checkZH(t *testing.T, what, text string) {
	t.Helper()
	if !strings.ContainsFunc(text, func(r rune) bool { return unicode.Is(unicode.Han, r) }) {
		t.Errorf("%s: no Chinese in %q", what, text)
	}
	for _, p := range glossary.Check(text, names()...) {
		t.Errorf("%s: %q: found %q, want %s", what, p.Line, p.Found, p.Want)
	}
}

// TestInfoInBothLanguages: every scenario's summary and lesson exist in
// both languages, and the Chinese ones keep to the glossary.
func TestInfoInBothLanguages(t *testing.T) {
	for _, s := range All() {
		info := s.Info()
		for what, text := range map[string]Text{"summary": info.Summary, "lesson": info.Lesson} {
			if text.EN == "" || text.ZH == "" {
				t.Errorf("%s: the %s in English %q, in Chinese %q: both are needed", info.Name, what, text.EN, text.ZH)
				continue
			}
			if strings.ContainsFunc(text.EN, func(r rune) bool { return unicode.Is(unicode.Han, r) }) && info.Name != "myths" {
				t.Errorf("%s: Chinese in the English %s", info.Name, what)
			}
			checkZH(t, info.Name+" "+what, text.ZH)
		}
	}
}

// TestBodyTextsInChinese checks the lines the bodies write, prepared in
// the plan: each pitfall's verdict and complaints, the exchange's lines,
// the complaint's endings.
func TestBodyTextsInChinese(t *testing.T) {
	for i, pt := range pitfallTexts(Chinese, 4096) {
		for what, b := range map[string][]byte{"ok": pt.ok, "odd": pt.odd, "odd2": pt.odd2} {
			if len(b) > 0 {
				checkZH(t, fmt.Sprintf("%s %s", pitfallNames[i], what), string(b))
			}
		}
	}
	x := newExchange(Chinese, "fork-private", report{}, "父进程：只看到零字节\n")
	for _, b := range [][]byte{x.childSays, x.sees, x.errFork, x.errWait, x.errChild} {
		checkZH(t, "exchange", string(b))
	}
	c := newComplaint(Chinese)
	checkZH(t, "complaint", string(c.succeeded)+string(c.failedWith))
	// A complaint reads as one sentence: the prefix ends with "，".
	if got := string(pitfallTexts(Chinese, 4096)[pitOffset].odd) + string(c.succeeded); !strings.HasSuffix(got, "本应以 EINVAL 失败，结果成功了\n") {
		t.Errorf("complaint: %q", got)
	}
}

// TestAfterTextsInChinese checks what the plans say after the run, where
// a run cannot easily get: how a child died, copy's notes and failures.
func TestAfterTextsInChinese(t *testing.T) {
	for _, ws := range []syscall.WaitStatus{0, 1 << 8, syscall.WaitStatus(unix.SIGBUS), syscall.WaitStatus(unix.SIGSEGV) | 0x80, 0x137f} {
		checkZH(t, "describeWait", "子进程"+describeWait(Chinese, ws))
		checkZH(t, "waitText", waitText(Chinese, unix.WaitStatus(ws)))
	}
	checkZH(t, "statusError", Chinese.statusError(128+int(unix.SIGBUS)).Error())
	checkZH(t, "statusError", Chinese.statusError(3).Error())
	for _, e := range []error{unix.ENOENT, unix.ENOSPC, &fs.PathError{Op: "open", Path: "/x", Err: unix.EACCES}, unix.Errno(200)} {
		got := Chinese.wrap(e).Error()
		checkZH(t, "error", "无法复制 x："+got)
		if !errors.Is(Chinese.wrap(e), e) {
			t.Errorf("%v: the Chinese error does not unwrap to it", e)
		}
	}
	if _, why := capProcs(Chinese, 100, 95); why == "" {
		t.Error("capProcs: no reason given")
	} else {
		checkZH(t, "capProcs", why)
	}

	dir := t.TempDir()
	st, err := os.Stat(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	r := &copyRun{out: &out, lang: Chinese, src: &source{path: "big.bin", st: st}, dst: &destination{path: "out.bin"},
		stage: &staging{file: "out.bin.mmtrace/out.bin"}, size: 1 << 20, pageSize: 4096,
		parts: splitParts(1<<20, 4096, 3), body: &copyBody{report: make([]byte, reportSize)}}
	r.asked, r.limit = 5, maxProcs
	r.notes() // 3 pages' worth of parts for 5 processes asked: the page-count note
	r.asked, r.limit, r.limitWhy = 5, 3, ""
	r.notes() // the cap note
	_, r.limitWhy = capProcs(Chinese, 20, 15)
	r.notes()
	checkZH(t, "copy notes", out.String())
	if n := strings.Count(out.String(), "\n"); n != 3 {
		t.Errorf("copy notes: %d lines, want 3:\n%s", n, out.String())
	}
	for step := stepOpenSrc; step <= stepClose+1; step++ {
		for _, e := range []syscall.Errno{unix.ENOSPC, 0} {
			checkZH(t, fmt.Sprintf("copy failure %d", step), r.failure(step, e, 1).Error())
		}
	}
	checkZH(t, "untouched", r.untouched())
	checkZH(t, "rate", rate(Chinese, 1, 0))
}
