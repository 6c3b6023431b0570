package provider

// Plan-time checks of planned creates: a domain that is not in the account
// or not a Live domain, an unmanaged configuration in the way (an error with
// the import command and block) or identical to the plan (a warning that
// apply adopts it), two resources for one configuration, and a plan without
// credentials, which skips the checks and says so once. Also their cost: one
// Describe per domain and plan, and no write.

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"sync"
	"testing"

	fwresource "github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/alicloud-live/terraform-provider-alicloud/internal/credentials"
	"github.com/alicloud-live/terraform-provider-alicloud/internal/lazypull"
	"github.com/alicloud-live/terraform-provider-alicloud/internal/liveapi"
	"github.com/alicloud-live/terraform-provider-alicloud/internal/livemock"
)

// planner calls ModifyPlan of the resource the way Terraform plans, with
// the provider data of one walk.
type planner struct {
	t    *testing.T
	r    *LazyPullConfigResource
	s    fwresource.SchemaResponse
	null tftypes.Value
}

func newPlanner(t *testing.T, data *providerData) *planner {
	p := &planner{t: t, r: &LazyPullConfigResource{data: data}}
	p.r.Schema(context.Background(), fwresource.SchemaRequest{}, &p.s)
	p.null = tftypes.NewValue(p.s.Schema.Type().TerraformType(context.Background()), nil)
	return p
}

// create plans the create of (domain, app) from o.example.net over rtmp.
func (p *planner) create(domain, app string) fwresource.ModifyPlanResponse {
	plan := planValue(p.t, p.s.Schema, map[string]tftypes.Value{
		"domain_name":      tftypes.NewValue(tftypes.String, domain),
		"app_name":         tftypes.NewValue(tftypes.String, app),
		"pull_domain_name": tftypes.NewValue(tftypes.String, "o.example.net"),
		"pull_protocol":    tftypes.NewValue(tftypes.String, "rtmp"),
		"transcode_lazy":   tftypes.NewValue(tftypes.Bool, false),
		"pull_args":        tftypes.NewValue(tftypes.String, tftypes.UnknownValue),
		"id":               tftypes.NewValue(tftypes.String, tftypes.UnknownValue),
	})
	return p.modify(plan, p.null)
}

// modify plans the change from state to plan.
func (p *planner) modify(plan, state tftypes.Value) fwresource.ModifyPlanResponse {
	req := fwresource.ModifyPlanRequest{
		Plan:  tfsdk.Plan{Schema: p.s.Schema, Raw: plan},
		State: tfsdk.State{Schema: p.s.Schema, Raw: state},
	}
	resp := fwresource.ModifyPlanResponse{Plan: req.Plan}
	p.r.ModifyPlan(context.Background(), req, &resp)
	return resp
}

func diagText(resp fwresource.ModifyPlanResponse) string {
	var b strings.Builder
	for _, d := range resp.Diagnostics {
		fmt.Fprintf(&b, "%s: %s\n%s\n", d.Severity(), d.Summary(), d.Detail())
	}
	return b.String()
}

// TestModifyPlanChecksPlannedCreates: each planned create is checked
// against what the service holds, and the diagnostics say what apply would
// meet.
func TestModifyPlanChecksPlannedCreates(t *testing.T) {
	m := newService(t)
	mock := m.requireMock(t, "it needs the mock's domains and counters")
	mock.PutConfig(livemock.Config{DomainName: testDomain, AppName: "same", PullDomainName: "o.example.net", PullProtocol: "rtmp", TranscodeLazy: "no"})
	mock.PutConfig(livemock.Config{DomainName: testDomain, AppName: "theirs", PullDomainName: "theirs.example.net", PullProtocol: "hls", TranscodeLazy: "no"})
	cases := []struct {
		name, domain, app string
		errors, warnings  int
		want              string
	}{
		{"new configuration", testDomain, "new", 0, 0, ""},
		{"domain not in the account", "missing.example.com", "a", 1, 0, `(?s)Cannot Create Lazy-Pull Configuration.*Code:\s+InvalidDomain\.NotFound.*RequestId:\s+\S+.*is not in this Alibaba Cloud account`},
		{"not a Live domain", testCDNDomain, "a", 1, 0, `(?s)Code:\s+IllegalOperation.*RequestId:\s+\S+`},
		{"identical unmanaged configuration", testDomain, "same", 0, 1, `(?s)Apply Will Adopt an Existing Lazy-Pull Configuration.*live\.example\.com:same already exists on the service, exactly as planned`},
		{"different unmanaged configuration", testDomain, "theirs", 1, 0, `(?s)Lazy-Pull Configuration Already Exists.*pull_domain_name: planned "o\.example\.net", the service holds "theirs\.example\.net".*pull_protocol: planned "rtmp", the service holds "hls".*terraform import <resource address> live\.example\.com:theirs.*import \{\s+to = <resource address>\s+id = "live\.example\.com:theirs"\s+\}`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := newPlanner(t, &providerData{client: m.apiClient(t), claimed: map[string]bool{}})
			resp := p.create(c.domain, c.app)
			text := diagText(resp)
			if resp.Diagnostics.ErrorsCount() != c.errors || resp.Diagnostics.WarningsCount() != c.warnings {
				t.Fatalf("%d errors and %d warnings, want %d and %d:\n%s", resp.Diagnostics.ErrorsCount(), resp.Diagnostics.WarningsCount(), c.errors, c.warnings, text)
			}
			if c.want != "" && !regexp.MustCompile(c.want).MatchString(text) {
				t.Fatalf("the diagnostics do not match %s:\n%s", c.want, text)
			}
		})
	}
	if n := mock.Calls(lazypull.ActionSet); n != 0 {
		t.Errorf("planning wrote: %d Set calls", n)
	}
}

