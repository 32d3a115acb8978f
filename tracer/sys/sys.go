// Package sys is mmtrace's syscall table and argument decoders: for each
// architecture, the name of every syscall number, and for the calls
// programs commonly make (the mmap lesson's, and the file, descriptor,
// socket, signal and process calls of a C, Python, Go or shell program),
// how strace 6.1 prints each argument and the result. Other calls print
// raw, as strace prints a call it has no decoder for.
//
// Decoding is split in two, as in strace: arguments that point at input
// (paths, write buffers, argv) are read at syscall entry, because the memory
// may change or vanish (execve) before the exit; arguments the kernel fills
// in (read buffers, stat structs, wait status) are read at exit, and only
// when the call succeeded. A decode failure never fails the trace: the
// argument prints as its address.
//
// Nothing here calls ptrace: tracee memory comes through the Memory
// interface, so tests feed the decoders fake memory.
package sys

// Arch is a syscall ABI. It decides the numbering, not the decoding: a
// decoder is chosen by the call's name.
type Arch uint8

// The ABIs mmtrace decodes.
const (
	ArchUnknown Arch = iota
	AMD64            // x86_64, AUDIT_ARCH_X86_64
	ARM64            // aarch64, AUDIT_ARCH_AARCH64
)

func (a Arch) String() string {
	switch a {
	case AMD64:
		return "amd64"
	case ARM64:
		return "arm64"
	}
	return "unknown"
}

// Memory reads a tracee's memory.
type Memory interface {
	// Read copies memory at addr into p and returns how many bytes it
	// copied. A read that crosses into an unmapped page returns the bytes
	// before it and an error.
	Read(addr uint64, p []byte) (int, error)
}

// Options controls how calls are printed.
type Options struct {
	// StringLimit is strace's -s: the most bytes of a string or buffer
	// printed before "...". Zero means the default, 32.
	StringLimit int
	// Hex is strace's -x (1: a string with a byte that is not printable
	// ASCII or whitespace prints wholly in hex) and -xx (2: every string
	// in hex), "\x68\x69"; 0 prints strings with C escapes.
	Hex int
	// FDPath, when set, is strace's -y: it returns what fd refers to in
	// the process whose memory mem is (a path, "pipe:[123]",
	// "TCP:[127.0.0.1:80->127.0.0.1:4242]"), printed after the fd as
	// 3</tmp/f.dat>; AT_FDCWD asks for the working directory. false
	// prints the fd alone.
	FDPath func(mem Memory, fd int) (string, bool)
	// Verbose is strace's -v: execve's argument and environment lists
	// in full, and the structures strace abbreviates with "..." (struct
	// stat, rusage, utsname) with every field.
	Verbose bool
	// Xlat is strace's -X: how named constants print.
	Xlat Xlat
}

// Xlat is how named constants (flags, commands, signals) print: strace's
// -X raw|abbrev|verbose.
type Xlat uint8

// The constant styles.
const (
	// XlatAbbrev prints names, strace's default: O_RDWR|O_CREAT.
	XlatAbbrev Xlat = iota
	// XlatRaw prints the number only, as strace prints it raw: 0x42,
	// AT_FDCWD as -100, a signal in decimal.
	XlatRaw
	// XlatVerbose prints the number, then the names in a comment:
	// 0x42 /* O_RDWR|O_CREAT */.
	XlatVerbose
)

// XlatStyles are the names of the styles, as -X takes them, by value.
var XlatStyles = []string{"abbrev", "raw", "verbose"}

func (o *Options) xlat() Xlat {
	if o == nil {
		return XlatAbbrev
	}
	return o.Xlat
}

func (o *Options) verbose() bool { return o != nil && o.Verbose }

// styledHex, styledOct, styledDec and styledUdec are styled with the
// number v in hex, octal (a mode), signed or unsigned decimal as its raw
// form, formatted only when -X asks for it.
func (o *Options) styledHex(v uint64, named string) string {
	if o.xlat() == XlatAbbrev {
		return named
	}
	return o.styled(hexNum(v), named)
}

func (o *Options) styledOct(v uint64, named string) string {
	if o.xlat() == XlatAbbrev {
		return named
	}
	return o.styled(octMode(v), named)
}

func (o *Options) styledDec(v int64, named string) string {
	if o.xlat() == XlatAbbrev {
		return named
	}
	return o.styled(sdec(v), named)
}

func (o *Options) styledUdec(v uint64, named string) string {
	if o.xlat() == XlatAbbrev {
		return named
	}
	return o.styled(udec(v), named)
}

// styled returns a named constant in the -X style, given raw, its number
// as strace prints it with -X raw, and named, its default form. A value
// no name matched already reads "0x100 /* PROT_??? */" by default, and
// strace prints it so with -X verbose too.
func (o *Options) styled(raw, named string) string {
	switch o.xlat() {
	case XlatRaw:
		return raw
	case XlatVerbose:
		if named == raw || (len(named) > len(raw)+4 && named[:len(raw)+4] == raw+" /* ") {
			return named
		}
		return raw + " /* " + named + " */"
	}
	return named
}

// DefaultStringLimit is strace's default for -s.
const DefaultStringLimit = 32

func (o *Options) stringLimit() int {
	if o == nil || o.StringLimit <= 0 {
		return DefaultStringLimit
	}
	return o.StringLimit
}

// Audit architectures: how the kernel names an ABI in seccomp data and in
// PTRACE_GET_SYSCALL_INFO (AUDIT_ARCH_* of <linux/audit.h>).
const (
	auditArchX86_64  = 0xc000003e
	auditArchAarch64 = 0xc00000b7
)

// AuditArch returns the kernel's AUDIT_ARCH value for a, or 0.
func (a Arch) AuditArch() uint32 {
	switch a {
	case AMD64:
		return auditArchX86_64
	case ARM64:
		return auditArchAarch64
	}
	return 0
}

// ArchFromAudit returns the Arch of a kernel AUDIT_ARCH value:
// ArchUnknown for the ABIs mmtrace does not decode (i386 on x86_64).
func ArchFromAudit(audit uint32) Arch {
	switch audit {
	case auditArchX86_64:
		return AMD64
	case auditArchAarch64:
		return ARM64
	}
	return ArchUnknown
}
