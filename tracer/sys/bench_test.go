package sys

import (
	"testing"

	"golang.org/x/sys/unix"
)

// BenchmarkDecode is the decoder's work for one shown call, from entry to
// its line: the table lookups (by ABI and number) and the formatting.
func BenchmarkDecode(b *testing.B) {
	mem := fakeMem{0x1000: []byte("/tmp/f.dat\x00")}
	calls := []struct {
		nr   int
		args [6]uint64
		ret  int64
	}{
		{unix.SYS_MMAP, [6]uint64{0, 4096, 3, 1, 3, 0}, 0x7f0000000000},
		{unix.SYS_OPENAT, [6]uint64{neg(-100), 0x1000, 0x42, 0o644}, 3},
		{unix.SYS_CLOSE, [6]uint64{3}, 0},
		{unix.SYS_GETPID, [6]uint64{}, 42},
	}
	b.ReportAllocs()
	for b.Loop() {
		for _, c := range calls {
			call := NewCall(AMD64, c.nr, c.args)
			call.Enter(mem, nil)
			call.Exit(mem, c.ret, nil)
			_ = call.String()
		}
	}
}
