package svg_test

import (
	"bytes"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/mmtrace/mmtrace/tracer"
	"github.com/mmtrace/mmtrace/tracer/explain"
	"github.com/mmtrace/mmtrace/tracer/svg"
)

// printable checks what makes a picture printable and projectable: at
// most 1600 wide, so that shown 1600 px wide no text is under 14 px, and
// no text under 14.
func printable(t *testing.T, b []byte) {
	t.Helper()
	m := regexp.MustCompile(`<svg [^>]*width="(\d+)"`).FindSubmatch(b)
	if m == nil {
		t.Fatal("no width")
	}
	if w, _ := strconv.Atoi(string(m[1])); w > 1600 {
		t.Errorf("the picture is %d wide, want at most 1600", w)
	}
	for _, re := range []*regexp.Regexp{regexp.MustCompile(`font-size="([\d.]+)"`), regexp.MustCompile(`font-size: ?([\d.]+)px`)} {
		for _, m := range re.FindAllSubmatch(b, -1) {
			if v, _ := strconv.ParseFloat(string(m[1]), 64); v < 14 {
				t.Errorf("text at %s px: %s", m[1], m[0])
			}
		}
	}
}

// TestPrintablePicture: the waitpid picture is printable, under 300 KB,
// its polling loop one mark with its count.
func TestPrintablePicture(t *testing.T) {
	var args []string
	if testing.Short() {
		args = []string{"--scale", "0.1"}
	}
	b, _ := render(t, "waitpid", svg.Options{Title: "waitpid", Name: "waitpid"}, func(s ...tracer.Sink) tracer.Result {
		return traceScenario(t, nil, "waitpid", args, s...)
	})
	t.Logf("waitpid: %d bytes", len(b))
	if len(b) > 300<<10 {
		t.Errorf("the waitpid picture is %d KB, want under 300", len(b)>>10)
	}
	printable(t, b)
	pic := parse(t, b)
	if !regexp.MustCompile(`wait4 ×\d+`).Match(b) {
		t.Errorf("the polling loop is not folded into a counted mark")
	}
	if len(pic.lanes) != 4 {
		t.Errorf("lanes %v, want 4", pic.lanes)
	}
	screenshot(t, "waitpid", b)
}

// TestPictureLanguageAndHandout: --lang zh puts the picture's own words
// in Chinese, legend and title included; --stable leaves no pid, address
// or time in it.
func TestPictureLanguageAndHandout(t *testing.T) {
	var zhBuf, stBuf bytes.Buffer
	zhR := svg.New(&zhBuf, svg.Options{Title: "fork-shared", Name: "fork-shared", Lang: explain.ZH})
	stR := svg.New(&stBuf, svg.Options{Title: "fork-shared", Name: "fork-shared", Stable: true})
	res := traceScenario(t, nil, "fork-shared", nil, zhR, stR)
	for _, r := range []*svg.Renderer{zhR, stR} {
		if err := r.Close(); err != nil {
			t.Fatal(err)
		}
	}
	zh, st := zhBuf.String(), stBuf.String()
	printable(t, zhBuf.Bytes())
	printable(t, stBuf.Bytes())
	for _, want := range []string{"文件，MAP_SHARED", "fork 继承的", "开始后的时间", "进程 " + strconv.Itoa(res.Pid), "以状态 0 退出", "的子进程"} {
		if !strings.Contains(zh, want) {
			t.Errorf("--lang zh picture lacks %q", want)
		}
	}
	for _, english := range []string{"file, MAP_SHARED", "time since start", "still running", "exited with", "child of"} {
		if strings.Contains(zh, english) {
			t.Errorf("--lang zh picture has %q", english)
		}
	}
	if strings.Count(zh, "mmtrace") != 1 || !strings.Contains(zh, ">mmtrace: fork-shared<") {
		t.Errorf("the title is not \"mmtrace: fork-shared\", once")
	}
	pic := parse(t, stBuf.Bytes())
	if len(pic.lanes) != 2 || pic.lanes[0] != 1 || pic.lanes[1] != 2 {
		t.Errorf("--stable lanes %v, want [1 2]", pic.lanes)
	}
	if !strings.Contains(st, ">P1<") || !strings.Contains(st, "child of P1") {
		t.Errorf("--stable picture does not name its processes P1 and P2")
	}
	if strings.Contains(st, strconv.Itoa(res.Pid)) {
		t.Errorf("--stable picture shows the pid %d", res.Pid)
	}
	if m := regexp.MustCompile(`0x[0-9a-f]{6,}|\d+(\.\d+)? (ms|µs|s)\b`).FindString(st); m != "" {
		t.Errorf("--stable picture shows %q", m)
	}
}

// TestHatchedLabels: a label on a hatched (inherited) bar is readable:
// inside the bar it stands on a solid patch drawn over the hatching, as
// wide as the words; else it is beside the bar, outlined.
func TestHatchedLabels(t *testing.T) {
	b, _ := render(t, "copy-hatched", svg.Options{Title: "copy", Name: "copy"}, func(s ...tracer.Sink) tracer.Result { return traceCopy(t, "3", s...) })
	type rect struct {
		x, w float64
		fill string
	}
	inside, beside := 0, 0
	for _, g := range regexp.MustCompile(`(?s)<g class="mapping">.*?</g>`).FindAll(b, -1) {
		g = regexp.MustCompile(`(?s)<title>.*?</title>`).ReplaceAll(g, nil)
		if !bytes.Contains(g, []byte(`fill="url(#inherited)"`)) {
			continue
		}
		var rects []rect
		for _, m := range regexp.MustCompile(`<rect x="([\d.]+)" y="[\d.]+" width="([\d.]+)"[^>]* fill="([^"]+)"`).FindAllSubmatch(g, -1) {
			x, _ := strconv.ParseFloat(string(m[1]), 64)
			w, _ := strconv.ParseFloat(string(m[2]), 64)
			rects = append(rects, rect{x, w, string(m[3])})
		}
		m := regexp.MustCompile(`<text x="([\d.]+)"[^>]* class="(bar-label[^"]*)">([^<]*)<`).FindSubmatch(g)
		if m == nil {
			continue
		}
		x, _ := strconv.ParseFloat(string(m[1]), 64)
		label := string(m[3])
		switch string(m[2]) {
		case "bar-label-out":
			beside++
			if bar := rects[0]; x < bar.x+bar.w {
				t.Errorf("%q: outside label at x %.1f, over its bar (%.1f to %.1f)", label, x, bar.x, bar.x+bar.w)
			}
		case "bar-label":
			inside++
			// The last rect is the patch: solid, after the hatching,
			// under the words.
			last := rects[len(rects)-1]
			if rects[len(rects)-2].fill != "url(#inherited)" || strings.HasPrefix(last.fill, "url(") || last.x > x || last.x+last.w < x+float64(utf8.RuneCountInString(label))*14*0.45 {
				t.Errorf("%q on a hatched bar without a solid patch under it: %+v, text at %.1f", label, rects, x)
			}
		}
	}
	// Where a label goes depends on how long the mapping lived against
	// the whole trace: this run's times decide.
	t.Logf("%d labels inside hatched bars, %d beside", inside, beside)
	if inside+beside == 0 {
		t.Errorf("no label on a hatched bar to check")
	}
}
