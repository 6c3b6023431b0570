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
// PASS or FAIL.
//
// Run it from the repository root: go run ./internal/benchmark [-short].
// It exits 0 when every command ran as it should, whether or not the targets
// are met, and 1 when anything failed to run: a terraform error, a plan that
// is not empty after apply, configurations left after destroy.
package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// API actions, as the mock counts them.
const (
	actionSet      = "SetLiveLazyPullStreamInfoConfig"
	actionDescribe = "DescribeLiveLazyPullStreamConfig"
	actionDelete   = "DeleteLiveLazyPullStreamInfoConfig"
)

// The Live domains of the mock's demo account.
var demoDomains = []string{"live.example.com", "demo.example.com"}

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

// ---- the benchmark ----

type key struct {
	scenario string
	kind     kind
	n        int
	phase    phase
}

type sample struct {
	wall     time.Duration
	calls    map[string]int // API calls by action (provider kind only)
	total    int
	rejected map[string]int
	peakKB   int64         // peak VmHWM of the provider processes; 0 when none ran
	cpu      time.Duration // user+system CPU of terraform and every process it waited for
	provCPU  time.Duration // user+system CPU of the provider processes (sampled)
}

type bench struct {
	opts    options
	root    string
	work    string
	tf      string
	bins    map[kind]string // provider binary of each plugin kind
	rcs     map[kind]string // CLI configuration of each kind
	mocks   []*mock
	results map[key][]sample

	// Scenario results beyond the matrix.
	rateRuns []rateRun
	rateRef  map[kind]time.Duration // apply of rateN without a rate limit
}

type rateRun struct {
	wall            time.Duration
	calls           map[string]int
	rejected        map[string]int
	minimum         time.Duration
	busiest         string
	destroyWall     time.Duration
	destroyRejected map[string]int
}

func (b *bench) cleanup() {
	for _, m := range b.mocks {
		m.stop()
	}
	if b.work != "" && !b.opts.keep {
		_ = os.RemoveAll(b.work)
	}
}

func logf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, format+"\n", args...)
}

func (b *bench) run() error {
	if err := b.setup(); err != nil {
		return err
	}
	steps := []struct {
		name string
		run  func() error
	}{
		{"matrix", b.matrix},
		{"1domain", b.oneDomain},
		{"latency", b.latencyScenario},
		{"rate", b.rateScenario},
	}
	for _, st := range steps {
		if !b.opts.scenarios[st.name] || (st.name == "latency" && b.opts.latency <= 0) {
			continue
		}
		if err := st.run(); err != nil {
			return err
		}
	}
	b.report()
	return nil
}

func (b *bench) setup() error {
	out, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil {
		return fmt.Errorf("go env GOMOD: %w", err)
	}
	gomod := strings.TrimSpace(string(out))
	if gomod == "" || gomod == os.DevNull {
		return errors.New("run the benchmark inside the provider's module (go run ./internal/benchmark from the repository root)")
	}
	b.root = filepath.Dir(gomod)

	if b.opts.terraform == "" {
		out, err := exec.Command(filepath.Join(b.root, "internal/tools/terraform.sh")).Output()
		if err != nil {
			return fmt.Errorf("internal/tools/terraform.sh: %w", err)
		}
		b.opts.terraform = strings.TrimSpace(string(out))
	}
	b.tf = b.opts.terraform
	ver, err := exec.Command(b.tf, "version").Output()
	if err != nil {
		return fmt.Errorf("%s version: %w", b.tf, err)
	}

	b.work, err = os.MkdirTemp("", "provider-bench-")
	if err != nil {
		return err
	}
	b.bins = map[kind]string{
		kindReal:  filepath.Join(b.work, "bin-provider", "terraform-provider-alicloud"),
		kindFloor: filepath.Join(b.work, "bin-floor", "terraform-provider-alicloud"),
	}
	providerPkg := "."
	if b.opts.cpuProfile != "" {
		providerPkg = "./internal/benchmark/profprovider"
		if b.opts.cpuProfile, err = filepath.Abs(b.opts.cpuProfile); err != nil {
			return err
		}
		if err := os.MkdirAll(b.opts.cpuProfile, 0o755); err != nil {
			return err
		}
	}
	builds := []struct{ out, pkg string }{
		{b.bins[kindReal], providerPkg},
		{b.bins[kindFloor], "./internal/benchmark/floorprovider"},
		{filepath.Join(b.work, "livemock"), "./internal/livemock/cmd/livemock"},
	}
	for _, bd := range builds {
		logf("==> go build %s", bd.pkg)
		cmd := exec.Command("go", "build", "-o", bd.out, bd.pkg)
		cmd.Dir = b.root
		cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
		if err := cmd.Run(); err != nil {
			return fmt.Errorf("go build %s: %w", bd.pkg, err)
		}
	}

	b.rcs = map[kind]string{}
	for _, k := range kinds {
		rc := filepath.Join(b.work, string(k)+".tfrc")
		text := "# terraform_data needs no provider\n"
		if bin, ok := b.bins[k]; ok {
			text = fmt.Sprintf("provider_installation {\n  dev_overrides {\n    %q = %q\n  }\n  direct {}\n}\n",
				"registry.terraform.io/alicloud-live/alicloud", filepath.Dir(bin))
		}
		if err := os.WriteFile(rc, []byte(text), 0o644); err != nil {
			return err
		}
		b.rcs[k] = rc
	}
	logf("==> %s; work directory %s", strings.SplitN(string(ver), "\n", 2)[0], b.work)
	logf("    N=%v, %d run(s) each, -parallelism=%d", b.opts.ns, b.opts.runs, b.opts.parallelism)
	return nil
}

