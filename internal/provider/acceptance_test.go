package provider

// The acceptance tests' harness: the service each test runs against (its
// own mock Live API, or with ALICLOUD_LIVE_TEST=1 the real service the
// provider's usual settings name), the provider and resource blocks they
// render, and the sweeper that removes what a live run left behind.
//
// Parallel tests. An acceptance test runs with resource.ParallelTest (or
// calls t.Parallel first) unless it changes the process environment:
// t.Setenv is not allowed in a parallel test, and a parallel test must not
// read what another test set. Tests that need t.Setenv stay sequential with
// resource.Test; Go runs every sequential test before it resumes the
// parallel ones, so those never see the change. TestMain clears the
// credential and endpoint variables once for the whole run (see
// clearedInMockMode), so preCheck has nothing left to clear. Each test has
// its own mock (newService and the others below) and names of its own, so
// parallel tests share nothing; in live mode its names carry a random
// suffix.
//
// Variant passes. make test runs the acceptance tests once against the
// mock answering as documented, then once per LIVEMOCK_VARIANT
// (livemock.Variants), each answering the undocumented questions another
// way. A variant pass runs each test whose path the variant can change, and
// skips the others:
//
//   - Measured, for every test: in the first pass each test's mocks count
//     the requests whose answer a variant decides (livemock.Questions: a Set
//     leaving out a stored value, a Delete of nothing, a list of two or
//     more, a Describe after a write, a host name in upper case, a Set of
//     several origins), and with LIVEMOCK_QUESTIONS naming a
//     file, TestMain writes the counts there by test name. A variant pass
//     given the same file skips a test that passed the first pass without
//     meeting any request its variant answers otherwise
//     (livemock.Behavior.Changes): up to such a request the run is the same
//     against any variant, so the variant could not change its path. A test
//     the file does not name (a new one, or one that failed or skipped in
//     the first pass) runs. New tests need nothing for this.
//   - Declared: newServiceBehaving(t, b) pins the test's own answers, so it
//     runs in the first pass only; sameOnEveryVariant(t, why) says no
//     variant can change the test's path (it fails at plan or at the
//     provider's configuration before any call that a variant answers
//     otherwise), or what it asserts (the credential sources: which key
//     signs is settled before the first Live API call), which skips it in
//     the variant passes also without the file. When in doubt, do not declare: the measurement decides.
//
// Live mode. The tests' own reads of the service (checkEmpty, checkConfig,
// awaitConfig, and put and remove, which wait for their change to show)
// wait for a Describe that lags behind writes, with backoff and for at most
// DefaultReadTimeout, as the provider's own reads do. A test that depends
// on one answer to a question the API reference leaves open learns the
// service's answer first (probeService, on a tf-acc- configuration of its
// own) and asserts what that answer implies.

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"sort"
	"strings"
	"sync"
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
	livemock.TrustInProcess()
	// The CLIs the tests run would otherwise ask checkpoint-api.hashicorp.com
	// for updates: no test sends anything past loopback.
	if os.Getenv("CHECKPOINT_DISABLE") == "" {
		_ = os.Setenv("CHECKPOINT_DISABLE", "1")
	}
	if !liveMode() {
		for _, v := range clearedInMockMode {
			os.Unsetenv(v)
		}
	}
	resource.TestMain(recordingQuestions{m})
}

// envQuestions names the file of the tests' livemock.Questions: written by
// the pass without LIVEMOCK_VARIANT, read by the variant passes.
const envQuestions = "LIVEMOCK_QUESTIONS"

// recordingQuestions runs the tests, then, in the pass against the
// default mock, writes the questions each test met to the file
// LIVEMOCK_QUESTIONS names.
type recordingQuestions struct{ m *testing.M }

func (r recordingQuestions) Run() int {
	code := r.m.Run()
	file := os.Getenv(envQuestions)
	if file == "" || os.Getenv(envVariant) != "" || liveMode() {
		return code
	}
	questions.Lock()
	b, err := json.MarshalIndent(questions.byTest, "", "  ")
	questions.Unlock()
	if err == nil {
		err = os.WriteFile(file, append(b, '\n'), 0o644)
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "%s: %v\n", envQuestions, err)
		return max(code, 1)
	}
	return code
}

