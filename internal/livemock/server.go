// Package livemock is a stateful, in-memory mock of the Alibaba Cloud
// ApsaraVideo Live RPC API (lazy-pull stream configuration actions) plus
// STS AssumeRole and AssumeRoleWithOIDC. A *Server is a plain http.Handler:
// wrap it with httptest.NewServer in tests (httptest.NewTLSServer for STS,
// which clients call over https only), or run cmd/livemock standalone. An
// Issuer stands in for the ECS metadata service and credential URIs.
//
// Requests are verified like the real service: common parameters, access
// key, RPC signature v1.0 (HMAC-SHA1), security token of STS credentials,
// timestamp skew, nonce reuse, API version; then RAM denials (DenyAction),
// the per-key per-action rate limit, queued faults, and the action itself.
//
// What Alibaba Cloud documents, the mock always does: Set is an upsert keyed
// by (DomainName, AppName); Describe answers PullProtocol in display form
// (RTMP, HTTP-FLV, HLS) and a missing configuration as an empty list;
// Delete of AppName ali_all_app removes every configuration of the domain;
// the documented error codes and the limit of 1000 calls per minute per
// action.
//
// Where the reference is silent, the mock guesses, and a Behavior (see
// WithBehavior and Variants) selects each plausible answer:
//
//   - OmittedParams: does a Set keep or clear an optional parameter
//     (PullAppName, TranscodeLazy, PullArgs) it does not carry? Default:
//     clear.
//   - DeleteMissing: does Delete of a configuration that does not exist
//     succeed or fail, and with which code? Default: succeed.
//   - ListOrder: in which order does Describe list a domain's
//     configurations? Default: sorted by AppName.
//   - DescribeLag: does Describe show a write at once? Default: yes.
//   - StoredForm: does Describe return values as they were sent, or host
//     names in lower case, or only the first origin? Default: as sent.
//
// The answers of the network and of RAM around the API are faults that a
// test injects: InjectGatewayError (an HTML 403/502/503/504 from a load
// balancer or firewall), DenyAction (HTTP 403 Forbidden.RAM or NoPermission), and the
// throttling, 5xx, delay and dropped-connection faults.
//
// The mock logs nothing.
package livemock

import (
	"context"
	"encoding/xml"
	"maps"
	"net/http"
	"sync"
	"time"

	"github.com/alicloud-live/terraform-provider-alicloud/internal/lazypull"
)

// Demo credentials and domains used by the standalone binary (and by New
// when no key pair is given).
const (
	DemoAccessKeyID     = "LTAIdemoAccessKey0001"
	DemoAccessKeySecret = "demoSecretKeyDoNotUseInProduction00"
	DemoRoleArn         = "acs:ram::1234567890123456:role/livemock-demo"
)

// DemoLiveDomains and DemoNonLiveDomains are the domains of the demo account.
var (
	DemoLiveDomains    = []string{"live.example.com", "demo.example.com"}
	DemoNonLiveDomains = []string{"cdn.example.com"}
)

const (
	defaultRateLimit      = 1000
	defaultRateWindow     = time.Minute
	defaultMaxRequests    = 100000
	maxTimestampSkew      = 15 * time.Minute
	nonceTTL              = 2 * maxTimestampSkew // a replay needs a timestamp within the skew
	maxNonces             = 200000
	maxRequestBody        = 1 << 20
	statusClientWentAway  = 499 // recorded (never sent) when the client left during a delay
	statusConnectionDrops = 0   // recorded when the connection was dropped on purpose
)

// Request is one request the mock received, as recorded by Requests.
type Request struct {
	Action      string
	Params      map[string]string // every query+form param except Signature
	Status      int               // HTTP status answered; 0 when the connection was dropped, 499 when the client went away during a delay
	Code        string            // error code, "" on success
	AccessKeyID string
}

// Option configures a Server.
type Option func(*Server)

// Server is the mock. The zero value is not usable; call New.
type Server struct {
	mu sync.Mutex

	now        func() time.Time
	rateLimit  int
	rateWindow time.Duration
	latency    time.Duration
	maxReqs    int

	keys           map[string]credential
	liveDomains    map[string]bool
	nonLiveDomains map[string]bool
	roles          map[string]bool
	oidc           map[string]string // OIDC provider ARN -> the token it accepts
	configs        map[configKey]Config
	behavior       Behavior
	history        map[configKey][]version // pending writes, when Describe lags
	questions      Questions               // requests whose answer the behavior decides
	written        bool                    // a Set or Delete changed a configuration

	nonces      map[string]time.Time
	nonceQ      []nonceEntry
	rateLog     map[rateKey][]time.Time
	faults      map[string][]fault
	denied      map[string]string // action -> RAM error code
	held        map[string]int    // action -> requests held by a delay fault
	heldChanged chan struct{}     // closed and replaced when held changes

	requests     []*Request
	calls        map[string]int
	total        int
	rejected     map[string]int
	faultsServed int
	assumed      []AssumeRoleCall
}

