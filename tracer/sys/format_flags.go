package sys

import "golang.org/x/sys/unix"

// The flag tables, in the order strace 6.1 prints their names (its
// src/xlat/*.in files; where those are not sorted by value, neither are
// these). Values come from x/sys/unix where they are the same on x86_64
// and aarch64. Where the two ABIs differ (open flags, MAP_32BIT) the values
// are written out per architecture: x/sys only has the build's own, and
// the tracee's ABI is what counts.

// protFlags is mmap_prot. PROT_NONE first: strace prints it for zero.
// PROT_SEM is missing from x/sys; arm64's PROT_BTI and PROT_MTE are not in
// strace 6.1's table and print as hex there too.
var protFlags = flagSet{"PROT_???", []flag{
	{unix.PROT_NONE, "PROT_NONE"},
	{unix.PROT_READ, "PROT_READ"},
	{unix.PROT_WRITE, "PROT_WRITE"},
	{unix.PROT_EXEC, "PROT_EXEC"},
	{0x8, "PROT_SEM"},
	{unix.PROT_GROWSDOWN, "PROT_GROWSDOWN"},
	{unix.PROT_GROWSUP, "PROT_GROWSUP"},
}}

// mapTypes names mmap's sharing type, the low four bits of its flags,
// which strace prints first and by value: zero is MAP_FILE.
var mapTypes = flagSet{"MAP_???", []flag{
	{0, "MAP_FILE"},
	{unix.MAP_SHARED, "MAP_SHARED"},
	{unix.MAP_PRIVATE, "MAP_PRIVATE"},
	{unix.MAP_SHARED_VALIDATE, "MAP_SHARED_VALIDATE"},
}}

// mapType masks the sharing type out of mmap's flags (MAP_TYPE).
const mapType = 0xf

// mapHugeMask covers the huge page size, log2 of it in bits 26-31, which
// strace prints as 21<<MAP_HUGE_SHIFT.
const mapHugeMask = unix.MAP_HUGE_MASK << unix.MAP_HUGE_SHIFT

// mapFlagsAMD64 and mapFlagsARM64 are the rest of mmap_flags. MAP_32BIT
// exists on x86 only.
var (
	mapFlagsAMD64 = mapFlagsFor(true)
	mapFlagsARM64 = mapFlagsFor(false)
)

func mapFlagsFor(x86 bool) flagSet {
	list := []flag{
		{unix.MAP_FIXED, "MAP_FIXED"},
		{unix.MAP_ANONYMOUS, "MAP_ANONYMOUS"},
	}
	if x86 {
		list = append(list, flag{0x40, "MAP_32BIT"})
	}
	list = append(list,
		flag{unix.MAP_NORESERVE, "MAP_NORESERVE"},
		flag{unix.MAP_POPULATE, "MAP_POPULATE"},
		flag{unix.MAP_NONBLOCK, "MAP_NONBLOCK"},
		flag{unix.MAP_GROWSDOWN, "MAP_GROWSDOWN"},
		flag{unix.MAP_DENYWRITE, "MAP_DENYWRITE"},
		flag{unix.MAP_EXECUTABLE, "MAP_EXECUTABLE"},
		flag{unix.MAP_LOCKED, "MAP_LOCKED"},
		flag{unix.MAP_STACK, "MAP_STACK"},
		flag{unix.MAP_HUGETLB, "MAP_HUGETLB"},
		flag{0x80000, "MAP_SYNC"},
		flag{unix.MAP_FIXED_NOREPLACE, "MAP_FIXED_NOREPLACE"},
	)
	return flagSet{"MAP_???", list}
}

// msyncFlags is mctl_sync; MS_SYNC comes first there.
var msyncFlags = flagSet{"MS_???", []flag{
	{unix.MS_SYNC, "MS_SYNC"},
	{unix.MS_ASYNC, "MS_ASYNC"},
	{unix.MS_INVALIDATE, "MS_INVALIDATE"},
}}

// seekWhence is whence_codes: one value.
var seekWhence = flagSet{"SEEK_???", []flag{
	{unix.SEEK_SET, "SEEK_SET"},
	{unix.SEEK_CUR, "SEEK_CUR"},
	{unix.SEEK_END, "SEEK_END"},
	{unix.SEEK_DATA, "SEEK_DATA"},
	{unix.SEEK_HOLE, "SEEK_HOLE"},
}}

