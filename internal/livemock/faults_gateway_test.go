// Tests of InjectGatewayError: the HTML answer of a load balancer in front
// of the API, which applies nothing.

package livemock

import (
	"strings"
	"testing"

	"github.com/alicloud-live/terraform-provider-alicloud/internal/lazypull"
)

func TestInjectGatewayError(t *testing.T) {
	h := newHarness(t, nil)
	cases := []struct{ inject, want int }{{403, 403}, {502, 502}, {503, 503}, {504, 504}, {500, 502}}
	for _, tc := range cases {
		h.mock.InjectGatewayError(lazypull.ActionSet, 1, tc.inject)
		a := h.call(lazypull.ActionSet, setParams("live.example.com", "a", "o.example.net", "rtmp"))
		if a.Status != tc.want {
			t.Fatalf("injected %d: answered %d, want %d", tc.inject, a.Status, tc.want)
		}
		if ct := a.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
			t.Fatalf("Content-Type %q, want text/html", ct)
		}
		title := "<title>" + a.Raw[strings.Index(a.Raw, "<title>")+len("<title>"):strings.Index(a.Raw, "</title>")] + "</title>"
		wantTitle := map[int]string{403: "<title>403 Forbidden</title>", 502: "<title>502 Bad Gateway</title>", 503: "<title>503 Service Unavailable</title>", 504: "<title>504 Gateway Timeout</title>"}[tc.want]
		if !strings.HasPrefix(a.Raw, "<html>") || title != wantTitle || strings.Contains(a.Raw, "RequestId") {
			t.Fatalf("body %q, want an HTML page titled %s", a.Raw, wantTitle)
		}
	}
	if _, ok := h.mock.Config("live.example.com", "a"); ok {
		t.Fatal("a request answered by the gateway was applied")
	}
	// The SDK reports it as an error.
	h.mock.InjectGatewayError(lazypull.ActionSet, 1, 502)
	if _, err := sdkLiveClient(t, testKeyID, testSecret).SetLiveLazyPullStreamInfoConfig(sdkSet(h.ts.URL, "live.example.com", "a")); err == nil {
		t.Fatal("the SDK took the gateway's page for a success")
	}
	if _, ok := h.mock.Config("live.example.com", "a"); ok {
		t.Fatal("a request answered by the gateway was applied")
	}
	h.expectOK(h.call(lazypull.ActionSet, setParams("live.example.com", "a", "o.example.net", "rtmp")))
	if h.mock.FaultsServed() != 6 || h.mock.PendingFaults(lazypull.ActionSet) != 0 {
		t.Fatalf("served %d, pending %d; want 6 and 0", h.mock.FaultsServed(), h.mock.PendingFaults(lazypull.ActionSet))
	}
}
