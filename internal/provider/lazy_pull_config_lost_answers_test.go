package provider

// Lost answers: writes the service applied whose answer never arrived, and
// runs killed while writes were in flight. The next run must converge with
// no manual step and no duplicate.

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"

	"github.com/alicloud-live/terraform-provider-alicloud/internal/lazypull"
	"github.com/alicloud-live/terraform-provider-alicloud/internal/livemock"
)

// TestAccLazyPullConfig_droppedAfterWrite: the service applies a write but
// its answer is lost. The write is retried (Set is an upsert, Delete of a
// missing configuration succeeds), or without retries the provider finds
// the configuration written, or gone; either way one configuration and no
// duplicate.
func TestAccLazyPullConfig_droppedAfterWrite(t *testing.T) {
	t.Parallel()
	t.Run("retried", func(t *testing.T) {
		m := newService(t)
		m.requireMock(t, "it injects lost answers")
		m.mock.InjectDropAfterApply(lazypull.ActionSet, 1)
		m.mock.InjectDropAfterApply(lazypull.ActionDelete, 1)
		resource.ParallelTest(t, resource.TestCase{
			PreCheck:                 func() { preCheck(t) },
			ProtoV6ProviderFactories: testProviderFactories,
			CheckDestroy: resource.ComposeTestCheckFunc(m.checkEmpty, faultCheck(func() error {
				if n := m.mock.Calls(lazypull.ActionDelete); n != 2 {
					return fmt.Errorf("%d Delete calls, want 2 (the dropped one and its retry)", n)
				}
				if m.mock.FaultsServed() != 2 {
					return fmt.Errorf("%d of 2 faults served", m.mock.FaultsServed())
				}
				return nil
			})),
			Steps: []resource.TestStep{{
				Config: m.providerBlock("  max_retries = 4") + resourceBlock(basicAttrs(m)),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: resource.ComposeTestCheckFunc(
					m.checkConfig(testDomain, "live_app", basicWant),
					resource.TestCheckResourceAttr(res, "id", testDomain+":live_app"),
					faultCheck(func() error {
						if all := m.mock.AllConfigs(); len(all) != 1 {
							return fmt.Errorf("the mock holds %d configurations, want 1: %+v", len(all), all)
						}
						// Both Sets were applied: the dropped one and its retry.
						if n := m.mock.Calls(lazypull.ActionSet); n != 2 {
							return fmt.Errorf("%d Set calls, want 2", n)
						}
						return nil
					}),
				),
			}},
		})
	})

	t.Run("no retries", func(t *testing.T) {
		m := newService(t)
		m.requireMock(t, "it injects lost answers")
		m.mock.InjectDropAfterApply(lazypull.ActionSet, 1)
		cfg := m.providerBlock("  max_retries = 0") + resourceBlock(basicAttrs(m))
		resource.ParallelTest(t, resource.TestCase{
			PreCheck:                 func() { preCheck(t) },
			ProtoV6ProviderFactories: testProviderFactories,
			CheckDestroy: resource.ComposeTestCheckFunc(m.checkEmpty, faultCheck(func() error {
				if n := m.mock.Calls(lazypull.ActionDelete); n != 1 || m.mock.FaultsServed() != 2 {
					return fmt.Errorf("%d Delete calls, %d faults served; want 1 and 2", n, m.mock.FaultsServed())
				}
				return nil
			})),
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
							if n := m.mock.Calls(lazypull.ActionSet); n != 1 || m.mock.FaultsServed() != 1 {
								return fmt.Errorf("%d Set calls, %d faults served; want 1 and 1", n, m.mock.FaultsServed())
							}
							return nil
						}),
					),
				},
				{
					// A destroy whose Delete answer is lost, without retries:
					// a fresh read finds the configuration gone, so the
					// destroy succeeds with that one Delete.
					PreConfig: func() { m.mock.InjectDropAfterApply(lazypull.ActionDelete, 1) },
					Config:    cfg,
					Destroy:   true,
				},
			},
		})
	})
}

// TestAccLazyPullConfig_killedRunConverges: a run is killed (SIGKILL, as a
// CI job's timeout does) while 10 Sets are in flight; the service applied
// them, the state never recorded them. The rerun adopts the 10 orphans
// without writing them again, creates the rest, and the plan after is
// empty: no manual import, no duplicate write.
func TestAccLazyPullConfig_killedRunConverges(t *testing.T) {
	const n, inFlight = 20, 10
	preCheck(t)
	t.Parallel()
	// A service that shows writes at once: a rerun within a lagging
	// Describe's delay cannot see the orphans yet and writes them again, an
	// upsert of the same values, which the exact count below would refuse.
	m := newServiceBehaving(t, livemock.Behavior{})
	mock := m.requireMock(t, "it holds the service's answers and kills Terraform")
	mock.InjectDelayAfterApply(lazypull.ActionSet, inFlight, time.Hour)
	c := newCLI(t, map[string]string{"main.tf": terraformBlock + m.providerBlock("") + fmt.Sprintf(`
resource "alicloud_live_lazy_pull_config" "many" {
  count            = %d
  domain_name      = %q
  app_name         = "app${count.index}"
  pull_domain_name = "origin${count.index}.example.net"
  pull_protocol    = "rtmp"
}
`, n, testDomain)})

	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd, out := c.command(ctx, "apply", "-auto-approve", "-input=false", "-no-color")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	if err := mock.WaitHeld(ctx, lazypull.ActionSet, inFlight); err != nil {
		_ = cmd.Process.Kill()
		t.Fatalf("waiting for %d Sets in flight: %v\n%s", inFlight, err, out)
	}
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	_ = cmd.Wait()
	orphans := mock.AllConfigs()
	if len(orphans) != inFlight {
		t.Fatalf("after the kill the service holds %d configurations, want the %d whose Sets were in flight", len(orphans), inFlight)
	}

	// Terraform folds warnings of one kind into one, so the Sets below
	// show which configurations were adopted.
	if rerun := c.apply(); !strings.Contains(rerun, "Adopted an Existing Lazy-Pull Configuration") {
		t.Errorf("the rerun did not say it adopted configurations:\n%s", rerun)
	}
	c.expectNoChanges()
	if got := len(mock.AllConfigs()); got != n {
		t.Fatalf("the service holds %d configurations, want %d", got, n)
	}
	sets := map[string]int{}
	for _, r := range mock.Requests() {
		if r.Action == lazypull.ActionSet {
			sets[r.Params["AppName"]]++
		}
	}
	for i := 0; i < n; i++ {
		if app := fmt.Sprintf("app%d", i); sets[app] != 1 {
			t.Errorf("%s was sent %d Sets, want exactly 1 (all Sets: %v)", app, sets[app], sets)
		}
	}
	c.must("destroy", "-auto-approve", "-input=false", "-no-color")
	if err := m.checkEmpty(nil); err != nil {
		t.Error(err)
	}
}
