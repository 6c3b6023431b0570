// Tests of the standalone mock: the endpoint line, the demo account, the
// flags of each behavior switch, the gateway-page and RAM-denial flags,
// -config and -domain seeding, and the loopback-only /_stats and /_configs
// paths.

package main

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/alicloud-live/terraform-provider-alicloud/internal/lazypull"
	"github.com/alicloud-live/terraform-provider-alicloud/internal/livemock"
)

// post sends a signed API request with action and extra parameters and
// returns the status and the decoded JSON body.
func post(t *testing.T, endpoint, key, secret, action string, extra map[string]string) (int, map[string]any) {
	t.Helper()
	p := map[string]string{
		"Format": "JSON", "Version": lazypull.APIVersion, "AccessKeyId": key, "SignatureMethod": "HMAC-SHA1",
		"SignatureVersion": "1.0", "SignatureNonce": strconv.FormatInt(time.Now().UnixNano(), 10),
		"Timestamp": time.Now().UTC().Format("2006-01-02T15:04:05Z"), "Action": action,
	}
	for k, v := range extra {
		p[k] = v
	}
	resp, err := http.Post(endpoint+"/?"+livemock.SignedValues(http.MethodPost, p, secret).Encode(), "application/x-www-form-urlencoded", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&body)
	return resp.StatusCode, body
}

// startRun runs the command with args until ctx is done, and returns the
// first line it printed on stdout and the channel that yields run's result.
func startRun(t *testing.T, ctx context.Context, args []string, stderr io.Writer) (string, <-chan error) {
	t.Helper()
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, args, pw, stderr)
		pw.Close()
	}()
	line, err := bufio.NewReader(pr).ReadString('\n')
	if err != nil {
		t.Fatal(err)
	}
	go func() { _, _ = io.Copy(io.Discard, pr) }()
	return line, done
}

func TestRunServesDemoAccount(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	line, done := startRun(t, ctx, []string{"-addr", "127.0.0.1:0", "-rate-limit", "5", "-rate-window", "1m"}, io.Discard)

	m := regexp.MustCompile(`^endpoint=(http://127\.0\.0\.1:\d+) access_key=(\S+) secret_key=(\S+)\n$`).FindStringSubmatch(line)
	if m == nil || m[2] != livemock.DemoAccessKeyID || m[3] != livemock.DemoAccessKeySecret {
		t.Fatalf("unexpected line %q", line)
	}

	call := func(action string, extra map[string]string) (int, map[string]any) {
		return post(t, m[1], m[2], m[3], action, extra)
	}
	if st, b := call(lazypull.ActionSet, map[string]string{"DomainName": "demo.example.com", "AppName": "a", "PullDomainName": "o.example.net", "PullProtocol": "rtmp"}); st != 200 {
		t.Fatalf("set: %d %v", st, b)
	}
	if st, b := call(lazypull.ActionDescribe, map[string]string{"DomainName": "cdn.example.com"}); st != 403 || b["Code"] != "IllegalOperation" {
		t.Fatalf("non-live domain: %d %v", st, b)
	}

	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("run: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("run did not stop")
	}
}