// questions holds, by test name, the livemock.Questions its mocks met:
// recorded in the pass against the default mock, or read from the file in
// a variant pass.
var questions struct {
	sync.Mutex
	byTest map[string]livemock.Questions
	loaded bool
	err    error
}

// recordQuestions adds what srv met to t's record when t ends, unless t
// failed or skipped.
func recordQuestions(t *testing.T, srv *livemock.Server) {
	t.Cleanup(func() {
		if t.Failed() || t.Skipped() {
			return
		}
		questions.Lock()
		defer questions.Unlock()
		if questions.byTest == nil {
			questions.byTest = map[string]livemock.Questions{}
		}
		questions.byTest[t.Name()] = questions.byTest[t.Name()].Add(srv.Questions())
	})
}

// skipUnchangedByVariant skips t in the pass over the variant name (with
// behavior b) when the file of LIVEMOCK_QUESTIONS records that t met no
// request b answers otherwise than the default mock.
func skipUnchangedByVariant(t *testing.T, name string, b livemock.Behavior) {
	t.Helper()
	file := os.Getenv(envQuestions)
	if file == "" {
		return
	}
	questions.Lock()
	if !questions.loaded {
		questions.loaded = true
		raw, err := os.ReadFile(file)
		if err == nil {
			err = json.Unmarshal(raw, &questions.byTest)
		}
		questions.err = err
	}
	q, known := questions.byTest[t.Name()]
	err := questions.err
	questions.Unlock()
	if err != nil {
		t.Fatalf("%s: %v (run the tests without %s first, with %s set, to write it)", envQuestions, err, envVariant, envQuestions)
	}
	if known && !b.Changes(q) {
		t.Skipf("against the default mock it met no request the variant %s answers otherwise (%+v, from %s)", name, q, file)
	}
}

// clearedInMockMode are the settings a test against the mock must not
// inherit from the environment, as they would override its provider block.
var clearedInMockMode = []string{"ALICLOUD_ACCESS_KEY", "ALICLOUD_SECRET_KEY", "ALICLOUD_SECURITY_TOKEN",
	"ALIBABA_CLOUD_ACCESS_KEY_ID", "ALIBABA_CLOUD_ACCESS_KEY_SECRET", "ALIBABA_CLOUD_SECURITY_TOKEN",
	"ALIBABACLOUD_ACCESS_KEY_ID", "ALIBABACLOUD_ACCESS_KEY_SECRET", "ALIBABACLOUD_SECURITY_TOKEN",
	"ALICLOUD_PROFILE", "ALICLOUD_SHARED_CREDENTIALS_FILE", "ALICLOUD_ASSUME_ROLE_ARN", "ALICLOUD_ASSUME_ROLE_SESSION_NAME",
	"ALIBABA_CLOUD_PROFILE", "ALIBABA_CLOUD_CONFIG_FILE", "ALICLOUD_ECS_ROLE_NAME", "ALIBABA_CLOUD_ECS_METADATA",
	"ALICLOUD_CREDENTIALS_URI", "ALIBABA_CLOUD_CREDENTIALS_URI", "ALIBABA_CLOUD_ROLE_ARN", "ALIBABA_CLOUD_ROLE_SESSION_NAME",
	"ALIBABA_CLOUD_OIDC_PROVIDER_ARN", "ALIBABA_CLOUD_OIDC_TOKEN", "ALIBABA_CLOUD_OIDC_TOKEN_FILE",
	"ALIBABA_CLOUD_ENDPOINT_LIVE", "ALIBABA_CLOUD_ENDPOINT_STS", "ALICLOUD_REGION", "ALIBABA_CLOUD_REGION"}