// madvAdvice is madvise_cmds: one value, not bits. strace 6.1 knows
// nothing past MADV_COLLAPSE but the two memory-failure commands.
var madvAdvice = flagSet{"MADV_???", []flag{
	{unix.MADV_NORMAL, "MADV_NORMAL"},
	{unix.MADV_RANDOM, "MADV_RANDOM"},
	{unix.MADV_SEQUENTIAL, "MADV_SEQUENTIAL"},
	{unix.MADV_WILLNEED, "MADV_WILLNEED"},
	{unix.MADV_DONTNEED, "MADV_DONTNEED"},
	{unix.MADV_FREE, "MADV_FREE"},
	{unix.MADV_REMOVE, "MADV_REMOVE"},
	{unix.MADV_DONTFORK, "MADV_DONTFORK"},
	{unix.MADV_DOFORK, "MADV_DOFORK"},
	{unix.MADV_MERGEABLE, "MADV_MERGEABLE"},
	{unix.MADV_UNMERGEABLE, "MADV_UNMERGEABLE"},
	{unix.MADV_HUGEPAGE, "MADV_HUGEPAGE"},
	{unix.MADV_NOHUGEPAGE, "MADV_NOHUGEPAGE"},
	{unix.MADV_DONTDUMP, "MADV_DONTDUMP"},
	{unix.MADV_DODUMP, "MADV_DODUMP"},
	{unix.MADV_WIPEONFORK, "MADV_WIPEONFORK"},
	{unix.MADV_KEEPONFORK, "MADV_KEEPONFORK"},
	{unix.MADV_COLD, "MADV_COLD"},
	{unix.MADV_PAGEOUT, "MADV_PAGEOUT"},
	{unix.MADV_POPULATE_READ, "MADV_POPULATE_READ"},
	{unix.MADV_POPULATE_WRITE, "MADV_POPULATE_WRITE"},
	{unix.MADV_DONTNEED_LOCKED, "MADV_DONTNEED_LOCKED"},
	{unix.MADV_COLLAPSE, "MADV_COLLAPSE"},
	{unix.MADV_HWPOISON, "MADV_HWPOISON"},
	{101, "MADV_SOFT_OFFLINE"},
}}

// mremapFlags is mremap_flags.
var mremapFlags = flagSet{"MREMAP_???", []flag{
	{unix.MREMAP_MAYMOVE, "MREMAP_MAYMOVE"},
	{unix.MREMAP_FIXED, "MREMAP_FIXED"},
	{unix.MREMAP_DONTUNMAP, "MREMAP_DONTUNMAP"},
}}

// openAccModes names the access mode, the low two bits of open's flags,
// which strace always prints first, even when it is O_RDONLY (zero).
var openAccModes = flagSet{"O_???", []flag{
	{unix.O_RDONLY, "O_RDONLY"},
	{unix.O_WRONLY, "O_WRONLY"},
	{unix.O_RDWR, "O_RDWR"},
	{unix.O_ACCMODE, "O_ACCMODE"},
}}

// The open flags that are the same on every ABI mmtrace decodes
// (asm-generic/fcntl.h), in octal as the headers write them.
const (
	oCreat    = 0100
	oExcl     = 0200
	oNoctty   = 0400
	oTrunc    = 01000
	oAppend   = 02000
	oNonblock = 04000
	oDsync    = 010000
	oAsync    = 020000 // FASYNC
	oNoatime  = 01000000
	oCloexec  = 02000000
	oSyncBit  = 04000000 // __O_SYNC; O_SYNC is __O_SYNC|O_DSYNC
	oPath     = 010000000
	oTmpBit   = 020000000 // __O_TMPFILE; O_TMPFILE adds O_DIRECTORY
)

// openFlagsAMD64 and openFlagsARM64 are open_mode_flags. arm64 moves four
// flags (arch/arm64/include/uapi/asm/fcntl.h): O_DIRECTORY 040000,
// O_NOFOLLOW 0100000, O_DIRECT 0200000, O_LARGEFILE 0400000. strace prints
// O_LARGEFILE when the bit is set; a 64-bit libc never sets it.
var (
	openFlagsAMD64 = openFlagsFor(0200000, 0400000, 040000, 0100000)
	openFlagsARM64 = openFlagsFor(040000, 0100000, 0200000, 0400000)
)

func openFlagsFor(directory, nofollow, direct, largefile uint64) flagSet {
	return flagSet{"O_???", []flag{
		{oCreat, "O_CREAT"},
		{oExcl, "O_EXCL"},
		{oNoctty, "O_NOCTTY"},
		{oTrunc, "O_TRUNC"},
		{oAppend, "O_APPEND"},
		{oNonblock, "O_NONBLOCK"},
		// O_SYNC before its parts, O_TMPFILE before its parts: the
		// first match takes the bits.
		{oSyncBit | oDsync, "O_SYNC"},
		{oSyncBit, "__O_SYNC"},
		{oDsync, "O_DSYNC"},
		{direct, "O_DIRECT"},
		{largefile, "O_LARGEFILE"},
		{nofollow, "O_NOFOLLOW"},
		{oNoatime, "O_NOATIME"},
		{oCloexec, "O_CLOEXEC"},
		{oPath, "O_PATH"},
		{oTmpBit | directory, "O_TMPFILE"},
		{oTmpBit, "__O_TMPFILE"},
		{directory, "O_DIRECTORY"},
		{oAsync, "FASYNC"},
	}}
}

