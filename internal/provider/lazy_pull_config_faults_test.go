package provider

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/services/sts"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/alicloud-live/terraform-provider-alicloud/internal/lazypull"
	"github.com/alicloud-live/terraform-provider-alicloud/internal/liveapi"
	"github.com/alicloud-live/terraform-provider-alicloud/internal/livemock"
)

// faultCheck turns a condition on the mock into a TestCheckFunc.
func faultCheck(f func() error) resource.TestCheckFunc {
	return func(*terraform.State) error { return f() }
}

// successfulWrites counts the answered-200 requests of action per
// "<domain>:<app>".
func successfulWrites(m *mockAPI, action string) map[string]int {
	out := map[string]int{}
	for _, r := range m.Requests() {
		if r.Action == action && r.Status == http.StatusOK {
			out[lazypull.ID(r.Params["DomainName"], r.Params["AppName"])]++
		}
	}
	return out
}

// TestAccLazyPullConfig_throttlingAndUnavailable: throttling and 503s on
// both the read and the write are retried within max_retries; the apply
// succeeds, state and service agree, and every injected fault was met.
func TestAccLazyPullConfig_throttlingAndUnavailable(t *testing.T) {
	m := newMockAPI(t)
	// max_retries = 4 allows 5 attempts: each action meets 4 faults and
	// succeeds on its last attempt.
	m.InjectThrottle(lazypull.ActionDescribe, 3)
	m.InjectServerError(lazypull.ActionDescribe, 1, http.StatusServiceUnavailable)
	m.InjectThrottle(lazypull.ActionSet, 3)
	m.InjectServerError(lazypull.ActionSet, 1, http.StatusServiceUnavailable)
	const injected = 8
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { preCheck(t) },
		ProtoV6ProviderFactories: testProviderFactories,
		CheckDestroy:             m.checkEmpty,
		Steps: []resource.TestStep{{
			Config: m.providerBlock("  max_retries = 4") + resourceBlock(basicAttrs()),
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
			},
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(res, tfjsonpath.New("id"), knownvalue.StringExact(testDomain+":live_app")),
				statecheck.ExpectKnownValue(res, tfjsonpath.New("pull_domain_name"), knownvalue.StringExact(basicWant.PullDomainName)),
				statecheck.ExpectKnownValue(res, tfjsonpath.New("pull_protocol"), knownvalue.StringExact("httpflv")),
				statecheck.ExpectKnownValue(res, tfjsonpath.New("transcode_lazy"), knownvalue.Bool(false)),
			},
			Check: resource.ComposeTestCheckFunc(
				m.checkConfig(testDomain, "live_app", basicWant),
				faultCheck(func() error {
					if got := m.FaultsServed(); got != injected {
						return fmt.Errorf("the mock served %d of the %d injected faults", got, injected)
					}
					if p := m.PendingFaults(lazypull.ActionSet) + m.PendingFaults(lazypull.ActionDescribe); p != 0 {
						return fmt.Errorf("%d faults were never met", p)
					}
					if th, su := m.Rejected("Throttling.User"), m.Rejected("ServiceUnavailable"); th != 6 || su != 2 {
						return fmt.Errorf("rejected: %d Throttling.User, %d ServiceUnavailable; want 6 and 2", th, su)
					}
					if n := m.Calls(lazypull.ActionSet); n != 5 {
						return fmt.Errorf("%d Set calls, want 5 (4 faults, then success)", n)
					}
					if w := successfulWrites(m, lazypull.ActionSet); len(w) != 1 || w[testDomain+":live_app"] != 1 {
						return fmt.Errorf("successful Sets %v, want exactly one", w)
					}
					return nil
				}),
			),
		}},
	})
}

