package sys

// ReadPath reads the file name at addr as strace's -P reads it (umovestr
// of up to PATH_MAX bytes): ok is false for NULL, memory that cannot be
// read, or a name with no NUL within PATH_MAX bytes.
func ReadPath(mem Memory, addr uint64) (string, bool) {
	if addr == 0 {
		return "", false
	}
	b, terminated, ok := readCString(mem, addr, pathMax)
	if !ok || !terminated {
		return "", false
	}
	return string(b), true
}
