package provider

// The resource's life cycle against the service: create, read, update in
// place, replace, import, drift, the documented API errors, two resources
// for one configuration, and a refresh shared by a domain's resources.
// These tests run with the mock and, with make testacc-live, against the
// real service.

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"

	rschema "github.com/hashicorp/terraform-plugin-framework/resource/schema"
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

// basicAttrs is the configuration most tests create, on the service's
// domain, for its app "live_app".
func basicAttrs(m *testService) map[string]string {
	return map[string]string{
		"domain_name":      q(m.domain),
		"app_name":         q(m.app("live_app")),
		"pull_domain_name": `"origin1.example.net;203.0.113.10:1935"`,
		"pull_protocol":    `"httpflv"`,
	}
}

// basicWant is what the service holds for basicAttrs, apart from the domain
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

func q(s string) string { return fmt.Sprintf("%q", s) }

// setCalls is a check that the mock received n Set calls in all.
func setCalls(m *testService, n int) resource.TestCheckFunc {
	return m.mockCheck(func(mock *livemock.Server) error {
		if got := mock.Calls(lazypull.ActionSet); got != n {
			return fmt.Errorf("%d Set calls, want %d", got, n)
		}
		return nil
	})
}

// TestAccLazyPullConfig_basic creates a configuration, proves state and the
// service agree, that the next plan is empty although Describe answers the
// protocol as "HTTP-FLV", imports it back, and destroys it.
func TestAccLazyPullConfig_basic(t *testing.T) {
	m := newService(t)
	cfg := m.providerBlock("") + resourceBlock(basicAttrs(m))
	resource.ParallelTest(t, resource.TestCase{
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
					statecheck.ExpectKnownValue(res, tfjsonpath.New("id"), knownvalue.StringExact(m.id(m.domain, "live_app"))),
					statecheck.ExpectKnownValue(res, tfjsonpath.New("domain_name"), knownvalue.StringExact(m.domain)),
					statecheck.ExpectKnownValue(res, tfjsonpath.New("app_name"), knownvalue.StringExact(m.app("live_app"))),
					statecheck.ExpectKnownValue(res, tfjsonpath.New("pull_domain_name"), knownvalue.StringExact("origin1.example.net;203.0.113.10:1935")),
					statecheck.ExpectKnownValue(res, tfjsonpath.New("pull_app_name"), knownvalue.Null()),
					statecheck.ExpectKnownValue(res, tfjsonpath.New("pull_protocol"), knownvalue.StringExact("httpflv")),
					statecheck.ExpectKnownValue(res, tfjsonpath.New("transcode_lazy"), knownvalue.Bool(false)),
					statecheck.ExpectKnownValue(res, tfjsonpath.New("pull_args"), knownvalue.StringExact("")),
				},
				Check: resource.ComposeTestCheckFunc(
					m.checkConfig(m.domain, m.app("live_app"), livemock.Config{PullDomainName: "origin1.example.net;203.0.113.10:1935", PullProtocol: "httpflv", TranscodeLazy: "no"}),
					setCalls(m, 1),
				),
			},
			{
				ResourceName:            res,
				ImportState:             true,
				ImportStateId:           m.id(m.domain, "live_app"),
				ImportStateVerify:       true,
				ImportStateVerifyIgnore: []string{"timeouts"},
			},
		},
	})
}