// TestAccLazyPullConfig_droppedAfterWrite: the service applies a write but
// its answer is lost. The write is retried (Set is an upsert, Delete of a
// missing configuration succeeds), or without retries the provider finds
// the configuration written; either way one configuration, no duplicate,
// and a rerun of a failed destroy converges.
func TestAccLazyPullConfig_droppedAfterWrite(t *testing.T) {
	t.Run("retried", func(t *testing.T) {
		m := newMockAPI(t)
		m.InjectDropAfterApply(lazypull.ActionSet, 1)
		m.InjectDropAfterApply(lazypull.ActionDelete, 1)
		resource.Test(t, resource.TestCase{
			PreCheck:                 func() { preCheck(t) },
			ProtoV6ProviderFactories: testProviderFactories,
			CheckDestroy: resource.ComposeTestCheckFunc(m.checkEmpty, faultCheck(func() error {
				if n := m.Calls(lazypull.ActionDelete); n != 2 {
					return fmt.Errorf("%d Delete calls, want 2 (the dropped one and its retry)", n)
				}
				if m.FaultsServed() != 2 {
					return fmt.Errorf("%d of 2 faults served", m.FaultsServed())
				}
				return nil
			})),
			Steps: []resource.TestStep{{
				Config: m.providerBlock("  max_retries = 4") + resourceBlock(basicAttrs()),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: resource.ComposeTestCheckFunc(
					m.checkConfig(testDomain, "live_app", basicWant),
					resource.TestCheckResourceAttr(res, "id", testDomain+":live_app"),
					faultCheck(func() error {
						if all := m.AllConfigs(); len(all) != 1 {
							return fmt.Errorf("the mock holds %d configurations, want 1: %+v", len(all), all)
						}
						// Both Sets were applied: the dropped one and its retry.
						if n := m.Calls(lazypull.ActionSet); n != 2 {
							return fmt.Errorf("%d Set calls, want 2", n)
						}
						return nil
					}),
				),
			}},
		})
	})

	t.Run("no retries", func(t *testing.T) {
		m := newMockAPI(t)
		m.InjectDropAfterApply(lazypull.ActionSet, 1)
		cfg := m.providerBlock("  max_retries = 0") + resourceBlock(basicAttrs())
		resource.Test(t, resource.TestCase{
			PreCheck:                 func() { preCheck(t) },
			ProtoV6ProviderFactories: testProviderFactories,
			CheckDestroy:             m.checkEmpty,
			Steps: []resource.TestStep{
				{
					// The lost answer is not retried; a fresh Describe finds
					// the configuration as written, so the create succeeds.
					Config: cfg,
					ConfigPlanChecks: resource.ConfigPlanChecks{
						PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
					},
					Check: resource.ComposeTestCheckFunc(
						m.checkConfig(testDomain, "live_app", basicWant),
						faultCheck(func() error {
							if n := m.Calls(lazypull.ActionSet); n != 1 || m.FaultsServed() != 1 {
								return fmt.Errorf("%d Set calls, %d faults served; want 1 and 1", n, m.FaultsServed())
							}
							return nil
						}),
					),
				},
				{
					// A destroy whose Delete answer is lost fails without
					// retries; the configuration is gone all the same, and
					// the resource stays in state for the next run.
					PreConfig:   func() { m.InjectDropAfterApply(lazypull.ActionDelete, 1) },
					Config:      cfg,
					Destroy:     true,
					ExpectError: regexp.MustCompile(`(?s)Cannot Delete Lazy-Pull Configuration.*no answer from the Live API`),
				},
				{
					PreConfig: func() {
						if all := m.AllConfigs(); len(all) != 0 {
							t.Errorf("the lost Delete was not applied: %+v", all)
						}
					},
					// The rerun: state still has it; the refresh finds it gone.
					Config:             cfg,
					PlanOnly:           true,
					ExpectNonEmptyPlan: true,
				},
			},
		})
	})
}

// TestAccLazyPullConfig_permanentServerError: a 500 that persists through
// max_retries fails the apply with the code, the RequestId and the attempt
// count; nothing enters the state; once the service recovers, the next
// apply creates the configuration.
func TestAccLazyPullConfig_permanentServerError(t *testing.T) {
	m := newMockAPI(t)
	m.InjectServerError(lazypull.ActionSet, 1000, http.StatusInternalServerError)
	cfg := m.providerBlock("  max_retries = 2") + resourceBlock(basicAttrs())
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { preCheck(t) },
		ProtoV6ProviderFactories: testProviderFactories,
		CheckDestroy:             m.checkEmpty,
		Steps: []resource.TestStep{
			{
				Config:      cfg,
				ExpectError: regexp.MustCompile(`(?s)Cannot Create Lazy-Pull Configuration.*Code:\s+InternalError.*RequestId:\s+[0-9A-F]{8}-[0-9A-F-]{27}.*HTTP:\s+500.*Attempts:\s+3`),
			},
			{
				PreConfig: func() {
					if n := m.Calls(lazypull.ActionSet); n != 3 {
						t.Errorf("%d Set calls, want 3 (max_retries = 2)", n)
					}
					if all := m.AllConfigs(); len(all) != 0 {
						t.Errorf("a failed Set left %+v", all)
					}
					m.ClearFaults()
				},
				Config: cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					// A create, not an update or a no-op: the state held nothing.
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(res, plancheck.ResourceActionCreate)},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: m.checkConfig(testDomain, "live_app", basicWant),
			},
		},
	})
}

