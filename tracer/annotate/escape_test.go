package annotate_test

import (
	"path/filepath"
	"strings"
	"testing"
	"unicode"

	"github.com/mmtrace/mmtrace/tracer/annotate"
	"github.com/mmtrace/mmtrace/tracer/explain"
)

// TestMapsTableEscapesPaths maps a file whose name would act on a
// terminal and checks that the --maps table and the notes show it escaped.
func TestMapsTableEscapesPaths(t *testing.T) {
	tests := []struct {
		name, file, shown string
	}{
		{"newline forging a line", "a\n12345 0.0 x", `a\n12345 0.0 x`},
		{"escape sequence", "a\x1b[31mb", `a\33[31mb`},
		{"c1 control and bidi override", "a\u009b1m\u202eb", `a\302\2331m\342\200\256b`},
		{"chinese stays readable", "数据", "数据"},
	}
	for _, tc := range tests {
		for _, lang := range []explain.Lang{explain.EN, explain.ZH} {
			t.Run(tc.name+"/"+lang.String(), func(t *testing.T) {
				path := filepath.Join(t.TempDir(), tc.file)
				got := timeline(t, annotate.Options{Explain: true, Maps: true, Lang: lang}, "write", path)
				maps := 0
				for _, l := range strings.Split(got, "\n") {
					if strings.HasPrefix(l, "12345 ") {
						t.Errorf("a line is forged: %q", l)
					}
					if strings.Contains(l, "file shared") && strings.HasSuffix(l, "/"+tc.shown) {
						maps++
					}
					for _, r := range l {
						if !unicode.IsPrint(r) {
							t.Errorf("%U in %q", r, l)
							break
						}
					}
				}
				if maps == 0 {
					t.Errorf("no mapping line ends in /%s:\n%s", tc.shown, got)
				}
				// 把数据从偏移: Chinese puts no space between wide characters.
				if !strings.Contains(got, "> 1 page of "+tc.shown) && !strings.Contains(strings.ReplaceAll(got, " ", ""), strings.ReplaceAll(tc.shown, " ", "")+"从偏移") {
					t.Errorf("the mmap note does not name %s:\n%s", tc.shown, got)
				}
			})
		}
	}
}
