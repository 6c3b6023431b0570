// Command benchmark measures the provider end to end with the Terraform CLI
// against the mock Live API, and compares it with two floors:
//
//   - the floor provider (./floorprovider): the same framework, type name and
//     schema, CRUD that copies plan to state and calls nothing;
//   - terraform_data: the same attribute objects in Terraform core's builtin
//     resource, with no plugin process at all.
//
// For each N it runs, -runs times, a plan of N configurations that do not
// exist yet, terraform apply, a no-op plan (which must report no changes),
// an update of every configuration's origins (terraform apply again, which
// must change all N in place) and terraform destroy. It reports the median
// wall time, the ratios to both floors, the API calls per configuration by
// action and the provider process's peak memory. Further scenarios: a no-op
// plan of many configurations of one domain (Describe calls), a plan with
// API latency, and an apply under a scaled-down rate limit. It ends with the
// targets, marked PASS, FAIL or SKIP (not measurable at the sizes run), and
// extra figures that separate the provider's own cost from Terraform
// core's.
//
// Targets are of two sorts. Counts of API calls (per created and per
// updated configuration, Describe calls per plan and per refresh, calls
// rejected under the rate limit) do not depend on how busy the machine is;
// they are marked "gate". Ratios of wall times do, and are only reported.
//
// Run it from the repository root: go run ./internal/benchmark [-short]
// [-gate]. It exits 1 when anything failed to run (a terraform error, a
// plan that is not empty after apply, configurations left after destroy),
// 2 on a usage error, 3 when -gate is on (the default with -short) and a
// gated target is missed, naming each such figure, its value and its
// target, and 0 otherwise, whatever the timing ratios.
package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"sort"
	"strconv"
	"strings"
	"time"
)

type kind string

const (
	kindReal  kind = "provider"
	kindFloor kind = "floor"
	kindData  kind = "tf_data"
)

var kinds = []kind{kindReal, kindFloor, kindData}

type phase string

const (
	phasePlanNew phase = "plan-new" // plan of n configurations that do not exist yet
	phaseApply   phase = "apply"
	phasePlan    phase = "plan" // no-op plan after apply
	phaseUpdate  phase = "update"
	phaseDestroy phase = "destroy"
)

// matrixPhases are the phases of the matrix, in the order each cycle runs
// them.
var matrixPhases = []phase{phasePlanNew, phaseApply, phasePlan, phaseUpdate, phaseDestroy}

// Exit codes.
const (
	exitOK     = 0
	exitFailed = 1 // something did not run as it should
	exitUsage  = 2
	exitGate   = 3 // with -gate: a deterministic target was missed
)

type options struct {
	short       bool
	gate        bool
	runs        int
	parallelism int
	ns          []int
	latency     time.Duration
	rateN       int
	rateLimit   int
	rateWindow  time.Duration
	oneDomainN  int
	terraform   string
	scenarios   map[string]bool
	keep        bool
	tfLog       bool
	cpuProfile  string
}

func main() {
	os.Exit(run(os.Args[1:]))
}

