// Package credentials resolves where the provider's Alibaba Cloud
// credentials come from: provider attributes, environment variables, an
// Alibaba Cloud CLI profile, or an STS role assumed with any of those.
package credentials

import (
	"context"
	"fmt"
	"strings"

	"github.com/alicloud-live/terraform-provider-alicloud/internal/liveapi"
)

// Value is one setting together with where it was found.
type Value struct {
	Value string
	// From names the attribute or environment variable, e.g.
	// `the access_key attribute` or `ALICLOUD_ACCESS_KEY`.
	From string
}

// Lookup returns the first non-empty candidate.
func Lookup(candidates ...Value) Value {
	for _, c := range candidates {
		if c.Value != "" {
			return c
		}
	}
	return Value{}
}

// Static is an access key pair (and optional security token) given
// directly, through attributes or environment variables.
type Static struct {
	AccessKey     Value
	SecretKey     Value
	SecurityToken Value
}

var _ liveapi.CredentialSource = Static{}

// Credentials implements liveapi.CredentialSource.
func (s Static) Credentials(context.Context) (liveapi.Credentials, error) {
	switch {
	case s.AccessKey.Value == "" && s.SecretKey.Value == "":
		return liveapi.Credentials{}, liveapi.ErrNoCredentials
	case s.AccessKey.Value == "":
		return liveapi.Credentials{}, fmt.Errorf("a secret key is set (from %s) but no access key: set the access_key attribute or ALICLOUD_ACCESS_KEY (or ALIBABA_CLOUD_ACCESS_KEY_ID)", s.SecretKey.From)
	case s.SecretKey.Value == "":
		return liveapi.Credentials{}, fmt.Errorf("an access key is set (from %s) but no secret key: set the secret_key attribute or ALICLOUD_SECRET_KEY (or ALIBABA_CLOUD_ACCESS_KEY_SECRET)", s.AccessKey.From)
	}
	return liveapi.Credentials{
		AccessKeyID:     s.AccessKey.Value,
		AccessKeySecret: s.SecretKey.Value,
		SecurityToken:   s.SecurityToken.Value,
	}, nil
}

// Empty reports whether neither key is set.
func (s Static) Empty() bool { return s.AccessKey.Value == "" && s.SecretKey.Value == "" }

// Describe implements liveapi.CredentialSource.
func (s Static) Describe() string {
	if s.Empty() {
		return "nowhere (no access key or secret key is set)"
	}
	parts := []string{}
	if s.AccessKey.From != "" && s.AccessKey.From == s.SecretKey.From {
		parts = append(parts, "access key and secret key from "+s.AccessKey.From)
	} else if s.AccessKey.From != "" {
		parts = append(parts, "access key from "+s.AccessKey.From)
	}
	if s.SecretKey.From != "" && s.SecretKey.From != s.AccessKey.From {
		parts = append(parts, "secret key from "+s.SecretKey.From)
	}
	if s.SecurityToken.From != "" {
		parts = append(parts, "security token from "+s.SecurityToken.From)
	}
	return strings.Join(parts, ", ")
}

// Secrets implements liveapi.CredentialSource.
func (s Static) Secrets() []string {
	var out []string
	for _, v := range []string{s.SecretKey.Value, s.SecurityToken.Value} {
		if v != "" {
			out = append(out, v)
		}
	}
	return out
}