// TestAccLazyPullConfig_update changes each updatable attribute in place
// and checks that the service follows each time. Unsetting pull_app_name
// replaces the configuration, whatever the service does with a parameter a
// write leaves out.
func TestAccLazyPullConfig_update(t *testing.T) {
	m := newService(t)
	step := func(attrs map[string]string, action plancheck.ResourceActionType, want livemock.Config) resource.TestStep {
		return resource.TestStep{
			Config: m.providerBlock("") + resourceBlock(attrs),
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(res, action)},
				PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
			},
			Check: m.checkConfig(m.domain, m.app("live_app"), want),
		}
	}
	update := plancheck.ResourceActionUpdate
	base := basicAttrs(m)
	origins := with(base, "pull_domain_name", `"origin2.example.net:8080"`)
	pullApp := with(origins, "pull_app_name", `"origin_app"`)
	protocol := with(pullApp, "pull_protocol", `"hls"`)
	transcode := with(protocol, "transcode_lazy", "true")
	unset := with(transcode, "pull_app_name", "")
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { preCheck(t) },
		ProtoV6ProviderFactories: testProviderFactories,
		CheckDestroy:             m.checkEmpty,
		Steps: []resource.TestStep{
			{Config: m.providerBlock("") + resourceBlock(base)},
			step(origins, update, livemock.Config{PullDomainName: "origin2.example.net:8080", PullProtocol: "httpflv"}),
			step(pullApp, update, livemock.Config{PullDomainName: "origin2.example.net:8080", PullAppName: "origin_app", PullProtocol: "httpflv"}),
			step(protocol, update, livemock.Config{PullDomainName: "origin2.example.net:8080", PullAppName: "origin_app", PullProtocol: "hls"}),
			step(transcode, update, livemock.Config{PullDomainName: "origin2.example.net:8080", PullAppName: "origin_app", PullProtocol: "hls", TranscodeLazy: "yes"}),
			step(unset, plancheck.ResourceActionDestroyBeforeCreate, livemock.Config{PullDomainName: "origin2.example.net:8080", PullProtocol: "hls", TranscodeLazy: "yes"}),
		},
	})
}

// TestAccLazyPullConfig_replace proves domain_name and app_name force a
// new configuration and that the old one is deleted.
func TestAccLazyPullConfig_replace(t *testing.T) {
	m := newService(t)
	domain2 := m.requireDomain2(t)
	base := basicAttrs(m)
	otherApp := with(base, "app_name", q(m.app("other_app")))
	otherDomain := with(otherApp, "domain_name", q(domain2))
	gone := func(domain, app string) resource.TestCheckFunc {
		return func(*terraform.State) error {
			if _, ok, err := m.awaitConfig(domain, app, func(_ livemock.Config, ok bool) bool { return !ok }); ok || err != nil {
				return fmt.Errorf("the replaced configuration %s is still on the service (%w)", lazypull.ID(domain, app), err)
			}
			return nil
		}
	}
	resource.ParallelTest(t, resource.TestCase{
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
				Check: resource.ComposeTestCheckFunc(gone(m.domain, m.app("live_app")),
					m.checkConfig(m.domain, m.app("other_app"), basicWant)),
			},
			{
				Config: m.providerBlock("") + resourceBlock(otherDomain),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(res, plancheck.ResourceActionDestroyBeforeCreate)},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(res, tfjsonpath.New("id"), knownvalue.StringExact(m.id(domain2, "other_app"))),
				},
				Check: resource.ComposeTestCheckFunc(gone(m.domain, m.app("other_app")),
					m.checkConfig(domain2, m.app("other_app"), basicWant)),
			},
		},
	})
}

