// Package provider implements the Terraform provider for Alibaba Cloud
// ApsaraVideo Live: its configuration, resource, data source and list resource.
package provider

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"sort"
	"strings"
	"sync"
	"time"

	"golang.org/x/net/http/httpproxy"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/alicloud-live/terraform-provider-alicloud/internal/credentials"
	"github.com/alicloud-live/terraform-provider-alicloud/internal/lazypull"
	"github.com/alicloud-live/terraform-provider-alicloud/internal/liveapi"
	"github.com/alicloud-live/terraform-provider-alicloud/internal/registry"
	"github.com/alicloud-live/terraform-provider-alicloud/internal/validators"
)

var (
	_ provider.Provider                  = &Provider{}
	_ provider.ProviderWithListResources = &Provider{}
)

// Provider is the alicloud provider for ApsaraVideo Live.
type Provider struct {
	version string
}

// New returns a constructor of the provider, as providerserver expects.
func New(version string) func() provider.Provider {
	return func() provider.Provider {
		return &Provider{version: version}
	}
}

type providerModel struct {
	AccessKey            types.String     `tfsdk:"access_key"`
	SecretKey            types.String     `tfsdk:"secret_key"`
	SecurityToken        types.String     `tfsdk:"security_token"`
	Region               types.String     `tfsdk:"region"`
	MaxRetries           types.Int64      `tfsdk:"max_retries"`
	RateLimit            types.Int64      `tfsdk:"rate_limit"`
	RateLimitWindow      types.String     `tfsdk:"rate_limit_window"`
	ClientReadTimeout    types.Int64      `tfsdk:"client_read_timeout"`
	ClientConnectTimeout types.Int64      `tfsdk:"client_connect_timeout"`
	Profile              types.String     `tfsdk:"profile"`
	SharedCredentials    types.String     `tfsdk:"shared_credentials_file"`
	ECSRoleName          types.String     `tfsdk:"ecs_role_name"`
	CredentialsURI       types.String     `tfsdk:"credentials_uri"`
	AssumeRole           *assumeRoleModel `tfsdk:"assume_role"`
	AssumeRoleWithOIDC   *oidcModel       `tfsdk:"assume_role_with_oidc"`
	Endpoints            *endpointModel   `tfsdk:"endpoints"`
}

type oidcModel struct {
	OIDCProviderArn   types.String `tfsdk:"oidc_provider_arn"`
	RoleArn           types.String `tfsdk:"role_arn"`
	OIDCToken         types.String `tfsdk:"oidc_token"`
	OIDCTokenFile     types.String `tfsdk:"oidc_token_file"`
	RoleSessionName   types.String `tfsdk:"role_session_name"`
	SessionExpiration types.Int64  `tfsdk:"session_expiration"`
	Policy            types.String `tfsdk:"policy"`
}

type assumeRoleModel struct {
	RoleArn           types.String `tfsdk:"role_arn"`
	SessionName       types.String `tfsdk:"session_name"`
	SessionExpiration types.Int64  `tfsdk:"session_expiration"`
	Policy            types.String `tfsdk:"policy"`
	ExternalID        types.String `tfsdk:"external_id"`
}

type endpointModel struct {
	Live types.String `tfsdk:"live"`
	STS  types.String `tfsdk:"sts"`
}

// Metadata implements provider.Provider.
func (p *Provider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = registry.TypeName
	resp.Version = p.version
}

var regionPattern = regexp.MustCompile(`^[a-z0-9-]+$`)

// The attributes assume_role and assume_role_with_oidc share.
var (
	roleArnPattern     = regexp.MustCompile(`^acs:ram::\d+:role/.+$`)
	sessionNamePattern = regexp.MustCompile(`^[\w.@-]{2,64}$`)
)

func roleArnAttribute(description string) schema.StringAttribute {
	return schema.StringAttribute{
		Optional:            true,
		MarkdownDescription: description,
		Validators:          []validator.String{stringvalidator.RegexMatches(roleArnPattern, "must be a RAM role ARN like acs:ram::123456789012:role/name")},
	}
}

func sessionNameAttribute(description string) schema.StringAttribute {
	return schema.StringAttribute{
		Optional:            true,
		MarkdownDescription: description,
		Validators:          []validator.String{stringvalidator.RegexMatches(sessionNamePattern, "must be 2 to 64 letters, digits and . @ - _")},
	}
}

