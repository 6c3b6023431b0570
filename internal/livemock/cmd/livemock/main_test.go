package main

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"regexp"
	"strconv"
	"testing"
	"time"

	"github.com/alicloud-live/terraform-provider-alicloud/internal/livemock"
)

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
		p := map[string]string{
			"Format": "JSON", "Version": livemock.LiveVersion, "AccessKeyId": m[2], "SignatureMethod": "HMAC-SHA1",
			"SignatureVersion": "1.0", "SignatureNonce": strconv.FormatInt(time.Now().UnixNano(), 10),
			"Timestamp": time.Now().UTC().Format("2006-01-02T15:04:05Z"), "Action": action,
		}
		for k, v := range extra {
			p[k] = v
		}
		v := livemock.SignedValues(http.MethodPost, p, m[3])
		resp, err := http.Post(m[1]+"/?"+v.Encode(), "application/x-www-form-urlencoded", nil)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var body map[string]any
		_ = json.NewDecoder(resp.Body).Decode(&body)
		return resp.StatusCode, body
	}
	if st, b := call(livemock.ActionSet, map[string]string{"DomainName": "demo.example.com", "AppName": "a", "PullDomainName": "o.example.net", "PullProtocol": "rtmp"}); st != 200 {
		t.Fatalf("set: %d %v", st, b)
	}
	if st, b := call(livemock.ActionDescribe, map[string]string{"DomainName": "cdn.example.com"}); st != 403 || b["Code"] != "IllegalOperation" {
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
