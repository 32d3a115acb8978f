package sys

import "github.com/mmtrace/mmtrace/internal/lazy"

// prctl: the option by name and, for the options programs use, its
// arguments as strace 6.1 prints them; other options print the rest of
// their arguments in hex, as strace does for those it has no decoder for.

// prctlOptions is prctl_options as strace 6.1 knows them.
var prctlOptions = flagSet{"PR_???", []flag{
	{1, "PR_SET_PDEATHSIG"}, {2, "PR_GET_PDEATHSIG"}, {3, "PR_GET_DUMPABLE"}, {4, "PR_SET_DUMPABLE"},
	{5, "PR_GET_UNALIGN"}, {6, "PR_SET_UNALIGN"}, {7, "PR_GET_KEEPCAPS"}, {8, "PR_SET_KEEPCAPS"},
	{9, "PR_GET_FPEMU"}, {10, "PR_SET_FPEMU"}, {11, "PR_GET_FPEXC"}, {12, "PR_SET_FPEXC"},
	{13, "PR_GET_TIMING"}, {14, "PR_SET_TIMING"}, {15, "PR_SET_NAME"}, {16, "PR_GET_NAME"},
	{19, "PR_GET_ENDIAN"}, {20, "PR_SET_ENDIAN"}, {21, "PR_GET_SECCOMP"}, {22, "PR_SET_SECCOMP"},
	{23, "PR_CAPBSET_READ"}, {24, "PR_CAPBSET_DROP"}, {25, "PR_GET_TSC"}, {26, "PR_SET_TSC"},
	{27, "PR_GET_SECUREBITS"}, {28, "PR_SET_SECUREBITS"}, {29, "PR_SET_TIMERSLACK"},
	{30, "PR_GET_TIMERSLACK"}, {31, "PR_TASK_PERF_EVENTS_DISABLE"}, {32, "PR_TASK_PERF_EVENTS_ENABLE"},
	{33, "PR_MCE_KILL"}, {34, "PR_MCE_KILL_GET"}, {35, "PR_SET_MM"}, {36, "PR_SET_CHILD_SUBREAPER"},
	{37, "PR_GET_CHILD_SUBREAPER"}, {38, "PR_SET_NO_NEW_PRIVS"}, {39, "PR_GET_NO_NEW_PRIVS"},
	{40, "PR_GET_TID_ADDRESS"}, {41, "PR_SET_THP_DISABLE"}, {42, "PR_GET_THP_DISABLE"},
	{43, "PR_MPX_ENABLE_MANAGEMENT"}, {44, "PR_MPX_DISABLE_MANAGEMENT"}, {45, "PR_SET_FP_MODE"},
	{46, "PR_GET_FP_MODE"}, {47, "PR_CAP_AMBIENT"}, {50, "PR_SVE_SET_VL"}, {51, "PR_SVE_GET_VL"},
	{52, "PR_GET_SPECULATION_CTRL"}, {53, "PR_SET_SPECULATION_CTRL"}, {54, "PR_PAC_RESET_KEYS"},
	{55, "PR_SET_TAGGED_ADDR_CTRL"}, {56, "PR_GET_TAGGED_ADDR_CTRL"}, {57, "PR_SET_IO_FLUSHER"},
	{58, "PR_GET_IO_FLUSHER"}, {59, "PR_SET_SYSCALL_USER_DISPATCH"}, {60, "PR_PAC_SET_ENABLED_KEYS"},
	{61, "PR_PAC_GET_ENABLED_KEYS"}, {62, "PR_SCHED_CORE"}, {63, "PR_SME_SET_VL"}, {64, "PR_SME_GET_VL"},
	{0x53564d41, "PR_SET_VMA"}, {0x59616d61, "PR_SET_PTRACER"},
}}

