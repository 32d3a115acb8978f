package sys

import "github.com/mmtrace/mmtrace/internal/lazy"

// futex: the operation by name and, by its command, the arguments it
// takes, as strace's do_futex prints them.

// futexOps is futexops: the operation with its private and clock flags,
// looked up whole. It is built on first use, not at every start.
var futexOps = lazy.Of(func() *flagSet {
	names := []string{"FUTEX_WAIT", "FUTEX_WAKE", "FUTEX_FD", "FUTEX_REQUEUE", "FUTEX_CMP_REQUEUE",
		"FUTEX_WAKE_OP", "FUTEX_LOCK_PI", "FUTEX_UNLOCK_PI", "FUTEX_TRYLOCK_PI", "FUTEX_WAIT_BITSET",
		"FUTEX_WAKE_BITSET", "FUTEX_WAIT_REQUEUE_PI", "FUTEX_CMP_REQUEUE_PI", "FUTEX_LOCK_PI2"}
	var list []flag
	for i, n := range names {
		list = append(list, flag{uint64(i), n})
	}
	for i, n := range names {
		if i == futexFD {
			list = append(list, flag{uint64(i) | futexPrivate, "FUTEX_FD|FUTEX_PRIVATE_FLAG"})
			continue
		}
		list = append(list, flag{uint64(i) | futexPrivate, n + "_PRIVATE"})
	}
	for _, i := range []uint64{0, futexPrivate, futexWaitBitset, futexWaitBitset | futexPrivate,
		futexWaitRequeuePI, futexWaitRequeuePI | futexPrivate} {
		name, _ := (&flagSet{"", list}).lookup(i)
		list = append(list, flag{i | futexClockRealtime, name + "|FUTEX_CLOCK_REALTIME"})
	}
	return &flagSet{"FUTEX_???", list}
})

// The futex commands and flags the decoder tells apart.
const (
	futexWait          = 0
	futexWake          = 1
	futexFD            = 2
	futexRequeue       = 3
	futexCmpRequeue    = 4
	futexWakeOp        = 5
	futexLockPI        = 6
	futexUnlockPI      = 7
	futexTrylockPI     = 8
	futexWaitBitset    = 9
	futexWakeBitset    = 10
	futexWaitRequeuePI = 11
	futexCmpRequeuePI  = 12
	futexLockPI2       = 13
	futexPrivate       = 128
	futexClockRealtime = 256
)

// The parts of FUTEX_WAKE_OP's val3.
var (
	futexWakeOps  = flagSet{"", []flag{{0, "FUTEX_OP_SET"}, {1, "FUTEX_OP_ADD"}, {2, "FUTEX_OP_OR"}, {3, "FUTEX_OP_ANDN"}, {4, "FUTEX_OP_XOR"}}}
	futexWakeCmps = flagSet{"", []flag{{0, "FUTEX_OP_CMP_EQ"}, {1, "FUTEX_OP_CMP_NE"}, {2, "FUTEX_OP_CMP_LT"}, {3, "FUTEX_OP_CMP_LE"}, {4, "FUTEX_OP_CMP_GT"}, {5, "FUTEX_OP_CMP_GE"}}}
)

// futexWakeOpText formats FUTEX_WAKE_OP's encoded operation:
// FUTEX_OP_SET<<28|0<<12|FUTEX_OP_CMP_GT<<24|0x1.
func futexWakeOpText(v uint32) string {
	s := ""
	if (v>>28)&8 != 0 {
		s = "FUTEX_OP_OPARG_SHIFT<<28|"
	}
	part := func(fs *flagSet, x uint64, shift, unknown string) string {
		if name, ok := fs.lookup(x); ok {
			return name + "<<" + shift
		}
		return hexNum(x) + "<<" + shift + " /* " + unknown + " */"
	}
	s += part(&futexWakeOps, uint64((v>>28)&7), "28", "FUTEX_OP_???")
	s += "|" + hexNum(uint64((v>>12)&0xfff)) + "<<12"
	s += "|" + part(&futexWakeCmps, uint64((v>>24)&0xf), "24", "FUTEX_OP_CMP_???")
	return s + "|" + hexNum(uint64(v&0xfff))
}

// The argument kinds of futex.
var (
	// FutexOp prints futex's operation.
	FutexOp = Arg{
		text:   func(d *decoder, i int) string { return futexOps.Get().xval(uint64(uint32(d.arg(i)))) },
		rawNum: hex32,
	}
	// FutexVal prints val, val2 and val3 where they are counts: unsigned
	// ints.
	FutexVal = UInt
	// FutexTimeout prints the timeout: a struct timespec.
	FutexTimeout = Timespec
	// FutexBitset prints val3 as a bitset: FUTEX_BITSET_MATCH_ANY, or hex.
	FutexBitset = val(func(v uint64) string {
		if uint32(v) == ^uint32(0) {
			return "FUTEX_BITSET_MATCH_ANY"
		}
		return hexNum(uint64(uint32(v)))
	})
	// FutexWakeOp prints FUTEX_WAKE_OP's val3.
	FutexWakeOp = val(func(v uint64) string { return futexWakeOpText(uint32(v)) })
)

// futexSpecs are futex's lines by command (the operation without its
// flags); an unknown command prints val, the timeout and uaddr2 as
// pointers, and val3 in hex.
var futexSpecs = lazy.Of(func() map[uint32]*spec {
	return map[uint32]*spec{
		futexWait:          call(Addr, FutexOp, FutexVal, FutexTimeout),
		futexLockPI:        call(Addr, FutexOp, skip, FutexTimeout),
		futexLockPI2:       call(Addr, FutexOp, skip, FutexTimeout),
		futexWaitBitset:    call(Addr, FutexOp, FutexVal, FutexTimeout, skip, FutexBitset),
		futexWakeBitset:    call(Addr, FutexOp, FutexVal, skip, skip, FutexBitset),
		futexRequeue:       call(Addr, FutexOp, FutexVal, FutexVal, Addr),
		futexCmpRequeue:    call(Addr, FutexOp, FutexVal, FutexVal, Addr, FutexVal),
		futexCmpRequeuePI:  call(Addr, FutexOp, FutexVal, FutexVal, Addr, FutexVal),
		futexWakeOp:        call(Addr, FutexOp, FutexVal, FutexVal, Addr, FutexWakeOp),
		futexWaitRequeuePI: call(Addr, FutexOp, FutexVal, FutexTimeout, Addr),
		futexFD:            call(Addr, FutexOp, FutexVal),
		futexWake:          call(Addr, FutexOp, FutexVal),
		futexUnlockPI:      call(Addr, FutexOp),
		futexTrylockPI:     call(Addr, FutexOp),
	}
})

// futexSpec is futex's line for an unknown command.
var futexSpec = &spec{
	args:   []Arg{Addr, FutexOp, FutexVal, Addr, Addr, HexInt},
	result: RetInt,
	sel:    func(c *Call) *spec { return futexSpecs.Get()[uint32(c.Args[1])&127] },
}

// skip leaves a raw argument out of the line: the spec's arguments are
// by raw index, and a command that does not use one shows nothing for
// it.
var skip = Arg{omit: func(*Call, int) bool { return true }}
