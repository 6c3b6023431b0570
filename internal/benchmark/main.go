// Command benchmark measures the provider end to end with the Terraform CLI
// against the mock Live API, and compares it with two floors:
//
//   - the floor provider (./floorprovider): the same framework, type name and
//     schema, CRUD that copies plan to state and calls nothing;
//   - terraform_data: the same attribute objects in Terraform core's builtin
//     resource, with no plugin process at all.
//
// For each N it runs terraform apply, a no-op plan (which must report no
// changes) and terraform destroy, -runs times, and reports the median wall
// time, the ratios to both floors, the API calls per resource by action and
// the provider process's peak memory. Further scenarios: a no-op plan of many
// configurations of one domain (Describe calls), a plan with API latency, and
// an apply under a scaled-down rate limit. It ends with the targets, marked
// PASS, FAIL or SKIP (not measurable at the sizes run), and extra figures
// that separate the provider's own cost from Terraform core's.
//
// Run it from the repository root: go run ./internal/benchmark [-short].
// It exits 0 when every command ran as it should, whether or not the targets
// are met, and 1 when anything failed to run: a terraform error, a plan that
// is not empty after apply, configurations left after destroy.
package main

import (
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
	phaseApply   phase = "apply"
	phasePlan    phase = "plan"
	phaseDestroy phase = "destroy"
)

var phases = []phase{phaseApply, phasePlan, phaseDestroy}

type options struct {
	short       bool
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
	os.Exit(run())
}

func run() int {
	var o options
	var nsFlag, scenariosFlag string
	flag.BoolVar(&o.short, "short", false, "CI mode: N in {1,20}, 1 run, no latency scenario, a tiny rate-limit scenario")
	flag.IntVar(&o.runs, "runs", 0, "runs of each measurement; the median is reported (default 3, 1 with -short)")
	flag.IntVar(&o.parallelism, "parallelism", 10, "terraform -parallelism")
	flag.StringVar(&nsFlag, "n", "", "comma-separated numbers of configurations (default 1,100,500; 1,20 with -short)")
	flag.DurationVar(&o.latency, "latency", 30*time.Millisecond, "mock latency of the latency scenario (0 skips it)")
	flag.IntVar(&o.rateN, "rate-n", 0, "configurations applied in the rate-limit scenario (default 300, 20 with -short)")
	flag.IntVar(&o.rateLimit, "rate-limit", 0, "calls per window per action of the rate-limit scenario, for the mock and the provider (default 30, 10 with -short)")
	flag.DurationVar(&o.rateWindow, "rate-window", 0, "window of the rate-limit scenario (default 2s, 1s with -short)")
	flag.IntVar(&o.oneDomainN, "one-domain-n", 0, "configurations of the one-domain no-op plan scenario (default 500, 20 with -short)")
	flag.StringVar(&scenariosFlag, "scenarios", "matrix,1domain,latency,rate", "scenarios to run: matrix (apply, plan, destroy per kind and N), 1domain, latency, rate")
	flag.StringVar(&o.terraform, "terraform", "", "Terraform CLI (default: what internal/tools/terraform.sh prints)")
	flag.BoolVar(&o.keep, "keep", false, "keep the work directory (configurations, states, terraform output)")
	flag.BoolVar(&o.tfLog, "tf-log", false, "run terraform with TF_LOG=trace, logs kept in the work directory (slows everything; implies -keep)")
	flag.StringVar(&o.cpuProfile, "cpuprofile", "", "write CPU profiles of the provider's processes into this directory (builds ./internal/benchmark/profprovider, the same provider with pprof)")
	flag.Parse()
	if flag.NArg() > 0 {
		fmt.Fprintf(os.Stderr, "benchmark: unexpected arguments %q\n", flag.Args())
		return 2
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
				fmt.Fprintf(os.Stderr, "benchmark: -n: %q is not a positive number\n", f)
				return 2
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
			fmt.Fprintf(os.Stderr, "benchmark: -scenarios: unknown scenario %q\n", f)
			return 2
		}
	}

	b := &bench{opts: o, results: map[key][]sample{}}
	defer b.cleanup()
	start := time.Now()
	if err := b.run(); err != nil {
		fmt.Fprintf(os.Stderr, "\nbenchmark: FAILED: %v\n", err)
		if b.work != "" && b.opts.keep {
			fmt.Fprintf(os.Stderr, "benchmark: work directory kept: %s\n", b.work)
		}
		return 1
	}
	fmt.Printf("\nTotal benchmark time: %s\n", time.Since(start).Round(time.Second))
	return 0
}
