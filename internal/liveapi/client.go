// Package liveapi calls the ApsaraVideo Live API through the Alibaba Cloud
// Go SDK, with the policies a Terraform run needs around every call: one
// retry policy, a client-side rate limit shared by the whole process,
// per-domain read snapshots, structured logs and errors without secrets.
package liveapi

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"sync"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/auth"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/auth/credentials"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/responses"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/live"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/alicloud-live/terraform-provider-alicloud/internal/ratelimit"
	_ "github.com/alicloud-live/terraform-provider-alicloud/internal/sdkquiet" // must initialize before the SDK
)

// DefaultEndpoint is the Live API's endpoint in every region.
const DefaultEndpoint = "https://live.aliyuncs.com"

// DefaultRegion is the region requests are signed for when none is
// configured anywhere.
const DefaultRegion = "cn-shanghai"

// Defaults of Options.
const (
	DefaultMaxRetries     = 8
	DefaultReadTimeout    = 30 * time.Second
	DefaultConnectTimeout = 10 * time.Second
	DefaultSnapshotTTL    = 15 * time.Second
	DefaultFreshGather    = 25 * time.Millisecond
	DefaultBaseDelay      = 250 * time.Millisecond
	DefaultMaxDelay       = 8 * time.Second
)

// Credentials is an access key pair, with a security token for temporary
// (STS) credentials.
type Credentials struct {
	AccessKeyID     string
	AccessKeySecret string
	SecurityToken   string
	// Expires is when temporary credentials stop working; zero for
	// long-term keys. The client asks its source again before then.
	Expires time.Time
}

// refreshBefore is how long before Expires temporary credentials are
// replaced.
const refreshBefore = 5 * time.Minute

// CredentialSource yields the credentials to sign with. It is asked only when
// a call is about to be made, so that validation and planning need none.
type CredentialSource interface {
	Credentials(ctx context.Context) (Credentials, error)
	// Describe names where the credentials come from (an attribute, an
	// environment variable, a profile), never their values.
	Describe() string
	// Secrets lists every secret value the source knows, to be masked
	// wherever the client writes text.
	Secrets() []string
}

// Options configures a Client. Zero values take the defaults above.
type Options struct {
	Endpoint       string // scheme://host[:port]; no scheme means https
	Region         string
	Credentials    CredentialSource
	MaxRetries     int // retries after the first attempt; -1 for none
	ReadTimeout    time.Duration
	ConnectTimeout time.Duration
	RateLimit      int           // calls per RateWindow per action; 0 for the documented quota
	RateWindow     time.Duration // default one minute
	SnapshotTTL    time.Duration // -1 disables read snapshots
	// FreshGather is how long a read that must follow writes waits for
	// other such reads to share its Describe; -1 for none.
	FreshGather time.Duration
	BaseDelay   time.Duration // first retry backoff ceiling
	MaxDelay    time.Duration // backoff cap
	// Transport carries the HTTP requests; tests may replace it.
	Transport http.RoundTripper
	// Proxy chooses the proxy of each request of the default transport;
	// nil for http.ProxyFromEnvironment, which reads the environment once
	// per process.
	Proxy func(*http.Request) (*url.URL, error)
}

// Client calls the Live API. It is safe for concurrent use.
type Client struct {
	opts      Options
	endpoint  *url.URL
	transport http.RoundTripper
	limits    *ratelimit.Set
	snapshots *snapshots

	credMu  sync.Mutex
	creds   *Credentials
	secrets []string
}

// ParseEndpoint reads an endpoint as the provider accepts it: a URL with an
// http or https scheme, or a bare host[:port] meaning https.
func ParseEndpoint(s string) (*url.URL, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		s = DefaultEndpoint
	}
	if !strings.Contains(s, "://") {
		s = "https://" + s
	}
	u, err := url.Parse(s)
	if err != nil {
		return nil, fmt.Errorf("endpoint %q is not a URL: %w", s, err)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return nil, fmt.Errorf("endpoint %q: the scheme must be http or https, not %q", s, u.Scheme)
	}
	if u.Host == "" || (u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.User != nil {
		return nil, fmt.Errorf("endpoint %q: give only a scheme, a host and an optional port, like https://live.aliyuncs.com or http://127.0.0.1:8080", s)
	}
	return u, nil
}

