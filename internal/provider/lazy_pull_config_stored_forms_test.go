package provider

// A service that stores what it is sent in its own form: host names in
// lower case (the same values: no difference is ever shown), or something
// else (fewer origins: the apply fails within seconds, and the next plan
// shows the change still to make). And the waits that keep to their
// bounds: the reads after a failed write stop at the operation's timeout,
// and the plan-time check and the data source at their timeouts.read.

import (
	"fmt"
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

// stopwatch times the apply of a step that may fail, whose Check does not
// run: start in its PreConfig, stop in the next step's.
type stopwatch struct {
	t       *testing.T
	started time.Time
}

func (s *stopwatch) start() { s.started = time.Now() }

// within fails the test when more than limit passed since start.
func (s *stopwatch) within(what string, limit time.Duration) func() {
	return func() {
		if took := time.Since(s.started); took > limit {
			s.t.Errorf("%s took %s, want at most %s", what, took.Round(time.Millisecond), limit)
		}
	}
}

// TestAccLazyPullConfig_hostNamesInAnyCase: a service that stores host
// names in lower case holds the same configuration as planned (and so does
// the service of each of the suite's passes). Apply takes
// seconds, not its whole timeout; the state keeps the configuration's
// spelling and the plan after is empty; a real change (a port and the order
// of the origins) is still applied.
func TestAccLazyPullConfig_hostNamesInAnyCase(t *testing.T) {
	for name, service := range map[string]struct {
		new        func(*testing.T) *testService
		lowerCases bool
	}{
		"lower-case": {func(t *testing.T) *testService {
			return newServiceBehaving(t, livemock.Behavior{StoredForm: livemock.StoredLowerCase})
		}, true},
		"lower-case, Describe lags 2 s": {func(t *testing.T) *testService {
			return newServiceBehaving(t, livemock.Behavior{StoredForm: livemock.StoredLowerCase, DescribeLag: 2 * time.Second})
		}, true},
		// The variant of the suite's pass (all-alternatives lower-cases
		// too), or the default mock, which keeps the spelling.
		"the suite's service": {newService, false},
	} {
		t.Run(name, func(t *testing.T) {
			m := service.new(t)
			domain := m.domain
			if service.lowerCases {
				m.requireMock(t, "it needs a service that stores host names in lower case")
				// A service that stores host names in lower case looks
				// domains up in any case; whether every service does is
				// not documented.
				domain = strings.ToUpper(m.domain[:1]) + m.domain[1:]
			}
			app := m.app("cased_app")
			attrs := func(origins string) map[string]string {
				return map[string]string{
					"domain_name":      q(domain),
					"app_name":         q(app),
					"pull_domain_name": q(origins),
					"pull_protocol":    `"rtmp"`,
					// Far more than the apply may take: a wait to the end
					// fails the step's time limit.
					"timeouts": `create = "40s"` + "\n    update = \"40s\"",
				}
			}
			const first, second = "Origin.Example.NET;backup.example.net:1935", "backup.example.net:1935;Origin.Example.NET:1936"
			watch := &stopwatch{t: t}
			step := func(origins string) resource.TestStep {
				return resource.TestStep{
					PreConfig: watch.start,
					Config:    m.providerBlock("") + resourceBlock(attrs(origins)),
					ConfigPlanChecks: resource.ConfigPlanChecks{
						PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
					},
					ConfigStateChecks: []statecheck.StateCheck{
						statecheck.ExpectKnownValue(res, tfjsonpath.New("pull_domain_name"), knownvalue.StringExact(origins)),
						statecheck.ExpectKnownValue(res, tfjsonpath.New("domain_name"), knownvalue.StringExact(domain)),
						statecheck.ExpectKnownValue(res, tfjsonpath.New("id"), knownvalue.StringExact(lazypull.ID(domain, app))),
					},
					Check: func(*terraform.State) error {
						watch.within("the apply", 20*time.Second)()
						// What the service holds: the same host names, the
						// lower-case spelling of the variant.
						got, ok, err := m.get(m.domain, app)
						if err != nil {
							return err
						}
						if !ok || !lazypull.SameHosts(got.PullDomainName, origins) {
							return fmt.Errorf("the service holds %+v (%v), want the origins %q in any case", got, ok, origins)
						}
						if service.lowerCases && m.mock != nil && got.PullDomainName != strings.ToLower(origins) {
							return fmt.Errorf("the mock holds %q, not %q in lower case: this test proves nothing", got.PullDomainName, origins)
						}
						return nil
					},
				}
			}
			resource.ParallelTest(t, resource.TestCase{
				PreCheck:                 func() { preCheck(t) },
				ProtoV6ProviderFactories: testProviderFactories,
				CheckDestroy:             m.checkEmpty,
				Steps:                    []resource.TestStep{step(first), step(second)},
			})
		})
	}
}

// TestAccLazyPullConfig_storedSomethingElse: a service that keeps only the
// first origin. An update to two origins fails within seconds with "Did Not
// Take Effect", naming what was planned and what the service holds; the
// state records what the service holds, so the next plan shows the update
// still to make.
func TestAccLazyPullConfig_storedSomethingElse(t *testing.T) {
	for name, b := range map[string]livemock.Behavior{
		"first origin":                    {StoredForm: livemock.StoredFirstOrigin},
		"first origin, Describe lags 2 s": {StoredForm: livemock.StoredFirstOrigin, DescribeLag: 2 * time.Second},
	} {
		t.Run(name, func(t *testing.T) {
			m := newServiceBehaving(t, b)
			m.requireMock(t, "it needs a service that keeps only the first origin")
			attrs := func(origins string) map[string]string {
				return with(basicAttrs(m), "pull_domain_name", q(origins), "timeouts", `update = "40s"`)
			}
			const two = "b.example.net;c.example.net"
			watch := &stopwatch{t: t}
			failed := regexp.MustCompile(`Did Not Take Effect(.|\n)*pull_domain_name: planned\s+"b\.example\.net;c\.example\.net",\s+the\s+service\s+holds\s+"b\.example\.net"`)
			resource.ParallelTest(t, resource.TestCase{
				PreCheck:                 func() { preCheck(t) },
				ProtoV6ProviderFactories: testProviderFactories,
				CheckDestroy:             m.checkEmpty,
				Steps: []resource.TestStep{
					{Config: m.providerBlock("") + resourceBlock(attrs("a.example.net"))},
					{
						PreConfig:   watch.start,
						Config:      m.providerBlock("") + resourceBlock(attrs(two)),
						ExpectError: failed,
					},
					{
						// The state holds what the service holds: the plan
						// shows the update still to make, and its apply
						// fails the same way.
						PreConfig: watch.within("the failed update", 20*time.Second),
						Config:    m.providerBlock("") + resourceBlock(attrs(two)),
						ConfigPlanChecks: resource.ConfigPlanChecks{
							PreApply: []plancheck.PlanCheck{
								plancheck.ExpectResourceAction(res, plancheck.ResourceActionUpdate),
								plancheck.ExpectKnownValue(res, tfjsonpath.New("pull_domain_name"), knownvalue.StringExact(two)),
							},
						},
						ExpectError: failed,
					},
				},
			})
		})
	}
}

// TestAccLazyPullConfig_storedSomethingElseOnCreate: a create on a service
// that keeps only the first origin fails within seconds, naming both
// values; the resource is left tainted, to be replaced.
func TestAccLazyPullConfig_storedSomethingElseOnCreate(t *testing.T) {
	m := newServiceBehaving(t, livemock.Behavior{StoredForm: livemock.StoredFirstOrigin})
	mock := m.requireMock(t, "it needs a service that keeps only the first origin")
	const two = "b.example.net;c.example.net"
	cfg := m.providerBlock("") + resourceBlock(with(basicAttrs(m), "pull_domain_name", q(two), "timeouts", `create = "40s"`))
	watch := &stopwatch{t: t}
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { preCheck(t) },
		ProtoV6ProviderFactories: testProviderFactories,
		CheckDestroy:             m.checkEmpty,
		Steps: []resource.TestStep{
			{
				PreConfig:   watch.start,
				Config:      cfg,
				ExpectError: regexp.MustCompile(`Did Not Take Effect(.|\n)*planned\s+"b\.example\.net;c\.example\.net",\s+the\s+service\s+holds\s+"b\.example\.net"`),
			},
			{
				// The next plan replaces the tainted object; the
				// configuration it left is its own, not one in the way.
				PreConfig: func() {
					watch.within("the failed create", 20*time.Second)()
					watch.start()
				},
				Config: cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(res, plancheck.ResourceActionDestroyBeforeCreate)},
				},
				ExpectError: regexp.MustCompile(`Did Not Take Effect`),
			},
			{
				PreConfig: func() {
					watch.within("the second failed create", 20*time.Second)()
					if got, ok := mock.Config(m.domain, m.app("live_app")); !ok || got.PullDomainName != "b.example.net" {
						t.Errorf("the mock holds %+v (%v), want the first origin only", got, ok)
					}
				},
				// Without the resource, the plan destroys the tainted
				// object: only to time the step before.
				Config:             m.providerBlock(""),
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
			},
		},
	})
}

