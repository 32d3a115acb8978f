package sys

import (
	"strconv"
	"strings"

	"github.com/mmtrace/mmtrace/internal/lazy"
)

// The calls about the process itself: limits, ids, the machine, prctl
// and arch_prctl, capabilities, futexes, CPUs, clocks and sleeps.

// rlimitResources is resources.
var rlimitResources = flagSet{"RLIMIT_???", []flag{
	{0, "RLIMIT_CPU"}, {1, "RLIMIT_FSIZE"}, {2, "RLIMIT_DATA"}, {3, "RLIMIT_STACK"}, {4, "RLIMIT_CORE"},
	{5, "RLIMIT_RSS"}, {6, "RLIMIT_NPROC"}, {7, "RLIMIT_NOFILE"}, {8, "RLIMIT_MEMLOCK"}, {9, "RLIMIT_AS"},
	{10, "RLIMIT_LOCKS"}, {11, "RLIMIT_SIGPENDING"}, {12, "RLIMIT_MSGQUEUE"}, {13, "RLIMIT_NICE"},
	{14, "RLIMIT_RTPRIO"}, {15, "RLIMIT_RTTIME"},
}}

// rlim formats one limit as strace's sprint_rlim64: RLIM64_INFINITY, a
// multiple of 1024 above it as 8192*1024, else the number.
func rlim(v uint64) string {
	switch {
	case v == ^uint64(0):
		return "RLIM64_INFINITY"
	case v > 1024 && v%1024 == 0:
		return udec(v/1024) + "*1024"
	}
	return udec(v)
}

// rlimitText formats a struct rlimit of a 64-bit ABI.
func rlimitText(b []byte) string { return rlimitIn(nil, b) }

// rlimitIn is rlimitText in o's -X style: with -X raw each limit in
// decimal, with -X verbose the decimal and strace's form in a comment.
func rlimitIn(o *Options, b []byte) string {
	cur, max := le.Uint64(b), le.Uint64(b[8:])
	return "{rlim_cur=" + o.styledUdec(cur, rlim(cur)) + ", rlim_max=" + o.styledUdec(max, rlim(max)) + "}"
}

// utsnameText formats a struct utsname as strace does without -v: the
// fields whole, whatever -s says.
func utsnameText(b []byte) string { return utsnameIn(nil, b) }

// utsnameIn is utsnameText, with -v every field, as strace -v prints
// them: sysname, nodename, release, version, machine, domainname.
func utsnameIn(o *Options, b []byte) string {
	field := func(off int) string {
		f := b[off : off+65]
		if i := indexNUL(f); i >= 0 {
			f = f[:i]
		}
		return quote(f)
	}
	if o.verbose() {
		return "{sysname=" + field(0) + ", nodename=" + field(65) + ", release=" + field(130) +
			", version=" + field(195) + ", machine=" + field(260) + ", domainname=" + field(325) + "}"
	}
	return "{sysname=" + field(0) + ", nodename=" + field(65) + ", ...}"
}

// sysinfoText formats a struct sysinfo of a 64-bit ABI: every field.
func sysinfoText(b []byte) string {
	u := func(off int) string { return udec(le.Uint64(b[off:])) }
	return "{uptime=" + sdec(int64(le.Uint64(b))) + ", loads=[" + u(8) + ", " + u(16) + ", " + u(24) +
		"], totalram=" + u(32) + ", freeram=" + u(40) + ", sharedram=" + u(48) + ", bufferram=" + u(56) +
		", totalswap=" + u(64) + ", freeswap=" + u(72) + ", procs=" + udec(uint64(le.Uint16(b[80:]))) +
		", totalhigh=" + u(88) + ", freehigh=" + u(96) + ", mem_unit=" + udec(uint64(le.Uint32(b[104:]))) + "}"
}

