package provider

// The acceptance tests' harness: the service each test runs against (its
// own mock Live API, or with ALICLOUD_LIVE_TEST=1 the real service the
// provider's usual settings name), the provider and resource blocks they
// render, and the sweeper that removes what a live run left behind.

import (
	"context"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/alicloud-live/terraform-provider-alicloud/internal/credentials"
	"github.com/alicloud-live/terraform-provider-alicloud/internal/lazypull"
	"github.com/alicloud-live/terraform-provider-alicloud/internal/liveapi"
	"github.com/alicloud-live/terraform-provider-alicloud/internal/livemock"
)

// Credentials and domains of the mock account.
const (
	testAccessKey = "LTAItestAccessKey0001"
	testSecretKey = "testSecretKey-never-printed-7c1f"
	testDomain    = "live.example.com"
	testDomain2   = "live2.example.com"
	testDomain3   = "live3.example.com" // not in the account: tests over three domains add it
	testCDNDomain = "cdn.example.com"
)

// Live mode: the environment variables of make testacc-live.
const (
	envLive        = "ALICLOUD_LIVE_TEST"         // "1" runs against the real service
	envLiveDomain  = "ALICLOUD_LIVE_TEST_DOMAIN"  // a Live domain of the account (required)
	envLiveDomain2 = "ALICLOUD_LIVE_TEST_DOMAIN2" // a second one, for tests that move a configuration
	envVariant     = "LIVEMOCK_VARIANT"           // a livemock.Variants name for the mock
	// liveAppPrefix starts the app_name of every configuration a test
	// creates in live mode; the sweeper deletes only those.
	liveAppPrefix = "tf-acc-"
)

// testCredentials are the mock account's keys as a credential source.
var testCredentials = credentials.Static{
	AccessKey: credentials.Value{Value: testAccessKey}, SecretKey: credentials.Value{Value: testSecretKey},
}

var testProviderFactories = map[string]func() (tfprotov6.ProviderServer, error){
	"alicloud": providerserver.NewProtocol6WithError(New("test")()),
}

func TestMain(m *testing.M) {
	trustTestTLS()
	// The CLIs the tests run would otherwise ask checkpoint-api.hashicorp.com
	// for updates: no test sends anything past loopback.
	if os.Getenv("CHECKPOINT_DISABLE") == "" {
		_ = os.Setenv("CHECKPOINT_DISABLE", "1")
	}
	resource.TestMain(m)
}

// trustTestTLS makes the provider, which runs in this process, trust the
// certificate of httptest's TLS servers (the mock's STS): credentials-go
// clones http.DefaultTransport for each request. It also has Go read the
// proxy variables into its once-per-process cache now, before any test
// sets them; the provider reads them itself at every Configure.
func trustTestTLS() {
	ts := httptest.NewTLSServer(http.NotFoundHandler())
	pool, err := x509.SystemCertPool()
	if err != nil {
		pool = x509.NewCertPool()
	}
	pool.AddCert(ts.Certificate())
	ts.Close()
	http.DefaultTransport.(*http.Transport).TLSClientConfig = &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}
	_, _ = http.ProxyFromEnvironment(&http.Request{URL: &url.URL{Scheme: "http", Host: livemock.MetadataHost}})
}

// stsEndpoint serves the test's mock as STS over TLS, and returns its
// https URL.
func (s *testService) stsEndpoint(t *testing.T) string {
	t.Helper()
	ts := httptest.NewTLSServer(s.requireMock(t, "STS is the mock's"))
	t.Cleanup(ts.Close)
	return ts.URL
}

func init() {
	resource.AddTestSweepers("alicloud_live_lazy_pull_config", &resource.Sweeper{
		Name: "alicloud_live_lazy_pull_config",
		F:    sweepLive,
	})
}

// liveMode reports whether the tests run against the real service.
func liveMode() bool { return os.Getenv(envLive) == "1" }

