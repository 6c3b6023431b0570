package provider

// Resource identity (Terraform 1.12 and later) and the list resource for
// terraform query (Terraform 1.14 and later): identity in state after every
// operation, import by identity, identity added to a state written without
// one, -refresh=false runs, query results with identities and resources,
// and -generate-config-out that adopts a whole domain. On older CLIs these
// tests skip themselves; OpenTofu has no terraform query.

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	fwresource "github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/querycheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/alicloud-live/terraform-provider-alicloud/internal/lazypull"
	"github.com/alicloud-live/terraform-provider-alicloud/internal/livemock"
)

func identityChecks(domain, app string) map[string]knownvalue.Check {
	return map[string]knownvalue.Check{"domain_name": knownvalue.StringExact(domain), "app_name": knownvalue.StringExact(app)}
}

// TestAccLazyPullConfig_identity: create, update and refresh keep the
// identity in state, and an import block with an identity adopts the
// configuration.
func TestAccLazyPullConfig_identity(t *testing.T) {
	m := newService(t)
	base := basicAttrs(m)
	ident := statecheck.ExpectIdentity(res, identityChecks(m.domain, m.app("live_app")))
	resource.ParallelTest(t, resource.TestCase{
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_12_0)},
		PreCheck:                 func() { preCheck(t) },
		ProtoV6ProviderFactories: testProviderFactories,
		CheckDestroy:             m.checkEmpty,
		Steps: []resource.TestStep{
			{Config: m.providerBlock("") + resourceBlock(base), ConfigStateChecks: []statecheck.StateCheck{ident}},
			{
				Config:            m.providerBlock("") + resourceBlock(with(base, "pull_protocol", `"hls"`)),
				ConfigStateChecks: []statecheck.StateCheck{ident},
			},
			{
				ResourceName:    res,
				ImportState:     true,
				ImportStateKind: resource.ImportBlockWithResourceIdentity,
				Config:          m.providerBlock("") + resourceBlock(with(base, "pull_protocol", `"hls"`)),
			},
		},
	})
}

// withoutIdentity is the provider as it was before the resource had an
// identity: the same resource, without IdentitySchema.
type withoutIdentity struct{ *Provider }

func (p withoutIdentity) Resources(context.Context) []func() fwresource.Resource {
	return []func() fwresource.Resource{func() fwresource.Resource { return noIdentityResource{&LazyPullConfigResource{}} }}
}

func (p withoutIdentity) DataSources(context.Context) []func() datasource.DataSource { return nil }

func (p withoutIdentity) ListResources(context.Context) []func() list.ListResource { return nil }

var _ provider.ProviderWithListResources = withoutIdentity{}

// noIdentityResource hides IdentitySchema, which embedding would promote.
type noIdentityResource struct{ r *LazyPullConfigResource }

func (n noIdentityResource) Metadata(ctx context.Context, req fwresource.MetadataRequest, resp *fwresource.MetadataResponse) {
	n.r.Metadata(ctx, req, resp)
}
func (n noIdentityResource) Schema(ctx context.Context, req fwresource.SchemaRequest, resp *fwresource.SchemaResponse) {
	n.r.Schema(ctx, req, resp)
}
func (n noIdentityResource) Configure(ctx context.Context, req fwresource.ConfigureRequest, resp *fwresource.ConfigureResponse) {
	n.r.Configure(ctx, req, resp)
}
func (n noIdentityResource) ModifyPlan(ctx context.Context, req fwresource.ModifyPlanRequest, resp *fwresource.ModifyPlanResponse) {
	n.r.ModifyPlan(ctx, req, resp)
}
func (n noIdentityResource) Create(ctx context.Context, req fwresource.CreateRequest, resp *fwresource.CreateResponse) {
	n.r.Create(ctx, req, resp)
}
func (n noIdentityResource) Read(ctx context.Context, req fwresource.ReadRequest, resp *fwresource.ReadResponse) {
	n.r.Read(ctx, req, resp)
}
func (n noIdentityResource) Update(ctx context.Context, req fwresource.UpdateRequest, resp *fwresource.UpdateResponse) {
	n.r.Update(ctx, req, resp)
}
func (n noIdentityResource) Delete(ctx context.Context, req fwresource.DeleteRequest, resp *fwresource.DeleteResponse) {
	n.r.Delete(ctx, req, resp)
}

// TestAccLazyPullConfig_identityAddedToExistingState: a state written by a
// provider without identity gets the identity on the next refresh, with no
// change planned.
func TestAccLazyPullConfig_identityAddedToExistingState(t *testing.T) {
	m := newService(t)
	cfg := m.providerBlock("") + resourceBlock(basicAttrs(m))
	old := map[string]func() (tfprotov6.ProviderServer, error){
		"alicloud": providerserver.NewProtocol6WithError(withoutIdentity{&Provider{version: "old"}}),
	}
	resource.ParallelTest(t, resource.TestCase{
		TerraformVersionChecks: []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_12_0)},
		PreCheck:               func() { preCheck(t) },
		CheckDestroy:           m.checkEmpty,
		Steps: []resource.TestStep{
			{
				ProtoV6ProviderFactories: old,
				Config:                   cfg,
			},
			{
				ProtoV6ProviderFactories: testProviderFactories,
				Config:                   cfg,
				ConfigStateChecks:        []statecheck.StateCheck{statecheck.ExpectIdentity(res, identityChecks(m.domain, m.app("live_app")))},
			},
		},
	})
}