// TestModifyPlanChecksCostOneDescribePerDomain: 300 planned creates on 3
// domains, planned 10 at a time as Terraform does, cost at most one
// Describe per domain and no write.
func TestModifyPlanChecksCostOneDescribePerDomain(t *testing.T) {
	m := newService(t)
	mock := m.requireMock(t, "it counts calls")
	mock.AddLiveDomains(testDomain3)
	domains := []string{testDomain, testDomain2, testDomain3}
	p := newPlanner(t, &providerData{client: m.apiClient(t), claimed: map[string]bool{}})
	work := make(chan int, 300)
	for i := 0; i < 300; i++ {
		work <- i
	}
	close(work)
	var wg sync.WaitGroup
	for w := 0; w < 10; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range work {
				if resp := p.create(domains[i%3], fmt.Sprintf("app%d", i)); resp.Diagnostics.HasError() {
					t.Errorf("app%d: %s", i, diagText(resp))
				}
			}
		}()
	}
	wg.Wait()
	describes, sets := mock.Calls(lazypull.ActionDescribe), mock.Calls(lazypull.ActionSet)
	t.Logf("plan of 300 new configurations on 3 domains: %d Describe calls, %d Set calls", describes, sets)
	if describes > 3 || sets != 0 {
		t.Fatalf("%d Describe and %d Set calls, want at most 3 and none", describes, sets)
	}
}

// TestModifyPlanWithoutCredentials: without credentials the checks are
// skipped, the plan says so once for all its resources, and nothing is
// called; two resources for one configuration are refused all the same.
func TestModifyPlanWithoutCredentials(t *testing.T) {
	m := newService(t)
	mock := m.requireMock(t, "it counts calls")
	client, err := liveapi.New(liveapi.Options{Endpoint: m.url, Credentials: credentials.Static{}})
	if err != nil {
		t.Fatal(err)
	}
	p := newPlanner(t, &providerData{client: client, claimed: map[string]bool{}})
	var skipped int
	for i := 0; i < 5; i++ {
		resp := p.create(testDomain, fmt.Sprintf("app%d", i))
		if resp.Diagnostics.HasError() {
			t.Fatalf("app%d: %s", i, diagText(resp))
		}
		skipped += strings.Count(diagText(resp), "Plan-Time Checks Skipped")
	}
	if skipped != 1 {
		t.Errorf("the plan said %d times that it skipped the checks, want once", skipped)
	}
	if resp := p.create(testDomain, "app0"); !strings.Contains(diagText(resp), "Two Resources Manage One Lazy-Pull Configuration") {
		t.Errorf("a second resource for live.example.com:app0 was not refused:\n%s", diagText(resp))
	}
	if n := mock.TotalCalls(); n != 0 {
		t.Errorf("%d calls without credentials", n)
	}
}

// TestAccLazyPullConfig_typoInDomainKeepsTheConfiguration: changing
// domain_name of a working configuration to a domain that is not in the
// account fails at plan, so apply never destroys the working one.
func TestAccLazyPullConfig_typoInDomainKeepsTheConfiguration(t *testing.T) {
	m := newService(t)
	base := basicAttrs(m)
	typo := with(base, "domain_name", q("tf-acc-typo-"+m.suffix+".example.com"))
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { preCheck(t) },
		ProtoV6ProviderFactories: testProviderFactories,
		CheckDestroy:             m.checkEmpty,
		Steps: []resource.TestStep{
			{Config: m.providerBlock("") + resourceBlock(base)},
			{
				Config:      m.providerBlock("") + resourceBlock(typo),
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`(?s)InvalidDomain\.NotFound.*RequestId`),
			},
			{
				Config:      m.providerBlock("") + resourceBlock(typo),
				ExpectError: regexp.MustCompile(`(?s)InvalidDomain\.NotFound.*RequestId`),
				Check:       m.checkConfig(m.domain, m.app("live_app"), basicWant),
			},
			{
				// The working configuration is still there, and in state.
				PreConfig: func() {
					if _, ok, err := m.get(m.domain, m.app("live_app")); !ok || err != nil {
						t.Errorf("the working configuration is gone (%v)", err)
					}
				},
				Config:   m.providerBlock("") + resourceBlock(base),
				PlanOnly: true,
			},
		},
	})
}

// TestAccLazyPullConfig_planCost: one terraform plan of 300 new
// configurations on 3 domains makes at most 3 Describe calls and no write.
func TestAccLazyPullConfig_planCost(t *testing.T) {
	t.Parallel()
	preCheck(t)
	m := newService(t)
	mock := m.requireMock(t, "it counts calls")
	mock.AddLiveDomains(testDomain3)
	c := newCLI(t, map[string]string{"main.tf": terraformBlock + m.providerBlock("") + fmt.Sprintf(`
locals {
  domains = [%q, %q, %q]
}

resource "alicloud_live_lazy_pull_config" "many" {
  count            = 300
  domain_name      = local.domains[count.index %% 3]
  app_name         = "app${count.index}"
  pull_domain_name = "origin${count.index}.example.net"
  pull_protocol    = "rtmp"
}
`, testDomain, testDomain2, testDomain3)})
	out := c.must("plan", "-input=false", "-no-color")
	if !strings.Contains(out, "300 to add, 0 to change, 0 to destroy") {
		t.Fatalf("unexpected plan:\n%s", out)
	}
	describes, sets := mock.Calls(lazypull.ActionDescribe), mock.Calls(lazypull.ActionSet)
	t.Logf("terraform plan of 300 new configurations on 3 domains: %d Describe calls, %d Set calls", describes, sets)
	if describes > 3 || sets != 0 {
		t.Fatalf("%d Describe and %d Set calls, want at most 3 and none", describes, sets)
	}
}