// testService is the Live API one test runs against. With a mock (the
// default) the test owns all of it; in live mode it owns only the
// configurations whose app_name it made with app.
type testService struct {
	// mock is the test's own mock; nil in live mode.
	mock    *livemock.Server
	url     string
	api     *liveapi.Client // out-of-band changes in live mode
	domain  string
	domain2 string // "" in live mode without ALICLOUD_LIVE_TEST_DOMAIN2
	suffix  string // random, unique to the test
}

// newService returns the test's service: a fresh mock behind its own
// server, answering as LIVEMOCK_VARIANT says where the API reference is
// silent, or in live mode the real service.
func newService(t *testing.T) *testService {
	t.Helper()
	return newWrappedService(t, func(h http.Handler) http.Handler { return h })
}

// newServiceBehaving is newService with a mock that answers as b says: for
// tests of one answer to what the API reference leaves open. They run in
// the default pass of make test; the passes over LIVEMOCK_VARIANT skip them,
// as the variant would not apply.
func newServiceBehaving(t *testing.T, b livemock.Behavior) *testService {
	t.Helper()
	if name := os.Getenv(envVariant); name != "" && !liveMode() {
		t.Skipf("its mock answers as %s, whatever the variant %s", b, name)
	}
	return newMockService(t, func(h http.Handler) http.Handler { return h }, livemock.WithBehavior(b))
}

// newWrappedService is newService with the mock's handler wrapped, for
// tests that watch or reshape the traffic.
func newWrappedService(t *testing.T, wrap func(http.Handler) http.Handler) *testService {
	t.Helper()
	var opts []livemock.Option
	if name := os.Getenv(envVariant); name != "" {
		b, err := livemock.ParseVariant(name)
		if err != nil {
			t.Fatalf("%s: %v", envVariant, err)
		}
		opts = append(opts, livemock.WithBehavior(b))
	}
	return newMockService(t, wrap, opts...)
}

func newMockService(t *testing.T, wrap func(http.Handler) http.Handler, opts ...livemock.Option) *testService {
	t.Helper()
	if liveMode() {
		return newLiveService(t)
	}
	srv := livemock.New(opts...)
	srv.AddKeyPair(testAccessKey, testSecretKey)
	srv.AddLiveDomains(testDomain, testDomain2)
	srv.AddNonLiveDomains(testCDNDomain)
	ts := httptest.NewServer(wrap(srv))
	t.Cleanup(ts.Close)
	return &testService{mock: srv, url: ts.URL, domain: testDomain, domain2: testDomain2, suffix: randomSuffix()}
}

func newLiveService(t *testing.T) *testService {
	t.Helper()
	domain := os.Getenv(envLiveDomain)
	if domain == "" {
		t.Fatalf("live mode needs %s: a Live domain of the account the tests may add and delete tf-acc- configurations on", envLiveDomain)
	}
	api, err := newLiveClient()
	if err != nil {
		t.Fatal(err)
	}
	return &testService{api: api, domain: domain, domain2: os.Getenv(envLiveDomain2), suffix: randomSuffix()}
}

