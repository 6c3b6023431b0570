package provider

// The data source alicloud_live_lazy_pull_configs: listing a domain, sorted
// by application whatever order the service lists in, filtering by
// application, and its errors. The listing tests run with the mock and live.

import (
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
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

// checkListedSorted checks that the data source lists the domain sorted by
// app_name, and lists the test's own configurations, named by apps, in that
// order with their values: the domain may hold others in live mode.
func checkListedSorted(want map[string]livemock.Config) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		r, ok := s.RootModule().Resources[ds]
		if !ok {
			return fmt.Errorf("%s is not in state", ds)
		}
		a := r.Primary.Attributes
		n, err := strconv.Atoi(a["configs.#"])
		if err != nil {
			return fmt.Errorf("configs.#: %w", err)
		}
		var apps []string
		found := 0
		for i := 0; i < n; i++ {
			at := func(k string) string { return a[fmt.Sprintf("configs.%d.%s", i, k)] }
			apps = append(apps, at("app_name"))
			w, mine := want[at("app_name")]
			if !mine {
				continue
			}
			found++
			got := livemock.Config{DomainName: at("domain_name"), AppName: at("app_name"), PullDomainName: at("pull_domain_name"),
				PullAppName: at("pull_app_name"), PullProtocol: at("pull_protocol"), TranscodeLazy: map[string]string{"true": "yes", "false": "no"}[at("transcode_lazy")]}
			w.PullArgs = ""
			if got != w {
				return fmt.Errorf("entry %d is %+v, want %+v", i, got, w)
			}
		}
		if !sort.StringsAreSorted(apps) {
			return fmt.Errorf("the configurations are not sorted by app_name: %v", apps)
		}
		if found != len(want) {
			return fmt.Errorf("found %d of the %d configurations in %v", found, len(want), apps)
		}
		return nil
	}
}

// TestAccLazyPullConfigsDataSource lists what the service holds, managed
// by Terraform or not, in API form, sorted, and filtered by application.
// The mock lists in a random order here, so that the list comes out sorted
// only because the data source sorts it.
func TestAccLazyPullConfigsDataSource(t *testing.T) {
	m := newServiceBehaving(t, livemock.Behavior{ListOrder: livemock.ListRandom})
	want := map[string]livemock.Config{}
	for i, name := range []string{"zeta", "alpha", "mid", "beta", "omega", "kappa", "delta", "sigma", "iota", "theta"} {
		c := livemock.Config{DomainName: m.domain, AppName: m.app(name), PullDomainName: fmt.Sprintf("o%d.example.net:1935", i), PullProtocol: "rtmp", TranscodeLazy: "no"}
		if i%2 == 0 {
			c.PullAppName, c.PullProtocol, c.TranscodeLazy = "src", "httpflv", "yes"
		}
		m.put(t, c)
		want[c.AppName] = c
		t.Cleanup(func() { m.remove(t, m.domain, c.AppName) })
	}
	if m.mock != nil {
		m.put(t, livemock.Config{DomainName: testDomain2, AppName: "other", PullDomainName: "o3.example.net", PullProtocol: "rtmp"})
	}
	entry := func(i int, attr string) tfjsonpath.Path {
		return tfjsonpath.New("configs").AtSliceIndex(i).AtMapKey(attr)
	}
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { preCheck(t) },
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: m.providerBlock("") + dataBlock(m.domain, ""),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(ds, tfjsonpath.New("id"), knownvalue.StringExact(m.domain)),
				},
				Check: checkListedSorted(want),
			},
			{
				Config: m.providerBlock("") + dataBlock(m.domain, m.app("alpha")),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(ds, tfjsonpath.New("id"), knownvalue.StringExact(m.id(m.domain, "alpha"))),
					statecheck.ExpectKnownValue(ds, tfjsonpath.New("configs"), knownvalue.ListSizeExact(1)),
					statecheck.ExpectKnownValue(ds, entry(0, "domain_name"), knownvalue.StringExact(m.domain)),
					statecheck.ExpectKnownValue(ds, entry(0, "pull_domain_name"), knownvalue.StringExact("o1.example.net:1935")),
					statecheck.ExpectKnownValue(ds, entry(0, "pull_app_name"), knownvalue.Null()),
					statecheck.ExpectKnownValue(ds, entry(0, "pull_protocol"), knownvalue.StringExact("rtmp")),
					statecheck.ExpectKnownValue(ds, entry(0, "transcode_lazy"), knownvalue.Bool(false)),
					statecheck.ExpectKnownValue(ds, entry(0, "pull_args"), knownvalue.StringExact("")),
				},
			},
			{
				Config: m.providerBlock("") + dataBlock(m.domain, m.app("nothing")),
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
	sameOnEveryVariant(t, "it lists domains that fail or hold nothing, and writes nothing")
	m := newService(t)
	mock := m.requireMock(t, "it needs a domain of the account that is not a Live domain, and counts calls")
	resource.ParallelTest(t, resource.TestCase{
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
	before := mock.TotalCalls()
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { preCheck(t) },
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{{
			Config:      m.providerBlock("") + dataBlock("http://live.example.com", ""),
			ExpectError: regexp.MustCompile(`(?s)Invalid Domain Name.*domain_name`),
		}},
	})
	if n := mock.TotalCalls() - before; n != 0 {
		t.Errorf("an invalid domain_name reached the API %d times", n)
	}
}