// New returns a Client. It makes no call and needs no credentials yet.
func New(opts Options) (*Client, error) {
	u, err := ParseEndpoint(opts.Endpoint)
	if err != nil {
		return nil, err
	}
	if opts.MaxRetries == 0 {
		opts.MaxRetries = DefaultMaxRetries
	} else if opts.MaxRetries < 0 {
		opts.MaxRetries = 0
	}
	if opts.ReadTimeout <= 0 {
		opts.ReadTimeout = DefaultReadTimeout
	}
	if opts.ConnectTimeout <= 0 {
		opts.ConnectTimeout = DefaultConnectTimeout
	}
	if opts.RateLimit <= 0 {
		opts.RateLimit = ratelimit.DefaultPerMinute
	}
	if opts.RateWindow <= 0 {
		opts.RateWindow = time.Minute
	}
	if opts.SnapshotTTL == 0 {
		opts.SnapshotTTL = DefaultSnapshotTTL
	}
	if opts.FreshGather == 0 {
		opts.FreshGather = DefaultFreshGather
	} else if opts.FreshGather < 0 {
		opts.FreshGather = 0
	}
	if opts.BaseDelay <= 0 {
		opts.BaseDelay = DefaultBaseDelay
	}
	if opts.MaxDelay <= 0 {
		opts.MaxDelay = DefaultMaxDelay
	}
	if opts.Region == "" {
		opts.Region = DefaultRegion
	}
	c := &Client{opts: opts, endpoint: u, snapshots: newSnapshots(opts.SnapshotTTL, opts.BaseDelay)}
	c.transport = opts.Transport
	if c.transport == nil {
		proxy := opts.Proxy
		if proxy == nil {
			proxy = http.ProxyFromEnvironment
		}
		c.transport = &http.Transport{
			Proxy:               proxy,
			DialContext:         (&net.Dialer{Timeout: opts.ConnectTimeout, KeepAlive: 30 * time.Second}).DialContext,
			MaxIdleConns:        128,
			MaxIdleConnsPerHost: 64,
			IdleConnTimeout:     90 * time.Second,
			TLSHandshakeTimeout: opts.ConnectTimeout,
		}
	}
	return c, nil
}

// Endpoint returns the endpoint calls go to.
func (c *Client) Endpoint() string { return c.endpoint.String() }

func (c *Client) credentialSource() string {
	if c.opts.Credentials == nil {
		return "nowhere (no credentials are configured)"
	}
	return c.opts.Credentials.Describe()
}

// credentials resolves the credentials once, and returns them with every
// secret to mask; a failure is not remembered, so that a later call may
// succeed.
func (c *Client) credentials(ctx context.Context) (Credentials, []string, error) {
	c.credMu.Lock()
	defer c.credMu.Unlock()
	if c.creds != nil && (c.creds.Expires.IsZero() || time.Until(c.creds.Expires) > refreshBefore) {
		return *c.creds, c.secrets, nil
	}
	if c.opts.Credentials == nil {
		return Credentials{}, nil, ErrNoCredentials
	}
	cr, err := c.opts.Credentials.Credentials(ctx)
	// Whatever the source learned, even on failure, is masked from now on.
	c.secrets = appendSecrets(c.opts.Credentials.Secrets(), cr.AccessKeySecret, cr.SecurityToken)
	if err != nil {
		return Credentials{}, nil, fmt.Errorf("%s", c.redactLocked(err.Error()))
	}
	c.creds = &cr
	// The rate limit belongs to the account; the first access key ID stands
	// for it, and refreshed temporary keys keep the same limiter.
	if c.limits == nil {
		c.limits = ratelimit.Shared(c.endpoint.Host+"|"+cr.AccessKeyID, c.opts.RateLimit, c.opts.RateWindow)
	}
	return cr, c.secrets, nil
}

