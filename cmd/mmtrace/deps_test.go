package main

import (
	"os/exec"
	"strings"
	"testing"
)

// TestNoHeavyDeps: mmtrace does not link net/http and the TLS stack it
// brings. Every linked package's initialisation runs at each start, and
// they and their neighbours in the binary stay resident: with them,
// mmtrace's peak RSS was about 1.5 MB higher (issue 15 item 6). The live
// page (--serve) is served by tracer/html's own small HTTP server. Nor
// does it link crypto (the FIPS module's packages, with their init:
// crypto/sha256 named a long copy's staging directory, FNV does now) or
// encoding/xml (its init built tables for svg's one escaping function).
func TestNoHeavyDeps(t *testing.T) {
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("no go tool")
	}
	out, err := exec.Command("go", "list", "-deps", ".").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	for _, dep := range strings.Fields(string(out)) {
		switch {
		case dep == "net/http", dep == "encoding/xml",
			dep == "crypto", strings.HasPrefix(dep, "crypto/"):
			t.Errorf("mmtrace links %s", dep)
		}
	}
}