// TestAccLazyPullConfig_timeoutBoundsRetries: an answer slower than
// client_read_timeout is abandoned and retried; and a resource's timeouts
// end the retries of a failure that persists, saying so.
func TestAccLazyPullConfig_timeoutBoundsRetries(t *testing.T) {
	t.Run("client_read_timeout", func(t *testing.T) {
		m := newMockAPI(t)
		m.InjectDelay(lazypull.ActionSet, 1, 30*time.Second)
		resource.Test(t, resource.TestCase{
			PreCheck:                 func() { preCheck(t) },
			ProtoV6ProviderFactories: testProviderFactories,
			CheckDestroy:             m.checkEmpty,
			Steps: []resource.TestStep{{
				Config: m.providerBlock("  max_retries = 2\n  client_read_timeout = 1000") + resourceBlock(basicAttrs()),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: resource.ComposeTestCheckFunc(
					m.checkConfig(testDomain, "live_app", basicWant),
					faultCheck(func() error {
						var statuses []int
						for _, r := range m.Requests() {
							if r.Action == lazypull.ActionSet {
								statuses = append(statuses, r.Status)
							}
						}
						// 499: the client went away during the delay.
						if len(statuses) != 2 || statuses[0] != 499 || statuses[1] != http.StatusOK {
							return fmt.Errorf("Set answers %v, want [499 200]: the slow attempt must be abandoned, then retried", statuses)
						}
						return nil
					}),
				),
			}},
		})
	})

	t.Run("timeouts.create", func(t *testing.T) {
		m := newMockAPI(t)
		m.InjectServerError(lazypull.ActionSet, 1000, http.StatusInternalServerError)
		attrs := with(basicAttrs(), "timeouts", `create = "2s"`)
		resource.Test(t, resource.TestCase{
			PreCheck:                 func() { preCheck(t) },
			ProtoV6ProviderFactories: testProviderFactories,
			CheckDestroy:             m.checkEmpty,
			Steps: []resource.TestStep{{
				// max_retries = 50 cannot run out within 2s of backoff: only
				// the timeout can end the retries.
				Config: m.providerBlock("  max_retries = 50") + resourceBlock(attrs),
				// The last attempt is the InternalError, or (rarely) an attempt
				// cut short by the deadline itself.
				ExpectError: regexp.MustCompile(`(?s)(Code:\s+InternalError|no\s+answer\s+from\s+the\s+Live\s+API).*gave\s+up:\s+(the\s+operation's\s+timeout\s+leaves\s+no\s+time|context\s+deadline\s+exceeded)`),
			}},
		})
		if n := m.Calls(lazypull.ActionSet); n < 2 || n >= 51 {
			t.Errorf("%d Set calls: want several retries, ended by the timeout before max_retries", n)
		}
		if len(m.AllConfigs()) != 0 {
			t.Errorf("the mock holds %+v", m.AllConfigs())
		}
	})
}

// partialFailureConfig renders 10 configurations over two domains.
func partialFailureConfig(m *mockAPI) string {
	return m.providerBlock("  max_retries = 1") + fmt.Sprintf(`
locals {
  domains = [%q, %q]
}

# count, not for_each: the test harness's legacy state shim cannot index
# for_each instances.
resource "alicloud_live_lazy_pull_config" "p" {
  count            = 10
  domain_name      = local.domains[count.index < 5 ? 0 : 1]
  app_name         = "app${count.index}"
  pull_domain_name = "origin-app${count.index}.example.net"
  pull_protocol    = "rtmp"
  transcode_lazy   = true
}
`, testDomain, testDomain2)
}

