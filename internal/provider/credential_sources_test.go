package provider

// Every credential source through a real CLI, against loopback only: the
// mock's STS over TLS, the ECS metadata service reached as the forward
// proxy of HTTP_PROXY, a credentials URI. Each test asserts which key
// signed the Live calls and, for chains, which key called STS. Tests that
// set environment variables run alone: the provider runs in this process.

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/alicloud-live/terraform-provider-alicloud/internal/lazypull"
	"github.com/alicloud-live/terraform-provider-alicloud/internal/livemock"
)

const (
	testOIDCProviderArn = "acs:ram::1234567890123456:oidc-provider/ack-rrsa"
	testOIDCToken       = "eyJhbGciOiJSUzI1NiJ9.test-oidc-token.sig"
	testECSRole         = "ecs-runner"
)

// credWorld is a test's credential servers around its mock.
type credWorld struct {
	m         *testService
	issuer    *livemock.Issuer
	sts       string // https URL of the mock as STS
	metadata  string // the metadata service as a forward proxy
	uri       string
	tokenFile string
	dir       string
}

func newCredWorld(t *testing.T) *credWorld {
	t.Helper()
	// The source and the key it signs with are settled before the first
	// call of the Live API; the variants answer only those calls, whose
	// paths the other tests cover.
	sameOnEveryVariant(t, "which key signs is settled before any Live API call")
	m := newService(t)
	m.requireMock(t, "it signs with credentials the mock's STS, metadata service and credentials URI issue")
	m.mock.AddRoles(testRoleArn)
	m.mock.AddOIDCProvider(testOIDCProviderArn, testOIDCToken)
	w := &credWorld{m: m, issuer: m.mock.NewIssuer(), sts: m.stsEndpoint(t), dir: t.TempDir()}
	w.issuer.AttachRoles(testECSRole)
	md := httptest.NewServer(w.issuer.Metadata())
	t.Cleanup(md.Close)
	w.metadata = md.URL
	uri := httptest.NewServer(w.issuer.CredentialsURI())
	t.Cleanup(uri.Close)
	w.uri = uri.URL + "/credentials"
	w.tokenFile = w.file(t, "token", testOIDCToken)
	return w
}

func (w *credWorld) file(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(w.dir, name)
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// provider renders a provider block without keys: extra, and the mock's
// Live and STS endpoints.
func (w *credWorld) provider(extra string) string {
	return fmt.Sprintf(`
provider "alicloud" {
%s
  endpoints {
    live = %q
    sts  = %q
  }
}
`, extra, w.m.url, w.sts)
}

// useMetadataProxy routes plain-http requests through the metadata
// service, as HTTP_PROXY; loopback requests are never proxied.
func (w *credWorld) useMetadataProxy(t *testing.T) {
	t.Setenv("HTTP_PROXY", w.metadata)
	t.Setenv("http_proxy", w.metadata)
}

// liveRequests are the Live API requests the mock answered with success.
func liveRequests(m *testService) []livemock.Request {
	var out []livemock.Request
	for _, r := range m.mock.Requests() {
		if (r.Action == lazypull.ActionSet || r.Action == lazypull.ActionDescribe || r.Action == lazypull.ActionDelete) && r.Code == "" {
			out = append(out, r)
		}
	}
	return out
}

// checkSignedBy asserts that every successful Live call was signed by a
// key for which ok holds, and that there was a Set.
func checkSignedBy(w *credWorld, what string, ok func(key string) bool) resource.TestCheckFunc {
	return func(*terraform.State) error {
		sets := 0
		for _, r := range liveRequests(w.m) {
			if !ok(r.AccessKeyID) {
				return fmt.Errorf("%s was signed by %q, want %s", r.Action, r.AccessKeyID, what)
			}
			if r.Action == lazypull.ActionSet {
				sets++
			}
		}
		if sets == 0 {
			return fmt.Errorf("no successful Set reached the mock")
		}
		return nil
	}
}

// issuedKey reports whether the issuer handed out key (for role, "" for
// the credentials URI).
func (w *credWorld) issuedKey(role string) func(string) bool {
	return func(key string) bool {
		for _, i := range w.issuer.Issued() {
			if i.AccessKeyID == key && i.Role == role {
				return true
			}
		}
		return false
	}
}

// assumedKey reports whether key came from an STS call for which by holds.
func (w *credWorld) assumedKey(by func(livemock.AssumeRoleCall) bool) func(string) bool {
	return func(key string) bool {
		for _, c := range w.m.mock.AssumedRoles() {
			if c.TemporaryAccessKeyID == key {
				return by(c)
			}
		}
		return false
	}
}

func byOIDC(c livemock.AssumeRoleCall) bool { return c.OIDCProviderArn == testOIDCProviderArn }

func (w *credWorld) step(provider string, check resource.TestCheckFunc) resource.TestCase {
	return resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		CheckDestroy:             w.m.checkEmpty,
		Steps: []resource.TestStep{{
			Config: provider + resourceBlock(basicAttrs(w.m)),
			Check: resource.ComposeTestCheckFunc(check, func(*terraform.State) error {
				if n := w.issuer.IMDSv1Requests(); n != 0 {
					return fmt.Errorf("%d metadata requests came without an IMDSv2 token", n)
				}
				return nil
			}),
		}},
	}
}