// cloneFlags is clone_flags: every CLONE_ bit above the exit signal byte.
// CLONE_DETACHED is left out, as in strace: the kernel ignores it.
var cloneFlags = []flag{
	{unix.CLONE_VM, "CLONE_VM"},
	{unix.CLONE_FS, "CLONE_FS"},
	{unix.CLONE_FILES, "CLONE_FILES"},
	{unix.CLONE_SIGHAND, "CLONE_SIGHAND"},
	{unix.CLONE_PIDFD, "CLONE_PIDFD"},
	{unix.CLONE_PTRACE, "CLONE_PTRACE"},
	{unix.CLONE_VFORK, "CLONE_VFORK"},
	{unix.CLONE_PARENT, "CLONE_PARENT"},
	{unix.CLONE_THREAD, "CLONE_THREAD"},
	{unix.CLONE_NEWNS, "CLONE_NEWNS"},
	{unix.CLONE_SYSVSEM, "CLONE_SYSVSEM"},
	{unix.CLONE_SETTLS, "CLONE_SETTLS"},
	{unix.CLONE_PARENT_SETTID, "CLONE_PARENT_SETTID"},
	{unix.CLONE_CHILD_CLEARTID, "CLONE_CHILD_CLEARTID"},
	{unix.CLONE_UNTRACED, "CLONE_UNTRACED"},
	{unix.CLONE_CHILD_SETTID, "CLONE_CHILD_SETTID"},
	{unix.CLONE_NEWCGROUP, "CLONE_NEWCGROUP"},
	{unix.CLONE_NEWUTS, "CLONE_NEWUTS"},
	{unix.CLONE_NEWIPC, "CLONE_NEWIPC"},
	{unix.CLONE_NEWUSER, "CLONE_NEWUSER"},
	{unix.CLONE_NEWPID, "CLONE_NEWPID"},
	{unix.CLONE_NEWNET, "CLONE_NEWNET"},
	{unix.CLONE_IO, "CLONE_IO"},
}

var (
	cloneFlagSet = flagSet{"CLONE_???", cloneFlags}
	// clone3FlagSet adds clone3_flags, which only clone3's 64-bit flags
	// can carry.
	clone3FlagSet = flagSet{"CLONE_???", append(cloneFlags[:len(cloneFlags):len(cloneFlags)],
		flag{unix.CLONE_NEWTIME, "CLONE_NEWTIME"},
		flag{unix.CLONE_CLEAR_SIGHAND, "CLONE_CLEAR_SIGHAND"},
		flag{unix.CLONE_INTO_CGROUP, "CLONE_INTO_CGROUP"},
	)}
)

// cloneSignal masks the exit signal out of clone's flags (CSIGNAL).
const cloneSignal = 0xff

// waitOptions is wait4_options. Linux defines WSTOPPED, so strace never
// prints WUNTRACED, its alias.
var waitOptions = flagSet{"W???", []flag{
	{unix.WNOHANG, "WNOHANG"},
	{unix.WEXITED, "WEXITED"},
	{unix.WSTOPPED, "WSTOPPED"},
	{unix.WCONTINUED, "WCONTINUED"},
	{unix.WNOWAIT, "WNOWAIT"},
	{unix.WCLONE, "__WCLONE"},
	{unix.WALL, "__WALL"},
	{unix.WNOTHREAD, "__WNOTHREAD"},
}}

// waitidTypes is waitid_types.
var waitidTypes = flagSet{"P_???", []flag{
	{unix.P_ALL, "P_ALL"},
	{unix.P_PID, "P_PID"},
	{unix.P_PGID, "P_PGID"},
	{unix.P_PIDFD, "P_PIDFD"},
}}

// atFlags is at_flags, used for unlinkat and newfstatat.
var atFlags = flagSet{"AT_???", []flag{
	{unix.AT_SYMLINK_NOFOLLOW, "AT_SYMLINK_NOFOLLOW"},
	{unix.AT_REMOVEDIR, "AT_REMOVEDIR"},
	{unix.AT_SYMLINK_FOLLOW, "AT_SYMLINK_FOLLOW"},
	{unix.AT_NO_AUTOMOUNT, "AT_NO_AUTOMOUNT"},
	{unix.AT_EMPTY_PATH, "AT_EMPTY_PATH"},
	{unix.AT_RECURSIVE, "AT_RECURSIVE"},
}}