// The tables of prctl's arguments.
var (
	prDumpable   = flagSet{"SUID_DUMP_???", []flag{{0, "SUID_DUMP_DISABLE"}, {1, "SUID_DUMP_USER"}, {2, "SUID_DUMP_ROOT"}}}
	prCapAmbient = flagSet{"PR_CAP_AMBIENT_???", []flag{
		{1, "PR_CAP_AMBIENT_IS_SET"}, {2, "PR_CAP_AMBIENT_RAISE"}, {3, "PR_CAP_AMBIENT_LOWER"}, {4, "PR_CAP_AMBIENT_CLEAR_ALL"},
	}}
	seccompModes = flagSet{"SECCOMP_MODE_???", []flag{{0, "SECCOMP_MODE_DISABLED"}, {1, "SECCOMP_MODE_STRICT"}, {2, "SECCOMP_MODE_FILTER"}}}
	secBits      = flagSet{"SECBIT_???", []flag{
		{1, "SECBIT_NOROOT"}, {2, "SECBIT_NOROOT_LOCKED"}, {4, "SECBIT_NO_SETUID_FIXUP"},
		{8, "SECBIT_NO_SETUID_FIXUP_LOCKED"}, {0x10, "SECBIT_KEEP_CAPS"}, {0x20, "SECBIT_KEEP_CAPS_LOCKED"},
		{0x40, "SECBIT_NO_CAP_AMBIENT_RAISE"}, {0x80, "SECBIT_NO_CAP_AMBIENT_RAISE_LOCKED"},
	}}
	prSetVMA = flagSet{"PR_SET_VMA_???", []flag{{0, "PR_SET_VMA_ANON_NAME"}}}
	prSetMM  = flagSet{"PR_SET_MM_???", []flag{
		{1, "PR_SET_MM_START_CODE"}, {2, "PR_SET_MM_END_CODE"}, {3, "PR_SET_MM_START_DATA"},
		{4, "PR_SET_MM_END_DATA"}, {5, "PR_SET_MM_START_STACK"}, {6, "PR_SET_MM_START_BRK"},
		{7, "PR_SET_MM_BRK"}, {8, "PR_SET_MM_ARG_START"}, {9, "PR_SET_MM_ARG_END"},
		{10, "PR_SET_MM_ENV_START"}, {11, "PR_SET_MM_ENV_END"}, {12, "PR_SET_MM_AUXV"},
		{13, "PR_SET_MM_EXE_FILE"}, {14, "PR_SET_MM_MAP"}, {15, "PR_SET_MM_MAP_SIZE"},
	}}
)

// The argument kinds of prctl.
var (
	// PrctlOption prints prctl's option.
	PrctlOption = xvalArg(&prctlOptions)
	// PrctlHex prints an argument prctl takes no interest in: hex.
	PrctlHex = Hex
	// PrctlULong prints an argument as an unsigned long.
	PrctlULong = Size
	// PrctlSignal prints PR_SET_PDEATHSIG's signal: a number above 128.
	PrctlSignal = named(val(func(v uint64) string {
		if v > 128 {
			return udec(v)
		}
		return signal(int64(int32(v)))
	}), func(v uint64) string {
		if v > 128 {
			return udec(v)
		}
		return dec32(v)
	})
	// PrctlSigPtr prints the signal PR_GET_PDEATHSIG stored: [SIGKILL].
	PrctlSigPtr = fetchedN(4, func(d *decoder, b []byte) string {
		return "[" + signalIn(d.opt, int64(int32(le.Uint32(b)))) + "]"
	})
	// PrctlUIntPtr prints the unsigned int an option stored: [1].
	PrctlUIntPtr = fetchedN(4, func(_ *decoder, b []byte) string { return "[" + udec(uint64(le.Uint32(b))) + "]" })
	// TaskName prints PR_SET_NAME's name: at most 15 bytes.
	TaskName = Arg{text: func(d *decoder, i int) string { return cstring(d.mem, d.arg(i), min(d.limit, 15)) }}
	// TaskNameOut prints the name PR_GET_NAME stored: at most 16 bytes.
	TaskNameOut = Arg{text: func(d *decoder, i int) string {
		if d.failed() {
			return ptr(d.arg(i))
		}
		return cstring(d.mem, d.arg(i), min(d.limit, 16))
	}}
	// CapArg prints a capability number.
	CapArg = named(val(capName), hexNum)
	// SeccompFprog prints a struct sock_fprog: its length and filter.
	SeccompFprog = fetchedN(16, func(_ *decoder, b []byte) string {
		return "{len=" + udec(uint64(le.Uint16(b))) + ", filter=" + ptr(le.Uint64(b[8:])) + "}"
	})
)

// prctlDumpableResult prints PR_GET_DUMPABLE's result with its name.
func prctlDumpableResult(d *decoder) string {
	if name, ok := prDumpable.lookup(uint64(d.c.Ret)); ok {
		return sdec(d.c.Ret) + " (" + name + ")"
	}
	return sdec(d.c.Ret)
}

// prctlSecbitsResult prints PR_GET_SECUREBITS's result with its flags;
// with -X raw, as strace 6.1 prints it, without them.
func prctlSecbitsResult(d *decoder) string {
	if d.c.Ret == 0 || d.opt.xlat() == XlatRaw {
		return hexNum(uint64(d.c.Ret))
	}
	return hexNum(uint64(d.c.Ret)) + " (" + secBits.flagsNoDefault(uint64(d.c.Ret)) + ")"
}

