package liveapi

// The client against the mock: which failures are retried and how often,
// deadlines that bound retries, error texts without secrets, credentials
// resolved only when a call needs them, and the rate limit across calls.

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/alicloud-live/terraform-provider-alicloud/internal/lazypull"
	"github.com/alicloud-live/terraform-provider-alicloud/internal/livemock"
)

// Credentials and domains of the unit tests' mock account.
const (
	unitKey     = "LTAIunitKey00000001"
	unitSecret  = "unitSecret-never-printed-91b2"
	unitToken   = "CAISunit+Token/with=chars+that/get%encoded"
	unitDomain  = "live.example.com"
	unitDomain2 = "live2.example.com"
	unitCDN     = "cdn.example.com"
)

// staticSource is a CredentialSource of fixed credentials.
type staticSource struct{ c Credentials }

func (s staticSource) Credentials(context.Context) (Credentials, error) { return s.c, nil }
func (s staticSource) Describe() string                                 { return "the unit test's static credentials" }
func (s staticSource) Secrets() []string {
	return appendSecrets(nil, s.c.AccessKeySecret, s.c.SecurityToken)
}

// newUnitMock starts a mock Live API for one test. wrap, if not nil, wraps
// its handler.
func newUnitMock(t *testing.T, wrap func(http.Handler) http.Handler, opts ...livemock.Option) (*livemock.Server, string) {
	t.Helper()
	m := livemock.New(opts...)
	m.AddKeyPair(unitKey, unitSecret)
	m.AddLiveDomains(unitDomain, unitDomain2)
	m.AddNonLiveDomains(unitCDN)
	var h http.Handler = m
	if wrap != nil {
		h = wrap(h)
	}
	ts := httptest.NewServer(h)
	t.Cleanup(ts.Close)
	return m, ts.URL
}

// newUnitClient returns a client of the mock at url with fast backoff;
// adjust changes the options before the client is built.
func newUnitClient(t *testing.T, url string, adjust func(*Options)) *Client {
	t.Helper()
	opts := Options{
		Endpoint:    url,
		Credentials: staticSource{Credentials{AccessKeyID: unitKey, AccessKeySecret: unitSecret, SecurityToken: unitToken}},
		MaxRetries:  4,
		BaseDelay:   time.Millisecond,
		MaxDelay:    5 * time.Millisecond,
	}
	if adjust != nil {
		adjust(&opts)
	}
	c, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func unitConfig(domain, app string) lazypull.Config {
	return lazypull.Config{DomainName: domain, AppName: app, PullDomainName: "origin.example.net;203.0.113.10:1935", PullProtocol: "httpflv"}
}

// assertNoSecret fails when text carries a secret, raw or URL-encoded, or
// the SDK's raw dumps.
func assertNoSecret(t *testing.T, what, text string) {
	t.Helper()
	for _, s := range []string{unitSecret, unitToken, "CAISunit", "SecurityToken=", "RespHeaders", "SDK.ServerError", "string to sign"} {
		if strings.Contains(text, s) {
			t.Errorf("%s contains %q:\n%s", what, s, text)
		}
	}
	if strings.Contains(text, strings.NewReplacer("+", "%2B", "/", "%2F", "=", "%3D", "%", "%25").Replace(unitToken)) {
		t.Errorf("%s contains the URL-encoded security token:\n%s", what, text)
	}
}

// TestRetry_retryableFailuresAreRetried: throttling, 5xx answers, lost
// answers and read timeouts are retried, each costing exactly one more call,
// and the call then succeeds.
func TestRetry_retryableFailuresAreRetried(t *testing.T) {
	cases := []struct {
		name   string
		inject func(m *livemock.Server)
		faults int
		opts   func(*Options)
	}{
		{"Throttling.User", func(m *livemock.Server) { m.InjectThrottle(lazypull.ActionSet, 4) }, 4, nil},
		{"ServiceUnavailable 503", func(m *livemock.Server) { m.InjectServerError(lazypull.ActionSet, 2, 503) }, 2, nil},
		{"InternalError 500", func(m *livemock.Server) { m.InjectServerError(lazypull.ActionSet, 2, 500) }, 2, nil},
		{"InternalError 502", func(m *livemock.Server) { m.InjectServerError(lazypull.ActionSet, 1, 502) }, 1, nil},
		{"mixed", func(m *livemock.Server) {
			m.InjectThrottle(lazypull.ActionSet, 1)
			m.InjectServerError(lazypull.ActionSet, 1, 503)
			m.InjectDropAfterApply(lazypull.ActionSet, 1)
		}, 3, nil},
		{"answer lost after the write", func(m *livemock.Server) { m.InjectDropAfterApply(lazypull.ActionSet, 2) }, 2, nil},
		{"read timeout", func(m *livemock.Server) { m.InjectDelay(lazypull.ActionSet, 1, 30*time.Second) }, 1,
			func(o *Options) { o.ReadTimeout = time.Second }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			m, url := newUnitMock(t, nil)
			c := newUnitClient(t, url, tc.opts)
			tc.inject(m)
			if err := c.Set(context.Background(), unitConfig(unitDomain, "app")); err != nil {
				t.Fatalf("Set failed although every fault was retryable and within max_retries: %v", err)
			}
			if got, want := m.Calls(lazypull.ActionSet), tc.faults+1; got != want {
				t.Errorf("%d Set calls, want %d (one per fault plus the one that succeeded)", got, want)
			}
			if m.FaultsServed() != tc.faults || m.PendingFaults(lazypull.ActionSet) != 0 {
				t.Errorf("faults served %d, pending %d; want %d and 0", m.FaultsServed(), m.PendingFaults(lazypull.ActionSet), tc.faults)
			}
			if all := m.AllConfigs(); len(all) != 1 || all[0].AppName != "app" || all[0].PullProtocol != "httpflv" {
				t.Errorf("the mock holds %+v, want exactly the one configuration", all)
			}
		})
	}
}