// matrix runs apply, no-op plan and destroy for every kind and N, runs times,
// with the kinds interleaved so that noise from other work on the machine
// spreads over all of them.
func (b *bench) matrix() error {
	m, err := b.startMock("main", "-rate-limit", "1000000", "-rate-window", "1m")
	if err != nil {
		return err
	}
	for _, n := range b.opts.ns {
		dirs := map[kind]string{}
		for _, k := range kinds {
			dir := filepath.Join(b.work, fmt.Sprintf("matrix-%s-%d", k, n))
			if err := writeConfig(dir, k, n, demoDomains, fmt.Sprintf("m%d", n), m.endpoint, ""); err != nil {
				return err
			}
			dirs[k] = dir
		}
		for r := 0; r < b.opts.runs; r++ {
			for i := range kinds {
				k := kinds[(i+r)%len(kinds)]
				var mk *mock
				if k == kindReal {
					mk = m
				}
				if err := b.cycle("matrix", k, n, dirs[k], mk, r); err != nil {
					return err
				}
			}
		}
	}
	m.stop()
	return nil
}

// cycle runs apply, a no-op plan and destroy in dir and records them.
func (b *bench) cycle(scenario string, k kind, n int, dir string, m *mock, r int) error {
	for _, p := range phases {
		s, err := b.phase(k, n, dir, m, p)
		if err != nil {
			return fmt.Errorf("%s %s N=%d run %d: %w", scenario, k, n, r+1, err)
		}
		b.results[key{scenario, k, n, p}] = append(b.results[key{scenario, k, n, p}], s)
		extra := ""
		if m != nil {
			extra = fmt.Sprintf("  calls %s", formatCalls(s.calls, s.total))
		}
		logf("    %-8s %-8s N=%-4d run %d  %-7s %7.2fs%s", scenario, k, n, r+1, p, s.wall.Seconds(), extra)
	}
	return nil
}

// phase runs one terraform command and checks its outcome: state and (for
// the real provider) the mock hold n configurations after apply and plan,
// none after destroy; the plan reports no changes.
func (b *bench) phase(k kind, n int, dir string, m *mock, p phase) (sample, error) {
	if m != nil {
		if err := m.reset(); err != nil {
			return sample{}, err
		}
	}
	par := fmt.Sprintf("-parallelism=%d", b.opts.parallelism)
	var args []string
	switch p {
	case phaseApply:
		args = []string{"apply", "-auto-approve", "-input=false", "-no-color", par}
	case phasePlan:
		args = []string{"plan", "-detailed-exitcode", "-input=false", "-no-color", par}
	case phaseDestroy:
		args = []string{"destroy", "-auto-approve", "-input=false", "-no-color", par}
	}
	res, err := b.terraform(k, dir, string(p), args...)
	if err != nil {
		return sample{}, err
	}
	s := sample{wall: res.wall, peakKB: res.peakKB, cpu: res.cpu, provCPU: res.provCPU}
	if res.exitCode != 0 {
		what := "failed"
		if p == phasePlan && res.exitCode == 2 {
			what = "reports changes after apply (the plan must be empty)"
		}
		return s, fmt.Errorf("terraform %s %s (exit code %d):\n%s", p, what, res.exitCode, tail(res.output))
	}
	want := n
	if p == phaseDestroy {
		want = 0
	}
	got, err := stateCount(dir)
	if err != nil {
		return s, err
	}
	if got != want {
		return s, fmt.Errorf("after terraform %s the state holds %d resources, want %d", p, got, want)
	}
	if m != nil {
		st, err := m.stats()
		if err != nil {
			return s, err
		}
		s.calls, s.total, s.rejected = st.Calls, st.Total, st.Rejected
		if st.Configs != want {
			what := "configurations"
			if p == phaseDestroy {
				what = "leftover configurations"
			}
			return s, fmt.Errorf("after terraform %s the mock holds %d %s, want %d (%v)", p, st.Configs, what, want, st.ConfigsPerDomain)
		}
	}
	return s, nil
}

// oneDomain: a no-op plan of many configurations of one domain must cost a
// handful of Describe calls, thanks to the per-domain snapshot.
func (b *bench) oneDomain() error {
	n := b.opts.oneDomainN
	m, err := b.startMock("one-domain", "-rate-limit", "1000000", "-rate-window", "1m")
	if err != nil {
		return err
	}
	dir := filepath.Join(b.work, fmt.Sprintf("one-domain-%d", n))
	if err := writeConfig(dir, kindReal, n, demoDomains[:1], "od", m.endpoint, ""); err != nil {
		return err
	}
	if err := b.cycle("1domain", kindReal, n, dir, m, 0); err != nil {
		return err
	}
	m.stop()
	return nil
}

