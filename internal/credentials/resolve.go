package credentials

import (
	"context"
	"fmt"
	"net/url"
	"sync"

	"github.com/alicloud-live/terraform-provider-alicloud/internal/liveapi"
)

// RoleSettings is an assume_role block.
type RoleSettings struct {
	RoleArn           string
	SessionName       string
	SessionExpiration int
	Policy            string
	ExternalID        string
}

// Settings are the provider's credential settings, each already looked up
// in its attribute and then its environment variables.
type Settings struct {
	Static      Static
	Profile     Value  // profile name
	ProfileFile string // empty for ~/.aliyun/config.json
	AssumeRole  *RoleSettings
	STSEndpoint *url.URL
	Region      string
}

// Resolve picks the credential source, in the order the official alicloud
// provider uses:
//
//  1. access_key / secret_key / security_token attributes, each falling
//     back to its environment variables;
//  2. a profile of the Alibaba Cloud CLI (profile, else ALICLOUD_PROFILE),
//     when neither key is set;
//  3. then, when an assume_role block is set (or the profile is a
//     RamRoleArn profile), the credentials of 1 or 2 assume that role
//     through STS and the provider uses the role's temporary credentials.
//
// Nothing is read or called here: files are read and STS is called only
// when the first API call needs credentials.
func Resolve(s Settings) liveapi.CredentialSource {
	var base liveapi.CredentialSource = s.Static
	if s.Static.Empty() && s.Profile.Value != "" {
		base = &profileSource{settings: s}
	}
	if s.AssumeRole != nil && s.AssumeRole.RoleArn != "" {
		return newAssumeRole(base, *s.AssumeRole, s)
	}
	return base
}

func newAssumeRole(base liveapi.CredentialSource, r RoleSettings, s Settings) *AssumeRole {
	if r.SessionName == "" {
		r.SessionName = DefaultSessionName
	}
	if r.SessionExpiration == 0 {
		r.SessionExpiration = DefaultSessionExpiration
	}
	endpoint := s.STSEndpoint
	if endpoint == nil {
		endpoint, _ = url.Parse(DefaultSTSEndpoint)
	}
	return &AssumeRole{
		Base: base, RoleArn: r.RoleArn, SessionName: r.SessionName, SessionExpiration: r.SessionExpiration,
		Policy: r.Policy, ExternalID: r.ExternalID, Endpoint: endpoint, Region: s.Region,
	}
}

// profileSource reads a CLI profile when credentials are first needed.
type profileSource struct {
	settings Settings

	mu     sync.Mutex
	loaded liveapi.CredentialSource
}

func (p *profileSource) where() string {
	path, err := ProfilePath(p.settings.ProfileFile)
	if err != nil {
		path = p.settings.ProfileFile
	}
	from := ""
	if p.settings.Profile.From != "" {
		from = " (named by " + p.settings.Profile.From + ")"
	}
	return fmt.Sprintf("profile %q%s in %s", p.settings.Profile.Value, from, path)
}

func (p *profileSource) Describe() string { return p.where() }

func (p *profileSource) Secrets() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.loaded == nil {
		return nil
	}
	return p.loaded.Secrets()
}

func (p *profileSource) Credentials(ctx context.Context) (liveapi.Credentials, error) {
	p.mu.Lock()
	if p.loaded == nil {
		path, err := ProfilePath(p.settings.ProfileFile)
		if err != nil {
			p.mu.Unlock()
			return liveapi.Credentials{}, err
		}
		prof, err := LoadProfile(path, p.settings.Profile.Value)
		if err != nil {
			p.mu.Unlock()
			return liveapi.Credentials{}, err
		}
		var src liveapi.CredentialSource = prof.Static(path)
		if prof.Mode == "RamRoleArn" && p.settings.AssumeRole == nil {
			src = newAssumeRole(src, RoleSettings{RoleArn: prof.RAMRoleArn, SessionName: prof.RAMSessionName, SessionExpiration: prof.ExpiredSeconds}, p.settings)
		}
		p.loaded = src
	}
	src := p.loaded
	p.mu.Unlock()
	return src.Credentials(ctx)
}

// ProfileRegion returns the region_id of the profile, or "" when the
// profile cannot be read: the error surfaces when credentials are needed.
func ProfileRegion(s Settings) string {
	if !s.Static.Empty() || s.Profile.Value == "" {
		return ""
	}
	path, err := ProfilePath(s.ProfileFile)
	if err != nil {
		return ""
	}
	prof, err := LoadProfile(path, s.Profile.Value)
	if err != nil {
		return ""
	}
	return prof.RegionID
}