// TestAccLazyPullConfig_drift changes the service behind Terraform's back:
// a deleted configuration is planned for creation, a modified one for an
// in-place update back to the configuration.
func TestAccLazyPullConfig_drift(t *testing.T) {
	m := newService(t)
	app := m.app("live_app")
	cfg := m.providerBlock("") + resourceBlock(basicAttrs(m))
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { preCheck(t) },
		ProtoV6ProviderFactories: testProviderFactories,
		CheckDestroy:             m.checkEmpty,
		Steps: []resource.TestStep{
			{Config: cfg},
			{
				PreConfig: func() { m.remove(t, m.domain, app) },
				Config:    cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(res, plancheck.ResourceActionCreate)},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: m.checkConfig(m.domain, app, basicWant),
			},
			{
				PreConfig: func() {
					m.put(t, livemock.Config{DomainName: m.domain, AppName: app, PullDomainName: "rogue.example.net", PullProtocol: "rtmp", TranscodeLazy: "yes"})
				},
				Config: cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(res, plancheck.ResourceActionUpdate),
						plancheck.ExpectKnownValue(res, tfjsonpath.New("pull_domain_name"), knownvalue.StringExact("origin1.example.net;203.0.113.10:1935")),
					},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: m.checkConfig(m.domain, app, basicWant),
			},
			{
				// A refresh-only plan shows what changed out of band.
				PreConfig: func() {
					m.put(t, livemock.Config{DomainName: m.domain, AppName: app, PullDomainName: "origin1.example.net;203.0.113.10:1935", PullAppName: "drifted", PullProtocol: "hls", TranscodeLazy: "no"})
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
// already exists outside Terraform, which must not be overwritten. Each
// fails at plan, before any write.
func TestAccLazyPullConfig_apiErrors(t *testing.T) {
	sameOnEveryVariant(t, "each case fails before any write, on a domain holding at most one configuration")
	t.Parallel()
	cases := []struct {
		name     string
		domain   func(*testService) string
		needMock bool
		setup    func(*testing.T, *testService)
		want     func(*testService) *regexp.Regexp
	}{
		{"unknown domain", func(m *testService) string { return "tf-acc-missing-" + m.suffix + ".example.com" }, false, nil, func(m *testService) *regexp.Regexp {
			return regexp.MustCompile(`(?s)InvalidDomain\.NotFound.*RequestId: [0-9A-Za-z-]+.*"tf-acc-missing-` + m.suffix + `\.example\.com" is not in\s+this\s+Alibaba\s+Cloud\s+account`)
		}},
		{"not a live domain", func(*testService) string { return testCDNDomain }, true, nil, func(*testService) *regexp.Regexp {
			return regexp.MustCompile(`(?s)Cannot Create Lazy-Pull Configuration.*IllegalOperation.*RequestId: .*not an\s+ApsaraVideo\s+Live\s+streaming\s+domain`)
		}},
		{"pre-existing configuration", func(m *testService) string { return m.domain }, false, func(t *testing.T, m *testService) {
			m.put(t, livemock.Config{DomainName: m.domain, AppName: m.app("live_app"), PullDomainName: "theirs.example.net", PullProtocol: "rtmp", TranscodeLazy: "no"})
		}, func(m *testService) *regexp.Regexp {
			return regexp.MustCompile(`(?s)Lazy-Pull Configuration Already Exists.*terraform import <resource address>\s+` + regexp.QuoteMeta(m.id(m.domain, "live_app")))
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m := newService(t)
			if c.needMock {
				m.requireMock(t, "it needs a domain of the account that is not a Live domain")
			}
			if c.setup != nil {
				c.setup(t, m)
				t.Cleanup(func() { m.remove(t, m.domain, m.app("live_app")) })
			}
			attrs := with(basicAttrs(m), "domain_name", q(c.domain(m)))
			resource.ParallelTest(t, resource.TestCase{
				PreCheck:                 func() { preCheck(t) },
				ProtoV6ProviderFactories: testProviderFactories,
				Steps: []resource.TestStep{{
					Config:      m.providerBlock("") + resourceBlock(attrs),
					ExpectError: c.want(m),
				}},
			})
			if m.mock != nil {
				if n := m.mock.Calls(lazypull.ActionSet); n != 0 {
					t.Errorf("%d Set calls reached the service; a failed existence check must stop before writing", n)
				}
			}
			if c.setup != nil {
				if got, _, err := m.get(m.domain, m.app("live_app")); err != nil || got.PullDomainName != "theirs.example.net" {
					t.Errorf("the unmanaged configuration was overwritten: %+v %v", got, err)
				}
			}
		})
	}
}

// TestAccLazyPullConfig_importErrors checks the diagnostics of a malformed
// import ID and of an ID naming nothing.
func TestAccLazyPullConfig_importErrors(t *testing.T) {
	sameOnEveryVariant(t, "it imports only, and nothing exists")
	m := newService(t)
	cfg := m.providerBlock("") + resourceBlock(basicAttrs(m))
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { preCheck(t) },
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:        cfg,
				ResourceName:  res,
				ImportState:   true,
				ImportStateId: m.domain + "/" + m.app("live_app"),
				ExpectError:   regexp.MustCompile(`(?s)Unexpected Format of ID.*<domain_name>:<app_name>`),
			},
			{
				Config:        cfg,
				ResourceName:  res,
				ImportState:   true,
				ImportStateId: m.id(m.domain, "nothing_here"),
				ExpectError:   regexp.MustCompile(`(?i)Cannot import non-existent remote object`),
			},
		},
	})
}

// TestAccLazyPullConfig_twoResourcesOneConfiguration: two resources that
// manage the same domain_name and app_name are refused at plan, naming the
// configuration, and nothing is written.
func TestAccLazyPullConfig_twoResourcesOneConfiguration(t *testing.T) {
	sameOnEveryVariant(t, "it is refused at plan, before any write")
	m := newService(t)
	cfg := m.providerBlock("") + namedResourceBlock("one", basicAttrs(m)) + namedResourceBlock("two", basicAttrs(m))
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { preCheck(t) },
		ProtoV6ProviderFactories: testProviderFactories,
		CheckDestroy:             m.checkEmpty,
		Steps: []resource.TestStep{{
			Config:      cfg,
			ExpectError: regexp.MustCompile(`(?s)Two Resources Manage One Lazy-Pull Configuration.*` + regexp.QuoteMeta(m.id(m.domain, "live_app"))),
		}},
	})
	if m.mock != nil && m.mock.Calls(lazypull.ActionSet) != 0 {
		t.Errorf("%d Set calls: the refused plan wrote", m.mock.Calls(lazypull.ActionSet))
	}
}