// execveatFlags is execveat_flags.
var execveatFlags = flagSet{"AT_???", []flag{
	{unix.AT_SYMLINK_NOFOLLOW, "AT_SYMLINK_NOFOLLOW"},
	{unix.AT_EMPTY_PATH, "AT_EMPTY_PATH"},
}}

// saRestorer is SA_RESTORER: set, it says sa_restorer is valid. x86_64 and
// aarch64 both have the field (the latter for AArch32 compatibility), but
// only x86_64's libc sets the flag.
const saRestorer = 0x04000000

// saFlags is sigact_flags. x/sys has none of these; the values are
// asm-generic/signal-defs.h's, which x86 shares.
var saFlags = flagSet{"SA_???", []flag{
	{saRestorer, "SA_RESTORER"},
	{0x08000000, "SA_ONSTACK"},
	{0x10000000, "SA_RESTART"},
	{0x20000000, "SA_INTERRUPT"},
	{0x40000000, "SA_NODEFER"},
	{0x80000000, "SA_RESETHAND"},
	{0x4, "SA_SIGINFO"},
	{0x1, "SA_NOCLDSTOP"},
	{0x2, "SA_NOCLDWAIT"},
}}

// saHandlers is sa_handler_values.
var saHandlers = flagSet{"SIG_???", []flag{
	{^uint64(0), "SIG_ERR"},
	{0, "SIG_DFL"},
	{1, "SIG_IGN"},
}}

// ptraceEvents is ptrace_events: the event in bits 16-23 of a wait status.
var ptraceEvents = flagSet{"PTRACE_EVENT_???", []flag{
	{unix.PTRACE_EVENT_FORK, "PTRACE_EVENT_FORK"},
	{unix.PTRACE_EVENT_VFORK, "PTRACE_EVENT_VFORK"},
	{unix.PTRACE_EVENT_CLONE, "PTRACE_EVENT_CLONE"},
	{unix.PTRACE_EVENT_EXEC, "PTRACE_EVENT_EXEC"},
	{unix.PTRACE_EVENT_VFORK_DONE, "PTRACE_EVENT_VFORK_DONE"},
	{unix.PTRACE_EVENT_EXIT, "PTRACE_EVENT_EXIT"},
	{unix.PTRACE_EVENT_SECCOMP, "PTRACE_EVENT_SECCOMP"},
	{unix.PTRACE_EVENT_STOP, "PTRACE_EVENT_STOP"},
}}

// modeTypes is modetypes: the file type bits of st_mode.
var modeTypes = flagSet{"S_IF???", []flag{
	{unix.S_IFREG, "S_IFREG"},
	{unix.S_IFSOCK, "S_IFSOCK"},
	{unix.S_IFIFO, "S_IFIFO"},
	{unix.S_IFLNK, "S_IFLNK"},
	{unix.S_IFDIR, "S_IFDIR"},
	{unix.S_IFBLK, "S_IFBLK"},
	{unix.S_IFCHR, "S_IFCHR"},
}}

// siCodes is siginfo_codes: the si_code values any signal can carry, which
// strace looks up before the per-signal ones.
var siCodes = flagSet{"SI_???", []flag{
	{0, "SI_USER"},
	{0x80, "SI_KERNEL"},
	{uint64(0xffffffff), "SI_QUEUE"},
	{uint64(0xfffffffe), "SI_TIMER"},
	{uint64(0xfffffffd), "SI_MESGQ"},
	{uint64(0xfffffffc), "SI_ASYNCIO"},
	{uint64(0xfffffffb), "SI_SIGIO"},
	{uint64(0xfffffffa), "SI_TKILL"},
	{uint64(0xfffffff9), "SI_DETHREAD"},
	{uint64(0xffffffc4), "SI_ASYNCNL"},
}}

// The per-signal si_code tables strace has for the signals a memory
// lesson meets.
var (
	cldCodes = flagSet{"CLD_???", []flag{
		{1, "CLD_EXITED"}, {2, "CLD_KILLED"}, {3, "CLD_DUMPED"},
		{4, "CLD_TRAPPED"}, {5, "CLD_STOPPED"}, {6, "CLD_CONTINUED"},
	}}
	segvCodes = flagSet{"SEGV_???", []flag{
		{1, "SEGV_MAPERR"}, {2, "SEGV_ACCERR"}, {3, "SEGV_BNDERR"},
		{4, "SEGV_PKUERR"}, {5, "SEGV_ACCADI"}, {6, "SEGV_ADIDERR"},
		{7, "SEGV_ADIPERR"}, {8, "SEGV_MTEAERR"}, {9, "SEGV_MTESERR"},
	}}
	busCodes = flagSet{"BUS_???", []flag{
		{1, "BUS_ADRALN"}, {2, "BUS_ADRERR"}, {3, "BUS_OBJERR"},
		{4, "BUS_MCEERR_AR"}, {5, "BUS_MCEERR_AO"},
	}}
)