// CheckCredentials resolves the credentials as the first call would, and
// returns why there are none usable. With a role to assume, it calls STS.
func (c *Client) CheckCredentials(ctx context.Context) error {
	_, _, err := c.credentials(ctx)
	return err
}

// ErrNoCredentials is returned by every call when no credentials are
// configured anywhere.
var ErrNoCredentials = fmt.Errorf("no Alibaba Cloud credentials: set access_key and secret_key in the provider block, " +
	"or the environment variables ALICLOUD_ACCESS_KEY and ALICLOUD_SECRET_KEY (or ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET), " +
	"or a profile, or an assume_role block")

func appendSecrets(list []string, more ...string) []string {
	for _, s := range more {
		if s != "" {
			list = append(list, s)
		}
	}
	return list
}

func (c *Client) redact(s string) string {
	c.credMu.Lock()
	defer c.credMu.Unlock()
	return c.redactLocked(s)
}

// redactLocked masks every secret the last credential resolution knew of;
// it is called only after one.
func (c *Client) redactLocked(s string) string {
	return Redact(s, c.secrets)
}

// Redact masks each secret in s as "***", as it is and URL-encoded (as in a
// query or a string to sign). Secrets shorter than 4 characters are left:
// masking them would mask ordinary words.
func Redact(s string, secrets []string) string {
	for _, secret := range secrets {
		if len(secret) >= 4 {
			s = strings.ReplaceAll(s, secret, "***")
			s = strings.ReplaceAll(s, url.QueryEscape(secret), "***")
		}
	}
	return s
}

// ctxTransport binds one attempt's context to the SDK's HTTP requests, which
// the SDK builds without one.
type ctxTransport struct {
	ctx  context.Context
	base http.RoundTripper
}

func (t ctxTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	return t.base.RoundTrip(r.WithContext(t.ctx))
}

// sdkClient builds an SDK client for one attempt. SDK clients keep
// per-call timeouts in shared fields, so one client per attempt keeps
// concurrent calls apart; the connection pool underneath is shared.
//
// The SDK's own retry stays off: it retries only transport errors and 5xx,
// not throttling, and would stack its attempts under this package's policy,
// whose attempts and waits are bounded by the caller's context.
func (c *Client) sdkClient(ctx context.Context, cr Credentials) (*live.Client, error) {
	config := sdk.NewConfig().WithAutoRetry(false).WithMaxRetryTime(0)
	config.Transport = ctxTransport{ctx: ctx, base: c.transport}
	config.Scheme = strings.ToUpper(c.endpoint.Scheme)
	var credential auth.Credential
	if cr.SecurityToken != "" {
		credential = credentials.NewStsTokenCredential(cr.AccessKeyID, cr.AccessKeySecret, cr.SecurityToken)
	} else {
		credential = credentials.NewAccessKeyCredential(cr.AccessKeyID, cr.AccessKeySecret)
	}
	return live.NewClientWithOptions(c.opts.Region, config, credential)
}

