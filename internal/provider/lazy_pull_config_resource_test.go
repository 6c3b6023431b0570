package provider

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"

	fwresource "github.com/hashicorp/terraform-plugin-framework/resource"
	rschema "github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/alicloud-live/terraform-provider-alicloud/internal/lazypull"
	"github.com/alicloud-live/terraform-provider-alicloud/internal/livemock"
)

const res = "alicloud_live_lazy_pull_config.test"

func basicAttrs() map[string]string {
	return map[string]string{
		"domain_name":      `"` + testDomain + `"`,
		"app_name":         `"live_app"`,
		"pull_domain_name": `"origin1.example.net;203.0.113.10:1935"`,
		"pull_protocol":    `"httpflv"`,
	}
}

// basicWant is what the mock holds for basicAttrs, apart from the domain
// and the application.
var basicWant = livemock.Config{PullDomainName: "origin1.example.net;203.0.113.10:1935", PullProtocol: "httpflv"}

func with(base map[string]string, kv ...string) map[string]string {
	out := map[string]string{}
	for k, v := range base {
		out[k] = v
	}
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i+1] == "" {
			delete(out, kv[i])
		} else {
			out[kv[i]] = kv[i+1]
		}
	}
	return out
}

// TestAccLazyPullConfig_basic creates a configuration, proves state and the
// service agree, that the next plan is empty although Describe answers the
// protocol as "HTTP-FLV", imports it back, and destroys it.
func TestAccLazyPullConfig_basic(t *testing.T) {
	m := newMockAPI(t)
	cfg := m.providerBlock("") + resourceBlock(basicAttrs())
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { preCheck(t) },
		ProtoV6ProviderFactories: testProviderFactories,
		CheckDestroy:             m.checkEmpty,
		Steps: []resource.TestStep{
			{
				Config: cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(res, plancheck.ResourceActionCreate)},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(res, tfjsonpath.New("id"), knownvalue.StringExact(testDomain+":live_app")),
					statecheck.ExpectKnownValue(res, tfjsonpath.New("domain_name"), knownvalue.StringExact(testDomain)),
					statecheck.ExpectKnownValue(res, tfjsonpath.New("app_name"), knownvalue.StringExact("live_app")),
					statecheck.ExpectKnownValue(res, tfjsonpath.New("pull_domain_name"), knownvalue.StringExact("origin1.example.net;203.0.113.10:1935")),
					statecheck.ExpectKnownValue(res, tfjsonpath.New("pull_app_name"), knownvalue.Null()),
					statecheck.ExpectKnownValue(res, tfjsonpath.New("pull_protocol"), knownvalue.StringExact("httpflv")),
					statecheck.ExpectKnownValue(res, tfjsonpath.New("transcode_lazy"), knownvalue.Bool(false)),
				},
				Check: resource.ComposeTestCheckFunc(
					m.checkConfig(testDomain, "live_app", livemock.Config{PullDomainName: "origin1.example.net;203.0.113.10:1935", PullProtocol: "httpflv", TranscodeLazy: "no"}),
					func(*terraform.State) error {
						if n := m.Calls(lazypull.ActionSet); n != 1 {
							return fmt.Errorf("create sent %d Set calls, want 1", n)
						}
						return nil
					},
				),
			},
			{
				ResourceName:            res,
				ImportState:             true,
				ImportStateId:           testDomain + ":live_app",
				ImportStateVerify:       true,
				ImportStateVerifyIgnore: []string{"timeouts"},
			},
		},
	})
}

// TestAccLazyPullConfig_update changes each updatable attribute in place
// and checks that the service follows each time.
func TestAccLazyPullConfig_update(t *testing.T) {
	m := newMockAPI(t)
	step := func(attrs map[string]string, want livemock.Config) resource.TestStep {
		return resource.TestStep{
			Config: m.providerBlock("") + resourceBlock(attrs),
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(res, plancheck.ResourceActionUpdate)},
				PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
			},
			Check: m.checkConfig(testDomain, "live_app", want),
		}
	}
	base := basicAttrs()
	origins := with(base, "pull_domain_name", `"origin2.example.net:8080"`)
	pullApp := with(origins, "pull_app_name", `"origin_app"`)
	protocol := with(pullApp, "pull_protocol", `"hls"`)
	transcode := with(protocol, "transcode_lazy", "true")
	unset := with(transcode, "pull_app_name", "")
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { preCheck(t) },
		ProtoV6ProviderFactories: testProviderFactories,
		CheckDestroy:             m.checkEmpty,
		Steps: []resource.TestStep{
			{Config: m.providerBlock("") + resourceBlock(base)},
			step(origins, livemock.Config{PullDomainName: "origin2.example.net:8080", PullProtocol: "httpflv"}),
			step(pullApp, livemock.Config{PullDomainName: "origin2.example.net:8080", PullAppName: "origin_app", PullProtocol: "httpflv"}),
			step(protocol, livemock.Config{PullDomainName: "origin2.example.net:8080", PullAppName: "origin_app", PullProtocol: "hls"}),
			step(transcode, livemock.Config{PullDomainName: "origin2.example.net:8080", PullAppName: "origin_app", PullProtocol: "hls", TranscodeLazy: "yes"}),
			step(unset, livemock.Config{PullDomainName: "origin2.example.net:8080", PullProtocol: "hls", TranscodeLazy: "yes"}),
		},
	})
}

