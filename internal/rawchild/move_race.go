//go:build linux && race

package rawchild

// move copies byte by byte: under -race the compiler turns copy() into a
// call of runtime.slicecopy, which is instrumented and has a stack check,
// and a stack check in a raw-forked child can enter the scheduler and hang
// it (seen: the child asleep in runtime.stoplockedm after newstack).
//
//go:nosplit
//go:norace
func move(dst, src []byte) {
	n := len(dst)
	if len(src) < n {
		n = len(src)
	}
	for i := 0; i < n; i++ {
		dst[i] = src[i]
	}
}
