package sys

import (
	"encoding/binary"
	"fmt"
	"strings"
	"syscall"

	"golang.org/x/sys/unix"
)

// Siginfo is a decoded siginfo_t: what the kernel says about a signal.
type Siginfo struct {
	Signo syscall.Signal
	Errno int32
	Code  int32
	// Pid and Uid: the sender (SI_USER, SI_TKILL, SI_QUEUE) or, for
	// SIGCHLD, the child.
	Pid int32
	Uid uint32
	// Status, Utime, Stime: SIGCHLD's child exit code or signal and CPU
	// times in clock ticks.
	Status       int32
	Utime, Stime int64
	// Addr: the faulting address of SIGSEGV, SIGBUS, SIGILL, SIGFPE.
	Addr uint64
	// Style is the -X style String prints in: not the kernel's, the
	// trace's, so that every renderer shows a signal as the text does.
	Style Xlat
}

// siginfo_t's si_code values that are not per-signal.
const (
	siUser    = 0
	siKernel  = 0x80
	siQueue   = -1
	siTimer   = -2
	siMesgq   = -3
	siAsyncio = -4
	siSigio   = -5
	siTkill   = -6
)

// ParseSiginfo decodes the kernel's 128-byte siginfo_t of a 64-bit tracee.
// The union starts at byte 16; which member is valid depends on the signal
// and on si_code.
func ParseSiginfo(b []byte) Siginfo {
	if len(b) < 48 {
		return Siginfo{}
	}
	le := binary.LittleEndian
	si := Siginfo{
		Signo: syscall.Signal(le.Uint32(b[0:])),
		Errno: int32(le.Uint32(b[4:])),
		Code:  int32(le.Uint32(b[8:])),
	}
	switch {
	case si.Code <= 0 || si.Code == siKernel:
		// Sent by a process (kill, tgkill, sigqueue) or the kernel.
		si.Pid = int32(le.Uint32(b[16:]))
		si.Uid = le.Uint32(b[20:])
	case si.Signo == unix.SIGCHLD:
		si.Pid = int32(le.Uint32(b[16:]))
		si.Uid = le.Uint32(b[20:])
		si.Status = int32(le.Uint32(b[24:]))
		si.Utime = int64(le.Uint64(b[32:]))
		si.Stime = int64(le.Uint64(b[40:]))
	case isFault(si.Signo):
		si.Addr = le.Uint64(b[16:])
	}
	return si
}

func isFault(sig syscall.Signal) bool {
	switch sig {
	case unix.SIGSEGV, unix.SIGBUS, unix.SIGILL, unix.SIGFPE, unix.SIGTRAP:
		return true
	}
	return false
}

// SignalName returns strace's name of a signal: SIGBUS, SIGRTMIN, SIGRT_1,
// or its number when it has none.
func SignalName(sig syscall.Signal) string { return signal(int64(sig)) }

// Per-signal si_code names, as <asm-generic/siginfo.h> numbers them.
var (
	codesSEGV = []string{1: "SEGV_MAPERR", "SEGV_ACCERR", "SEGV_BNDERR", "SEGV_PKUERR", "SEGV_ACCADI", "SEGV_ADIDERR", "SEGV_ADIPERR", "SEGV_MTEAERR", "SEGV_MTESERR", "SEGV_CPERR"}
	codesBUS  = []string{1: "BUS_ADRALN", "BUS_ADRERR", "BUS_OBJERR", "BUS_MCEERR_AR", "BUS_MCEERR_AO"}
	codesCHLD = []string{1: "CLD_EXITED", "CLD_KILLED", "CLD_DUMPED", "CLD_TRAPPED", "CLD_STOPPED", "CLD_CONTINUED"}
	codesILL  = []string{1: "ILL_ILLOPC", "ILL_ILLOPN", "ILL_ILLADR", "ILL_ILLTRP", "ILL_PRVOPC", "ILL_PRVREG", "ILL_COPROC", "ILL_BADSTK", "ILL_BADIADDR"}
	codesFPE  = []string{1: "FPE_INTDIV", "FPE_INTOVF", "FPE_FLTDIV", "FPE_FLTOVF", "FPE_FLTUND", "FPE_FLTRES", "FPE_FLTINV", "FPE_FLTSUB", "FPE_FLTUNK", "FPE_CONDTRAP"}
	codesTRAP = []string{1: "TRAP_BRKPT", "TRAP_TRACE", "TRAP_BRANCH", "TRAP_HWBKPT", "TRAP_UNK", "TRAP_PERF"}
)