// latencyScenario: with latency on every answer, the no-op plan of the
// largest N, runs times, between one apply and one destroy.
func (b *bench) latencyScenario() error {
	n := b.opts.ns[len(b.opts.ns)-1]
	m, err := b.startMock("latency", "-latency", b.opts.latency.String(), "-rate-limit", "1000000", "-rate-window", "1m")
	if err != nil {
		return err
	}
	dir := filepath.Join(b.work, fmt.Sprintf("latency-%d", n))
	if err := writeConfig(dir, kindReal, n, demoDomains, "lat", m.endpoint, ""); err != nil {
		return err
	}
	seq := []phase{phaseApply}
	for r := 0; r < b.opts.runs; r++ {
		seq = append(seq, phasePlan)
	}
	seq = append(seq, phaseDestroy)
	for i, p := range seq {
		s, err := b.phase(kindReal, n, dir, m, p)
		if err != nil {
			return fmt.Errorf("latency scenario N=%d %s: %w", n, p, err)
		}
		k := key{"latency", kindReal, n, p}
		b.results[k] = append(b.results[k], s)
		logf("    latency  %-8s N=%-4d step %d %-7s %7.2fs  calls %s", kindReal, n, i+1, p, s.wall.Seconds(), formatCalls(s.calls, s.total))
	}
	m.stop()
	return nil
}

// rateScenario: an apply under a scaled-down rate limit, enforced by the mock
// and configured in the provider. Nothing may be rejected, and the apply
// should take little more than the limit itself imposes. For reference, the
// same apply without a limit, with the provider and with the floor.
func (b *bench) rateScenario() error {
	n, limit, window := b.opts.rateN, b.opts.rateLimit, b.opts.rateWindow
	ref, err := b.startMock("rate-reference", "-rate-limit", "1000000", "-rate-window", "1m")
	if err != nil {
		return err
	}
	b.rateRef = map[kind]time.Duration{}
	for _, k := range []kind{kindReal, kindFloor} {
		dir := filepath.Join(b.work, fmt.Sprintf("rate-reference-%s-%d", k, n))
		if err := writeConfig(dir, k, n, demoDomains, "rr", ref.endpoint, ""); err != nil {
			return err
		}
		var m *mock
		if k == kindReal {
			m = ref
		}
		for _, p := range []phase{phaseApply, phaseDestroy} {
			s, err := b.phase(k, n, dir, m, p)
			if err != nil {
				return fmt.Errorf("rate-limit scenario, reference without a limit, %s N=%d %s: %w", k, n, p, err)
			}
			if p == phaseApply {
				b.rateRef[k] = s.wall
			}
			logf("    ratelim  %-8s N=%-4d no limit %-7s %7.2fs", k, n, p, s.wall.Seconds())
		}
	}
	ref.stop()

	m, err := b.startMock("rate-limit", "-rate-limit", strconv.Itoa(limit), "-rate-window", window.String())
	if err != nil {
		return err
	}
	dir := filepath.Join(b.work, fmt.Sprintf("rate-%d", n))
	extra := fmt.Sprintf("  rate_limit        = %d\n  rate_limit_window = %q\n", limit, window.String())
	if err := writeConfig(dir, kindReal, n, demoDomains, "rl", m.endpoint, extra); err != nil {
		return err
	}
	for r := 0; r < b.opts.runs; r++ {
		s, err := b.phase(kindReal, n, dir, m, phaseApply)
		if err != nil {
			return fmt.Errorf("rate-limit scenario N=%d apply run %d: %w", n, r+1, err)
		}
		rr := rateRun{wall: s.wall, calls: s.calls, rejected: s.rejected}
		for _, a := range []string{actionSet, actionDescribe, actionDelete} {
			if s.calls[a] > s.calls[rr.busiest] || rr.busiest == "" {
				rr.busiest = a
			}
		}
		rr.minimum = imposedMinimum(s.calls[rr.busiest], limit, window)
		logf("    ratelim  %-8s N=%-4d run %d  apply   %7.2fs  calls %s  imposed minimum %.2fs  rejected %v",
			kindReal, n, r+1, s.wall.Seconds(), formatCalls(s.calls, s.total), rr.minimum.Seconds(), s.rejected)
		d, err := b.phase(kindReal, n, dir, m, phaseDestroy)
		if err != nil {
			return fmt.Errorf("rate-limit scenario N=%d destroy run %d: %w", n, r+1, err)
		}
		rr.destroyWall, rr.destroyRejected = d.wall, d.rejected
		b.rateRuns = append(b.rateRuns, rr)
		logf("    ratelim  %-8s N=%-4d run %d  destroy %7.2fs  calls %s  rejected %v",
			kindReal, n, r+1, d.wall.Seconds(), formatCalls(d.calls, d.total), d.rejected)
		// Let the mock's sliding windows empty, so that the next apply
		// starts from a clean quota as the first did.
		time.Sleep(window + 200*time.Millisecond)
	}
	m.stop()
	return nil
}

// imposedMinimum is the least time calls calls of one action take under a
// limit of limit calls per window: the first limit go at once, each further
// batch one window later.
func imposedMinimum(calls, limit int, window time.Duration) time.Duration {
	if calls <= 0 || limit <= 0 {
		return 0
	}
	batches := (calls + limit - 1) / limit
	return time.Duration(batches-1) * window
}

// ---- configurations ----

