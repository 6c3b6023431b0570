// Command gotestsummary reads the output of `go test -json` (and anything
// else the go command printed, such as build errors) on standard input, for
// internal/tools/test-matrix.sh, which runs the acceptance tests once per
// Terraform or OpenTofu CLI, and internal/tools/testacc-live.sh, which runs
// them against the real service. It
//
//   - copies the input unchanged to -json and the test output as `go test -v`
//     prints it to -log;
//   - prints a line for each top-level test as it finishes;
//   - at the end prints every failed test with the tail of its output, the
//     tests that never finished (a panic or a timeout ends the test binary
//     without a result for them), and the tail of the package's own output
//     when the run failed outside any test (a build failure);
//   - writes "passed skipped failed unfinished" to -counts: the number of
//     top-level tests that passed, were skipped, failed, and never finished.
//     Subtests are not counted: a test fails when any of its subtests fails;
//   - writes the names of the failed and unfinished tests, subtests
//     included, one a line, to -failed.
//
// Only the go command decides whether the run failed; the shell script
// combines its exit status with these counts.
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
)

// event is one line of `go test -json` (see `go doc test2json`). Build
// output (Go 1.24 and later) has ImportPath instead of Package and Test.
type event struct {
	Action  string
	Package string
	Test    string
	Elapsed float64
	Output  string
}

// tail keeps the last n lines written to it. After a panic (a timeout is
// one) it keeps the panic's first lines instead, which say what happened,
// and drops the goroutine dump that follows them.
type tail struct {
	n     int
	lines []string
	panic []string
	// capture counts the lines of the panic still to be kept.
	capture int
}

func (t *tail) add(s string) {
	if t.panic == nil && strings.HasPrefix(s, "panic: ") {
		t.capture = 6
	}
	if t.panic != nil || t.capture > 0 {
		if t.capture > 0 {
			t.panic = append(t.panic, s)
			t.capture--
		}
		return
	}
	t.lines = append(t.lines, s)
	if len(t.lines) > 2*t.n {
		t.lines = append(t.lines[:0], t.lines[len(t.lines)-t.n:]...)
	}
}

func (t *tail) last() []string {
	if len(t.lines) > t.n {
		return t.lines[len(t.lines)-t.n:]
	}
	return t.lines
}

type summary struct {
	tailLines int
	order     []string          // tests in the order they started
	result    map[string]string // test name -> "run", "pass", "fail" or "skip"
	output    map[string]*tail  // test name -> its output; "" is the package's
	pkgFailed bool
	progress  io.Writer
}

func newSummary(tailLines int, progress io.Writer) *summary {
	return &summary{
		tailLines: tailLines,
		result:    map[string]string{},
		output:    map[string]*tail{"": {n: tailLines}},
		progress:  progress,
	}
}

func (s *summary) out(test, text string) {
	t, ok := s.output[test]
	if !ok {
		t = &tail{n: s.tailLines}
		s.output[test] = t
	}
	t.add(text)
}

func (s *summary) handle(e event) {
	switch e.Action {
	case "run":
		if _, seen := s.result[e.Test]; !seen {
			s.order = append(s.order, e.Test)
		}
		s.result[e.Test] = "run"
	case "output", "build-output":
		s.out(e.Test, e.Output)
	case "pass", "fail", "skip":
		if e.Test == "" {
			if e.Action == "fail" {
				s.pkgFailed = true
			}
			return
		}
		if _, seen := s.result[e.Test]; !seen {
			s.order = append(s.order, e.Test)
		}
		s.result[e.Test] = e.Action
		if !strings.Contains(e.Test, "/") {
			fmt.Fprintf(s.progress, "    %-4s  %s (%.1fs)\n", strings.ToUpper(e.Action), e.Test, e.Elapsed)
		}
	case "build-fail":
		s.pkgFailed = true
	}
}

// counts returns the top-level tests that passed, were skipped, failed,
// and never finished.
func (s *summary) counts() (passed, skipped, failed, unfinished int) {
	for _, name := range s.order {
		if strings.Contains(name, "/") {
			continue
		}
		switch s.result[name] {
		case "pass":
			passed++
		case "skip":
			skipped++
		case "fail":
			failed++
		default:
			unfinished++
		}
	}
	return passed, skipped, failed, unfinished
}

