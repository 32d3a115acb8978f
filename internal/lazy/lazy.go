// Package lazy holds values built on their first use rather than when the
// program starts: the tables, maps and regular expressions that only some
// runs of mmtrace need.
//
// Every package's init runs at each start of mmtrace, and a map literal,
// a compiled regexp or a table built by a function at package level is
// built there, whether the run needs it or not. sync.OnceValue would defer
// the work but allocates its closures at init; a Value made by Of from a
// function literal is static data, built by the compiler, so declaring one
// costs the start nothing.
package lazy

import "sync"

// Value is a T built by its function on the first Get. The zero Value is
// not usable; make one with Of, in a package-level var, and do not copy it.
type Value[T any] struct {
	once sync.Once
	f    func() T
	v    T
}

// Of returns a Value built by f on its first Get.
func Of[T any](f func() T) Value[T] { return Value[T]{f: f} }

// Get returns the value, building it first if no Get has. Concurrent
// first Gets wait for the one that builds it.
func (l *Value[T]) Get() T {
	l.once.Do(l.build)
	return l.v
}

func (l *Value[T]) build() { l.v = l.f() }