type nonceEntry struct {
	nonce string
	seen  time.Time
}

// New returns a Server with an empty account: no key pair, domain or role
// until AddKeyPair, AddLiveDomains, AddNonLiveDomains, AddRoles or
// AddDemoAccount registers some.
func New(opts ...Option) *Server {
	s := &Server{
		now:            time.Now,
		rateLimit:      defaultRateLimit,
		rateWindow:     defaultRateWindow,
		maxReqs:        defaultMaxRequests,
		keys:           map[string]credential{},
		liveDomains:    map[string]bool{},
		nonLiveDomains: map[string]bool{},
		roles:          map[string]bool{},
		oidc:           map[string]string{},
		configs:        map[configKey]Config{},
		history:        map[configKey][]version{},
		nonces:         map[string]time.Time{},
		rateLog:        map[rateKey][]time.Time{},
		faults:         map[string][]fault{},
		calls:          map[string]int{},
		rejected:       map[string]int{},
		denied:         map[string]string{},
		held:           map[string]int{},
		heldChanged:    make(chan struct{}),
	}
	for _, o := range opts {
		o(s)
	}
	return s
}

// WithClock sets the clock used for timestamps, nonces, rate limiting, STS
// expirations and DescribeLag (default time.Now). Delays always use real
// time.
func WithClock(now func() time.Time) Option {
	return func(s *Server) {
		if now != nil {
			s.now = now
		}
	}
}

// WithMaxRecordedRequests bounds the request log kept for Requests (default
// 100000; the oldest entries are dropped). Counters are not affected.
func WithMaxRecordedRequests(n int) Option {
	return func(s *Server) {
		if n > 0 {
			s.maxReqs = n
		}
	}
}

// AddDemoAccount registers the demo key pair (DemoAccessKeyID and
// DemoAccessKeySecret), the demo domains and DemoRoleArn.
func (s *Server) AddDemoAccount() {
	s.AddKeyPair(DemoAccessKeyID, DemoAccessKeySecret)
	s.AddLiveDomains(DemoLiveDomains...)
	s.AddNonLiveDomains(DemoNonLiveDomains...)
	s.AddRoles(DemoRoleArn)
}

// AddKeyPair registers a long-term access key pair.
func (s *Server) AddKeyPair(accessKeyID, secret string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.keys[accessKeyID] = credential{secret: secret}
}

// AddRoles registers STS role ARNs that AssumeRole accepts.
func (s *Server) AddRoles(roleArns ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, r := range roleArns {
		s.roles[r] = true
	}
}

// SetLatency delays every answer by d (real time, default 0), before the
// request is handled; if the client goes away meanwhile nothing is
// applied.
func (s *Server) SetLatency(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.latency = d
}

// SetRateLimit allows limit calls per AccessKeyId per Action within any
// sliding window (default 1000 per minute); limit <= 0 disables the limit.
// Calls already accepted keep counting toward the new window.
func (s *Server) SetRateLimit(limit int, window time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.rateLimit, s.rateWindow = limit, window
}

// ---- request log ----

// Requests returns a copy of the recorded requests, in arrival order.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Request, len(s.requests))
	for i, r := range s.requests {
		out[i] = *r
		out[i].Params = copyParams(r.Params)
	}
	return out
}

// Calls returns how many requests carried Action=action (any outcome,
// including authentication failures).
func (s *Server) Calls(action string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.calls[action]
}

// TotalCalls returns how many requests were received.
func (s *Server) TotalCalls() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.total
}

// Rejected returns how many answers carried the error code.
func (s *Server) Rejected(code string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.rejected[code]
}

// RejectedByCode returns how many answers carried each error code.
func (s *Server) RejectedByCode() map[string]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return maps.Clone(s.rejected)
}

// ResetRequests clears the request log and the counters behind Calls,
// TotalCalls, Rejected, FaultsServed and AssumedRoles. State (configs,
// domains, keys, queued faults, rate-limit windows, nonces) is kept.
func (s *Server) ResetRequests() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests = nil
	s.calls = map[string]int{}
	s.total = 0
	s.rejected = map[string]int{}
	s.faultsServed = 0
	s.assumed = nil
}

func copyParams(p map[string]string) map[string]string {
	out := make(map[string]string, len(p))
	for k, v := range p {
		out[k] = v
	}
	return out
}