// TestAccLazyPullConfig_createBeforeDestroySameConfiguration: a
// replacement that keeps domain_name and app_name (unsetting pull_app_name)
// cannot create before it destroys, as its destroy would delete what the
// create wrote. The apply refuses before writing, saying to remove
// create_before_destroy, and the configuration stays as it was; the deposed
// object Terraform keeps is destroyed later without deleting it.
func TestAccLazyPullConfig_createBeforeDestroySameConfiguration(t *testing.T) {
	m := newService(t)
	cbd := func(attrs map[string]string) string {
		return strings.Replace(resourceBlock(attrs), "\n}\n", "\n  lifecycle {\n    create_before_destroy = true\n  }\n}\n", 1)
	}
	withApp := with(basicAttrs(m), "pull_app_name", `"originapp"`)
	want := livemock.Config{PullDomainName: basicWant.PullDomainName, PullAppName: "originapp", PullProtocol: "httpflv"}
	// Create names create_before_destroy. OpenTofu and Terraform before 1.9
	// plan the create again during apply as they plan, and that plan's
	// check, which cannot know of create_before_destroy, refuses first.
	cbdHint := `.*Remove\s+create_before_destroy`
	if !tellsApplyTimePlansApart() {
		cbdHint = `.*moved block`
	}
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { preCheck(t) },
		ProtoV6ProviderFactories: testProviderFactories,
		CheckDestroy:             m.checkEmpty,
		Steps: []resource.TestStep{
			{Config: m.providerBlock("") + cbd(withApp)},
			{
				Config:      m.providerBlock("") + cbd(basicAttrs(m)),
				ExpectError: regexp.MustCompile(`(?s)Lazy-Pull Configuration Already Exists.*pull_app_name: planned "", the service holds "originapp"` + cbdHint),
			},
			{
				// Back to the old configuration: Terraform creates it (the
				// provider adopts what the service holds) and destroys the
				// deposed old object, which must not delete it.
				PreConfig: func() {
					if got, _, _ := m.get(m.domain, m.app("live_app")); got.PullAppName != "originapp" {
						t.Errorf("the refused replacement changed the service: %+v", got)
					}
				},
				Config: m.providerBlock("") + cbd(withApp),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: m.checkConfig(m.domain, m.app("live_app"), want),
			},
		},
	})
}

