package scenarios_test

import (
	"bytes"
	"crypto/sha256"
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// TestCopySampleCache: with no SRC, the 64 MiB sample is made once in the
// cache directory and copied from there; it is made again only when it
// is missing, cut short or not what its checksum says.
func TestCopySampleCache(t *testing.T) {
	if testing.Short() {
		t.Skip("makes the 64 MiB sample three times")
	}
	cache := t.TempDir()
	sample := filepath.Join(cache, "sample-64MiB.bin")
	inode := func() uint64 {
		t.Helper()
		st, err := os.Stat(sample)
		if err != nil {
			t.Fatal(err)
		}
		return st.Sys().(*syscall.Stat_t).Ino
	}
	plan := func() {
		t.Helper()
		p, out, _, err := planCopyCache(t, cache)
		if err != nil {
			t.Fatal(err)
		}
		if out.Len() != 0 {
			t.Errorf("plan said %q", out)
		}
		p.Cleanup()
	}

	// The first run makes it, and copies it.
	p, out, dir, err := planCopyCache(t, cache)
	if err != nil {
		t.Fatal(err)
	}
	o := tracePlan(t, p, out, dir, nil)
	if o.after != nil {
		t.Fatal(o.after)
	}
	b, err := os.ReadFile(sample)
	if err != nil {
		t.Fatal(err)
	}
	if len(b) != 64<<20 {
		t.Fatalf("sample of %d bytes", len(b))
	}
	sameBytes(t, filepath.Join(dir, "copy.bin"), b)
	sum := sha256.Sum256(b)
	first := inode()
	onlyFiles(t, cache, "sample-64MiB.bin", "sample-64MiB.bin.sum", "sample.lock")

	st, _ := os.Stat(sample)
	plan()
	if st2, _ := os.Stat(sample); inode() != first || !st2.ModTime().Equal(st.ModTime()) {
		t.Fatal("a good sample was made again")
	}

	for _, spoil := range []struct {
		name string
		do   func() error
	}{
		{"one byte changed", func() error {
			f, err := os.OpenFile(sample, os.O_WRONLY, 0)
			if err != nil {
				return err
			}
			defer f.Close()
			_, err = f.WriteAt([]byte{b[40<<20] ^ 1}, 40<<20)
			return err
		}},
		{"cut short", func() error { return os.Truncate(sample, 1<<20) }},
		{"checksum missing", func() error { return os.Remove(sample + ".sum") }},
		{"a temporary file left by a killed run", func() error {
			if err := os.WriteFile(sample+".tmp123", []byte("half"), 0o644); err != nil {
				return err
			}
			return os.Remove(sample)
		}},
	} {
		t.Run(spoil.name, func(t *testing.T) {
			if err := spoil.do(); err != nil {
				t.Fatal(err)
			}
			plan()
			// Made again: whole and right (it was not), its checksum
			// beside it, nothing else left.
			got, err := os.ReadFile(sample)
			if err != nil {
				t.Fatal(err)
			}
			if sha256.Sum256(got) != sum || !bytes.Equal(got[:64], b[:64]) {
				t.Error("the sample made again differs from the first")
			}
			onlyFiles(t, cache, "sample-64MiB.bin", "sample-64MiB.bin.sum", "sample.lock")
		})
	}
}

// TestCopySampleNoCache: a cache directory that cannot be made is not an
// error: the sample is made in the run's directory, with a note.
func TestCopySampleNoCache(t *testing.T) {
	if testing.Short() {
		t.Skip("makes the 64 MiB sample")
	}
	file := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	p, out, dir, err := planCopyCache(t, filepath.Join(file, "mmtrace"))
	if err != nil {
		t.Fatal(err)
	}
	defer p.Cleanup()
	if want := "note: cannot keep the sample in " + filepath.Join(file, "mmtrace"); !bytes.HasPrefix(out.Bytes(), []byte(want)) {
		t.Errorf("plan said %q, want %q", out, want)
	}
	if st, err := os.Stat(filepath.Join(dir, "sample.bin")); err != nil || st.Size() != 64<<20 {
		t.Errorf("no sample in the run's directory: %v", err)
	}
}