func sessionExpirationAttribute() schema.Int64Attribute {
	return schema.Int64Attribute{
		Optional:            true,
		MarkdownDescription: "Seconds the temporary credentials last, 900 to 43200. Default `3600`; the provider renews them before they expire.",
		Validators:          []validator.Int64{int64validator.Between(900, 43200)},
	}
}

func policyAttribute() schema.StringAttribute {
	return schema.StringAttribute{
		Optional:            true,
		MarkdownDescription: "A RAM policy (JSON) that further restricts the role's permissions for this session.",
	}
}

// Schema implements provider.Provider.
func (p *Provider) Schema(_ context.Context, _ provider.SchemaRequest, resp *provider.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Manages Alibaba Cloud ApsaraVideo Live triggered stream pulling (lazy pull). " +
			"Credentials are needed only when the provider calls the API: `terraform validate` and plan-time validation work without them.",
		Attributes: map[string]schema.Attribute{
			"access_key": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "Alibaba Cloud access key ID. Defaults to the environment variable `ALICLOUD_ACCESS_KEY`, then `ALIBABA_CLOUD_ACCESS_KEY_ID`, then `ALIBABACLOUD_ACCESS_KEY_ID`.",
			},
			"secret_key": schema.StringAttribute{
				Optional:            true,
				Sensitive:           true,
				MarkdownDescription: "Alibaba Cloud access key secret. Defaults to `ALICLOUD_SECRET_KEY`, then `ALIBABA_CLOUD_ACCESS_KEY_SECRET`, then `ALIBABACLOUD_ACCESS_KEY_SECRET`. Never logged.",
			},
			"security_token": schema.StringAttribute{
				Optional:            true,
				Sensitive:           true,
				MarkdownDescription: "Security token of temporary (STS) credentials. Defaults to `ALICLOUD_SECURITY_TOKEN`, then `ALIBABA_CLOUD_SECURITY_TOKEN`, then `ALIBABACLOUD_SECURITY_TOKEN`. Never logged.",
			},
			"region": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "Region to sign requests for, e.g. `cn-shanghai`. The Live API has one endpoint for every region. " +
					"Defaults to `ALICLOUD_REGION`, then `ALIBABA_CLOUD_REGION`, then `" + liveapi.DefaultRegion + "`.",
				Validators: []validator.String{stringvalidator.RegexMatches(regionPattern, "must be a region ID such as cn-shanghai: lower-case letters, digits and hyphens")},
			},
			"max_retries": schema.Int64Attribute{
				Optional: true,
				MarkdownDescription: fmt.Sprintf("How many times a call is retried after throttling, `ServiceUnavailable`, a 5xx answer or a network error, "+
					"with exponential backoff and jitter. Retries also stop when the resource's `timeouts` run out. Default `%d`; `0` disables retries.", liveapi.DefaultMaxRetries),
				Validators: []validator.Int64{int64validator.Between(0, 50)},
			},
			"rate_limit": schema.Int64Attribute{
				Optional: true,
				MarkdownDescription: "Most calls per `rate_limit_window` this provider process makes for each API action and account. " +
					"Alibaba Cloud allows 1,000 calls per minute per action per account and drops the rest; lower this when other tools share the account's quota. " +
					"Calls past the limit wait instead of failing. Default `1000`.",
				Validators: []validator.Int64{int64validator.AtLeast(1)},
			},
			"rate_limit_window": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "The window `rate_limit` counts over, as a Go duration such as `1m` or `30s`. Default `1m`, as Alibaba Cloud counts.",
				Validators:          []validator.String{validators.Duration()},
			},
			"client_read_timeout": schema.Int64Attribute{
				Optional:            true,
				MarkdownDescription: fmt.Sprintf("Milliseconds to wait for one answer before the attempt counts as failed (and is retried). Default `%d`.", liveapi.DefaultReadTimeout.Milliseconds()),
				Validators:          []validator.Int64{int64validator.AtLeast(1)},
			},
			"client_connect_timeout": schema.Int64Attribute{
				Optional:            true,
				MarkdownDescription: fmt.Sprintf("Milliseconds to wait for a connection. Default `%d`.", liveapi.DefaultConnectTimeout.Milliseconds()),
				Validators:          []validator.Int64{int64validator.AtLeast(1)},
			},
			"profile": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "Name of an Alibaba Cloud CLI profile to take credentials (and the region) from. Every mode the CLI writes is supported: " +
					"`AK`, `StsToken`, `RamRoleArn`, `EcsRamRole`, `OIDC`, `ChainableRamRoleArn`, `CloudSSO`, `OAuth` and `External`. " +
					"Defaults to `ALICLOUD_PROFILE`, then `ALIBABA_CLOUD_PROFILE`. See the order of credential sources above.",
			},
			"shared_credentials_file": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "Path of the Alibaba Cloud CLI configuration that holds `profile`. " +
					"Defaults to `ALICLOUD_SHARED_CREDENTIALS_FILE`, then `ALIBABA_CLOUD_CONFIG_FILE`, then `~/.aliyun/config.json`.",
			},
			"ecs_role_name": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "Name of the RAM role attached to the ECS instance the provider runs on; its temporary credentials come from the metadata service (IMDSv2 tokens; " +
					"`ALIBABA_CLOUD_IMDSV1_DISABLED=true` forbids the fallback to IMDSv1). Defaults to `ALICLOUD_ECS_ROLE_NAME`, then `ALIBABA_CLOUD_ECS_METADATA`. " +
					"The metadata service is asked only when a role is named here, there, or in an `EcsRamRole` profile.",
			},
			"credentials_uri": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "URL of a credential agent or sidecar that answers JSON with `AccessKeyId`, `AccessKeySecret`, `SecurityToken` and `Expiration`. " +
					"Defaults to `ALICLOUD_CREDENTIALS_URI`, then `ALIBABA_CLOUD_CREDENTIALS_URI`.",
			},
		},
		Blocks: map[string]schema.Block{
			"assume_role": schema.SingleNestedBlock{
				MarkdownDescription: "Assume a RAM role through STS `AssumeRole` with the credentials of whichever source above is used, and use the role's temporary credentials for every call.",
				Attributes: map[string]schema.Attribute{
					"role_arn":           roleArnAttribute("ARN of the role, e.g. `acs:ram::123456789012:role/live-operator`. Defaults to `ALICLOUD_ASSUME_ROLE_ARN`; required one way or the other."),
					"session_name":       sessionNameAttribute("Session name recorded in ActionTrail. Defaults to `ALICLOUD_ASSUME_ROLE_SESSION_NAME`, then `ALIBABA_CLOUD_ROLE_SESSION_NAME`, then `terraform`."),
					"session_expiration": sessionExpirationAttribute(),
					"policy":             policyAttribute(),
					"external_id": schema.StringAttribute{
						Optional:            true,
						MarkdownDescription: "External ID the role's trust policy requires, if any.",
					},
				},
			},
			"assume_role_with_oidc": schema.SingleNestedBlock{
				MarkdownDescription: "Assume a RAM role through STS `AssumeRoleWithOIDC` with an OIDC token, as an ACK pod with RRSA or a CI job with OIDC does. " +
					"Each attribute falls back to the variable RRSA injects, so that such a pod needs an empty provider block: " +
					"the provider uses OIDC when this block is present or `ALIBABA_CLOUD_OIDC_PROVIDER_ARN` is set.",
				Attributes: map[string]schema.Attribute{
					"oidc_provider_arn": schema.StringAttribute{
						Optional:            true,
						MarkdownDescription: "ARN of the OIDC identity provider. Defaults to `ALIBABA_CLOUD_OIDC_PROVIDER_ARN`.",
					},
					"role_arn": roleArnAttribute("ARN of the role to assume. Defaults to `ALIBABA_CLOUD_ROLE_ARN`."),
					"oidc_token": schema.StringAttribute{
						Optional:            true,
						Sensitive:           true,
						MarkdownDescription: "The OIDC token itself. Defaults to `ALIBABA_CLOUD_OIDC_TOKEN`; takes precedence over `oidc_token_file`. Never logged.",
					},
					"oidc_token_file": schema.StringAttribute{
						Optional:            true,
						MarkdownDescription: "File holding the OIDC token, read again whenever credentials are renewed. Defaults to `ALIBABA_CLOUD_OIDC_TOKEN_FILE`.",
					},
					"role_session_name":  sessionNameAttribute("Session name recorded in ActionTrail. Defaults to `ALIBABA_CLOUD_ROLE_SESSION_NAME`, then `terraform`."),
					"session_expiration": sessionExpirationAttribute(),
					"policy":             policyAttribute(),
				},
			},
			"endpoints": schema.SingleNestedBlock{
				MarkdownDescription: "Overrides of API endpoints, e.g. for a proxy or a test server.",
				Attributes: map[string]schema.Attribute{
					"live": schema.StringAttribute{
						Optional: true,
						MarkdownDescription: "ApsaraVideo Live API endpoint, e.g. `https://live.aliyuncs.com` or `http://127.0.0.1:8080`; a host without a scheme means https. " +
							"Defaults to `ALIBABA_CLOUD_ENDPOINT_LIVE`, then `" + liveapi.DefaultEndpoint + "`.",
						Validators: []validator.String{validators.Endpoint()},
					},
					"sts": schema.StringAttribute{
						Optional: true,
						MarkdownDescription: "STS endpoint of every STS call: `assume_role`, `assume_role_with_oidc`, and the `RamRoleArn`, `ChainableRamRoleArn` and `OIDC` profiles. " +
							"STS is called over https only: give a host, or `https://host[:port]`. " +
							"Defaults to `ALIBABA_CLOUD_ENDPOINT_STS`, then `" + credentials.DefaultSTSEndpoint + "`.",
						Validators: []validator.String{validators.Endpoint()},
					},
				},
			},
		},
	}
}