// TestAccLazyPullConfig_failedWriteKeepsToTimeout: a write whose answer is
// lost on a service whose Describe lags a minute: the reads that look for
// what the write did stop at the operation's timeout (5 s here), not 30 s
// past it.
func TestAccLazyPullConfig_failedWriteKeepsToTimeout(t *testing.T) {
	m := newServiceBehaving(t, livemock.Behavior{DescribeLag: time.Minute})
	mock := m.requireMock(t, "it needs lost answers and a lagging Describe")
	mock.InjectDropAfterApply(lazypull.ActionSet, 10)
	cfg := m.providerBlock("  max_retries = 1") + resourceBlock(with(basicAttrs(m), "timeouts", `create = "5s"`))
	watch := &stopwatch{t: t}
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { preCheck(t) },
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{
			{
				PreConfig:   watch.start,
				Config:      cfg,
				ExpectError: regexp.MustCompile(`Cannot Create Lazy-Pull Configuration`),
			},
			{
				// Only to time the step before: the configuration, applied
				// by the lost write, is gone from the mock by now.
				PreConfig: func() {
					watch.within("the failed create with create = 5s", 15*time.Second)()
					mock.RemoveConfig(m.domain, m.app("live_app"))
				},
				Config:             cfg,
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
			},
		},
	})
}