func (s *Server) arrive(action string, params map[string]string) *Request {
	p := copyParams(params)
	delete(p, "Signature")
	rec := &Request{Action: action, Params: p, AccessKeyID: params["AccessKeyId"]}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls[action]++
	s.total++
	s.requests = append(s.requests, rec)
	if len(s.requests) > s.maxReqs {
		n := copy(s.requests, s.requests[len(s.requests)-s.maxReqs:])
		clear(s.requests[n:])
		s.requests = s.requests[:n]
	}
	return rec
}

func (s *Server) complete(rec *Request, status int, code string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	rec.Status, rec.Code = status, code
	if code != "" {
		s.rejected[code]++
	}
}

// ---- HTTP ----

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	requestID := newRequestID()
	params, parseErr := readParams(w, r)
	asJSON := wantsJSON(params)
	action := params["Action"]
	hostID := liveHostID
	if action == ActionAssumeRole || action == ActionAssumeRoleWithOIDC {
		hostID = stsHostID
	}
	rec := s.arrive(action, params)
	fail := func(e *apiError) {
		s.complete(rec, e.Status, e.Code)
		writeError(w, asJSON, requestID, hostID, e)
	}
	succeed := func(resp any) {
		s.complete(rec, http.StatusOK, "")
		setXMLName(resp, action+"Response")
		writeBody(w, http.StatusOK, asJSON, resp)
	}
	if action == ActionAssumeRoleWithOIDC && parseErr == nil {
		// Not signed: the OIDC token is the proof.
		s.mu.Lock()
		resp, e := s.assumeRoleWithOIDCLocked(params, s.now(), requestID)
		s.mu.Unlock()
		if e != nil {
			fail(e)
			return
		}
		succeed(resp)
		return
	}
	if parseErr != nil {
		fail(newAPIError(http.StatusBadRequest, "InvalidParameter", "The request parameters could not be parsed."))
		return
	}
	if r.Method != http.MethodGet && r.Method != http.MethodPost {
		fail(newAPIError(http.StatusMethodNotAllowed, "UnsupportedHTTPMethod", "This http method is not supported."))
		return
	}

	s.mu.Lock()
	latency := s.latency
	s.mu.Unlock()
	if !sleepCtx(r.Context(), latency) {
		s.complete(rec, statusClientWentAway, "")
		return
	}

	f, hasFault, e := s.preflight(r.Method, params)
	if e != nil {
		fail(e)
		return
	}
	drop, holdAfterApply := false, time.Duration(0)
	if hasFault {
		switch f.kind {
		case faultThrottle, faultServerError:
			fail(faultError(f))
			return
		case faultGateway:
			s.complete(rec, f.status, "")
			writeGatewayError(w, f.status)
			return
		case faultDelay:
			if !s.hold(r.Context(), rec, f.delay) {
				return
			}
		case faultDropAfterApply:
			drop = true
		case faultDelayAfterApply:
			holdAfterApply = f.delay
		}
	}

	s.mu.Lock()
	resp, e := s.runActionLocked(action, params, requestID)
	s.mu.Unlock()

	if drop {
		s.complete(rec, statusConnectionDrops, "")
		dropConnection(w)
		return
	}
	if holdAfterApply > 0 && !s.hold(r.Context(), rec, holdAfterApply) {
		return
	}
	if e != nil {
		fail(e)
		return
	}
	succeed(resp)
}

// readParams merges the URL query with an x-www-form-urlencoded body (the
// body wins on conflicts, like the SDK's string to sign). The first value of
// a repeated name is used.
func readParams(w http.ResponseWriter, r *http.Request) (map[string]string, error) {
	if r.Body != nil {
		r.Body = http.MaxBytesReader(w, r.Body, maxRequestBody)
	}
	err := r.ParseForm()
	params := map[string]string{}
	for k, vs := range r.URL.Query() {
		if len(vs) > 0 {
			params[k] = vs[0]
		}
	}
	for k, vs := range r.PostForm {
		if len(vs) > 0 {
			params[k] = vs[0]
		}
	}
	return params, err
}

