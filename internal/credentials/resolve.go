package credentials

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"strings"
	"sync"

	"github.com/aliyun/credentials-go/credentials/providers"

	"github.com/alicloud-live/terraform-provider-alicloud/internal/liveapi"
)

// DefaultSTSEndpoint is the public STS endpoint.
const DefaultSTSEndpoint = "https://sts.aliyuncs.com"

// Defaults of an assume_role block, as the official provider has them.
const (
	DefaultSessionName       = "terraform"
	DefaultSessionExpiration = 3600
)

// RoleSettings is an assume_role block.
type RoleSettings struct {
	RoleArn           string
	SessionName       string
	SessionExpiration int
	Policy            string
	ExternalID        string
}

// OIDCSettings is an assume_role_with_oidc block, or the variables ACK
// RRSA injects, each value with where it was found.
type OIDCSettings struct {
	ProviderArn       Value
	RoleArn           Value
	Token             Value
	TokenFile         Value
	SessionName       Value
	SessionExpiration int
	Policy            string
}

// HTTP is how the credential sources reach their servers.
type HTTP struct {
	// Proxy returns the proxy URL for a request to target, "" for none.
	Proxy          func(target *url.URL) string
	ConnectTimeout int // milliseconds, 0 for the library's default
	ReadTimeout    int // milliseconds
}

// Settings are the provider's credential settings, each already looked up
// in its attribute and then its environment variables.
type Settings struct {
	Static         Static
	Profile        Value // profile name
	ProfileFile    Value // empty for ~/.aliyun/config.json
	CredentialsURI Value
	ECSRoleName    Value
	OIDC           *OIDCSettings
	AssumeRole     *RoleSettings
	// STSEndpoint is host[:port]; STS is always called over https.
	STSEndpoint string
	Region      string
	HTTP        HTTP
}

// Resolved is the outcome of Resolve.
type Resolved struct {
	// Source signs the calls. Nothing is read or called before its first
	// Credentials call.
	Source liveapi.CredentialSource
	// Ignored names each configured source that is not used, beside the
	// one that is, for a warning.
	Ignored []string
}

// candidate is one source in the order of Resolve.
type candidate struct {
	name string // how messages name the source, with its value
	// attr is the source's attribute or block, and unset how to configure
	// it: the list of sources when none is configured.
	attr, unset string
	// set tells where the source is configured, "" when it is not.
	set string
	// build makes the source; nil for the static keys, which need none.
	build func() (liveapi.CredentialSource, error)
}

// Resolve picks the credential source. The first source that is configured
// is used; the others are named in Resolved.Ignored:
//
//  1. access_key and secret_key (attributes, then environment);
//  2. profile, a profile of the Alibaba Cloud CLI of any mode;
//  3. credentials_uri;
//  4. ecs_role_name, the instance's RAM role through the metadata service;
//  5. assume_role_with_oidc, or the RRSA variables.
//
// Then assume_role, when set, assumes its role with whatever was found.
// The metadata service is asked only for source 4 or an EcsRamRole profile.
func Resolve(s Settings) Resolved {
	cands := candidates(s)
	var chosen *candidate
	var out Resolved
	for i := range cands {
		c := &cands[i]
		if c.set == "" {
			continue
		}
		if chosen == nil {
			chosen = c
			continue
		}
		out.Ignored = append(out.Ignored, fmt.Sprintf("%s (%s) is not used: %s (%s) comes first", c.name, c.set, chosen.name, chosen.set))
	}
	if chosen == nil {
		out.Source = none{cands: cands, assumeRole: s.AssumeRole != nil}
		return out
	}
	var base liveapi.CredentialSource = s.Static
	if chosen.build != nil {
		base = &lazy{describe: chosen.name + " (" + chosen.set + ")", build: chosen.build}
	}
	if s.AssumeRole != nil && s.AssumeRole.RoleArn != "" {
		base = assumeRole(base, *s.AssumeRole, s)
	}
	out.Source = base
	return out
}