func partialFailureWant() map[string]livemock.Config {
	want := map[string]livemock.Config{}
	for i := 0; i < 10; i++ {
		domain := testDomain
		if i >= 5 {
			domain = testDomain2
		}
		app := fmt.Sprintf("app%d", i)
		want[lazypull.ID(domain, app)] = livemock.Config{DomainName: domain, AppName: app, PullDomainName: "origin-" + app + ".example.net", PullProtocol: "rtmp", TranscodeLazy: "yes"}
	}
	return want
}

// checkMockHolds compares the mock's configurations with want exactly.
func checkMockHolds(m *mockAPI, want map[string]livemock.Config) error {
	got := map[string]livemock.Config{}
	for _, c := range m.AllConfigs() {
		got[lazypull.ID(c.DomainName, c.AppName)] = c
	}
	var problems []string
	for id, w := range want {
		if g, ok := got[id]; !ok {
			problems = append(problems, "missing "+id)
		} else if g != w {
			problems = append(problems, fmt.Sprintf("%s is %+v, want %+v", id, g, w))
		}
	}
	for id := range got {
		if _, ok := want[id]; !ok {
			problems = append(problems, "unexpected "+id)
		}
	}
	sort.Strings(problems)
	if len(problems) > 0 {
		return fmt.Errorf("the mock's configurations differ: %s", strings.Join(problems, "; "))
	}
	return nil
}

// TestAccLazyPullConfig_partialFailure: of 10 configurations over two
// domains, one fails permanently. The other nine are created and kept in
// state; after the service recovers, the next apply creates only the
// missing one. Nothing lost, nothing written twice.
func TestAccLazyPullConfig_partialFailure(t *testing.T) {
	m := newMockAPI(t)
	const failing = "app7"
	m.InjectServerErrorFor(lazypull.ActionSet, testDomain2, failing, 1000, http.StatusInternalServerError)
	cfg := partialFailureConfig(m)
	want := partialFailureWant()
	addr := func(app string) string {
		return "alicloud_live_lazy_pull_config.p[" + strings.TrimPrefix(app, "app") + "]"
	}

	var noOps []plancheck.PlanCheck
	for i := 0; i < 10; i++ {
		if app := fmt.Sprintf("app%d", i); app != failing {
			noOps = append(noOps, plancheck.ExpectResourceAction(addr(app), plancheck.ResourceActionNoop))
		}
	}
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { preCheck(t) },
		ProtoV6ProviderFactories: testProviderFactories,
		CheckDestroy:             m.checkEmpty,
		Steps: []resource.TestStep{
			{
				Config:      cfg,
				ExpectError: regexp.MustCompile(`(?s)Cannot Create Lazy-Pull Configuration.*p\[7\].*InternalError`),
			},
			{
				PreConfig: func() {
					nine := map[string]livemock.Config{}
					for id, c := range want {
						if c.AppName != failing {
							nine[id] = c
						}
					}
					if err := checkMockHolds(m, nine); err != nil {
						t.Errorf("after the partial failure: %v", err)
					}
					if n := m.FaultsServed(); n != 2 {
						t.Errorf("%d faults served, want 2 (app7's Set and its one retry)", n)
					}
					m.ClearFaults()
				},
				Config: cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					// The nine are in state (no-op), only app7 is created.
					PreApply:             append([]plancheck.PlanCheck{plancheck.ExpectResourceAction(addr(failing), plancheck.ResourceActionCreate)}, noOps...),
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: faultCheck(func() error {
					if err := checkMockHolds(m, want); err != nil {
						return err
					}
					writes := successfulWrites(m, lazypull.ActionSet)
					for id := range want {
						if writes[id] != 1 {
							return fmt.Errorf("%s was written %d times, want exactly once (all writes: %v)", id, writes[id], writes)
						}
					}
					if n := m.Calls(lazypull.ActionSet); n != 12 {
						return fmt.Errorf("%d Set calls, want 12 (9 + app7 twice failed + app7 once)", n)
					}
					return nil
				}),
			},
		},
	})
}

