package scenarios

import (
	"bufio"
	"fmt"
	"hash/crc32"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"

	"github.com/mmtrace/mmtrace/internal/lazy"
	"golang.org/x/sys/unix"
)

// copy's generated sample (no SRC given) is the same 64 MiB every run, so
// it is made once into the cache directory and reused. Beside it, a
// checksum file says what it must hold; a sample whose size or checksum is
// wrong (cut short, edited, a disk error) is made again. Checking reads
// the 64 MiB once, from the page cache on a second run: 14-51 ms measured
// on a loaded 2-core machine, where making it took 165 ms and writes
// 64 MiB that the disk must then take.

// sampleFile is the sample's name in the cache directory.
const sampleFile = "sample-64MiB.bin"

// sampleSumHeader starts the checksum file; a file made by another
// version of the generator has another header and is made again.
const sampleSumHeader = "mmtrace copy sample v1 chacha8 crc32c"

// castagnoli is made on first use: only the sample copy needs it.
var castagnoli = lazy.Of(func() *crc32.Table { return crc32.MakeTable(crc32.Castagnoli) })

// sampleSeed seeds the generator: the same bytes every run, every machine.
var sampleSeed = [32]byte{'m', 'm', 't', 'r', 'a', 'c', 'e'}

// cachedSample returns the path of the sample in dir, making it (or
// making it again) when it is missing or wrong. Runs that find it missing
// at the same time make it one after the other, under a lock.
func cachedSample(dir string, size int64) (string, error) {
	path := filepath.Join(dir, sampleFile)
	if sampleValid(path, size) {
		return path, nil
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	lock, err := os.OpenFile(filepath.Join(dir, "sample.lock"), os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return "", err
	}
	defer lock.Close()
	if err := unix.Flock(int(lock.Fd()), unix.LOCK_EX); err != nil {
		return "", os.NewSyscallError("flock", err)
	}
	if sampleValid(path, size) {
		return path, nil // made by the run that held the lock
	}
	// No other run is making it (the lock is ours): temporary files here
	// are left by a run that died.
	if old, _ := filepath.Glob(filepath.Join(dir, sampleFile+"*.tmp*")); len(old) > 0 {
		for _, f := range old {
			os.Remove(f)
		}
	}
	sum, err := writeFileAtomic(path, func(w io.Writer) error {
		_, err := io.CopyN(w, rand.NewChaCha8(sampleSeed), size)
		return err
	})
	if err != nil {
		return "", err
	}
	line := fmt.Sprintf("%s %08x %d\n", sampleSumHeader, sum, size)
	if _, err := writeFileAtomic(path+".sum", func(w io.Writer) error {
		_, err := io.WriteString(w, line)
		return err
	}); err != nil {
		return "", err
	}
	return path, nil
}

// sampleValid reports whether path holds size bytes whose checksum is the
// one its .sum file records.
func sampleValid(path string, size int64) bool {
	want, err := os.ReadFile(path + ".sum")
	if err != nil {
		return false
	}
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil || !st.Mode().IsRegular() || st.Size() != size {
		return false
	}
	h := crc32.New(castagnoli.Get())
	n, err := io.Copy(h, bufio.NewReaderSize(f, 1<<20))
	if err != nil || n != size {
		return false
	}
	return strings.TrimSpace(string(want)) == fmt.Sprintf("%s %08x %d", sampleSumHeader, h.Sum32(), size)
}

// writeFileAtomic writes path through fill, to a temporary name in its
// directory renamed over path once complete, and returns the CRC-32C of
// what was written.
func writeFileAtomic(path string, fill func(io.Writer) error) (sum uint32, err error) {
	f, err := os.CreateTemp(filepath.Dir(path), filepath.Base(path)+".tmp*")
	if err != nil {
		return 0, err
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	if err := f.Chmod(0o644); err != nil {
		return 0, err
	}
	h := crc32.New(castagnoli.Get())
	w := bufio.NewWriterSize(io.MultiWriter(f, h), 1<<20)
	if err := fill(w); err != nil {
		return 0, err
	}
	if err := w.Flush(); err != nil {
		return 0, err
	}
	if err := f.Close(); err != nil {
		return 0, err
	}
	if err := os.Rename(f.Name(), path); err != nil {
		return 0, err
	}
	return h.Sum32(), nil
}

// writeSample writes size pseudo-random bytes to path, for a run without
// a cache directory: a stream that never repeats, so a part copied to the
// wrong place shows.
func writeSample(path string, size int64) error {
	_, err := writeFileAtomic(path, func(w io.Writer) error {
		_, err := io.CopyN(w, rand.NewChaCha8(sampleSeed), size)
		return err
	})
	return err
}
