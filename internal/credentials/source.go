package credentials

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/aliyun/credentials-go/credentials/providers"

	"github.com/alicloud-live/terraform-provider-alicloud/internal/liveapi"
	_ "github.com/alicloud-live/terraform-provider-alicloud/internal/sdkquiet" // must initialize before credentials-go
)

// source adapts a credentials-go provider to liveapi.CredentialSource. The
// library's providers are not safe for concurrent use and renew temporary
// credentials themselves shortly before they expire, so every call asks
// the provider again under one lock.
type source struct {
	provider providers.CredentialsProvider
	// describe names the source for people, never a value.
	describe string
	// known are secrets the configuration itself holds (a secret key, an
	// OIDC token), masked before any was used.
	known []string

	mu      sync.Mutex
	secrets []string
}

var _ liveapi.CredentialSource = &source{}

func newSource(p providers.CredentialsProvider, describe string, known ...string) *source {
	return &source{provider: p, describe: describe, known: nonEmpty(known)}
}

// Describe implements liveapi.CredentialSource.
func (s *source) Describe() string { return s.describe }

// Secrets implements liveapi.CredentialSource: the configured secrets and
// every temporary secret and token handed out so far.
func (s *source) Secrets() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append(append([]string{}, s.known...), s.secrets...)
}

// Credentials implements liveapi.CredentialSource. Temporary credentials
// are reported as due for renewal at once, so that the client asks again
// before every call and the library, which knows their expiry, decides
// when to renew them.
func (s *source) Credentials(ctx context.Context) (liveapi.Credentials, error) {
	type result struct {
		c   *providers.Credentials
		err error
	}
	done := make(chan result, 1)
	go func() {
		s.mu.Lock()
		defer s.mu.Unlock()
		c, err := s.provider.GetCredentials()
		if c != nil {
			s.secrets = appendNew(s.secrets, c.AccessKeySecret, c.SecurityToken)
		}
		done <- result{c, err}
	}()
	var r result
	select {
	case r = <-done:
	case <-ctx.Done():
		return liveapi.Credentials{}, fmt.Errorf("%s: %w", s.describe, ctx.Err())
	}
	if r.err != nil {
		return liveapi.Credentials{}, fmt.Errorf("%s: %s", s.describe, s.clean(r.err.Error()))
	}
	out := liveapi.Credentials{AccessKeyID: r.c.AccessKeyId, AccessKeySecret: r.c.AccessKeySecret, SecurityToken: r.c.SecurityToken}
	if out.SecurityToken != "" {
		out.Expires = time.Now()
	}
	return out, nil
}

// stringToSign is what Alibaba Cloud echoes after a signature mismatch:
// every parameter, a security token included.
var stringToSign = regexp.MustCompile(`(?s)\s*server string to sign is:.*`)

// clean turns the library's error text into one for people: an answer's
// JSON body becomes its code, message and RequestId, and no secret the
// source knows survives.
func (s *source) clean(msg string) string {
	if i := strings.Index(msg, "{"); i >= 0 {
		var body struct {
			Code, Message, RequestId string
		}
		if json.Unmarshal([]byte(msg[i:]), &body) == nil && body.Code != "" {
			m := stringToSign.ReplaceAllString(body.Message, "")
			msg = fmt.Sprintf("%s%s: %s (RequestId %s)", msg[:i], body.Code, m, body.RequestId)
		}
	}
	msg = stringToSign.ReplaceAllString(msg, "")
	return liveapi.Redact(msg, s.Secrets())
}

func nonEmpty(list []string) []string {
	var out []string
	for _, v := range list {
		if v != "" {
			out = append(out, v)
		}
	}
	return out
}

func appendNew(list []string, more ...string) []string {
next:
	for _, v := range more {
		if v == "" {
			continue
		}
		for _, have := range list {
			if have == v {
				continue next
			}
		}
		list = append(list, v)
	}
	return list
}
