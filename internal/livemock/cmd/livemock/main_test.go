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

func TestRunServesDemoAccount(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"-addr", "127.0.0.1:0", "-rate-limit", "5", "-rate-window", "1m"}, pw, io.Discard)
		pw.Close()
	}()

	line, err := bufio.NewReader(pr).ReadString('\n')
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`^endpoint=(http://127\.0\.0\.1:\d+) access_key=(\S+) secret_key=(\S+)\n$`).FindStringSubmatch(line)
	if m == nil || m[2] != livemock.DemoAccessKeyID || m[3] != livemock.DemoAccessKeySecret {
		t.Fatalf("unexpected line %q", line)
	}
	go func() { _, _ = io.Copy(io.Discard, pr) }()

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
