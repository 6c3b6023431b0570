package credentials

// Credential sources: reading CLI profiles, the order in which attributes,
// environment variables and profiles are consulted, and half-configured
// key pairs.

import (
	"context"
	"errors"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/alicloud-live/terraform-provider-alicloud/internal/liveapi"
	"github.com/alicloud-live/terraform-provider-alicloud/internal/livemock"
)

func writeProfiles(t *testing.T, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "config.json")
	if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

const profiles = `{"current":"default","profiles":[
 {"name":"default","mode":"AK","access_key_id":"AKdefault","access_key_secret":"SKdefault-secret","region_id":"cn-beijing"},
 {"name":"sts","mode":"StsToken","access_key_id":"STS.key","access_key_secret":"SKsts-secret","sts_token":"token-value-123","region_id":"cn-hangzhou"},
 {"name":"role","mode":"RamRoleArn","access_key_id":"AKrole","access_key_secret":"SKrole-secret","ram_role_arn":"acs:ram::1:role/r","ram_session_name":"cli-session"},
 {"name":"ecs","mode":"EcsRamRole","ram_role_name":"x"},
 {"name":"nokey","mode":"AK"}]}`

func TestLoadProfile(t *testing.T) {
	path := writeProfiles(t, profiles)
	p, err := LoadProfile(path, "sts")
	if err != nil {
		t.Fatal(err)
	}
	s := p.Static(path)
	cr, err := s.Credentials(context.Background())
	if err != nil || cr.AccessKeyID != "STS.key" || cr.AccessKeySecret != "SKsts-secret" || cr.SecurityToken != "token-value-123" {
		t.Fatalf("StsToken profile gave %+v, %v", cr, err)
	}
	if !strings.Contains(s.Describe(), `profile "sts" in `+path) {
		t.Errorf("Describe() = %q, want it to name the profile and file", s.Describe())
	}
	for name, want := range map[string]string{
		"ecs":     `mode "EcsRamRole"`,
		"nokey":   "no access_key_id",
		"missing": `has no profile "missing"`,
	} {
		_, err := LoadProfile(path, name)
		if err == nil || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), path) {
			t.Errorf("LoadProfile(%q) error = %v, want it to contain %q and the path", name, err, want)
		}
	}
	if _, err := LoadProfile(writeProfiles(t, "{"), "default"); err == nil || !strings.Contains(err.Error(), "not valid JSON") {
		t.Errorf("a broken file gave %v", err)
	}
}

func TestResolvePrecedence(t *testing.T) {
	path := writeProfiles(t, profiles)
	attrKeys := Static{
		AccessKey: Value{"AKattr", "the access_key attribute"},
		SecretKey: Value{"SKattr-secret", "the secret_key attribute"},
	}
	profile := Value{"default", "the profile attribute"}

	// Keys win over a profile.
	src := Resolve(Settings{Static: attrKeys, Profile: profile, ProfileFile: path})
	cr, err := src.Credentials(context.Background())
	if err != nil || cr.AccessKeyID != "AKattr" {
		t.Fatalf("keys and a profile: got %+v, %v; want the keys", cr, err)
	}
	// Without keys, the profile.
	src = Resolve(Settings{Profile: profile, ProfileFile: path})
	cr, err = src.Credentials(context.Background())
	if err != nil || cr.AccessKeyID != "AKdefault" {
		t.Fatalf("profile only: got %+v, %v", cr, err)
	}
	if !strings.Contains(src.Describe(), "named by the profile attribute") {
		t.Errorf("Describe() = %q, want the attribute that named the profile", src.Describe())
	}
	if got := ProfileRegion(Settings{Profile: profile, ProfileFile: path}); got != "cn-beijing" {
		t.Errorf("ProfileRegion = %q, want cn-beijing", got)
	}
	if got := ProfileRegion(Settings{Static: attrKeys, Profile: profile, ProfileFile: path}); got != "" {
		t.Errorf("ProfileRegion with keys set = %q, want none", got)
	}
	// assume_role wraps whatever was found.
	src = Resolve(Settings{Static: attrKeys, AssumeRole: &RoleSettings{RoleArn: "acs:ram::1:role/x"}})
	ar, ok := src.(*AssumeRole)
	if !ok || ar.Base.Describe() != attrKeys.Describe() || ar.SessionName != DefaultSessionName || ar.SessionExpiration != DefaultSessionExpiration || ar.Endpoint.Host != "sts.aliyuncs.com" {
		t.Fatalf("assume_role over keys: %#v", src)
	}
	// A RamRoleArn profile assumes its own role, through the STS endpoint
	// given.
	mock := livemock.New()
	mock.AddKeyPair("AKrole", "SKrole-secret")
	mock.AddRoles("acs:ram::1:role/r")
	ts := httptest.NewServer(mock)
	defer ts.Close()
	stsURL, _ := url.Parse(ts.URL)
	src = Resolve(Settings{Profile: Value{"role", "ALICLOUD_PROFILE"}, ProfileFile: path, STSEndpoint: stsURL, Region: "cn-shanghai"})
	cr, err = src.Credentials(context.Background())
	if err != nil || !strings.HasPrefix(cr.AccessKeyID, "STS.") || cr.SecurityToken == "" || cr.Expires.IsZero() {
		t.Fatalf("RamRoleArn profile: got %+v, %v; want temporary credentials", cr, err)
	}
	if calls := mock.AssumedRoles(); len(calls) != 1 || calls[0].RoleArn != "acs:ram::1:role/r" || calls[0].RoleSessionName != "cli-session" || calls[0].AccessKeyID != "AKrole" {
		t.Fatalf("AssumeRole calls: %+v", calls)
	}
	secrets := strings.Join(src.Secrets(), " ")
	if !strings.Contains(secrets, cr.SecurityToken) || !strings.Contains(secrets, "SKrole-secret") {
		t.Errorf("Secrets() must list the profile's secret and the temporary token for masking")
	}
	// Nothing configured: the error names every way to configure credentials.
	_, err = Resolve(Settings{}).Credentials(context.Background())
	if !errors.Is(err, liveapi.ErrNoCredentials) {
		t.Fatalf("no credentials: %v", err)
	}
	for _, want := range []string{"access_key", "secret_key", "ALICLOUD_ACCESS_KEY", "ALICLOUD_SECRET_KEY", "profile", "assume_role"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("the no-credentials error does not mention %s: %v", want, err)
		}
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
