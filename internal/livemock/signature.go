package livemock

import (
	"crypto/hmac"
	"crypto/sha1"
	"crypto/subtle"
	"encoding/base64"
	"net/url"
	"strings"
)

// timestampLayout is the only Timestamp format the mock accepts (ISO 8601, UTC).
const timestampLayout = "2006-01-02T15:04:05Z"

// StringToSign returns the RPC signature v1.0 string to sign for the given
// HTTP method and parameters (query and form together). The "Signature"
// parameter, if present, is ignored. It mirrors buildRpcStringToSign of the
// Alibaba Cloud Go SDK exactly.
func StringToSign(method string, params map[string]string) string {
	v := url.Values{}
	for k, val := range params {
		if k == "Signature" {
			continue
		}
		v.Set(k, val)
	}
	canonical := v.Encode() // sorted by key, QueryEscape'd
	canonical = strings.ReplaceAll(canonical, "+", "%20")
	canonical = strings.ReplaceAll(canonical, "*", "%2A")
	canonical = strings.ReplaceAll(canonical, "%7E", "~")
	return strings.ToUpper(method) + "&%2F&" + url.QueryEscape(canonical)
}

// Sign computes the RPC signature v1.0 (HMAC-SHA1, key secret+"&") of the
// given request parameters. The "Signature" parameter, if present, is ignored.
func Sign(method string, params map[string]string, secret string) string {
	mac := hmac.New(sha1.New, []byte(secret+"&"))
	mac.Write([]byte(StringToSign(method, params)))
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

// SignedValues returns params plus a "Signature" entry computed with secret,
// ready to be used as a query string (url.Values.Encode). Handy for building
// requests by hand in tests.
func SignedValues(method string, params map[string]string, secret string) url.Values {
	v := url.Values{}
	for k, val := range params {
		if k != "Signature" {
			v.Set(k, val)
		}
	}
	v.Set("Signature", Sign(method, params, secret))
	return v
}

func signatureMatches(method string, params map[string]string, secret, got string) bool {
	want := Sign(method, params, secret)
	return subtle.ConstantTimeCompare([]byte(want), []byte(got)) == 1
}
