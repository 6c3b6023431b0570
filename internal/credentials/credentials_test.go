package credentials

// Every credential source, the order among them, and the errors of each,
// against loopback servers only: the mock's STS over TLS, the metadata
// service reached as a forward proxy, a credentials URI.

import (
	"context"
	"errors"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/alicloud-live/terraform-provider-alicloud/internal/liveapi"
	"github.com/alicloud-live/terraform-provider-alicloud/internal/livemock"
)

const (
	roleArn     = "acs:ram::1234567890123456:role/live-operator"
	oidcArn     = "acs:ram::1234567890123456:oidc-provider/ack-rrsa"
	oidcToken   = "eyJhbGciOiJSUzI1NiJ9.oidc-token-value.sig"
	keyID       = "LTAIkeyFromSettings01"
	keySecret   = "secret-from-settings-01"
	profileKey  = "LTAIkeyFromProfile001"
	profileSecr = "secret-from-profile-001"
)

// TestMain makes the in-process HTTP clients trust the httptest TLS
// certificate (credentials-go clones http.DefaultTransport), and reads the
// proxy variables into Go's once-per-process cache before any test sets
// them.
func TestMain(m *testing.M) {
	livemock.TrustInProcess()
	os.Exit(m.Run())
}

type world struct {
	mock     *livemock.Server
	issuer   *livemock.Issuer
	sts      string // host:port of the mock's STS over TLS
	proxy    string // the metadata service, as forward proxy
	uri      string
	profiles string
	token    string // an OIDC token file
}

func newWorld(t *testing.T) *world {
	t.Helper()
	w := &world{mock: livemock.New()}
	w.mock.AddKeyPair(keyID, keySecret)
	w.mock.AddKeyPair(profileKey, profileSecr)
	w.mock.AddRoles(roleArn)
	w.mock.AddOIDCProvider(oidcArn, oidcToken)
	w.issuer = w.mock.NewIssuer()
	w.issuer.AttachRoles("ecs-runner")
	sts := httptest.NewTLSServer(w.mock)
	t.Cleanup(sts.Close)
	w.sts = strings.TrimPrefix(sts.URL, "https://")
	md := httptest.NewServer(w.issuer.Metadata())
	t.Cleanup(md.Close)
	w.proxy = md.URL
	uri := httptest.NewServer(w.issuer.CredentialsURI())
	t.Cleanup(uri.Close)
	w.uri = uri.URL + "/creds"
	dir := t.TempDir()
	w.token = filepath.Join(dir, "token")
	if err := os.WriteFile(w.token, []byte(oidcToken), 0o600); err != nil {
		t.Fatal(err)
	}
	w.profiles = filepath.Join(dir, "config.json")
	if err := os.WriteFile(w.profiles, []byte(`{"current":"ak","profiles":[
 {"name":"ak","mode":"AK","access_key_id":"`+profileKey+`","access_key_secret":"`+profileSecr+`","region_id":"cn-beijing"},
 {"name":"role","mode":"RamRoleArn","access_key_id":"`+profileKey+`","access_key_secret":"`+profileSecr+`","ram_role_arn":"`+roleArn+`","ram_session_name":"cli-session"},
 {"name":"chain","mode":"ChainableRamRoleArn","source_profile":"ecs","ram_role_arn":"`+roleArn+`"},
 {"name":"ecs","mode":"EcsRamRole","ram_role_name":"ecs-runner"},
 {"name":"oidc","mode":"OIDC","ram_role_arn":"`+roleArn+`","oidc_provider_arn":"`+oidcArn+`","oidc_token_file":"`+w.token+`"},
 {"name":"weird","mode":"Kerberos"}]}`), 0o600); err != nil {
		t.Fatal(err)
	}
	return w
}

// settings are the base settings of a row: the mock's STS, the metadata
// proxy, the profile file.
func (w *world) settings() Settings {
	return Settings{
		STSEndpoint: w.sts,
		ProfileFile: Value{w.profiles, "test"},
		HTTP: HTTP{Proxy: func(target *url.URL) string {
			if target.Host == livemock.MetadataHost {
				return w.proxy
			}
			return ""
		}},
	}
}

func v(s string) Value { return Value{s, "the test"} }

