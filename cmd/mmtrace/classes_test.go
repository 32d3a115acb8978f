package main

import (
	"slices"
	"strings"
	"testing"

	"github.com/mmtrace/mmtrace/tracer/explain"
	"github.com/mmtrace/mmtrace/tracer/filter"
	"github.com/mmtrace/mmtrace/tracer/sys"
)

// TestExplainClasses: `mmtrace explain %CLASS` lists, for every class
// strace has, exactly the calls -e trace=%CLASS traces on this machine,
// in both languages; help filter names every class (issue 13, item 4).
func TestExplainClasses(t *testing.T) {
	for _, arch := range []sys.Arch{sys.AMD64, sys.ARM64} {
		t.Run(arch.String(), func(t *testing.T) { testExplainClasses(t, arch) })
	}
}

func testExplainClasses(t *testing.T, arch sys.Arch) {
	for _, name := range sys.ClassNames() {
		cls := "%" + name
		t.Run(cls, func(t *testing.T) {
			d, c, ok := findClass(cls)
			if !ok {
				t.Fatalf("no description of %s", cls)
			}
			set, err := filter.Parse(cls)
			if err != nil {
				t.Fatal(err)
			}
			var want []string
			for _, n := range sys.Names(arch) {
				if nr, ok := sys.Number(arch, n); ok && set.Has(arch, nr) {
					want = append(want, n)
				}
			}
			slices.Sort(want)
			want = slices.Compact(want)
			if len(want) == 0 {
				// A class of calls this architecture lacks (arm64 has
				// no stat or lstat): it says so, and lists them as
				// another architecture's.
				for _, l := range []explain.Lang{explain.EN, explain.ZH} {
					text := explainClassOn(l, d, c, arch)
					here, elsewhere := classCalls(c, arch)
					if len(here) != 0 || len(elsewhere) == 0 {
						t.Fatalf("%s selects no call on %s, but lists %v here and %v elsewhere", cls, arch, here, elsewhere)
					}
					none := map[explain.Lang]string{explain.EN: "no call is in it", explain.ZH: "一个调用也没有"}[l]
					if !strings.Contains(text, none) || !strings.Contains(text, strings.Join(elsewhere, " ")) {
						t.Errorf("%s: %s selects no call on %s, which the text does not say:\n%s", l, cls, arch, text)
					}
				}
				return
			}
			for _, l := range []explain.Lang{explain.EN, explain.ZH} {
				text := explainClassOn(l, d, c, arch)
				// The calls of this architecture: the paragraph after the
				// first blank line, before the next.
				paras := strings.Split(text, "\n\n")
				if len(paras) < 2 {
					t.Fatalf("%s: no list of calls:\n%s", l, text)
				}
				got := strings.Fields(paras[1])
				if !slices.Equal(got, want) {
					t.Errorf("%s lists %v\nthe filter selects %v", l, got, want)
				}
			}
			for _, l := range []explain.Lang{explain.EN, explain.ZH} {
				if !strings.Contains(filterHelp(l), "  "+d.name+" ") {
					t.Errorf("help filter (%s) does not name %s", l, d.name)
				}
			}
		})
	}
}