func sleepCtx(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return ctx.Err() == nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

// dropConnection closes the client connection without writing anything.
func dropConnection(w http.ResponseWriter) {
	if hj, ok := w.(http.Hijacker); ok {
		if conn, _, err := hj.Hijack(); err == nil {
			_ = conn.Close()
			return
		}
	}
	panic(http.ErrAbortHandler)
}

func setXMLName(resp any, name string) {
	n := xml.Name{Local: name}
	switch v := resp.(type) {
	case *requestIDResponse:
		v.XMLName = n
	case *describeResponse:
		v.XMLName = n
	case *assumeRoleResponse:
		v.XMLName = n
	}
}

var requiredCommonParams = []string{"AccessKeyId", "Signature", "SignatureMethod", "SignatureNonce", "Timestamp", "Version", "Action"}

// preflight runs every check before the action itself and pops the next
// queued fault of the action, if any.
func (s *Server) preflight(method string, p map[string]string) (fault, bool, *apiError) {
	for _, name := range requiredCommonParams {
		if p[name] == "" {
			return fault{}, false, errMissingParameter(name)
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()

	cred, ok := s.keys[p["AccessKeyId"]]
	if !ok {
		return fault{}, false, newAPIError(http.StatusNotFound, "InvalidAccessKeyId.NotFound", "Specified access key is not found.")
	}
	if p["SignatureMethod"] != "HMAC-SHA1" {
		return fault{}, false, newAPIError(http.StatusBadRequest, "InvalidSignatureMethod", "Specified signature method is not supported.")
	}
	if !signatureMatches(method, p, cred.secret, p["Signature"]) {
		// As the real service does, the answer echoes the string to sign,
		// which carries every parameter, the SecurityToken included: clients
		// must not print it.
		return fault{}, false, newAPIError(http.StatusBadRequest, "SignatureDoesNotMatch",
			"Specified signature is not matched with our calculation. server string to sign is:"+StringToSign(method, p))
	}
	if e := checkSecurityToken(cred, p["SecurityToken"], now); e != nil {
		return fault{}, false, e
	}
	ts, err := time.Parse(timestampLayout, p["Timestamp"])
	if err != nil {
		return fault{}, false, newAPIError(http.StatusBadRequest, "InvalidTimeStamp.Expired", "Specified time stamp or date value is not well formatted.")
	}
	if d := now.Sub(ts); d > maxTimestampSkew || d < -maxTimestampSkew {
		return fault{}, false, newAPIError(http.StatusBadRequest, "InvalidTimeStamp.Expired", "Specified time stamp or date value is expired.")
	}
	if !s.useNonceLocked(p["SignatureNonce"], now) {
		return fault{}, false, newAPIError(http.StatusBadRequest, "SignatureNonceUsed", "Specified signature nonce was used already.")
	}

	action := p["Action"]
	wantVersion, known := actionVersions[action]
	if !known {
		return fault{}, false, newAPIError(http.StatusNotFound, "InvalidAction.NotFound", "Specified api is not found, please check your url and method.")
	}
	if p["Version"] != wantVersion {
		return fault{}, false, newAPIError(http.StatusBadRequest, "InvalidVersion", "Specified parameter Version is not valid.")
	}
	if code, denied := s.denied[action]; denied {
		return fault{}, false, errDenied(code)
	}

	if !s.allowLocked(p["AccessKeyId"], action, now) {
		return fault{}, false, errThrottling()
	}
	f, has := s.popFaultLocked(action, p)
	return f, has, nil
}

var actionVersions = map[string]string{
	lazypull.ActionSet:      lazypull.APIVersion,
	lazypull.ActionDescribe: lazypull.APIVersion,
	lazypull.ActionDelete:   lazypull.APIVersion,
	ActionAssumeRole:        STSVersion,
}

// useNonceLocked records nonce and reports whether it was fresh. Nonces are
// remembered for nonceTTL (bounded by maxNonces).
func (s *Server) useNonceLocked(nonce string, now time.Time) bool {
	cutoff := now.Add(-nonceTTL)
	i := 0
	for i < len(s.nonceQ) && (s.nonceQ[i].seen.Before(cutoff) || len(s.nonceQ)-i >= maxNonces) {
		e := s.nonceQ[i]
		if seen, ok := s.nonces[e.nonce]; ok && seen.Equal(e.seen) {
			delete(s.nonces, e.nonce)
		}
		i++
	}
	if i > 0 {
		clear(s.nonceQ[:i])
		s.nonceQ = s.nonceQ[i:]
	}
	if _, used := s.nonces[nonce]; used {
		return false
	}
	s.nonces[nonce] = now
	s.nonceQ = append(s.nonceQ, nonceEntry{nonce, now})
	return true
}

func (s *Server) runActionLocked(action string, p map[string]string, requestID string) (any, *apiError) {
	if d, ok := p["DomainName"]; ok && action != ActionAssumeRole {
		s.askedStoredFormLocked(action, p)
		if stored := s.behavior.StoredForm.domain(d); stored != d {
			p = maps.Clone(p)
			p["DomainName"] = stored
		}
	}
	switch action {
	case lazypull.ActionSet:
		return s.setConfigLocked(p, requestID)
	case lazypull.ActionDescribe:
		return s.describeConfigLocked(p, requestID)
	case lazypull.ActionDelete:
		return s.deleteConfigLocked(p, requestID)
	case ActionAssumeRole:
		return s.issueLocked(p, p["AccessKeyId"], s.now(), requestID)
	}
	return nil, newAPIError(http.StatusNotFound, "InvalidAction.NotFound", "Specified api is not found, please check your url and method.")
}