// TestRetry_describeAndDeleteAreRetried: the same policy covers the other
// two actions.
func TestRetry_describeAndDeleteAreRetried(t *testing.T) {
	m, url := newUnitMock(t, nil)
	c := newUnitClient(t, url, nil)
	m.PutConfig(livemock.Config{DomainName: unitDomain, AppName: "app", PullDomainName: "o.example.net", PullProtocol: "rtmp", TranscodeLazy: "yes"})
	m.InjectThrottle(lazypull.ActionDescribe, 2)
	m.InjectServerError(lazypull.ActionDescribe, 1, 503)
	got, err := c.Get(context.Background(), unitDomain, "app")
	if err != nil || got == nil || got.PullProtocol != "rtmp" || !got.TranscodeLazy {
		t.Fatalf("Get = %+v, %v", got, err)
	}
	if n := m.Calls(lazypull.ActionDescribe); n != 4 {
		t.Errorf("%d Describe calls, want 4", n)
	}
	m.InjectDropAfterApply(lazypull.ActionDelete, 1)
	m.InjectThrottle(lazypull.ActionDelete, 1)
	if err := c.Delete(context.Background(), unitDomain, "app"); err != nil {
		t.Fatalf("Delete: %v", err)
	}
	if n := m.Calls(lazypull.ActionDelete); n != 3 {
		t.Errorf("%d Delete calls, want 3", n)
	}
	if len(m.AllConfigs()) != 0 {
		t.Errorf("configuration survived Delete: %+v", m.AllConfigs())
	}
}

// TestRetry_exhausted: a failure that persists is retried MaxRetries times
// and the error says how many attempts were made.
func TestRetry_exhausted(t *testing.T) {
	m, url := newUnitMock(t, nil)
	c := newUnitClient(t, url, func(o *Options) { o.MaxRetries = 2 })
	m.InjectServerError(lazypull.ActionSet, 1000, 500)
	err := c.Set(context.Background(), unitConfig(unitDomain, "app"))
	var apiErr *APIError
	if !errors.As(err, &apiErr) {
		t.Fatalf("got %T %v, want *APIError", err, err)
	}
	if m.Calls(lazypull.ActionSet) != 3 || apiErr.Attempts != 3 {
		t.Errorf("calls %d, Attempts %d; want 3 and 3", m.Calls(lazypull.ActionSet), apiErr.Attempts)
	}
	if !strings.Contains(err.Error(), "after 3 attempts") {
		t.Errorf("error does not count the attempts: %v", err)
	}
}

// TestRetry_disabled: MaxRetries -1 sends each call once.
func TestRetry_disabled(t *testing.T) {
	m, url := newUnitMock(t, nil)
	c := newUnitClient(t, url, func(o *Options) { o.MaxRetries = -1 })
	m.InjectThrottle(lazypull.ActionSet, 1)
	err := c.Set(context.Background(), unitConfig(unitDomain, "app"))
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.Code != "Throttling.User" || m.Calls(lazypull.ActionSet) != 1 {
		t.Fatalf("err %v, %d calls; want Throttling.User after 1 call", err, m.Calls(lazypull.ActionSet))
	}
	if strings.Contains(err.Error(), "attempts") {
		t.Errorf("a single attempt is reported as several: %v", err)
	}
}

