package provider

// What the API reference leaves open: each test runs against the mock
// variant that answers the way that breaks a provider relying on a guess
// (a Set that keeps parameters it is not sent, a Delete of a missing
// configuration that fails, a Describe that lags behind writes), and shows
// that the outcome is the planned one anyway. Also: pull_args, which the
// console can set, survives writes; the state records what the service
// holds, not what was sent; a write that fails while the service holds the
// old value is not reported as done.

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
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/alicloud-live/terraform-provider-alicloud/internal/lazypull"
	"github.com/alicloud-live/terraform-provider-alicloud/internal/livemock"
)

// TestAccLazyPullConfig_unsetPullAppNameOnKeepOmitted: on a service that
// keeps a parameter a Set does not carry, unsetting pull_app_name still
// clears it (the plan replaces the configuration), and the plan after is
// empty.
func TestAccLazyPullConfig_unsetPullAppNameOnKeepOmitted(t *testing.T) {
	m := newServiceBehaving(t, livemock.Behavior{OmittedParams: livemock.OmittedKeep})
	mock := m.requireMock(t, "it needs a service that keeps omitted parameters")
	withApp := with(basicAttrs(m), "pull_app_name", `"originapp"`)
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { preCheck(t) },
		ProtoV6ProviderFactories: testProviderFactories,
		CheckDestroy:             m.checkEmpty,
		Steps: []resource.TestStep{
			{
				Config: m.providerBlock("") + resourceBlock(withApp),
				Check:  m.checkConfig(testDomain, "live_app", livemock.Config{PullDomainName: basicWant.PullDomainName, PullAppName: "originapp", PullProtocol: "httpflv"}),
			},
			{
				Config: m.providerBlock("") + resourceBlock(basicAttrs(m)),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(res, plancheck.ResourceActionDestroyBeforeCreate)},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(res, tfjsonpath.New("pull_app_name"), knownvalue.Null()),
				},
				Check: m.checkConfig(testDomain, "live_app", basicWant),
			},
		},
	})
	// Proof that the variant keeps what it is not sent: a Set without
	// PullAppName on an existing configuration.
	mock.PutConfig(livemock.Config{DomainName: testDomain, AppName: "probe", PullDomainName: "o.example.net", PullAppName: "kept", PullProtocol: "rtmp", TranscodeLazy: "no"})
	c := m.apiClient(t)
	if err := c.Set(t.Context(), lazypull.Config{DomainName: testDomain, AppName: "probe", PullDomainName: "o.example.net", PullProtocol: "rtmp"}); err != nil {
		t.Fatal(err)
	}
	if got, _ := mock.Config(testDomain, "probe"); got.PullAppName != "kept" {
		t.Fatalf("the keep-omitted mock cleared PullAppName: %+v; this test proves nothing", got)
	}
}

// TestAccLazyPullConfig_destroyAlreadyGone: destroying a configuration that
// is already gone succeeds on a service that answers an error for deleting
// a missing configuration. Here ali_all_app is destroyed first (it depends
// on the other resource), which deletes every configuration of the domain,
// so the other's Delete finds nothing. With a lagging Describe too, the
// configuration still shows for a while after ali_all_app took it.
func TestAccLazyPullConfig_destroyAlreadyGone(t *testing.T) {
	t.Parallel()
	fails := livemock.DeleteMissing{Code: livemock.DefaultDeleteMissingCode}
	for name, b := range map[string]livemock.Behavior{
		"delete-missing fails":                    {DeleteMissing: fails},
		"delete-missing fails, Describe lags 2 s": {DeleteMissing: fails, DescribeLag: 2 * time.Second},
	} {
		t.Run(name, func(t *testing.T) {
			m := newServiceBehaving(t, b)
			mock := m.requireMock(t, "it creates and destroys ali_all_app, which live runs never do")
			cfg := m.providerBlock("") +
				namedResourceBlock("app", basicAttrs(m)) +
				namedResourceBlock("all", with(basicAttrs(m), "app_name", q(lazypull.AllApps), "depends_on", "[alicloud_live_lazy_pull_config.app]"))
			resource.ParallelTest(t, resource.TestCase{
				PreCheck:                 func() { preCheck(t) },
				ProtoV6ProviderFactories: testProviderFactories,
				CheckDestroy: resource.ComposeTestCheckFunc(m.checkEmpty, faultCheck(func() error {
					if n := mock.Rejected(livemock.DefaultDeleteMissingCode); n != 1 {
						return fmt.Errorf("%d Deletes answered %s, want 1: the test did not delete a missing configuration", n, livemock.DefaultDeleteMissingCode)
					}
					return nil
				})),
				Steps: []resource.TestStep{{Config: cfg}},
			})
		})
	}
}