// parseOptions reads the command line and fills in the defaults.
func parseOptions(args []string) (options, error) {
	var o options
	var nsFlag, scenariosFlag string
	fs := flag.NewFlagSet("benchmark", flag.ContinueOnError)
	fs.BoolVar(&o.short, "short", false, "CI mode: N in {1,20}, 1 run, no latency scenario, a tiny rate-limit scenario; implies -gate")
	fs.BoolVar(&o.gate, "gate", false, "exit with code 3 when a deterministic target (a count of API calls or of rejected calls) is missed (default true with -short)")
	fs.IntVar(&o.runs, "runs", 0, "runs of each measurement; the median is reported (default 3, 1 with -short)")
	fs.IntVar(&o.parallelism, "parallelism", 10, "terraform -parallelism")
	fs.StringVar(&nsFlag, "n", "", "comma-separated numbers of configurations (default 1,100,500; 1,20 with -short)")
	fs.DurationVar(&o.latency, "latency", 30*time.Millisecond, "mock latency of the latency scenario (0 skips it)")
	fs.IntVar(&o.rateN, "rate-n", 0, "configurations applied in the rate-limit scenario (default 300, 20 with -short)")
	fs.IntVar(&o.rateLimit, "rate-limit", 0, "calls per window per action of the rate-limit scenario, for the mock and the provider (default 30, 10 with -short)")
	fs.DurationVar(&o.rateWindow, "rate-window", 0, "window of the rate-limit scenario (default 2s, 1s with -short)")
	fs.IntVar(&o.oneDomainN, "one-domain-n", 0, "configurations of the one-domain no-op plan scenario (default 500, 20 with -short)")
	fs.StringVar(&scenariosFlag, "scenarios", "matrix,1domain,latency,rate", "scenarios to run: matrix (plan of new configurations, apply, no-op plan, update, destroy per kind and N), 1domain, latency, rate")
	fs.StringVar(&o.terraform, "terraform", "", "Terraform CLI (default: what internal/tools/terraform.sh prints)")
	fs.BoolVar(&o.keep, "keep", false, "keep the work directory (configurations, states, terraform output)")
	fs.BoolVar(&o.tfLog, "tf-log", false, "run terraform with TF_LOG=trace, logs kept in the work directory (slows everything; implies -keep)")
	fs.StringVar(&o.cpuProfile, "cpuprofile", "", "write CPU profiles of the provider's processes into this directory (builds ./internal/benchmark/profprovider, the same provider with pprof)")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	if fs.NArg() > 0 {
		return o, fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	gateSet := false
	fs.Visit(func(f *flag.Flag) { gateSet = gateSet || f.Name == "gate" })
	if o.short && !gateSet {
		o.gate = true
	}
	def := func(v *int, full, short int) {
		if *v <= 0 {
			*v = full
			if o.short {
				*v = short
			}
		}
	}
	def(&o.runs, 3, 1)
	def(&o.rateN, 300, 20)
	def(&o.rateLimit, 30, 10)
	def(&o.oneDomainN, 500, 20)
	if o.rateWindow <= 0 {
		o.rateWindow = 2 * time.Second
		if o.short {
			o.rateWindow = time.Second
		}
	}
	if o.short {
		o.latency = 0
	}
	if o.tfLog {
		o.keep = true
	}
	o.ns = []int{1, 100, 500}
	if o.short {
		o.ns = []int{1, 20}
	}
	if nsFlag != "" {
		o.ns = nil
		for _, f := range strings.Split(nsFlag, ",") {
			n, err := strconv.Atoi(strings.TrimSpace(f))
			if err != nil || n < 1 {
				return o, fmt.Errorf("-n: %q is not a positive number", f)
			}
			o.ns = append(o.ns, n)
		}
		sort.Ints(o.ns)
	}

	o.scenarios = map[string]bool{}
	for _, f := range strings.Split(scenariosFlag, ",") {
		switch f = strings.TrimSpace(f); f {
		case "matrix", "1domain", "latency", "rate":
			o.scenarios[f] = true
		case "":
		default:
			return o, fmt.Errorf("-scenarios: unknown scenario %q", f)
		}
	}
	return o, nil
}

func run(args []string) int {
	o, err := parseOptions(args)
	if errors.Is(err, flag.ErrHelp) {
		return exitOK
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "benchmark: %v\n", err)
		return exitUsage
	}

	b := &bench{opts: o, results: map[key][]sample{}}
	defer b.cleanup()
	start := time.Now()
	ts, err := b.run()
	if err != nil {
		fmt.Fprintf(os.Stderr, "\nbenchmark: FAILED: %v\n", err)
		if b.work != "" && b.opts.keep {
			fmt.Fprintf(os.Stderr, "benchmark: work directory kept: %s\n", b.work)
		}
		return exitFailed
	}
	fmt.Printf("\nTotal benchmark time: %s\n", time.Since(start).Round(time.Second))
	return verdict(os.Stdout, ts, o.gate)
}