// TestAccLazyPullConfig_replace proves domain_name and app_name force a
// new configuration and that the old one is deleted.
func TestAccLazyPullConfig_replace(t *testing.T) {
	m := newMockAPI(t)
	base := basicAttrs()
	otherApp := with(base, "app_name", `"other_app"`)
	otherDomain := with(otherApp, "domain_name", `"`+testDomain2+`"`)
	gone := func(domain, app string) resource.TestCheckFunc {
		return func(*terraform.State) error {
			if _, ok := m.Config(domain, app); ok {
				return fmt.Errorf("the replaced configuration %s:%s is still on the service", domain, app)
			}
			return nil
		}
	}
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { preCheck(t) },
		ProtoV6ProviderFactories: testProviderFactories,
		CheckDestroy:             m.checkEmpty,
		Steps: []resource.TestStep{
			{Config: m.providerBlock("") + resourceBlock(base)},
			{
				Config: m.providerBlock("") + resourceBlock(otherApp),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(res, plancheck.ResourceActionDestroyBeforeCreate)},
				},
				Check: resource.ComposeTestCheckFunc(gone(testDomain, "live_app"),
					m.checkConfig(testDomain, "other_app", basicWant)),
			},
			{
				Config: m.providerBlock("") + resourceBlock(otherDomain),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(res, plancheck.ResourceActionDestroyBeforeCreate)},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(res, tfjsonpath.New("id"), knownvalue.StringExact(testDomain2+":other_app")),
				},
				Check: resource.ComposeTestCheckFunc(gone(testDomain, "other_app"),
					m.checkConfig(testDomain2, "other_app", basicWant)),
			},
		},
	})
}

// TestAccLazyPullConfig_drift changes the service behind Terraform's back:
// a deleted configuration is planned for creation, a modified one for an
// in-place update back to the configuration.
func TestAccLazyPullConfig_drift(t *testing.T) {
	m := newMockAPI(t)
	cfg := m.providerBlock("") + resourceBlock(basicAttrs())
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { preCheck(t) },
		ProtoV6ProviderFactories: testProviderFactories,
		CheckDestroy:             m.checkEmpty,
		Steps: []resource.TestStep{
			{Config: cfg},
			{
				PreConfig: func() { m.RemoveConfig(testDomain, "live_app") },
				Config:    cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(res, plancheck.ResourceActionCreate)},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: m.checkConfig(testDomain, "live_app", basicWant),
			},
			{
				PreConfig: func() {
					m.PutConfig(livemock.Config{DomainName: testDomain, AppName: "live_app", PullDomainName: "rogue.example.net", PullProtocol: "rtmp", TranscodeLazy: "yes"})
				},
				Config: cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(res, plancheck.ResourceActionUpdate),
						plancheck.ExpectKnownValue(res, tfjsonpath.New("pull_domain_name"), knownvalue.StringExact("origin1.example.net;203.0.113.10:1935")),
					},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: m.checkConfig(testDomain, "live_app", basicWant),
			},
			{
				// A refresh-only plan shows what changed out of band.
				PreConfig: func() {
					m.PutConfig(livemock.Config{DomainName: testDomain, AppName: "live_app", PullDomainName: "origin1.example.net;203.0.113.10:1935", PullAppName: "drifted", PullProtocol: "hls", TranscodeLazy: "no"})
				},
				RefreshState: true,
				Check: resource.ComposeTestCheckFunc(
					resource.TestCheckResourceAttr(res, "pull_app_name", "drifted"),
					resource.TestCheckResourceAttr(res, "pull_protocol", "hls"),
				),
				ExpectNonEmptyPlan: true,
			},
		},
	})
}

