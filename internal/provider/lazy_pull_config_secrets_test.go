package provider

// Secrets: no secret key, security token or signature reaches a log, an
// error or the process output, at any log level.

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/services/sts"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"

	"github.com/alicloud-live/terraform-provider-alicloud/internal/lazypull"
	"github.com/alicloud-live/terraform-provider-alicloud/internal/liveapi"
)

// captureProcessOutput tees this process's standard output and error into a
// buffer until the returned function is called, which returns the text. A
// probe line written to each proves that the capture works: text searched
// for secrets must not be empty because nothing reached it.
func captureProcessOutput(t *testing.T) func() string {
	t.Helper()
	origOut, origErr := os.Stdout, os.Stderr
	var mu sync.Mutex
	var buf bytes.Buffer
	var wg sync.WaitGroup
	tee := func(orig *os.File) *os.File {
		r, w, err := os.Pipe()
		if err != nil {
			t.Fatal(err)
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			chunk := make([]byte, 32<<10)
			for {
				k, err := r.Read(chunk)
				if k > 0 {
					mu.Lock()
					buf.Write(chunk[:k])
					mu.Unlock()
					_, _ = orig.Write(chunk[:k])
				}
				if err != nil {
					return
				}
			}
		}()
		return w
	}
	outW, errW := tee(origOut), tee(origErr)
	os.Stdout, os.Stderr = outW, errW
	probes := map[*os.File]string{outW: "capture probe: standard output is being searched", errW: "capture probe: standard error is being searched"}
	for f, probe := range probes {
		fmt.Fprintln(f, probe)
	}
	var once sync.Once
	stop := func() string {
		once.Do(func() {
			os.Stdout, os.Stderr = origOut, origErr
			outW.Close()
			errW.Close()
			wg.Wait()
			for _, probe := range probes {
				if !strings.Contains(buf.String(), probe) {
					t.Errorf("the capture of this process's output does not work: %q did not reach it", probe)
				}
			}
		})
		mu.Lock()
		defer mu.Unlock()
		return buf.String()
	}
	t.Cleanup(func() { stop() })
	return stop
}

// secretForms lists the ways a secret may appear in text: raw, URL-encoded
// (query and path style, and twice, as inside a string to sign) and
// JSON-escaped.
func secretForms(secret string) []string {
	q := url.QueryEscape(secret)
	j, _ := json.Marshal(secret)
	return []string{secret, q, url.PathEscape(secret), url.QueryEscape(q), strings.Trim(string(j), `"`)}
}

const secretsRoleArn = "acs:ram::1234567890123456:role/secrets-test"

