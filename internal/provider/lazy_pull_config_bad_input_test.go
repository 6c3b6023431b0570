package provider

// Bad input: every invalid attribute of the resource, its timeouts and the
// provider fails at plan, naming the attribute, without an API call; and a
// run without credentials validates and plans.

import (
	"fmt"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
)

// invalidInput is one configuration the provider must reject at plan time,
// before any API call.
type invalidInput struct {
	name string
	// set overrides resource attributes of basicAttrs (an empty value
	// removes the attribute); raw, if set, replaces the resource block.
	set []string
	raw string
	// provider is added inside the provider block; live, if set, replaces
	// the mock's endpoint.
	provider string
	live     string
	// replace rewrites a line of the provider block: old, new.
	replace []string
	// want must match the error and name the attribute.
	want string
}

func (c invalidInput) config(m *testService) string {
	p := m.providerBlock(c.provider)
	if c.live != "" {
		p = strings.Replace(p, fmt.Sprintf("live = %q", m.url), fmt.Sprintf("live = %q", c.live), 1)
	}
	if len(c.replace) == 2 {
		p = strings.Replace(p, c.replace[0], c.replace[1], 1)
	}
	if c.raw != "" {
		return p + c.raw
	}
	return p + resourceBlock(with(basicAttrs(m), c.set...))
}

