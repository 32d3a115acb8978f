package main

import (
	"errors"
	"path"
	"regexp"
	"strings"
	"testing"
	"unicode"

	"github.com/mmtrace/mmtrace/tracer/explain"
	"github.com/mmtrace/mmtrace/tracer/filter"
)

// TestFilterMessages: each kind of filter.Error has a message whose
// English, with the error's words, is the error's own text word for word
// (under English mmtrace prints the error itself; the catalog must not
// drift from it), and whose Chinese is Chinese.
func TestFilterMessages(t *testing.T) {
	_, reErr := regexp.Compile("[")
	samples := map[filter.Kind]*filter.Error{
		filter.EmptyExpr:         {Expr: "!"},
		filter.Personality32:     {Word: "open@32"},
		filter.BadPersonality:    {Word: "open@7", Item: "7"},
		filter.NotNumber:         {Word: "1x"},
		filter.NoSuchNumber:      {Word: "99999"},
		filter.BadRegexp:         {Word: "/[", Err: reErr},
		filter.RegexpMatchesNone: {Word: "/zzz"},
		filter.UnknownClass:      {Word: "%memroy", Suggest: "%memory"},
		filter.UnknownCall:       {Word: "mmapp", Suggest: "mmap"},
		filter.Unsupported:       {Word: "s", Item: "signal"},
		filter.EmptySet:          {},
		filter.EmptyItem:         {Expr: "exit,,"},
		filter.NoSignalNumber:    {Expr: "99", Word: "99", Max: 64},
		filter.NotSignal:         {Expr: "x", Word: "x"},
		filter.NotStatus:         {Expr: "x", Word: "x"},
		filter.NoStatus:          {Expr: "none"},
		filter.NotQuiet:          {Expr: "x", Word: "x"},
		filter.EmptyPath:         {},
		filter.RelativePattern:   {Word: "a*"},
		filter.BadPattern:        {Word: "/[", Err: path.ErrBadPattern},
	}
	if len(samples) != len(filterIDs) {
		t.Errorf("%d kinds have a message, %d a sample here", len(filterIDs), len(samples))
	}
	for kind, fe := range samples {
		fe.Kind = kind
		if _, ok := filterIDs[kind]; !ok {
			t.Errorf("%v: no message", fe)
			continue
		}
		if got := filterText(explain.EN, fe); got != fe.Error() {
			t.Errorf("English:\n got %s\nwant %s", got, fe.Error())
		}
		zh := filterText(explain.ZH, fe)
		if !strings.ContainsFunc(zh, func(r rune) bool { return unicode.Is(unicode.Han, r) }) {
			t.Errorf("%v: Chinese %q", fe, zh)
		}
		if got := filterError(explain.ZH, errors.Join(fe)); got != zh {
			t.Errorf("filterError of a wrapped error: %q, want %q", got, zh)
		}
	}
}
