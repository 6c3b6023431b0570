package provider

// The provider block: credentials from attributes, the environment, CLI
// profiles and assumed roles, and the errors of each. These tests need the
// mock's keys and its STS.

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/alicloud-live/terraform-provider-alicloud/internal/lazypull"
)

const testRoleArn = "acs:ram::1234567890123456:role/live-operator"

// checkSetSignedBy proves which access key the writes were signed with.
func checkSetSignedBy(m *testService, wantPrefix string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		for _, r := range m.mock.Requests() {
			if r.Action == lazypull.ActionSet && r.Code == "" {
				if !regexp.MustCompile("^" + regexp.QuoteMeta(wantPrefix)).MatchString(r.AccessKeyID) {
					return fmt.Errorf("Set was signed by %q, want a key starting with %q", r.AccessKeyID, wantPrefix)
				}
				return nil
			}
		}
		return fmt.Errorf("no successful Set reached the mock")
	}
}

// TestAccProvider_assumeRole signs every Live call with temporary
// credentials from STS AssumeRole, called through the endpoints.sts
// override, and passes the block's settings to STS.
func TestAccProvider_assumeRole(t *testing.T) {
	m := newService(t)
	m.requireMock(t, "it signs with the mock's keys, profiles and STS roles")
	m.mock.AddRoles(testRoleArn)
	provider := m.providerBlock(fmt.Sprintf(`
  assume_role {
    role_arn           = %q
    session_name       = "tf-acc"
    session_expiration = 1800
    external_id        = "ext-42"
  }
`, testRoleArn))
	provider = regexp.MustCompile(`(?m)^  endpoints \{\n    live = "([^"]+)"\n  \}`).ReplaceAllString(provider, "  endpoints {\n    live = \"$1\"\n    sts  = \""+m.stsEndpoint(t)+"\"\n  }")
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { preCheck(t) },
		ProtoV6ProviderFactories: testProviderFactories,
		CheckDestroy:             m.checkEmpty,
		Steps: []resource.TestStep{{
			Config: provider + resourceBlock(basicAttrs(m)),
			Check: resource.ComposeTestCheckFunc(
				checkSetSignedBy(m, "STS."),
				func(*terraform.State) error {
					calls := m.mock.AssumedRoles()
					if len(calls) == 0 {
						return fmt.Errorf("AssumeRole was never called")
					}
					c := calls[0]
					if c.RoleArn != testRoleArn || c.RoleSessionName != "tf-acc" || c.DurationSeconds != 1800 || c.ExternalId != "ext-42" || c.AccessKeyID != testAccessKey {
						return fmt.Errorf("AssumeRole got %+v", c)
					}
					return nil
				},
			),
		}},
	})
}

// TestAccProvider_assumeRoleUnknownRole fails with STS's code and the
// credential source, without the secret.
func TestAccProvider_assumeRoleUnknownRole(t *testing.T) {
	sameOnEveryVariant(t, "it fails at AssumeRole, before any Live API call")
	m := newService(t)
	m.requireMock(t, "it signs with the mock's keys, profiles and STS roles")
	cfg := fmt.Sprintf(`
provider "alicloud" {
  access_key = %q
  secret_key = %q
  assume_role {
    role_arn = "acs:ram::1234567890123456:role/nobody"
  }
  endpoints {
    live = %q
    sts  = %q
  }
}
`, testAccessKey, testSecretKey, m.url, m.stsEndpoint(t)) + resourceBlock(basicAttrs(m))
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { preCheck(t) },
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{{
			Config:      cfg,
			ExpectError: regexp.MustCompile(`(?s)AssumeRole of\s+acs:ram::1234567890123456:role/nobody.*EntityNotExist\.Role.*RequestId.*signed\s+with\s+the\s+access\s+key\s+from\s+the\s+access_key\s+attribute`),
		}},
	})
	if n := m.mock.Calls(lazypull.ActionSet); n != 0 {
		t.Errorf("%d Set calls were made without credentials", n)
	}
}