// trafficWatch counts the requests the mock is handling at once and
// records when each request of each action arrived.
type trafficWatch struct {
	now, peak atomic.Int64
	mu        sync.Mutex
	arrivals  map[string][]time.Time
}

func (f *trafficWatch) wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_ = r.ParseForm()
		f.mu.Lock()
		if f.arrivals == nil {
			f.arrivals = map[string][]time.Time{}
		}
		f.arrivals[r.Form.Get("Action")] = append(f.arrivals[r.Form.Get("Action")], time.Now())
		f.mu.Unlock()
		n := f.now.Add(1)
		for {
			p := f.peak.Load()
			if n <= p || f.peak.CompareAndSwap(p, n) {
				break
			}
		}
		defer f.now.Add(-1)
		next.ServeHTTP(w, r)
	})
}

// closest returns, per action, the shortest time in which limit+1 of its
// requests arrived: a client that keeps limit calls per window keeps it
// above the window.
func (f *trafficWatch) closest(limit int) map[string]time.Duration {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := map[string]time.Duration{}
	for action, ts := range f.arrivals {
		ts = slices.Clone(ts)
		slices.SortFunc(ts, time.Time.Compare)
		for i := 0; i+limit < len(ts); i++ {
			if g, ok := out[action]; !ok || ts[i+limit].Sub(ts[i]) < g {
				out[action] = ts[i+limit].Sub(ts[i])
			}
		}
	}
	return out
}

// parallelismWrapper writes a Terraform CLI wrapper that replaces every
// -parallelism=N argument with -parallelism=n. terraform-plugin-testing runs
// plan, apply and destroy through terraform-exec, which always passes
// -parallelism=10 after anything from TF_CLI_ARGS_<command>, so the
// environment variable alone cannot raise it (Terraform keeps the last
// value of a repeated flag).
func parallelismWrapper(t *testing.T, n int) string {
	t.Helper()
	tf := os.Getenv("TF_ACC_TERRAFORM_PATH")
	if tf == "" {
		tf = "terraform"
	}
	script := filepath.Join(t.TempDir(), "terraform")
	body := fmt.Sprintf(`#!/bin/sh
for a in "$@"; do
  shift
  case "$a" in
    -parallelism=*) a="-parallelism=%d" ;;
  esac
  set -- "$@" "$a"
done
exec %q "$@"
`, n, tf)
	if err := os.WriteFile(script, []byte(body), 0o755); err != nil {
		t.Fatal(err)
	}
	return script
}

const testDomain3 = "live3.example.com"

