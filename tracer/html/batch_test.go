package html

import (
	"encoding/binary"
	"encoding/json"
	"math"
	"reflect"
	"testing"
)

// unpackForTest reads pack's format as the page's script does (app.js,
// unpack): the string table, the kinds and every column, the numbers
// that did not fit their width put back.
func unpackForTest(t *testing.T, b []byte) (done bool, strs []string, kinds string, cols map[string][]int64) {
	t.Helper()
	at := 0
	uint := func() uint64 {
		v, n := binary.Uvarint(b[at:])
		if n <= 0 {
			t.Fatalf("bad uvarint at %d", at)
		}
		at += n
		return v
	}
	if v := uint(); v != 2 {
		t.Fatalf("format %d, want 2", v)
	}
	done = uint() == 1
	n := int(uint())
	if err := json.Unmarshal(b[at:at+n], &strs); err != nil {
		t.Fatal(err)
	}
	at += n
	n = int(uint())
	kinds = string(b[at : at+n])
	at += n
	cols = map[string][]int64{}
	for _, name := range []string{"p", "h", "t", "d", "l", "f", "n", "nv", "z", "zv", "e", "c", "o"} {
		n := int(uint())
		w := int(b[at])
		at++
		out := int(uint())
		if w != 1 && w != 2 && w != 4 && w != 8 {
			t.Fatalf("column %s: width %d", name, w)
		}
		if at%w != 0 {
			at += w - at%w
		}
		v := make([]int64, n)
		for j := range v {
			switch w {
			case 1:
				v[j] = int64(int8(b[at]))
			case 2:
				v[j] = int64(int16(binary.LittleEndian.Uint16(b[at:])))
			case 4:
				v[j] = int64(int32(binary.LittleEndian.Uint32(b[at:])))
			case 8:
				v[j] = int64(math.Float64frombits(binary.LittleEndian.Uint64(b[at:])))
			}
			at += w
		}
		if out > 0 {
			if at%8 != 0 {
				at += 8 - at%8
			}
			for k := 0; k < out; k++ {
				i := int(math.Float64frombits(binary.LittleEndian.Uint64(b[at:])))
				x := int64(math.Float64frombits(binary.LittleEndian.Uint64(b[at+8:])))
				at += 16
				v[i] = x
			}
		}
		cols[name] = v
	}
	if at != len(b) {
		t.Fatalf("%d bytes left after the last column", len(b)-at)
	}
	return done, strs, kinds, cols
}

// TestPackHoldsTheBatch checks that a packed trace holds what the JSON
// batch of the same records says, numbers of every width among them: a
// pid above 32767 among small op arguments, an offset above 2^31, -1s,
// a file size above 2^53's reach of int32.
func TestPackHoldsTheBatch(t *testing.T) {
	for _, stable := range []bool{false, true} {
		r := New(Options{Stable: stable})
		strs := []string{"", "mmap(NULL, 4096, …) = 0x7f00", "munmap(0x7f00, 4096) = 0", "note <&>", "注释", "ENOMEM"}
		var recs []record
		for i := 0; i < 300; i++ {
			rec := record{K: kindCall, P: 4000000, H: 4000000 + i%3, T: int64(i) * 7, D: int64(i % 5), L: 1 + i%2, N: []int{3}, Z: []int{4}}
			switch i % 4 {
			case 0:
				rec.O = []int64{opMap, 4000000, 1 + int64(i%4), 3, 2, 0, 3 << 31, 0, 1, 1 << 40, -1}
			case 1:
				rec.O = []int64{opUnmap, 4000000, 0}
			case 2:
				rec.O = []int64{opProc, 4000001 + int64(i), 4000000, 0, opPages, 4000001 + int64(i), 1, 70000}
			}
			if i%50 == 0 {
				rec.E = 5
				rec.F = flagRepeat
				rec.T += 5_000_000_000 // a call after an hour
			}
			if i == 299 {
				rec.K, rec.C = kindSpawn, 4000002
			}
			recs = append(recs, rec)
		}
		done, gotStrs, kinds, cols := unpackForTest(t, r.pack(strs, recs, true))
		var last int64
		want := r.columns(recs, &last)
		if !done || !reflect.DeepEqual(gotStrs, strs) || kinds != string(want.kinds) {
			t.Fatalf("stable %v: done %v, strings %q, kinds %q", stable, done, gotStrs, kinds)
		}
		for _, c := range want.list {
			v := c.v
			if v == nil {
				v = []int64{}
			}
			if !reflect.DeepEqual(cols[c.name], v) {
				t.Errorf("stable %v: column %s: packed %v, want %v", stable, c.name, cols[c.name], v)
			}
		}
		if stable && len(cols["t"]) != 0 {
			t.Errorf("stable: times packed")
		}
		// And the JSON batch of the same records says the same.
		r.lastT = 0
		var js map[string]any
		if err := json.Unmarshal(r.batch(strs, recs), &js); err != nil {
			t.Fatal(err)
		}
		for _, c := range want.list {
			a, ok := js[c.name].([]any)
			if c.v == nil {
				if ok {
					t.Errorf("stable %v: JSON has column %s", stable, c.name)
				}
				continue
			}
			if len(a) != len(cols[c.name]) {
				t.Fatalf("stable %v: column %s: %d numbers in JSON, %d packed", stable, c.name, len(a), len(cols[c.name]))
			}
			for j, x := range a {
				if int64(x.(float64)) != cols[c.name][j] {
					t.Fatalf("stable %v: column %s[%d]: %v in JSON, %d packed", stable, c.name, j, x, cols[c.name][j])
				}
			}
		}
	}
}