// env returns the first set environment variable among names, with its name.
func env(names ...string) credentials.Value {
	for _, n := range names {
		if v := os.Getenv(n); v != "" {
			return credentials.Value{Value: v, From: "the environment variable " + n}
		}
	}
	return credentials.Value{}
}

func fromAttr(v types.String, name string) credentials.Value {
	if v.IsNull() || v.IsUnknown() || v.ValueString() == "" {
		return credentials.Value{}
	}
	return credentials.Value{Value: v.ValueString(), From: "the " + name + " attribute"}
}

// Configure implements provider.Provider. It makes no API call, so that a
// plan of a configuration without credentials still validates.
func (p *Provider) Configure(ctx context.Context, req provider.ConfigureRequest, resp *provider.ConfigureResponse) {
	var cfg providerModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	// A setting known only at apply is never replaced by the environment
	// or a default: the plan would read another endpoint or account.
	if unknown := unknownSettings(cfg); len(unknown) > 0 {
		if req.ClientCapabilities.DeferralAllowed {
			resp.Deferred = &provider.Deferred{Reason: provider.DeferredReasonProviderConfigUnknown}
			return
		}
		for _, at := range unknown {
			resp.Diagnostics.AddAttributeError(at, "Provider Setting Unknown Until Apply",
				fmt.Sprintf("The provider's %s depends on a value known only after apply, and this Terraform cannot defer the provider's work: "+
					"the provider makes no call with a guessed setting. Apply the resources it depends on first, e.g. terraform apply -target=<that resource>, "+
					"then plan the rest; or set %s to a value known at plan time.", at, at))
		}
		return
	}
	settings, diags := resolveSettings(cfg)
	resp.Diagnostics.Append(diags...)
	if diags.HasError() {
		return
	}
	resolved := credentials.Resolve(settings.credentials)
	for _, ignored := range resolved.Ignored {
		resp.Diagnostics.AddWarning("Credential Source Not Used",
			"Several credential sources are configured; the provider uses the first in its documented order. "+ignored+".")
	}
	if w := cleartextWarning(settings.endpoint); w != "" {
		resp.Diagnostics.AddAttributeWarning(path.Root("endpoints").AtName("live"), "Live API Endpoint Without TLS", w)
	}
	opts, diags := clientOptions(cfg, settings, resolved.Source)
	resp.Diagnostics.Append(diags...)
	if diags.HasError() {
		return
	}
	client, err := liveapi.New(opts)
	if err != nil {
		resp.Diagnostics.AddAttributeError(path.Root("endpoints").AtName("live"), "Invalid Live API Endpoint",
			fmt.Sprintf("The Live API endpoint (from %s) is not usable: %s", orDefault(settings.endpoint.From, "the default"), err))
		return
	}
	data := &providerData{client: client, claimed: map[string]bool{}}
	resp.ResourceData = data
	resp.DataSourceData = data
	resp.ListResourceData = data
}