// TestRetry_nonRetryableFailFast: errors the caller must fix fail at once,
// with exactly one call.
func TestRetry_nonRetryableFailFast(t *testing.T) {
	cases := []struct {
		name   string
		cfg    lazypull.Config
		secret string
		key    string
		code   string
		status int
	}{
		{"InvalidParameter", lazypull.Config{DomainName: unitDomain, AppName: "a", PullDomainName: "o.example.net", PullProtocol: "flv"}, "", "", "InvalidParameter", 400},
		{"MissingParameter", lazypull.Config{DomainName: unitDomain, AppName: "a", PullProtocol: "rtmp"}, "", "", "MissingParameter", 400},
		{"IllegalOperation", unitConfig(unitCDN, "a"), "", "", "IllegalOperation", 403},
		{"InvalidDomain.NotFound", unitConfig("nowhere.example.com", "a"), "", "", "InvalidDomain.NotFound", 404},
		{"SignatureDoesNotMatch", unitConfig(unitDomain, "a"), "wrong-secret-value-5521", "", "SignatureDoesNotMatch", 400},
		{"InvalidAccessKeyId.NotFound", unitConfig(unitDomain, "a"), "", "LTAIunknownKey000001", "InvalidAccessKeyId.NotFound", 404},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			m, url := newUnitMock(t, nil)
			c := newUnitClient(t, url, func(o *Options) {
				o.MaxRetries = 8
				cr := Credentials{AccessKeyID: unitKey, AccessKeySecret: unitSecret, SecurityToken: unitToken}
				if tc.secret != "" {
					cr.AccessKeySecret = tc.secret
				}
				if tc.key != "" {
					cr.AccessKeyID = tc.key
				}
				o.Credentials = staticSource{cr}
			})
			err := c.Set(context.Background(), tc.cfg)
			var apiErr *APIError
			if !errors.As(err, &apiErr) {
				t.Fatalf("got %T %v, want *APIError", err, err)
			}
			if apiErr.Code != tc.code || apiErr.HTTPStatus != tc.status {
				t.Errorf("got %s %d, want %s %d", apiErr.Code, apiErr.HTTPStatus, tc.code, tc.status)
			}
			if n := m.Calls(lazypull.ActionSet); n != 1 || apiErr.Attempts != 1 {
				t.Errorf("%d calls, Attempts %d; a non-retryable error must fail after exactly 1", n, apiErr.Attempts)
			}
			if apiErr.Hint == "" {
				t.Errorf("no hint for %s", tc.code)
			}
			assertNoSecret(t, "error", err.Error()+"\n"+apiErr.Detail())
			if tc.secret != "" && strings.Contains(err.Error()+apiErr.Detail(), tc.secret) {
				t.Errorf("the wrong secret is printed: %v", err)
			}
		})
	}
}

// TestRetry_operationDeadlineBoundsRetries: with retries to spare, the
// caller's deadline ends the retrying, and the error says why.
func TestRetry_operationDeadlineBoundsRetries(t *testing.T) {
	m, url := newUnitMock(t, nil)
	c := newUnitClient(t, url, func(o *Options) {
		o.MaxRetries = 50
		o.BaseDelay = 200 * time.Millisecond
		o.MaxDelay = time.Second
	})
	m.InjectServerError(lazypull.ActionSet, 1000, 500)
	ctx, cancel := context.WithTimeout(context.Background(), 1500*time.Millisecond)
	defer cancel()
	err := c.Set(ctx, unitConfig(unitDomain, "app"))
	// The last attempt is the InternalError, or (rarely) an attempt cut
	// short by the deadline itself.
	var apiErr *APIError
	var tErr *TransportError
	lastWasInternalError := errors.As(err, &apiErr) && apiErr.Code == "InternalError"
	lastWasCutShort := errors.As(err, &tErr) && errors.Is(err, context.DeadlineExceeded)
	if !lastWasInternalError && !lastWasCutShort {
		t.Fatalf("got %v, want the InternalError that was being retried", err)
	}
	if !strings.Contains(err.Error(), "gave up") {
		t.Errorf("the error does not say the deadline ended the retries: %v", err)
	}
	if n := m.Calls(lazypull.ActionSet); n >= 51 {
		t.Errorf("%d calls: the retries were not bounded by the deadline", n)
	}
}

