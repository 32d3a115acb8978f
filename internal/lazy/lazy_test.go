package lazy

import (
	"sync"
	"testing"
)

var (
	initBuilds int
	// atInit is declared as mmtrace's tables are, and never read.
	atInit = Of(func() []int { initBuilds++; return nil })
)

// TestNotBuiltAtInit: a Value declared at package level costs the start
// nothing: its function has not run.
func TestNotBuiltAtInit(t *testing.T) {
	if initBuilds != 0 {
		t.Fatalf("built %d times at init", initBuilds)
	}
	_ = &atInit
}

// TestValue: the function runs once, on the first Get, however many
// goroutines ask at once, and a Get after it allocates nothing. The Value
// is the test's own, so that the test holds when run again (-count).
func TestValue(t *testing.T) {
	builds := 0
	value := Of(func() []int { builds++; return []int{1, 2, 3} })
	if builds != 0 {
		t.Fatalf("built %d times before any Get", builds)
	}
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			if v := value.Get(); len(v) != 3 {
				t.Errorf("Get = %v", v)
			}
		})
	}
	wg.Wait()
	if builds != 1 {
		t.Errorf("built %d times", builds)
	}
	if n := testing.AllocsPerRun(100, func() { value.Get() }); n != 0 {
		t.Errorf("Get allocates %v times", n)
	}
}