// unknownSettings lists the provider attributes whose values are unknown.
func unknownSettings(cfg providerModel) []path.Path {
	var out []path.Path
	add := func(p path.Path, v attr.Value) {
		if v.IsUnknown() {
			out = append(out, p)
		}
	}
	root := path.Root
	for name, v := range map[string]attr.Value{
		"access_key": cfg.AccessKey, "secret_key": cfg.SecretKey, "security_token": cfg.SecurityToken, "region": cfg.Region,
		"max_retries": cfg.MaxRetries, "rate_limit": cfg.RateLimit, "rate_limit_window": cfg.RateLimitWindow,
		"client_read_timeout": cfg.ClientReadTimeout, "client_connect_timeout": cfg.ClientConnectTimeout,
		"profile": cfg.Profile, "shared_credentials_file": cfg.SharedCredentials, "ecs_role_name": cfg.ECSRoleName, "credentials_uri": cfg.CredentialsURI,
	} {
		add(root(name), v)
	}
	if e := cfg.Endpoints; e != nil {
		add(root("endpoints").AtName("live"), e.Live)
		add(root("endpoints").AtName("sts"), e.STS)
	}
	if r := cfg.AssumeRole; r != nil {
		b := root("assume_role")
		add(b.AtName("role_arn"), r.RoleArn)
		add(b.AtName("session_name"), r.SessionName)
		add(b.AtName("session_expiration"), r.SessionExpiration)
		add(b.AtName("policy"), r.Policy)
		add(b.AtName("external_id"), r.ExternalID)
	}
	if o := cfg.AssumeRoleWithOIDC; o != nil {
		b := root("assume_role_with_oidc")
		add(b.AtName("oidc_provider_arn"), o.OIDCProviderArn)
		add(b.AtName("role_arn"), o.RoleArn)
		add(b.AtName("oidc_token"), o.OIDCToken)
		add(b.AtName("oidc_token_file"), o.OIDCTokenFile)
		add(b.AtName("role_session_name"), o.RoleSessionName)
		add(b.AtName("session_expiration"), o.SessionExpiration)
		add(b.AtName("policy"), o.Policy)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].String() < out[j].String() })
	return out
}