// TestAccLazyPullConfig_load: 300 configurations over three domains,
// applied with parallelism 30, the provider limited to 100 calls per action
// per 2 s, against a mock that rejects the 101st call of an action within
// 2 s (an unpaced client is rejected at once): every configuration is
// created, nothing is rejected, the next plan is empty, and destroy removes
// everything.
//
// terraform-plugin-testing has no parallelism setting, and
// TF_CLI_ARGS_apply=-parallelism=30 does not work with it (see
// parallelismWrapper), so the test runs Terraform through a wrapper that
// rewrites the flag, and proves the parallelism by the requests in flight.
func TestAccLazyPullConfig_load(t *testing.T) {
	const (
		n           = 300
		limit       = 100
		window      = 2 * time.Second
		parallelism = 30
		// The mock counts exactly the provider's window. (Before the
		// limiter timed its window from each call's completion, a call
		// delayed 126 ms between the limiter and the mock made the mock
		// reject the calls 100 places after it.)
		mockWindow = window
	)

	// Control: a client that does not pace itself is rejected by this mock.
	t.Run("control: unpaced client is throttled", func(t *testing.T) {
		m := newMockAPI(t)
		m.SetRateLimit(limit, mockWindow)
		c, err := liveapi.New(liveapi.Options{
			Endpoint:    m.URL,
			Credentials: loadTestCreds{},
			MaxRetries:  -1,
			RateLimit:   1 << 20,
			RateWindow:  time.Second,
		})
		if err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		for i := 0; i < limit+50; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_ = c.Set(context.Background(), lazypull.Config{DomainName: testDomain, AppName: fmt.Sprintf("c%d", i), PullDomainName: "o.example.net", PullProtocol: "rtmp"})
			}()
		}
		wg.Wait()
		if m.Rejected("Throttling.User") == 0 {
			t.Fatalf("%d calls in a burst were all accepted: the mock's limit would not catch an unpaced provider", limit+50)
		}
		t.Logf("control: %d of %d unpaced calls rejected with Throttling.User", m.Rejected("Throttling.User"), limit+50)
	})

	var flight trafficWatch
	m := newWrappedMockAPI(t, flight.wrap)
	m.AddLiveDomains(testDomain3)
	m.SetRateLimit(limit, mockWindow)
	// Slow down the first writes (after the rate check), so that the
	// number of writes in flight shows the parallelism.
	m.InjectDelay(lazypull.ActionSet, parallelism, 300*time.Millisecond)
	t.Setenv("TF_ACC_TERRAFORM_PATH", parallelismWrapper(t, parallelism))

	domains := []string{testDomain, testDomain2, testDomain3}
	want := map[string]livemock.Config{}
	for i := 0; i < n; i++ {
		d, app := domains[i%len(domains)], fmt.Sprintf("app%03d", i)
		want[lazypull.ID(d, app)] = livemock.Config{DomainName: d, AppName: app, PullDomainName: fmt.Sprintf("origin%d.example.net:1935", i%7), PullProtocol: "hls", TranscodeLazy: "no"}
	}
	cfg := m.providerBlock(fmt.Sprintf("  rate_limit = %d\n  rate_limit_window = %q\n  max_retries = 4", limit, window.String())) + fmt.Sprintf(`
locals {
  domains = [%q, %q, %q]
}

resource "alicloud_live_lazy_pull_config" "load" {
  count            = %d
  domain_name      = local.domains[count.index %% 3]
  app_name         = format("app%%03d", count.index)
  pull_domain_name = "origin${count.index %% 7}.example.net:1935"
  pull_protocol    = "hls"
}
`, testDomain, testDomain2, testDomain3, n)

	start := time.Now()
	var applied time.Duration
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { preCheck(t) },
		ProtoV6ProviderFactories: testProviderFactories,
		CheckDestroy: resource.ComposeTestCheckFunc(m.checkEmpty, faultCheck(func() error {
			if r := m.Rejected("Throttling.User"); r != 0 {
				return fmt.Errorf("the mock rejected %d calls with Throttling.User", r)
			}
			return nil
		})),
		Steps: []resource.TestStep{{
			Config: cfg,
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
			},
			Check: faultCheck(func() error {
				applied = time.Since(start)
				if got := len(m.AllConfigs()); got != n {
					return fmt.Errorf("the mock holds %d configurations, want %d", got, n)
				}
				if err := checkMockHolds(m, want); err != nil {
					return err
				}
				if r := m.Rejected("Throttling.User"); r != 0 {
					return fmt.Errorf("the mock rejected %d calls with Throttling.User: the provider exceeded the rate limit", r)
				}
				if p := flight.peak.Load(); p <= 10 {
					return fmt.Errorf("at most %d requests were in flight: the apply did not run with parallelism %d", p, parallelism)
				}
				return nil
			}),
		}},
	})
	t.Logf("load: %d configurations over %d domains, parallelism %d, provider rate limit %d per %s per action, mock limit %d per %s", n, len(domains), parallelism, limit, window, limit, mockWindow)
	t.Logf("load: calls Set=%d Describe=%d Delete=%d total=%d; Throttling.User rejections=%d; peak in flight=%d",
		m.Calls(lazypull.ActionSet), m.Calls(lazypull.ActionDescribe), m.Calls(lazypull.ActionDelete), m.TotalCalls(), m.Rejected("Throttling.User"), flight.peak.Load())
	t.Logf("load: shortest time in which %d calls of one action reached the mock: %v", limit+1, flight.closest(limit))
	t.Logf("load: apply and checks %s, whole test (plan, apply, refresh, plans, destroy) %s", applied.Round(time.Millisecond), time.Since(start).Round(time.Millisecond))
}

type loadTestCreds struct{}

func (loadTestCreds) Credentials(context.Context) (liveapi.Credentials, error) {
	return liveapi.Credentials{AccessKeyID: testAccessKey, AccessKeySecret: testSecretKey}, nil
}
func (loadTestCreds) Describe() string  { return "the load test" }
func (loadTestCreds) Secrets() []string { return []string{testSecretKey} }

