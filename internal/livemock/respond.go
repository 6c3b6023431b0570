package livemock

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"net/http"
	"strconv"
	"strings"
)

const (
	liveHostID = "live.aliyuncs.com"
	stsHostID  = "sts.aliyuncs.com"
)

// apiError is an error answer of the mock.
type apiError struct {
	Status  int
	Code    string
	Message string
}

func (e *apiError) Error() string { return fmt.Sprintf("%d %s: %s", e.Status, e.Code, e.Message) }

func newAPIError(status int, code, msg string) *apiError {
	return &apiError{Status: status, Code: code, Message: msg}
}

func errMissingParameter(name string) *apiError {
	return newAPIError(http.StatusBadRequest, "MissingParameter",
		fmt.Sprintf("The input parameter %q that is mandatory for processing this request is not supplied.", name))
}

func errInvalidParameter(name string) *apiError {
	return newAPIError(http.StatusBadRequest, "InvalidParameter",
		fmt.Sprintf("The specified parameter %q is not valid.", name))
}

func errThrottling() *apiError {
	return newAPIError(http.StatusBadRequest, "Throttling.User", "Request was denied due to user flow control.")
}

// errorBody is the body of every error answer (JSON object or XML <Error>).
type errorBody struct {
	XMLName   xml.Name `json:"-" xml:"Error"`
	RequestID string   `json:"RequestId" xml:"RequestId"`
	HostID    string   `json:"HostId" xml:"HostId"`
	Code      string   `json:"Code" xml:"Code"`
	Message   string   `json:"Message" xml:"Message"`
	Recommend string   `json:"Recommend" xml:"Recommend"`
}

// Response bodies. XMLName is set at run time to <Action>Response.

type requestIDResponse struct {
	XMLName   xml.Name `json:"-"`
	RequestID string   `json:"RequestId" xml:"RequestId"`
}

type lazyPullConfigJSON struct {
	DomainName     string `json:"DomainName" xml:"DomainName"`
	AppName        string `json:"AppName" xml:"AppName"`
	PullDomainName string `json:"PullDomainName" xml:"PullDomainName"`
	PullAppName    string `json:"PullAppName" xml:"PullAppName"`
	PullProtocol   string `json:"PullProtocol" xml:"PullProtocol"`
	TranscodeLazy  string `json:"TranscodeLazy" xml:"TranscodeLazy"`
	PullArgs       string `json:"PullArgs" xml:"PullArgs"`
}

type lazyPullConfigList struct {
	LiveLazyPullConfig []lazyPullConfigJSON `json:"LiveLazyPullConfig" xml:"LiveLazyPullConfig"`
}

type describeResponse struct {
	XMLName                xml.Name           `json:"-"`
	RequestID              string             `json:"RequestId" xml:"RequestId"`
	LiveLazyPullConfigList lazyPullConfigList `json:"LiveLazyPullConfigList" xml:"LiveLazyPullConfigList"`
}

type assumedRoleUser struct {
	Arn           string `json:"Arn" xml:"Arn"`
	AssumedRoleID string `json:"AssumedRoleId" xml:"AssumedRoleId"`
}

type credentialsBody struct {
	AccessKeyID     string `json:"AccessKeyId" xml:"AccessKeyId"`
	AccessKeySecret string `json:"AccessKeySecret" xml:"AccessKeySecret"`
	SecurityToken   string `json:"SecurityToken" xml:"SecurityToken"`
	Expiration      string `json:"Expiration" xml:"Expiration"`
}

type assumeRoleResponse struct {
	XMLName         xml.Name        `json:"-"`
	RequestID       string          `json:"RequestId" xml:"RequestId"`
	AssumedRoleUser assumedRoleUser `json:"AssumedRoleUser" xml:"AssumedRoleUser"`
	Credentials     credentialsBody `json:"Credentials" xml:"Credentials"`
}

// newRequestID returns a fresh upper-case UUID-like identifier.
func newRequestID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = (b[6] & 0x0f) | 0x40
	b[8] = (b[8] & 0x3f) | 0x80
	h := strings.ToUpper(hex.EncodeToString(b[:]))
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
}

// randomString returns n characters from alphabet using crypto/rand.
func randomString(n int, alphabet string) string {
	buf := make([]byte, n)
	_, _ = rand.Read(buf)
	out := make([]byte, n)
	for i, c := range buf {
		out[i] = alphabet[int(c)%len(alphabet)]
	}
	return string(out)
}

// wantsJSON reports whether the Format parameter asks for JSON (XML otherwise).
func wantsJSON(params map[string]string) bool {
	return strings.EqualFold(params["Format"], "JSON")
}

// writeBody encodes v as JSON or XML and writes it with status.
func writeBody(w http.ResponseWriter, status int, asJSON bool, v any) {
	var (
		body []byte
		err  error
		ct   string
	)
	if asJSON {
		ct = "application/json;charset=utf-8"
		body, err = json.Marshal(v)
	} else {
		ct = "application/xml;charset=utf-8"
		body, err = xml.Marshal(v)
		if err == nil {
			body = append([]byte(xml.Header), body...)
		}
	}
	if err != nil {
		http.Error(w, "livemock: encoding failure", http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", ct)
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

func writeError(w http.ResponseWriter, asJSON bool, requestID, hostID string, e *apiError) {
	writeBody(w, e.Status, asJSON, &errorBody{
		RequestID: requestID,
		HostID:    hostID,
		Code:      e.Code,
		Message:   e.Message,
		Recommend: "https://api.aliyun.com/troubleshoot?q=" + e.Code + "&product=" + productOf(hostID),
	})
}

func productOf(hostID string) string {
	if hostID == stsHostID {
		return "Sts"
	}
	return "live"
}

// displayProtocol converts the API form of PullProtocol to the form
// DescribeLiveLazyPullStreamConfig answers with.
func displayProtocol(p string) string {
	switch p {
	case "rtmp":
		return "RTMP"
	case "httpflv":
		return "HTTP-FLV"
	case "hls":
		return "HLS"
	}
	return p
}
