// Tests of request verification: RPC signatures made by the Go SDK and by
// hand, tampered requests, GET and form bodies, and the common parameters.

package livemock

import (
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	sdkerrors "github.com/aliyun/alibaba-cloud-sdk-go/sdk/errors"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/live"

	"github.com/alicloud-live/terraform-provider-alicloud/internal/lazypull"
)

func sdkLiveClient(t *testing.T, id, secret string) *live.Client {
	t.Helper()
	c, err := live.NewClientWithAccessKey("cn-shanghai", id, secret)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func sdkSet(ts string, domain, app string) *live.SetLiveLazyPullStreamInfoConfigRequest {
	req := live.CreateSetLiveLazyPullStreamInfoConfigRequest()
	req.Domain = strings.TrimPrefix(ts, "http://")
	req.Scheme = "http"
	req.DomainName = domain
	req.AppName = app
	req.PullDomainName = "a.example.net;b.example.net"
	req.PullAppName = "origin app*~"
	req.PullProtocol = "httpflv"
	req.TranscodeLazy = "yes"
	req.PullArgs = "k=v&x=y z"
	return req
}

func serverError(t *testing.T, err error) *sdkerrors.ServerError {
	t.Helper()
	var se *sdkerrors.ServerError
	if !errors.As(err, &se) {
		t.Fatalf("want *errors.ServerError, got %T %v", err, err)
	}
	return se
}

func TestSDKSignedRequestsVerify(t *testing.T) {
	h := newHarness(t, nil)
	c := sdkLiveClient(t, testKeyID, testSecret)

	if _, err := c.SetLiveLazyPullStreamInfoConfig(sdkSet(h.ts.URL, "live.example.com", "live")); err != nil {
		t.Fatalf("Set: %v", err)
	}
	dreq := live.CreateDescribeLiveLazyPullStreamConfigRequest()
	dreq.Domain = strings.TrimPrefix(h.ts.URL, "http://")
	dreq.Scheme = "http"
	dreq.DomainName = "live.example.com"
	dreq.AppName = "live"
	resp, err := c.DescribeLiveLazyPullStreamConfig(dreq)
	if err != nil {
		t.Fatalf("Describe: %v", err)
	}
	list := resp.LiveLazyPullConfigList.LiveLazyPullConfig
	if len(list) != 1 {
		t.Fatalf("got %d configs", len(list))
	}
	got := list[0]
	if got.DomainName != "live.example.com" || got.AppName != "live" || got.PullDomainName != "a.example.net;b.example.net" ||
		got.PullAppName != "origin app*~" || got.PullProtocol != "HTTP-FLV" || got.TranscodeLazy != "yes" || got.PullArgs != "k=v&x=y z" {
		t.Fatalf("unexpected config %+v", got)
	}
	if resp.RequestId == "" {
		t.Fatal("no RequestId")
	}

	delReq := live.CreateDeleteLiveLazyPullStreamInfoConfigRequest()
	delReq.Domain = strings.TrimPrefix(h.ts.URL, "http://")
	delReq.Scheme = "http"
	delReq.DomainName = "live.example.com"
	delReq.AppName = lazypull.AllApps
	if _, err := c.DeleteLiveLazyPullStreamInfoConfig(delReq); err != nil {
		t.Fatalf("Delete: %v", err)
	}
	if len(h.mock.AllConfigs()) != 0 {
		t.Fatal("delete not applied")
	}

	// SDK error surface: domain errors come back as *ServerError.
	_, err = c.SetLiveLazyPullStreamInfoConfig(sdkSet(h.ts.URL, "cdn.example.com", "live"))
	se := serverError(t, err)
	if se.ErrorCode() != "IllegalOperation" || se.HttpStatus() != 403 || se.RequestId() == "" {
		t.Fatalf("got %s %d %q", se.ErrorCode(), se.HttpStatus(), se.RequestId())
	}
}

func TestSDKAuthFailures(t *testing.T) {
	h := newHarness(t, nil)
	cases := []struct {
		name, id, secret, code string
		status                 int
	}{
		{"wrong secret", testKeyID, "not-the-secret", "SignatureDoesNotMatch", 400},
		{"unknown key", "LTAIunknown", testSecret, "InvalidAccessKeyId.NotFound", 404},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := sdkLiveClient(t, tc.id, tc.secret).SetLiveLazyPullStreamInfoConfig(sdkSet(h.ts.URL, "live.example.com", "live"))
			se := serverError(t, err)
			if se.ErrorCode() != tc.code || se.HttpStatus() != tc.status || se.RequestId() == "" {
				t.Fatalf("got %s %d %q", se.ErrorCode(), se.HttpStatus(), se.RequestId())
			}
			if tc.code == "SignatureDoesNotMatch" && !strings.Contains(se.Message(), "server string to sign is:POST&%2F&") {
				t.Fatalf("the mock must echo its string to sign as the service does, got %q", se.Message())
			}
		})
	}
	if len(h.mock.AllConfigs()) != 0 {
		t.Fatal("rejected requests changed state")
	}
	if h.mock.Rejected("SignatureDoesNotMatch") != 1 || h.mock.Rejected("InvalidAccessKeyId.NotFound") != 1 {
		t.Fatal("rejections not counted")
	}
}