// capNames are the capabilities by number, as <linux/capability.h>
// names them.
var capNames = [...]string{
	"CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_DAC_READ_SEARCH", "CAP_FOWNER", "CAP_FSETID", "CAP_KILL",
	"CAP_SETGID", "CAP_SETUID", "CAP_SETPCAP", "CAP_LINUX_IMMUTABLE", "CAP_NET_BIND_SERVICE",
	"CAP_NET_BROADCAST", "CAP_NET_ADMIN", "CAP_NET_RAW", "CAP_IPC_LOCK", "CAP_IPC_OWNER", "CAP_SYS_MODULE",
	"CAP_SYS_RAWIO", "CAP_SYS_CHROOT", "CAP_SYS_PTRACE", "CAP_SYS_PACCT", "CAP_SYS_ADMIN", "CAP_SYS_BOOT",
	"CAP_SYS_NICE", "CAP_SYS_RESOURCE", "CAP_SYS_TIME", "CAP_SYS_TTY_CONFIG", "CAP_MKNOD", "CAP_LEASE",
	"CAP_AUDIT_WRITE", "CAP_AUDIT_CONTROL", "CAP_SETFCAP", "CAP_MAC_OVERRIDE", "CAP_MAC_ADMIN",
	"CAP_SYSLOG", "CAP_WAKE_ALARM", "CAP_BLOCK_SUSPEND", "CAP_AUDIT_READ", "CAP_PERFMON", "CAP_BPF",
	"CAP_CHECKPOINT_RESTORE",
}

// capName formats a capability number: CAP_KILL, or hex with the
// placeholder.
func capName(v uint64) string {
	if v < uint64(len(capNames)) {
		return capNames[v]
	}
	return hexNum(v) + " /* CAP_??? */"
}

// capWord formats one 32-bit word of a capability set as strace's
// printflags over cap_mask0 or cap_mask1 (first is the word's first
// capability): 1<<CAP_CHOWN|1<<CAP_KILL, bits past the last capability
// in hex after them, or, when none has a name, 0x800 /* CAP_??? */.
func capWord(w uint32, first int) string {
	if w == 0 {
		return "0"
	}
	var s strings.Builder
	rest := w
	for bit := 0; bit < 32; bit++ {
		if w&(1<<bit) == 0 || first+bit >= len(capNames) {
			continue
		}
		if s.Len() > 0 {
			s.WriteByte('|')
		}
		s.WriteString("1<<" + capNames[first+bit])
		rest &^= 1 << bit
	}
	switch {
	case s.Len() == 0:
		return hexNum(uint64(w)) + " /* CAP_??? */"
	case rest != 0:
		s.WriteString("|" + hexNum(uint64(rest)))
	}
	return s.String()
}

// capSetIn formats a capability set of one or two words as strace's
// print_cap_bits: the low word unless it is zero and the high one is
// not, then the high word, each in o's -X style (0x20|0x1 with -X raw).
func capSetIn(o *Options, lo, hi uint32, words int) string {
	if words < 2 {
		hi = 0
	}
	s := ""
	if lo != 0 || hi == 0 {
		s = o.styledHex(uint64(lo), capWord(lo, 0))
	}
	if hi != 0 {
		if lo != 0 {
			s += "|"
		}
		s += o.styledHex(uint64(hi), capWord(hi, 32))
	}
	return s
}

// capVersions is cap_version.
var capVersions = flagSet{"_LINUX_CAPABILITY_VERSION_???", []flag{
	{0x19980330, "_LINUX_CAPABILITY_VERSION_1"},
	{0x20071026, "_LINUX_CAPABILITY_VERSION_2"},
	{0x20080522, "_LINUX_CAPABILITY_VERSION_3"},
}}

// capWords is how many words of each set a capability version has.
func capWords(version uint32) int {
	if version == 0x20071026 || version == 0x20080522 {
		return 2
	}
	return 1
}

