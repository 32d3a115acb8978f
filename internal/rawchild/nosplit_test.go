//go:build linux

package rawchild

import (
	"testing"

	"github.com/mmtrace/mmtrace/internal/rawchild/childcheck"
)

// TestChildCodeIsNosplit checks the compiled child code: everything the
// child runs from forkChild, and every wrapper bodies may call.
func TestChildCodeIsNosplit(t *testing.T) {
	if testing.Short() {
		t.Skip("disassembles the test binary")
	}
	childcheck.Check(t,
		`rawchild\.(forkChild|child|setCredential|closeFrom|nullOutput|Exit|Open|Close|Ftruncate|Fallocate|Pwrite|ClockGettime|Mmap|Munmap|Madvise|Msync|Write|Read|Fork|Wait4|Getpid|Kill|Sleep|Unlink|Pread|Lseek|Fstat|Exec|Addr|Copy|Store|Load|bytePtr|move)$|rawchild\.\(\*(slotBody|faultBody)\)\.Run$`,
		"github.com/mmtrace/mmtrace/internal/rawchild.",
		"github.com/mmtrace/mmtrace/internal/rawchild.child")
}