// TestAccCredentials_ecsRoleName: a runner on ECS signs with its
// instance's RAM role, from the metadata service over IMDSv2.
func TestAccCredentials_ecsRoleName(t *testing.T) {
	w := newCredWorld(t)
	preCheck(t)
	w.useMetadataProxy(t)
	resource.Test(t, w.step(w.provider(`  ecs_role_name = "`+testECSRole+`"`), checkSignedBy(w, "a key of the ECS role", w.issuedKey(testECSRole))))
}

// TestAccCredentials_ecsMetadataThenAssumeRole: ALIBABA_CLOUD_ECS_METADATA
// names the role, and assume_role assumes another role with its
// credentials.
func TestAccCredentials_ecsMetadataThenAssumeRole(t *testing.T) {
	w := newCredWorld(t)
	preCheck(t)
	w.useMetadataProxy(t)
	t.Setenv("ALIBABA_CLOUD_ECS_METADATA", testECSRole)
	cfg := w.provider(fmt.Sprintf("  assume_role {\n    role_arn = %q\n  }", testRoleArn))
	resource.Test(t, w.step(cfg, checkSignedBy(w, "a key AssumeRole issued to the ECS role's key",
		w.assumedKey(func(c livemock.AssumeRoleCall) bool { return w.issuedKey(testECSRole)(c.AccessKeyID) }))))
}

// TestAccCredentials_rrsaEnvironment: an ACK pod with RRSA needs no
// setting: the variables RRSA injects lead to AssumeRoleWithOIDC.
func TestAccCredentials_rrsaEnvironment(t *testing.T) {
	w := newCredWorld(t)
	preCheck(t)
	t.Setenv("ALIBABA_CLOUD_ROLE_ARN", testRoleArn)
	t.Setenv("ALIBABA_CLOUD_OIDC_PROVIDER_ARN", testOIDCProviderArn)
	t.Setenv("ALIBABA_CLOUD_OIDC_TOKEN_FILE", w.tokenFile)
	resource.Test(t, w.step(w.provider(""), checkSignedBy(w, "a key of AssumeRoleWithOIDC", w.assumedKey(byOIDC))))
}

// TestAccCredentials_oidcBlockThenAssumeRole: a CI job's OIDC token, then
// a role in another account assumed with the OIDC session.
func TestAccCredentials_oidcBlockThenAssumeRole(t *testing.T) {
	w := newCredWorld(t)
	cfg := w.provider(fmt.Sprintf(`
  assume_role_with_oidc {
    oidc_provider_arn = %q
    role_arn          = %q
    oidc_token_file   = %q
    role_session_name = "github-actions"
  }
  assume_role {
    role_arn = %q
  }`, testOIDCProviderArn, testRoleArn, w.tokenFile, testRoleArn))
	resource.ParallelTest(t, w.step(cfg, checkSignedBy(w, "a key AssumeRole issued to the OIDC session",
		w.assumedKey(func(c livemock.AssumeRoleCall) bool {
			return c.OIDCProviderArn == "" && w.assumedKey(byOIDC)(c.AccessKeyID)
		}))))
}

// TestAccCredentials_credentialsURI: a credential agent's URI.
func TestAccCredentials_credentialsURI(t *testing.T) {
	w := newCredWorld(t)
	resource.ParallelTest(t, w.step(w.provider(fmt.Sprintf("  credentials_uri = %q", w.uri)), checkSignedBy(w, "a key of the credentials URI", w.issuedKey(""))))
}