// CodeName returns the name of si_code for sig, or its number.
func CodeName(sig syscall.Signal, code int32) string {
	switch code {
	case siUser:
		return "SI_USER"
	case siKernel:
		return "SI_KERNEL"
	case siQueue:
		return "SI_QUEUE"
	case siTimer:
		return "SI_TIMER"
	case siMesgq:
		return "SI_MESGQ"
	case siAsyncio:
		return "SI_ASYNCIO"
	case siSigio:
		return "SI_SIGIO"
	case siTkill:
		return "SI_TKILL"
	}
	var names []string
	switch sig {
	case unix.SIGSEGV:
		names = codesSEGV
	case unix.SIGBUS:
		names = codesBUS
	case unix.SIGCHLD:
		names = codesCHLD
	case unix.SIGILL:
		names = codesILL
	case unix.SIGFPE:
		names = codesFPE
	case unix.SIGTRAP:
		names = codesTRAP
	}
	if code > 0 && int(code) < len(names) && names[code] != "" {
		return names[code]
	}
	return fmt.Sprint(code)
}

// String prints si as strace does between "--- SIGBUS " and " ---", in
// si's Style: {si_signo=SIGBUS, si_code=BUS_ADRERR, si_addr=0x7f0000000000}.
func (si *Siginfo) String() string { return si.Text(si.Style) }

// Text prints si in the -X style x: with raw, si_signo in decimal and
// si_code in hex (as strace prints an int constant's bits), with
// verbose the names after them in comments.
func (si *Siginfo) Text(x Xlat) string {
	o := &Options{Xlat: x}
	var b strings.Builder
	b.WriteString("{si_signo=" + o.styledDec(int64(si.Signo), SignalName(si.Signo)) +
		", si_code=" + o.styledHex(uint64(uint32(si.Code)), CodeName(si.Signo, si.Code)))
	if si.Errno != 0 {
		b.WriteString(", si_errno=" + o.styledDec(int64(si.Errno), ErrnoName(syscall.Errno(si.Errno))))
	}
	switch {
	case si.Code <= 0 && si.Code != siKernel:
		fmt.Fprintf(&b, ", si_pid=%d, si_uid=%d", si.Pid, si.Uid)
	case si.Code == siKernel:
	case si.Signo == unix.SIGCHLD:
		fmt.Fprintf(&b, ", si_pid=%d, si_uid=%d, si_status=", si.Pid, si.Uid)
		if si.Code == 1 { // CLD_EXITED: an exit code; otherwise a signal
			fmt.Fprintf(&b, "%d", si.Status)
		} else {
			b.WriteString(o.styledDec(int64(si.Status), SignalName(syscall.Signal(si.Status))))
		}
		b.WriteString(", si_utime=" + clockTicks(uint64(si.Utime)))
		b.WriteString(", si_stime=" + clockTicks(uint64(si.Stime)))
	case isFault(si.Signo):
		if si.Addr == 0 {
			b.WriteString(", si_addr=NULL")
		} else {
			fmt.Fprintf(&b, ", si_addr=%#x", si.Addr)
		}
	}
	b.WriteByte('}')
	return b.String()
}

// userHZ is the unit of the clock_t times the kernel reports to user space
// (si_utime, times(2)): USER_HZ, 100 on every architecture mmtrace runs on
// (sysconf(_SC_CLK_TCK) returns it).
const userHZ = 100

// clockTicks prints a clock_t as strace's print_clock_t does: the ticks,
// unsigned, and when not zero the seconds they make as a comment,
// "22 /* 0.22 s */".
func clockTicks(v uint64) string {
	if v == 0 {
		return "0"
	}
	return fmt.Sprintf("%d /* %d.%02d s */", v, v/userHZ, v%userHZ)
}
