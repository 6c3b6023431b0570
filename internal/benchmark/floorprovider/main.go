// Command floorprovider is the benchmark's floor: a provider built on the
// same terraform-plugin-framework as the real one, with the same type name,
// provider schema and resource schema (alicloud_live_lazy_pull_config,
// without the timeouts block), whose CRUD only copies plan or state into
// state and makes no API call. What the real provider costs above it is the
// cost of its API calls and its own code; what it costs above terraform_data
// is the cost of a plugin process and the framework.
//
// The resource's attributes match the real ones attribute for attribute:
// the same names, types and modes (required, optional, computed,
// sensitive), the same defaults and the same plan modifiers, so that plans
// have the same shape; main_test.go checks it. The floor leaves out what is
// the real provider's own work: validators, the resource's ModifyPlan and
// ValidateConfig, the timeouts block (Terraform would carry it in every
// plan and state), import, and every piece of the provider's code. From the
// repository it imports only constants (internal/registry), plus
// internal/pluginlog, the switch that keeps the plugin libraries from
// writing log lines Terraform throws away, which the real provider's main
// also throws: without it the floor would do more logging than the
// provider it is the floor of.
//
// The floor also declares the resource's identity schema (domain_name,
// app_name) and returns the identity from every operation, as the real
// resource must. An identity is not an API call but part of the resource's
// shape, and it has a cost: with one declared, the framework builds, checks
// and sends an identity object with every Read, Create and Update, whatever
// the Terraform version, and Terraform 1.12 and later also fetch the
// identity schemas when they start the plugin and keep the identity in
// state. With Terraform 1.11, 30 alternated no-op plans at N=1 took 0.85 s
// (median) with the identity and 0.80 s without, about 6%: more than half
// the 10% the plan at N=1 may cost above the floor. A floor without it
// would charge the real provider for the schema it has to declare; the
// ratio is meant to measure its API calls and its own code. The data
// source and the list resource are left out: no benchmark configuration
// uses them, and they only add two small entries to the provider schema.
package main

import (
	"context"
	"log"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	pschema "github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/identityschema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/alicloud-live/terraform-provider-alicloud/internal/pluginlog"
	"github.com/alicloud-live/terraform-provider-alicloud/internal/registry"
)

func main() {
	// Like the real provider, the floor skips the plugin libraries' log
	// lines that Terraform would discard, so that both do the same logging
	// and the difference between them is the real provider's own work.
	pluginlog.DiscardUnlessRequested(registry.TypeName)
	if err := providerserver.Serve(context.Background(), func() provider.Provider { return floorProvider{} },
		providerserver.ServeOpts{Address: registry.Address}); err != nil {
		log.Fatal(err)
	}
}

type floorProvider struct{}

func (floorProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = registry.TypeName
	resp.Version = "floor"
}

// Schema accepts every attribute the real provider does and ignores them.
func (floorProvider) Schema(_ context.Context, _ provider.SchemaRequest, resp *provider.SchemaResponse) {
	resp.Schema = pschema.Schema{
		Attributes: map[string]pschema.Attribute{
			"access_key":              pschema.StringAttribute{Optional: true},
			"secret_key":              pschema.StringAttribute{Optional: true, Sensitive: true},
			"security_token":          pschema.StringAttribute{Optional: true, Sensitive: true},
			"region":                  pschema.StringAttribute{Optional: true},
			"max_retries":             pschema.Int64Attribute{Optional: true},
			"rate_limit":              pschema.Int64Attribute{Optional: true},
			"rate_limit_window":       pschema.StringAttribute{Optional: true},
			"client_read_timeout":     pschema.Int64Attribute{Optional: true},
			"client_connect_timeout":  pschema.Int64Attribute{Optional: true},
			"profile":                 pschema.StringAttribute{Optional: true},
			"shared_credentials_file": pschema.StringAttribute{Optional: true},
			"ecs_role_name":           pschema.StringAttribute{Optional: true},
			"credentials_uri":         pschema.StringAttribute{Optional: true},
		},
		Blocks: map[string]pschema.Block{
			"assume_role": pschema.SingleNestedBlock{
				Attributes: map[string]pschema.Attribute{
					"role_arn":           pschema.StringAttribute{Optional: true},
					"session_name":       pschema.StringAttribute{Optional: true},
					"session_expiration": pschema.Int64Attribute{Optional: true},
					"policy":             pschema.StringAttribute{Optional: true},
					"external_id":        pschema.StringAttribute{Optional: true},
				},
			},
			"assume_role_with_oidc": pschema.SingleNestedBlock{
				Attributes: map[string]pschema.Attribute{
					"oidc_provider_arn":  pschema.StringAttribute{Optional: true},
					"role_arn":           pschema.StringAttribute{Optional: true},
					"oidc_token":         pschema.StringAttribute{Optional: true, Sensitive: true},
					"oidc_token_file":    pschema.StringAttribute{Optional: true},
					"role_session_name":  pschema.StringAttribute{Optional: true},
					"session_expiration": pschema.Int64Attribute{Optional: true},
					"policy":             pschema.StringAttribute{Optional: true},
				},
			},
			"endpoints": pschema.SingleNestedBlock{
				Attributes: map[string]pschema.Attribute{
					"live": pschema.StringAttribute{Optional: true},
					"sts":  pschema.StringAttribute{Optional: true},
				},
			},
		},
	}
}