// TestAccLazyPullConfig_apiErrors drives the documented errors: unknown
// domain, a domain that is not a Live domain, and a configuration that
// already exists outside Terraform, which must not be overwritten.
func TestAccLazyPullConfig_apiErrors(t *testing.T) {
	cases := []struct {
		name   string
		domain string
		setup  func(*mockAPI)
		want   *regexp.Regexp
	}{
		{"unknown domain", "missing.example.com", nil,
			regexp.MustCompile(`(?s)InvalidDomain\.NotFound.*RequestId: [0-9A-F-]+.*"missing\.example\.com" is not in\s+this\s+Alibaba\s+Cloud\s+account`)},
		{"not a live domain", testCDNDomain, nil,
			regexp.MustCompile(`(?s)Cannot Create Lazy-Pull Configuration.*IllegalOperation.*RequestId: .*not an\s+ApsaraVideo\s+Live\s+streaming\s+domain`)},
		{"pre-existing configuration", testDomain, func(m *mockAPI) {
			m.PutConfig(livemock.Config{DomainName: testDomain, AppName: "live_app", PullDomainName: "theirs.example.net", PullProtocol: "rtmp", TranscodeLazy: "no"})
		}, regexp.MustCompile(`(?s)Lazy-Pull Configuration Already Exists.*terraform import <resource address>\s+live\.example\.com:live_app`)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m := newMockAPI(t)
			if c.setup != nil {
				c.setup(m)
			}
			attrs := with(basicAttrs(), "domain_name", `"`+c.domain+`"`)
			resource.Test(t, resource.TestCase{
				PreCheck:                 func() { preCheck(t) },
				ProtoV6ProviderFactories: testProviderFactories,
				Steps: []resource.TestStep{{
					Config:      m.providerBlock("") + resourceBlock(attrs),
					ExpectError: c.want,
				}},
			})
			if n := m.Calls(lazypull.ActionSet); n != 0 {
				t.Errorf("%d Set calls reached the service; a failed existence check must stop before writing", n)
			}
			if c.setup != nil {
				if got, _ := m.Config(testDomain, "live_app"); got.PullDomainName != "theirs.example.net" {
					t.Errorf("the unmanaged configuration was overwritten: %+v", got)
				}
			}
		})
	}
}

// TestAccLazyPullConfig_importErrors checks the diagnostics of a malformed
// import ID and of an ID naming nothing.
func TestAccLazyPullConfig_importErrors(t *testing.T) {
	m := newMockAPI(t)
	cfg := m.providerBlock("") + resourceBlock(basicAttrs())
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { preCheck(t) },
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:        cfg,
				ResourceName:  res,
				ImportState:   true,
				ImportStateId: "live.example.com/live_app",
				ExpectError:   regexp.MustCompile(`(?s)Unexpected Format of ID.*<domain_name>:<app_name>`),
			},
			{
				Config:        cfg,
				ResourceName:  res,
				ImportState:   true,
				ImportStateId: "live.example.com:nothing_here",
				ExpectError:   regexp.MustCompile(`(?i)Cannot import non-existent remote object`),
			},
		},
	})
}

// planValue builds a plan or state value of the resource from attrs.
func planValue(t *testing.T, s rschema.Schema, attrs map[string]tftypes.Value) tftypes.Value {
	t.Helper()
	typ, ok := s.Type().TerraformType(context.Background()).(tftypes.Object)
	if !ok {
		t.Fatal("the resource schema is not an object")
	}
	vals := map[string]tftypes.Value{}
	for name, at := range typ.AttributeTypes {
		if v, ok := attrs[name]; ok {
			vals[name] = v
		} else {
			vals[name] = tftypes.NewValue(at, nil)
		}
	}
	return tftypes.NewValue(typ, vals)
}

