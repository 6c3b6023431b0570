package provider

import (
	"context"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/datasource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/alicloud-live/terraform-provider-alicloud/internal/lazypull"
	"github.com/alicloud-live/terraform-provider-alicloud/internal/validators"
)

var (
	_ datasource.DataSource              = &LazyPullConfigsDataSource{}
	_ datasource.DataSourceWithConfigure = &LazyPullConfigsDataSource{}
)

// LazyPullConfigsDataSource is alicloud_live_lazy_pull_configs: the
// lazy-pull configurations of one domain.
type LazyPullConfigsDataSource struct {
	data *providerData
}

// NewLazyPullConfigsDataSource returns the data source, as the provider
// lists it.
func NewLazyPullConfigsDataSource() datasource.DataSource {
	return &LazyPullConfigsDataSource{}
}

type lazyPullConfigsModel struct {
	ID         types.String          `tfsdk:"id"`
	DomainName types.String          `tfsdk:"domain_name"`
	AppName    types.String          `tfsdk:"app_name"`
	Configs    []lazyPullConfigAttrs `tfsdk:"configs"`
	Timeouts   timeouts.Value        `tfsdk:"timeouts"`
}

// DefaultListTimeout bounds the read of the data source and of the list
// resource, retries and rate-limit waits included, unless their timeouts
// block says otherwise.
const DefaultListTimeout = 2 * time.Minute

// Metadata implements datasource.DataSource.
func (d *LazyPullConfigsDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_live_lazy_pull_configs"
}

// Schema implements datasource.DataSource.
func (d *LazyPullConfigsDataSource) Schema(ctx context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists the triggered stream pulling (lazy pull) configurations of an ApsaraVideo Live streaming domain, " +
			"whether Terraform manages them or not: for inventory, and to review what a plan will change.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "`<domain_name>`, or `<domain_name>:<app_name>` when filtered by application.",
			},
			"domain_name": schema.StringAttribute{
				Required:            true,
				MarkdownDescription: "The streaming domain to list, e.g. `live.example.com`.",
				Validators:          []validator.String{validators.DomainName()},
			},
			"app_name": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "Only the configuration of this application (an exact match; `" + lazypull.AllApps +
					"` matches only the wildcard configuration). Unset lists them all.",
				Validators: []validator.String{validators.AppName()},
			},
			"configs": schema.ListNestedAttribute{
				Computed:            true,
				MarkdownDescription: "The configurations, sorted by `app_name`; empty when there are none.",
				NestedObject: schema.NestedAttributeObject{
					Attributes: map[string]schema.Attribute{
						"id":               schema.StringAttribute{Computed: true, MarkdownDescription: "`<domain_name>:<app_name>`, the import ID of `alicloud_live_lazy_pull_config`."},
						"domain_name":      schema.StringAttribute{CustomType: hostNamesType{}, Computed: true, MarkdownDescription: "The streaming domain."},
						"app_name":         schema.StringAttribute{Computed: true, MarkdownDescription: "The application, or `" + lazypull.AllApps + "` for every application."},
						"pull_domain_name": schema.StringAttribute{CustomType: hostNamesType{}, Computed: true, MarkdownDescription: "The origin servers, separated by `;`."},
						"pull_app_name":    schema.StringAttribute{Computed: true, MarkdownDescription: "The application name on the origin; null when the playback URL's application is used."},
						"pull_protocol":    schema.StringAttribute{Computed: true, MarkdownDescription: "`rtmp`, `httpflv` or `hls` (the API's `RTMP`, `HTTP-FLV`, `HLS`)."},
						"transcode_lazy":   schema.BoolAttribute{Computed: true, MarkdownDescription: "Whether playing a transcoded stream also triggers the pull."},
						"pull_args":        schema.StringAttribute{Computed: true, MarkdownDescription: "The back-to-origin parameters, such as `k=v`; empty when there are none."},
					},
				},
			},
		},
		Blocks: map[string]schema.Block{
			"timeouts": timeouts.Block(ctx),
		},
	}
}

// Configure implements datasource.DataSourceWithConfigure.
func (d *LazyPullConfigsDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = dataFrom(req.ProviderData, &resp.Diagnostics)
}

// Read implements datasource.DataSource.
func (d *LazyPullConfigsDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m lazyPullConfigsModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() || !configured(d.data, &resp.Diagnostics) {
		return
	}
	timeout, diags := m.Timeouts.Read(ctx, DefaultListTimeout)
	resp.Diagnostics.Append(diags...)
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	domain, app := m.DomainName.ValueString(), m.AppName.ValueString()
	list, err := d.data.client.List(ctx, domain, app)
	if err != nil {
		addError(&resp.Diagnostics, "Cannot List Lazy-Pull Configurations", err)
		return
	}
	m.ID = types.StringValue(domain)
	if app != "" {
		m.ID = types.StringValue(lazypull.ID(domain, app))
	}
	m.Configs = make([]lazyPullConfigAttrs, len(list))
	for i, c := range lazypull.SortByApp(list) {
		m.Configs[i].setFrom(c)
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}
