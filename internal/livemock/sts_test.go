// Tests of STS AssumeRole: temporary credentials that the Live actions
// accept, their expiry, and AssumeRole's validation.

package livemock

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/live"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/sts"

	"github.com/alicloud-live/terraform-provider-alicloud/internal/lazypull"
)

func TestSTSAssumeRoleThenLive(t *testing.T) {
	h := newHarness(t, nil)
	stsClient, err := sts.NewClientWithAccessKey("cn-shanghai", testKeyID, testSecret)
	if err != nil {
		t.Fatal(err)
	}
	req := sts.CreateAssumeRoleRequest()
	req.Domain = strings.TrimPrefix(h.ts.URL, "http://")
	req.Scheme = "http"
	req.RoleArn = testRole
	req.RoleSessionName = "terraform-test"
	req.ExternalId = "ext-1"
	req.Policy = `{"Version":"1","Statement":[{"Effect":"Allow","Action":"live:*","Resource":"*"}]}`
	req.DurationSeconds = requests.NewInteger(1800)
	resp, err := stsClient.AssumeRole(req)
	if err != nil {
		t.Fatalf("AssumeRole: %v", err)
	}
	cred := resp.Credentials
	if !strings.HasPrefix(cred.AccessKeyId, "STS.") || cred.AccessKeySecret == "" || cred.SecurityToken == "" {
		t.Fatalf("credentials %+v", cred)
	}
	exp, err := time.Parse(timestampLayout, cred.Expiration)
	if err != nil || time.Until(exp) > 31*time.Minute || time.Until(exp) < 29*time.Minute {
		t.Fatalf("expiration %q", cred.Expiration)
	}
	if resp.AssumedRoleUser.Arn != testRole+"/terraform-test" || !strings.HasSuffix(resp.AssumedRoleUser.AssumedRoleId, ":terraform-test") {
		t.Fatalf("assumed role user %+v", resp.AssumedRoleUser)
	}
	calls := h.mock.AssumedRoles()
	if len(calls) != 1 || calls[0].RoleArn != testRole || calls[0].RoleSessionName != "terraform-test" ||
		calls[0].ExternalId != "ext-1" || calls[0].Policy != req.Policy || calls[0].DurationSeconds != 1800 {
		t.Fatalf("recorded %+v", calls)
	}
	if h.mock.Calls(ActionAssumeRole) != 1 {
		t.Fatal("AssumeRole not counted")
	}

	lc, err := live.NewClientWithStsToken("cn-shanghai", cred.AccessKeyId, cred.AccessKeySecret, cred.SecurityToken)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := lc.SetLiveLazyPullStreamInfoConfig(sdkSet(h.ts.URL, "live.example.com", "sts")); err != nil {
		t.Fatalf("live call with STS credentials: %v", err)
	}
	if _, ok := h.mock.Config("live.example.com", "sts"); !ok {
		t.Fatal("config not stored")
	}

	// Wrong token, missing token.
	bad, _ := live.NewClientWithStsToken("cn-shanghai", cred.AccessKeyId, cred.AccessKeySecret, cred.SecurityToken+"x")
	_, err = bad.SetLiveLazyPullStreamInfoConfig(sdkSet(h.ts.URL, "live.example.com", "sts"))
	if se := serverError(t, err); se.ErrorCode() != "InvalidSecurityToken.Mismatch" || se.HttpStatus() != 400 {
		t.Fatalf("got %s %d", se.ErrorCode(), se.HttpStatus())
	}
	noToken := sdkLiveClient(t, cred.AccessKeyId, cred.AccessKeySecret)
	_, err = noToken.SetLiveLazyPullStreamInfoConfig(sdkSet(h.ts.URL, "live.example.com", "sts"))
	if se := serverError(t, err); se.ErrorCode() != "InvalidSecurityToken.Malformed" {
		t.Fatalf("got %s", se.ErrorCode())
	}

	// Temporary credentials may assume a role again (role chaining).
	stsTemp, _ := sts.NewClientWithStsToken("cn-shanghai", cred.AccessKeyId, cred.AccessKeySecret, cred.SecurityToken)
	req2 := sts.CreateAssumeRoleRequest()
	req2.Domain, req2.Scheme = strings.TrimPrefix(h.ts.URL, "http://"), "http"
	req2.RoleArn, req2.RoleSessionName = testRole, "again"
	if _, err = stsTemp.AssumeRole(req2); err != nil {
		t.Fatalf("role chaining: %v", err)
	}
	if calls := h.mock.AssumedRoles(); calls[len(calls)-1].AccessKeyID != cred.AccessKeyId {
		t.Fatalf("the chained AssumeRole was recorded as called by %q", calls[len(calls)-1].AccessKeyID)
	}
}