var invalidInputs = []invalidInput{
	// domain_name
	{name: "domain_name with scheme", set: []string{"domain_name", q("http://live.example.com")}, want: `domain_name.*remove the scheme "http://"`},
	{name: "domain_name with port", set: []string{"domain_name", q("live.example.com:8080")}, want: `domain_name.*remove the port ":8080"`},
	{name: "domain_name with path", set: []string{"domain_name", q("live.example.com/app")}, want: `domain_name.*remove the path "/app"`},
	{name: "domain_name wildcard", set: []string{"domain_name", q("*.example.com")}, want: `domain_name.*wildcards`},
	{name: "domain_name single label", set: []string{"domain_name", q("localhost")}, want: `domain_name.*single-label`},
	{name: "domain_name IPv4", set: []string{"domain_name", q("203.0.113.10")}, want: `domain_name.*not an IP address`},
	{name: "domain_name IPv6", set: []string{"domain_name", q("2001:db8::1")}, want: `domain_name.*not an IPv6 address`},
	{name: "domain_name underscore", set: []string{"domain_name", q("live_1.example.com")}, want: `domain_name.*underscores`},
	{name: "domain_name trailing dot", set: []string{"domain_name", q("live.example.com.")}, want: `domain_name.*trailing dot`},
	{name: "domain_name empty", set: []string{"domain_name", q("")}, want: `domain_name.*it is empty`},
	{name: "domain_name leading hyphen", set: []string{"domain_name", q("-live.example.com")}, want: `domain_name.*starts with a hyphen`},
	{name: "domain_name label too long", set: []string{"domain_name", q(strings.Repeat("a", 64) + ".example.com")}, want: `domain_name.*64 characters long`},
	{name: "domain_name white space", set: []string{"domain_name", q("live example.com")}, want: `domain_name.*white space`},
	{name: "domain_name non-ASCII", set: []string{"domain_name", q("直播.example.com")}, want: `domain_name.*punycode`},
	// app_name
	{name: "app_name empty", set: []string{"app_name", q("")}, want: `app_name.*it is empty`},
	{name: "app_name slash", set: []string{"app_name", q("live/app")}, want: `app_name.*the character '/'`},
	{name: "app_name space", set: []string{"app_name", q("live app")}, want: `app_name.*white space`},
	{name: "app_name dot", set: []string{"app_name", q("live.app")}, want: `app_name.*the character '\.'`},
	{name: "app_name non-ASCII", set: []string{"app_name", q("直播")}, want: `app_name.*non-ASCII`},
	{name: "app_name too long", set: []string{"app_name", q(strings.Repeat("a", 256))}, want: `app_name.*256 characters long`},
	// pull_domain_name
	{name: "pull_domain_name empty", set: []string{"pull_domain_name", q("")}, want: `pull_domain_name.*it is empty`},
	{name: "pull_domain_name scheme", set: []string{"pull_domain_name", q("rtmp://origin.example.net")}, want: `pull_domain_name.*remove the scheme "rtmp://"`},
	{name: "pull_domain_name trailing separator", set: []string{"pull_domain_name", q("origin.example.net;")}, want: `pull_domain_name.*trailing ";"`},
	{name: "pull_domain_name doubled separator", set: []string{"pull_domain_name", q("a.example.net;;b.example.net")}, want: `pull_domain_name.*doubled ";"`},
	{name: "pull_domain_name duplicate", set: []string{"pull_domain_name", q("a.example.net;A.example.net")}, want: `pull_domain_name.*duplicates origin 1`},
	{name: "pull_domain_name IPv6", set: []string{"pull_domain_name", q("[2001:db8::1]:1935")}, want: `pull_domain_name.*IPv6`},
	{name: "pull_domain_name port 0", set: []string{"pull_domain_name", q("origin.example.net:0")}, want: `pull_domain_name.*port "0" is out of range`},
	{name: "pull_domain_name port too high", set: []string{"pull_domain_name", q("origin.example.net:70000")}, want: `pull_domain_name.*port "70000" is out of range`},
	{name: "pull_domain_name IPv4 out of range", set: []string{"pull_domain_name", q("256.1.1.1")}, want: `pull_domain_name.*out of range 0-255`},
	{name: "pull_domain_name two ports", set: []string{"pull_domain_name", q("origin.example.net:80:90")}, want: `pull_domain_name.*more than one ":"`},
	{name: "pull_domain_name space after separator", set: []string{"pull_domain_name", q("a.example.net; b.example.net")}, want: `pull_domain_name.*white space`},
	{name: "origin is the domain", set: []string{"pull_domain_name", q("live.example.com")}, want: `pull_domain_name.*is the streaming domain`},
	{name: "origin is the domain, other case, with port", set: []string{"pull_domain_name", q("o.example.net;LIVE.example.com:1935")}, want: `pull_domain_name origin 2.*is the streaming domain`},
	// pull_app_name
	{name: "pull_app_name empty", set: []string{"pull_app_name", q("")}, want: `pull_app_name.*it is empty`},
	{name: "pull_app_name space", set: []string{"pull_app_name", q("origin app")}, want: `pull_app_name.*white space`},
	// pull_protocol
	{name: "pull_protocol flv", set: []string{"pull_protocol", q("flv")}, want: `pull_protocol value must be one of`},
	{name: "pull_protocol display form", set: []string{"pull_protocol", q("HTTP-FLV")}, want: `pull_protocol value must be one of`},
	{name: "pull_protocol empty", set: []string{"pull_protocol", q("")}, want: `pull_protocol value must be one of`},
	// transcode_lazy
	{name: "transcode_lazy not a bool", set: []string{"transcode_lazy", q("maybe")}, want: `Inappropriate value for attribute "transcode_lazy"`},
	// timeouts
	{name: "timeouts create not a duration", set: []string{"timeouts", `create = "soon"`}, want: `Invalid Attribute Value Time Duration.*in resource "alicloud_live_lazy_pull_config".*create = "soon"`},
	{name: "timeouts delete words", set: []string{"timeouts", `delete = "5 minutes"`}, want: `Invalid Attribute Value Time Duration.*delete = "5 minutes"`},
	{name: "timeouts unknown operation", set: []string{"timeouts", `import = "1m"`}, want: `argument named "import" is not expected`},
	// missing required attributes and unknown ones
	{name: "missing domain_name", set: []string{"domain_name", ""}, want: `argument "domain_name" is required`},
	{name: "missing app_name", set: []string{"app_name", ""}, want: `argument "app_name" is required`},
	{name: "missing pull_domain_name", set: []string{"pull_domain_name", ""}, want: `argument "pull_domain_name" is required`},
	{name: "missing pull_protocol", set: []string{"pull_protocol", ""}, want: `argument "pull_protocol" is required`},
	{name: "id is computed", raw: `resource "alicloud_live_lazy_pull_config" "test" {
  id               = "x:y"
  domain_name      = "live.example.com"
  app_name         = "live_app"
  pull_domain_name = "origin.example.net"
  pull_protocol    = "rtmp"
}
`, want: `Invalid Configuration for Read-Only Attribute.*id`},
	{name: "unknown attribute pull_auth_type", raw: `resource "alicloud_live_lazy_pull_config" "test" {
  domain_name      = "live.example.com"
  app_name         = "live_app"
  pull_domain_name = "origin.example.net"
  pull_protocol    = "rtmp"
  pull_auth_type   = "k=v"
}
`, want: `argument named "pull_auth_type" is not expected`},
	// provider attributes
	{name: "rate_limit 0", provider: "  rate_limit = 0", want: `rate_limit value must be at least 1`},
	{name: "rate_limit_window not a duration", provider: `  rate_limit_window = "fast"`, want: `rate_limit_window.*"fast" is not a duration`},
	{name: "rate_limit_window negative", provider: `  rate_limit_window = "-1m"`, want: `rate_limit_window.*not positive`},
	{name: "max_retries too many", provider: "  max_retries = 51", want: `max_retries value must be between 0 and 50`},
	{name: "max_retries negative", provider: "  max_retries = -1", want: `max_retries value must be between 0 and 50`},
	{name: "client_read_timeout 0", provider: "  client_read_timeout = 0", want: `client_read_timeout value must be at least 1`},
	{name: "client_connect_timeout negative", provider: "  client_connect_timeout = -5", want: `client_connect_timeout value must be at least 1`},
	{name: "endpoints live ftp", live: "ftp://x", want: `endpoints\.live.*scheme must be http or https`},
	{name: "endpoints live with path", live: "https://live.aliyuncs.com/v1", want: `endpoints\.live.*give only a scheme, a host`},
	{name: "two endpoints blocks", provider: "  endpoints {\n    live = \"https://live.aliyuncs.com\"\n  }", want: `Duplicate endpoints block`},
	{name: "region with space", replace: []string{`region     = "cn-shanghai"`, `region = "CN Shanghai"`}, want: `region.*must be a region ID`},
	{name: "region upper case", replace: []string{`region     = "cn-shanghai"`, `region = "CN-SHANGHAI"`}, want: `region.*must be a region ID`},
	{name: "secret_key not a string", replace: []string{fmt.Sprintf("secret_key = %q", testSecretKey), `secret_key = ["a"]`}, want: `Inappropriate value for attribute "secret_key"`},
}