// TestAccLazyPullConfig_secretsNeverLogged runs create, a failing plan
// with a wrong secret (SignatureDoesNotMatch, answered the way the real
// service answers: with the string to sign, which carries the token), a
// timed-out and a throttled attempt, and destroy, all with STS temporary
// credentials and every log at TRACE, then searches the Terraform CLI and
// provider logs, the errors and this process's output for the secret and
// the token.
func TestAccLazyPullConfig_secretsNeverLogged(t *testing.T) {
	m := newService(t)
	m.requireMock(t, "it signs with the mock's STS credentials and provokes its errors")
	m.mock.AddRoles(secretsRoleArn)

	// Temporary credentials from the mock's STS, through the SDK.
	stsClient, err := sts.NewClientWithAccessKey("cn-shanghai", testAccessKey, testSecretKey)
	if err != nil {
		t.Fatal(err)
	}
	u, _ := url.Parse(m.url)
	req := sts.CreateAssumeRoleRequest()
	req.Scheme, req.Domain = "http", u.Host
	req.RoleArn, req.RoleSessionName = secretsRoleArn, "secrets-never-logged"
	assumed, err := stsClient.AssumeRole(req)
	if err != nil {
		t.Fatalf("AssumeRole: %v", err)
	}
	tempKey, tempSecret, token := assumed.Credentials.AccessKeyId, assumed.Credentials.AccessKeySecret, assumed.Credentials.SecurityToken
	if !strings.HasPrefix(tempKey, "STS.") || len(token) < 100 {
		t.Fatalf("unexpected temporary credentials: key %q, token of %d characters", tempKey, len(token))
	}
	const wrongSecret = "wrong-secret-value-3e9d0c1f"
	secrets := map[string]string{"temporary secret": tempSecret, "security token": token, "wrong secret": wrongSecret, "long-term secret": testSecretKey}

	logPath := filepath.Join(t.TempDir(), "tf.log")
	t.Setenv("TF_ACC_LOG_PATH", logPath)
	t.Setenv("TF_LOG", "TRACE")
	// The secrets reach the provider block through variables: the test
	// harness logs each step's configuration text at TRACE.
	t.Setenv("TF_VAR_live_secret_key", tempSecret)
	t.Setenv("TF_VAR_live_security_token", token)
	t.Setenv("TF_VAR_live_wrong_secret_key", wrongSecret)

	provider := func(secretVar string) string {
		return fmt.Sprintf(`
variable "live_secret_key" {
  type      = string
  sensitive = true
}
variable "live_security_token" {
  type      = string
  sensitive = true
}
variable "live_wrong_secret_key" {
  type      = string
  sensitive = true
}

provider "alicloud" {
  access_key          = %q
  secret_key          = var.%s
  security_token      = var.live_security_token
  region              = "cn-shanghai"
  max_retries         = 2
  client_read_timeout = 1000
  endpoints {
    live = %q
  }
}
`, tempKey, secretVar, m.url)
	}
	good := provider("live_secret_key") + resourceBlock(basicAttrs(m))
	bad := provider("live_wrong_secret_key") + resourceBlock(basicAttrs(m))

	var stepErrors []string
	sigErr := regexp.MustCompile(`(?s)Cannot Read Lazy-Pull Configuration.*SignatureDoesNotMatch.*secret key from the secret_key attribute`)
	stop := captureProcessOutput(t)
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { preCheck(t) },
		ProtoV6ProviderFactories: testProviderFactories,
		CheckDestroy:             m.checkEmpty,
		ErrorCheck:               recordStepErrors(&stepErrors, sigErr),
		Steps: []resource.TestStep{
			{
				PreConfig: func() {
					m.mock.InjectDelay(lazypull.ActionSet, 1, 30*time.Second)
					m.mock.InjectThrottle(lazypull.ActionSet, 1)
				},
				Config: good,
				Check: resource.ComposeTestCheckFunc(
					m.checkConfig(testDomain, "live_app", basicWant),
					faultCheck(func() error {
						for _, r := range m.mock.Requests() {
							if r.Action == lazypull.ActionSet && r.Status == http.StatusOK {
								if r.Params["SecurityToken"] != token || r.AccessKeyID != tempKey {
									return fmt.Errorf("the Set was not signed with the temporary credentials")
								}
								return nil
							}
						}
						return fmt.Errorf("no Set succeeded")
					}),
				),
			},
			{
				// The refresh fails: the wrong secret's signature is rejected.
				Config: bad,
			},
			{
				Config: good,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
			},
		},
	})
	output := stop()

	if len(stepErrors) != 1 || !sigErr.MatchString(stepErrors[0]) {
		t.Fatalf("want exactly the SignatureDoesNotMatch error of step 2, got %d errors: %q", len(stepErrors), stepErrors)
	}
	if m.mock.Rejected(liveapi.CodeSignatureMismatch) == 0 {
		t.Fatal("no SignatureDoesNotMatch answer (which echoes the string to sign) was sent: the error path was not exercised")
	}
	if m.mock.FaultsServed() != 2 {
		t.Fatalf("%d of 2 faults served", m.mock.FaultsServed())
	}
	raw, err := os.ReadFile(logPath)
	if err != nil {
		t.Fatal(err)
	}
	logText := string(raw)
	for _, want := range []string{"Live API call succeeded", "Live API call failed", "SignatureDoesNotMatch", "Throttling.User", tempKey, "alicloud: Live API call"} {
		if !strings.Contains(logText, want) {
			t.Errorf("the log (%d bytes) lacks %q: it does not hold what this test searches", len(raw), want)
		}
	}
	assertNoSecrets(t, secrets, map[string]string{"the log file": logText, "the step errors": strings.Join(stepErrors, "\n"), "this process's output": output})
	t.Logf("searched %d bytes of logs, %d bytes of errors and %d bytes of process output for %d secrets in %d forms each",
		len(logText), len(strings.Join(stepErrors, "\n")), len(output), len(secrets), len(secretForms("x")))
}

// recordStepErrors is an ErrorCheck that appends every step's error to
// seen, and lets the errors that match expected pass.
func recordStepErrors(seen *[]string, expected *regexp.Regexp) func(error) error {
	return func(err error) error {
		*seen = append(*seen, err.Error())
		if expected.MatchString(err.Error()) {
			return nil
		}
		return err
	}
}

// assertNoSecrets fails t for each form of each secret (by name) found in
// each text (by where it comes from).
func assertNoSecrets(t *testing.T, secrets, texts map[string]string) {
	t.Helper()
	for what, text := range texts {
		for name, secret := range secrets {
			for _, form := range secretForms(secret) {
				if i := strings.Index(text, form); i >= 0 {
					t.Errorf("%s contains the %s (as %q) at byte %d: ...%s...", what, name, form, i, excerpt(text, i))
				}
			}
		}
	}
}

func excerpt(s string, i int) string {
	from, to := max(0, i-120), min(len(s), i+60)
	return s[from:to]
}