// TestStatsReportsEveryRejection: /_stats counts answers per error code
// from the mock's counters, not from its request log, which keeps only the
// newest requests; /_stats/reset clears the counts.
func TestStatsReportsEveryRejection(t *testing.T) {
	mock := livemock.New(livemock.WithMaxRecordedRequests(1))
	mock.AddDemoAccount()
	ts := httptest.NewServer(withStats(mock))
	defer ts.Close()

	send := func(action, secret string, extra map[string]string) {
		t.Helper()
		post(t, ts.URL, livemock.DemoAccessKeyID, secret, action, extra)
	}
	stats := func() statsReport {
		t.Helper()
		resp, err := http.Get(ts.URL + "/_stats")
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var rep statsReport
		if err := json.NewDecoder(resp.Body).Decode(&rep); err != nil {
			t.Fatal(err)
		}
		return rep
	}

	send(lazypull.ActionSet, livemock.DemoAccessKeySecret, map[string]string{"DomainName": "live.example.com", "AppName": "a", "PullDomainName": "o.example.net", "PullProtocol": "rtmp"})
	send(lazypull.ActionDescribe, livemock.DemoAccessKeySecret, map[string]string{"DomainName": "cdn.example.com"})
	send(lazypull.ActionDescribe, livemock.DemoAccessKeySecret, map[string]string{"DomainName": "cdn.example.com"})
	send(lazypull.ActionDescribe, "not-the-secret", map[string]string{"DomainName": "live.example.com"})

	rep := stats()
	wantRejected := map[string]int{"IllegalOperation": 2, "SignatureDoesNotMatch": 1}
	if !maps.Equal(rep.Rejected, wantRejected) {
		t.Errorf("rejected = %v, want %v (the request log held only the last request)", rep.Rejected, wantRejected)
	}
	if rep.Total != 4 || rep.Calls[lazypull.ActionSet] != 1 || rep.Calls[lazypull.ActionDescribe] != 3 {
		t.Errorf("total %d, calls %v; want 4, Set 1 and Describe 3", rep.Total, rep.Calls)
	}
	if rep.Configs != 1 || rep.ConfigsPerDomain["live.example.com"] != 1 {
		t.Errorf("configs %d %v, want 1 on live.example.com", rep.Configs, rep.ConfigsPerDomain)
	}

	resp, err := http.Post(ts.URL+"/_stats/reset", "text/plain", nil)
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	if resp.StatusCode != http.StatusNoContent {
		t.Fatalf("reset answered %d", resp.StatusCode)
	}
	if rep := stats(); rep.Total != 0 || len(rep.Rejected) != 0 || len(rep.Calls) != 0 || rep.Configs != 1 {
		t.Errorf("after reset: %+v; want no counts and the configuration kept", rep)
	}
}

func TestParseFlagsBehavior(t *testing.T) {
	cases := []struct {
		args []string
		want livemock.Behavior
	}{
		{nil, livemock.Behavior{}},
		{[]string{"-variant", "keep-omitted"}, livemock.Variants["keep-omitted"]},
		{[]string{"-variant", "lagging-describe"}, livemock.Behavior{DescribeLag: 2 * time.Second}},
		{[]string{"-omitted", "keep", "-order", "random"}, livemock.Behavior{OmittedParams: livemock.OmittedKeep, ListOrder: livemock.ListRandom}},
		{[]string{"-delete-missing", "Foo.NotFound"}, livemock.Behavior{DeleteMissing: livemock.DeleteMissing{Code: "Foo.NotFound", Status: 404}}},
		{[]string{"-delete-missing", "Foo.NotFound:400"}, livemock.Behavior{DeleteMissing: livemock.DeleteMissing{Code: "Foo.NotFound", Status: 400}}},
		{[]string{"-describe-lag", "500ms"}, livemock.Behavior{DescribeLag: 500 * time.Millisecond}},
		{[]string{"-stored-form", "first-origin"}, livemock.Behavior{StoredForm: livemock.StoredFirstOrigin}},
		{[]string{"-variant", "lower-case-hosts"}, livemock.Behavior{StoredForm: livemock.StoredLowerCase}},
		// An override wins over the variant, whatever the order of the flags.
		{[]string{"-omitted", "clear", "-variant", "all-alternatives", "-delete-missing", "succeed", "-describe-lag", "0", "-stored-form", "as-sent"},
			livemock.Behavior{OmittedParams: livemock.OmittedClear, ListOrder: livemock.ListRandom}},
	}
	for _, tc := range cases {
		st, err := parseFlags(tc.args, io.Discard)
		if err != nil || st.behavior != tc.want {
			t.Errorf("%q: got %v, %v; want %v", tc.args, st.behavior, err, tc.want)
		}
	}
}

