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

	// Ret is the raw return value: a negative errno on failure.
	Ret int64
	// Done says Exit has run.
	Done bool

	args []string // formatted arguments; "" for those formatted at exit
	res  string
}

// NewCall prepares a call seen at its entry stop.
func NewCall(arch Arch, nr int, args [6]uint64) *Call {
	return &Call{Arch: arch, Nr: nr, Name: Name(arch, nr), Args: args}
}

// Enter formats the arguments that must be read at entry: paths, write
// buffers, argv, the new action of rt_sigaction.
func (c *Call) Enter(mem Memory, opt *Options) {
	c.args = formatEntry(c, mem, opt)
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

// Errno returns the error the call failed with, or 0.
func (c *Call) Errno() syscall.Errno {
	if c.Done && c.Ret < 0 && c.Ret >= -maxErrno {
		return syscall.Errno(-c.Ret)
	}
	return 0
}

// String returns the call as one strace line without the padding before
// " = ": mmap(NULL, 4096, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) =
// 0x7f0000000000. A call that did not return prints as strace prints a
// thread killed in it, read(3,  <unfinished ...>) = ?, except the calls
// that never return, which print whole: exit_group(0) = ?.
func (c *Call) String() string {
	var s strings.Builder
	s.WriteString(c.Name)
	s.WriteByte('(')
	n := len(c.args)
	if !c.Done {
		n = 0
		for n < len(c.args) && c.args[n] != "" {
			n++
		}
	}
	s.WriteString(strings.Join(c.args[:n], ", "))
	if n < len(c.args) {
		if n > 0 {
			s.WriteString(", ")
		}
		s.WriteString(" <unfinished ...>")
	} else if !c.Done && !neverReturns(c.Name) {
		s.WriteString(" <unfinished ...>")
	}
	s.WriteString(") = ")
	s.WriteString(c.ResultText())
	return s.String()
}

// neverReturns says the call has no exit stop when it succeeds.
func neverReturns(name string) bool {
	sp := table[name]
	return sp != nil && sp.result == RetNone
}