func writeConfig(dir string, k kind, n int, domains []string, prefix, endpoint, providerExtra string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	var sb strings.Builder
	if k != kindData {
		if endpoint == "" {
			endpoint = "http://127.0.0.1:1"
		}
		fmt.Fprintf(&sb, `terraform {
  required_providers {
    alicloud = {
      source = "alicloud-live/alicloud"
    }
  }
}

provider "alicloud" {
  access_key = %q
  secret_key = %q
  region     = "cn-shanghai"
%s  endpoints {
    live = %q
  }
}
`, demoAccessKey, demoSecretKey, providerExtra, endpoint)
	}
	protocols := []string{"rtmp", "httpflv", "hls"}
	for i := 0; i < n; i++ {
		attrs := [][2]string{
			{"domain_name", strconv.Quote(domains[i%len(domains)])},
			{"app_name", strconv.Quote(fmt.Sprintf("%s_app_%04d", prefix, i))},
			{"pull_domain_name", strconv.Quote(fmt.Sprintf("origin%d.example.net;203.0.113.%d:1935", i%7, 1+i%250))},
			{"pull_app_name", "null"},
			{"pull_protocol", strconv.Quote(protocols[i%len(protocols)])},
			{"transcode_lazy", "false"},
		}
		if i%4 == 1 {
			attrs[3][1] = strconv.Quote("origin_app")
		}
		if i%5 == 2 {
			attrs[5][1] = "true"
		}
		name := fmt.Sprintf("c%04d", i)
		if k == kindData {
			fmt.Fprintf(&sb, "\nresource \"terraform_data\" %q {\n  input = {\n", name)
			for _, a := range attrs {
				fmt.Fprintf(&sb, "    %-16s = %s\n", a[0], a[1])
			}
			sb.WriteString("  }\n}\n")
			continue
		}
		fmt.Fprintf(&sb, "\nresource \"alicloud_live_lazy_pull_config\" %q {\n", name)
		for _, a := range attrs {
			if a[1] == "null" || (a[0] == "transcode_lazy" && a[1] == "false") {
				continue // left unset, as a user would
			}
			fmt.Fprintf(&sb, "  %-16s = %s\n", a[0], a[1])
		}
		sb.WriteString("}\n")
	}
	return os.WriteFile(filepath.Join(dir, "main.tf"), []byte(sb.String()), 0o644)
}

// stateCount returns the number of resource instances in dir's local state.
func stateCount(dir string) (int, error) {
	data, err := os.ReadFile(filepath.Join(dir, "terraform.tfstate"))
	if errors.Is(err, os.ErrNotExist) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	var st struct {
		Resources []struct {
			Mode      string            `json:"mode"`
			Instances []json.RawMessage `json:"instances"`
		} `json:"resources"`
	}
	if err := json.Unmarshal(data, &st); err != nil {
		return 0, fmt.Errorf("reading %s/terraform.tfstate: %w", dir, err)
	}
	n := 0
	for _, r := range st.Resources {
		if r.Mode == "managed" {
			n += len(r.Instances)
		}
	}
	return n, nil
}

// ---- running terraform ----

type tfResult struct {
	wall     time.Duration
	exitCode int
	output   []byte
	peakKB   int64
	cpu      time.Duration
	provCPU  time.Duration
}

var logSeq int

func (b *bench) terraform(k kind, dir, label string, args ...string) (tfResult, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, b.tf, args...)
	cmd.Dir = dir
	cmd.Env = b.env(k, dir, label)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out

	var sampler *memSampler
	if bin, ok := b.bins[k]; ok {
		sampler = startMemSampler(bin)
	}
	start := time.Now()
	err := cmd.Run()
	wall := time.Since(start)
	res := tfResult{wall: wall, output: out.Bytes()}
	if sampler != nil {
		res.peakKB, res.provCPU = sampler.stop()
	}
	if ps := cmd.ProcessState; ps != nil {
		// wait4's usage of terraform includes the plugins it waited for.
		res.cpu = ps.UserTime() + ps.SystemTime()
	}
	if b.opts.keep {
		logSeq++
		_ = os.WriteFile(filepath.Join(dir, fmt.Sprintf("%03d-%s.out", logSeq, label)), out.Bytes(), 0o644)
	}
	var exitErr *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &exitErr) && ctx.Err() == nil:
		res.exitCode = exitErr.ExitCode()
	default:
		return res, fmt.Errorf("terraform %s: %w\n%s", strings.Join(args, " "), err, tail(out.Bytes()))
	}
	return res, nil
}

// env is the process environment without any TF_*, ALICLOUD_* or
// ALIBABA_CLOUD_* variable of the caller, plus the benchmark's own.
func (b *bench) env(k kind, dir, label string) []string {
	var env []string
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(name, "TF_") || strings.HasPrefix(name, "ALICLOUD_") || strings.HasPrefix(name, "ALIBABA_CLOUD_") || name == "CHECKPOINT_DISABLE" {
			continue
		}
		env = append(env, kv)
	}
	env = append(env, "TF_CLI_CONFIG_FILE="+b.rcs[k], "CHECKPOINT_DISABLE=1", "TF_IN_AUTOMATION=1")
	if b.opts.cpuProfile != "" && k == kindReal {
		env = append(env, "BENCH_CPUPROFILE_DIR="+b.opts.cpuProfile)
	}
	if b.opts.tfLog {
		env = append(env, "TF_LOG=trace", "TF_LOG_PATH="+filepath.Join(dir, fmt.Sprintf("%03d-%s.tflog", logSeq+1, label)))
	}
	return env
}