// TestAccLazyPullConfig_readTimeoutBoundsPlanAndDataSource: a Describe that
// does not answer fails the plan-time check of a new configuration at the
// resource's timeouts.read, and the data source at its own timeouts.read,
// not after a fixed 2 minutes.
func TestAccLazyPullConfig_readTimeoutBoundsPlanAndDataSource(t *testing.T) {
	for name, block := range map[string]func(m *testService) string{
		"resource": func(m *testService) string {
			return resourceBlock(with(basicAttrs(m), "timeouts", `read = "3s"`))
		},
		"data source": func(m *testService) string {
			return fmt.Sprintf("data \"alicloud_live_lazy_pull_configs\" \"all\" {\n  domain_name = %q\n  timeouts {\n    read = \"3s\"\n  }\n}\n", m.domain)
		},
	} {
		t.Run(name, func(t *testing.T) {
			m := newServiceBehaving(t, livemock.Behavior{})
			mock := m.requireMock(t, "it needs a Describe that does not answer")
			watch := &stopwatch{t: t}
			cfg := m.providerBlock("  max_retries = 0") + block(m)
			resource.ParallelTest(t, resource.TestCase{
				PreCheck:                 func() { preCheck(t) },
				ProtoV6ProviderFactories: testProviderFactories,
				Steps: []resource.TestStep{
					{
						PreConfig: func() {
							mock.InjectDelay(lazypull.ActionDescribe, 100, 10*time.Minute)
							watch.start()
						},
						Config:      cfg,
						PlanOnly:    true,
						ExpectError: regexp.MustCompile(`Cannot (Create|List) Lazy-Pull Configuration`),
					},
					{
						PreConfig: func() {
							watch.within("the plan with read = 3s", 15*time.Second)()
							mock.ClearFaults()
						},
						Config:             cfg,
						PlanOnly:           true,
						ExpectNonEmptyPlan: name == "resource",
					},
				},
			})
		})
	}
}
