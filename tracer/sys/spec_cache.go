package sys

import "sync/atomic"

// specs keeps the spec of each call, by ABI and number, once newSpec has
// built it: a run shows a few dozen distinct calls, so building each on its
// first use costs a run a few dozen small allocations instead of the whole
// table's at every start. The arrays are zero until used, and an entry is
// written once (concurrent first uses agree on one spec).
var (
	specsAMD64 [len(sysnamesAMD64)]atomic.Pointer[spec]
	specsARM64 [len(sysnamesARM64)]atomic.Pointer[spec]
	specs      = [...][]atomic.Pointer[spec]{
		AMD64: specsAMD64[:],
		ARM64: specsARM64[:],
	}
)

// noSpec marks, in specs, a call with no decoder.
var noSpec spec

// lookup returns the spec of the call called name, number nr of arch, or
// nil for a call with no decoder. A name that is not nr's (a Call made by
// hand, with only its name) is looked up by name.
func lookup(arch Arch, nr int, name string) *spec {
	if int(arch) >= len(specs) || uint(nr) >= uint(len(specs[arch])) || sysnames[arch][nr] != name {
		return lookupName(arch, name)
	}
	p := &specs[arch][nr]
	sp := p.Load()
	if sp == nil {
		if sp = newSpec(name); sp == nil {
			sp = &noSpec
		}
		if !p.CompareAndSwap(nil, sp) {
			sp = p.Load()
		}
	}
	if sp == &noSpec {
		return nil
	}
	return sp
}

// lookupName returns the spec of the call called name, looked up on arch,
// then on either ABI; a name of neither (no call, then) is built afresh.
func lookupName(arch Arch, name string) *spec {
	for _, a := range [...]Arch{arch, AMD64, ARM64} {
		if nr, ok := Number(a, name); ok {
			return lookup(a, nr, name)
		}
	}
	return newSpec(name)
}