func (floorProvider) Configure(context.Context, provider.ConfigureRequest, *provider.ConfigureResponse) {
}

func (floorProvider) Resources(context.Context) []func() resource.Resource {
	return []func() resource.Resource{func() resource.Resource { return lazyPullConfig{} }}
}

func (floorProvider) DataSources(context.Context) []func() datasource.DataSource { return nil }

type lazyPullConfig struct{}

var _ resource.ResourceWithIdentity = lazyPullConfig{}

type model struct {
	ID             types.String `tfsdk:"id"`
	DomainName     types.String `tfsdk:"domain_name"`
	AppName        types.String `tfsdk:"app_name"`
	PullDomainName types.String `tfsdk:"pull_domain_name"`
	PullAppName    types.String `tfsdk:"pull_app_name"`
	PullProtocol   types.String `tfsdk:"pull_protocol"`
	TranscodeLazy  types.Bool   `tfsdk:"transcode_lazy"`
	PullArgs       types.String `tfsdk:"pull_args"`
}

type identity struct {
	DomainName types.String `tfsdk:"domain_name"`
	AppName    types.String `tfsdk:"app_name"`
}

func (lazyPullConfig) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_live_lazy_pull_config"
}

// Schema has the real resource's attributes with the same modes and plan
// modifiers (so that plans have the same shape), without validators.
func (lazyPullConfig) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				Computed:      true,
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"domain_name": schema.StringAttribute{
				Required:      true,
				PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
			},
			"app_name": schema.StringAttribute{
				Required:      true,
				PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
			},
			"pull_domain_name": schema.StringAttribute{Required: true},
			"pull_app_name":    schema.StringAttribute{Optional: true},
			"pull_protocol":    schema.StringAttribute{Required: true},
			"transcode_lazy": schema.BoolAttribute{
				Optional: true,
				Computed: true,
				Default:  booldefault.StaticBool(false),
			},
			"pull_args": schema.StringAttribute{
				Optional:      true,
				Computed:      true,
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
		},
	}
}

// IdentitySchema is the real resource's identity schema.
func (lazyPullConfig) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = identityschema.Schema{
		Attributes: map[string]identityschema.Attribute{
			"domain_name": identityschema.StringAttribute{RequiredForImport: true},
			"app_name":    identityschema.StringAttribute{RequiredForImport: true},
		},
	}
}

// save records m and its identity, as the real resource does after every
// operation that returns state.
func save(ctx context.Context, m *model, state *tfsdk.State, id *tfsdk.ResourceIdentity, diags *diag.Diagnostics) {
	diags.Append(state.Set(ctx, m)...)
	if id != nil {
		diags.Append(id.Set(ctx, identity{DomainName: m.DomainName, AppName: m.AppName})...)
	}
}

func (lazyPullConfig) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var m model
	resp.Diagnostics.Append(req.Plan.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	m.ID = types.StringValue(m.DomainName.ValueString() + ":" + m.AppName.ValueString())
	if m.PullArgs.IsUnknown() {
		m.PullArgs = types.StringValue("") // what the service holds when nothing set it
	}
	save(ctx, &m, &resp.State, resp.Identity, &resp.Diagnostics)
}

func (lazyPullConfig) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var m model
	resp.Diagnostics.Append(req.State.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	save(ctx, &m, &resp.State, resp.Identity, &resp.Diagnostics)
}

func (lazyPullConfig) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var m model
	resp.Diagnostics.Append(req.Plan.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if m.PullArgs.IsUnknown() {
		m.PullArgs = types.StringValue("")
	}
	save(ctx, &m, &resp.State, resp.Identity, &resp.Diagnostics)
}

func (lazyPullConfig) Delete(context.Context, resource.DeleteRequest, *resource.DeleteResponse) {}