// cleartextWarning warns of an http:// endpoint on a host other than
// loopback: signatures and security tokens would travel unencrypted.
func cleartextWarning(endpoint credentials.Value) string {
	u, err := liveapi.ParseEndpoint(endpoint.Value)
	if err != nil || u.Scheme != "http" || isLoopback(u.Hostname()) {
		return ""
	}
	return fmt.Sprintf("The Live API endpoint %s (from %s) is plain http on a host other than loopback: every request's signature, "+
		"and with temporary credentials the security token, travel unencrypted. Use https.", u, orDefault(endpoint.From, "the default"))
}

// isLoopback reports whether host is a loopback address or localhost,
// without resolving it.
func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// providerData is what Configure hands to resources, data sources and list
// resources: the API client, and what one Terraform walk (a plan, or an
// apply) learns across its resources. Terraform configures the provider
// anew for every walk.
type providerData struct {
	client *liveapi.Client

	mu      sync.Mutex
	claimed map[string]bool
	// refreshed holds the configurations this walk's refresh found in the
	// state of a resource; true for an object a failed create left behind.
	refreshed     map[string]bool
	deleting      map[string]chan struct{}
	checksSkipped bool
}

// walkKey is the key of the configuration id in the walk's records: its
// domain in lower case. A domain is the same whatever its spelling (DNS
// ignores case, and a service may store it in its own), so a resource
// spelling it one way and the service or another resource another way
// still name one configuration. The application name stays as it is.
func walkKey(id string) string {
	domain, app, err := lazypull.ParseID(id)
	if err != nil {
		return id
	}
	return lazypull.ID(strings.ToLower(domain), app)
}

// startDelete records that a delete of the configuration id starts, unless
// a change of this walk claimed it (then it reports false: the
// configuration is that change's now). done marks the delete finished.
// The check and the record are one step, so that a create of id either
// made its claim first, or finds the delete and waits for it.
func (d *providerData) startDelete(id string) (done func(), ok bool) {
	id = walkKey(id)
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.claimed[id] {
		return nil, false
	}
	if d.deleting == nil {
		d.deleting = map[string]chan struct{}{}
	}
	ch := make(chan struct{})
	d.deleting[id] = ch
	return sync.OnceFunc(func() { close(ch) }), true
}

