// Helpers of the package's tests: a fake clock, and a harness that runs the
// mock behind an httptest server and signs requests by hand.

package livemock

import (
	"encoding/json"
	"encoding/xml"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/alicloud-live/terraform-provider-alicloud/internal/lazypull"
)

const (
	testKeyID  = "LTAItestKey0001"
	testSecret = "testSecret0001"
	testRole   = "acs:ram::1234567890123456:role/tf-live"
)

type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func newFakeClock() *fakeClock {
	return &fakeClock{t: time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)}
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// harness bundles a mock, its test server and a hand-made signing client.
type harness struct {
	t     *testing.T
	mock  *Server
	ts    *httptest.Server
	now   func() time.Time
	nonce atomic.Int64
}

func newHarness(t *testing.T, clock *fakeClock, opts ...Option) *harness {
	t.Helper()
	now := time.Now
	if clock != nil {
		opts = append([]Option{WithClock(clock.Now)}, opts...)
		now = clock.Now
	}
	m := New(opts...)
	m.AddKeyPair(testKeyID, testSecret)
	m.AddLiveDomains("live.example.com", "demo.example.com")
	m.AddNonLiveDomains("cdn.example.com")
	m.AddRoles(testRole)
	ts := httptest.NewServer(m)
	t.Cleanup(ts.Close)
	return &harness{t: t, mock: m, ts: ts, now: now}
}

// params returns the common parameters of a JSON request for action.
func (h *harness) params(action string, extra map[string]string) map[string]string {
	version := lazypull.APIVersion
	if action == ActionAssumeRole {
		version = STSVersion
	}
	p := map[string]string{
		"Format":           "JSON",
		"Version":          version,
		"AccessKeyId":      testKeyID,
		"SignatureMethod":  "HMAC-SHA1",
		"SignatureVersion": "1.0",
		"SignatureType":    "",
		"SignatureNonce":   "nonce-" + strconv.FormatInt(h.nonce.Add(1), 10) + "-" + strconv.FormatInt(time.Now().UnixNano(), 10),
		"Timestamp":        h.now().UTC().Format(timestampLayout),
		"RegionId":         "cn-shanghai",
		"Action":           action,
	}
	for k, v := range extra {
		p[k] = v
	}
	return p
}

type answer struct {
	Status int
	Header http.Header
	Raw    string
	Body   map[string]any
}

func (a answer) code() string {
	c, _ := a.Body["Code"].(string)
	return c
}

// send signs params with secret (unless it already has a Signature) and
// sends them as a POST with the params in the query string.
func (h *harness) send(method string, params map[string]string, secret string) answer {
	h.t.Helper()
	var v url.Values
	if _, ok := params["Signature"]; ok {
		v = url.Values{}
		for k, val := range params {
			v.Set(k, val)
		}
	} else {
		v = SignedValues(method, params, secret)
	}
	req, err := http.NewRequest(method, h.ts.URL+"/?"+v.Encode(), nil)
	if err != nil {
		h.t.Fatal(err)
	}
	return h.do(req)
}

func (h *harness) do(req *http.Request) answer {
	h.t.Helper()
	resp, err := h.ts.Client().Do(req)
	if err != nil {
		h.t.Fatalf("request failed: %v", err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	a := answer{Status: resp.StatusCode, Header: resp.Header, Raw: string(raw)}
	if strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
		if err := json.Unmarshal(raw, &a.Body); err != nil {
			h.t.Fatalf("bad JSON %q: %v", raw, err)
		}
	}
	return a
}

// call sends a correctly signed JSON request with the test key.
func (h *harness) call(action string, extra map[string]string) answer {
	h.t.Helper()
	return h.send(http.MethodPost, h.params(action, extra), testSecret)
}

func (h *harness) expectError(a answer, status int, code string) {
	h.t.Helper()
	if a.Status != status || a.code() != code {
		h.t.Fatalf("got %d %q, want %d %q; body %s", a.Status, a.code(), status, code, a.Raw)
	}
	if a.Body["RequestId"] == "" || a.Body["HostId"] == nil || a.Body["Message"] == "" {
		h.t.Fatalf("incomplete error body %s", a.Raw)
	}
}

func (h *harness) expectOK(a answer) {
	h.t.Helper()
	if a.Status != http.StatusOK {
		h.t.Fatalf("got %d, want 200; body %s", a.Status, a.Raw)
	}
}

func setParams(domain, app, pullDomain, proto string) map[string]string {
	return map[string]string{"DomainName": domain, "AppName": app, "PullDomainName": pullDomain, "PullProtocol": proto}
}

// describeList extracts LiveLazyPullConfigList.LiveLazyPullConfig.
func describeList(t *testing.T, a answer) []map[string]any {
	t.Helper()
	list, ok := a.Body["LiveLazyPullConfigList"].(map[string]any)
	if !ok {
		t.Fatalf("no LiveLazyPullConfigList in %s", a.Raw)
	}
	arr, ok := list["LiveLazyPullConfig"].([]any)
	if !ok {
		t.Fatalf("LiveLazyPullConfig is not an array in %s", a.Raw)
	}
	out := make([]map[string]any, len(arr))
	for i, e := range arr {
		out[i] = e.(map[string]any)
	}
	return out
}

// xmlDoc is a generic decoded XML element.
type xmlDoc struct {
	XMLName  xml.Name
	Children []xmlDoc `xml:",any"`
	Text     string   `xml:",chardata"`
}

func (d xmlDoc) child(name string) (xmlDoc, bool) {
	for _, c := range d.Children {
		if c.XMLName.Local == name {
			return c, true
		}
	}
	return xmlDoc{}, false
}