func TestParseFlagsRejects(t *testing.T) {
	cases := []struct {
		args []string
		want string // in the error or in what was printed
	}{
		{[]string{"-variant", "nope"}, `unknown variant "nope"; known variants: all-alternatives, default, delete-missing-fails, keep-omitted, lagging-describe, lower-case-hosts, random-order`},
		{[]string{"-omitted", "drop"}, `invalid value "drop" for flag -omitted: want keep or clear`},
		{[]string{"-order", "shuffled"}, `invalid value "shuffled" for flag -order: want sorted or random`},
		{[]string{"-delete-missing", "Foo:200"}, `invalid value "Foo:200" for flag -delete-missing: want an HTTP status from 400 to 599`},
		{[]string{"-describe-lag", "soon"}, `invalid value "soon" for flag -describe-lag`},
		{[]string{"-stored-form", "upper-case"}, `invalid value "upper-case" for flag -stored-form`},
		{[]string{"-describe-lag", "-1s"}, "-describe-lag must not be negative"},
		{[]string{"-config", "live.example.com:a:o.example.net"}, "want DOMAIN:APP:ORIGINS:PROTOCOL"},
		{[]string{"-config", "live.example.com::o.example.net:rtmp"}, "want DOMAIN:APP:ORIGINS:PROTOCOL"},
		{[]string{"-config", "live.example.com:a:o.example.net:flv"}, `protocol "flv"`},
		{[]string{"-config", "other.example.com:a:o.example.net:rtmp"}, "other.example.com is not a Live domain of the mock"},
		{[]string{"-domain", "a:b"}, `want a domain name, got "a:b"`},
		{[]string{"-gateway-error", "Set:502"}, `unknown action "Set": want one of SetLiveLazyPullStreamInfoConfig, DescribeLiveLazyPullStreamConfig, DeleteLiveLazyPullStreamInfoConfig`},
		{[]string{"-gateway-error", lazypull.ActionSet + ":500"}, "want 403, 502, 503 or 504"},
		{[]string{"-gateway-error", lazypull.ActionSet + ":502:0"}, "want a positive number"},
		{[]string{"-gateway-error", lazypull.ActionSet}, "want ACTION:STATUS[:COUNT]"},
		{[]string{"-deny", lazypull.ActionDelete + ":AccessDenied"}, "want Forbidden.RAM or NoPermission"},
		{[]string{"-deny", "Delete"}, `unknown action "Delete"`},
	}
	for _, tc := range cases {
		var out strings.Builder
		_, err := parseFlags(tc.args, &out)
		if err == nil {
			t.Errorf("%q accepted", tc.args)
			continue
		}
		if !strings.Contains(err.Error()+out.String(), tc.want) {
			t.Errorf("%q: error %q (printed %q) does not say %q", tc.args, err, out.String(), tc.want)
		}
	}
}