// randomSuffix makes the names of one test run its own.
func randomSuffix() string {
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// newLiveClient is an API client built from the settings the provider
// reads from its environment, for changes made out of band and for the
// tests' checks.
func newLiveClient() (*liveapi.Client, error) {
	s, diags := resolveSettings(providerModel{})
	if diags.HasError() {
		return nil, fmt.Errorf("provider settings from the environment: %v", diags)
	}
	opts, diags := clientOptions(providerModel{}, s, credentials.Resolve(s.credentials).Source)
	if diags.HasError() {
		return nil, fmt.Errorf("client options: %v", diags)
	}
	// Every read of a test's checks asks the service: no snapshot.
	opts.SnapshotTTL = -1
	return liveapi.New(opts)
}

// apiClient returns an API client of the service, as the provider would
// make it, for tests that call the API directly.
func (s *testService) apiClient(t *testing.T) *liveapi.Client {
	t.Helper()
	if s.mock == nil {
		return s.api
	}
	c, err := liveapi.New(liveapi.Options{Endpoint: s.url, Credentials: testCredentials})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// requireMock skips the test in live mode: it needs the mock's faults,
// counters or internals, or it would touch what it does not own.
func (s *testService) requireMock(t *testing.T, why string) *livemock.Server {
	t.Helper()
	if s.mock == nil {
		t.Skipf("needs the mock: %s", why)
	}
	return s.mock
}

// requireDomain2 skips the test when there is no second domain.
func (s *testService) requireDomain2(t *testing.T) string {
	t.Helper()
	if s.domain2 == "" {
		t.Skipf("needs a second Live domain: set %s", envLiveDomain2)
	}
	return s.domain2
}

// app returns the app_name a test uses for name: name itself with the mock,
// and in live mode tf-acc-<name>-<random>, so that a live run never touches
// a configuration it did not create.
func (s *testService) app(name string) string {
	if s.mock != nil {
		return name
	}
	return liveAppPrefix + strings.ReplaceAll(name, "_", "-") + "-" + s.suffix
}

// id is the resource ID of (domain, app(name)).
func (s *testService) id(domain, name string) string { return lazypull.ID(domain, s.app(name)) }

// providerBlock renders a provider block for the service; extra is added
// inside the block. In live mode credentials and the endpoint come from the
// environment, as users set them.
func (s *testService) providerBlock(extra string) string {
	if s.mock == nil {
		return fmt.Sprintf("\nprovider \"alicloud\" {\n%s\n}\n", extra)
	}
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
`, testAccessKey, testSecretKey, extra, s.url)
}

// put writes a configuration out of band: into the mock, or through the API.
func (s *testService) put(t *testing.T, c livemock.Config) {
	t.Helper()
	if s.mock != nil {
		if c.TranscodeLazy == "" {
			c.TranscodeLazy = "no"
		}
		s.mock.PutConfig(c)
		return
	}
	protocol, _ := lazypull.NormalizeProtocol(c.PullProtocol)
	err := s.api.Set(context.Background(), lazypull.Config{
		DomainName: c.DomainName, AppName: c.AppName, PullDomainName: c.PullDomainName, PullAppName: c.PullAppName,
		PullProtocol: protocol, TranscodeLazy: lazypull.ParseTranscodeLazy(c.TranscodeLazy), PullArgs: c.PullArgs,
	})
	if err != nil {
		t.Fatalf("out-of-band Set: %v", err)
	}
	s.awaitOutOfBand(t, c.DomainName, c.AppName, func(got *lazypull.Config) bool { return got != nil && got.PullDomainName == c.PullDomainName })
}

// remove deletes a configuration out of band.
func (s *testService) remove(t *testing.T, domain, app string) {
	t.Helper()
	if s.mock != nil {
		s.mock.RemoveConfig(domain, app)
		return
	}
	if err := s.api.Delete(context.Background(), domain, app); err != nil {
		t.Fatalf("out-of-band Delete: %v", err)
	}
	s.awaitOutOfBand(t, domain, app, func(got *lazypull.Config) bool { return got == nil })
}

// awaitOutOfBand waits until Describe shows an out-of-band change, so that
// the next plan sees it.
func (s *testService) awaitOutOfBand(t *testing.T, domain, app string, done func(*lazypull.Config) bool) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if _, err := s.api.Await(ctx, domain, app, done); err != nil {
		t.Fatalf("the out-of-band change of %s: %v", lazypull.ID(domain, app), err)
	}
}

// get returns what the service holds for (domain, app), in the mock's form.
func (s *testService) get(domain, app string) (livemock.Config, bool, error) {
	if s.mock != nil {
		c, ok := s.mock.Config(domain, app)
		return c, ok, nil
	}
	got, err := s.api.Fresh(context.Background(), domain, app)
	if err != nil || got == nil {
		return livemock.Config{}, false, err
	}
	return livemock.Config{
		DomainName: got.DomainName, AppName: got.AppName, PullDomainName: got.PullDomainName, PullAppName: got.PullAppName,
		PullProtocol: got.PullProtocol, TranscodeLazy: lazypull.FormatTranscodeLazy(got.TranscodeLazy), PullArgs: got.PullArgs,
	}, true, nil
}

// owned lists the configurations of the service's domains that the test
// owns: all of them with the mock, those with its suffix in live mode.
func (s *testService) owned() ([]livemock.Config, error) {
	if s.mock != nil {
		return s.mock.AllConfigs(), nil
	}
	var out []livemock.Config
	for _, d := range []string{s.domain, s.domain2} {
		if d == "" {
			continue
		}
		list, err := s.api.List(context.Background(), d, "")
		if err != nil {
			return nil, err
		}
		for _, c := range list {
			if strings.HasPrefix(c.AppName, liveAppPrefix) && strings.HasSuffix(c.AppName, "-"+s.suffix) {
				out = append(out, livemock.Config{DomainName: c.DomainName, AppName: c.AppName})
			}
		}
	}
	return out, nil
}

// checkEmpty is a CheckDestroy that proves the service holds none of the
// test's configurations.
func (s *testService) checkEmpty(*terraform.State) error {
	left, err := s.owned()
	if err != nil {
		return err
	}
	if len(left) != 0 {
		return fmt.Errorf("after destroy the service still holds %d configuration(s) of this test: %+v", len(left), left)
	}
	return nil
}

// checkConfig asserts what the service holds for (domain, app).
func (s *testService) checkConfig(domain, app string, want livemock.Config) resource.TestCheckFunc {
	return func(*terraform.State) error {
		got, ok, err := s.get(domain, app)
		if err != nil {
			return err
		}
		if !ok {
			return fmt.Errorf("the service has no configuration for %s", lazypull.ID(domain, app))
		}
		want.DomainName, want.AppName = domain, app
		if want.TranscodeLazy == "" {
			want.TranscodeLazy = "no"
		}
		if got != want {
			return fmt.Errorf("the service holds %+v, want %+v", got, want)
		}
		return nil
	}
}

// mockCheck runs f on the mock; in live mode it checks nothing, for
// assertions on the mock's counters beside ones that hold everywhere.
func (s *testService) mockCheck(f func(*livemock.Server) error) resource.TestCheckFunc {
	return func(*terraform.State) error {
		if s.mock == nil {
			return nil
		}
		return f(s.mock)
	}
}

// faultCheck turns a condition on the mock into a TestCheckFunc.
func faultCheck(f func() error) resource.TestCheckFunc {
	return func(*terraform.State) error { return f() }
}

// successfulWrites counts the answered-200 requests of action per
// "<domain>:<app>".
func successfulWrites(m *testService, action string) map[string]int {
	out := map[string]int{}
	for _, r := range m.mock.Requests() {
		if r.Action == action && r.Status == http.StatusOK {
			out[lazypull.ID(r.Params["DomainName"], r.Params["AppName"])]++
		}
	}
	return out
}

// checkMockHolds compares the mock's configurations with want exactly.
func checkMockHolds(m *testService, want map[string]livemock.Config) error {
	got := map[string]livemock.Config{}
	for _, c := range m.mock.AllConfigs() {
		got[lazypull.ID(c.DomainName, c.AppName)] = c
	}
	var problems []string
	for id, w := range want {
		if g, ok := got[id]; !ok {
			problems = append(problems, "missing "+id)
		} else if g != w {
			problems = append(problems, fmt.Sprintf("%s is %+v, want %+v", id, g, w))
		}
	}
	for id := range got {
		if _, ok := want[id]; !ok {
			problems = append(problems, "unexpected "+id)
		}
	}
	sort.Strings(problems)
	if len(problems) > 0 {
		return fmt.Errorf("the mock's configurations differ: %s", strings.Join(problems, "; "))
	}
	return nil
}

// preCheck clears the settings a test must not inherit: with the mock,
// every credential and endpoint variable, which would override the
// provider block; in live mode nothing, as the run takes them from there.
func preCheck(t *testing.T) {
	t.Helper()
	if liveMode() {
		return
	}
	for _, v := range []string{"ALICLOUD_ACCESS_KEY", "ALICLOUD_SECRET_KEY", "ALICLOUD_SECURITY_TOKEN",
		"ALIBABA_CLOUD_ACCESS_KEY_ID", "ALIBABA_CLOUD_ACCESS_KEY_SECRET", "ALIBABA_CLOUD_SECURITY_TOKEN",
		"ALIBABACLOUD_ACCESS_KEY_ID", "ALIBABACLOUD_ACCESS_KEY_SECRET", "ALIBABACLOUD_SECURITY_TOKEN",
		"ALICLOUD_PROFILE", "ALICLOUD_SHARED_CREDENTIALS_FILE", "ALICLOUD_ASSUME_ROLE_ARN", "ALICLOUD_ASSUME_ROLE_SESSION_NAME",
		"ALIBABA_CLOUD_PROFILE", "ALIBABA_CLOUD_CONFIG_FILE", "ALICLOUD_ECS_ROLE_NAME", "ALIBABA_CLOUD_ECS_METADATA",
		"ALICLOUD_CREDENTIALS_URI", "ALIBABA_CLOUD_CREDENTIALS_URI", "ALIBABA_CLOUD_ROLE_ARN", "ALIBABA_CLOUD_ROLE_SESSION_NAME",
		"ALIBABA_CLOUD_OIDC_PROVIDER_ARN", "ALIBABA_CLOUD_OIDC_TOKEN", "ALIBABA_CLOUD_OIDC_TOKEN_FILE",
		"ALIBABA_CLOUD_ENDPOINT_LIVE", "ALIBABA_CLOUD_ENDPOINT_STS", "ALICLOUD_REGION", "ALIBABA_CLOUD_REGION"} {
		if os.Getenv(v) != "" {
			t.Setenv(v, "")
		}
	}
}

// resourceBlock renders alicloud_live_lazy_pull_config.test.
func resourceBlock(attrs map[string]string) string {
	return namedResourceBlock("test", attrs)
}

// namedResourceBlock renders alicloud_live_lazy_pull_config.<name>.
func namedResourceBlock(name string, attrs map[string]string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "resource \"alicloud_live_lazy_pull_config\" %q {\n", name)
	for _, k := range []string{"domain_name", "app_name", "pull_domain_name", "pull_app_name", "pull_protocol", "transcode_lazy", "pull_args", "depends_on"} {
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

// sweepLive deletes the configurations live runs left on the test domains:
// only those whose app_name starts with tf-acc-, never ali_all_app.
func sweepLive(string) error {
	if !liveMode() {
		return fmt.Errorf("the sweeper runs only in live mode (%s=1), against the domain in %s", envLive, envLiveDomain)
	}
	domain := os.Getenv(envLiveDomain)
	if domain == "" {
		return fmt.Errorf("set %s to the Live domain to sweep", envLiveDomain)
	}
	c, err := newLiveClient()
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	for _, d := range []string{domain, os.Getenv(envLiveDomain2)} {
		if d == "" {
			continue
		}
		list, err := c.List(ctx, d, "")
		if err != nil {
			return err
		}
		for _, cfg := range list {
			if !strings.HasPrefix(cfg.AppName, liveAppPrefix) || cfg.AppName == lazypull.AllApps {
				continue
			}
			if err := c.Delete(ctx, d, cfg.AppName); err != nil {
				return fmt.Errorf("sweeping %s: %w", lazypull.ID(d, cfg.AppName), err)
			}
			fmt.Printf("swept %s\n", lazypull.ID(d, cfg.AppName))
		}
	}
	return nil
}