func TestSources(t *testing.T) {
	w := newWorld(t)
	keys := Static{AccessKey: v(keyID), SecretKey: v(keySecret)}
	oidc := &OIDCSettings{ProviderArn: v(oidcArn), RoleArn: v(roleArn), TokenFile: v(w.token)}
	role := &RoleSettings{RoleArn: roleArn}
	cases := []struct {
		name string
		set  func(*Settings)
		// signer: "key" the static key, "profile" the profile's key,
		// "sts" a key from AssumeRole, "issued" one from the issuer.
		signer  string
		stsBy   string // who called the last AssumeRole: "key", "profile", "issued", "oidc"
		ignored int
	}{
		{"static keys", func(s *Settings) { s.Static = keys }, "key", "", 0},
		{"AK profile", func(s *Settings) { s.Profile = v("ak") }, "profile", "", 0},
		{"RamRoleArn profile", func(s *Settings) { s.Profile = v("role") }, "sts", "profile", 0},
		{"EcsRamRole profile", func(s *Settings) { s.Profile = v("ecs") }, "issued", "", 0},
		{"ChainableRamRoleArn profile on an ECS role", func(s *Settings) { s.Profile = v("chain") }, "sts", "issued", 0},
		{"OIDC profile", func(s *Settings) { s.Profile = v("oidc") }, "sts", "oidc", 0},
		{"credentials_uri", func(s *Settings) { s.CredentialsURI = v(w.uri) }, "issued", "", 0},
		{"ecs_role_name", func(s *Settings) { s.ECSRoleName = v("ecs-runner") }, "issued", "", 0},
		{"assume_role_with_oidc", func(s *Settings) { s.OIDC = oidc }, "sts", "oidc", 0},
		{"assume_role on keys", func(s *Settings) { s.Static, s.AssumeRole = keys, role }, "sts", "key", 0},
		{"assume_role on ecs_role_name", func(s *Settings) { s.ECSRoleName, s.AssumeRole = v("ecs-runner"), role }, "sts", "issued", 0},
		{"assume_role on credentials_uri", func(s *Settings) { s.CredentialsURI, s.AssumeRole = v(w.uri), role }, "sts", "issued", 0},
		{"assume_role on OIDC", func(s *Settings) { s.OIDC, s.AssumeRole = oidc, role }, "sts", "sts", 0},
		{"keys beside ecs_role_name", func(s *Settings) { s.Static, s.ECSRoleName = keys, v("ecs-runner") }, "key", "", 1},
		{"profile beside OIDC and credentials_uri", func(s *Settings) { s.Profile, s.OIDC, s.CredentialsURI = v("ak"), oidc, v(w.uri) }, "profile", "", 2},
		{"credentials_uri beside ecs_role_name", func(s *Settings) { s.CredentialsURI, s.ECSRoleName = v(w.uri), v("ecs-runner") }, "issued", "", 1},
		{"ecs_role_name beside OIDC", func(s *Settings) { s.ECSRoleName, s.OIDC = v("ecs-runner"), oidc }, "issued", "", 1},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := w.settings()
			tc.set(&s)
			before := len(w.issuer.Issued())
			r := Resolve(s)
			if len(r.Ignored) != tc.ignored {
				t.Errorf("ignored %q, want %d", r.Ignored, tc.ignored)
			}
			cr, err := r.Source.Credentials(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			issued := w.issuer.Issued()
			calls := w.mock.AssumedRoles()
			switch tc.signer {
			case "key":
				if cr.AccessKeyID != keyID {
					t.Errorf("signed by %s, want the static key", cr.AccessKeyID)
				}
			case "profile":
				if cr.AccessKeyID != profileKey {
					t.Errorf("signed by %s, want the profile's key", cr.AccessKeyID)
				}
			case "issued":
				if len(issued) == before || cr.AccessKeyID != issued[len(issued)-1].AccessKeyID {
					t.Errorf("signed by %s, want the key just issued", cr.AccessKeyID)
				}
			case "sts":
				if len(calls) == 0 || cr.AccessKeyID != calls[len(calls)-1].TemporaryAccessKeyID {
					t.Errorf("signed by %s, want the key of the last AssumeRole", cr.AccessKeyID)
				}
			}
			if cr.SecurityToken != "" {
				if !strings.Contains(strings.Join(r.Source.Secrets(), " "), cr.SecurityToken) {
					t.Errorf("Secrets() does not list the security token handed out")
				}
			}
			if tc.stsBy == "" {
				return
			}
			last := calls[len(calls)-1]
			switch tc.stsBy {
			case "key":
				if last.AccessKeyID != keyID {
					t.Errorf("AssumeRole called by %q, want the static key", last.AccessKeyID)
				}
			case "profile":
				if last.AccessKeyID != profileKey || last.RoleSessionName != "cli-session" {
					t.Errorf("AssumeRole %+v, want the profile's key and session", last)
				}
			case "issued":
				if last.AccessKeyID != issued[len(issued)-1].AccessKeyID {
					t.Errorf("AssumeRole called by %q, want the issued key", last.AccessKeyID)
				}
			case "oidc":
				if last.OIDCProviderArn != oidcArn {
					t.Errorf("want AssumeRoleWithOIDC last, got %+v", last)
				}
			case "sts":
				prev := calls[len(calls)-2]
				if prev.OIDCProviderArn != oidcArn || last.AccessKeyID != prev.TemporaryAccessKeyID {
					t.Errorf("want AssumeRole signed by the OIDC session, got %+v after %+v", last, prev)
				}
			}
		})
	}
	if n := w.issuer.IMDSv1Requests(); n != 0 {
		t.Errorf("%d metadata requests came without an IMDSv2 token", n)
	}
}

