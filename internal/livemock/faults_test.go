// Tests of the queued faults (throttling, 5xx errors, dropped connections,
// delays before the write), the latency and the sliding-window rate limit.

package livemock

import (
	"errors"
	"net"
	"net/http"
	"testing"
	"time"

	sdkerrors "github.com/aliyun/alibaba-cloud-sdk-go/sdk/errors"

	"github.com/alicloud-live/terraform-provider-alicloud/internal/lazypull"
)

func TestInjectThrottle(t *testing.T) {
	h := newHarness(t, nil)
	c := sdkLiveClient(t, testKeyID, testSecret)
	h.mock.InjectThrottle(lazypull.ActionSet, 2)

	// A request failing the signature check does not consume a fault.
	_, err := sdkLiveClient(t, testKeyID, "wrong").SetLiveLazyPullStreamInfoConfig(sdkSet(h.ts.URL, "live.example.com", "a"))
	if se := serverError(t, err); se.ErrorCode() != "SignatureDoesNotMatch" {
		t.Fatalf("got %s", se.ErrorCode())
	}
	// Faults are per action.
	h.expectOK(h.call(lazypull.ActionDescribe, map[string]string{"DomainName": "live.example.com"}))

	for i := 0; i < 2; i++ {
		_, err := c.SetLiveLazyPullStreamInfoConfig(sdkSet(h.ts.URL, "live.example.com", "a"))
		se := serverError(t, err)
		if se.ErrorCode() != "Throttling.User" || se.HttpStatus() != 400 || se.Message() != "Request was denied due to user flow control." {
			t.Fatalf("attempt %d: %s %d %q", i, se.ErrorCode(), se.HttpStatus(), se.Message())
		}
	}
	if _, ok := h.mock.Config("live.example.com", "a"); ok {
		t.Fatal("throttled request applied")
	}
	if _, err := c.SetLiveLazyPullStreamInfoConfig(sdkSet(h.ts.URL, "live.example.com", "a")); err != nil {
		t.Fatalf("third attempt: %v", err)
	}
	if h.mock.FaultsServed() != 2 || h.mock.Calls(lazypull.ActionSet) != 4 || h.mock.Rejected("Throttling.User") != 2 || h.mock.PendingFaults(lazypull.ActionSet) != 0 {
		t.Fatalf("served %d calls %d rejected %d", h.mock.FaultsServed(), h.mock.Calls(lazypull.ActionSet), h.mock.Rejected("Throttling.User"))
	}
}

func TestInjectServerError(t *testing.T) {
	h := newHarness(t, nil)
	c := sdkLiveClient(t, testKeyID, testSecret)
	cases := []struct {
		status int
		code   string
	}{{500, "InternalError"}, {503, "ServiceUnavailable"}, {502, "InternalError"}}
	for _, tc := range cases {
		h.mock.InjectServerError(lazypull.ActionSet, 1, tc.status)
		_, err := c.SetLiveLazyPullStreamInfoConfig(sdkSet(h.ts.URL, "live.example.com", "a"))
		se := serverError(t, err)
		if se.ErrorCode() != tc.code || se.HttpStatus() != tc.status || se.RequestId() == "" {
			t.Fatalf("got %s %d, want %s %d", se.ErrorCode(), se.HttpStatus(), tc.code, tc.status)
		}
	}
	if _, ok := h.mock.Config("live.example.com", "a"); ok {
		t.Fatal("failed request applied")
	}
	h.mock.InjectServerError(lazypull.ActionSet, 5, 500)
	h.mock.ClearFaults()
	if _, err := c.SetLiveLazyPullStreamInfoConfig(sdkSet(h.ts.URL, "live.example.com", "a")); err != nil {
		t.Fatalf("after ClearFaults: %v", err)
	}
	if h.mock.FaultsServed() != 3 {
		t.Fatalf("served %d", h.mock.FaultsServed())
	}
}