// capDataText formats capget's and capset's data for the header's
// version: {effective=..., permitted=..., inheritable=...}.
func capDataText(o *Options, mem Memory, a uint64, version uint32) string {
	words := capWords(version)
	if a == 0 {
		return "NULL"
	}
	b, ok := readFull(mem, a, uint64(12*words))
	if !ok {
		return ptr(a)
	}
	set := func(off int) string {
		var hi uint32
		if words > 1 {
			hi = le.Uint32(b[12+off:])
		}
		return capSetIn(o, le.Uint32(b[off:]), hi, words)
	}
	return "{effective=" + set(0) + ", permitted=" + set(4) + ", inheritable=" + set(8) + "}"
}

// capHeaderVersion reads the version in a capability header, and
// whether it could.
func capHeaderVersion(mem Memory, a uint64) (uint32, bool) {
	if a == 0 {
		return 0, false
	}
	b, ok := readFull(mem, a, 8)
	if !ok {
		return 0, false
	}
	return le.Uint32(b), true
}

// The tables of the process calls.
var (
	archPrctlCodes = flagSet{"ARCH_???", []flag{
		{0x1001, "ARCH_SET_GS"}, {0x1002, "ARCH_SET_FS"}, {0x1003, "ARCH_GET_FS"}, {0x1004, "ARCH_GET_GS"},
		{0x1011, "ARCH_GET_CPUID"}, {0x1012, "ARCH_SET_CPUID"}, {0x1021, "ARCH_GET_XCOMP_SUPP"},
		{0x1022, "ARCH_GET_XCOMP_PERM"}, {0x1023, "ARCH_REQ_XCOMP_PERM"},
		{0x1024, "ARCH_GET_XCOMP_GUEST_PERM"}, {0x1025, "ARCH_REQ_XCOMP_GUEST_PERM"},
		{0x2001, "ARCH_MAP_VDSO_X32"}, {0x2002, "ARCH_MAP_VDSO_32"}, {0x2003, "ARCH_MAP_VDSO_64"},
	}}
	clockNames = flagSet{"CLOCK_???", []flag{
		{0, "CLOCK_REALTIME"}, {1, "CLOCK_MONOTONIC"}, {2, "CLOCK_PROCESS_CPUTIME_ID"},
		{3, "CLOCK_THREAD_CPUTIME_ID"}, {4, "CLOCK_MONOTONIC_RAW"}, {5, "CLOCK_REALTIME_COARSE"},
		{6, "CLOCK_MONOTONIC_COARSE"}, {7, "CLOCK_BOOTTIME"}, {8, "CLOCK_REALTIME_ALARM"},
		{9, "CLOCK_BOOTTIME_ALARM"}, {10, "CLOCK_SGI_CYCLE"}, {11, "CLOCK_TAI"},
	}}
	timerFlags     = flagSet{"TIMER_???", []flag{{1, "TIMER_ABSTIME"}}}
	getrandomFlags = flagSet{"GRND_???", []flag{{1, "GRND_NONBLOCK"}, {2, "GRND_RANDOM"}, {4, "GRND_INSECURE"}}}
	membarrierCmds = flagSet{"MEMBARRIER_CMD_???", []flag{
		{0, "MEMBARRIER_CMD_QUERY"}, {1, "MEMBARRIER_CMD_GLOBAL"}, {2, "MEMBARRIER_CMD_GLOBAL_EXPEDITED"},
		{4, "MEMBARRIER_CMD_REGISTER_GLOBAL_EXPEDITED"}, {8, "MEMBARRIER_CMD_PRIVATE_EXPEDITED"},
		{0x10, "MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED"},
		{0x20, "MEMBARRIER_CMD_PRIVATE_EXPEDITED_SYNC_CORE"},
		{0x40, "MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_SYNC_CORE"},
		{0x80, "MEMBARRIER_CMD_PRIVATE_EXPEDITED_RSEQ"},
		{0x100, "MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_RSEQ"},
	}}
	membarrierFlags = flagSet{"MEMBARRIER_CMD_FLAG_???", []flag{{1, "MEMBARRIER_CMD_FLAG_CPU"}}}
	priorityWhich   = flagSet{"PRIO_???", []flag{{0, "PRIO_PROCESS"}, {1, "PRIO_PGRP"}, {2, "PRIO_USER"}}}
)

