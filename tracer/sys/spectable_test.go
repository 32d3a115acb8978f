package sys

import (
	goflag "flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var updateSpecs = goflag.Bool("update", false, "rewrite testdata/TestSpecTable.golden")

// TestSpecTable prints, for every syscall number of both ABIs, how the
// decoder formats the call with two sets of arguments over the same fake
// memory, succeeding and failing, and compares the lot with a golden file.
// The table and its argument formats are built lazily, so this holds the
// decoders' output to what it was when they were built at init.
func TestSpecTable(t *testing.T) {
	pattern := make([]byte, 512)
	for i := range pattern {
		pattern[i] = byte(i*7 + 1)
	}
	mem := fakeMem{0x1000: pattern}
	vecs := [][6]uint64{
		{0x1000, 3, 0x1000, 0x41, 0x1000, 2},
		{3, 0x1000, 0x802, 0x1ff, 0, 0x1000},
	}
	var b strings.Builder
	for _, arch := range []Arch{AMD64, ARM64} {
		for nr, name := range sysnames[arch] {
			if name == "" {
				continue
			}
			fmt.Fprintf(&b, "%v %d %s decoded=%v result=%v arity=%d\n", arch, nr, name, Decoded(name), (&Call{Name: name, Arch: arch, Nr: nr}).Result(), nargsOf(name))
			for _, args := range vecs {
				for i, ret := range []int64{0, -2, 5} {
					c := NewCall(arch, nr, args)
					c.Enter(mem, &Options{StringLimit: 8})
					if i == 0 {
						// What is printed at entry does not depend on the result.
						fmt.Fprintf(&b, "\tentry: %s\n", c.EnteredText())
					}
					c.Exit(mem, ret, &Options{StringLimit: 8})
					fmt.Fprintf(&b, "\t%s\n", c.String())
				}
			}
		}
	}
	golden := filepath.Join("testdata", "TestSpecTable.golden")
	if *updateSpecs {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(golden, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if got := b.String(); got != string(want) {
		gl, wl := strings.Split(got, "\n"), strings.Split(string(want), "\n")
		for i := range min(len(gl), len(wl)) {
			if gl[i] != wl[i] {
				t.Fatalf("line %d differs:\n got %s\nwant %s", i+1, gl[i], wl[i])
			}
		}
		t.Fatalf("%d lines, want %d", len(gl), len(wl))
	}
}

// nargsOf is the arity genericArgs uses for name, -1 for none.
func nargsOf(name string) int {
	if n, ok := arity.Get()[name]; ok {
		return n
	}
	return -1
}

// tableSpecs returns the spec of every call of either ABI that has one, by
// name: the table, for the tests that go through all of it.
func tableSpecs() map[string]*spec {
	m := make(map[string]*spec)
	for _, arch := range []Arch{AMD64, ARM64} {
		for _, name := range Names(arch) {
			if sp := lookupName(arch, name); sp != nil {
				m[name] = sp
			}
		}
	}
	return m
}