// captureProcessOutput tees this process's standard output and error into a
// buffer until the returned function is called, which returns the text.
func captureProcessOutput(t *testing.T) func() string {
	t.Helper()
	origOut, origErr := os.Stdout, os.Stderr
	var mu sync.Mutex
	var buf bytes.Buffer
	var wg sync.WaitGroup
	tee := func(orig *os.File) *os.File {
		r, w, err := os.Pipe()
		if err != nil {
			t.Fatal(err)
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			chunk := make([]byte, 32<<10)
			for {
				k, err := r.Read(chunk)
				if k > 0 {
					mu.Lock()
					buf.Write(chunk[:k])
					mu.Unlock()
					_, _ = orig.Write(chunk[:k])
				}
				if err != nil {
					return
				}
			}
		}()
		return w
	}
	outW, errW := tee(origOut), tee(origErr)
	os.Stdout, os.Stderr = outW, errW
	var once sync.Once
	stop := func() string {
		once.Do(func() {
			os.Stdout, os.Stderr = origOut, origErr
			outW.Close()
			errW.Close()
			wg.Wait()
		})
		mu.Lock()
		defer mu.Unlock()
		return buf.String()
	}
	t.Cleanup(func() { stop() })
	return stop
}

// secretForms lists the ways a secret may appear in text: raw, URL-encoded
// (query and path style, and twice, as inside a string to sign) and
// JSON-escaped.
func secretForms(secret string) []string {
	q := url.QueryEscape(secret)
	j, _ := json.Marshal(secret)
	return []string{secret, q, url.PathEscape(secret), url.QueryEscape(q), strings.Trim(string(j), `"`)}
}

const secretsRoleArn = "acs:ram::1234567890123456:role/secrets-test"

