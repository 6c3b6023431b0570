package provider

// Lost answers: writes the service applied whose answer never arrived, and
// runs killed while writes were in flight. The next run must converge with
// no manual step and no duplicate.

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"

	"github.com/alicloud-live/terraform-provider-alicloud/internal/lazypull"
)

// TestAccLazyPullConfig_droppedAfterWrite: the service applies a write but
// its answer is lost. The write is retried (Set is an upsert, Delete of a
// missing configuration succeeds), or without retries the provider finds
// the configuration written, or gone; either way one configuration and no
// duplicate.
func TestAccLazyPullConfig_droppedAfterWrite(t *testing.T) {
	t.Run("retried", func(t *testing.T) {
		m := newService(t)
		m.requireMock(t, "it injects lost answers")
		m.mock.InjectDropAfterApply(lazypull.ActionSet, 1)
		m.mock.InjectDropAfterApply(lazypull.ActionDelete, 1)
		resource.Test(t, resource.TestCase{
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
		resource.Test(t, resource.TestCase{
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
