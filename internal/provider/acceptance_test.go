package provider

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/alicloud-live/terraform-provider-alicloud/internal/lazypull"
	"github.com/alicloud-live/terraform-provider-alicloud/internal/livemock"
)

// Credentials of the mock account every acceptance test uses.
const (
	testAccessKey = "LTAItestAccessKey0001"
	testSecretKey = "testSecretKey-never-printed-7c1f"
	testDomain    = "live.example.com"
	testDomain2   = "live2.example.com"
	testCDNDomain = "cdn.example.com"
)

var testProviderFactories = map[string]func() (tfprotov6.ProviderServer, error){
	"alicloud": providerserver.NewProtocol6WithError(New("test")()),
}

// mockAPI is one test's own Live API: a fresh mock behind its own server.
type mockAPI struct {
	*livemock.Server
	URL string
}

// newWrappedMockAPI is newMockAPI with the mock's handler wrapped, for tests
// that watch or reshape the traffic.
func newWrappedMockAPI(t *testing.T, wrap func(http.Handler) http.Handler) *mockAPI {
	t.Helper()
	srv := livemock.New()
	srv.AddKeyPair(testAccessKey, testSecretKey)
	srv.AddLiveDomains(testDomain, testDomain2)
	srv.AddNonLiveDomains(testCDNDomain)
	ts := httptest.NewServer(wrap(srv))
	t.Cleanup(ts.Close)
	return &mockAPI{Server: srv, URL: ts.URL}
}

// newMockAPI starts a fresh mock for one test.
func newMockAPI(t *testing.T) *mockAPI {
	t.Helper()
	return newWrappedMockAPI(t, func(h http.Handler) http.Handler { return h })
}

// providerBlock renders a provider block that talks to the mock; extra is
// added inside the block.
func (m *mockAPI) providerBlock(extra string) string {
	return fmt.Sprintf(`
provider "alicloud" {
  access_key = %q
  secret_key = %q
  region     = "cn-shanghai"
%s
  endpoints {
    live = %q
  }
}
`, testAccessKey, testSecretKey, extra, m.URL)
}

// checkEmpty is a CheckDestroy that proves the mock holds no configuration.
func (m *mockAPI) checkEmpty(*terraform.State) error {
	if all := m.AllConfigs(); len(all) != 0 {
		return fmt.Errorf("after destroy the mock still holds %d configuration(s): %+v", len(all), all)
	}
	return nil
}

// checkConfig asserts what the mock holds for (domain, app).
func (m *mockAPI) checkConfig(domain, app string, want livemock.Config) resource.TestCheckFunc {
	return func(*terraform.State) error {
		got, ok := m.Config(domain, app)
		if !ok {
			return fmt.Errorf("the mock has no configuration for %s", lazypull.ID(domain, app))
		}
		want.DomainName, want.AppName = domain, app
		if want.TranscodeLazy == "" {
			want.TranscodeLazy = "no"
		}
		if got != want {
			return fmt.Errorf("the mock holds %+v, want %+v", got, want)
		}
		return nil
	}
}

// preCheck skips nothing: acceptance tests only need a Terraform CLI and
// loopback. It clears credential variables that would override the
// provider block in tests that rely on their absence.
func preCheck(t *testing.T) {
	t.Helper()
	for _, v := range []string{"ALICLOUD_ACCESS_KEY", "ALICLOUD_SECRET_KEY", "ALICLOUD_SECURITY_TOKEN",
		"ALIBABA_CLOUD_ACCESS_KEY_ID", "ALIBABA_CLOUD_ACCESS_KEY_SECRET", "ALIBABA_CLOUD_SECURITY_TOKEN",
		"ALICLOUD_PROFILE", "ALICLOUD_SHARED_CREDENTIALS_FILE", "ALICLOUD_ASSUME_ROLE_ARN", "ALICLOUD_ASSUME_ROLE_SESSION_NAME",
		"ALIBABA_CLOUD_ENDPOINT_LIVE", "ALIBABA_CLOUD_ENDPOINT_STS", "ALICLOUD_REGION", "ALIBABA_CLOUD_REGION"} {
		if os.Getenv(v) != "" {
			t.Setenv(v, "")
		}
	}
}

// resourceBlock renders alicloud_live_lazy_pull_config.test.
func resourceBlock(attrs map[string]string) string {
	var b strings.Builder
	b.WriteString("resource \"alicloud_live_lazy_pull_config\" \"test\" {\n")
	for _, k := range []string{"domain_name", "app_name", "pull_domain_name", "pull_app_name", "pull_protocol", "transcode_lazy"} {
		if v, ok := attrs[k]; ok {
			fmt.Fprintf(&b, "  %s = %s\n", k, v)
		}
	}
	if v, ok := attrs["timeouts"]; ok {
		fmt.Fprintf(&b, "  timeouts {\n    %s\n  }\n", v)
	}
	b.WriteString("}\n")
	return b.String()
}