func candidates(s Settings) []candidate {
	keys := ""
	if !s.Static.Empty() {
		keys = s.Static.Describe()
	}
	var oidcSet string
	if o := s.OIDC; o != nil {
		oidcSet = strings.Join(nonEmpty([]string{o.ProviderArn.From, o.RoleArn.From, o.Token.From, o.TokenFile.From}), ", ")
		if oidcSet == "" {
			oidcSet = "an empty assume_role_with_oidc block"
		}
	}
	return []candidate{
		{name: "access_key and secret_key", attr: "access_key and secret_key", set: keys,
			unset: "the access_key and secret_key attributes, or ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET (or ALICLOUD_ACCESS_KEY and ALICLOUD_SECRET_KEY)"},
		{name: fmt.Sprintf("profile %q", s.Profile.Value), attr: "profile", set: s.Profile.From,
			unset: "the profile attribute, or ALIBABA_CLOUD_PROFILE (or ALICLOUD_PROFILE)",
			build: func() (liveapi.CredentialSource, error) { return profileSource(s) }},
		{name: "credentials_uri " + shownURI(s.CredentialsURI.Value), attr: "credentials_uri", set: s.CredentialsURI.From,
			unset: "the credentials_uri attribute, or ALIBABA_CLOUD_CREDENTIALS_URI (or ALICLOUD_CREDENTIALS_URI)",
			build: func() (liveapi.CredentialSource, error) { return uriSource(s) }},
		{name: fmt.Sprintf("ecs_role_name %q", s.ECSRoleName.Value), attr: "ecs_role_name", set: s.ECSRoleName.From,
			unset: "the ecs_role_name attribute, or ALIBABA_CLOUD_ECS_METADATA (or ALICLOUD_ECS_ROLE_NAME); the metadata service is asked only then",
			build: func() (liveapi.CredentialSource, error) { return ecsSource(s, s.ECSRoleName.Value, "") }},
		{name: "assume_role_with_oidc", attr: "assume_role_with_oidc", set: oidcSet,
			unset: "the assume_role_with_oidc block, or ALIBABA_CLOUD_OIDC_PROVIDER_ARN with ALIBABA_CLOUD_ROLE_ARN and ALIBABA_CLOUD_OIDC_TOKEN_FILE",
			build: func() (liveapi.CredentialSource, error) { return oidcSource(s) }},
	}
}

// none is the source when nothing is configured: its error lists every
// source and how to configure it.
type none struct {
	cands      []candidate
	assumeRole bool
}

func (none) Describe() string  { return "nowhere (no credential source is configured)" }
func (none) Secrets() []string { return nil }

func (n none) Credentials(context.Context) (liveapi.Credentials, error) {
	var b strings.Builder
	b.WriteString("no Alibaba Cloud credentials; the provider tried, in order:")
	for i, c := range n.cands {
		fmt.Fprintf(&b, "\n  %d. %s: not set: %s", i+1, c.attr, c.unset)
	}
	if n.assumeRole {
		b.WriteString("\nassume_role needs one of these to call STS with.")
	}
	return liveapi.Credentials{}, fmt.Errorf("%w\n%s", liveapi.ErrNoCredentials, b.String())
}

// lazy builds its source when credentials are first needed, so that a
// plan that makes no call reads no file.
type lazy struct {
	describe string
	build    func() (liveapi.CredentialSource, error)

	mu    sync.Mutex
	built liveapi.CredentialSource
	err   error
}

func (l *lazy) get() (liveapi.CredentialSource, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.built == nil && l.err == nil {
		l.built, l.err = l.build()
	}
	return l.built, l.err
}

func (l *lazy) Describe() string { return l.describe }

func (l *lazy) Secrets() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.built == nil {
		return nil
	}
	return l.built.Secrets()
}

func (l *lazy) Credentials(ctx context.Context) (liveapi.Credentials, error) {
	src, err := l.get()
	if err != nil {
		return liveapi.Credentials{}, fmt.Errorf("%s: %w", l.describe, err)
	}
	return src.Credentials(ctx)
}