// TestAccLazyPullConfig_laggingDescribe: Describe shows a write only 3 s
// after it was applied. Creating and updating 5 configurations succeeds
// with one Set each, the state records what the service holds, and the
// plan after each apply is empty.
func TestAccLazyPullConfig_laggingDescribe(t *testing.T) {
	const n = 5
	m := newServiceBehaving(t, livemock.Behavior{DescribeLag: 3 * time.Second})
	mock := m.requireMock(t, "it needs a service whose Describe lags")
	config := func(origin string) string {
		return m.providerBlock("") + fmt.Sprintf(`
resource "alicloud_live_lazy_pull_config" "lag" {
  count            = %d
  domain_name      = %q
  app_name         = "app${count.index}"
  pull_domain_name = "%s${count.index}.example.net"
  pull_protocol    = "rtmp"
}
`, n, testDomain, origin)
	}
	holds := func(origin string, sets int) resource.TestCheckFunc {
		return faultCheck(func() error {
			for i := 0; i < n; i++ {
				got, ok := mock.Config(testDomain, fmt.Sprintf("app%d", i))
				if want := fmt.Sprintf("%s%d.example.net", origin, i); !ok || got.PullDomainName != want {
					return fmt.Errorf("app%d: the service holds %+v, want origins %s", i, got, want)
				}
			}
			if got := mock.Calls(lazypull.ActionSet); got != sets {
				return fmt.Errorf("%d Set calls, want %d: one per configuration and apply", got, sets)
			}
			return nil
		})
	}
	var states []resource.TestCheckFunc
	for i := 0; i < n; i++ {
		states = append(states, resource.TestCheckResourceAttr(fmt.Sprintf("alicloud_live_lazy_pull_config.lag.%d", i), "pull_domain_name", fmt.Sprintf("two%d.example.net", i)))
	}
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { preCheck(t) },
		ProtoV6ProviderFactories: testProviderFactories,
		CheckDestroy:             m.checkEmpty,
		Steps: []resource.TestStep{
			{
				Config: config("one"),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: holds("one", n),
			},
			{
				Config: config("two"),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: resource.ComposeTestCheckFunc(append(states, holds("two", 2*n))...),
			},
		},
	})
}

// TestAccLazyPullConfig_pullArgs: back-to-origin parameters set in the
// console show in state and plans, survive an update that does not mention
// them on a service that clears what a Set leaves out as well as on one
// that keeps it, clear with pull_args = "" (a replacement), and can be
// managed.
//
// In live mode the subtest of the service's own answer runs, as a probe
// learns it; the other skips. A service that does not store PullArgs as a
// Set sends them skips both: the test is about managing them.
func TestAccLazyPullConfig_pullArgs(t *testing.T) {
	t.Parallel()
	for name, omitted := range map[string]livemock.OmittedParams{"clear-omitted": livemock.OmittedClear, "keep-omitted": livemock.OmittedKeep} {
		t.Run(name, func(t *testing.T) {
			m := newServiceBehaving(t, livemock.Behavior{OmittedParams: omitted})
			if m.mock == nil {
				answers := m.probeService(t)
				if !answers.storesPullArgs {
					t.Skip("the service does not store the PullArgs a Set sends as sent, so pull_args cannot be managed")
				}
				if answers.omitted != omitted {
					t.Skipf("the service answers omitted=%s; this subtest is for a service answering omitted=%s", answers.omitted, omitted)
				}
			}
			app := m.app("live_app")
			base := basicAttrs(m)
			moved := with(base, "pull_domain_name", `"origin9.example.net"`)
			want := func(args string) resource.TestCheckFunc {
				return resource.ComposeTestCheckFunc(
					resource.TestCheckResourceAttr(res, "pull_args", args),
					func(*terraform.State) error {
						got, _, err := m.awaitConfig(m.domain, app, func(c livemock.Config, _ bool) bool { return c.PullArgs == args })
						if err != nil || got.PullArgs != args {
							return fmt.Errorf("the service holds pull args %q (%w), want %q", got.PullArgs, err, args)
						}
						return nil
					})
			}
			resource.ParallelTest(t, resource.TestCase{
				PreCheck:                 func() { preCheck(t) },
				ProtoV6ProviderFactories: testProviderFactories,
				CheckDestroy:             m.checkEmpty,
				Steps: []resource.TestStep{
					{Config: m.providerBlock("") + resourceBlock(base), Check: want("")},
					{
						// Someone sets back-to-origin parameters in the console.
						PreConfig: func() {
							m.put(t, livemock.Config{DomainName: m.domain, AppName: app, PullDomainName: basicWant.PullDomainName, PullProtocol: "httpflv", PullArgs: "token=console"})
						},
						RefreshState: true,
						Check:        resource.TestCheckResourceAttr(res, "pull_args", "token=console"),
					},
					{
						Config: m.providerBlock("") + resourceBlock(moved),
						ConfigPlanChecks: resource.ConfigPlanChecks{
							PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(res, plancheck.ResourceActionUpdate)},
							PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
						},
						Check: want("token=console"),
					},
					{
						Config: m.providerBlock("") + resourceBlock(with(moved, "pull_args", `""`)),
						ConfigPlanChecks: resource.ConfigPlanChecks{
							PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(res, plancheck.ResourceActionDestroyBeforeCreate)},
							PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
						},
						Check: want(""),
					},
					{
						Config: m.providerBlock("") + resourceBlock(with(moved, "pull_args", `"a=1&b=2"`)),
						ConfigPlanChecks: resource.ConfigPlanChecks{
							PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(res, plancheck.ResourceActionUpdate)},
							PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
						},
						Check: want("a=1&b=2"),
					},
				},
			})
		})
	}
}

