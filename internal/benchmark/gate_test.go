// Tests of the gate: which targets fail a run, the call-count targets
// built from measured figures, and that the short mode, which CI runs
// through make bench-short, enforces them.
package main

import (
	"bytes"
	"math"
	"os"
	"strings"
	"testing"
)

func TestVerdict(t *testing.T) {
	pass := target{name: "API calls per created configuration, N=20", want: "<= 2.20", value: "2.05", pass: true, gated: true}
	missed := target{name: "API calls per updated configuration, N=20", want: "<= 2.10", value: "3.100", gated: true}
	slow := target{name: "no-op plan N=1, time", want: "<= 1.1x floor", value: "1.70x"}
	skipped := target{name: "rate-limited apply: calls rejected", want: "0", skip: true, gated: true}
	for _, tc := range []struct {
		name     string
		targets  []target
		gate     bool
		wantCode int
		wantOut  []string
	}{
		{"every target met", []target{pass}, true, exitOK, nil},
		{"a gated target missed", []target{pass, missed, slow}, true, exitGate,
			[]string{"GATE FAILED: API calls per updated configuration, N=20 = 3.100, target <= 2.10"}},
		{"a gated target missed, gate off", []target{pass, missed}, false, exitOK, []string{"1 gated target(s) missed"}},
		{"a timing ratio missed", []target{pass, slow}, true, exitOK, nil},
		{"a gated target skipped", []target{pass, skipped}, true, exitOK, nil},
		{"no targets", nil, true, exitOK, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var out bytes.Buffer
			if got := verdict(&out, tc.targets, tc.gate); got != tc.wantCode {
				t.Errorf("exit code %d, want %d; output:\n%s", got, tc.wantCode, out.String())
			}
			for _, w := range tc.wantOut {
				if !strings.Contains(out.String(), w) {
					t.Errorf("output does not say %q:\n%s", w, out.String())
				}
			}
			if tc.wantOut == nil && out.Len() > 0 {
				t.Errorf("unexpected output:\n%s", out.String())
			}
		})
	}
}

func TestPerConfigLimit(t *testing.T) {
	for _, tc := range []struct {
		n, domains, fixed int
		want              float64
	}{
		{20, 2, fixedCreateDescribes, 2.2},
		{20, 2, fixedUpdateDescribes, 2.1},
		{1, 1, fixedCreateDescribes, 4},
		{1, 1, fixedUpdateDescribes, 3},
		{steadyStateN, 2, fixedCreateDescribes, 2},
		{500, 2, fixedUpdateDescribes, 2},
	} {
		if got, _ := perConfigLimit(tc.n, tc.domains, tc.fixed); math.Abs(got-tc.want) > 1e-9 {
			t.Errorf("perConfigLimit(%d, %d, %d) = %v, want %v", tc.n, tc.domains, tc.fixed, got, tc.want)
		}
	}
}

// TestCallTargetsGate feeds figures into the call-count targets and the
// gate, as a run does: the figures of the short mode as measured pass, and
// each kind of regression fails the run.
func TestCallTargetsGate(t *testing.T) {
	short := func() []callFigures {
		return []callFigures{
			{n: 1, domains: 1, perCreated: 4, perUpdated: 3, planNewDescribes: 1, refreshDescribes: 1},
			{n: 20, domains: 2, perCreated: 2.05, perUpdated: 2.1, planNewDescribes: 2, refreshDescribes: 2},
		}
	}
	full := func() []callFigures {
		return []callFigures{
			{n: 1, domains: 1, perCreated: 4, perUpdated: 3, planNewDescribes: 1, refreshDescribes: 1},
			{n: 100, domains: 2, perCreated: 1.99, perUpdated: 1.97, planNewDescribes: 2, refreshDescribes: 2},
			{n: 500, domains: 2, perCreated: 1.974, perUpdated: 1.97, planNewDescribes: 2, refreshDescribes: 2},
		}
	}
	for _, tc := range []struct {
		name    string
		figures []callFigures
		change  func(fs []callFigures)
		missed  string // the figure the gate names; "" when the run passes
	}{
		{"short mode as measured", short(), nil, ""},
		{"full run as measured", full(), nil, ""},
		{"short: an extra call per created configuration", short(), func(fs []callFigures) { fs[1].perCreated = 3.05 },
			"API calls per created configuration, N=20"},
		{"short: an extra call per updated configuration", short(), func(fs []callFigures) { fs[1].perUpdated = 3.1 },
			"API calls per updated configuration, N=20"},
		{"full: more than 2 calls per created configuration at the largest N", full(), func(fs []callFigures) { fs[2].perCreated = 2.01 },
			"API calls per created configuration, N=500"},
		{"a Describe per configuration in a plan", short(), func(fs []callFigures) { fs[1].planNewDescribes = 20 },
			"plan of N new configurations"},
		{"a write in a plan", short(), func(fs []callFigures) { fs[0].planNewWrites = 1 },
			"plan of N new configurations"},
		{"a Describe per configuration in a refresh", full(), func(fs []callFigures) { fs[1].refreshDescribes = 100 },
			"no-op plan: Describe calls per refresh"},
		{"N=1 is shown, not judged", short(), func(fs []callFigures) { fs[0].perCreated = 9 }, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.change != nil {
				tc.change(tc.figures)
			}
			var out bytes.Buffer
			code := verdict(&out, callTargets(tc.figures), true)
			switch {
			case tc.missed == "" && code != exitOK:
				t.Errorf("exit code %d, want %d:\n%s", code, exitOK, out.String())
			case tc.missed != "" && code != exitGate:
				t.Errorf("exit code %d, want %d (the gate must fail the run):\n%s", code, exitGate, out.String())
			case tc.missed != "" && !strings.Contains(out.String(), "GATE FAILED: "+tc.missed):
				t.Errorf("the gate does not name %q:\n%s", tc.missed, out.String())
			}
		})
	}
}

func TestShortModeGates(t *testing.T) {
	for _, tc := range []struct {
		args []string
		gate bool
	}{
		{nil, false},
		{[]string{"-gate"}, true},
		{[]string{"-short"}, true},
		{[]string{"-short", "-gate=false"}, false},
	} {
		o, err := parseOptions(tc.args)
		if err != nil {
			t.Fatalf("%q: %v", tc.args, err)
		}
		if o.gate != tc.gate {
			t.Errorf("%q: gate %t, want %t", tc.args, o.gate, tc.gate)
		}
	}
}

// TestBenchShortGates checks that make bench-short, which CI runs, runs the
// benchmark with the gate on.
func TestBenchShortGates(t *testing.T) {
	data, err := os.ReadFile("../../GNUmakefile")
	if err != nil {
		t.Fatal(err)
	}
	_, recipe, found := strings.Cut(string(data), "\nbench-short:\n")
	if !found {
		t.Fatal("GNUmakefile has no bench-short target")
	}
	recipe, _, _ = strings.Cut(recipe, "\n\n")
	var args []string
	for _, line := range strings.Split(recipe, "\n") {
		if f := strings.Fields(line); len(f) > 2 && f[0] == "go" && f[1] == "run" && f[2] == "./internal/benchmark" {
			args = f[3:]
		}
	}
	if args == nil {
		t.Fatalf("bench-short does not run go run ./internal/benchmark:\n%s", recipe)
	}
	o, err := parseOptions(args)
	if err != nil {
		t.Fatalf("bench-short's arguments %q: %v", args, err)
	}
	if !o.gate {
		t.Errorf("bench-short runs the benchmark with %q: the gate is off", args)
	}
}