func TestTamperedRequest(t *testing.T) {
	h := newHarness(t, nil)
	p := h.params(lazypull.ActionSet, setParams("live.example.com", "live", "o.example.net", "rtmp"))
	v := SignedValues(http.MethodPost, p, testSecret)
	v.Set("PullDomainName", "evil.example.net")
	req, _ := http.NewRequest(http.MethodPost, h.ts.URL+"/?"+v.Encode(), nil)
	h.expectError(h.do(req), 400, "SignatureDoesNotMatch")

	// Changing the method also breaks the signature.
	p = h.params(lazypull.ActionSet, setParams("live.example.com", "live", "o.example.net", "rtmp"))
	v = SignedValues(http.MethodPost, p, testSecret)
	req, _ = http.NewRequest(http.MethodGet, h.ts.URL+"/?"+v.Encode(), nil)
	h.expectError(h.do(req), 400, "SignatureDoesNotMatch")
	if len(h.mock.AllConfigs()) != 0 {
		t.Fatal("tampered request changed state")
	}
}

func TestGetAndFormBody(t *testing.T) {
	h := newHarness(t, nil)
	// GET with everything in the query.
	h.expectOK(h.send(http.MethodGet, h.params(lazypull.ActionSet, setParams("live.example.com", "g", "o.example.net", "rtmp")), testSecret))
	// POST with action params in the form body and common params in the query.
	all := h.params(lazypull.ActionSet, setParams("live.example.com", "f", "o.example.net", "hls"))
	sig := Sign(http.MethodPost, all, testSecret)
	q, form := url.Values{}, url.Values{}
	for k, v := range all {
		if k == "DomainName" || k == "AppName" || k == "PullDomainName" || k == "PullProtocol" {
			form.Set(k, v)
		} else {
			q.Set(k, v)
		}
	}
	q.Set("Signature", sig)
	req, _ := http.NewRequest(http.MethodPost, h.ts.URL+"/?"+q.Encode(), strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	h.expectOK(h.do(req))
	if _, ok := h.mock.Config("live.example.com", "f"); !ok {
		t.Fatal("form body config not stored")
	}
	if len(h.mock.Configs("live.example.com")) != 2 {
		t.Fatal("GET config not stored")
	}
}

func TestStringToSignMatchesKnownVector(t *testing.T) {
	// Hand-computed per the documented algorithm: RFC 3986 encoding with
	// space as %20, * as %2A and ~ kept, then the whole query encoded again.
	params := map[string]string{"b": "x y*~", "a": "1/2", "Signature": "ignored"}
	want := "GET&%2F&a%3D1%252F2%26b%3Dx%2520y%252A~"
	if got := StringToSign("GET", params); got != want {
		t.Fatalf("got  %s\nwant %s", got, want)
	}
	if Sign("GET", params, "s") == Sign("GET", params, "t") {
		t.Fatal("secret not used")
	}
}

func TestCommonParameterChecks(t *testing.T) {
	clock := newFakeClock()
	h := newHarness(t, clock)
	for _, name := range requiredCommonParams {
		t.Run("missing "+name, func(t *testing.T) {
			h.t = t
			p := h.params(lazypull.ActionDescribe, map[string]string{"DomainName": "live.example.com"})
			var a answer
			if name == "Signature" {
				v := url.Values{}
				for k, val := range p {
					v.Set(k, val)
				}
				req, _ := http.NewRequest(http.MethodPost, h.ts.URL+"/?"+v.Encode(), nil)
				a = h.do(req)
			} else {
				delete(p, name)
				a = h.send(http.MethodPost, p, testSecret)
			}
			h.expectError(a, 400, "MissingParameter")
			if !strings.Contains(a.Body["Message"].(string), `"`+name+`"`) {
				t.Fatalf("message does not name %s: %v", name, a.Body["Message"])
			}
		})
	}
	h.t = t

	t.Run("stale timestamp", func(t *testing.T) {
		h.t = t
		p := h.params(lazypull.ActionDescribe, map[string]string{"DomainName": "live.example.com"})
		p["Timestamp"] = clock.Now().Add(-16 * time.Minute).Format(timestampLayout)
		h.expectError(h.send(http.MethodPost, p, testSecret), 400, "InvalidTimeStamp.Expired")
		p = h.params(lazypull.ActionDescribe, map[string]string{"DomainName": "live.example.com"})
		p["Timestamp"] = clock.Now().Add(16 * time.Minute).Format(timestampLayout)
		h.expectError(h.send(http.MethodPost, p, testSecret), 400, "InvalidTimeStamp.Expired")
		p = h.params(lazypull.ActionDescribe, map[string]string{"DomainName": "live.example.com"})
		p["Timestamp"] = clock.Now().Format(time.RFC1123)
		h.expectError(h.send(http.MethodPost, p, testSecret), 400, "InvalidTimeStamp.Expired")
		p = h.params(lazypull.ActionDescribe, map[string]string{"DomainName": "live.example.com"})
		p["Timestamp"] = clock.Now().Add(-14 * time.Minute).Format(timestampLayout)
		h.expectOK(h.send(http.MethodPost, p, testSecret))
	})

	t.Run("nonce reuse", func(t *testing.T) {
		h.t = t
		p := h.params(lazypull.ActionDescribe, map[string]string{"DomainName": "live.example.com"})
		p["SignatureNonce"] = "fixed-nonce"
		h.expectOK(h.send(http.MethodPost, p, testSecret))
		h.expectError(h.send(http.MethodPost, p, testSecret), 400, "SignatureNonceUsed")
		// Still remembered 20 minutes later (with a fresh timestamp).
		clock.Advance(20 * time.Minute)
		p = h.params(lazypull.ActionDescribe, map[string]string{"DomainName": "live.example.com"})
		p["SignatureNonce"] = "fixed-nonce"
		h.expectError(h.send(http.MethodPost, p, testSecret), 400, "SignatureNonceUsed")
		// Pruned after the retention period; memory does not grow forever.
		clock.Advance(time.Hour)
		p = h.params(lazypull.ActionDescribe, map[string]string{"DomainName": "live.example.com"})
		p["SignatureNonce"] = "fixed-nonce"
		h.expectOK(h.send(http.MethodPost, p, testSecret))
		h.mock.mu.Lock()
		n := len(h.mock.nonces)
		h.mock.mu.Unlock()
		if n != 1 {
			t.Fatalf("nonce map holds %d entries, want 1", n)
		}
	})

	t.Run("signature method", func(t *testing.T) {
		h.t = t
		p := h.params(lazypull.ActionDescribe, map[string]string{"DomainName": "live.example.com"})
		p["SignatureMethod"] = "HMAC-SHA256"
		h.expectError(h.send(http.MethodPost, p, testSecret), 400, "InvalidSignatureMethod")
	})
}
