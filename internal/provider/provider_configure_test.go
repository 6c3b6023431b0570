package provider

// Configure called directly, for what it decides before any call: deferral
// of unknown settings, warnings about unused credential sources and
// cleartext endpoints. Nothing here sends a request.

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// configure runs Configure with the attributes given (the rest null);
// blocks maps a block name to its attributes.
func configure(t *testing.T, deferralAllowed bool, attrs map[string]tftypes.Value, blocks map[string]map[string]tftypes.Value) *provider.ConfigureResponse {
	t.Helper()
	ctx := context.Background()
	p := New("test")()
	var sresp provider.SchemaResponse
	p.Schema(ctx, provider.SchemaRequest{}, &sresp)
	typ := sresp.Schema.Type().TerraformType(ctx).(tftypes.Object)
	vals := map[string]tftypes.Value{}
	for name, at := range typ.AttributeTypes {
		if v, ok := attrs[name]; ok {
			vals[name] = v
			continue
		}
		if b, ok := blocks[name]; ok {
			bt := at.(tftypes.Object)
			bv := map[string]tftypes.Value{}
			for n, a := range bt.AttributeTypes {
				if v, ok := b[n]; ok {
					bv[n] = v
				} else {
					bv[n] = tftypes.NewValue(a, nil)
				}
			}
			vals[name] = tftypes.NewValue(bt, bv)
			continue
		}
		vals[name] = tftypes.NewValue(at, nil)
	}
	req := provider.ConfigureRequest{
		Config:             tfsdk.Config{Raw: tftypes.NewValue(typ, vals), Schema: sresp.Schema},
		ClientCapabilities: provider.ConfigureProviderClientCapabilities{DeferralAllowed: deferralAllowed},
	}
	resp := &provider.ConfigureResponse{}
	p.Configure(ctx, req, resp)
	return resp
}

func str(s string) tftypes.Value { return tftypes.NewValue(tftypes.String, s) }

var unknownString = tftypes.NewValue(tftypes.String, tftypes.UnknownValue)

// TestConfigureUnknownSettings: a setting known only at apply defers the
// provider's work where the CLI allows it, and otherwise is an error that
// names it; the environment never stands in for it.
func TestConfigureUnknownSettings(t *testing.T) {
	t.Setenv("ALIBABA_CLOUD_ENDPOINT_LIVE", "http://127.0.0.1:9")
	t.Setenv("ALICLOUD_ACCESS_KEY", "LTAIfromTheEnvironment")
	t.Setenv("ALICLOUD_SECRET_KEY", "secret-from-the-environment")
	blocks := map[string]map[string]tftypes.Value{"endpoints": {"live": unknownString}}

	resp := configure(t, true, nil, blocks)
	if resp.Deferred == nil || resp.Deferred.Reason != provider.DeferredReasonProviderConfigUnknown || resp.Diagnostics.HasError() {
		t.Fatalf("with deferral allowed: deferred %+v, diagnostics %v", resp.Deferred, resp.Diagnostics)
	}
	if resp.ResourceData != nil {
		t.Errorf("a deferred provider handed out a client")
	}

	resp = configure(t, false, map[string]tftypes.Value{"access_key": unknownString}, map[string]map[string]tftypes.Value{
		"endpoints":             {"live": unknownString},
		"assume_role_with_oidc": {"oidc_token_file": unknownString},
	})
	if resp.Deferred != nil || resp.ResourceData != nil {
		t.Fatalf("without deferral: deferred %+v, data %v", resp.Deferred, resp.ResourceData)
	}
	var got []string
	for _, d := range resp.Diagnostics.Errors() {
		got = append(got, d.Summary()+": "+d.Detail())
	}
	all := strings.Join(got, "\n")
	for _, want := range []string{"access_key depends on a value known only after apply", "endpoints.live depends", "assume_role_with_oidc.oidc_token_file depends", "-target"} {
		if !strings.Contains(all, want) {
			t.Errorf("the errors do not say %q:\n%s", want, all)
		}
	}
	if len(got) != 3 {
		t.Errorf("%d errors, want one per unknown attribute", len(got))
	}
}

