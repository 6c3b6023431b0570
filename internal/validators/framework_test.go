package validators

// The framework validators: diagnostics that name the attribute, the
// value and what is allowed, also inside nested attributes.

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

func runString(v validator.String, p path.Path, val types.String) diag.Diagnostics {
	resp := &validator.StringResponse{}
	v.ValidateString(context.Background(), validator.StringRequest{
		Path:           p,
		PathExpression: p.Expression(),
		ConfigValue:    val,
	}, resp)
	return resp.Diagnostics
}

func TestFrameworkValidators(t *testing.T) {
	cases := []struct {
		name     string
		v        validator.String
		attr     string
		good     []string
		bad      []string
		summary  string
		reason   map[string]string // bad value -> substring of the detail
		describe string            // substring of Description
	}{
		{
			name: "DomainName", v: DomainName(), attr: "domain_name",
			good:    []string{"live.example.com", "example.com"},
			bad:     []string{"", "rtmp://live.example.com", "1.2.3.4", "localhost", "example.com."},
			summary: "Invalid Domain Name",
			reason: map[string]string{
				"rtmp://live.example.com": `remove the scheme "rtmp://"`,
				"1.2.3.4":                 "a domain name is required, not an IP address",
			},
			describe: "domain name",
		},
		{
			name: "AppName", v: AppName(), attr: "app_name",
			good:    []string{"ali_all_app", "live-1"},
			bad:     []string{"", "a/b", "my app", strings.Repeat("x", 256)},
			summary: "Invalid App Name",
			reason: map[string]string{
				"a/b": `character '/'`,
			},
			describe: "letter, digit",
		},
		{
			name: "OriginList", v: OriginList(), attr: "pull_domain_name",
			good:    []string{"a.example.com", "a.example.com:1935;10.0.0.1:80"},
			bad:     []string{"", "a.example.com;;b.example.com", "a.example.com;rtmp://b.example.com", "[::1]:1935", "a.example.com;A.example.com"},
			summary: "Invalid Origin List",
			reason: map[string]string{
				"a.example.com;rtmp://b.example.com": `origin 2 ("rtmp://b.example.com"): remove the scheme "rtmp://"`,
				"[::1]:1935":                         "IPv6 addresses are not supported by the API",
				"a.example.com;A.example.com":        `origin 2 ("A.example.com"): it duplicates origin 1 ("a.example.com")`,
			},
			describe: "IPv6 is not supported",
		},
	}
	ctx := context.Background()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := path.Root(tc.attr)
			if d := runString(tc.v, p, types.StringNull()); len(d) != 0 {
				t.Errorf("null value: got diagnostics %v", d)
			}
			if d := runString(tc.v, p, types.StringUnknown()); len(d) != 0 {
				t.Errorf("unknown value: got diagnostics %v", d)
			}
			for _, s := range tc.good {
				if d := runString(tc.v, p, types.StringValue(s)); len(d) != 0 {
					t.Errorf("%q: got diagnostics %v", s, d)
				}
			}
			for _, s := range tc.bad {
				d := runString(tc.v, p, types.StringValue(s))
				if len(d) != 1 || !d.HasError() {
					t.Errorf("%q: got %d diagnostics %v, want one error", s, len(d), d)
					continue
				}
				got := d[0]
				if got.Summary() != tc.summary {
					t.Errorf("%q: summary %q, want %q", s, got.Summary(), tc.summary)
				}
				withPath, ok := got.(diag.DiagnosticWithPath)
				if !ok || !withPath.Path().Equal(p) {
					t.Errorf("%q: diagnostic is not an attribute diagnostic at %s: %#v", s, p, got)
				}
				detail := got.Detail()
				for _, sub := range []string{
					"Attribute " + tc.attr + " ",
					"value " + strconv.Quote(s) + " is not valid: ",
					"Allowed: ",
				} {
					if !strings.Contains(detail, sub) {
						t.Errorf("%q: detail %q does not contain %q", s, detail, sub)
					}
				}
				if want, ok := tc.reason[s]; ok && !strings.Contains(detail, want) {
					t.Errorf("%q: detail %q does not contain %q", s, detail, want)
				}
				if !strings.HasSuffix(detail, ".") {
					t.Errorf("%q: detail %q does not end with a period", s, detail)
				}
			}
			if d := tc.v.Description(ctx); !strings.Contains(d, tc.describe) || strings.Count(d, ". ") > 0 {
				t.Errorf("Description = %q", d)
			}
			if d := tc.v.MarkdownDescription(ctx); d == "" || !strings.Contains(d, "`") {
				t.Errorf("MarkdownDescription = %q", d)
			}
		})
	}
}

func TestFrameworkNestedPath(t *testing.T) {
	p := path.Root("config").AtListIndex(0).AtName("pull_domain_name")
	d := runString(OriginList(), p, types.StringValue("x"))
	if len(d) != 1 || !strings.Contains(d[0].Detail(), p.String()) {
		t.Fatalf("diagnostics %v do not mention path %s", d, p)
	}
}
