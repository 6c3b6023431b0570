// Command floorprovider is the benchmark's floor: a provider built on the
// same terraform-plugin-framework as the real one, with the same type name,
// provider attributes and resource schema (alicloud_live_lazy_pull_config,
// without the timeouts block), whose CRUD only copies plan or state into
// state and makes no API call. What the real provider costs above it is the
// cost of its API calls and its own code; what it costs above terraform_data
// is the cost of a plugin process and the framework.
package main

import (
	"context"
	"log"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	pschema "github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
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
			"access_key":             pschema.StringAttribute{Optional: true},
			"secret_key":             pschema.StringAttribute{Optional: true, Sensitive: true},
			"security_token":         pschema.StringAttribute{Optional: true, Sensitive: true},
			"region":                 pschema.StringAttribute{Optional: true},
			"max_retries":            pschema.Int64Attribute{Optional: true},
			"rate_limit":             pschema.Int64Attribute{Optional: true},
			"rate_limit_window":      pschema.StringAttribute{Optional: true},
			"client_read_timeout":    pschema.Int64Attribute{Optional: true},
			"client_connect_timeout": pschema.Int64Attribute{Optional: true},
		},
		Blocks: map[string]pschema.Block{
			"endpoints": pschema.ListNestedBlock{
				NestedObject: pschema.NestedBlockObject{
					Attributes: map[string]pschema.Attribute{
						"live": pschema.StringAttribute{Optional: true},
					},
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

type model struct {
	ID             types.String `tfsdk:"id"`
	DomainName     types.String `tfsdk:"domain_name"`
	AppName        types.String `tfsdk:"app_name"`
	PullDomainName types.String `tfsdk:"pull_domain_name"`
	PullAppName    types.String `tfsdk:"pull_app_name"`
	PullProtocol   types.String `tfsdk:"pull_protocol"`
	TranscodeLazy  types.Bool   `tfsdk:"transcode_lazy"`
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
		},
	}
}

func (lazyPullConfig) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var m model
	resp.Diagnostics.Append(req.Plan.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	m.ID = types.StringValue(m.DomainName.ValueString() + ":" + m.AppName.ValueString())
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

func (lazyPullConfig) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var m model
	resp.Diagnostics.Append(req.State.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

func (lazyPullConfig) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var m model
	resp.Diagnostics.Append(req.Plan.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

func (lazyPullConfig) Delete(context.Context, resource.DeleteRequest, *resource.DeleteResponse) {}