// call is what every action goes through: credentials, rate limit, retry
// policy, logging and error classification.
func (c *Client) call(ctx context.Context, action, domain, app string, req requests.AcsRequest, newResp func() responses.AcsResponse) (responses.AcsResponse, error) {
	cr, secrets, err := c.credentials(ctx)
	if err != nil {
		return nil, err
	}
	ctx = tflog.MaskAllFieldValuesStrings(ctx, secrets...)
	ctx = tflog.MaskMessageStrings(ctx, secrets...)

	req.SetDomain(c.endpoint.Host)
	req.SetScheme(strings.ToUpper(c.endpoint.Scheme))
	req.SetConnectTimeout(c.opts.ConnectTimeout)

	for attempt := 1; ; attempt++ {
		ticket, waited, err := c.limits.For(action).Wait(ctx)
		if err != nil {
			ticket.Done()
			return nil, &TransportError{Action: action, Endpoint: c.endpoint.Host, Attempts: attempt - 1, Err: fmt.Errorf("waiting for the rate limit: %w", err)}
		}
		start := time.Now()
		resp, err := c.attempt(ctx, cr, req, newResp)
		ticket.Done()
		if err != nil {
			err = c.classify(action, domain, err)
		}
		c.logAttempt(ctx, action, domain, app, attempt, waited, time.Since(start), resp, err)
		if err == nil {
			return resp, nil
		}
		setAttempts(err, attempt)
		if !retryable(err) || attempt > c.opts.MaxRetries {
			return nil, err
		}
		delay := c.backoff(attempt)
		if deadline, ok := ctx.Deadline(); ok && time.Until(deadline) < delay {
			return nil, &GaveUpError{Last: err, Reason: "the operation's timeout leaves no time for another attempt"}
		}
		if cerr := sleep(ctx, delay); cerr != nil {
			return nil, &GaveUpError{Last: err, Reason: cerr.Error(), Cause: cerr}
		}
	}
}

// sleep waits d, or until ctx ends; it returns ctx.Err() when ctx ended
// first.
func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (c *Client) attempt(ctx context.Context, cr Credentials, req requests.AcsRequest, newResp func() responses.AcsResponse) (responses.AcsResponse, error) {
	timeout := c.opts.ReadTimeout
	if deadline, ok := ctx.Deadline(); ok && time.Until(deadline) < timeout {
		timeout = time.Until(deadline)
	}
	if timeout <= 0 {
		return nil, context.DeadlineExceeded
	}
	attemptCtx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	client, err := c.sdkClient(attemptCtx, cr)
	if err != nil {
		return nil, err
	}
	req.SetReadTimeout(timeout)
	resp := newResp()
	if err := client.DoAction(req, resp); err != nil {
		return nil, err
	}
	return resp, nil
}

// backoff is exponential with full jitter: a uniform wait between zero and
// min(MaxDelay, BaseDelay * 2^(attempt-1)), so that many clients throttled
// together do not retry together.
func (c *Client) backoff(attempt int) time.Duration {
	ceiling := c.opts.BaseDelay << min(attempt-1, 20)
	if ceiling > c.opts.MaxDelay || ceiling <= 0 {
		ceiling = c.opts.MaxDelay
	}
	return time.Duration(rand.Int64N(int64(ceiling) + 1))
}

func setAttempts(err error, n int) {
	var apiErr *APIError
	var tErr *TransportError
	switch {
	case errors.As(err, &apiErr):
		apiErr.Attempts = n
	case errors.As(err, &tErr):
		tErr.Attempts = n
	}
}

func (c *Client) logAttempt(ctx context.Context, action, domain, app string, attempt int, waited, took time.Duration, resp responses.AcsResponse, err error) {
	fields := map[string]any{
		"action":      action,
		"domain":      domain,
		"attempt":     attempt,
		"duration_ms": took.Milliseconds(),
	}
	if app != "" {
		fields["app"] = app
	}
	if waited > 0 {
		fields["rate_limit_wait_ms"] = waited.Milliseconds()
	}
	if err == nil {
		fields["request_id"] = requestID(resp)
		tflog.Debug(ctx, "Live API call succeeded", fields)
		return
	}
	var apiErr *APIError
	if errors.As(err, &apiErr) {
		fields["request_id"] = apiErr.RequestID
		fields["code"] = apiErr.Code
		fields["http_status"] = apiErr.HTTPStatus
	} else {
		fields["error"] = err.Error()
	}
	tflog.Warn(ctx, "Live API call failed", fields)
}

// requestID reads the RequestId field every SDK response struct has.
func requestID(resp responses.AcsResponse) string {
	v := reflect.ValueOf(resp)
	if v.Kind() == reflect.Pointer {
		v = v.Elem()
	}
	if v.Kind() != reflect.Struct {
		return ""
	}
	if f := v.FieldByName("RequestId"); f.IsValid() && f.Kind() == reflect.String {
		return f.String()
	}
	return ""
}