// TestAccLazyPullConfig_invalidInput plans each invalid configuration and
// expects an error naming the attribute, with not a single API call.
func TestAccLazyPullConfig_invalidInput(t *testing.T) {
	sameOnEveryVariant(t, "every row fails at plan, before any call")
	t.Parallel()
	// No preCheck: its t.Setenv is not allowed with parallel subtests, and
	// none is needed, as the provider block sets the keys and the endpoint
	// and no row gets as far as resolving credentials.
	if v := os.Getenv(envVariant); v != "" {
		t.Skipf("invalid input never reaches the API, so the mock variant %s cannot matter", v)
	}
	if len(invalidInputs) < 40 {
		t.Fatalf("only %d invalid inputs", len(invalidInputs))
	}
	covered := map[string]bool{}
	for _, c := range invalidInputs {
		for _, a := range []string{"domain_name", "app_name", "pull_domain_name", "pull_app_name", "pull_protocol", "transcode_lazy", `create = `, `delete = `,
			"rate_limit", "rate_limit_window", "max_retries", "client_read_timeout", "client_connect_timeout", "endpoints", "region", "secret_key"} {
			if strings.Contains(c.want, a) {
				covered[a] = true
			}
		}
	}
	if len(covered) != 16 {
		t.Fatalf("the table covers only %v", covered)
	}
	for _, c := range invalidInputs {
		t.Run(c.name, func(t *testing.T) {
			m := newService(t)
			m.requireMock(t, "its rows rewrite the mock's provider block, and it counts calls")
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: testProviderFactories,
				Steps: []resource.TestStep{{
					Config:      c.config(m),
					PlanOnly:    true,
					ExpectError: regexp.MustCompile(`(?s)` + strings.ReplaceAll(c.want, " ", `\s+`)),
				}},
			})
			if n := m.mock.TotalCalls(); n != 0 {
				t.Errorf("invalid input reached the API: %d calls", n)
			}
		})
	}
	t.Logf("planning %d invalid configurations", len(invalidInputs))
}

// TestAccLazyPullConfig_noCredentials: without any credentials, validation
// still reports bad input and a valid configuration still plans; only the
// apply, which must call the API, fails, naming where to put credentials.
func TestAccLazyPullConfig_noCredentials(t *testing.T) {
	sameOnEveryVariant(t, "without credentials it makes no call")
	m := newService(t)
	m.requireMock(t, "it counts the calls a run without credentials makes")
	provider := fmt.Sprintf(`
provider "alicloud" {
  region = "cn-shanghai"
  endpoints {
    live = %q
  }
}
`, m.url)
	valid := provider + resourceBlock(basicAttrs(m))
	invalid := provider + resourceBlock(with(basicAttrs(m), "pull_protocol", `"rtmps"`))
	noCalls := func() {
		if n := m.mock.TotalCalls(); n != 0 {
			t.Errorf("%d API calls were made without credentials", n)
		}
	}
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { preCheck(t) },
		ProtoV6ProviderFactories: testProviderFactories,
		CheckDestroy: func(*terraform.State) error {
			noCalls()
			return m.checkEmpty(nil)
		},
		Steps: []resource.TestStep{
			{
				Config:      invalid,
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`(?s)pull_protocol\s+value\s+must\s+be\s+one\s+of`),
			},
			{
				PreConfig:          noCalls,
				Config:             valid,
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
			},
			{
				PreConfig:   noCalls,
				Config:      valid,
				ExpectError: regexp.MustCompile(`(?s)no\s+Alibaba\s+Cloud\s+credentials:\s+set\s+access_key\s+and\s+secret_key.*ALICLOUD_ACCESS_KEY`),
			},
		},
	})
	noCalls()
}
