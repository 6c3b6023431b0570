package provider

// Retries: throttling, unavailable and failing services, permanent errors,
// timeouts that bound the retries, gateway pages and permission denials, and
// one configuration failing among many. Every test here needs the mock's
// fault injection.

import (
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/alicloud-live/terraform-provider-alicloud/internal/lazypull"
	"github.com/alicloud-live/terraform-provider-alicloud/internal/livemock"
)

// TestAccLazyPullConfig_throttlingAndUnavailable: throttling and 503s on
// both the read and the write are retried within max_retries; the apply
// succeeds, state and service agree, and every injected fault was met.
func TestAccLazyPullConfig_throttlingAndUnavailable(t *testing.T) {
	m := newService(t)
	m.requireMock(t, "it injects faults")
	// max_retries = 4 allows 5 attempts: each action meets 4 faults and
	// succeeds on its last attempt.
	m.mock.InjectThrottle(lazypull.ActionDescribe, 3)
	m.mock.InjectServerError(lazypull.ActionDescribe, 1, http.StatusServiceUnavailable)
	m.mock.InjectThrottle(lazypull.ActionSet, 3)
	m.mock.InjectServerError(lazypull.ActionSet, 1, http.StatusServiceUnavailable)
	const injected = 8
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { preCheck(t) },
		ProtoV6ProviderFactories: testProviderFactories,
		CheckDestroy:             m.checkEmpty,
		Steps: []resource.TestStep{{
			Config: m.providerBlock("  max_retries = 4") + resourceBlock(basicAttrs(m)),
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
					if got := m.mock.FaultsServed(); got != injected {
						return fmt.Errorf("the mock served %d of the %d injected faults", got, injected)
					}
					if p := m.mock.PendingFaults(lazypull.ActionSet) + m.mock.PendingFaults(lazypull.ActionDescribe); p != 0 {
						return fmt.Errorf("%d faults were never met", p)
					}
					if th, su := m.mock.Rejected("Throttling.User"), m.mock.Rejected("ServiceUnavailable"); th != 6 || su != 2 {
						return fmt.Errorf("rejected: %d Throttling.User, %d ServiceUnavailable; want 6 and 2", th, su)
					}
					if n := m.mock.Calls(lazypull.ActionSet); n != 5 {
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

// TestAccLazyPullConfig_permanentServerError: a 500 that persists through
// max_retries fails the apply with the code, the RequestId and the attempt
// count; nothing enters the state; once the service recovers, the next
// apply creates the configuration.
func TestAccLazyPullConfig_permanentServerError(t *testing.T) {
	m := newService(t)
	m.requireMock(t, "it injects faults")
	m.mock.InjectServerError(lazypull.ActionSet, 1000, http.StatusInternalServerError)
	cfg := m.providerBlock("  max_retries = 2") + resourceBlock(basicAttrs(m))
	resource.ParallelTest(t, resource.TestCase{
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
					if n := m.mock.Calls(lazypull.ActionSet); n != 3 {
						t.Errorf("%d Set calls, want 3 (max_retries = 2)", n)
					}
					if all := m.mock.AllConfigs(); len(all) != 0 {
						t.Errorf("a failed Set left %+v", all)
					}
					m.mock.ClearFaults()
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
	t.Parallel()
	t.Run("client_read_timeout", func(t *testing.T) {
		m := newService(t)
		m.requireMock(t, "it injects faults")
		m.mock.InjectDelay(lazypull.ActionSet, 1, 30*time.Second)
		resource.ParallelTest(t, resource.TestCase{
			PreCheck:                 func() { preCheck(t) },
			ProtoV6ProviderFactories: testProviderFactories,
			CheckDestroy:             m.checkEmpty,
			Steps: []resource.TestStep{{
				Config: m.providerBlock("  max_retries = 2\n  client_read_timeout = 1000") + resourceBlock(basicAttrs(m)),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: resource.ComposeTestCheckFunc(
					m.checkConfig(testDomain, "live_app", basicWant),
					faultCheck(func() error {
						var statuses []int
						for _, r := range m.mock.Requests() {
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
		m := newService(t)
		m.requireMock(t, "it injects faults")
		m.mock.InjectServerError(lazypull.ActionSet, 1000, http.StatusInternalServerError)
		attrs := with(basicAttrs(m), "timeouts", `create = "2s"`)
		resource.ParallelTest(t, resource.TestCase{
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
		if n := m.mock.Calls(lazypull.ActionSet); n < 2 || n >= 51 {
			t.Errorf("%d Set calls: want several retries, ended by the timeout before max_retries", n)
		}
		if len(m.mock.AllConfigs()) != 0 {
			t.Errorf("the mock holds %+v", m.mock.AllConfigs())
		}
	})
}

// partialFailureConfig renders 10 configurations over two domains.
func partialFailureConfig(m *testService) string {
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

// TestAccLazyPullConfig_partialFailure: of 10 configurations over two
// domains, one fails permanently. The other nine are created and kept in
// state; after the service recovers, the next apply creates only the
// missing one. Nothing lost, nothing written twice.
func TestAccLazyPullConfig_partialFailure(t *testing.T) {
	m := newService(t)
	m.requireMock(t, "it injects faults")
	const failing = "app7"
	m.mock.InjectServerErrorFor(lazypull.ActionSet, testDomain2, failing, 1000, http.StatusInternalServerError)
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
	resource.ParallelTest(t, resource.TestCase{
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
					if n := m.mock.FaultsServed(); n != 2 {
						t.Errorf("%d faults served, want 2 (app7's Set and its one retry)", n)
					}
					m.mock.ClearFaults()
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
					if n := m.mock.Calls(lazypull.ActionSet); n != 12 {
						return fmt.Errorf("%d Set calls, want 12 (9 + app7 twice failed + app7 once)", n)
					}
					return nil
				}),
			},
		},
	})
}

// TestAccLazyPullConfig_gatewayPages: a load balancer's 502/503/504 with an
// HTML page instead of the API's error is retried like any 5xx; when it
// persists, the error shows the status and the page's first line, not the
// whole page.
func TestAccLazyPullConfig_gatewayPages(t *testing.T) {
	t.Parallel()
	t.Run("retried", func(t *testing.T) {
		m := newService(t)
		mock := m.requireMock(t, "it injects gateway pages")
		mock.InjectGatewayError(lazypull.ActionSet, 1, http.StatusBadGateway)
		mock.InjectGatewayError(lazypull.ActionDescribe, 1, http.StatusGatewayTimeout)
		resource.ParallelTest(t, resource.TestCase{
			PreCheck:                 func() { preCheck(t) },
			ProtoV6ProviderFactories: testProviderFactories,
			CheckDestroy:             m.checkEmpty,
			Steps: []resource.TestStep{{
				Config: m.providerBlock("  max_retries = 2") + resourceBlock(basicAttrs(m)),
				Check: resource.ComposeTestCheckFunc(
					m.checkConfig(testDomain, "live_app", basicWant),
					faultCheck(func() error {
						if mock.FaultsServed() != 2 || mock.Calls(lazypull.ActionSet) != 2 {
							return fmt.Errorf("%d faults served, %d Set calls; want 2 and 2", mock.FaultsServed(), mock.Calls(lazypull.ActionSet))
						}
						return nil
					}),
				),
			}},
		})
	})
	t.Run("persistent", func(t *testing.T) {
		m := newService(t)
		mock := m.requireMock(t, "it injects gateway pages")
		mock.InjectGatewayError(lazypull.ActionSet, 100, http.StatusServiceUnavailable)
		resource.ParallelTest(t, resource.TestCase{
			PreCheck:                 func() { preCheck(t) },
			ProtoV6ProviderFactories: testProviderFactories,
			CheckDestroy:             m.checkEmpty,
			Steps: []resource.TestStep{{
				Config:      m.providerBlock("  max_retries = 1") + resourceBlock(basicAttrs(m)),
				ExpectError: regexp.MustCompile(`(?s)Cannot Create Lazy-Pull Configuration.*Code:\s+HTTP503.*HTTP:\s+503.*Attempts:\s+2`),
			}},
		})
		if n := mock.Calls(lazypull.ActionSet); n != 2 {
			t.Errorf("%d Set calls, want 2 (max_retries = 1)", n)
		}
	})
}

// TestAccLazyPullConfig_ramDenied: a RAM denial is not retried, and the
// error names the RAM action to grant; so does an HTTP 403 whose HTML page
// (a gateway's or a firewall's) carries no code.
func TestAccLazyPullConfig_ramDenied(t *testing.T) {
	t.Parallel()
	for _, code := range []string{"Forbidden.RAM", "NoPermission", "HTTP403"} {
		t.Run(code, func(t *testing.T) {
			m := newService(t)
			mock := m.requireMock(t, "it denies actions")
			if code == "HTTP403" {
				mock.InjectGatewayError(lazypull.ActionSet, 100, http.StatusForbidden)
			} else {
				mock.DenyAction(lazypull.ActionSet, code)
			}
			resource.ParallelTest(t, resource.TestCase{
				PreCheck:                 func() { preCheck(t) },
				ProtoV6ProviderFactories: testProviderFactories,
				CheckDestroy:             m.checkEmpty,
				Steps: []resource.TestStep{{
					Config:      m.providerBlock("") + resourceBlock(basicAttrs(m)),
					ExpectError: regexp.MustCompile(`(?s)Code:\s+` + regexp.QuoteMeta(code) + `.*HTTP:\s+403.*live:SetLiveLazyPullStreamInfoConfig`),
				}},
			})
			if n := mock.Calls(lazypull.ActionSet); n != 1 {
				t.Errorf("%d Set calls, want 1: a denial is not retried", n)
			}
		})
	}
}