func TestSTSExpiredCredentials(t *testing.T) {
	clock := newFakeClock()
	h := newHarness(t, clock)
	a := h.call(ActionAssumeRole, map[string]string{"RoleArn": testRole, "RoleSessionName": "s1", "DurationSeconds": "900"})
	h.expectOK(a)
	c := a.Body["Credentials"].(map[string]any)
	if c["Expiration"] != clock.Now().Add(900*time.Second).Format(timestampLayout) {
		t.Fatalf("expiration %v", c["Expiration"])
	}
	p := h.params(lazypull.ActionDescribe, map[string]string{"DomainName": "live.example.com"})
	p["AccessKeyId"], p["SecurityToken"] = c["AccessKeyId"].(string), c["SecurityToken"].(string)
	h.expectOK(h.send(http.MethodPost, p, c["AccessKeySecret"].(string)))

	clock.Advance(901 * time.Second)
	p = h.params(lazypull.ActionDescribe, map[string]string{"DomainName": "live.example.com"})
	p["AccessKeyId"], p["SecurityToken"] = c["AccessKeyId"].(string), c["SecurityToken"].(string)
	h.expectError(h.send(http.MethodPost, p, c["AccessKeySecret"].(string)), 400, "InvalidSecurityToken.Expired")
}

func TestSTSValidation(t *testing.T) {
	h := newHarness(t, nil)
	cases := []struct {
		name   string
		params map[string]string
		status int
		code   string
	}{
		{"unknown role", map[string]string{"RoleArn": "acs:ram::1:role/other", "RoleSessionName": "ok"}, 404, "EntityNotExist.Role"},
		{"missing role", map[string]string{"RoleSessionName": "ok"}, 400, "MissingParameter"},
		{"missing session", map[string]string{"RoleArn": testRole}, 400, "InvalidParameter.RoleSessionName"},
		{"short session", map[string]string{"RoleArn": testRole, "RoleSessionName": "a"}, 400, "InvalidParameter.RoleSessionName"},
		{"bad chars", map[string]string{"RoleArn": testRole, "RoleSessionName": "a b"}, 400, "InvalidParameter.RoleSessionName"},
		{"long session", map[string]string{"RoleArn": testRole, "RoleSessionName": strings.Repeat("a", 65)}, 400, "InvalidParameter.RoleSessionName"},
		{"duration low", map[string]string{"RoleArn": testRole, "RoleSessionName": "ok", "DurationSeconds": "899"}, 400, "InvalidParameter.DurationSeconds"},
		{"duration high", map[string]string{"RoleArn": testRole, "RoleSessionName": "ok", "DurationSeconds": "43201"}, 400, "InvalidParameter.DurationSeconds"},
		{"duration nan", map[string]string{"RoleArn": testRole, "RoleSessionName": "ok", "DurationSeconds": "x"}, 400, "InvalidParameter.DurationSeconds"},
		{"bad policy", map[string]string{"RoleArn": testRole, "RoleSessionName": "ok", "Policy": "{"}, 400, "InvalidParameter.PolicyGrammar"},
		{"ok max", map[string]string{"RoleArn": testRole, "RoleSessionName": "a.b@c-d_e", "DurationSeconds": "43200"}, 200, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h.t = t
			a := h.call(ActionAssumeRole, tc.params)
			if tc.code == "" {
				h.expectOK(a)
				return
			}
			h.expectError(a, tc.status, tc.code)
			if a.Body["HostId"] != "sts.aliyuncs.com" {
				t.Fatalf("host id %v", a.Body["HostId"])
			}
		})
	}
	h.t = t
	p := h.params(ActionAssumeRole, map[string]string{"RoleArn": testRole, "RoleSessionName": "ok"})
	p["Version"] = lazypull.APIVersion
	h.expectError(h.send(http.MethodPost, p, testSecret), 400, "InvalidVersion")
	if n := len(h.mock.AssumedRoles()); n != 1 {
		t.Fatalf("recorded %d successful calls", n)
	}
}