// serviceRewrites wraps the mock so that, after every successful Set, the
// service stores what rewrite makes of the configuration: a service with
// defaults or normalizations of its own.
func serviceRewrites(m **testService, rewrite func(livemock.Config) livemock.Config) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			next.ServeHTTP(w, r)
			q := r.URL.Query()
			if q.Get("Action") != lazypull.ActionSet {
				return
			}
			if c, ok := (*m).mock.Config(q.Get("DomainName"), q.Get("AppName")); ok {
				(*m).mock.PutConfig(rewrite(c))
			}
		})
	}
}

// TestAccLazyPullConfig_stateFromService: after a write the state records
// what the service holds. A service that adds back-to-origin parameters of
// its own shows them in state with an empty plan after; a service that
// stores something else than was planned ends the apply with an error that
// names the difference, never with "inconsistent result after apply".
func TestAccLazyPullConfig_stateFromService(t *testing.T) {
	t.Parallel()
	t.Run("service default", func(t *testing.T) {
		var m *testService
		m = newWrappedService(t, serviceRewrites(&m, func(c livemock.Config) livemock.Config {
			if c.PullArgs == "" {
				c.PullArgs = "svc=default"
			}
			return c
		}))
		m.requireMock(t, "it reshapes what the service stores")
		resource.ParallelTest(t, resource.TestCase{
			PreCheck:                 func() { preCheck(t) },
			ProtoV6ProviderFactories: testProviderFactories,
			CheckDestroy:             m.checkEmpty,
			Steps: []resource.TestStep{{
				Config: m.providerBlock("") + resourceBlock(basicAttrs(m)),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(res, tfjsonpath.New("pull_args"), knownvalue.StringExact("svc=default")),
				},
			}},
		})
	})
	t.Run("service stores something else", func(t *testing.T) {
		var m *testService
		m = newWrappedService(t, serviceRewrites(&m, func(c livemock.Config) livemock.Config {
			c.PullDomainName, _, _ = strings.Cut(c.PullDomainName, ";")
			return c
		}))
		m.requireMock(t, "it reshapes what the service stores")
		attrs := with(basicAttrs(m), "pull_domain_name", `"origin1.example.net;origin2.example.net"`, "timeouts", `create = "4s"`)
		resource.ParallelTest(t, resource.TestCase{
			PreCheck:                 func() { preCheck(t) },
			ProtoV6ProviderFactories: testProviderFactories,
			CheckDestroy:             m.checkEmpty,
			Steps: []resource.TestStep{{
				Config:      m.providerBlock("") + resourceBlock(attrs),
				ExpectError: regexp.MustCompile(`(?s)Lazy-Pull Configuration Did Not Take Effect.*pull_domain_name: planned\s+"origin1\.example\.net;origin2\.example\.net",\s+the\s+service\s+holds\s+"origin1\.example\.net"`),
			}},
		})
	})
}

// TestAccLazyPullConfig_failedUpdateKeepsOldValue: an update whose Set keeps
// failing with a 500 while the service still holds the old value fails,
// and the state keeps the old value, so the next plan still shows the
// change.
func TestAccLazyPullConfig_failedUpdateKeepsOldValue(t *testing.T) {
	m := newService(t)
	mock := m.requireMock(t, "it injects failures")
	base := basicAttrs(m)
	moved := with(base, "pull_domain_name", `"origin9.example.net"`)
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { preCheck(t) },
		ProtoV6ProviderFactories: testProviderFactories,
		CheckDestroy:             m.checkEmpty,
		Steps: []resource.TestStep{
			{Config: m.providerBlock("  max_retries = 1") + resourceBlock(base)},
			{
				PreConfig:   func() { mock.InjectServerError(lazypull.ActionSet, 1000, http.StatusInternalServerError) },
				Config:      m.providerBlock("  max_retries = 1") + resourceBlock(moved),
				ExpectError: regexp.MustCompile(`(?s)Cannot Update Lazy-Pull Configuration.*InternalError`),
			},
			{
				PreConfig: func() {
					if got, _ := mock.Config(testDomain, "live_app"); got.PullDomainName != basicWant.PullDomainName {
						t.Errorf("the service holds %+v", got)
					}
				},
				Config:             m.providerBlock("  max_retries = 1") + resourceBlock(moved),
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
			},
			{
				PreConfig: mock.ClearFaults,
				Config:    m.providerBlock("  max_retries = 1") + resourceBlock(moved),
				Check:     m.checkConfig(testDomain, "live_app", livemock.Config{PullDomainName: "origin9.example.net", PullProtocol: "httpflv"}),
			},
		},
	})
}