// tail returns the last lines of a command's output, for error messages.
func tail(b []byte) string {
	const lines = 40
	ls := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	if len(ls) > lines {
		ls = append([]string{"..."}, ls[len(ls)-lines:]...)
	}
	return strings.Join(ls, "\n")
}

// ---- peak memory and CPU of the provider processes ----

// memSampler polls /proc for processes running one binary (terraform starts
// the provider as its child, possibly several times per command) and keeps
// the highest VmHWM (or VmRSS, should VmHWM be missing) it saw, and the last
// CPU time it saw of each process. A process's last 20 ms may go unseen.
type memSampler struct {
	done chan struct{}
	res  chan samplerResult
}

type samplerResult struct {
	peakKB int64
	cpu    time.Duration
}

// clockTick is the unit of utime and stime in /proc/PID/stat: USER_HZ, 100
// on every Linux architecture Go runs on.
const clockTick = 10 * time.Millisecond

// sampleEvery is how often memSampler polls.
const sampleEvery = 20 * time.Millisecond

func startMemSampler(bin string) *memSampler {
	s := &memSampler{done: make(chan struct{}), res: make(chan samplerResult, 1)}
	go func() {
		var peak int64
		cpu := map[string]time.Duration{}
		t := time.NewTicker(sampleEvery)
		defer t.Stop()
		for {
			if v := sampleProcs(bin, cpu); v > peak {
				peak = v
			}
			select {
			case <-s.done:
				var total time.Duration
				for _, c := range cpu {
					total += c
				}
				s.res <- samplerResult{peak, total}
				return
			case <-t.C:
			}
		}
	}()
	return s
}

func (s *memSampler) stop() (int64, time.Duration) {
	close(s.done)
	r := <-s.res
	return r.peakKB, r.cpu
}

// sampleProcs returns the largest memory figure of the processes running bin
// and records their CPU time in cpu, by PID.
func sampleProcs(bin string, cpu map[string]time.Duration) int64 {
	entries, err := os.ReadDir("/proc")
	if err != nil {
		return 0
	}
	var peak int64
	for _, e := range entries {
		if e.Name()[0] < '0' || e.Name()[0] > '9' {
			continue
		}
		dir := "/proc/" + e.Name()
		exe, err := os.Readlink(dir + "/exe")
		if err != nil || exe != bin {
			continue
		}
		if v := procMemKB(dir + "/status"); v > peak {
			peak = v
		}
		if c, ok := procCPU(dir + "/stat"); ok && c > cpu[e.Name()] {
			cpu[e.Name()] = c
		}
	}
	return peak
}

// procMemKB returns max(VmHWM, VmRSS) of a /proc/PID/status file, in KiB.
func procMemKB(path string) int64 {
	f, err := os.Open(path)
	if err != nil {
		return 0
	}
	defer f.Close()
	var best int64
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if !strings.HasPrefix(line, "VmHWM:") && !strings.HasPrefix(line, "VmRSS:") {
			continue
		}
		fields := strings.Fields(line)
		if len(fields) >= 2 {
			if v, err := strconv.ParseInt(fields[1], 10, 64); err == nil && v > best {
				best = v
			}
		}
	}
	return best
}

// procCPU returns utime+stime of a /proc/PID/stat file.
func procCPU(path string) (time.Duration, bool) {
	data, err := os.ReadFile(path)
	if err != nil {
		return 0, false
	}
	// The command name (field 2) may hold spaces; fields after it do not.
	i := bytes.LastIndexByte(data, ')')
	if i < 0 {
		return 0, false
	}
	fields := strings.Fields(string(data[i+1:]))
	// fields[0] is field 3 (state); utime and stime are fields 14 and 15.
	if len(fields) < 13 {
		return 0, false
	}
	u, err1 := strconv.ParseInt(fields[11], 10, 64)
	st, err2 := strconv.ParseInt(fields[12], 10, 64)
	if err1 != nil || err2 != nil {
		return 0, false
	}
	return time.Duration(u+st) * clockTick, true
}

// ---- the mock ----

const (
	demoAccessKey = "LTAIdemoAccessKey0001"
	demoSecretKey = "demoSecretKeyDoNotUseInProduction00"
)

type mock struct {
	name     string
	cmd      *exec.Cmd
	endpoint string
	stderr   bytes.Buffer
	stopped  bool
}

type mockStats struct {
	Calls            map[string]int `json:"calls"`
	Total            int            `json:"total"`
	Rejected         map[string]int `json:"rejected"`
	Configs          int            `json:"configs"`
	ConfigsPerDomain map[string]int `json:"configs_per_domain"`
}

func (b *bench) startMock(name string, args ...string) (*mock, error) {
	m := &mock{name: name}
	m.cmd = exec.Command(filepath.Join(b.work, "livemock"), append([]string{"-addr", "127.0.0.1:0", "-stats"}, args...)...)
	m.cmd.Stderr = &m.stderr
	stdout, err := m.cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := m.cmd.Start(); err != nil {
		return nil, err
	}
	b.mocks = append(b.mocks, m)
	lines := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		if sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
		_, _ = io.Copy(io.Discard, stdout)
	}()
	select {
	case line, ok := <-lines:
		for _, f := range strings.Fields(line) {
			if v, ok := strings.CutPrefix(f, "endpoint="); ok {
				m.endpoint = v
			}
		}
		if !ok || m.endpoint == "" {
			return nil, fmt.Errorf("the mock (%s) did not start: %q %s", name, line, m.stderr.String())
		}
	case <-time.After(15 * time.Second):
		return nil, fmt.Errorf("the mock (%s) printed no endpoint within 15s", name)
	}
	logf("==> mock %q at %s (%s)", name, m.endpoint, strings.Join(args, " "))
	return m, nil
}

