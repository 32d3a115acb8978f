//go:build linux && !race

package rawchild

// move is copy(): compiled to the runtime's memmove, a leaf that needs no
// stack and takes no lock.
//
//go:nosplit
//go:norace
func move(dst, src []byte) {
	copy(dst, src)
}
