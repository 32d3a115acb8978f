package sys

// The signal calls beyond kill and rt_sigaction: masks, the alternate
// stack, sigreturn, and the waits.

// nsigBytes is the kernel's sigset_t size on x86_64 and aarch64: strace
// prints a set only when the call's size says exactly that.
const nsigBytes = 8

// sigsetAt formats the signal set of size bytes at a, as strace's
// print_sigset_addr_len: NULL, the address when the size is not the
// kernel's or the memory cannot be read, else [USR1 TERM].
func sigsetAt(mem Memory, a, size uint64) string { return sigsetIn(nil, mem, a, size) }

// sigsetIn is sigsetAt in o's -X style.
func sigsetIn(o *Options, mem Memory, a, size uint64) string {
	if a == 0 {
		return "NULL"
	}
	if size != nsigBytes {
		return ptr(a)
	}
	b, ok := readFull(mem, a, nsigBytes)
	if !ok {
		return ptr(a)
	}
	return sigmaskIn(o, le.Uint64(b))
}

// sigsetArg prints a signal set whose size is argument sizeIdx. At exit
// a failed call's set prints as its address.
func sigsetArg(sizeIdx int) Arg {
	return Arg{text: func(d *decoder, i int) string {
		if d.c.Done && d.failed() {
			return ptr(d.arg(i))
		}
		return sigsetIn(d.opt, d.mem, d.arg(i), d.arg(sizeIdx))
	}}
}

// The tables of the signal calls.
var (
	sigprocmaskHow = flagSet{"SIG_???", []flag{{0, "SIG_BLOCK"}, {1, "SIG_UNBLOCK"}, {2, "SIG_SETMASK"}}}
	sigaltstackFl  = flagSet{"SS_???", []flag{{1, "SS_ONSTACK"}, {2, "SS_DISABLE"}, {1 << 31, "SS_AUTODISARM"}}}
)

// stackText formats a stack_t: {ss_sp=0x..., ss_flags=0, ss_size=65536}.
func stackText(b []byte) string {
	return "{ss_sp=" + ptr(le.Uint64(b)) + ", ss_flags=" + sigaltstackFl.flags(uint64(le.Uint32(b[8:]))) +
		", ss_size=" + udec(le.Uint64(b[16:])) + "}"
}

// sigreturnMaskOffset is where rt_sigreturn finds the mask it restores,
// from the stack pointer at the call: in the struct rt_sigframe the
// signal's delivery pushed. x86_64's frame starts with the return address
// the handler's ret popped, then the ucontext (uc_sigmask after flags,
// link, stack and the 256-byte sigcontext); aarch64's starts at sp with
// the 128-byte siginfo, then the ucontext (uc_sigmask after flags, link
// and stack).
func sigreturnMaskOffset(arch Arch) uint64 {
	if arch == ARM64 {
		return 128 + 40
	}
	return 8 + 8 + 24 + 256
}

// The argument kinds of the signal calls.
var (
	// SigprocmaskHow prints rt_sigprocmask's how.
	SigprocmaskHow = xvalArg(&sigprocmaskHow)
	// Stack prints a stack_t: sigaltstack's new stack at entry, the old
	// one at exit.
	Stack = fetchedN(24, func(_ *decoder, b []byte) string { return stackText(b) })
	// SigreturnFrame prints the mask rt_sigreturn restores, read from the
	// signal frame on the stack: {mask=[]}. Without the stack pointer
	// (Call.SP) it prints nothing, as strace does when it has no frame.
	SigreturnFrame = Arg{
		text: func(d *decoder, _ int) string {
			if d.c.SP == 0 {
				return ""
			}
			return "{mask=" + sigsetAt(d.mem, d.c.SP+sigreturnMaskOffset(d.c.Arch), nsigBytes) + "}"
		},
		omit: func(c *Call, _ int) bool { return c.SP == 0 },
	}
)
