package html

import (
	"encoding/binary"
	"encoding/json"
	"math"
	"strconv"
)

// A batch is what the page receives at a time: the strings new since the
// last batch, and the records, as columns of numbers rather than an
// object per record. A trace of 100,000 calls is then a few megabytes of
// small integers that JSON.parse reads in milliseconds, and the page
// builds a record's row only when it is on screen.
//
//	{"s": [string, ...],       the string table, continued
//	 "k": "ccfcx",             kinds, a letter per record (see kindCall...)
//	 "p": [pid, n, ...],       the process, in runs: pid, for n records
//	 "h": [tid, n, ...],       the thread (0: the process itself), in runs
//	 "t": [µs, ...],           time since the previous record (none when stable)
//	 "d": [µs, ...],           time in the call (none when stable)
//	 "l": [line, ...],         the strace line
//	 "f": [flags, n, ...],     flags, in runs (see flagRepeat...)
//	 "n": [count, n, ...],     the number of English notes, in runs
//	 "nv": [note, ...],        the English notes, one after the other
//	 "z", "zv":                the same for the Chinese notes
//	 "e": [i, errno, ...],     the failed calls: index in the batch, errno's name
//	 "c": [i, child, ...],     the spawns: index in the batch, the child
//	 "o": [i, n, ...]}         the changes: how many records after the
//	                           previous one with changes (the first: index
//	                           in the batch + 1), the number of numbers that
//	                           follow, the ops (see opProc...)
//
// Strings and errno names are string-table indices. Times are relative to
// the previous record, across batches.
//
// A big page holds its records as one batch in the same columns, packed
// (see pack): the numbers as varints, gzip-compressed, in base64.
func (r *Recorder) batch(strs []string, recs []record) []byte {
	cols := r.columns(recs, &r.lastT)
	b := make([]byte, 0, 64+len(recs)*24)
	b = append(b, `{"s":`...)
	if len(strs) == 0 {
		b = append(b, "[]"...)
	} else {
		b = append(b, jsonStrings(strs)...)
	}
	b = append(b, `,"k":"`...)
	b = append(b, cols.kinds...)
	b = append(b, '"')
	for _, c := range cols.list {
		if c.v == nil {
			continue // not kept (times, when stable)
		}
		b = append(b, `,"`...)
		b = append(b, c.name...)
		b = append(b, `":[`...)
		for i, x := range c.v {
			b = comma(b, i)
			b = strconv.AppendInt(b, x, 10)
		}
		b = append(b, ']')
	}
	return append(b, '}')
}

// jsonStrings is strs as a JSON array, HTML-safe (<, > and & escaped).
func jsonStrings(strs []string) []byte {
	js, err := json.Marshal(strs)
	if err != nil {
		panic(err) // strings: cannot fail
	}
	return js
}

// column is one of a batch's columns of numbers: its name in the JSON.
type column struct {
	name string
	v    []int64
}

// cols is a batch's records as columns: the kinds, a letter each, and
// the numbers, in the order the page reads them.
type cols struct {
	kinds []byte
	list  []column
}

// columns lays out recs as the page's columns. lastT is the time of the
// record before them; it becomes the last one's.
func (r *Recorder) columns(recs []record, lastT *int64) cols {
	var c cols
	c.kinds = make([]byte, len(recs))
	for i := range recs {
		c.kinds[i] = recs[i].K
	}
	add := func(name string, v []int64) { c.list = append(c.list, column{name, v}) }
	add("p", runs(recs, func(x *record) int64 { return int64(x.P) }))
	add("h", runs(recs, func(x *record) int64 { return int64(x.H) }))
	var t, d []int64
	if !r.opt.Stable {
		t, d = make([]int64, len(recs)), make([]int64, len(recs))
		for i := range recs {
			t[i] = recs[i].T - *lastT
			*lastT = recs[i].T
			d[i] = recs[i].D
		}
	}
	add("t", t)
	add("d", d)
	l := make([]int64, len(recs))
	for i := range recs {
		l[i] = int64(recs[i].L)
	}
	add("l", l)
	add("f", runs(recs, func(x *record) int64 { return int64(x.F) }))
	add("n", runs(recs, func(x *record) int64 { return int64(len(x.N)) }))
	add("nv", flat(recs, func(x *record) []int { return x.N }))
	add("z", runs(recs, func(x *record) int64 { return int64(len(x.Z)) }))
	add("zv", flat(recs, func(x *record) []int { return x.Z }))
	add("e", sparse(recs, func(x *record) int64 { return int64(x.E) }))
	add("c", sparse(recs, func(x *record) int64 { return int64(x.C) }))
	o := []int64{}
	prev := -1
	for i := range recs {
		ops := recs[i].O
		if len(ops) == 0 {
			continue
		}
		o = append(o, int64(i-prev), int64(len(ops)))
		prev = i
		for q := 0; q < len(ops); q += 1 + opArgs[ops[q]] {
			pid := ops[q+1]
			if pid == int64(recs[i].P) {
				pid = 0
			}
			o = append(o, ops[q], pid)
			o = append(o, ops[q+2:q+1+opArgs[ops[q]]]...)
		}
	}
	add("o", o)
	return c
}