// TestDelete_missingCountsAsDeleted: deleting what is not there succeeds, so
// a Delete retried after it succeeded succeeds; a domain that is not a Live
// domain is still an error.
func TestDelete_missingCountsAsDeleted(t *testing.T) {
	m, url := newUnitMock(t, nil)
	c := newUnitClient(t, url, nil)
	ctx := context.Background()
	if err := c.Delete(ctx, unitDomain, "never_created"); err != nil {
		t.Errorf("Delete of a missing configuration: %v", err)
	}
	if err := c.Delete(ctx, "gone.example.com", "app"); err != nil {
		t.Errorf("Delete on a domain that is not in the account: %v", err)
	}
	if n := m.Calls(lazypull.ActionDelete); n != 2 {
		t.Errorf("%d Delete calls, want 2 (no retries for these answers)", n)
	}
	if err := c.Delete(ctx, unitCDN, "app"); !errors.As(err, new(*APIError)) || !strings.Contains(err.Error(), "IllegalOperation") {
		t.Errorf("Delete on a non-Live domain: got %v, want IllegalOperation", err)
	}

	// ali_all_app removes every configuration of its domain only.
	for _, cfg := range []lazypull.Config{unitConfig(unitDomain, "a"), unitConfig(unitDomain, "b"), unitConfig(unitDomain2, "a")} {
		if err := c.Set(ctx, cfg); err != nil {
			t.Fatal(err)
		}
	}
	if err := c.Delete(ctx, unitDomain, lazypull.AllApps); err != nil {
		t.Fatal(err)
	}
	if all := m.AllConfigs(); len(all) != 1 || all[0].DomainName != unitDomain2 {
		t.Errorf("after deleting ali_all_app the mock holds %+v", all)
	}
}

var requestIDPattern = regexp.MustCompile(`RequestId [0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}`)

// TestAPIError_format: Error and Detail carry the action, code, message,
// RequestId, status and attempt count, and none of the SDK's raw dump or a
// secret.
func TestAPIError_format(t *testing.T) {
	m, url := newUnitMock(t, nil)
	c := newUnitClient(t, url, func(o *Options) { o.MaxRetries = 1 })
	m.InjectServerError(lazypull.ActionSet, 2, 500)
	err := c.Set(context.Background(), unitConfig(unitDomain, "app"))
	var apiErr *APIError
	if !errors.As(err, &apiErr) {
		t.Fatalf("got %T %v", err, err)
	}
	msg := err.Error()
	for _, want := range []string{lazypull.ActionSet + " failed: InternalError", "The request processing has failed due to some unknown error", "HTTP 500", "after 2 attempts", "contact Alibaba Cloud support with the RequestId"} {
		if !strings.Contains(msg, want) {
			t.Errorf("Error() lacks %q:\n%s", want, msg)
		}
	}
	if !requestIDPattern.MatchString(msg) {
		t.Errorf("Error() lacks the RequestId:\n%s", msg)
	}
	detail := apiErr.Detail()
	for _, re := range []string{`(?m)^Code:\s+InternalError$`, `(?m)^Message:\s+The request processing`, `(?m)^RequestId:\s+[0-9A-F-]{36}$`, `(?m)^HTTP:\s+500$`, `(?m)^Attempts:\s+2$`} {
		if !regexp.MustCompile(re).MatchString(detail) {
			t.Errorf("Detail() does not match %s:\n%s", re, detail)
		}
	}
	assertNoSecret(t, "Error()", msg)
	assertNoSecret(t, "Detail()", detail)
	if strings.Contains(msg+detail, "map[") || strings.Contains(msg+detail, "Content-Type") {
		t.Errorf("response headers leaked into the error:\n%s\n%s", msg, detail)
	}

	// The error's own rendering without status, RequestId or attempts.
	bare := (&APIError{Action: "X", Code: "C", Message: "m"}).Error()
	if bare != "X failed: C: m" {
		t.Errorf("bare APIError renders as %q", bare)
	}
}