// TestAccCredentials_profileModes: CLI profiles of the modes that call
// STS, through endpoints.sts.
func TestAccCredentials_profileModes(t *testing.T) {
	for _, tc := range []struct {
		profile string
		by      func(w *credWorld) func(livemock.AssumeRoleCall) bool
	}{
		{"oidc", func(*credWorld) func(livemock.AssumeRoleCall) bool { return byOIDC }},
		{"chain", func(*credWorld) func(livemock.AssumeRoleCall) bool {
			return func(c livemock.AssumeRoleCall) bool {
				return c.AccessKeyID == testAccessKey && c.RoleSessionName == "cli-chain"
			}
		}},
	} {
		t.Run(tc.profile, func(t *testing.T) {
			w := newCredWorld(t)
			file := w.file(t, "config.json", fmt.Sprintf(`{"current":"ak","profiles":[
 {"name":"ak","mode":"AK","access_key_id":%q,"access_key_secret":%q},
 {"name":"chain","mode":"ChainableRamRoleArn","source_profile":"ak","ram_role_arn":%q,"ram_session_name":"cli-chain"},
 {"name":"oidc","mode":"OIDC","ram_role_arn":%q,"oidc_provider_arn":%q,"oidc_token_file":%q}]}`,
				testAccessKey, testSecretKey, testRoleArn, testRoleArn, testOIDCProviderArn, w.tokenFile))
			cfg := w.provider(fmt.Sprintf("  profile = %q\n  shared_credentials_file = %q", tc.profile, file))
			resource.ParallelTest(t, w.step(cfg, checkSignedBy(w, "a key of the profile's STS call", w.assumedKey(tc.by(w)))))
		})
	}
}

// TestAccCredentials_profileEnvironment: ALIBABA_CLOUD_CONFIG_FILE and
// ALIBABA_CLOUD_PROFILE name an EcsRamRole profile.
func TestAccCredentials_profileEnvironment(t *testing.T) {
	w := newCredWorld(t)
	preCheck(t)
	w.useMetadataProxy(t)
	t.Setenv("ALIBABA_CLOUD_CONFIG_FILE", w.file(t, "config.json", `{"current":"x","profiles":[{"name":"ecs","mode":"EcsRamRole","ram_role_name":"`+testECSRole+`"}]}`))
	t.Setenv("ALIBABA_CLOUD_PROFILE", "ecs")
	resource.Test(t, w.step(w.provider(""), checkSignedBy(w, "a key of the ECS role", w.issuedKey(testECSRole))))
}

// TestAccCredentials_renewal: credentials that expire within the renewal
// margin are renewed before each call; no call is signed with expired or
// revoked ones (the mock refuses those).
func TestAccCredentials_renewal(t *testing.T) {
	w := newCredWorld(t)
	w.issuer.Lifetime = 170e9 // credentials-go renews what expires within three minutes
	cfg := w.provider(fmt.Sprintf("  credentials_uri = %q", w.uri)) + resourceBlock(basicAttrs(w.m)) +
		namedResourceBlock("second", map[string]string{"domain_name": q(w.m.domain), "app_name": q("second_app"), "pull_domain_name": `"origin2.example.net"`, "pull_protocol": `"rtmp"`})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		CheckDestroy:             w.m.checkEmpty,
		Steps: []resource.TestStep{{
			Config: cfg,
			Check: func(*terraform.State) error {
				keys := map[string]bool{}
				for _, r := range liveRequests(w.m) {
					if !w.issuedKey("")(r.AccessKeyID) {
						return fmt.Errorf("%s signed by %q, not an issued key", r.Action, r.AccessKeyID)
					}
					keys[r.AccessKeyID] = true
				}
				if len(keys) < 2 {
					return fmt.Errorf("every call was signed with one key: credentials were not renewed")
				}
				for code, n := range w.m.mock.RejectedByCode() {
					if strings.HasPrefix(code, "InvalidSecurityToken") || strings.HasPrefix(code, "InvalidAccessKeyId") {
						return fmt.Errorf("%d calls were refused with %s", n, code)
					}
				}
				return nil
			},
		}},
	})
}