// TestAccLazyPullConfig_domainGone: when the domain leaves the account,
// refresh removes the configuration from state instead of failing with
// "Cannot Read", and the create the plan then proposes fails at plan with
// InvalidDomain.NotFound.
func TestAccLazyPullConfig_domainGone(t *testing.T) {
	m := newService(t)
	mock := m.requireMock(t, "it removes a domain from the account")
	cfg := m.providerBlock("") + resourceBlock(basicAttrs(m))
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { preCheck(t) },
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{
			{Config: cfg},
			{
				PreConfig:   func() { mock.RemoveDomain(testDomain) },
				Config:      cfg,
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`(?s)Cannot Create Lazy-Pull Configuration.*InvalidDomain\.NotFound`),
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
// covers every application, and destroying it (to delete it, or to replace
// it for any reason) warns that every application's configuration goes; an
// ordinary app gets no warning. Unsetting pull_app_name plans a replacement.
func TestModifyPlanWarnsAboutAllApps(t *testing.T) {
	p := newPlanner(t, nil)
	objIn := func(domain, app, pullApp string) tftypes.Value {
		attrs := map[string]tftypes.Value{
			"domain_name": tftypes.NewValue(tftypes.String, domain),
			"app_name":    tftypes.NewValue(tftypes.String, app),
		}
		if pullApp != "" {
			attrs["pull_app_name"] = tftypes.NewValue(tftypes.String, pullApp)
		}
		return planValue(t, p.s.Schema, attrs)
	}
	obj := func(app string) tftypes.Value { return objIn(testDomain, app, "") }
	cases := []struct {
		name        string
		plan, state tftypes.Value
		want        string
		replace     string // the attribute the plan must replace for, if any
	}{
		{"create ali_all_app", obj("ali_all_app"), p.null, "Applies to Every Application", ""},
		{"destroy ali_all_app", p.null, obj("ali_all_app"), "Removes Every Application's Configuration", ""},
		{"create one app", obj("live_app"), p.null, "", ""},
		{"destroy one app", p.null, obj("live_app"), "", ""},
		{"replace ali_all_app by one app", obj("live_app"), obj("ali_all_app"), "Removes Every Application's Configuration", ""},
		{"replace ali_all_app on another domain", objIn(testDomain2, "ali_all_app", ""), obj("ali_all_app"), "Removes Every Application's Configuration", ""},
		{"update ali_all_app in place", obj("ali_all_app"), obj("ali_all_app"), "", ""},
		{"unset pull_app_name of ali_all_app", obj("ali_all_app"), objIn(testDomain, "ali_all_app", "src"), "Removes Every Application's Configuration", "pull_app_name"},
		{"unset pull_app_name of one app", obj("live_app"), objIn(testDomain, "live_app", "src"), "", "pull_app_name"},
		{"set pull_app_name of one app", objIn(testDomain, "live_app", "src"), obj("live_app"), "", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			resp := p.modify(c.plan, c.state)
			if resp.Diagnostics.HasError() {
				t.Fatalf("errors: %v", resp.Diagnostics)
			}
			var replace []string
			for _, p := range resp.RequiresReplace {
				replace = append(replace, p.String())
			}
			if got := strings.Join(replace, ","); got != c.replace {
				t.Fatalf("the plan replaces for %q, want %q", got, c.replace)
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
	m := newService(t)
	cfg := m.providerBlock("") + fmt.Sprintf(`
resource "alicloud_live_lazy_pull_config" "many" {
  count            = %d
  domain_name      = %q
  app_name         = replace(%q, "N", count.index)
  pull_domain_name = "origin${count.index}.example.net"
  pull_protocol    = "rtmp"
}
`, n, m.domain, m.app("app_N"))
	addr := func(i int) string { return fmt.Sprintf("alicloud_live_lazy_pull_config.many[%d]", i) }
	var describesBeforePlan, describesInPlan int
	noOps := []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr(3), plancheck.ResourceActionUpdate)}
	for i := 0; i < n; i++ {
		if i != 3 {
			noOps = append(noOps, plancheck.ExpectResourceAction(addr(i), plancheck.ResourceActionNoop))
		}
	}
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { preCheck(t) },
		ProtoV6ProviderFactories: testProviderFactories,
		CheckDestroy:             m.checkEmpty,
		Steps: []resource.TestStep{
			{Config: cfg},
			{
				PreConfig: func() {
					if m.mock != nil {
						describesBeforePlan = m.mock.Calls(lazypull.ActionDescribe)
					}
					m.put(t, livemock.Config{DomainName: m.domain, AppName: strings.Replace(m.app("app_N"), "N", "3", 1), PullDomainName: "rogue.example.net", PullProtocol: "hls", TranscodeLazy: "no"})
				},
				Config:             cfg,
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
			},
			{
				PreConfig: func() {
					if m.mock != nil {
						describesInPlan = m.mock.Calls(lazypull.ActionDescribe) - describesBeforePlan
					}
				},
				Config: cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             append(noOps, plancheck.ExpectKnownValue(addr(3), tfjsonpath.New("pull_domain_name"), knownvalue.StringExact("origin3.example.net"))),
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: m.checkConfig(m.domain, strings.Replace(m.app("app_N"), "N", "3", 1), livemock.Config{PullDomainName: "origin3.example.net", PullProtocol: "rtmp"}),
			},
		},
	})
	if m.mock == nil {
		return
	}
	// The plan-only step refreshes the 8 configurations in one or two
	// Terraform commands, each its own provider configuration: one Describe
	// each, where one call per resource would make 8 or 16.
	if describesInPlan < 1 || describesInPlan > 2 {
		t.Fatalf("refreshing %d configurations of one domain took %d Describe calls, want 1 per Terraform command (at most 2)", n, describesInPlan)
	}
	t.Logf("refresh of %d configurations: %d Describe calls", n, describesInPlan)
}