// TestConfigureWarnings: an unused configured credential source and a
// plain-http Live endpoint on a remote host are named at configure time;
// loopback stays silent. No request is sent: Configure makes none.
func TestConfigureWarnings(t *testing.T) {
	preCheck(t)
	keys := map[string]tftypes.Value{"access_key": str("LTAIkey"), "secret_key": str("secret-value"), "ecs_role_name": str("ecs-runner")}
	for _, tc := range []struct {
		endpoint string
		n        int // warnings
		want     []string
	}{
		{"http://live.example.com", 2, []string{`ecs_role_name "ecs-runner" (the ecs_role_name attribute) is not used: access_key and secret_key`, "http://live.example.com", "travel unencrypted"}},
		{"https://live.example.com", 1, []string{"is not used"}},
		{"http://127.0.0.1:8080", 1, []string{"is not used"}},
		{"http://[::1]:8080", 1, []string{"is not used"}},
		{"http://localhost:8080", 1, []string{"is not used"}},
	} {
		resp := configure(t, false, keys, map[string]map[string]tftypes.Value{"endpoints": {"live": str(tc.endpoint)}})
		if resp.Diagnostics.HasError() {
			t.Fatalf("%s: %v", tc.endpoint, resp.Diagnostics)
		}
		var got []string
		for _, d := range resp.Diagnostics.Warnings() {
			got = append(got, d.Detail())
		}
		all := strings.Join(got, "\n")
		for _, want := range tc.want {
			if !strings.Contains(all, want) {
				t.Errorf("%s: the warnings do not say %q:\n%s", tc.endpoint, want, all)
			}
		}
		if len(got) != tc.n {
			t.Errorf("%s: %d warnings: %q", tc.endpoint, len(got), got)
		}
	}
}

// TestConfigureSTSEndpoint: STS is https only; a bare host and
// https://host:port are accepted.
func TestConfigureSTSEndpoint(t *testing.T) {
	preCheck(t)
	for endpoint, ok := range map[string]bool{
		"sts.cn-shanghai.aliyuncs.com": true, "https://127.0.0.1:8443": true,
		"http://127.0.0.1:8443": false, "http://sts.aliyuncs.com": false,
	} {
		resp := configure(t, false, nil, map[string]map[string]tftypes.Value{"endpoints": {"sts": str(endpoint)}})
		if resp.Diagnostics.HasError() == ok {
			t.Errorf("%s: diagnostics %v", endpoint, resp.Diagnostics)
		}
		if !ok && !strings.Contains(resp.Diagnostics.Errors()[0].Detail(), "https only") {
			t.Errorf("%s: %v", endpoint, resp.Diagnostics)
		}
	}
}

// TestSettingsProxy: the proxy variables are read when the provider is
// configured, for every kind of request, and NO_PROXY is honored.
func TestSettingsProxy(t *testing.T) {
	preCheck(t)
	t.Setenv("HTTPS_PROXY", "http://127.0.0.1:3128")
	t.Setenv("HTTP_PROXY", "http://127.0.0.1:3129")
	t.Setenv("NO_PROXY", "sts-vpc.cn-shanghai.aliyuncs.com")
	s, diags := resolveSettings(providerModel{})
	if diags.HasError() {
		t.Fatal(diags)
	}
	for target, want := range map[string]string{
		"https://sts.aliyuncs.com/":                 "http://127.0.0.1:3128",
		"http://100.100.100.200/latest/api/token":   "http://127.0.0.1:3129",
		"https://sts-vpc.cn-shanghai.aliyuncs.com/": "",
		"http://127.0.0.1:8080/":                    "",
	} {
		u, _ := url.Parse(target)
		if got := s.credentials.HTTP.Proxy(u); got != want {
			t.Errorf("proxy of %s = %q, want %q", target, got, want)
		}
	}
	opts, _ := clientOptions(providerModel{}, s, nil)
	u, _ := url.Parse("https://live.aliyuncs.com/")
	if p, err := opts.Proxy(&http.Request{URL: u}); err != nil || p == nil || p.Host != "127.0.0.1:3128" {
		t.Errorf("the Live API's proxy = %v, %v", p, err)
	}
}