// TestAccLazyPullConfig_refreshFalse: plans and applies with
// -refresh=false, and a destroy after an out-of-band delete, work on every
// CLI: no "Missing Resource Identity" on any path.
func TestAccLazyPullConfig_refreshFalse(t *testing.T) {
	preCheck(t)
	t.Parallel()
	m := newService(t)
	files := func(protocol string) map[string]string {
		return map[string]string{"main.tf": terraformBlock + m.providerBlock("") + resourceBlock(with(basicAttrs(m), "pull_protocol", q(protocol)))}
	}
	c := newCLI(t, files("rtmp"))
	c.apply()
	c.write(files("hls"))
	if out := c.apply("-refresh=false"); !strings.Contains(out, "0 added, 1 changed, 0 destroyed") {
		t.Fatalf("apply -refresh=false:\n%s", out)
	}
	c.expectNoChanges("-refresh=false")
	c.expectNoChanges()
	m.remove(t, m.domain, m.app("live_app"))
	if out := c.must("destroy", "-auto-approve", "-input=false", "-no-color", "-refresh=false"); !strings.Contains(out, "1 destroyed") {
		t.Fatalf("destroy -refresh=false after an out-of-band delete:\n%s", out)
	}
	if err := m.checkEmpty(nil); err != nil {
		t.Error(err)
	}
}

// TestAccLazyPullConfig_query: terraform query lists a domain's
// configurations, managed or not, with their identities, and with the full
// resource when asked; app_name filters.
func TestAccLazyPullConfig_query(t *testing.T) {
	skipOnOpenTofu(t)
	m := newService(t)
	for _, name := range []string{"beta", "alpha", "gamma"} {
		m.put(t, livemock.Config{DomainName: m.domain, AppName: m.app(name), PullDomainName: name + ".example.net", PullProtocol: "hls"})
		t.Cleanup(func() { m.remove(t, m.domain, m.app(name)) })
	}
	query := func(app string) string {
		filter := ""
		if app != "" {
			filter = fmt.Sprintf("    app_name    = %q\n", app)
		}
		return fmt.Sprintf(`
list "alicloud_live_lazy_pull_config" "all" {
  provider         = alicloud
  include_resource = true
  config {
    domain_name = %q
%s  }
}
`, m.domain, filter)
	}
	checks := []querycheck.QueryResultCheck{}
	for _, name := range []string{"alpha", "beta", "gamma"} {
		checks = append(checks, querycheck.ExpectIdentity("alicloud_live_lazy_pull_config.all", identityChecks(m.domain, m.app(name))))
	}
	if m.mock != nil {
		checks = append(checks, querycheck.ExpectLength("alicloud_live_lazy_pull_config.all", 3))
	}
	resource.ParallelTest(t, resource.TestCase{
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_14_0)},
		PreCheck:                 func() { preCheck(t) },
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{
			{Config: m.providerBlock("")},
			{Query: true, Config: query(""), QueryResultChecks: checks},
			{Query: true, Config: query(m.app("beta")), QueryResultChecks: []querycheck.QueryResultCheck{
				querycheck.ExpectIdentity("alicloud_live_lazy_pull_config.all", identityChecks(m.domain, m.app("beta"))),
				querycheck.ExpectLength("alicloud_live_lazy_pull_config.all", 1),
			}},
		},
	})
}

// TestAccLazyPullConfig_queryGeneratesConfig adopts a whole domain of 500
// configurations made outside Terraform: terraform query
// -generate-config-out writes import and resource blocks, which plan as 500
// to import and nothing to add or change and leave an empty plan after
// apply. The query costs one Describe.
func TestAccLazyPullConfig_queryGeneratesConfig(t *testing.T) {
	t.Parallel()
	const n = 500
	skipOnOpenTofu(t)
	preCheck(t)
	m := newService(t)
	mock := m.requireMock(t, "it puts 500 configurations on the domain and counts calls")
	for i := 0; i < n; i++ {
		c := livemock.Config{DomainName: testDomain, AppName: fmt.Sprintf("app%03d", i), PullDomainName: fmt.Sprintf("o%d.example.net", i%9), PullProtocol: "rtmp", TranscodeLazy: "no"}
		if i%2 == 0 {
			c.PullAppName, c.TranscodeLazy, c.PullProtocol = "src", "yes", "httpflv"
		}
		if i%5 == 0 {
			c.PullArgs = "k=v"
		}
		mock.PutConfig(c)
	}
	c := newCLI(t, map[string]string{
		"main.tf": terraformBlock + m.providerBlock(""),
		"adopt.tfquery.hcl": fmt.Sprintf(`
list "alicloud_live_lazy_pull_config" "all" {
  provider = alicloud
  limit    = 1000
  config {
    domain_name = %q
  }
}
`, testDomain),
	})
	c.requireVersion("1.14.0")
	before := mock.Calls(lazypull.ActionDescribe)
	c.must("query", "-no-color", "-generate-config-out=generated.tf")
	describes := mock.Calls(lazypull.ActionDescribe) - before
	t.Logf("terraform query of %d configurations: %d Describe call(s)", n, describes)
	if describes != 1 {
		t.Errorf("the query made %d Describe calls, want 1", describes)
	}
	generated := c.read("generated.tf")
	if got := strings.Count(generated, "import {"); got != n {
		t.Fatalf("generated.tf holds %d import blocks, want %d:\n%.2000s", got, n, generated)
	}
	plan := c.must("plan", "-input=false", "-no-color")
	if !regexp.MustCompile(fmt.Sprintf(`Plan: %d to import, 0 to add, 0 to change, 0 to destroy`, n)).MatchString(plan) {
		t.Fatalf("the plan of the generated configuration:\n%.3000s", plan[max(0, len(plan)-3000):])
	}
	c.apply()
	c.expectNoChanges()
	if sets := mock.Calls(lazypull.ActionSet); sets != 0 {
		t.Errorf("adopting the domain wrote %d times", sets)
	}
}