// TestNoSourceListsEach: with nothing configured, one error lists every
// source and how to set it, and the metadata service is not asked.
func TestNoSourceListsEach(t *testing.T) {
	w := newWorld(t)
	s := w.settings()
	s.ProfileFile = Value{}
	_, err := Resolve(s).Source.Credentials(context.Background())
	if !errors.Is(err, liveapi.ErrNoCredentials) {
		t.Fatalf("got %v", err)
	}
	for _, want := range []string{"1. access_key and secret_key", "2. profile", "3. credentials_uri", "4. ecs_role_name", "5. assume_role_with_oidc", "ALIBABA_CLOUD_ECS_METADATA", "ALIBABA_CLOUD_OIDC_TOKEN_FILE"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("the error does not mention %q:\n%v", want, err)
		}
	}
	if n := len(w.issuer.Issued()); n != 0 {
		t.Errorf("the metadata service was asked")
	}
}

// TestBadSources: each failure names its source and the reason, and never
// a secret.
func TestBadSources(t *testing.T) {
	w := newWorld(t)
	empty := filepath.Join(t.TempDir(), "empty")
	if err := os.WriteFile(empty, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name string
		set  func(*Settings)
		want []string
	}{
		{"missing OIDC token file", func(s *Settings) {
			s.OIDC = &OIDCSettings{ProviderArn: v(oidcArn), RoleArn: v(roleArn), TokenFile: v("/nonexistent/token")}
		}, []string{"cannot read the OIDC token file /nonexistent/token"}},
		{"empty OIDC token file", func(s *Settings) {
			s.OIDC = &OIDCSettings{ProviderArn: v(oidcArn), RoleArn: v(roleArn), TokenFile: v(empty)}
		}, []string{"OIDC token file " + empty, "holds no valid token"}},
		{"OIDC without a provider ARN", func(s *Settings) { s.OIDC = &OIDCSettings{RoleArn: v(roleArn), TokenFile: v(w.token)} },
			[]string{"missing oidc_provider_arn (or ALIBABA_CLOUD_OIDC_PROVIDER_ARN)"}},
		{"unknown ECS role, IMDSv1 disabled", func(s *Settings) { s.ECSRoleName = v("nobody") },
			[]string{`ECS RAM role "nobody"`, "does not know the role (HTTP 404)"}},
		{"STS refusal", func(s *Settings) {
			s.Static = Static{AccessKey: v(keyID), SecretKey: v(keySecret)}
			s.AssumeRole = &RoleSettings{RoleArn: "acs:ram::1234567890123456:role/nobody"}
		}, []string{"EntityNotExist.Role", "RequestId", "signed with the access key and secret key from the test"}},
		{"unknown profile mode", func(s *Settings) { s.Profile = v("weird") },
			[]string{`profile "weird"`, `mode "Kerberos"`, "ChainableRamRoleArn"}},
		{"unknown profile", func(s *Settings) { s.Profile = v("absent") },
			[]string{`has no profile "absent"`, w.profiles}},
		{"credentials URI garbage", func(s *Settings) { s.CredentialsURI = v(w.uri) },
			[]string{"credentials URI " + w.uri, "json unmarshal fail"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if strings.Contains(tc.name, "IMDSv1 disabled") {
				// Else the library asks again without a token, and an
				// IMDSv2-only service refuses that with a 403.
				t.Setenv("ALIBABA_CLOUD_IMDSV1_DISABLED", "true")
			}
			if tc.name == "credentials URI garbage" {
				w.issuer.AnswerGarbage("<html>not json</html>")
				defer w.issuer.AnswerGarbage("")
			}
			s := w.settings()
			tc.set(&s)
			_, err := Resolve(s).Source.Credentials(context.Background())
			if err == nil {
				t.Fatal("no error")
			}
			for _, want := range tc.want {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("the error does not mention %q:\n%v", want, err)
				}
			}
			for _, secret := range []string{keySecret, oidcToken} {
				if strings.Contains(err.Error(), secret) {
					t.Errorf("the error holds a secret: %v", err)
				}
			}
		})
	}
}