// awaitDelete waits until a delete of id that this walk started has
// finished, or ctx ends. Terraform does not order the destroy of one
// resource before the create of another, for example of a renamed
// for_each key: the create must not read the configuration while the
// delete is under way.
func (d *providerData) awaitDelete(ctx context.Context, id string) {
	id = walkKey(id)
	d.mu.Lock()
	ch := d.deleting[id]
	d.mu.Unlock()
	if ch == nil {
		return
	}
	select {
	case <-ch:
	case <-ctx.Done():
	}
}

// hold records that this walk's refresh found the configuration id in the
// state of a resource; failedCreate, that the object is one a failed create
// left behind, which Terraform replaces as tainted.
func (d *providerData) hold(id string, failedCreate bool) {
	id = walkKey(id)
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.refreshed == nil {
		d.refreshed = map[string]bool{}
	}
	d.refreshed[id] = d.refreshed[id] || failedCreate
}

// failedCreate reports whether this walk's refresh found the configuration
// id in the state of an object a failed create left behind: a tainted
// object that this plan replaces, unless it was untainted.
func (d *providerData) failedCreate(id string) bool {
	id = walkKey(id)
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.refreshed[id]
}

// held reports whether this walk's refresh found the configuration id in
// the state of a resource. A resource's refresh comes before its own plan,
// in the same step of the walk; what the refresh of other resources found
// may or may not be known yet.
func (d *providerData) held(id string) bool {
	id = walkKey(id)
	d.mu.Lock()
	defer d.mu.Unlock()
	_, ok := d.refreshed[id]
	return ok
}

// claim records that a resource of this walk manages the configuration id,
// and reports false when another resource of the walk already does.
func (d *providerData) claim(id string) bool {
	id = walkKey(id)
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.claimed[id] {
		return false
	}
	d.claimed[id] = true
	return true
}

// firstSkippedCheck reports whether this is the first time in this walk
// that the plan-time checks are skipped, so that the plan says so once.
func (d *providerData) firstSkippedCheck() bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	first := !d.checksSkipped
	d.checksSkipped = true
	return first
}

// settings are the provider's settings after each was looked up in its
// attribute, its environment variables and its default.
type settings struct {
	credentials credentials.Settings
	endpoint    credentials.Value
	// proxy is the proxy of each request, from the environment as it is
	// now: Go's own reading happens once per process.
	proxy func(*url.URL) (*url.URL, error)
}