func TestInjectDropAfterApply(t *testing.T) {
	h := newHarness(t, nil)
	c := sdkLiveClient(t, testKeyID, testSecret)
	h.mock.InjectDropAfterApply(lazypull.ActionSet, 1)
	_, err := c.SetLiveLazyPullStreamInfoConfig(sdkSet(h.ts.URL, "live.example.com", "dropped"))
	if err == nil {
		t.Fatal("want a transport error")
	}
	var se *sdkerrors.ServerError
	if errors.As(err, &se) {
		t.Fatalf("want a transport error, got server error %v", se)
	}
	if _, ok := h.mock.Config("live.example.com", "dropped"); !ok {
		t.Fatal("effect not applied before the drop")
	}
	reqs := h.mock.Requests()
	if len(reqs) != 1 || reqs[0].Status != 0 || h.mock.FaultsServed() != 1 {
		t.Fatalf("requests %+v", reqs)
	}
	// The next call works normally.
	if _, err := c.SetLiveLazyPullStreamInfoConfig(sdkSet(h.ts.URL, "live.example.com", "next")); err != nil {
		t.Fatal(err)
	}
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

// waitFor polls cond for up to 5s (used only to observe the server side
// finishing after the client already gave up).
func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("condition not reached")
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func TestInjectDelay(t *testing.T) {
	h := newHarness(t, nil)
	h.mock.InjectDelay(lazypull.ActionSet, 1, time.Minute)
	p := h.params(lazypull.ActionSet, setParams("live.example.com", "slow", "o.example.net", "rtmp"))
	v := SignedValues(http.MethodPost, p, testSecret)
	client := &http.Client{Timeout: 100 * time.Millisecond}
	start := time.Now()
	resp, err := client.Post(h.ts.URL+"/?"+v.Encode(), "application/x-www-form-urlencoded", nil)
	if err == nil {
		_ = resp.Body.Close()
	}
	if !isTimeout(err) {
		t.Fatalf("want timeout, got %v", err)
	}
	// The server stops waiting once the client is gone and applies nothing.
	waitFor(t, func() bool { r := h.mock.Requests(); return len(r) == 1 && r[0].Status == 499 })
	if time.Since(start) > 30*time.Second {
		t.Fatal("server did not notice the client going away")
	}
	if _, ok := h.mock.Config("live.example.com", "slow"); ok {
		t.Fatal("abandoned request applied")
	}

	// A short delay is served, then the request is handled normally.
	h.mock.InjectDelay(lazypull.ActionSet, 1, 20*time.Millisecond)
	start = time.Now()
	h.expectOK(h.call(lazypull.ActionSet, setParams("live.example.com", "slow", "o.example.net", "rtmp")))
	if time.Since(start) < 20*time.Millisecond {
		t.Fatal("delay not applied")
	}
	if h.mock.FaultsServed() != 2 {
		t.Fatalf("served %d", h.mock.FaultsServed())
	}
}

func TestLatency(t *testing.T) {
	h := newHarness(t, nil)
	h.mock.SetLatency(30 * time.Millisecond)
	start := time.Now()
	h.expectOK(h.call(lazypull.ActionDescribe, map[string]string{"DomainName": "live.example.com"}))
	if time.Since(start) < 30*time.Millisecond {
		t.Fatal("latency not applied")
	}
	h.mock.SetLatency(time.Minute)
	p := h.params(lazypull.ActionDescribe, map[string]string{"DomainName": "live.example.com"})
	v := SignedValues(http.MethodGet, p, testSecret)
	client := &http.Client{Timeout: 50 * time.Millisecond}
	resp, err := client.Get(h.ts.URL + "/?" + v.Encode())
	if err == nil {
		_ = resp.Body.Close()
	}
	if !isTimeout(err) {
		t.Fatalf("want timeout, got %v", err)
	}
}

func TestRateLimitSlidingWindow(t *testing.T) {
	clock := newFakeClock()
	h := newHarness(t, clock)
	h.mock.SetRateLimit(3, time.Minute)
	h.mock.AddKeyPair("LTAIother", "otherSecret")
	describe := map[string]string{"DomainName": "live.example.com"}

	h.expectOK(h.call(lazypull.ActionDescribe, describe)) // t=0
	clock.Advance(20 * time.Second)
	h.expectOK(h.call(lazypull.ActionDescribe, describe)) // t=20
	h.expectOK(h.call(lazypull.ActionDescribe, describe)) // t=20
	a := h.call(lazypull.ActionDescribe, describe)
	h.expectError(a, 400, "Throttling.User")

	// Other actions and other keys have their own windows.
	h.expectOK(h.call(lazypull.ActionSet, setParams("live.example.com", "a", "o.example.net", "rtmp")))
	p := h.params(lazypull.ActionDescribe, describe)
	p["AccessKeyId"] = "LTAIother"
	h.expectOK(h.send(http.MethodPost, p, "otherSecret"))

	// Rejected calls do not extend the window: at t=60.001 the first call left it.
	clock.Advance(30 * time.Second) // t=50
	h.expectError(h.call(lazypull.ActionDescribe, describe), 400, "Throttling.User")
	clock.Advance(10*time.Second + time.Millisecond) // t=60.001
	h.expectOK(h.call(lazypull.ActionDescribe, describe))
	h.expectError(h.call(lazypull.ActionDescribe, describe), 400, "Throttling.User")
	clock.Advance(20 * time.Second) // t=80.001: both t=20 calls left
	h.expectOK(h.call(lazypull.ActionDescribe, describe))
	h.expectOK(h.call(lazypull.ActionDescribe, describe))
	h.expectError(h.call(lazypull.ActionDescribe, describe), 400, "Throttling.User")

	if h.mock.Rejected("Throttling.User") != 4 || h.mock.FaultsServed() != 0 {
		t.Fatalf("rejected %d", h.mock.Rejected("Throttling.User"))
	}
}

func TestDefaultRateLimit(t *testing.T) {
	clock := newFakeClock()
	m := New(WithClock(clock.Now))
	for i := 0; i < defaultRateLimit; i++ {
		if !m.allowLocked("k", lazypull.ActionSet, clock.Now()) {
			t.Fatalf("call %d rejected", i)
		}
	}
	if m.allowLocked("k", lazypull.ActionSet, clock.Now()) {
		t.Fatal("call past the default limit accepted")
	}
	clock.Advance(time.Minute + time.Nanosecond)
	if !m.allowLocked("k", lazypull.ActionSet, clock.Now()) {
		t.Fatal("window did not slide")
	}
}