// cpuSetText formats n bytes of a CPU mask as strace's
// print_affinitylist: [0 1 2].
func cpuSetText(mem Memory, a, n uint64) string {
	if n == 0 || a == 0 {
		return ptr(a)
	}
	n = min(n, 1<<16)
	b, ok := readFull(mem, a, n)
	if !ok {
		return ptr(a)
	}
	var s strings.Builder
	s.WriteByte('[')
	first := true
	for i, c := range b {
		for bit := 0; bit < 8; bit++ {
			if c&(1<<bit) == 0 {
				continue
			}
			if !first {
				s.WriteByte(' ')
			}
			first = false
			s.WriteString(strconv.Itoa(i*8 + bit))
		}
	}
	s.WriteByte(']')
	return s.String()
}

// The argument kinds of the process calls.
var (
	// Resource prints a resource limit's name.
	Resource = xvalArg(&rlimitResources)
	// Rlimit prints a struct rlimit (or rlimit64): the new limit at
	// entry, the old at exit.
	Rlimit = fetchedN(16, func(d *decoder, b []byte) string { return rlimitIn(d.opt, b) })
	// Utsname prints the struct utsname uname filled in.
	Utsname = fetchedN(6*65, func(d *decoder, b []byte) string { return utsnameIn(d.opt, b) })
	// Sysinfo prints the struct sysinfo sysinfo filled in.
	Sysinfo = fetchedN(112, func(_ *decoder, b []byte) string { return sysinfoText(b) })
	// CapHeader prints a capability header: {version=..., pid=0}.
	CapHeader = fetchedN(8, func(d *decoder, b []byte) string {
		return "{version=" + capVersions.xvalIn(d.opt, uint64(le.Uint32(b))) + ", pid=" + sdec(int64(int32(le.Uint32(b[4:])))) + "}"
	})
	// CapData prints capget's and capset's sets, for the header's
	// version; strace prints the pointer when it cannot read the header.
	CapData = Arg{text: func(d *decoder, i int) string {
		a := d.arg(i)
		v, ok := capHeaderVersion(d.mem, d.arg(i-1))
		if !ok || (d.c.Done && d.failed()) {
			return ptr(a)
		}
		return capDataText(d.opt, d.mem, a, v)
	}}
	// ClockID prints a clock: CLOCK_MONOTONIC.
	ClockID = xvalArg(&clockNames)
	// TimerFlags prints clock_nanosleep's flags.
	TimerFlags = flagsArg(&timerFlags)
	// SleepRemain prints the time left a sleep stored: only when a
	// signal interrupted it (the kernel writes nothing otherwise).
	SleepRemain = Arg{text: func(d *decoder, i int) string {
		a := d.arg(i)
		switch -d.c.Ret {
		case 512, 513, 514, 516: // ERESTARTSYS, ERESTARTNOINTR, ERESTARTNOHAND, ERESTART_RESTARTBLOCK
			return timespecAt(d.mem, a)
		}
		return ptr(a)
	}}
	// RandomBuf prints the bytes getrandom stored, in hex.
	RandomBuf = Arg{text: func(d *decoder, i int) string {
		a := d.arg(i)
		if d.failed() || a == 0 {
			return ptr(a)
		}
		n := uint64(d.c.Ret)
		b, ok := readFull(d.mem, a, min(n, uint64(d.limit)))
		if !ok {
			return ptr(a)
		}
		if n > uint64(d.limit) {
			return quoteHex(b) + "..."
		}
		return quoteHex(b)
	}}
	// GetrandomFlags prints getrandom's flags.
	GetrandomFlags = flagsArg(&getrandomFlags)
	// CPUSetIn prints sched_setaffinity's mask, its size the argument
	// before; CPUSetOut sched_getaffinity's, its size the result.
	CPUSetIn  = Arg{text: func(d *decoder, i int) string { return cpuSetText(d.mem, d.arg(i), uint64(uint32(d.arg(i-1)))) }}
	CPUSetOut = Arg{text: func(d *decoder, i int) string {
		if d.failed() {
			return ptr(d.arg(i))
		}
		return cpuSetText(d.mem, d.arg(i), uint64(d.c.Ret))
	}}
	// MembarrierCmd and MembarrierFlags print membarrier's arguments;
	// MembarrierCPU its CPU, shown with MEMBARRIER_CMD_FLAG_CPU.
	MembarrierCmd   = xvalArg(&membarrierCmds)
	MembarrierFlags = flagsArg(&membarrierFlags)
	MembarrierCPU   = Arg{text: func(d *decoder, i int) string { return Int.textOf(d, i) }, omit: func(c *Call, _ int) bool { return c.Args[1]&1 == 0 }}
	// PriorityWhich prints getpriority's and setpriority's which.
	PriorityWhich = xvalArg(&priorityWhich)
	// GroupsOut prints the groups getgroups stored: as many as it
	// returned.
	GroupsOut = Arg{text: func(d *decoder, i int) string {
		if d.failed() {
			return ptr(d.arg(i))
		}
		return array(d.mem, d.arg(i), uint64(d.c.Ret), 4, d.limit, uidElem)
	}}
	// GroupsIn prints setgroups's list, its size the argument before.
	GroupsIn = Arg{text: func(d *decoder, i int) string {
		return array(d.mem, d.arg(i), uint64(uint32(d.arg(i-1))), 4, d.limit, uidElem)
	}}
	// UIDPtr prints the id a pointer points to: [0].
	UIDPtr = fetchedN(4, func(_ *decoder, b []byte) string { return "[" + uidText(le.Uint32(b)) + "]" })
	// KptrPtr prints the pointer a pointer points to: [0x7f...].
	KptrPtr = fetchedN(8, func(_ *decoder, b []byte) string { return "[" + hexNum(le.Uint64(b)) + "]" })
)

