package html

import (
	"encoding/json"
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
func (r *Recorder) batch(strs []string, recs []record) []byte {
	b := make([]byte, 0, 64+len(recs)*24)
	b = append(b, `{"s":`...)
	if len(strs) == 0 {
		b = append(b, "[]"...)
	} else {
		js, err := json.Marshal(strs) // HTML-safe: <, > and & escaped
		if err != nil {
			panic(err) // strings: cannot fail
		}
		b = append(b, js...)
	}
	b = append(b, `,"k":"`...)
	for i := range recs {
		b = append(b, recs[i].K)
	}
	b = append(b, '"')
	b = runs(b, "p", recs, func(x *record) int64 { return int64(x.P) })
	b = runs(b, "h", recs, func(x *record) int64 { return int64(x.H) })
	if !r.opt.Stable {
		b = append(b, `,"t":[`...)
		for i := range recs {
			b = comma(b, i)
			b = strconv.AppendInt(b, recs[i].T-r.lastT, 10)
			r.lastT = recs[i].T
		}
		b = append(b, `],"d":[`...)
		for i := range recs {
			b = comma(b, i)
			b = strconv.AppendInt(b, recs[i].D, 10)
		}
		b = append(b, ']')
	}
	b = append(b, `,"l":[`...)
	for i := range recs {
		b = comma(b, i)
		b = strconv.AppendInt(b, int64(recs[i].L), 10)
	}
	b = append(b, ']')
	b = runs(b, "f", recs, func(x *record) int64 { return int64(x.F) })
	b = runs(b, "n", recs, func(x *record) int64 { return int64(len(x.N)) })
	b = flat(b, "nv", recs, func(x *record) []int { return x.N })
	b = runs(b, "z", recs, func(x *record) int64 { return int64(len(x.Z)) })
	b = flat(b, "zv", recs, func(x *record) []int { return x.Z })
	b = sparse(b, "e", recs, func(x *record) int64 { return int64(x.E) })
	b = sparse(b, "c", recs, func(x *record) int64 { return int64(x.C) })
	b = append(b, `,"o":[`...)
	prev := -1
	for i := range recs {
		ops := recs[i].O
		if len(ops) == 0 {
			continue
		}
		b = comma(b, prev+1)
		b = strconv.AppendInt(b, int64(i-prev), 10)
		prev = i
		b = append(b, ',')
		b = strconv.AppendInt(b, int64(len(ops)), 10)
		for q := 0; q < len(ops); q += 1 + opArgs[ops[q]] {
			b = append(b, ',')
			b = strconv.AppendInt(b, ops[q], 10)
			pid := ops[q+1]
			if pid == int64(recs[i].P) {
				pid = 0
			}
			b = append(b, ',')
			b = strconv.AppendInt(b, pid, 10)
			for _, v := range ops[q+2 : q+1+opArgs[ops[q]]] {
				b = append(b, ',')
				b = strconv.AppendInt(b, v, 10)
			}
		}
	}
	return append(b, "]}"...)
}

func comma(b []byte, i int) []byte {
	if i > 0 {
		return append(b, ',')
	}
	return b
}

// runs writes a column as runs: value, how many records.
func runs(b []byte, name string, recs []record, v func(*record) int64) []byte {
	b = append(b, `,"`...)
	b = append(b, name...)
	b = append(b, `":[`...)
	for i := 0; i < len(recs); {
		x, j := v(&recs[i]), i+1
		for j < len(recs) && v(&recs[j]) == x {
			j++
		}
		b = comma(b, i)
		b = strconv.AppendInt(b, x, 10)
		b = append(b, ',')
		b = strconv.AppendInt(b, int64(j-i), 10)
		i = j
	}
	return append(b, ']')
}

// flat writes every record's list, one after the other.
func flat(b []byte, name string, recs []record, v func(*record) []int) []byte {
	b = append(b, `,"`...)
	b = append(b, name...)
	b = append(b, `":[`...)
	n := 0
	for i := range recs {
		for _, x := range v(&recs[i]) {
			b = comma(b, n)
			b = strconv.AppendInt(b, int64(x), 10)
			n++
		}
	}
	return append(b, ']')
}

// sparse writes the records whose value is not 0: index, value.
func sparse(b []byte, name string, recs []record, v func(*record) int64) []byte {
	b = append(b, `,"`...)
	b = append(b, name...)
	b = append(b, `":[`...)
	n := 0
	for i := range recs {
		if x := v(&recs[i]); x != 0 {
			b = comma(b, n)
			b = strconv.AppendInt(b, int64(i), 10)
			b = append(b, ',')
			b = strconv.AppendInt(b, x, 10)
			n++
		}
	}
	return append(b, ']')
}