// TestAccLazyPullConfig_secretsNeverLogged runs create, a failing plan
// with a wrong secret (SignatureDoesNotMatch, answered the way the real
// service answers: with the string to sign, which carries the token), a
// timed-out and a throttled attempt, and destroy, all with STS temporary
// credentials and every log at TRACE, then searches the Terraform CLI and
// provider logs, the errors and this process's output for the secret and
// the token.
func TestAccLazyPullConfig_secretsNeverLogged(t *testing.T) {
	m := newMockAPI(t)
	m.AddRoles(secretsRoleArn)

	// Temporary credentials from the mock's STS, through the SDK.
	stsClient, err := sts.NewClientWithAccessKey("cn-shanghai", testAccessKey, testSecretKey)
	if err != nil {
		t.Fatal(err)
	}
	u, _ := url.Parse(m.URL)
	req := sts.CreateAssumeRoleRequest()
	req.Scheme, req.Domain = "http", u.Host
	req.RoleArn, req.RoleSessionName = secretsRoleArn, "secrets-never-logged"
	assumed, err := stsClient.AssumeRole(req)
	if err != nil {
		t.Fatalf("AssumeRole: %v", err)
	}
	tempKey, tempSecret, token := assumed.Credentials.AccessKeyId, assumed.Credentials.AccessKeySecret, assumed.Credentials.SecurityToken
	if !strings.HasPrefix(tempKey, "STS.") || len(token) < 100 {
		t.Fatalf("unexpected temporary credentials: key %q, token of %d characters", tempKey, len(token))
	}
	const wrongSecret = "wrong-secret-value-3e9d0c1f"
	secrets := map[string]string{"temporary secret": tempSecret, "security token": token, "wrong secret": wrongSecret, "long-term secret": testSecretKey}

	logPath := filepath.Join(t.TempDir(), "tf.log")
	t.Setenv("TF_ACC_LOG_PATH", logPath)
	t.Setenv("TF_LOG", "TRACE")
	// The secrets reach the provider block through variables: the test
	// harness logs each step's configuration text at TRACE.
	t.Setenv("TF_VAR_live_secret_key", tempSecret)
	t.Setenv("TF_VAR_live_security_token", token)
	t.Setenv("TF_VAR_live_wrong_secret_key", wrongSecret)

	provider := func(secretVar string) string {
		return fmt.Sprintf(`
variable "live_secret_key" {
  type      = string
  sensitive = true
}
variable "live_security_token" {
  type      = string
  sensitive = true
}
variable "live_wrong_secret_key" {
  type      = string
  sensitive = true
}

provider "alicloud" {
  access_key          = %q
  secret_key          = var.%s
  security_token      = var.live_security_token
  region              = "cn-shanghai"
  max_retries         = 2
  client_read_timeout = 1000
  endpoints {
    live = %q
  }
}
`, tempKey, secretVar, m.URL)
	}
	good := provider("live_secret_key") + resourceBlock(basicAttrs())
	bad := provider("live_wrong_secret_key") + resourceBlock(basicAttrs())

	var stepErrors []string
	sigErr := regexp.MustCompile(`(?s)Cannot Read Lazy-Pull Configuration.*SignatureDoesNotMatch.*secret key from the secret_key attribute`)
	stop := captureProcessOutput(t)
	fmt.Fprintln(os.Stderr, "capture probe: this process's output is being searched")
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { preCheck(t) },
		ProtoV6ProviderFactories: testProviderFactories,
		CheckDestroy:             m.checkEmpty,
		ErrorCheck: func(err error) error {
			stepErrors = append(stepErrors, err.Error())
			if sigErr.MatchString(err.Error()) {
				return nil
			}
			return err
		},
		Steps: []resource.TestStep{
			{
				PreConfig: func() {
					m.InjectDelay(lazypull.ActionSet, 1, 30*time.Second)
					m.InjectThrottle(lazypull.ActionSet, 1)
				},
				Config: good,
				Check: resource.ComposeTestCheckFunc(
					m.checkConfig(testDomain, "live_app", basicWant),
					faultCheck(func() error {
						for _, r := range m.Requests() {
							if r.Action == lazypull.ActionSet && r.Status == http.StatusOK {
								if r.Params["SecurityToken"] != token || r.AccessKeyID != tempKey {
									return fmt.Errorf("the Set was not signed with the temporary credentials")
								}
								return nil
							}
						}
						return fmt.Errorf("no Set succeeded")
					}),
				),
			},
			{
				// The refresh fails: the wrong secret's signature is rejected.
				Config: bad,
			},
			{
				Config: good,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
			},
		},
	})
	output := stop()

	if !strings.Contains(output, "capture probe") {
		t.Fatal("the capture of this process's output does not work")
	}
	if len(stepErrors) != 1 || !sigErr.MatchString(stepErrors[0]) {
		t.Fatalf("want exactly the SignatureDoesNotMatch error of step 2, got %d errors: %q", len(stepErrors), stepErrors)
	}
	if m.Rejected(liveapi.CodeSignatureMismatch) == 0 {
		t.Fatal("no SignatureDoesNotMatch answer (which echoes the string to sign) was sent: the error path was not exercised")
	}
	if m.FaultsServed() != 2 {
		t.Fatalf("%d of 2 faults served", m.FaultsServed())
	}
	raw, err := os.ReadFile(logPath)
	if err != nil {
		t.Fatal(err)
	}
	logText := string(raw)
	for _, want := range []string{"Live API call succeeded", "Live API call failed", "SignatureDoesNotMatch", "Throttling.User", tempKey, "alicloud: Live API call"} {
		if !strings.Contains(logText, want) {
			t.Errorf("the log (%d bytes) lacks %q: it does not hold what this test searches", len(raw), want)
		}
	}
	sources := map[string]string{"the log file": logText, "the step errors": strings.Join(stepErrors, "\n"), "this process's output": output}
	for what, text := range sources {
		for name, secret := range secrets {
			for _, form := range secretForms(secret) {
				if i := strings.Index(text, form); i >= 0 {
					t.Errorf("%s contains the %s (as %q) at byte %d: ...%s...", what, name, form, i, excerpt(text, i))
				}
			}
		}
	}
	t.Logf("searched %d bytes of logs, %d bytes of errors and %d bytes of process output for %d secrets in %d forms each",
		len(logText), len(strings.Join(stepErrors, "\n")), len(output), len(secrets), len(secretForms("x")))
}

func excerpt(s string, i int) string {
	from, to := max(0, i-120), min(len(s), i+60)
	return s[from:to]
}