func uidText(v uint32) string {
	if v == ^uint32(0) {
		return "-1"
	}
	return udec(uint64(v))
}

func uidElem(b []byte) string { return uidText(le.Uint32(b)) }

// membarrierResult prints what MEMBARRIER_CMD_QUERY returns: the
// commands the kernel supports.
func membarrierResult(d *decoder) string {
	if uint32(d.arg(0)) != 0 {
		return sdec(d.c.Ret)
	}
	if d.c.Ret == 0 {
		return "0"
	}
	return hexNum(uint64(d.c.Ret)) + " (" + membarrierCmds.flagsNoDefault(uint64(d.c.Ret)) + ")"
}

// archPrctlSpecs are arch_prctl's lines by code; any other code prints
// its argument in hex.
var archPrctlSpecs = lazy.Of(func() map[uint32]*spec {
	return map[uint32]*spec{
		0x1003: call(xvalArg(&archPrctlCodes), exit(KptrPtr)), // ARCH_GET_FS
		0x1004: call(xvalArg(&archPrctlCodes), exit(KptrPtr)), // ARCH_GET_GS
		0x1011: call(xvalArg(&archPrctlCodes)),                // ARCH_GET_CPUID
	}
})

// archPrctlSpec is arch_prctl's default line.
var archPrctlSpec = &spec{
	args:   []Arg{xvalArg(&archPrctlCodes), Hex},
	result: RetInt,
	sel:    func(c *Call) *spec { return archPrctlSpecs.Get()[uint32(c.Args[0])] },
}

// xval32 is xval of the low 32 bits: an int argument.
func (fs *flagSet) xval32(v uint64) string { return fs.xval(uint64(uint32(v))) }
