package provider

import (
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/alicloud-live/terraform-provider-alicloud/internal/livemock"
)

const ds = "data.alicloud_live_lazy_pull_configs.test"

func dataBlock(domain, app string) string {
	s := "data \"alicloud_live_lazy_pull_configs\" \"test\" {\n  domain_name = \"" + domain + "\"\n"
	if app != "" {
		s += "  app_name    = \"" + app + "\"\n"
	}
	return s + "}\n"
}

// TestAccLazyPullConfigsDataSource lists what the service holds, managed
// by Terraform or not, in API form, sorted, and filtered by application.
func TestAccLazyPullConfigsDataSource(t *testing.T) {
	m := newMockAPI(t)
	m.PutConfig(livemock.Config{DomainName: testDomain, AppName: "zeta", PullDomainName: "o1.example.net", PullProtocol: "hls", TranscodeLazy: "yes"})
	m.PutConfig(livemock.Config{DomainName: testDomain, AppName: "alpha", PullDomainName: "o2.example.net:1935", PullAppName: "src", PullProtocol: "httpflv", TranscodeLazy: "no"})
	m.PutConfig(livemock.Config{DomainName: testDomain2, AppName: "other", PullDomainName: "o3.example.net", PullProtocol: "rtmp", TranscodeLazy: "no"})
	entry := func(i int, attr string) tfjsonpath.Path {
		return tfjsonpath.New("configs").AtSliceIndex(i).AtMapKey(attr)
	}
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { preCheck(t) },
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: m.providerBlock("") + dataBlock(testDomain, ""),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(ds, tfjsonpath.New("id"), knownvalue.StringExact(testDomain)),
					statecheck.ExpectKnownValue(ds, tfjsonpath.New("configs"), knownvalue.ListSizeExact(2)),
					statecheck.ExpectKnownValue(ds, entry(0, "id"), knownvalue.StringExact(testDomain+":alpha")),
					statecheck.ExpectKnownValue(ds, entry(0, "pull_domain_name"), knownvalue.StringExact("o2.example.net:1935")),
					statecheck.ExpectKnownValue(ds, entry(0, "pull_app_name"), knownvalue.StringExact("src")),
					statecheck.ExpectKnownValue(ds, entry(0, "pull_protocol"), knownvalue.StringExact("httpflv")),
					statecheck.ExpectKnownValue(ds, entry(0, "transcode_lazy"), knownvalue.Bool(false)),
					statecheck.ExpectKnownValue(ds, entry(1, "app_name"), knownvalue.StringExact("zeta")),
					statecheck.ExpectKnownValue(ds, entry(1, "pull_app_name"), knownvalue.Null()),
					statecheck.ExpectKnownValue(ds, entry(1, "pull_protocol"), knownvalue.StringExact("hls")),
					statecheck.ExpectKnownValue(ds, entry(1, "transcode_lazy"), knownvalue.Bool(true)),
				},
			},
			{
				Config: m.providerBlock("") + dataBlock(testDomain, "zeta"),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(ds, tfjsonpath.New("id"), knownvalue.StringExact(testDomain+":zeta")),
					statecheck.ExpectKnownValue(ds, tfjsonpath.New("configs"), knownvalue.ListSizeExact(1)),
					statecheck.ExpectKnownValue(ds, entry(0, "domain_name"), knownvalue.StringExact(testDomain)),
				},
			},
			{
				Config: m.providerBlock("") + dataBlock(testDomain, "nothing"),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(ds, tfjsonpath.New("configs"), knownvalue.ListExact([]knownvalue.Check{})),
				},
			},
		},
	})
}

// TestAccLazyPullConfigsDataSource_errors: an unknown domain and a non-Live
// domain fail with the API's code and the hint; a malformed domain fails at
// plan without a call.
func TestAccLazyPullConfigsDataSource_errors(t *testing.T) {
	m := newMockAPI(t)
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { preCheck(t) },
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:      m.providerBlock("") + dataBlock("missing.example.com", ""),
				ExpectError: regexp.MustCompile(`(?s)Cannot List Lazy-Pull Configurations.*InvalidDomain\.NotFound.*RequestId:`),
			},
			{
				Config:      m.providerBlock("") + dataBlock(testCDNDomain, ""),
				ExpectError: regexp.MustCompile(`(?s)IllegalOperation.*not an\s+ApsaraVideo\s+Live\s+streaming\s+domain`),
			},
		},
	})
	before := m.TotalCalls()
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { preCheck(t) },
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{{
			Config:      m.providerBlock("") + dataBlock("http://live.example.com", ""),
			ExpectError: regexp.MustCompile(`(?s)Invalid Domain Name.*domain_name`),
		}},
	})
	if n := m.TotalCalls() - before; n != 0 {
		t.Errorf("an invalid domain_name reached the API %d times", n)
	}
}