// TestRenewal: credentials that are about to expire are renewed before
// the next call, and every call gets the newest.
func TestRenewal(t *testing.T) {
	w := newWorld(t)
	w.issuer.Lifetime = 170e9 // within credentials-go's three-minute margin
	s := w.settings()
	s.CredentialsURI = v(w.uri)
	src := Resolve(s).Source
	var seen []string
	for range 3 {
		cr, err := src.Credentials(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if cr.Expires.IsZero() || cr.Expires.After(time.Now()) {
			t.Errorf("temporary credentials must be due at once, so that the client asks before each call; Expires = %v", cr.Expires)
		}
		seen = append(seen, cr.AccessKeyID)
	}
	issued := w.issuer.Issued()
	if len(issued) != 3 || seen[2] != issued[2].AccessKeyID || seen[0] == seen[1] {
		t.Errorf("signed with %v, issued %+v: want a renewal before each call", seen, issued)
	}
	secrets := strings.Join(src.Secrets(), " ")
	if strings.Count(secrets, "CAIS") != 3 {
		t.Errorf("Secrets() must keep every token handed out, got %d", strings.Count(secrets, "CAIS"))
	}
	// With an hour left, nothing is renewed.
	w.issuer.Lifetime = 0
	src = Resolve(s).Source
	for range 3 {
		if _, err := src.Credentials(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	if n := len(w.issuer.Issued()); n != 4 {
		t.Errorf("credentials valid for an hour were fetched %d times, want once", n-3)
	}
}

func TestStaticHalfConfigured(t *testing.T) {
	_, err := Static{AccessKey: Value{"AK", "ALICLOUD_ACCESS_KEY"}}.Credentials(context.Background())
	if err == nil || !strings.Contains(err.Error(), "no secret key") || !strings.Contains(err.Error(), "ALICLOUD_ACCESS_KEY") {
		t.Errorf("access key without secret: %v", err)
	}
	s := Static{SecretKey: Value{"the-secret-value", "the secret_key attribute"}}
	_, err = s.Credentials(context.Background())
	if err == nil || strings.Contains(err.Error(), "the-secret-value") || !strings.Contains(err.Error(), "no access key") {
		t.Errorf("secret without access key: %v", err)
	}
	if got := s.Secrets(); len(got) != 1 || got[0] != "the-secret-value" {
		t.Errorf("Secrets() = %v", got)
	}
}

func TestProfileRegion(t *testing.T) {
	w := newWorld(t)
	s := w.settings()
	s.Profile = v("ak")
	if got := ProfileRegion(s); got != "cn-beijing" {
		t.Errorf("ProfileRegion = %q, want cn-beijing", got)
	}
	s.Static = Static{AccessKey: v(keyID), SecretKey: v(keySecret)}
	if got := ProfileRegion(s); got != "" {
		t.Errorf("ProfileRegion with keys set = %q, want none", got)
	}
}

// TestCredentialsURIShownWithoutSecrets: a credentials URI may carry a
// secret in its user information, query or fragment; the source's
// description, the warning that it is not used and its errors show its
// scheme, host and path only.
func TestCredentialsURIShownWithoutSecrets(t *testing.T) {
	secrets := []string{"pw-secret", "q-secret", "frag-secret"}
	leaks := func(what, text string) {
		t.Helper()
		for _, secret := range secrets {
			if strings.Contains(text, secret) {
				t.Errorf("%s holds %q: %s", what, secret, text)
			}
		}
	}
	// Nothing listens on port 1 of loopback: a call fails at once.
	const uri = "http://user:pw-secret@127.0.0.1:1/creds?token=q-secret#frag-secret"

	s := Settings{CredentialsURI: v(uri)}
	r := Resolve(s)
	if !strings.Contains(r.Source.Describe(), "http://127.0.0.1:1/creds") {
		t.Errorf("the description does not show the URI's host and path: %s", r.Source.Describe())
	}
	leaks("the description", r.Source.Describe())
	_, err := r.Source.Credentials(context.Background())
	if err == nil {
		t.Fatal("no error from a credentials URI nothing answers")
	}
	leaks("the error", err.Error())

	s.Static = Static{AccessKey: v(keyID), SecretKey: v(keySecret)}
	ignored := strings.Join(Resolve(s).Ignored, "\n")
	if !strings.Contains(ignored, "credentials_uri http://127.0.0.1:1/creds") {
		t.Errorf("the warning does not name the URI unused: %q", ignored)
	}
	leaks("the warning", ignored)

	_, err = Resolve(Settings{CredentialsURI: v("ftp://user:pw-secret@127.0.0.1/x?token=q-secret")}).Source.Credentials(context.Background())
	if err == nil || !strings.Contains(err.Error(), "ftp://127.0.0.1/x is not an http or https URL") {
		t.Errorf("error for an ftp URI: %v", err)
	}
	if err != nil {
		leaks("the error", err.Error())
	}
}
