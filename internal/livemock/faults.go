package livemock

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"time"
)

type faultKind int

const (
	faultThrottle faultKind = iota + 1
	faultServerError
	faultDropAfterApply
	faultDelay
	faultGateway
	faultDelayAfterApply
)

type fault struct {
	kind   faultKind
	status int
	delay  time.Duration
	// domain and app, when set, limit the fault to requests with that
	// DomainName and AppName; an untargeted fault matches every request.
	domain, app string
}

func (f fault) matches(p map[string]string) bool {
	return (f.domain == "" || f.domain == p["DomainName"]) && (f.app == "" || f.app == p["AppName"])
}

func (s *Server) enqueueFault(action string, n int, f fault) {
	if n <= 0 {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for i := 0; i < n; i++ {
		s.faults[action] = append(s.faults[action], f)
	}
}

// InjectThrottle makes the next n requests of action (that pass the
// signature check) answer HTTP 400 Throttling.User.
func (s *Server) InjectThrottle(action string, n int) {
	s.enqueueFault(action, n, fault{kind: faultThrottle})
}

// InjectServerError makes the next n requests of action answer with the given
// 5xx status: 503 carries ServiceUnavailable, any other status InternalError.
// A status outside 500..599 is treated as 500.
func (s *Server) InjectServerError(action string, n int, status int) {
	s.InjectServerErrorFor(action, "", "", n, status)
}

// InjectServerErrorFor is InjectServerError limited to requests of action
// whose DomainName is domain and AppName is app ("" matches any value):
// other requests of the action pass it by, so one configuration can fail
// while every other one succeeds.
func (s *Server) InjectServerErrorFor(action, domain, app string, n int, status int) {
	if status < 500 || status > 599 {
		status = http.StatusInternalServerError
	}
	s.enqueueFault(action, n, fault{kind: faultServerError, status: status, domain: domain, app: app})
}

// InjectDropAfterApply makes the next n requests of action apply their effect
// to the state and then close the connection without any response.
func (s *Server) InjectDropAfterApply(action string, n int) {
	s.enqueueFault(action, n, fault{kind: faultDropAfterApply})
}

// InjectDelay makes the next n requests of action wait d (or until the client
// goes away, in which case nothing is applied) before being handled normally.
func (s *Server) InjectDelay(action string, n int, d time.Duration) {
	s.enqueueFault(action, n, fault{kind: faultDelay, delay: d})
}

// GatewayStatuses are the statuses InjectGatewayError answers with.
var GatewayStatuses = []int{http.StatusForbidden, http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout}

// InjectGatewayError makes the next n requests of action answer status
// (one of GatewayStatuses: 403, 502, 503 or 504; any other value is treated
// as 502) with an HTML page, as a load balancer, proxy or web application
// firewall in front of the API does, instead of the API's error body.
// Nothing is applied.
func (s *Server) InjectGatewayError(action string, n int, status int) {
	if !slices.Contains(GatewayStatuses, status) {
		status = http.StatusBadGateway
	}
	s.enqueueFault(action, n, fault{kind: faultGateway, status: status})
}

// InjectDelayAfterApply makes the next n requests of action apply their
// effect at once and then hold the answer for d, or until the client goes
// away: a client that gives up while waiting leaves the write applied.
// WaitHeld and Held tell how many requests are being held.
func (s *Server) InjectDelayAfterApply(action string, n int, d time.Duration) {
	s.enqueueFault(action, n, fault{kind: faultDelayAfterApply, delay: d})
}

// Held returns how many requests of action are being held right now by
// InjectDelay (not yet applied) or InjectDelayAfterApply (applied).
func (s *Server) Held(action string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.held[action]
}

// WaitHeld blocks until exactly n requests of action are held (see Held),
// or until ctx is done, whose error it then returns. A test waits for n
// requests to arrive, or with n = 0 for every held request to leave.
func (s *Server) WaitHeld(ctx context.Context, action string, n int) error {
	for {
		s.mu.Lock()
		held, changed := s.held[action], s.heldChanged
		s.mu.Unlock()
		if held == n {
			return nil
		}
		select {
		case <-changed:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// hold waits d (real time) while the request counts as held. If the client
// goes away first, it records the request as abandoned, before the request
// stops counting as held, and reports false.
func (s *Server) hold(ctx context.Context, rec *Request, d time.Duration) bool {
	s.addHeld(rec.Action, 1)
	defer s.addHeld(rec.Action, -1)
	if !sleepCtx(ctx, d) {
		s.complete(rec, statusClientWentAway, "")
		return false
	}
	return true
}

func (s *Server) addHeld(action string, delta int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.held[action] += delta
	if s.held[action] == 0 {
		delete(s.held, action)
	}
	close(s.heldChanged)
	s.heldChanged = make(chan struct{})
}

// DenyAction makes every request of action that passes the signature checks
// answer HTTP 403 with code, as RAM does for a user without the permission
// live:<action>, until AllowAction. code is typically "Forbidden.RAM" (the
// default when empty) or "NoPermission".
func (s *Server) DenyAction(action, code string) {
	if code == "" {
		code = "Forbidden.RAM"
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.denied[action] = code
}

// AllowAction ends DenyAction for action.
func (s *Server) AllowAction(action string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.denied, action)
}

func errDenied(code string) *apiError {
	msg := "User not authorized to operate on the specified resource, or this API doesn't support RAM."
	if code == "NoPermission" {
		msg = "You are not authorized to do this action. You should be authorized by RAM."
	}
	return newAPIError(http.StatusForbidden, code, msg)
}

// writeGatewayError answers status with the HTML page of a load balancer.
func writeGatewayError(w http.ResponseWriter, status int) {
	title := strconv.Itoa(status) + " " + http.StatusText(status)
	body := fmt.Sprintf("<html>\r\n<head><title>%s</title></head>\r\n<body>\r\n<center><h1>%s</h1></center>\r\n<hr><center>Tengine</center>\r\n</body>\r\n</html>\r\n", title, title)
	h := w.Header()
	h.Set("Content-Type", "text/html")
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	_, _ = w.Write([]byte(body))
}

// ClearFaults drops every queued fault. RAM denials (DenyAction) stay.
func (s *Server) ClearFaults() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = map[string][]fault{}
}

// PendingFaults returns how many faults are still queued for action.
func (s *Server) PendingFaults(action string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.faults[action])
}

// FaultsServed returns how many queued faults were actually delivered.
func (s *Server) FaultsServed() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.faultsServed
}

// popFaultLocked removes and returns the first fault queued for action that
// matches the request's parameters.
func (s *Server) popFaultLocked(action string, p map[string]string) (fault, bool) {
	q := s.faults[action]
	for i, f := range q {
		if !f.matches(p) {
			continue
		}
		if len(q) == 1 {
			delete(s.faults, action)
		} else {
			s.faults[action] = append(q[:i:i], q[i+1:]...)
		}
		s.faultsServed++
		return f, true
	}
	return fault{}, false
}

func faultError(f fault) *apiError {
	switch f.kind {
	case faultThrottle:
		return errThrottling()
	case faultServerError:
		if f.status == http.StatusServiceUnavailable {
			return newAPIError(f.status, "ServiceUnavailable", "The request has failed due to a temporary failure of the server.")
		}
		return newAPIError(f.status, "InternalError", "The request processing has failed due to some unknown error, exception or failure.")
	}
	return nil
}

// ---- rate limiting ----

type rateKey struct{ accessKeyID, action string }

// allowLocked applies the sliding-window rate limit for (accessKeyID, action)
// at time now. Accepted calls are remembered; rejected ones are not.
func (s *Server) allowLocked(accessKeyID, action string, now time.Time) bool {
	if s.rateLimit <= 0 {
		return true
	}
	k := rateKey{accessKeyID, action}
	times := s.rateLog[k]
	cutoff := now.Add(-s.rateWindow)
	i := 0
	for i < len(times) && !times[i].After(cutoff) {
		i++
	}
	times = times[i:]
	if len(times) >= s.rateLimit {
		s.rateLog[k] = times
		return false
	}
	s.rateLog[k] = append(times, now)
	return true
}
