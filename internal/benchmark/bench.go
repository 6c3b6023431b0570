package main

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/alicloud-live/terraform-provider-alicloud/internal/lazypull"
	"github.com/alicloud-live/terraform-provider-alicloud/internal/livemock"
	"github.com/alicloud-live/terraform-provider-alicloud/internal/registry"
)

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

// run runs the scenarios chosen, prints the report and returns its targets.
func (b *bench) run() ([]target, error) {
	if err := b.setup(); err != nil {
		return nil, err
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
			return nil, err
		}
	}
	return b.report(), nil
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
				registry.Address, filepath.Dir(bin))
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

// matrix runs the matrix phases for every kind and N, runs times, with the
// kinds interleaved so that noise from other work on the machine spreads
// over all of them.
func (b *bench) matrix() error {
	m, err := b.startMock("main", "-rate-limit", "1000000", "-rate-window", "1m")
	if err != nil {
		return err
	}
	for _, n := range b.opts.ns {
		for r := 0; r < b.opts.runs; r++ {
			for i := range kinds {
				k := kinds[(i+r)%len(kinds)]
				var mk *mock
				if k == kindReal {
					mk = m
				}
				dir := filepath.Join(b.work, fmt.Sprintf("matrix-%s-%d", k, n))
				spec := configSpec{kind: k, n: n, domains: livemock.DemoLiveDomains, prefix: fmt.Sprintf("m%d", n), endpoint: m.endpoint}
				if err := b.cycle("matrix", dir, spec, mk, r, matrixPhases); err != nil {
					return err
				}
			}
		}
	}
	m.stop()
	return nil
}

// cycle writes spec into dir and runs the phases seq there, recording
// them. The update phase first rewrites the configuration with a further
// origin for every configuration.
func (b *bench) cycle(scenario, dir string, spec configSpec, m *mock, r int, seq []phase) error {
	k, n := spec.kind, spec.n
	if err := writeConfig(dir, spec); err != nil {
		return err
	}
	for _, p := range seq {
		if p == phaseUpdate {
			up := spec
			up.updated = true
			if err := writeConfig(dir, up); err != nil {
				return err
			}
		}
		s, err := b.phase(k, n, dir, m, p)
		if err != nil {
			return fmt.Errorf("%s %s N=%d run %d: %w", scenario, k, n, r+1, err)
		}
		b.results[key{scenario, k, n, p}] = append(b.results[key{scenario, k, n, p}], s)
		extra := ""
		if m != nil {
			extra = fmt.Sprintf("  calls %s", formatCalls(s.calls, s.total))
		}
		logf("    %-8s %-8s N=%-4d run %d  %-8s %7.2fs%s", scenario, k, n, r+1, p, s.wall.Seconds(), extra)
	}
	return nil
}

// summary is the line terraform prints when phase p of n configurations
// went as it should: everything planned or applied and nothing else (an
// update in place, not a replacement).
func summary(p phase, n int) string {
	switch p {
	case phasePlanNew:
		return fmt.Sprintf("Plan: %d to add, 0 to change, 0 to destroy.", n)
	case phaseApply:
		return fmt.Sprintf("Apply complete! Resources: %d added, 0 changed, 0 destroyed.", n)
	case phasePlan:
		return "No changes."
	case phaseUpdate:
		return fmt.Sprintf("Apply complete! Resources: 0 added, %d changed, 0 destroyed.", n)
	case phaseDestroy:
		return fmt.Sprintf("Destroy complete! Resources: %d destroyed.", n)
	}
	return ""
}

// phase runs one terraform command and checks its outcome: terraform's
// summary line; state and (for the real provider) the mock hold no
// configuration after a plan of new ones and after destroy, n after the
// others; the no-op plan reports no changes and the plan of new ones
// reports them; after an update the mock holds the updated origins.
func (b *bench) phase(k kind, n int, dir string, m *mock, p phase) (sample, error) {
	if m != nil {
		if err := m.reset(); err != nil {
			return sample{}, err
		}
	}
	par := fmt.Sprintf("-parallelism=%d", b.opts.parallelism)
	var args []string
	wantExit := 0
	switch p {
	case phaseApply, phaseUpdate:
		args = []string{"apply", "-auto-approve", "-input=false", "-no-color", par}
	case phasePlan:
		args = []string{"plan", "-detailed-exitcode", "-input=false", "-no-color", par}
	case phasePlanNew:
		args = []string{"plan", "-detailed-exitcode", "-input=false", "-no-color", par}
		wantExit = 2 // -detailed-exitcode: the plan has changes
	case phaseDestroy:
		args = []string{"destroy", "-auto-approve", "-input=false", "-no-color", par}
	}
	res, err := b.terraform(k, dir, string(p), args...)
	if err != nil {
		return sample{}, err
	}
	s := sample{wall: res.wall, peakKB: res.peakKB, cpu: res.cpu, provCPU: res.provCPU}
	if res.exitCode != wantExit {
		what := "failed"
		switch {
		case p == phasePlan && res.exitCode == 2:
			what = "reports changes after apply (the plan must be empty)"
		case p == phasePlanNew && res.exitCode == 0:
			what = "reports no changes (every configuration is new)"
		}
		return s, fmt.Errorf("terraform %s %s (exit code %d):\n%s", p, what, res.exitCode, tail(res.output))
	}
	if line := summary(p, n); !strings.Contains(string(res.output), line) {
		return s, fmt.Errorf("terraform %s did not print %q:\n%s", p, line, tail(res.output))
	}
	want := n
	if p == phaseDestroy || p == phasePlanNew {
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
		if p == phaseUpdate {
			if err := m.checkUpdated(n); err != nil {
				return s, err
			}
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
	spec := configSpec{kind: kindReal, n: n, domains: livemock.DemoLiveDomains[:1], prefix: "od", endpoint: m.endpoint}
	if err := b.cycle("1domain", dir, spec, m, 0, []phase{phaseApply, phasePlan, phaseDestroy}); err != nil {
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
	if err := writeConfig(dir, configSpec{kind: kindReal, n: n, domains: livemock.DemoLiveDomains, prefix: "lat", endpoint: m.endpoint}); err != nil {
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
		if err := writeConfig(dir, configSpec{kind: k, n: n, domains: livemock.DemoLiveDomains, prefix: "rr", endpoint: ref.endpoint}); err != nil {
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
	if err := writeConfig(dir, configSpec{kind: kindReal, n: n, domains: livemock.DemoLiveDomains, prefix: "rl", endpoint: m.endpoint, providerExtra: extra}); err != nil {
		return err
	}
	for r := 0; r < b.opts.runs; r++ {
		s, err := b.phase(kindReal, n, dir, m, phaseApply)
		if err != nil {
			return fmt.Errorf("rate-limit scenario N=%d apply run %d: %w", n, r+1, err)
		}
		rr := rateRun{wall: s.wall, calls: s.calls, rejected: s.rejected}
		for _, a := range []string{lazypull.ActionSet, lazypull.ActionDescribe, lazypull.ActionDelete} {
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