func (m *mock) stop() {
	if m.stopped {
		return
	}
	m.stopped = true
	logf("==> stopping mock %q", m.name)
	_ = m.cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan struct{})
	go func() { _ = m.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		_ = m.cmd.Process.Kill()
		<-done
	}
}

var httpClient = &http.Client{Timeout: 30 * time.Second}

func (m *mock) reset() error {
	resp, err := httpClient.Post(m.endpoint+"/_stats/reset", "text/plain", nil)
	if err != nil {
		return fmt.Errorf("resetting the mock's counts: %w", err)
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, resp.Body)
	if resp.StatusCode != http.StatusNoContent {
		return fmt.Errorf("resetting the mock's counts: HTTP %d (is cmd/livemock built with -stats?)", resp.StatusCode)
	}
	return nil
}

func (m *mock) stats() (mockStats, error) {
	var st mockStats
	resp, err := httpClient.Get(m.endpoint + "/_stats")
	if err != nil {
		return st, fmt.Errorf("reading the mock's counts: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return st, fmt.Errorf("reading the mock's counts: HTTP %d", resp.StatusCode)
	}
	if err := json.NewDecoder(resp.Body).Decode(&st); err != nil {
		return st, fmt.Errorf("reading the mock's counts: %w", err)
	}
	return st, nil
}

// ---- statistics ----

func median(ds []time.Duration) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := append([]time.Duration(nil), ds...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

func walls(ss []sample) []time.Duration {
	out := make([]time.Duration, len(ss))
	for i, s := range ss {
		out[i] = s.wall
	}
	return out
}

// matrixMedian is the median wall time of one cell of the N x phase matrix.
func (b *bench) matrixMedian(k kind, n int, p phase) (time.Duration, bool) {
	ss := b.results[key{"matrix", k, n, p}]
	if len(ss) == 0 {
		return 0, false
	}
	return median(walls(ss)), true
}

// meanCalls is the average over runs of calls per resource by action.
func meanCalls(ss []sample, n int) (map[string]float64, float64) {
	out := map[string]float64{}
	var total float64
	if len(ss) == 0 || n == 0 {
		return out, 0
	}
	for _, s := range ss {
		for a, c := range s.calls {
			out[a] += float64(c) / float64(n) / float64(len(ss))
		}
		total += float64(s.total) / float64(n) / float64(len(ss))
	}
	return out, total
}

func medianPeakKB(ss []sample) int64 {
	var v []int64
	for _, s := range ss {
		if s.peakKB > 0 {
			v = append(v, s.peakKB)
		}
	}
	if len(v) == 0 {
		return 0
	}
	sort.Slice(v, func(i, j int) bool { return v[i] < v[j] })
	return v[len(v)/2]
}

func sumMap(m map[string]int) int {
	t := 0
	for _, v := range m {
		t += v
	}
	return t
}

func formatCalls(calls map[string]int, total int) string {
	return fmt.Sprintf("Set %d Describe %d Delete %d (total %d)", calls[actionSet], calls[actionDescribe], calls[actionDelete], total)
}

// ---- report ----

func secs(d time.Duration) string { return fmt.Sprintf("%.2fs", d.Seconds()) }

func ratio(a, b time.Duration) float64 {
	if b <= 0 {
		return math.NaN()
	}
	return float64(a) / float64(b)
}

func mib(kb int64) string {
	if kb <= 0 {
		return "-"
	}
	return fmt.Sprintf("%.1f", float64(kb)/1024)
}

type target struct {
	name   string
	value  string
	pass   bool
	skip   bool
	reason string
}

func (b *bench) report() {
	o := b.opts
	w := os.Stdout
	fmt.Fprintf(w, "\n==== Provider benchmark: median of %d run(s), -parallelism=%d ====\n", o.runs, o.parallelism)
	fmt.Fprintf(w, "provider = the alicloud provider against the mock Live API; floor = floor provider (same framework, type name and schema,\n")
	fmt.Fprintf(w, "CRUD copies plan to state, no API call); tf_data = terraform_data resources with the same attribute objects (no plugin)\n\n")
	fmt.Fprintf(w, "Wall time\n")
	fmt.Fprintf(w, "%-8s %5s %9s %9s %9s %8s %10s\n", "phase", "N", "provider", "floor", "tf_data", "x floor", "x tf_data")
	for _, p := range phases {
		for _, n := range o.ns {
			tp, _ := b.matrixMedian(kindReal, n, p)
			tf, _ := b.matrixMedian(kindFloor, n, p)
			td, _ := b.matrixMedian(kindData, n, p)
			fmt.Fprintf(w, "%-8s %5d %9s %9s %9s %7.2fx %9.2fx\n", p, n, secs(tp), secs(tf), secs(td), ratio(tp, tf), ratio(tp, td))
		}
	}
	fmt.Fprintf(w, "\nAPI calls per configuration (mean of runs), CPU seconds (median) and peak memory (median of the peak VmHWM, MiB)\n")
	fmt.Fprintf(w, "CPU all = terraform and its plugins; CPU plugin = the provider process alone (sampled every 20 ms)\n")
	fmt.Fprintf(w, "%-14s | %-26s | %-26s | %-17s | %-17s\n", "", "API calls per config", "CPU all", "CPU plugin", "RSS MiB")
	fmt.Fprintf(w, "%-8s %5s | %8s %8s %8s | %8s %8s %8s | %8s %8s | %8s %8s\n", "phase", "N", "Set", "Describe", "Delete",
		"provider", "floor", "tf_data", "provider", "floor", "provider", "floor")
	cpuMed := func(k kind, n int, p phase, plugin bool) string {
		ss := b.results[key{"matrix", k, n, p}]
		var ds []time.Duration
		for _, s := range ss {
			if plugin {
				ds = append(ds, s.provCPU)
			} else {
				ds = append(ds, s.cpu)
			}
		}
		if len(ds) == 0 || (plugin && k == kindData) {
			return "-"
		}
		return secs(median(ds))
	}
	for _, p := range phases {
		for _, n := range o.ns {
			ss := b.results[key{"matrix", kindReal, n, p}]
			calls, _ := meanCalls(ss, n)
			fmt.Fprintf(w, "%-8s %5d | %8.2f %8.2f %8.2f | %8s %8s %8s | %8s %8s | %8s %8s\n",
				p, n, calls[actionSet], calls[actionDescribe], calls[actionDelete],
				cpuMed(kindReal, n, p, false), cpuMed(kindFloor, n, p, false), cpuMed(kindData, n, p, false),
				cpuMed(kindReal, n, p, true), cpuMed(kindFloor, n, p, true),
				mib(medianPeakKB(ss)), mib(medianPeakKB(b.results[key{"matrix", kindFloor, n, p}])))
		}
	}

	// Growth of per-resource time between the two largest N.
	var growth map[phase]float64
	nMid, nBig := 0, o.ns[len(o.ns)-1]
	if len(o.ns) >= 2 {
		nMid = o.ns[len(o.ns)-2]
	}
	if nMid >= 10 {
		growth = map[phase]float64{}
		fmt.Fprintf(w, "\nPer-resource wall time, N=%d -> N=%d: (t%d/%d) / (t%d/%d)\n", nMid, nBig, nBig, nBig, nMid, nMid)
		fmt.Fprintf(w, "%-8s %-9s %12s %12s %8s\n", "phase", "kind", fmt.Sprintf("ms/res N=%d", nMid), fmt.Sprintf("ms/res N=%d", nBig), "growth")
		for _, p := range phases {
			for _, k := range kinds {
				a, _ := b.matrixMedian(k, nMid, p)
				c, _ := b.matrixMedian(k, nBig, p)
				pa := float64(a.Milliseconds()) / float64(nMid)
				pc := float64(c.Milliseconds()) / float64(nBig)
				g := pc / pa
				if k == kindReal {
					growth[p] = g
				}
				fmt.Fprintf(w, "%-8s %-9s %12.2f %12.2f %7.2fx\n", p, k, pa, pc, g)
			}
		}
	}

	// One domain.
	odN := o.oneDomainN
	odPlan := b.results[key{"1domain", kindReal, odN, phasePlan}]
	odDescribe := -1
	fmt.Fprintf(w, "\nOne domain, N=%d (provider only, 1 run):\n", odN)
	for _, p := range phases {
		ss := b.results[key{"1domain", kindReal, odN, p}]
		if len(ss) == 0 {
			continue
		}
		fmt.Fprintf(w, "  %-8s %8s  calls: %s\n", p, secs(ss[0].wall), formatCalls(ss[0].calls, ss[0].total))
	}
	if len(odPlan) > 0 {
		odDescribe = odPlan[0].calls[actionDescribe]
	}

	// Latency.
	var latPlan, floorBigPlan time.Duration
	if o.latency > 0 {
		fmt.Fprintf(w, "\nLatency %s on every answer, N=%d (provider; floor without latency):\n", o.latency, nBig)
		for _, p := range phases {
			ss := b.results[key{"latency", kindReal, nBig, p}]
			if len(ss) == 0 {
				continue
			}
			fl, _ := b.matrixMedian(kindFloor, nBig, p)
			t := median(walls(ss))
			if p == phasePlan {
				latPlan, floorBigPlan = t, fl
			}
			calls, _ := meanCalls(ss, nBig)
			fmt.Fprintf(w, "  %-8s %8s (median of %d)  x floor %.2f  calls/res: Set %.2f Describe %.2f Delete %.2f\n",
				p, secs(t), len(ss), ratio(t, fl), calls[actionSet], calls[actionDescribe], calls[actionDelete])
		}
	}

	// Rate limit.
	fmt.Fprintf(w, "\nRate limit %d calls per %s per action (mock and provider), apply N=%d:\n", o.rateLimit, o.rateWindow, o.rateN)
	var rateWalls, rateMins []time.Duration
	rejected, destroyRejected := 0, 0
	for i, rr := range b.rateRuns {
		fmt.Fprintf(w, "  run %d: apply %s, imposed minimum %s (busiest %s: %d calls), x min %.2f, calls %s, rejected %d; destroy %s, rejected %d\n",
			i+1, secs(rr.wall), secs(rr.minimum), rr.busiest, rr.calls[rr.busiest], ratio(rr.wall, rr.minimum),
			formatCalls(rr.calls, sumMap(rr.calls)), sumMap(rr.rejected), secs(rr.destroyWall), sumMap(rr.destroyRejected))
		rateWalls = append(rateWalls, rr.wall)
		rateMins = append(rateMins, rr.minimum)
		rejected += sumMap(rr.rejected)
		destroyRejected += sumMap(rr.destroyRejected)
	}
	fmt.Fprintf(w, "  minimum for the %d Set calls alone: %s\n", o.rateN, secs(imposedMinimum(o.rateN, o.rateLimit, o.rateWindow)))
	if len(b.rateRef) > 0 {
		mw := median(rateWalls)
		fmt.Fprintf(w, "  the same apply without a limit: provider %s, floor %s; limited apply (median %s) x max(imposed minimum, unlimited provider apply) = %.2f\n",
			secs(b.rateRef[kindReal]), secs(b.rateRef[kindFloor]), secs(mw), ratio(mw, max(median(rateMins), b.rateRef[kindReal])))
	}

	// Targets.
	var ts []target
	add := func(t target) { ts = append(ts, t) }

	if odDescribe >= 0 {
		add(target{name: fmt.Sprintf("no-op plan of %d configs on one domain <= 10 Describe calls", odN),
			value: fmt.Sprintf("%d Describe calls", odDescribe), pass: odDescribe <= 10})
	}
	// A single create cannot share a Describe with anything; the average is
	// taken at the largest N, the others are shown.
	var perN []string
	var atBig float64
	for _, n := range o.ns {
		_, total := meanCalls(b.results[key{"matrix", kindReal, n, phaseApply}], n)
		perN = append(perN, fmt.Sprintf("N=%d: %.2f", n, total))
		atBig = total
	}
	add(target{name: fmt.Sprintf("create <= 2 API calls per config on average (N=%d)", nBig),
		value: strings.Join(perN, ", "), pass: atBig <= 2})

	ratioTarget := func(name string, n int, p phase, limit float64) {
		tp, ok1 := b.matrixMedian(kindReal, n, p)
		tf, ok2 := b.matrixMedian(kindFloor, n, p)
		if !ok1 || !ok2 {
			add(target{name: name, skip: true, reason: fmt.Sprintf("N=%d not measured", n)})
			return
		}
		r := ratio(tp, tf)
		add(target{name: name, value: fmt.Sprintf("%.2fx (%s vs %s)", r, secs(tp), secs(tf)), pass: r <= limit})
	}
	ratioTarget(fmt.Sprintf("plan N=%d <= 1.1x floor", o.ns[0]), o.ns[0], phasePlan, 1.1)
	nCmp := 100
	if !contains(o.ns, nCmp) {
		nCmp = nBig
	}
	ratioTarget(fmt.Sprintf("apply N=%d <= 1.3x floor", nCmp), nCmp, phaseApply, 1.3)
	ratioTarget(fmt.Sprintf("no-op plan N=%d <= 1.3x floor", nCmp), nCmp, phasePlan, 1.3)

	if o.latency > 0 && latPlan > 0 {
		r := ratio(latPlan, floorBigPlan)
		add(target{name: fmt.Sprintf("with %s latency, no-op plan N=%d <= 1.3x floor", o.latency, nBig),
			value: fmt.Sprintf("%.2fx (%s vs %s)", r, secs(latPlan), secs(floorBigPlan)), pass: r <= 1.3})
	} else {
		add(target{name: "with latency, no-op plan <= 1.3x floor", skip: true, reason: "no latency scenario"})
	}

	if growth != nil {
		for _, p := range phases {
			add(target{name: fmt.Sprintf("per-resource growth N=%d->%d, %s <= 1.2x", nMid, nBig, p),
				value: fmt.Sprintf("%.2fx", growth[p]), pass: growth[p] <= 1.2})
		}
	} else {
		add(target{name: "per-resource growth <= 1.2x", skip: true, reason: "needs two N >= 10"})
	}

	if len(rateWalls) > 0 {
		mw, mm := median(rateWalls), median(rateMins)
		r := ratio(mw, mm)
		add(target{name: "rate-limited apply <= 1.15x the imposed minimum",
			value: fmt.Sprintf("%.2fx (%s vs %s)", r, secs(mw), secs(mm)), pass: mm > 0 && r <= 1.15,
			reason: map[bool]string{true: "", false: "no minimum: too few calls for the limit"}[mm > 0]})
		add(target{name: "rate-limited apply: zero rejected calls",
			value: fmt.Sprintf("%d rejected", rejected), pass: rejected == 0})
		add(target{name: "(extra) rate-limited destroy: zero rejected calls",
			value: fmt.Sprintf("%d rejected", destroyRejected), pass: destroyRejected == 0})
	}

	fmt.Fprintf(w, "\nTargets:\n")
	for _, t := range ts {
		mark := "FAIL"
		switch {
		case t.skip:
			mark = "SKIP"
		case t.pass:
			mark = "PASS"
		}
		v := t.value
		if t.skip || (t.reason != "" && !t.pass) {
			v = strings.TrimSpace(v + " " + t.reason)
		}
		fmt.Fprintf(w, "  [%s] %-60s %s\n", mark, t.name, v)
	}
}

func contains(ns []int, n int) bool {
	for _, v := range ns {
		if v == n {
			return true
		}
	}
	return false
}