// sameOnEveryVariant declares that no variant of the mock can change the
// test's path (see the file's opening comment for when that holds): the
// passes over LIVEMOCK_VARIANT skip it, as they would repeat the first
// pass. why says what keeps the variants out of its way.
func sameOnEveryVariant(t *testing.T, why string) {
	t.Helper()
	if name := os.Getenv(envVariant); name != "" && !liveMode() {
		t.Skipf("no variant changes its path (%s): it runs in the pass without %s, not again with %s", why, envVariant, name)
	}
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
	if name := os.Getenv(envVariant); name != "" && !liveMode() {
		b, err := livemock.ParseVariant(name)
		if err != nil {
			t.Fatalf("%s: %v", envVariant, err)
		}
		skipUnchangedByVariant(t, name, b)
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
	recordQuestions(t, srv)
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

// put writes a configuration out of band: into the mock, or through the
// API, and then waits until Describe shows it.
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
	want := lazypull.Config{
		DomainName: c.DomainName, AppName: c.AppName, PullDomainName: c.PullDomainName, PullAppName: c.PullAppName,
		PullProtocol: protocol, TranscodeLazy: lazypull.ParseTranscodeLazy(c.TranscodeLazy), PullArgs: c.PullArgs,
	}
	if err := s.api.Set(context.Background(), want); err != nil {
		t.Fatalf("out-of-band Set: %v", err)
	}
	s.awaitOutOfBand(t, c.DomainName, c.AppName, func(got *lazypull.Config) bool { return showsWrite(got, want) })
}

// showsWrite reports whether got shows the Set of want: every value the
// Set sent. An optional value the Set left out (empty) is not compared, as
// the service may keep or clear it.
func showsWrite(got *lazypull.Config, want lazypull.Config) bool {
	if got == nil {
		return false
	}
	gotProtocol, _ := lazypull.NormalizeProtocol(got.PullProtocol)
	return got.PullDomainName == want.PullDomainName && gotProtocol == want.PullProtocol &&
		got.TranscodeLazy == want.TranscodeLazy &&
		(want.PullAppName == "" || got.PullAppName == want.PullAppName) &&
		(want.PullArgs == "" || got.PullArgs == want.PullArgs)
}

// remove deletes a configuration out of band, and waits until Describe no
// longer shows it.
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
	ctx, cancel := context.WithTimeout(context.Background(), DefaultReadTimeout)
	defer cancel()
	if _, err := s.api.Await(ctx, domain, app, done); err != nil {
		t.Fatalf("the out-of-band change of %s: %v", lazypull.ID(domain, app), err)
	}
}

// get returns what the service holds for (domain, app), in the mock's form:
// one read. Use awaitConfig where a write may not show yet.
func (s *testService) get(domain, app string) (livemock.Config, bool, error) {
	if s.mock != nil {
		c, ok := s.mock.Config(domain, app)
		return c, ok, nil
	}
	got, err := s.api.Fresh(context.Background(), domain, app)
	return fromAPI(got), got != nil, err
}

func fromAPI(got *lazypull.Config) livemock.Config {
	if got == nil {
		return livemock.Config{}
	}
	return livemock.Config{
		DomainName: got.DomainName, AppName: got.AppName, PullDomainName: got.PullDomainName, PullAppName: got.PullAppName,
		PullProtocol: got.PullProtocol, TranscodeLazy: lazypull.FormatTranscodeLazy(got.TranscodeLazy), PullArgs: got.PullArgs,
	}
}

// awaitConfig returns what the service holds for (domain, app) once done
// accepts it (ok is false when there is none). The mock holds every write
// at once, so one read decides; in live mode Describe may lag behind the
// write the test waits for, so it reads with backoff until done accepts
// what it reads or DefaultReadTimeout has passed, as the provider's own
// reads after a write do, and then returns the last read.
func (s *testService) awaitConfig(domain, app string, done func(c livemock.Config, ok bool) bool) (livemock.Config, bool, error) {
	if s.mock != nil {
		return s.get(domain, app)
	}
	ctx, cancel := context.WithTimeout(context.Background(), DefaultReadTimeout)
	defer cancel()
	got, err := s.api.Await(ctx, domain, app, func(got *lazypull.Config) bool { return done(fromAPI(got), got != nil) })
	var notSettled *liveapi.NotSettledError
	if errors.As(err, &notSettled) {
		err = nil // the caller reports what the last read showed
	}
	return fromAPI(got), got != nil, err
}

// serviceAnswers are the real service's answers to questions the API
// reference leaves open, as probeService learned them.
type serviceAnswers struct {
	// omitted is what a Set does with an optional parameter it leaves out.
	omitted livemock.OmittedParams
	// storesPullArgs says whether Describe shows the PullArgs a Set sent,
	// as sent.
	storesPullArgs bool
}

var liveProbe struct {
	sync.Mutex
	done    bool
	answers serviceAnswers
}

