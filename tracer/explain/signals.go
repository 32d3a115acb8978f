package explain

import (
	"syscall"

	"golang.org/x/sys/unix"

	"github.com/mmtrace/mmtrace/tracer"
)

// si_code values of SIGCHLD (<asm-generic/siginfo.h>).
const (
	cldExited    = 1
	cldKilled    = 2
	cldDumped    = 3
	cldStopped   = 5
	cldContinued = 6
)

// signal explains a signal being delivered.
func (x *Explainer) signal(e *tracer.Event) []local {
	si := e.Siginfo
	switch e.Signal {
	case unix.SIGBUS:
		return x.sigbus(e.Pid, si.Addr)
	case unix.SIGSEGV:
		return x.sigsegv(e.Pid, si.Addr)
	case unix.SIGCHLD:
		var how local
		switch si.Code {
		case cldExited:
			how = t(mHowExited, "code", si.Status)
		case cldKilled, cldDumped:
			how = t(mHowKilled, "sig", sigName(syscall.Signal(si.Status)))
		case cldStopped:
			how = t(mHowStopped)
		case cldContinued:
			how = t(mHowContinued)
		default:
			return nil
		}
		return one(mSigchld, "child", si.Pid, "how", how)
	}
	// Sent by a process: SI_USER (kill), SI_TKILL (tgkill), SI_QUEUE.
	if (si.Code == 0 || si.Code == -6 || si.Code == -1) && si.Pid > 0 {
		return one(mSigSent, "sig", sigName(e.Signal), "pid", si.Pid)
	}
	return nil
}

func (x *Explainer) remember(pid int, sig syscall.Signal, why local) {
	trim(x.fatal)
	x.fatal[pid] = fatalFault{sig: sig, why: why}
}

// sigbus locates addr: most often a page of a file mapping past the end of
// the file, and then the history tells how the file came to be too short.
func (x *Explainer) sigbus(pid int, addr uint64) []local {
	p := x.m.Process(pid)
	mp := lookup(p, addr)
	if mp == nil {
		return one(mBusNoMap, "addr", hex(addr))
	}
	if mp.Anon || isDevZero(mp) || mp.Path == "" {
		return one(mBusOther, "addr", hex(addr), "what", mapName(mp))
	}
	size := fileSize(mp)
	at := mp.Offset + (addr - mp.Start)
	if size < 0 || at < x.pageUp(uint64(size)) {
		return one(mBusOther, "addr", hex(addr), "what", mapName(mp))
	}
	file := fileName(mp.Path)
	x.remember(pid, unix.SIGBUS, t(mWhyBus, "addr", hex(addr), "file", file))
	out := one(mBusPastEOF, "addr", hex(addr), "off", nbytes(addr-mp.Start), "file", file, "size", nbytes(uint64(size)))
	ev := x.sizes[mp.Path]
	switch ev.kind {
	case sizeFailed:
		return append(out, t(mCauseTruncFailed, "fd", ev.fd, "len", ev.length, "errno", errnoName(ev.errno)))
	case sizeSet:
		return append(out, t(mCauseShrunk, "size", nbytes(uint64(ev.length))))
	case sizeEmptied:
		return append(out, t(mCauseEmptied))
	}
	return append(out, t(mCauseNoSize))
}

// sigsegv locates addr: in no mapping (NULL, or unmapped earlier), or in
// one whose protection forbids the access.
func (x *Explainer) sigsegv(pid int, addr uint64) []local {
	p := x.m.Process(pid)
	mp := lookup(p, addr)
	if mp != nil {
		prot := protText(mp.Prot)
		x.remember(pid, unix.SIGSEGV, t(mWhySegvProt, "addr", hex(addr), "prot", prot))
		return one(mSegvProt, "addr", hex(addr), "what", mapName(mp), "prot", prot)
	}
	x.remember(pid, unix.SIGSEGV, t(mWhySegv, "addr", hex(addr)))
	if addr < x.page {
		return one(mSegvNull, "addr", hex(addr))
	}
	out := one(mSegvUnmapped, "addr", hex(addr))
	u := x.unmapped[pid]
	for i := len(u) - 1; i >= 0; i-- {
		if u[i].start <= addr && addr < u[i].end {
			return append(out, t(mCauseUnmapped, "what", u[i].what))
		}
	}
	return out
}