// TestModifyPlanWarnsAboutAllApps: planning ali_all_app warns that it
// covers every application, and destroying it warns that every
// application's configuration goes; an ordinary app gets no warning.
func TestModifyPlanWarnsAboutAllApps(t *testing.T) {
	ctx := context.Background()
	r := &LazyPullConfigResource{}
	var sr fwresource.SchemaResponse
	r.Schema(ctx, fwresource.SchemaRequest{}, &sr)
	s := sr.Schema
	obj := func(app string) tftypes.Value {
		return planValue(t, s, map[string]tftypes.Value{
			"domain_name": tftypes.NewValue(tftypes.String, testDomain),
			"app_name":    tftypes.NewValue(tftypes.String, app),
		})
	}
	null := tftypes.NewValue(s.Type().TerraformType(ctx), nil)
	cases := []struct {
		name        string
		plan, state tftypes.Value
		want        string
	}{
		{"create ali_all_app", obj("ali_all_app"), null, "Applies to Every Application"},
		{"destroy ali_all_app", null, obj("ali_all_app"), "Removes Every Application's Configuration"},
		{"create one app", obj("live_app"), null, ""},
		{"destroy one app", null, obj("live_app"), ""},
		{"replace ali_all_app by one app", obj("live_app"), obj("ali_all_app"), "Removes Every Application's Configuration"},
		{"update ali_all_app in place", obj("ali_all_app"), obj("ali_all_app"), ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			req := fwresource.ModifyPlanRequest{
				Plan:  tfsdk.Plan{Schema: s, Raw: c.plan},
				State: tfsdk.State{Schema: s, Raw: c.state},
			}
			resp := fwresource.ModifyPlanResponse{Plan: req.Plan}
			r.ModifyPlan(ctx, req, &resp)
			if resp.Diagnostics.HasError() {
				t.Fatalf("errors: %v", resp.Diagnostics)
			}
			warnings := resp.Diagnostics.Warnings()
			if c.want == "" {
				if len(warnings) != 0 {
					t.Fatalf("unexpected warnings: %v", warnings)
				}
				return
			}
			if len(warnings) != 1 || !strings.Contains(warnings[0].Summary(), c.want) || !strings.Contains(warnings[0].Detail(), testDomain) {
				t.Fatalf("want one warning %q naming %s, got %v", c.want, testDomain, warnings)
			}
		})
	}
}

// TestAccLazyPullConfig_sharedRefreshDetectsDrift: a refresh of many
// configurations of one domain costs one Describe, and a change made out of
// band before the plan still shows, for exactly the configuration that
// drifted.
func TestAccLazyPullConfig_sharedRefreshDetectsDrift(t *testing.T) {
	const n = 8
	m := newMockAPI(t)
	cfg := m.providerBlock("") + fmt.Sprintf(`
resource "alicloud_live_lazy_pull_config" "many" {
  count            = %d
  domain_name      = %q
  app_name         = "app_${count.index}"
  pull_domain_name = "origin${count.index}.example.net"
  pull_protocol    = "rtmp"
}
`, n, testDomain)
	addr := func(i int) string { return fmt.Sprintf("alicloud_live_lazy_pull_config.many[%d]", i) }
	var describesBeforePlan, describesInPlan int
	noOps := []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr(3), plancheck.ResourceActionUpdate)}
	for i := 0; i < n; i++ {
		if i != 3 {
			noOps = append(noOps, plancheck.ExpectResourceAction(addr(i), plancheck.ResourceActionNoop))
		}
	}
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { preCheck(t) },
		ProtoV6ProviderFactories: testProviderFactories,
		CheckDestroy:             m.checkEmpty,
		Steps: []resource.TestStep{
			{Config: cfg},
			{
				PreConfig: func() {
					describesBeforePlan = m.Calls(lazypull.ActionDescribe)
					m.PutConfig(livemock.Config{DomainName: testDomain, AppName: "app_3", PullDomainName: "rogue.example.net", PullProtocol: "hls", TranscodeLazy: "no"})
				},
				Config:             cfg,
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
			},
			{
				PreConfig: func() { describesInPlan = m.Calls(lazypull.ActionDescribe) - describesBeforePlan },
				Config:    cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             append(noOps, plancheck.ExpectKnownValue(addr(3), tfjsonpath.New("pull_domain_name"), knownvalue.StringExact("origin3.example.net"))),
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: m.checkConfig(testDomain, "app_3", livemock.Config{PullDomainName: "origin3.example.net", PullProtocol: "rtmp"}),
			},
		},
	})
	// The plan-only step refreshes the 8 configurations in one or two
	// Terraform commands, each its own provider configuration: one Describe
	// each, where one call per resource would make 8 or 16.
	if describesInPlan < 1 || describesInPlan > 2 {
		t.Fatalf("refreshing %d configurations of one domain took %d Describe calls, want 1 per Terraform command (at most 2)", n, describesInPlan)
	}
	t.Logf("refresh of %d configurations: %d Describe calls", n, describesInPlan)
}