// probeService learns, in live mode, the service's answers to the
// questions of serviceAnswers, on a tf-acc- configuration of its own that
// it deletes afterwards: a Set with PullAppName and PullArgs, then a Set
// that leaves both out. It probes once per run. With the mock the test
// knows its answers (it pinned them), so it fails the test.
func (s *testService) probeService(t *testing.T) serviceAnswers {
	t.Helper()
	if s.mock != nil {
		t.Fatal("probeService is for live mode: a test against the mock pins the answers it needs with newServiceBehaving")
	}
	liveProbe.Lock()
	defer liveProbe.Unlock()
	if liveProbe.done {
		return liveProbe.answers
	}
	app := liveAppPrefix + "probe-" + s.suffix
	first := lazypull.Config{DomainName: s.domain, AppName: app, PullDomainName: "probe-a.example.net", PullAppName: "probe_app",
		PullProtocol: "rtmp", PullArgs: "probe=1"}
	second := lazypull.Config{DomainName: s.domain, AppName: app, PullDomainName: "probe-b.example.net", PullProtocol: "rtmp"}
	t.Cleanup(func() { _ = s.api.Delete(context.Background(), s.domain, app) })
	read := func(c lazypull.Config) *lazypull.Config {
		t.Helper()
		if err := s.api.Set(context.Background(), c); err != nil {
			t.Fatalf("probing the service with the Set of %+v: %v", c, err)
		}
		ctx, cancel := context.WithTimeout(context.Background(), DefaultReadTimeout)
		defer cancel()
		got, err := s.api.Await(ctx, s.domain, app, func(got *lazypull.Config) bool {
			return got != nil && got.PullDomainName == c.PullDomainName
		})
		if err != nil {
			t.Fatalf("probing the service: Describe does not show the Set of %+v: %v", c, err)
		}
		return got
	}
	var a serviceAnswers
	a.storesPullArgs = read(first).PullArgs == first.PullArgs
	if read(second).PullAppName == first.PullAppName {
		a.omitted = livemock.OmittedKeep
	}
	s.remove(t, s.domain, app)
	t.Logf("the service answers omitted=%s; it stores PullArgs as sent: %t", a.omitted, a.storesPullArgs)
	liveProbe.answers, liveProbe.done = a, true
	return a
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
// test's configurations. In live mode it lists with backoff until none is
// left or DefaultReadTimeout has passed: Describe may go on showing a
// deleted configuration for a while.
func (s *testService) checkEmpty(*terraform.State) error {
	ctx, cancel := context.WithTimeout(context.Background(), DefaultReadTimeout)
	defer cancel()
	delay := liveapi.DefaultBaseDelay
	for {
		left, err := s.owned()
		if err != nil {
			return err
		}
		if len(left) == 0 {
			return nil
		}
		if s.mock != nil || waitOrDone(ctx, delay) {
			return fmt.Errorf("after destroy the service still holds %d configuration(s) of this test: %+v", len(left), left)
		}
		delay = min(2*delay, liveapi.DefaultMaxDelay)
	}
}

// waitOrDone waits for d, and reports whether ctx ends first or would end
// during the wait (then it does not wait).
func waitOrDone(ctx context.Context, d time.Duration) bool {
	if deadline, ok := ctx.Deadline(); ok && time.Until(deadline) < d {
		return true
	}
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-ctx.Done():
		return true
	case <-timer.C:
		return false
	}
}

// checkConfig asserts what the service holds for (domain, app); in live
// mode it waits for a lagging Describe (awaitConfig).
func (s *testService) checkConfig(domain, app string, want livemock.Config) resource.TestCheckFunc {
	return func(*terraform.State) error {
		want.DomainName, want.AppName = domain, app
		if want.TranscodeLazy == "" {
			want.TranscodeLazy = "no"
		}
		got, ok, err := s.awaitConfig(domain, app, func(c livemock.Config, ok bool) bool { return ok && c == want })
		if err != nil {
			return err
		}
		if !ok {
			return fmt.Errorf("the service has no configuration for %s", lazypull.ID(domain, app))
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
// TestMain has cleared them for the whole run already, so a parallel test
// finds nothing to clear; only a sequential test that set one itself would.
func preCheck(t *testing.T) {
	t.Helper()
	if liveMode() {
		return
	}
	for _, v := range clearedInMockMode {
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
