package provider

import (
	"context"
	"fmt"

	listtimeouts "github.com/hashicorp/terraform-plugin-framework-timeouts/list/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/list"
	listschema "github.com/hashicorp/terraform-plugin-framework/list/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/alicloud-live/terraform-provider-alicloud/internal/lazypull"
	"github.com/alicloud-live/terraform-provider-alicloud/internal/validators"
)

var (
	_ list.ListResource              = &LazyPullConfigListResource{}
	_ list.ListResourceWithConfigure = &LazyPullConfigListResource{}
)

// LazyPullConfigListResource lists the lazy-pull configurations of a domain
// for terraform query (Terraform 1.14 and later), managed or not, with their
// identities, so that `terraform query -generate-config-out` writes the
// import and resource blocks that adopt them.
type LazyPullConfigListResource struct {
	data *providerData
}

// NewLazyPullConfigListResource returns the list resource, as the provider
// lists it.
func NewLazyPullConfigListResource() list.ListResource {
	return &LazyPullConfigListResource{}
}

type lazyPullConfigListModel struct {
	DomainName types.String       `tfsdk:"domain_name"`
	AppName    types.String       `tfsdk:"app_name"`
	Timeouts   listtimeouts.Value `tfsdk:"timeouts"`
}

// Metadata implements list.ListResource: the type of the resource it lists.
func (l *LazyPullConfigListResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_live_lazy_pull_config"
}

// ListResourceConfigSchema implements list.ListResource.
func (l *LazyPullConfigListResource) ListResourceConfigSchema(ctx context.Context, _ list.ListResourceSchemaRequest, resp *list.ListResourceSchemaResponse) {
	resp.Schema = listschema.Schema{
		MarkdownDescription: "Lists the lazy-pull configurations of one streaming domain, whether Terraform manages them or not, " +
			"with one Describe call for the whole domain.",
		Attributes: map[string]listschema.Attribute{
			"domain_name": listschema.StringAttribute{
				Required:            true,
				MarkdownDescription: "The streaming domain to list, e.g. `live.example.com`.",
				Validators:          []validator.String{validators.DomainName()},
			},
			"app_name": listschema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "Only the configuration of this application. Unset lists them all.",
				Validators:          []validator.String{validators.AppName()},
			},
		},
		Blocks: map[string]listschema.Block{
			"timeouts": listtimeouts.Block(ctx),
		},
	}
}

// Configure implements list.ListResourceWithConfigure.
func (l *LazyPullConfigListResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	l.data = dataFrom(req.ProviderData, &resp.Diagnostics)
}

// List implements list.ListResource: one Describe of the domain, one
// result per configuration, sorted by application.
func (l *LazyPullConfigListResource) List(ctx context.Context, req list.ListRequest, stream *list.ListResultsStream) {
	var cfg lazyPullConfigListModel
	diags := req.Config.Get(ctx, &cfg)
	if diags.HasError() || !configured(l.data, &diags) {
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}
	timeout, d := cfg.Timeouts.List(ctx, DefaultListTimeout)
	diags.Append(d...)
	ctx, cancel := context.WithTimeout(ctx, timeout)
	configs, err := l.data.client.List(ctx, cfg.DomainName.ValueString(), cfg.AppName.ValueString())
	cancel()
	if err != nil {
		addError(&diags, "Cannot List Lazy-Pull Configurations", err)
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}
	configs = lazypull.SortByApp(configs)
	if req.Limit > 0 && int64(len(configs)) > req.Limit {
		configs = configs[:req.Limit]
	}
	stream.Results = func(push func(list.ListResult) bool) {
		for _, c := range configs {
			result := req.NewListResult(ctx)
			result.DisplayName = lazypull.ID(c.DomainName, c.AppName)
			result.Diagnostics.Append(result.Identity.Set(ctx, identityOf(c.DomainName, c.AppName))...)
			if req.IncludeResource {
				var m lazyPullConfigAttrs
				m.setFrom(c)
				setResource(ctx, req, result.Resource, m, &result.Diagnostics)
			}
			if !push(result) {
				return
			}
		}
	}
}

// setResource writes m into a listed resource, with a null timeouts block.
func setResource(ctx context.Context, req list.ListRequest, r *tfsdk.Resource, m lazyPullConfigAttrs, diags *diag.Diagnostics) {
	t, d := req.ResourceSchema.TypeAtPath(ctx, path.Root("timeouts"))
	diags.Append(d...)
	obj, ok := t.(attr.TypeWithAttributeTypes)
	if !ok {
		diags.AddError("Unexpected Timeouts Type", fmt.Sprintf("The timeouts block has the type %T. This is a provider bug.", t))
		return
	}
	model := lazyPullConfigModel{lazyPullConfigAttrs: m, Timeouts: timeouts.Value{Object: types.ObjectNull(obj.AttributeTypes())}}
	diags.Append(r.Set(ctx, &model)...)
}