// TestAccCredentials_badInput: each broken source fails with an error
// that names it and why, and nothing is written.
func TestAccCredentials_badInput(t *testing.T) {
	for _, tc := range []struct {
		name  string
		extra func(t *testing.T, w *credWorld) string
		want  string
	}{
		{"missing OIDC token file", func(t *testing.T, w *credWorld) string {
			return fmt.Sprintf("  assume_role_with_oidc {\n    oidc_provider_arn = %q\n    role_arn = %q\n    oidc_token_file = %q\n  }",
				testOIDCProviderArn, testRoleArn, filepath.Join(w.dir, "absent"))
		}, `cannot\s+read\s+the\s+OIDC\s+token\s+file`},
		{"empty OIDC token file", func(t *testing.T, w *credWorld) string {
			return fmt.Sprintf("  assume_role_with_oidc {\n    oidc_provider_arn = %q\n    role_arn = %q\n    oidc_token_file = %q\n  }",
				testOIDCProviderArn, testRoleArn, w.file(t, "empty", ""))
		}, `OIDC\s+token\s+file\s+.*is\s+empty`},
		{"unknown profile mode", func(t *testing.T, w *credWorld) string {
			return fmt.Sprintf("  profile = \"x\"\n  shared_credentials_file = %q", w.file(t, "config.json", `{"profiles":[{"name":"x","mode":"Kerberos"}]}`))
		}, `profile\s+"x".*mode\s+"Kerberos"`},
		{"credentials URI garbage", func(t *testing.T, w *credWorld) string {
			w.issuer.AnswerGarbage("<html>proxy login</html>")
			return fmt.Sprintf("  credentials_uri = %q", w.uri)
		}, `credentials\s+URI\s+http://127\.0\.0\.1:\d+/credentials.*json\s+unmarshal\s+fail`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := newCredWorld(t)
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: testProviderFactories,
				Steps: []resource.TestStep{{
					Config:      w.provider(tc.extra(t, w)) + resourceBlock(basicAttrs(w.m)),
					ExpectError: regexp.MustCompile(`(?s)` + tc.want),
				}},
			})
			if n := w.m.mock.Calls(lazypull.ActionSet); n != 0 {
				t.Errorf("%d Set calls were made", n)
			}
		})
	}
}

// TestAccCredentials_unknownECSRole: the metadata service does not know
// the role; IMDSv1 is disabled, as ALIBABA_CLOUD_IMDSV1_DISABLED says.
func TestAccCredentials_unknownECSRole(t *testing.T) {
	w := newCredWorld(t)
	preCheck(t)
	w.useMetadataProxy(t)
	t.Setenv("ALIBABA_CLOUD_IMDSV1_DISABLED", "true")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{{
			Config:      w.provider(`  ecs_role_name = "nobody"`) + resourceBlock(basicAttrs(w.m)),
			ExpectError: regexp.MustCompile(`(?s)ECS\s+RAM\s+role\s+"nobody".*does\s+not\s+know\s+the\s+role\s+\(HTTP\s+404\)`),
		}},
	})
	if n := w.m.mock.Calls(lazypull.ActionSet); n != 0 || w.issuer.IMDSv1Requests() != 0 {
		t.Errorf("%d Set calls, %d IMDSv1 requests", n, w.issuer.IMDSv1Requests())
	}
}

// TestAccCredentials_conflictWarning: keys beside ecs_role_name sign with
// the keys, say so, and never ask the metadata service.
func TestAccCredentials_conflictWarning(t *testing.T) {
	w := newCredWorld(t)
	preCheck(t)
	w.useMetadataProxy(t)
	c := newCLI(t, map[string]string{"main.tf": terraformBlock + w.provider(fmt.Sprintf("  access_key = %q\n  secret_key = %q\n  ecs_role_name = %q", testAccessKey, testSecretKey, testECSRole)) +
		resourceBlock(basicAttrs(w.m))})
	out := c.apply("-no-color")
	for _, want := range []string{"Credential Source Not Used", `ecs_role_name "` + testECSRole + `" (the ecs_role_name attribute) is not used`, "access_key and secret_key"} {
		if !strings.Contains(strings.Join(strings.Fields(out), " "), want) {
			t.Errorf("apply does not say %q:\n%s", want, out)
		}
	}
	if err := checkSignedBy(w, "the access_key attribute's key", func(k string) bool { return k == testAccessKey })(nil); err != nil {
		t.Error(err)
	}
	if n := len(w.issuer.Issued()); n != 0 {
		t.Errorf("the metadata service issued %d credentials", n)
	}
	c.must("destroy", "-auto-approve", "-no-color")
}

