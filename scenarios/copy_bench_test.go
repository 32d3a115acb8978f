package scenarios_test

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"testing"
	"time"
)

var copyBenchMiB = flag.Int("copy-mib", 1024, "size in MiB of the file BenchmarkCopyVsCp copies")

// BenchmarkCopyVsCp copies one file, its page cache warm, with cp and with
// `mmtrace copy -n 5` (the built binary, traced, timeline to /dev/null),
// alternating which goes first, and reports both medians and their ratio.
// Each iteration is one copy by each; run it with a fixed count:
//
//	go test ./scenarios/ -run '^$' -bench CopyVsCp -benchtime 10x
func BenchmarkCopyVsCp(b *testing.B) {
	if testing.Short() {
		b.Skip("copies a 1 GiB file")
	}
	cpPath, err := exec.LookPath("cp")
	if err != nil {
		b.Skip("no cp")
	}
	dir := b.TempDir()
	mmtrace := filepath.Join(dir, "mmtrace")
	if out, err := exec.Command("go", "build", "-o", mmtrace, "github.com/mmtrace/mmtrace/cmd/mmtrace").CombinedOutput(); err != nil {
		b.Fatalf("go build: %v\n%s", err, out)
	}
	size := int64(*copyBenchMiB) << 20
	src := filepath.Join(dir, "src.bin")
	f, err := os.Create(src)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := io.CopyN(f, rand.NewChaCha8([32]byte{'b', 'e', 'n', 'c', 'h'}), size); err != nil {
		b.Fatal(err)
	}
	if err := f.Close(); err != nil {
		b.Fatal(err)
	}
	warm(b, src) // the page cache holds SRC for both

	cpDst, mmDst := filepath.Join(dir, "cp.bin"), filepath.Join(dir, "mm.bin")
	runCp := func() time.Duration {
		os.Remove(cpDst)
		start := time.Now()
		if out, err := exec.Command(cpPath, src, cpDst).CombinedOutput(); err != nil {
			b.Fatalf("cp: %v\n%s", err, out)
		}
		return time.Since(start)
	}
	runMmtrace := func() time.Duration {
		os.Remove(mmDst)
		var stderr bytes.Buffer
		cmd := exec.Command(mmtrace, "copy", src, mmDst, "-n", "5", "-o", "/dev/null")
		cmd.Stderr = &stderr
		start := time.Now()
		if err := cmd.Run(); err != nil {
			b.Fatalf("mmtrace copy: %v\n%s", err, stderr.Bytes())
		}
		return time.Since(start)
	}

	b.Run(fmt.Sprintf("%dMiB", *copyBenchMiB), func(b *testing.B) {
		var cps, mms []time.Duration
		for i := 0; i < b.N; i++ {
			if i%2 == 0 {
				cps = append(cps, runCp())
				mms = append(mms, runMmtrace())
			} else {
				mms = append(mms, runMmtrace())
				cps = append(cps, runCp())
			}
			if i == 0 {
				b.StopTimer()
				sameFiles(b, src, mmDst)
				b.StartTimer()
			}
		}
		b.StopTimer()
		cpMed, mmMed := median(cps), median(mms)
		b.ReportMetric(float64(cpMed.Microseconds())/1e3, "cp-ms")
		b.ReportMetric(float64(mmMed.Microseconds())/1e3, "mmtrace-ms")
		b.ReportMetric(float64(mmMed)/float64(cpMed), "ratio")
		b.Logf("%d rounds: cp median %v (best %v), mmtrace copy -n 5 median %v (best %v): ratio %.2f (best to best %.2f)",
			b.N, cpMed, slices.Min(cps), mmMed, slices.Min(mms), float64(mmMed)/float64(cpMed), float64(slices.Min(mms))/float64(slices.Min(cps)))
		os.Remove(cpDst)
		os.Remove(mmDst)
	})
}

func warm(b *testing.B, path string) {
	f, err := os.Open(path)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	if _, err := io.Copy(io.Discard, f); err != nil {
		b.Fatal(err)
	}
}

// sameFiles compares two files a block at a time.
func sameFiles(b *testing.B, x, y string) {
	fx, err := os.Open(x)
	if err != nil {
		b.Fatal(err)
	}
	defer fx.Close()
	fy, err := os.Open(y)
	if err != nil {
		b.Fatal(err)
	}
	defer fy.Close()
	bx, by := make([]byte, 1<<20), make([]byte, 1<<20)
	for off := int64(0); ; off += int64(len(bx)) {
		nx, ex := io.ReadFull(fx, bx)
		ny, ey := io.ReadFull(fy, by)
		if nx != ny || !bytes.Equal(bx[:nx], by[:ny]) {
			b.Fatalf("%s differs from %s in the MiB at %d", y, x, off)
		}
		if ex != nil || ey != nil {
			if ex != ey {
				b.Fatalf("%s and %s differ in length", x, y)
			}
			return
		}
	}
}

func median(d []time.Duration) time.Duration {
	s := slices.Clone(d)
	slices.Sort(s)
	return s[len(s)/2]
}