func comma(b []byte, i int) []byte {
	if i > 0 {
		return append(b, ',')
	}
	return b
}

// runs is a column as runs: value, how many records.
func runs(recs []record, v func(*record) int64) []int64 {
	out := []int64{}
	for i := 0; i < len(recs); {
		x, j := v(&recs[i]), i+1
		for j < len(recs) && v(&recs[j]) == x {
			j++
		}
		out = append(out, x, int64(j-i))
		i = j
	}
	return out
}

// flat is every record's list, one after the other.
func flat(recs []record, v func(*record) []int) []int64 {
	out := []int64{}
	for i := range recs {
		for _, x := range v(&recs[i]) {
			out = append(out, int64(x))
		}
	}
	return out
}

// sparse is the records whose value is not 0: index, value.
func sparse(recs []record, v func(*record) int64) []int64 {
	out := []int64{}
	for i := range recs {
		if x := v(&recs[i]); x != 0 {
			out = append(out, int64(i), x)
		}
	}
	return out
}

// pack is the whole trace as a big page holds it: every record in one
// batch, its columns of numbers as arrays of fixed-width integers that
// the page's script views in place (typed arrays over the bytes), rather
// than JSON's text or varints, which a loop in the script would have to
// read number by number when the page opens (slow: the script's first
// run is not yet compiled). A column's few numbers too big for its width
// (a pid among small op arguments) come after it. Gzip takes out the
// zeros. The page's script (unpack) reads, in order:
//
//	uvarint  format (2)
//	uvarint  done (0 or 1)
//	uvarint  length, then the string table as a JSON array (UTF-8)
//	uvarint  length, then the kinds, a byte each
//	then each column of the batch in the order of cols.list (p, h, t,
//	d, l, f, n, nv, z, zv, e, c, o): uvarint count, a byte for the
//	width (1, 2 or 4: signed integers; 8: float64), uvarint how many
//	numbers do not fit it, zero bytes to the next multiple of the width,
//	the numbers, little-endian (0 for one that does not fit); then, if
//	some did not fit, zero bytes to the next multiple of 8 and each as
//	two float64s, its index and its value. t and d have no numbers when
//	stable.
func (r *Recorder) pack(strs []string, recs []record, done bool) []byte {
	var lastT int64
	c := r.columns(recs, &lastT)
	js := jsonStrings(strs)
	b := make([]byte, 0, len(js)+len(recs)*16)
	b = binary.AppendUvarint(b, 2)
	d := uint64(0)
	if done {
		d = 1
	}
	b = binary.AppendUvarint(b, d)
	b = binary.AppendUvarint(b, uint64(len(js)))
	b = append(b, js...)
	b = binary.AppendUvarint(b, uint64(len(c.kinds)))
	b = append(b, c.kinds...)
	for _, col := range c.list {
		w, out := width(col.v)
		b = binary.AppendUvarint(b, uint64(len(col.v)))
		b = append(b, byte(w))
		b = binary.AppendUvarint(b, uint64(out))
		b = pad(b, w)
		var big []int64
		for i, x := range col.v {
			if !fits(x, w) {
				big = append(big, int64(i), x)
				x = 0
			}
			switch w {
			case 1:
				b = append(b, byte(int8(x)))
			case 2:
				b = binary.LittleEndian.AppendUint16(b, uint16(int16(x)))
			case 4:
				b = binary.LittleEndian.AppendUint32(b, uint32(int32(x)))
			default:
				b = binary.LittleEndian.AppendUint64(b, math.Float64bits(float64(x)))
			}
		}
		if len(big) > 0 {
			b = pad(b, 8)
			for _, x := range big {
				b = binary.LittleEndian.AppendUint64(b, math.Float64bits(float64(x)))
			}
		}
	}
	return b
}

func pad(b []byte, w int) []byte {
	for len(b)%w != 0 {
		b = append(b, 0)
	}
	return b
}

// fits says whether x fits w bytes as pack writes it: a signed integer,
// or a float64.
func fits(x int64, w int) bool {
	switch w {
	case 1:
		return x >= math.MinInt8 && x <= math.MaxInt8
	case 2:
		return x >= math.MinInt16 && x <= math.MaxInt16
	case 4:
		return x >= math.MinInt32 && x <= math.MaxInt32
	}
	return true
}

// width chooses a column's width: the fewest bytes, counting 16 for each
// number that does not fit, and at most one number in 16 left out (the
// page puts those back one by one).
func width(v []int64) (w, out int) {
	best, bestOut, cost := 8, 0, 8*len(v)
	for _, w := range []int{4, 2, 1} {
		n := 0
		for _, x := range v {
			if !fits(x, w) {
				n++
			}
		}
		if c := w*len(v) + 16*n; c <= cost && n <= len(v)/16+4 {
			best, bestOut, cost = w, n, c
		}
	}
	return best, bestOut
}