// TestAccProvider_unknownSettings: endpoints.live known only at apply is
// never replaced by ALIBABA_CLOUD_ENDPOINT_LIVE: the plan stops with an
// error naming it (this CLI cannot defer), the mock in the environment
// gets no call, and once the value is known everything goes to it.
func TestAccProvider_unknownSettings(t *testing.T) {
	m := newService(t)
	m.requireMock(t, "it counts the calls each mock receives")
	other := newService(t)
	preCheck(t)
	t.Setenv("ALIBABA_CLOUD_ENDPOINT_LIVE", other.url)
	t.Setenv("ALICLOUD_ACCESS_KEY", testAccessKey)
	t.Setenv("ALICLOUD_SECRET_KEY", testSecretKey)
	c := newCLI(t, map[string]string{"main.tf": terraformBlock + fmt.Sprintf(`
resource "terraform_data" "endpoint" {}

provider "alicloud" {
  endpoints {
    live = replace(terraform_data.endpoint.id, "/^.*$/", %q)
  }
}
`, m.url) + resourceBlock(basicAttrs(m))})
	out, code := c.run("plan", "-no-color")
	flat := strings.Join(strings.Fields(out), " ")
	if code == 0 || !strings.Contains(flat, "Provider Setting Unknown Until Apply") || !strings.Contains(flat, "endpoints.live depends on a value known only after apply") {
		t.Fatalf("plan exited %d:\n%s", code, out)
	}
	c.apply("-no-color", "-target=terraform_data.endpoint")
	c.apply("-no-color")
	if n := m.mock.Calls(lazypull.ActionSet); n != 1 {
		t.Errorf("the configured endpoint got %d Set calls, want 1", n)
	}
	if n := other.mock.TotalCalls(); n != 0 {
		t.Errorf("the endpoint in the environment got %d calls", n)
	}
	c.must("destroy", "-auto-approve", "-no-color")
}

// TestAccCredentials_secretsNeverLogged: with every log at TRACE, the
// secrets and tokens of dynamic sources (the metadata token, what the
// metadata service and STS issue, an OIDC token) reach no log, no error and
// not this process's output, through a success and an STS refusal.
func TestAccCredentials_secretsNeverLogged(t *testing.T) {
	w := newCredWorld(t)
	preCheck(t)
	w.useMetadataProxy(t)
	logPath := filepath.Join(t.TempDir(), "tf.log")
	t.Setenv("TF_ACC_LOG_PATH", logPath)
	t.Setenv("TF_LOG", "TRACE")
	t.Setenv("ALIBABA_CLOUD_OIDC_TOKEN", testOIDCToken)
	good := w.provider(fmt.Sprintf("  ecs_role_name = %q\n  assume_role {\n    role_arn = %q\n  }", testECSRole, testRoleArn))
	refused := w.provider(fmt.Sprintf("  assume_role_with_oidc {\n    oidc_provider_arn = %q\n    role_arn = %q\n  }", testOIDCProviderArn, "acs:ram::1234567890123456:role/nobody"))
	var stepErrors []string
	stsErr := regexp.MustCompile(`(?s)assumed\s+with\s+OIDC.*EntityNotExist\.Role.*RequestId`)
	stop := captureProcessOutput(t)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		CheckDestroy:             w.m.checkEmpty,
		ErrorCheck:               recordStepErrors(&stepErrors, stsErr),
		Steps: []resource.TestStep{
			{Config: good + resourceBlock(basicAttrs(w.m))},
			{Config: refused + resourceBlock(basicAttrs(w.m))},
			{Config: good + resourceBlock(basicAttrs(w.m))},
		},
	})
	output := stop()
	if len(stepErrors) != 1 {
		t.Fatalf("want the STS refusal of step 2 only, got %q", stepErrors)
	}
	secrets := map[string]string{"OIDC token": testOIDCToken}
	for i, s := range w.issuer.Secrets() {
		secrets[fmt.Sprintf("metadata secret %d", i)] = s
	}
	for i, c := range w.m.mock.AssumedRoles() {
		secrets[fmt.Sprintf("STS secret %d", i)] = c.TemporarySecret
		secrets[fmt.Sprintf("STS token %d", i)] = c.SecurityToken
	}
	if len(secrets) < 6 {
		t.Fatalf("only %d secrets were handed out: the sources were not exercised", len(secrets))
	}
	raw, err := os.ReadFile(logPath)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(raw), "Live API call succeeded") {
		t.Fatal("the log does not hold the provider's trace")
	}
	assertNoSecrets(t, secrets, map[string]string{"the log file": string(raw), "the step errors": strings.Join(stepErrors, "\n"), "this process's output": output})
	t.Logf("searched %d bytes of logs and %d of output for %d secrets", len(raw), len(output), len(secrets))
}

