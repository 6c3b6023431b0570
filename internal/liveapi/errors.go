package liveapi

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"

	sdkerrors "github.com/aliyun/alibaba-cloud-sdk-go/sdk/errors"
)

// APIError is an error answered by the Live API, reduced to what a person
// needs: the action, the code, the message, the RequestId and a hint. It
// never carries the SDK's raw response headers or string to sign.
type APIError struct {
	Action     string
	Code       string
	Message    string
	RequestID  string
	HTTPStatus int
	// Hint is a plain-language explanation for the documented codes.
	Hint string
	// Attempts is how many times the call was sent.
	Attempts int
}

func (e *APIError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s failed: %s", e.Action, e.Code)
	if e.Message != "" {
		fmt.Fprintf(&b, ": %s", e.Message)
	}
	if e.HTTPStatus != 0 {
		fmt.Fprintf(&b, " (HTTP %d", e.HTTPStatus)
	} else {
		b.WriteString(" (")
	}
	if e.RequestID != "" {
		if e.HTTPStatus != 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "RequestId %s", e.RequestID)
	}
	if e.Attempts > 1 {
		if e.HTTPStatus != 0 || e.RequestID != "" {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "after %d attempts", e.Attempts)
	}
	b.WriteString(")")
	s := strings.Replace(b.String(), " ()", "", 1)
	if e.Hint != "" {
		s += ". " + e.Hint
	}
	return s
}

// Detail renders the error for a diagnostic, one fact a line.
func (e *APIError) Detail() string {
	var b strings.Builder
	fmt.Fprintf(&b, "The Live API rejected %s.\n\n", e.Action)
	fmt.Fprintf(&b, "Code:      %s\n", e.Code)
	if e.Message != "" {
		fmt.Fprintf(&b, "Message:   %s\n", e.Message)
	}
	if e.RequestID != "" {
		fmt.Fprintf(&b, "RequestId: %s\n", e.RequestID)
	}
	if e.HTTPStatus != 0 {
		fmt.Fprintf(&b, "HTTP:      %d\n", e.HTTPStatus)
	}
	if e.Attempts > 1 {
		fmt.Fprintf(&b, "Attempts:  %d\n", e.Attempts)
	}
	if e.Hint != "" {
		fmt.Fprintf(&b, "\n%s", e.Hint)
	}
	return strings.TrimRight(b.String(), "\n")
}

// TransportError is a call that got no answer from the service: connection
// refused or reset, or a timeout. Its text names the endpoint but never the
// request URL, which carries the security token.
type TransportError struct {
	Action   string
	Endpoint string
	Attempts int
	Err      error
}

func (e *TransportError) Error() string {
	s := fmt.Sprintf("%s: no answer from the Live API at %s: %v", e.Action, e.Endpoint, e.Err)
	if e.Attempts > 1 {
		s += fmt.Sprintf(" (after %d attempts)", e.Attempts)
	}
	return s
}

func (e *TransportError) Unwrap() error { return e.Err }

// GaveUpError is a retryable failure that the client stopped retrying before
// max_retries ran out, because the operation's timeout ended or would end
// before the next attempt. Last is the last attempt's error (an *APIError or
// a *TransportError); Reason says why no further attempt was made.
type GaveUpError struct {
	Last   error
	Reason string
	// Cause is the context's error when the context ended, else nil.
	Cause error
}

func (e *GaveUpError) Error() string {
	return fmt.Sprintf("%v; gave up: %s", e.Last, e.Reason)
}

// Unwrap returns the last attempt's error and the context's error, so that
// errors.As finds the *APIError and errors.Is finds context.DeadlineExceeded.
func (e *GaveUpError) Unwrap() []error {
	if e.Cause == nil {
		return []error{e.Last}
	}
	return []error{e.Last, e.Cause}
}

// Error codes with a meaning of their own for the provider.
const (
	CodeDomainNotFound    = "InvalidDomain.NotFound"
	CodeIllegalOperation  = "IllegalOperation"
	CodeSignatureMismatch = "SignatureDoesNotMatch"
	CodeAccessKeyNotFound = "InvalidAccessKeyId.NotFound"
)

// IsDomainNotFound reports whether err says the domain is not in the account.
func IsDomainNotFound(err error) bool {
	var apiErr *APIError
	return errors.As(err, &apiErr) && apiErr.Code == CodeDomainNotFound
}

// Refused reports whether the service refused a request outright, so that
// it did nothing: credentials, permissions, parameters or the domain were
// not acceptable, or the call was throttled. Any other failure (a lost
// answer, a server error, a code this package does not know, such as
// whatever the service answers for deleting a configuration that does not
// exist) leaves open what the service did.
func Refused(err error) bool {
	var apiErr *APIError
	if !errors.As(err, &apiErr) {
		return false
	}
	c := apiErr.Code
	switch {
	case c == CodeIllegalOperation, c == CodeSignatureMismatch, c == CodeAccessKeyNotFound, c == "NoPermission",
		c == "MissingDomainName", c == "MissingParameter", c == "InvalidParameter", c == "InvalidTimeStamp.Expired", c == "SignatureNonceUsed":
		return true
	case strings.HasPrefix(c, "Forbidden"), strings.HasPrefix(c, "InvalidSecurityToken"), isThrottling(c):
		return true
	}
	// HTTP 403 without one of those codes: a gateway or firewall in front
	// of the API refused the request, so it never reached the service.
	return apiErr.HTTPStatus == http.StatusForbidden
}