// report prints the failed and unfinished tests, each with the tail of its
// own output (a failed subtest and its failed parent both appear).
func (s *summary) report(w io.Writer) {
	anyBad, anyUnfinished := false, false
	for _, name := range s.order {
		state := map[string]string{"fail": "FAIL", "run": "DID NOT FINISH"}[s.result[name]]
		if state == "" {
			continue
		}
		anyBad = true
		anyUnfinished = anyUnfinished || s.result[name] == "run"
		fmt.Fprintf(w, "--- %s: %s; the end of its output:\n", state, name)
		if t := s.output[name]; t != nil {
			printTail(w, t)
		}
	}
	if s.pkgFailed && (!anyBad || anyUnfinished) {
		fmt.Fprintln(w, "--- the package failed outside any test; the end of its output:")
		printTail(w, s.output[""])
	}
}

func printTail(w io.Writer, t *tail) {
	for _, l := range append(t.last(), t.panic...) {
		fmt.Fprintf(w, "    | %s\n", strings.TrimSuffix(l, "\n"))
	}
	if len(t.panic) > 0 {
		fmt.Fprintln(w, "    | ... (the goroutine dump is in the log)")
	}
}

// failed returns the names of the failed and the unfinished tests, the
// latter marked as such.
func (s *summary) failed() []string {
	var names []string
	for _, name := range s.order {
		switch s.result[name] {
		case "fail":
			names = append(names, name)
		case "run":
			names = append(names, name+" (did not finish)")
		}
	}
	return names
}

func run() error {
	jsonPath := flag.String("json", "", "copy the input to this file")
	logPath := flag.String("log", "", "write the test output, as go test -v prints it, to this file")
	countsPath := flag.String("counts", "", `write "passed skipped failed unfinished" (top-level tests) to this file`)
	failedPath := flag.String("failed", "", "write the names of the failed tests, one a line, to this file")
	tailLines := flag.Int("tail", 40, "lines of output to show for each failed test")
	flag.Parse()
	if flag.NArg() != 0 || *countsPath == "" {
		flag.Usage()
		return fmt.Errorf("usage: go test -json ... 2>&1 | gotestsummary -counts FILE [-failed FILE] [-json FILE] [-log FILE] [-tail N]")
	}

	// Unbuffered, so that the log can be followed while the tests run.
	raw, text := io.Discard, io.Discard
	var files []*os.File
	for _, f := range []struct {
		path string
		w    *io.Writer
	}{{*jsonPath, &raw}, {*logPath, &text}} {
		if f.path == "" {
			continue
		}
		file, err := os.Create(f.path)
		if err != nil {
			return err
		}
		defer file.Close() // after the explicit Close below, a no-op
		files = append(files, file)
		*f.w = file
	}

	s := newSummary(*tailLines, os.Stdout)
	in := bufio.NewReader(os.Stdin)
	for {
		line, err := in.ReadString('\n')
		if line != "" {
			if _, werr := io.WriteString(raw, line); werr != nil {
				return werr
			}
			var e event
			if strings.HasPrefix(line, "{") && json.Unmarshal([]byte(line), &e) == nil && e.Action != "" {
				s.handle(e)
				if e.Action == "output" || e.Action == "build-output" {
					if _, werr := io.WriteString(text, e.Output); werr != nil {
						return werr
					}
				}
			} else {
				// Not test2json: the go command's own messages.
				s.out("", line)
				if _, werr := io.WriteString(text, line); werr != nil {
					return werr
				}
			}
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
	}

	for _, f := range files {
		if err := f.Close(); err != nil {
			return err
		}
	}
	s.report(os.Stdout)
	if *failedPath != "" {
		var b strings.Builder
		for _, name := range s.failed() {
			b.WriteString(name + "\n")
		}
		if err := os.WriteFile(*failedPath, []byte(b.String()), 0o644); err != nil {
			return err
		}
	}
	p, sk, f, u := s.counts()
	return os.WriteFile(*countsPath, fmt.Appendf(nil, "%d %d %d %d\n", p, sk, f, u), 0o644)
}

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "gotestsummary:", err)
		os.Exit(1)
	}
}
