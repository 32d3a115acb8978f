package sys

import (
	"strings"
	"syscall"
)

// Call is one system call of one thread, from its entry to its exit.
//
// The tracer creates it at the entry stop with NewCall, calls Enter while
// the call's input is still in the tracee's memory, and Exit at the exit
// stop. A call that never returns (exit_group, a thread killed in the call)
// has Enter but no Exit; its result prints as "?".
type Call struct {
	Arch Arch
	Nr   int
	Name string
	Args [6]uint64
	// SP is the stack pointer at entry, 0 when the tracer does not say:
	// rt_sigreturn's saved mask is on the stack.
	SP uint64

	// Ret is the raw return value: a negative errno on failure.
	Ret int64
	// Done says Exit has run.
	Done bool

	args []string // formatted arguments; "" for those formatted at exit
	res  string

	// argBuf holds args, and dec the decoding state: a stop allocates
	// no more than the strings it formats.
	argBuf [6]string
	dec    decoder
	// kept holds, by raw argument index, what Arg.keep read at entry.
	kept [6]uint64

	// exitFrom is the index of the first argument strace prints at exit;
	// sepAtExit says the ", " before it is printed then too. suffix is
	// what the exit stop appended to arguments printed at entry.
	exitFrom  int
	sepAtExit bool
	suffix    string
}

// NewCall prepares a call seen at its entry stop.
func NewCall(arch Arch, nr int, args [6]uint64) *Call {
	return &Call{Arch: arch, Nr: nr, Name: Name(arch, nr), Args: args}
}

// Reuse makes c a call seen at its entry stop, as NewCall makes one, in
// the record of a call that ended: for a tracer whose sinks keep no call
// past its end (tracer.KeepsNoCalls).
func (c *Call) Reuse(arch Arch, nr int, args [6]uint64) {
	*c = Call{Arch: arch, Nr: nr, Name: Name(arch, nr), Args: args}
}

// Enter formats the arguments that must be read at entry: paths, write
// buffers, argv, the new action of rt_sigaction.
func (c *Call) Enter(mem Memory, opt *Options) {
	formatEntry(c, mem, opt)
}

// Exit records the return value and formats what the kernel filled in:
// read buffers, stat structs, wait statuses, old actions. Without a prior
// Enter (a tracer that attached mid-call) it formats every argument now.
func (c *Call) Exit(mem Memory, ret int64, opt *Options) {
	c.Ret = ret
	c.Done = true // before formatting: exit formatters look at the result
	c.res = formatExit(c, mem, opt)
}

// ArgsText returns the formatted arguments, as strace prints them between
// the parentheses. Before Exit, the arguments strace prints at exit are ""
// (they and all after them); arguments strace leaves out of this call (an
// open mode without O_CREAT) are not in the slice.
func (c *Call) ArgsText() []string { return c.args }

// ResultText returns what strace prints after " = ": a number, an address,
// "-1 ENOENT (No such file or directory)", or "?" for a call with no exit.
func (c *Call) ResultText() string {
	if !c.Done {
		return "?"
	}
	return c.res
}

// IsExec says whether c (which may be nil) is an execve or execveat: the
// calls that replace the address space.
func (c *Call) IsExec() bool {
	return c != nil && (c.Name == "execve" || c.Name == "execveat")
}

// Result says what the call returns when it does not fail: a number, a
// file descriptor, a process id, an address, or nothing (exit_group).
func (c *Call) Result() Ret {
	if sp := lookup(c.Arch, c.Nr, c.Name); sp != nil {
		return sp.result
	}
	return RetInt
}

// Errno returns the error the call failed with, or 0.
func (c *Call) Errno() syscall.Errno {
	if c.Done && c.Ret < 0 && c.Ret >= -maxErrno {
		return syscall.Errno(-c.Ret)
	}
	return 0
}

// EnteredText returns what strace prints for the call at entry when
// another thread's line comes before its exit, without the
// " <unfinished ...>" that follows: "read(3, ", "wait4(9557, ",
// "clone(child_stack=NULL, flags=SIGCHLD".
func (c *Call) EnteredText() string {
	var s strings.Builder
	s.WriteString(c.Name)
	s.WriteByte('(')
	n := min(c.exitFrom, len(c.args))
	s.WriteString(strings.Join(c.args[:n], ", "))
	if n < len(c.args) && n > 0 && !c.sepAtExit {
		s.WriteString(", ")
	}
	return s.String()
}

// ResumedText returns what strace prints after "<... read resumed>" and
// before ") = ": the rest of the arguments, `"abc", 10` for read,
// ", child_tidptr=0x7f..." for clone, " => {parent_tid=[42]}, 88" for
// clone3, and "" for a call whose arguments were all printed at entry.
func (c *Call) ResumedText() string {
	var s strings.Builder
	s.WriteString(c.suffix)
	n := min(c.exitFrom, len(c.args))
	for i := n; i < len(c.args); i++ {
		if i > n || (i > 0 && c.sepAtExit) {
			s.WriteString(", ")
		}
		s.WriteString(c.args[i])
	}
	return s.String()
}

// String returns the call as one strace line without the padding before
// " = ": mmap(NULL, 4096, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) =
// 0x7f0000000000. A call that did not return prints as strace prints a
// thread killed in it, read(3,  <unfinished ...>) = ?, except the calls
// that never return, which print whole: exit_group(0) = ?.
func (c *Call) String() string {
	if c.Done || (neverReturns(c) && c.exitFrom >= len(c.args)) {
		return c.Name + "(" + strings.Join(c.args, ", ") + ") = " + c.ResultText()
	}
	return c.EnteredText() + " <unfinished ...>) = ?"
}

// neverReturns says the call has no exit stop when it succeeds.
func neverReturns(c *Call) bool {
	sp := lookup(c.Arch, c.Nr, c.Name)
	return sp != nil && sp.result == RetNone
}