// retryable reports whether an attempt that failed with err may be sent
// again: flow control, an unavailable or failing service, and transport
// errors. Everything else is the caller's to fix and fails at once.
func retryable(err error) bool {
	var apiErr *APIError
	if errors.As(err, &apiErr) {
		return isThrottling(apiErr.Code) || apiErr.Code == "ServiceUnavailable" || apiErr.HTTPStatus >= 500
	}
	var tErr *TransportError
	return errors.As(err, &tErr)
}

func isThrottling(code string) bool {
	return strings.HasPrefix(code, "Throttling")
}

// hint explains the documented codes in plain language, and an HTTP 403
// whose body names no code.
func hint(action, domain, code string, httpStatus int, credentialSource string) string {
	switch {
	case code == CodeDomainNotFound:
		return fmt.Sprintf("The domain %q is not in this Alibaba Cloud account. Check domain_name, or add the domain in the ApsaraVideo Live console first.", domain)
	case code == CodeIllegalOperation:
		return fmt.Sprintf("The domain %q is in the account but is not an ApsaraVideo Live streaming domain (for example, it is a CDN domain), so it cannot have a lazy-pull configuration.", domain)
	case code == "MissingDomainName", code == "MissingParameter", code == "InvalidParameter":
		return "The request lacked or had an invalid parameter. The provider validates every attribute before calling the API, so this is likely a provider bug: please report it with the RequestId."
	case code == "InternalError":
		return "The Live API failed with an unknown server error. Retry later; if it persists, contact Alibaba Cloud support with the RequestId."
	case isThrottling(code):
		return "The account's quota for this action (1,000 calls per minute per action) was exceeded. If other tools share the account, lower the provider's rate_limit."
	case code == "ServiceUnavailable":
		return "The Live API was unavailable. Retry later."
	case code == CodeSignatureMismatch:
		return fmt.Sprintf("The secret key does not match the access key ID. Credentials came from %s.", credentialSource)
	case code == CodeAccessKeyNotFound:
		return fmt.Sprintf("The access key ID does not exist in Alibaba Cloud. Credentials came from %s.", credentialSource)
	case strings.HasPrefix(code, "InvalidSecurityToken"):
		return fmt.Sprintf("The security token is missing, expired or does not belong to the access key ID. Credentials came from %s.", credentialSource)
	case strings.HasPrefix(code, "Forbidden"), code == "NoPermission":
		return fmt.Sprintf("The RAM identity is not allowed to call live:%s on acs:cdn:*:*:domain/%s. Credentials came from %s.", action, domain, credentialSource)
	case code == "InvalidTimeStamp.Expired":
		return "The request's timestamp was too far from the service's clock. Check this machine's clock."
	case httpStatus == http.StatusForbidden:
		return fmt.Sprintf("The request was refused with HTTP 403 and no API error code. If the Live API refused it, the RAM identity is not allowed to call live:%s on acs:cdn:*:*:domain/%s (credentials came from %s); otherwise a proxy or firewall between this machine and the endpoint refused it.", action, domain, credentialSource)
	}
	return ""
}

// classify turns whatever the SDK returned into *APIError or
// *TransportError, with every secret removed.
func (c *Client) classify(action, domain string, err error) error {
	var serverErr *sdkerrors.ServerError
	if errors.As(err, &serverErr) {
		code := serverErr.ErrorCode()
		msg := serverErr.Message()
		if code == "" {
			// A body that is not an API error (an HTML 502 page, say).
			code = fmt.Sprintf("HTTP%d", serverErr.HttpStatus())
			msg = firstLine(msg, 200)
		}
		if code == CodeSignatureMismatch {
			// The SDK appends the string to sign, which carries the
			// security token; the first sentence says all there is.
			msg, _, _ = strings.Cut(msg, " server string to sign is:")
		}
		return &APIError{
			Action:     action,
			Code:       code,
			Message:    c.redact(msg),
			RequestID:  serverErr.RequestId(),
			HTTPStatus: serverErr.HttpStatus(),
			Hint:       hint(action, domain, code, serverErr.HttpStatus(), c.credentialSource()),
		}
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		// net/http's *url.Error renders the request URL, whose query carries
		// the security token and the signature: keep only its cause (which
		// still matches context.Canceled / DeadlineExceeded).
		var urlErr *url.Error
		if errors.As(err, &urlErr) {
			err = urlErr.Err
		}
		return &TransportError{Action: action, Endpoint: c.endpoint.Host, Err: err}
	}
	var clientErr *sdkerrors.ClientError
	if errors.As(err, &clientErr) {
		if origin := clientErr.OriginError(); origin != nil {
			return &TransportError{Action: action, Endpoint: c.endpoint.Host, Err: errors.New(c.redact(transportCause(origin)))}
		}
		return fmt.Errorf("%s: %s", action, c.redact(clientErr.Message()))
	}
	return &TransportError{Action: action, Endpoint: c.endpoint.Host, Err: errors.New(c.redact(transportCause(err)))}
}

// transportCause describes a transport failure without the request URL.
func transportCause(err error) string {
	var urlErr *url.Error
	if errors.As(err, &urlErr) {
		err = urlErr.Err
	}
	var netErr net.Error
	if errors.As(err, &netErr) && netErr.Timeout() {
		return "timed out"
	}
	return err.Error()
}

func firstLine(s string, limit int) string {
	s, _, _ = strings.Cut(strings.TrimSpace(s), "\n")
	if len(s) > limit {
		s = s[:limit] + "…"
	}
	return s
}