// httpOptions are the library's options for a request to target.
func (s Settings) httpOptions(target string) *providers.HttpOptions {
	o := &providers.HttpOptions{ConnectTimeout: s.HTTP.ConnectTimeout, ReadTimeout: s.HTTP.ReadTimeout}
	if s.HTTP.Proxy != nil {
		if u, err := url.Parse(target); err == nil {
			o.Proxy = s.HTTP.Proxy(u)
		}
	}
	return o
}

func (s Settings) stsEndpoint() string {
	if s.STSEndpoint == "" {
		return strings.TrimPrefix(DefaultSTSEndpoint, "https://")
	}
	return s.STSEndpoint
}

// metadataHost is the ECS metadata service, which the library always asks.
const metadataHost = "100.100.100.200"

func ecsSource(s Settings, role, from string) (liveapi.CredentialSource, error) {
	p, err := providers.NewECSRAMRoleCredentialsProviderBuilder().
		WithRoleName(role).
		WithHttpOptions(s.httpOptions("http://" + metadataHost + "/")).
		Build()
	if err != nil {
		return nil, err
	}
	d := fmt.Sprintf("the ECS RAM role %q through the metadata service %s%s", role, metadataHost, from)
	return newSource(&metadataErrors{p}, d), nil
}

// metadataErrors says what a metadata answer means.
type metadataErrors struct {
	*providers.ECSRAMRoleCredentialsProvider
}

func (m *metadataErrors) GetCredentials() (*providers.Credentials, error) {
	c, err := m.ECSRAMRoleCredentialsProvider.GetCredentials()
	if err != nil && strings.Contains(err.Error(), "httpStatus: 404") {
		return nil, fmt.Errorf("the metadata service does not know the role (HTTP 404): is it attached to this instance? (%w)", err)
	}
	return c, err
}

func uriSource(s Settings) (liveapi.CredentialSource, error) {
	u, err := url.Parse(s.CredentialsURI.Value)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("%s is not an http or https URL", shownURI(s.CredentialsURI.Value))
	}
	p, err := providers.NewURLCredentialsProviderBuilder().
		WithUrl(s.CredentialsURI.Value).
		WithHttpOptions(s.httpOptions(s.CredentialsURI.Value)).
		Build()
	if err != nil {
		return nil, err
	}
	pw, _ := u.User.Password()
	return newSource(p, fmt.Sprintf("the credentials URI %s (from %s)", shownURI(s.CredentialsURI.Value), s.CredentialsURI.From),
		pw, u.RawQuery, u.Fragment, u.EscapedFragment()), nil
}

// shownURI is a credentials URI as messages show it: its scheme, host and
// path, without the user information, query or fragment, any of which may
// carry a secret (uriSource masks them in the library's errors too).
func shownURI(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return "(a value that is not a URL)"
	}
	return (&url.URL{Scheme: u.Scheme, Host: u.Host, Path: u.Path}).String()
}

func oidcSource(s Settings) (liveapi.CredentialSource, error) {
	o := s.OIDC
	var missing []string
	if o.ProviderArn.Value == "" {
		missing = append(missing, "oidc_provider_arn (or ALIBABA_CLOUD_OIDC_PROVIDER_ARN)")
	}
	if o.RoleArn.Value == "" {
		missing = append(missing, "role_arn (or ALIBABA_CLOUD_ROLE_ARN)")
	}
	if o.Token.Value == "" && o.TokenFile.Value == "" {
		missing = append(missing, "oidc_token or oidc_token_file (or ALIBABA_CLOUD_OIDC_TOKEN_FILE)")
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("missing %s", strings.Join(missing, ", "))
	}
	session := o.SessionName.Value
	if session == "" {
		session = DefaultSessionName
	}
	b := providers.NewOIDCCredentialsProviderBuilder().
		WithOIDCProviderARN(o.ProviderArn.Value).
		WithRoleArn(o.RoleArn.Value).
		WithRoleSessionName(session).
		WithDurationSeconds(o.SessionExpiration).
		WithPolicy(o.Policy).
		WithSTSEndpoint(s.stsEndpoint()).
		WithHttpOptions(s.httpOptions("https://" + s.stsEndpoint() + "/"))
	if o.Token.Value != "" {
		b = b.WithOIDCToken(o.Token.Value)
	} else {
		b = b.WithOIDCTokenFilePath(o.TokenFile.Value)
	}
	p, err := b.Build()
	if err != nil {
		return nil, err
	}
	d := fmt.Sprintf("role %s assumed with OIDC through STS at %s", o.RoleArn.Value, s.stsEndpoint())
	return newSource(&oidcErrors{p, o.TokenFile}, d, o.Token.Value), nil
}

