package sys

// The argument kinds many calls share: flag words and enumerations by
// table, ints and offsets behind pointers, ids, and the small structures
// (timespec, timeval) that come everywhere.

// flagsArg prints an int argument as flags of fs: PROT_READ|PROT_WRITE,
// 0, or 0x100 /* PROT_??? */.
func flagsArg(fs *flagSet) Arg { return Arg{fs: fs, fsKind: fsFlags32, rawNum: hex32} }

// flags64Arg prints a long argument as flags of fs.
func flags64Arg(fs *flagSet) Arg { return Arg{fs: fs, fsKind: fsFlags64, rawNum: hexNum} }

// xvalArg prints an int argument as one value of fs: SEEK_SET, or
// 0x5 /* SEEK_??? */.
func xvalArg(fs *flagSet) Arg { return Arg{fs: fs, fsKind: fsXval32, rawNum: hex32} }

// xval64Arg prints a long argument as one value of fs.
func xval64Arg(fs *flagSet) Arg { return Arg{fs: fs, fsKind: fsXval64, rawNum: hexNum} }

// The argument kinds of this file.
var (
	// UInt prints a C unsigned int: 4294967295 for -1.
	UInt = val(func(v uint64) string { return udec(uint64(uint32(v))) })
	// HexInt prints a C int in hex, as strace prints an unknown command's
	// argument.
	HexInt = val(func(v uint64) string { return hexNum(uint64(uint32(v))) })
	// UID prints a user or group id as strace's printuid: -1, or unsigned.
	UID = val(func(v uint64) string {
		if uint32(v) == ^uint32(0) {
			return "-1"
		}
		return udec(uint64(uint32(v)))
	})
	// IntPtr prints the int a pointer points to: [42].
	IntPtr = pointee(readInt)
	// UIntPtr prints the unsigned int a pointer points to: [42].
	UIntPtr = pointee(readUint)
	// OffPtr prints the 64-bit offset a pointer points to: [4096].
	OffPtr = pointee(readInt64)
	// Timespec prints a struct timespec read at entry: {tv_sec=1,
	// tv_nsec=0}.
	Timespec = fetchedN(16, func(_ *decoder, b []byte) string { return timespec(b) })
	// Timeval prints a struct timeval read at entry.
	Timeval = fetchedN(16, func(_ *decoder, b []byte) string { return timeval(b) })
	// OutTimespec prints the struct timespec a call filled in, at exit.
	OutTimespec = fetchedN(16, func(_ *decoder, b []byte) string { return timespec(b) })
)

// pointee makes an Arg that prints what a pointer points to with f, as
// strace's umove_or_printaddr: at exit, a failed call's pointer prints
// as its address, the kernel having stored nothing.
func pointee(f func(mem Memory, a uint64) string) Arg {
	return Arg{text: func(d *decoder, i int) string {
		if d.c.Done && d.failed() {
			return ptr(d.arg(i))
		}
		return f(d.mem, d.arg(i))
	}}
}

// readUint reads a 32-bit unsigned int at a: [n], NULL, or the address.
func readUint(mem Memory, a uint64) string {
	if a == 0 {
		return "NULL"
	}
	b, ok := readFull(mem, a, 4)
	if !ok {
		return ptr(a)
	}
	return "[" + udec(uint64(le.Uint32(b))) + "]"
}

// readInt64 reads a 64-bit int at a: [n], NULL, or the address.
func readInt64(mem Memory, a uint64) string {
	if a == 0 {
		return "NULL"
	}
	b, ok := readFull(mem, a, 8)
	if !ok {
		return ptr(a)
	}
	return "[" + sdec(int64(le.Uint64(b))) + "]"
}

// timespec formats a struct timespec of a 64-bit ABI.
func timespec(b []byte) string {
	return "{tv_sec=" + sdec(int64(le.Uint64(b))) + ", tv_nsec=" + sdec(int64(le.Uint64(b[8:]))) + "}"
}