// TestFaultFlags: -gateway-error answers the first COUNT requests of its
// action with the gateway's HTML page and applies nothing; -deny answers
// every request of its action with a RAM denial; other actions are served.
func TestFaultFlags(t *testing.T) {
	st, err := parseFlags([]string{"-gateway-error", lazypull.ActionSet + ":503:2", "-deny", lazypull.ActionDelete, "-deny", lazypull.ActionDescribe + ":NoPermission"}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(newMock(st))
	defer ts.Close()
	call := func(action string, extra map[string]string) (int, map[string]any) {
		return post(t, ts.URL, livemock.DemoAccessKeyID, livemock.DemoAccessKeySecret, action, extra)
	}
	set := map[string]string{"DomainName": "live.example.com", "AppName": "a", "PullDomainName": "o.example.net", "PullProtocol": "rtmp"}
	for i, want := range []int{503, 503, 200, 200} {
		if got, b := call(lazypull.ActionSet, set); got != want {
			t.Fatalf("Set %d: %d %v, want %d", i+1, got, b, want)
		}
	}
	for action, code := range map[string]string{lazypull.ActionDelete: "Forbidden.RAM", lazypull.ActionDescribe: "NoPermission"} {
		for range 2 {
			if got, b := call(action, map[string]string{"DomainName": "live.example.com", "AppName": "a"}); got != 403 || b["Code"] != code {
				t.Fatalf("%s: %d %v, want 403 %s", action, got, b, code)
			}
		}
	}
}

func TestParseConfig(t *testing.T) {
	c, err := parseConfig("live.example.com:live:a.example.net:1935;b.example.net:httpflv")
	want := livemock.Config{DomainName: "live.example.com", AppName: "live", PullDomainName: "a.example.net:1935;b.example.net", PullProtocol: "httpflv", TranscodeLazy: "no"}
	if err != nil || c != want {
		t.Fatalf("got %+v, %v; want %+v", c, err, want)
	}
}

// syncBuffer is a bytes.Buffer safe for one writer and one reader.
type syncBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestRunSeedsAndServesConfigs: -domain and -config seed the account, the
// behavior is printed on stderr, and /_configs shows what the mock holds
// while Describe lags behind it.
func TestRunSeedsAndServesConfigs(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var stderr syncBuffer
	line, done := startRun(t, ctx, []string{"-stats", "-variant", "lagging-describe", "-describe-lag", "1h", "-order", "sorted", "-domain", "extra.example.com",
		"-config", "extra.example.com:live:a.example.net;b.example.net:hls"}, &stderr)
	endpoint := regexp.MustCompile(`endpoint=(\S+)`).FindStringSubmatch(line)[1]
	if want := "livemock: variant lagging-describe (overridden): omitted=clear delete-missing=succeed order=sorted describe-lag=1h0m0s stored-form=as-sent\n"; stderr.String() != want {
		t.Errorf("stderr %q, want %q", stderr.String(), want)
	}
	call := func(action string, extra map[string]string) (int, map[string]any) {
		return post(t, endpoint, livemock.DemoAccessKeyID, livemock.DemoAccessKeySecret, action, extra)
	}
	configs := func() []livemock.Config {
		t.Helper()
		resp, err := http.Get(endpoint + "/_configs")
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var cs []livemock.Config
		if err := json.NewDecoder(resp.Body).Decode(&cs); err != nil {
			t.Fatal(err)
		}
		return cs
	}

	// The seeded configuration is visible at once, on the extra domain.
	st, body := call(lazypull.ActionDescribe, map[string]string{"DomainName": "extra.example.com"})
	list, _ := body["LiveLazyPullConfigList"].(map[string]any)["LiveLazyPullConfig"].([]any)
	if st != 200 || len(list) != 1 || list[0].(map[string]any)["PullDomainName"] != "a.example.net;b.example.net" {
		t.Fatalf("describe of the seeded domain: %d %v", st, body)
	}

	// A new write: in /_configs at once, not yet in Describe.
	if st, b := call(lazypull.ActionSet, map[string]string{"DomainName": "extra.example.com", "AppName": "new", "PullDomainName": "o.example.net", "PullProtocol": "rtmp"}); st != 200 {
		t.Fatalf("set: %d %v", st, b)
	}
	if cs := configs(); len(cs) != 2 || cs[1].AppName != "new" || cs[0].PullProtocol != "hls" {
		t.Fatalf("/_configs = %+v", cs)
	}
	_, body = call(lazypull.ActionDescribe, map[string]string{"DomainName": "extra.example.com"})
	if list, _ := body["LiveLazyPullConfigList"].(map[string]any)["LiveLazyPullConfig"].([]any); len(list) != 1 {
		t.Fatalf("describe shows the write before the lag: %v", body)
	}

	cancel()
	if err := <-done; err != nil {
		t.Fatalf("run: %v", err)
	}
}