// oidcErrors says which token file failed, and why.
type oidcErrors struct {
	*providers.OIDCCredentialsProvider
	file Value
}

func (o *oidcErrors) GetCredentials() (*providers.Credentials, error) {
	// The library reads the file again at every renewal (whoever writes it
	// rotates it); this reads it only to explain a failure.
	c, err := o.OIDCCredentialsProvider.GetCredentials()
	if err == nil || o.file.Value == "" {
		return c, err
	}
	if data, rerr := os.ReadFile(o.file.Value); rerr == nil && strings.TrimSpace(string(data)) == "" {
		return nil, fmt.Errorf("the OIDC token file %s (from %s) is empty: it holds no valid token", o.file.Value, o.file.From)
	}
	if strings.Contains(err.Error(), o.file.Value) {
		return nil, fmt.Errorf("cannot read the OIDC token file %s (from %s): %w", o.file.Value, o.file.From, err)
	}
	if strings.Contains(err.Error(), "InvalidParameter.OIDCToken") {
		return nil, fmt.Errorf("the OIDC token file %s (from %s) holds no valid token: %w", o.file.Value, o.file.From, err)
	}
	return nil, err
}

// assumeRole assumes r with base's credentials, through the STS endpoint
// of s.
func assumeRole(base liveapi.CredentialSource, r RoleSettings, s Settings) liveapi.CredentialSource {
	if r.SessionName == "" {
		r.SessionName = DefaultSessionName
	}
	if r.SessionExpiration == 0 {
		r.SessionExpiration = DefaultSessionExpiration
	}
	d := fmt.Sprintf("role %s assumed through STS at %s with the %s", r.RoleArn, s.stsEndpoint(), base.Describe())
	return &lazy{describe: d, build: func() (liveapi.CredentialSource, error) {
		p, err := providers.NewRAMRoleARNCredentialsProviderBuilder().
			WithCredentialsProvider(&previous{base}).
			WithRoleArn(r.RoleArn).
			WithRoleSessionName(r.SessionName).
			WithDurationSeconds(r.SessionExpiration).
			WithPolicy(r.Policy).
			WithExternalId(r.ExternalID).
			WithStsEndpoint(s.stsEndpoint()).
			WithHttpOptions(s.httpOptions("https://" + s.stsEndpoint() + "/")).
			Build()
		if err != nil {
			return nil, err
		}
		return &chained{source: newSource(p, fmt.Sprintf("STS AssumeRole of %s at %s", r.RoleArn, s.stsEndpoint())), base: base}, nil
	}}
}

// previous hands a source's credentials to the library, as the
// credentials an AssumeRole call is signed with.
type previous struct{ liveapi.CredentialSource }

func (p *previous) GetCredentials() (*providers.Credentials, error) {
	c, err := p.Credentials(context.Background())
	if err != nil {
		return nil, err
	}
	return &providers.Credentials{AccessKeyId: c.AccessKeyID, AccessKeySecret: c.AccessKeySecret, SecurityToken: c.SecurityToken, ProviderName: "terraform"}, nil
}

func (p *previous) GetProviderName() string { return "terraform" }

// chained is an assumed role: its secrets include its base's.
type chained struct {
	*source
	base liveapi.CredentialSource
}

func (c *chained) Secrets() []string {
	return append(c.base.Secrets(), c.source.Secrets()...)
}

func (c *chained) Credentials(ctx context.Context) (liveapi.Credentials, error) {
	cr, err := c.source.Credentials(ctx)
	if err != nil {
		return cr, fmt.Errorf("%s. The call was signed with the %s", liveapi.Redact(err.Error(), c.base.Secrets()), c.base.Describe())
	}
	return cr, nil
}
