package lazy

import (
	"sync"
	"testing"
)

var (
	builds int
	value  = Of(func() []int { builds++; return []int{1, 2, 3} })
)

// TestValue: the function runs once, on the first Get, however many
// goroutines ask at once, and a Get after it allocates nothing.
func TestValue(t *testing.T) {
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