// TestAccProvider_liveThroughProxy: HTTP_PROXY, read at configure time,
// carries the Live API's requests too; a plain-http endpoint on a remote
// host is named in a warning. The host is never resolved: the loopback
// proxy answers for it.
func TestAccProvider_liveThroughProxy(t *testing.T) {
	m := newService(t)
	m.requireMock(t, "the proxy forwards to the mock")
	preCheck(t)
	var mu sync.Mutex
	proxied := 0
	proxy := httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		if r.URL.Host != "live.internal.example" {
			http.Error(rw, "this proxy serves only live.internal.example", http.StatusBadGateway)
			return
		}
		mu.Lock()
		proxied++
		mu.Unlock()
		m.mock.ServeHTTP(rw, r)
	}))
	t.Cleanup(proxy.Close)
	t.Setenv("HTTP_PROXY", proxy.URL)
	t.Setenv("http_proxy", proxy.URL)
	c := newCLI(t, map[string]string{"main.tf": terraformBlock + fmt.Sprintf(`
provider "alicloud" {
  access_key = %q
  secret_key = %q
  endpoints {
    live = "http://live.internal.example"
  }
}
`, testAccessKey, testSecretKey) + resourceBlock(basicAttrs(m))})
	out := strings.Join(strings.Fields(c.apply("-no-color")), " ")
	for _, want := range []string{"Live API Endpoint Without TLS", "http://live.internal.example (from the endpoints.live attribute) is plain http", "travel unencrypted"} {
		if !strings.Contains(out, want) {
			t.Errorf("apply does not say %q:\n%s", want, out)
		}
	}
	mu.Lock()
	n := proxied
	mu.Unlock()
	if n == 0 || m.mock.Calls(lazypull.ActionSet) != 1 {
		t.Errorf("%d requests went through the proxy, %d Set calls reached the mock", n, m.mock.Calls(lazypull.ActionSet))
	}
	c.must("destroy", "-auto-approve", "-no-color")
}

// TestAccProvider_stsThroughProxy: HTTPS_PROXY carries STS calls, over a
// CONNECT tunnel. The STS host is never resolved: the loopback proxy
// tunnels every CONNECT to the mock's TLS server, whose certificate names
// example.com.
func TestAccProvider_stsThroughProxy(t *testing.T) {
	w := newCredWorld(t)
	preCheck(t)
	sts, _ := url.Parse(w.sts)
	var mu sync.Mutex
	var tunnels []string
	proxy := httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodConnect {
			http.Error(rw, "CONNECT only", http.StatusMethodNotAllowed)
			return
		}
		mu.Lock()
		tunnels = append(tunnels, r.Host)
		mu.Unlock()
		upstream, err := net.Dial("tcp", sts.Host)
		if err != nil {
			http.Error(rw, err.Error(), http.StatusBadGateway)
			return
		}
		defer upstream.Close()
		conn, buf, err := rw.(http.Hijacker).Hijack()
		if err != nil {
			return
		}
		defer conn.Close()
		_, _ = conn.Write([]byte("HTTP/1.1 200 Connection established\r\n\r\n"))
		done := make(chan struct{}, 2)
		go func() { _, _ = io.Copy(upstream, buf); done <- struct{}{} }()
		go func() { _, _ = io.Copy(conn, upstream); done <- struct{}{} }()
		<-done
	}))
	t.Cleanup(proxy.Close)
	t.Setenv("HTTPS_PROXY", proxy.URL)
	t.Setenv("https_proxy", proxy.URL)
	cfg := fmt.Sprintf(`
provider "alicloud" {
  access_key = %q
  secret_key = %q
  assume_role {
    role_arn = %q
  }
  endpoints {
    live = %q
    sts  = "example.com"
  }
}
`, testAccessKey, testSecretKey, testRoleArn, w.m.url)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		CheckDestroy:             w.m.checkEmpty,
		Steps: []resource.TestStep{{
			Config: cfg + resourceBlock(basicAttrs(w.m)),
			Check: resource.ComposeTestCheckFunc(
				checkSignedBy(w, "a key AssumeRole issued", w.assumedKey(func(c livemock.AssumeRoleCall) bool { return c.AccessKeyID == testAccessKey })),
				func(*terraform.State) error {
					mu.Lock()
					defer mu.Unlock()
					for _, h := range tunnels {
						if h != "example.com:443" {
							return fmt.Errorf("tunnels through the proxy: %q, want only example.com:443", tunnels)
						}
					}
					if len(tunnels) == 0 {
						return fmt.Errorf("STS was not called through the proxy")
					}
					return nil
				},
			),
		}},
	})
}