// resolveSettings looks every setting up in the provider block, then in
// the environment, then in the profile, then in the defaults.
func resolveSettings(cfg providerModel) (settings, diag.Diagnostics) {
	var diags diag.Diagnostics
	var endpoints endpointModel
	if cfg.Endpoints != nil {
		endpoints = *cfg.Endpoints
	}
	s := settings{
		endpoint: credentials.Lookup(fromAttr(endpoints.Live, "endpoints.live"), env("ALIBABA_CLOUD_ENDPOINT_LIVE"), credentials.Value{Value: liveapi.DefaultEndpoint}),
		proxy:    httpproxy.FromEnvironment().ProxyFunc(),
	}
	c := &s.credentials
	c.Static = credentials.Static{
		AccessKey:     credentials.Lookup(fromAttr(cfg.AccessKey, "access_key"), env("ALICLOUD_ACCESS_KEY", "ALIBABA_CLOUD_ACCESS_KEY_ID", "ALIBABACLOUD_ACCESS_KEY_ID")),
		SecretKey:     credentials.Lookup(fromAttr(cfg.SecretKey, "secret_key"), env("ALICLOUD_SECRET_KEY", "ALIBABA_CLOUD_ACCESS_KEY_SECRET", "ALIBABACLOUD_ACCESS_KEY_SECRET")),
		SecurityToken: credentials.Lookup(fromAttr(cfg.SecurityToken, "security_token"), env("ALICLOUD_SECURITY_TOKEN", "ALIBABA_CLOUD_SECURITY_TOKEN", "ALIBABACLOUD_SECURITY_TOKEN")),
	}
	c.Profile = credentials.Lookup(fromAttr(cfg.Profile, "profile"), env("ALICLOUD_PROFILE", "ALIBABA_CLOUD_PROFILE"))
	c.ProfileFile = credentials.Lookup(fromAttr(cfg.SharedCredentials, "shared_credentials_file"), env("ALICLOUD_SHARED_CREDENTIALS_FILE", "ALIBABA_CLOUD_CONFIG_FILE"))
	c.ECSRoleName = credentials.Lookup(fromAttr(cfg.ECSRoleName, "ecs_role_name"), env("ALICLOUD_ECS_ROLE_NAME", "ALIBABA_CLOUD_ECS_METADATA"))
	c.CredentialsURI = credentials.Lookup(fromAttr(cfg.CredentialsURI, "credentials_uri"), env("ALICLOUD_CREDENTIALS_URI", "ALIBABA_CLOUD_CREDENTIALS_URI"))
	c.OIDC = resolveOIDC(cfg.AssumeRoleWithOIDC)
	c.Region = credentials.Lookup(fromAttr(cfg.Region, "region"), env("ALICLOUD_REGION", "ALIBABA_CLOUD_REGION"),
		credentials.Value{Value: credentials.ProfileRegion(*c)}, credentials.Value{Value: liveapi.DefaultRegion}).Value
	c.HTTP = credentials.HTTP{
		Proxy: func(target *url.URL) string {
			u, err := s.proxy(target)
			if err != nil || u == nil {
				return ""
			}
			return u.String()
		},
		ConnectTimeout: int(cfg.ClientConnectTimeout.ValueInt64()),
		ReadTimeout:    int(cfg.ClientReadTimeout.ValueInt64()),
	}

	sts := credentials.Lookup(fromAttr(endpoints.STS, "endpoints.sts"), env("ALIBABA_CLOUD_ENDPOINT_STS"), credentials.Value{Value: credentials.DefaultSTSEndpoint})
	stsURL, err := liveapi.ParseEndpoint(sts.Value)
	if err == nil && stsURL.Scheme != "https" {
		err = fmt.Errorf("STS is called over https only, as Alibaba Cloud's credentials library does: give a host, or https://host[:port]")
	}
	if err != nil {
		diags.AddAttributeError(path.Root("endpoints").AtName("sts"), "Invalid STS Endpoint",
			fmt.Sprintf("The STS endpoint %q (from %s) is not usable: %s", sts.Value, orDefault(sts.From, "the default"), err))
		return s, diags
	}
	c.STSEndpoint = stsURL.Host

	role, d := resolveAssumeRole(cfg.AssumeRole, c.OIDC != nil)
	diags.Append(d...)
	c.AssumeRole = role
	return s, diags
}

// resolveOIDC returns the OIDC settings of the assume_role_with_oidc block
// and the variables ACK RRSA injects; nil when there is no block and no
// ALIBABA_CLOUD_OIDC_PROVIDER_ARN.
func resolveOIDC(block *oidcModel) *credentials.OIDCSettings {
	var b oidcModel
	if block != nil {
		b = *block
	} else if os.Getenv("ALIBABA_CLOUD_OIDC_PROVIDER_ARN") == "" {
		return nil
	}
	at := func(name string) string { return "assume_role_with_oidc." + name }
	o := &credentials.OIDCSettings{
		ProviderArn:       credentials.Lookup(fromAttr(b.OIDCProviderArn, at("oidc_provider_arn")), env("ALIBABA_CLOUD_OIDC_PROVIDER_ARN")),
		RoleArn:           credentials.Lookup(fromAttr(b.RoleArn, at("role_arn")), env("ALIBABA_CLOUD_ROLE_ARN")),
		Token:             credentials.Lookup(fromAttr(b.OIDCToken, at("oidc_token")), env("ALIBABA_CLOUD_OIDC_TOKEN")),
		TokenFile:         credentials.Lookup(fromAttr(b.OIDCTokenFile, at("oidc_token_file")), env("ALIBABA_CLOUD_OIDC_TOKEN_FILE")),
		SessionName:       credentials.Lookup(fromAttr(b.RoleSessionName, at("role_session_name")), env("ALIBABA_CLOUD_ROLE_SESSION_NAME")),
		SessionExpiration: int(b.SessionExpiration.ValueInt64()),
		Policy:            b.Policy.ValueString(),
	}
	return o
}