// TestAccProvider_profile reads keys and region from an Alibaba Cloud CLI
// configuration file named by shared_credentials_file.
func TestAccProvider_profile(t *testing.T) {
	m := newService(t)
	m.requireMock(t, "it signs with the mock's keys, profiles and STS roles")
	m.mock.AddKeyPair("LTAIprofileKey0001", "profile-secret-0001")
	file := filepath.Join(t.TempDir(), "config.json")
	if err := os.WriteFile(file, []byte(`{"current":"default","profiles":[
  {"name":"default","mode":"AK","access_key_id":"LTAIwrong","access_key_secret":"wrong","region_id":"cn-beijing"},
  {"name":"live","mode":"AK","access_key_id":"LTAIprofileKey0001","access_key_secret":"profile-secret-0001","region_id":"cn-hangzhou"}]}`), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg := fmt.Sprintf(`
provider "alicloud" {
  profile                 = "live"
  shared_credentials_file = %q
  endpoints {
    live = %q
  }
}
`, file, m.url) + resourceBlock(basicAttrs(m))
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { preCheck(t) },
		ProtoV6ProviderFactories: testProviderFactories,
		CheckDestroy:             m.checkEmpty,
		Steps: []resource.TestStep{{
			Config: cfg,
			Check: resource.ComposeTestCheckFunc(
				checkSetSignedBy(m, "LTAIprofileKey0001"),
				func(*terraform.State) error {
					for _, r := range m.mock.Requests() {
						if r.Action == lazypull.ActionSet && r.Params["RegionId"] != "cn-hangzhou" {
							return fmt.Errorf("Set signed for region %q, want the profile's cn-hangzhou", r.Params["RegionId"])
						}
					}
					return nil
				},
			),
		}},
	})
}

// TestAccProvider_missingProfile names the file and the profile.
func TestAccProvider_missingProfile(t *testing.T) {
	sameOnEveryVariant(t, "it fails at the provider configuration, before any call")
	m := newService(t)
	m.requireMock(t, "it signs with the mock's keys, profiles and STS roles")
	cfg := fmt.Sprintf(`
provider "alicloud" {
  profile                 = "absent"
  shared_credentials_file = %q
  endpoints {
    live = %q
  }
}
`, filepath.Join(t.TempDir(), "nope.json"), m.url) + resourceBlock(basicAttrs(m))
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { preCheck(t) },
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{{
			Config:      cfg,
			ExpectError: regexp.MustCompile(`(?s)profile\s+"absent".*cannot\s+read\s+the\s+Alibaba\s+Cloud\s+CLI\s+configuration\s+.*nope\.json`),
		}},
	})
}

// TestAccProvider_environmentCredentials takes keys and the endpoint from
// the environment when the block has none.
func TestAccProvider_environmentCredentials(t *testing.T) {
	m := newService(t)
	m.requireMock(t, "it signs with the mock's keys, profiles and STS roles")
	preCheck(t)
	t.Setenv("ALIBABA_CLOUD_ACCESS_KEY_ID", testAccessKey)
	t.Setenv("ALIBABA_CLOUD_ACCESS_KEY_SECRET", testSecretKey)
	t.Setenv("ALIBABA_CLOUD_ENDPOINT_LIVE", m.url)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		CheckDestroy:             m.checkEmpty,
		Steps: []resource.TestStep{{
			Config: `provider "alicloud" {}` + "\n" + resourceBlock(basicAttrs(m)),
			Check:  checkSetSignedBy(m, testAccessKey),
		}},
	})
}

// TestAccProvider_wrongSecret fails at the first call, without retrying,
// and names where the credentials came from.
func TestAccProvider_wrongSecret(t *testing.T) {
	sameOnEveryVariant(t, "every call fails its signature check")
	m := newService(t)
	m.requireMock(t, "it signs with the mock's keys, profiles and STS roles")
	preCheck(t)
	t.Setenv("ALICLOUD_ACCESS_KEY", testAccessKey)
	t.Setenv("ALICLOUD_SECRET_KEY", "not-the-right-secret-9f2e")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{{
			Config:      fmt.Sprintf("provider \"alicloud\" {\n  endpoints {\n    live = %q\n  }\n}\n", m.url) + resourceBlock(basicAttrs(m)),
			ExpectError: regexp.MustCompile(`(?s)SignatureDoesNotMatch.*RequestId:.*environment\s+variable\s+ALICLOUD_ACCESS_KEY,\s+secret\s+key\s+from\s+the\s+environment\s+variable\s+ALICLOUD_SECRET_KEY`),
		}},
	})
	if n := m.mock.Calls(lazypull.ActionDescribe); n != 1 {
		t.Errorf("a credential error was sent %d times; it must fail at once", n)
	}
}
