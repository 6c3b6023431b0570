package provider

// Load: hundreds of configurations at high parallelism under the API's rate
// limit, with no call rejected.

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"

	"github.com/alicloud-live/terraform-provider-alicloud/internal/lazypull"
	"github.com/alicloud-live/terraform-provider-alicloud/internal/liveapi"
	"github.com/alicloud-live/terraform-provider-alicloud/internal/livemock"
)

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
`, n, terraformPath())
	if err := os.WriteFile(script, []byte(body), 0o755); err != nil {
		t.Fatal(err)
	}
	return script
}

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
		m := newService(t)
		m.requireMock(t, "it sets the mock's rate limit and counts its calls")
		m.mock.SetRateLimit(limit, mockWindow)
		c, err := liveapi.New(liveapi.Options{
			Endpoint:    m.url,
			Credentials: testCredentials,
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
		if m.mock.Rejected("Throttling.User") == 0 {
			t.Fatalf("%d calls in a burst were all accepted: the mock's limit would not catch an unpaced provider", limit+50)
		}
		t.Logf("control: %d of %d unpaced calls rejected with Throttling.User", m.mock.Rejected("Throttling.User"), limit+50)
	})

	var flight trafficWatch
	m := newWrappedService(t, flight.wrap)
	m.requireMock(t, "it sets the mock's rate limit and counts its calls")
	m.mock.AddLiveDomains(testDomain3)
	m.mock.SetRateLimit(limit, mockWindow)
	// Slow down the first writes (after the rate check), so that the
	// number of writes in flight shows the parallelism.
	m.mock.InjectDelay(lazypull.ActionSet, parallelism, 300*time.Millisecond)
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
			if r := m.mock.Rejected("Throttling.User"); r != 0 {
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
				if got := len(m.mock.AllConfigs()); got != n {
					return fmt.Errorf("the mock holds %d configurations, want %d", got, n)
				}
				if err := checkMockHolds(m, want); err != nil {
					return err
				}
				if r := m.mock.Rejected("Throttling.User"); r != 0 {
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
		m.mock.Calls(lazypull.ActionSet), m.mock.Calls(lazypull.ActionDescribe), m.mock.Calls(lazypull.ActionDelete), m.mock.TotalCalls(), m.mock.Rejected("Throttling.User"), flight.peak.Load())
	t.Logf("load: shortest time in which %d calls of one action reached the mock: %v", limit+1, flight.closest(limit))
	t.Logf("load: apply and checks %s, whole test (plan, apply, refresh, plans, destroy) %s", applied.Round(time.Millisecond), time.Since(start).Round(time.Millisecond))
}