// prctlSpecs are prctl's lines by option; any other option prints its
// four other arguments in hex.
var prctlSpecs = lazy.Of(func() map[uint32]*spec {
	o := PrctlOption
	none := call(o)
	m := map[uint32]*spec{
		1:  call(o, PrctlSignal),
		2:  call(o, exit(PrctlSigPtr)),
		3:  call(o).resText(prctlDumpableResult),
		4:  call(o, xval64Arg(&prDumpable)),
		15: call(o, TaskName),
		16: call(o, exit(TaskNameOut)),
		22: call(o, xval64Arg(&seccompModes)), // SECCOMP_MODE_STRICT; the others by sel below
		23: call(o, CapArg),
		24: call(o, CapArg),
		27: call(o).resText(prctlSecbitsResult),
		28: call(o, flags64Arg(&secBits)),
		29: call(o, val(func(v uint64) string { return sdec(int64(v)) })),
		35: call(o, xvalArg(&prSetMM), PrctlHex, PrctlHex, PrctlHex),
		40: call(o, exit(KptrPtr)),
		0x59616d61: call(o, named(val(func(v uint64) string {
			if int32(v) == -1 {
				return "PR_SET_PTRACER_ANY"
			}
			return sdec(int64(int32(v)))
		}), dec32)),
	}
	// Getters of nothing: PR_GET_KEEPCAPS, PR_GET_SECCOMP,
	// PR_GET_TIMERSLACK, PR_GET_TIMING, PR_TASK_PERF_EVENTS_*.
	for _, opt := range []uint32{7, 21, 30, 13, 31, 32} {
		m[opt] = none
	}
	// Setters of an unsigned long: PR_SET_CHILD_SUBREAPER,
	// PR_SET_ENDIAN, PR_SET_FPEMU, PR_SET_FPEXC, PR_SET_KEEPCAPS,
	// PR_SET_TIMING.
	for _, opt := range []uint32{36, 20, 10, 12, 8, 14} {
		m[opt] = call(o, PrctlULong)
	}
	// Getters of an unsigned int: PR_GET_CHILD_SUBREAPER,
	// PR_GET_ENDIAN, PR_GET_FPEMU, PR_GET_FPEXC.
	for _, opt := range []uint32{37, 19, 9, 11} {
		m[opt] = call(o, exit(PrctlUIntPtr))
	}
	// PR_SET_NO_NEW_PRIVS, PR_SET_THP_DISABLE, PR_SET_IO_FLUSHER: the
	// flag, then the rest in hex.
	for _, opt := range []uint32{38, 41, 57} {
		m[opt] = call(o, PrctlULong, PrctlHex, PrctlHex, PrctlHex)
	}
	return m
})

// prctlSubSpecs are the options whose line depends on their second
// argument too: PR_SET_SECCOMP, PR_CAP_AMBIENT, PR_SET_VMA.
func prctlSel(c *Call) *spec {
	opt, arg2 := uint32(c.Args[0]), c.Args[1]
	switch opt {
	case 22: // PR_SET_SECCOMP
		switch arg2 {
		case 1:
			return prctlSpecs.Get()[22]
		case 2:
			return prctlSeccompFilter
		}
		return prctlSeccompOther
	case 47: // PR_CAP_AMBIENT
		if arg2 >= 1 && arg2 <= 3 {
			return prctlAmbientCap
		}
		return prctlAmbientOther
	case 0x53564d41: // PR_SET_VMA
		if arg2 == 0 {
			return prctlVMAName
		}
		return prctlVMAOther
	}
	return prctlSpecs.Get()[opt]
}

var (
	prctlSeccompFilter = call(PrctlOption, xval64Arg(&seccompModes), SeccompFprog)
	prctlSeccompOther  = call(PrctlOption, xval64Arg(&seccompModes), PrctlHex, PrctlHex, PrctlHex)
	prctlAmbientCap    = call(PrctlOption, xval64Arg(&prCapAmbient), CapArg, PrctlHex, PrctlHex)
	prctlAmbientOther  = call(PrctlOption, xval64Arg(&prCapAmbient), PrctlHex, PrctlHex, PrctlHex)
	prctlVMAName       = call(PrctlOption, xval64Arg(&prSetVMA), Addr, Size, Str)
	prctlVMAOther      = call(PrctlOption, xval64Arg(&prSetVMA), PrctlHex, PrctlHex, PrctlHex)
)

// prctlSpec is prctl's default line.
var prctlSpec = &spec{
	args:   []Arg{PrctlOption, PrctlHex, PrctlHex, PrctlHex, PrctlHex},
	result: RetInt,
	sel:    prctlSel,
}