// TestAPIError_forbiddenPageNamesRAMAction: an HTTP 403 whose body is an
// HTML page, not an API error, is not retried, counts as refused, and its
// hint names the RAM action as well as the proxy or firewall it may come from.
func TestAPIError_forbiddenPageNamesRAMAction(t *testing.T) {
	m, url := newUnitMock(t, nil)
	c := newUnitClient(t, url, func(o *Options) { o.MaxRetries = 3 })
	m.InjectGatewayError(lazypull.ActionSet, 10, http.StatusForbidden)
	err := c.Set(context.Background(), unitConfig(unitDomain, "app"))
	var apiErr *APIError
	if !errors.As(err, &apiErr) {
		t.Fatalf("got %T %v", err, err)
	}
	if apiErr.Code != "HTTP403" || apiErr.HTTPStatus != http.StatusForbidden || !Refused(err) {
		t.Errorf("code %q, status %d, refused %v; want HTTP403, 403, true", apiErr.Code, apiErr.HTTPStatus, Refused(err))
	}
	for _, want := range []string{"live:" + lazypull.ActionSet + " on acs:cdn:*:*:domain/" + unitDomain, "proxy or firewall"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("Error() lacks %q:\n%s", want, err)
		}
	}
	if n := m.Calls(lazypull.ActionSet); n != 1 {
		t.Errorf("%d Set calls, want 1: a refusal is not retried", n)
	}
}

// TestAPIError_signatureMismatchHidesStringToSign: the real service echoes
// its string to sign, which carries the security token; the error keeps
// only the first sentence and names where the credentials came from.
func TestAPIError_signatureMismatchHidesStringToSign(t *testing.T) {
	m, url := newUnitMock(t, nil)
	c := newUnitClient(t, url, func(o *Options) {
		o.Credentials = staticSource{Credentials{AccessKeyID: unitKey, AccessKeySecret: "wrong-secret-value-5521", SecurityToken: unitToken}}
	})
	err := c.Set(context.Background(), unitConfig(unitDomain, "app"))
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.Code != CodeSignatureMismatch {
		t.Fatalf("got %v", err)
	}
	if n := m.Rejected(CodeSignatureMismatch); n != 1 {
		t.Fatalf("the mock answered SignatureDoesNotMatch (which echoes the string to sign) %d times, want 1: the test proves nothing", n)
	}
	text := err.Error() + "\n" + apiErr.Detail()
	assertNoSecret(t, "SignatureDoesNotMatch error", text)
	if strings.Contains(text, "wrong-secret-value-5521") || strings.Contains(text, "POST&") {
		t.Errorf("the error carries the secret or the string to sign:\n%s", text)
	}
	if !strings.Contains(text, "Specified signature is not matched with our calculation.") || !strings.Contains(text, "the unit test's static credentials") {
		t.Errorf("the error lost its message or the credentials' origin:\n%s", text)
	}
}

// TestTransportError_noURL: a call that gets no answer names the endpoint
// but never the request URL, which carries the security token: neither for
// a refused connection nor for a timeout.
func TestTransportError_noURL(t *testing.T) {
	t.Run("connection refused", func(t *testing.T) {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		addr := l.Addr().String()
		l.Close()
		c := newUnitClient(t, "http://"+addr, func(o *Options) { o.MaxRetries = 1 })
		err = c.Set(context.Background(), unitConfig(unitDomain, "app"))
		var tErr *TransportError
		if !errors.As(err, &tErr) {
			t.Fatalf("got %T %v, want *TransportError", err, err)
		}
		if tErr.Attempts != 2 || !strings.Contains(err.Error(), addr) || !strings.Contains(err.Error(), "after 2 attempts") {
			t.Errorf("got %v (attempts %d), want the endpoint and 2 attempts", err, tErr.Attempts)
		}
		assertNoSecret(t, "transport error", err.Error())
		if strings.Contains(err.Error(), "Signature=") || strings.Contains(err.Error(), "?") {
			t.Errorf("the transport error carries the request URL: %v", err)
		}
	})
	t.Run("read timeout", func(t *testing.T) {
		m, url := newUnitMock(t, nil)
		c := newUnitClient(t, url, func(o *Options) {
			o.MaxRetries = -1
			o.ReadTimeout = 200 * time.Millisecond
		})
		m.InjectDelay(lazypull.ActionSet, 1, 30*time.Second)
		err := c.Set(context.Background(), unitConfig(unitDomain, "app"))
		var tErr *TransportError
		if !errors.As(err, &tErr) {
			t.Fatalf("got %T %v, want *TransportError", err, err)
		}
		assertNoSecret(t, "timeout error", err.Error())
		if strings.Contains(err.Error(), "Signature=") || strings.Contains(err.Error(), "AccessKeyId=") {
			t.Errorf("the timeout error carries the request URL: %v", err)
		}
	})
}