// resolveAssumeRole returns the role to assume, from the assume_role block
// and its environment variables; nil when there is none. ALIBABA_CLOUD_ROLE_ARN
// names the OIDC role when OIDC is in use, never a second role on top.
func resolveAssumeRole(block *assumeRoleModel, oidc bool) (*credentials.RoleSettings, diag.Diagnostics) {
	var diags diag.Diagnostics
	roleArn := env("ALICLOUD_ASSUME_ROLE_ARN")
	sessionName := env("ALICLOUD_ASSUME_ROLE_SESSION_NAME", "ALIBABA_CLOUD_ROLE_SESSION_NAME")
	role := &credentials.RoleSettings{}
	if block != nil {
		fallback := roleArn
		if fallback.Value == "" && !oidc {
			fallback = env("ALIBABA_CLOUD_ROLE_ARN")
		}
		roleArn = credentials.Lookup(fromAttr(block.RoleArn, "assume_role.role_arn"), fallback)
		sessionName = credentials.Lookup(fromAttr(block.SessionName, "assume_role.session_name"), sessionName)
		role.SessionExpiration = int(block.SessionExpiration.ValueInt64())
		role.Policy = block.Policy.ValueString()
		role.ExternalID = block.ExternalID.ValueString()
		if roleArn.Value == "" {
			diags.AddAttributeError(path.Root("assume_role").AtName("role_arn"), "Missing Role ARN",
				"The assume_role block needs role_arn, or the environment variable ALICLOUD_ASSUME_ROLE_ARN (or ALIBABA_CLOUD_ROLE_ARN).")
			return nil, diags
		}
	}
	if roleArn.Value == "" {
		return nil, diags
	}
	role.RoleArn, role.SessionName = roleArn.Value, sessionName.Value
	return role, diags
}

// clientOptions turns the settings into the API client's options.
func clientOptions(cfg providerModel, s settings, creds liveapi.CredentialSource) (liveapi.Options, diag.Diagnostics) {
	var diags diag.Diagnostics
	opts := liveapi.Options{
		Endpoint:       s.endpoint.Value,
		Region:         s.credentials.Region,
		Credentials:    creds,
		RateLimit:      int(cfg.RateLimit.ValueInt64()),
		ReadTimeout:    time.Duration(cfg.ClientReadTimeout.ValueInt64()) * time.Millisecond,
		ConnectTimeout: time.Duration(cfg.ClientConnectTimeout.ValueInt64()) * time.Millisecond,
	}
	if s.proxy != nil {
		opts.Proxy = func(r *http.Request) (*url.URL, error) { return s.proxy(r.URL) }
	}
	if !cfg.MaxRetries.IsNull() && !cfg.MaxRetries.IsUnknown() {
		opts.MaxRetries = int(cfg.MaxRetries.ValueInt64())
		if opts.MaxRetries == 0 {
			opts.MaxRetries = -1 // liveapi reads 0 as "the default"
		}
	}
	if v := cfg.RateLimitWindow.ValueString(); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil {
			diags.AddAttributeError(path.Root("rate_limit_window"), "Invalid Rate Limit Window", err.Error())
		}
		opts.RateWindow = d
	}
	return opts, diags
}

// dataFrom returns what Configure handed to resources, data sources and
// list resources, or nil when the provider is not configured yet.
func dataFrom(data any, diags *diag.Diagnostics) *providerData {
	if data == nil {
		return nil
	}
	d, ok := data.(*providerData)
	if !ok {
		diags.AddError("Unexpected Provider Data", fmt.Sprintf("Expected *providerData, got %T. This is a provider bug.", data))
	}
	return d
}

// configured reports whether Configure handed over its data, and adds an
// error when it did not.
func configured(data *providerData, diags *diag.Diagnostics) bool {
	if data == nil {
		diags.AddError("Provider Not Configured", "The alicloud provider was not configured before use. This is a provider bug.")
		return false
	}
	return true
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// Resources implements provider.Provider.
func (p *Provider) Resources(context.Context) []func() resource.Resource {
	return []func() resource.Resource{NewLazyPullConfigResource}
}

// ListResources implements provider.ProviderWithListResources.
func (p *Provider) ListResources(context.Context) []func() list.ListResource {
	return []func() list.ListResource{NewLazyPullConfigListResource}
}

// DataSources implements provider.Provider.
func (p *Provider) DataSources(context.Context) []func() datasource.DataSource {
	return []func() datasource.DataSource{NewLazyPullConfigsDataSource}
}