// TestCredentials_resolvedLazily: New makes no call and needs no
// credentials; the first call fails with a message naming where to set them.
func TestCredentials_resolvedLazily(t *testing.T) {
	m, url := newUnitMock(t, nil)
	c, err := New(Options{Endpoint: url})
	if err != nil {
		t.Fatal(err)
	}
	err = c.Set(context.Background(), unitConfig(unitDomain, "app"))
	if !errors.Is(err, ErrNoCredentials) {
		t.Fatalf("got %v, want ErrNoCredentials", err)
	}
	for _, want := range []string{"access_key", "secret_key", "ALICLOUD_ACCESS_KEY"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("the error does not name %s: %v", want, err)
		}
	}
	if m.TotalCalls() != 0 {
		t.Errorf("%d calls without credentials", m.TotalCalls())
	}
}

// TestSecurityTokenIsSent: the token really travels with each call (so the
// tests above that look for it in errors could find it).
func TestSecurityTokenIsSent(t *testing.T) {
	m, url := newUnitMock(t, nil)
	c := newUnitClient(t, url, nil)
	if err := c.Set(context.Background(), unitConfig(unitDomain, "app")); err != nil {
		t.Fatal(err)
	}
	reqs := m.Requests()
	if len(reqs) != 1 || reqs[0].Params["SecurityToken"] != unitToken {
		t.Fatalf("requests %+v do not carry the security token", reqs)
	}
	var buf bytes.Buffer
	buf.WriteString(c.redact("x " + unitToken + " y " + unitSecret))
	if got := buf.String(); got != "x *** y ***" {
		t.Errorf("redact = %q", got)
	}
}

// TestRateLimit_lateArrivalDoesNotOverrunQuota: a call that reaches the
// service late (here held 150 ms on the way) must not let the calls one
// window after it arrive within the same window as it, as the service counts.
func TestRateLimit_lateArrivalDoesNotOverrunQuota(t *testing.T) {
	const (
		limit  = 20
		window = 500 * time.Millisecond
	)
	arrived := make(chan struct{})
	var once sync.Once
	hold := func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Query().Get("AppName") == "late" {
				once.Do(func() { close(arrived) })
				time.Sleep(150 * time.Millisecond)
			}
			next.ServeHTTP(w, r)
		})
	}
	m, url := newUnitMock(t, hold)
	m.SetRateLimit(limit, window)
	c := newUnitClient(t, url, func(o *Options) {
		o.MaxRetries = -1
		o.RateLimit = limit
		o.RateWindow = window
	})
	ctx := context.Background()
	errs := make(chan error, 2*limit+1)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		errs <- c.Set(ctx, unitConfig(unitDomain, "late"))
	}()
	<-arrived // the late call holds the first place of the window
	for i := 0; i < 2*limit; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs <- c.Set(ctx, unitConfig(unitDomain, fmt.Sprintf("app%d", i)))
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	if r := m.Rejected("Throttling.User"); r != 0 {
		t.Errorf("the service rejected %d calls: the client's pacing let them in too early", r)
	}
	if n := len(m.AllConfigs()); n != 2*limit+1 {
		t.Errorf("%d configurations, want %d", n, 2*limit+1)
	}
}

// TestRefused: the codes that say the service did nothing, and the ones
// that leave it open.
func TestRefused(t *testing.T) {
	for code, want := range map[string]bool{
		"Forbidden.RAM": true, "NoPermission": true, "IllegalOperation": true, "SignatureDoesNotMatch": true,
		"InvalidAccessKeyId.NotFound": true, "InvalidSecurityToken.Expired": true, "Throttling.User": true, "InvalidParameter": true,
		"InternalError": false, "ServiceUnavailable": false, "InvalidLazyPullConfig.NotFound": false, "HTTP502": false,
	} {
		if got := Refused(&APIError{Code: code}); got != want {
			t.Errorf("Refused(%s) = %v, want %v", code, got, want)
		}
	}
	// A page without a code: 403 is a refusal, 502 leaves it open.
	if !Refused(&APIError{Code: "HTTP403", HTTPStatus: 403}) || Refused(&APIError{Code: "HTTP502", HTTPStatus: 502}) {
		t.Error("an HTML 403 refuses the request; an HTML 502 leaves open what the service did")
	}
	if Refused(&TransportError{Err: errors.New("connection reset")}) {
		t.Error("a lost answer leaves open what the service did")
	}
}
