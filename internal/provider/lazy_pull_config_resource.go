package provider

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/alicloud-live/terraform-provider-alicloud/internal/lazypull"
	"github.com/alicloud-live/terraform-provider-alicloud/internal/liveapi"
	"github.com/alicloud-live/terraform-provider-alicloud/internal/validators"
)

var (
	_ resource.Resource                   = &LazyPullConfigResource{}
	_ resource.ResourceWithConfigure      = &LazyPullConfigResource{}
	_ resource.ResourceWithImportState    = &LazyPullConfigResource{}
	_ resource.ResourceWithModifyPlan     = &LazyPullConfigResource{}
	_ resource.ResourceWithValidateConfig = &LazyPullConfigResource{}
)

// Default operation timeouts of alicloud_live_lazy_pull_config.
const (
	DefaultCreateTimeout = 5 * time.Minute
	DefaultReadTimeout   = 2 * time.Minute
	DefaultUpdateTimeout = 5 * time.Minute
	DefaultDeleteTimeout = 5 * time.Minute
)

// LazyPullConfigResource is alicloud_live_lazy_pull_config.
type LazyPullConfigResource struct {
	client *liveapi.Client
}

// NewLazyPullConfigResource returns the resource, as the provider lists it.
func NewLazyPullConfigResource() resource.Resource {
	return &LazyPullConfigResource{}
}

type lazyPullConfigModel struct {
	lazyPullConfigAttrs
	Timeouts timeouts.Value `tfsdk:"timeouts"`
}

// Metadata implements resource.Resource.
func (r *LazyPullConfigResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_live_lazy_pull_config"
}

// Schema implements resource.Resource.
func (r *LazyPullConfigResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "A triggered stream pulling (lazy pull) configuration of an ApsaraVideo Live streaming domain: " +
			"when a viewer plays a stream of `app_name` on `domain_name` and nobody is pushing it, Live pulls it from the origin servers in `pull_domain_name`.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "`<domain_name>:<app_name>`, also the import ID.",
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"domain_name": schema.StringAttribute{
				Required: true,
				MarkdownDescription: "The main streaming domain the configuration belongs to, e.g. `live.example.com`. It must be an ApsaraVideo Live domain of the account. " +
					"A bare DNS host name: no scheme, port or path. Changing it replaces the configuration.",
				Validators:    []validator.String{validators.DomainName()},
				PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
			},
			"app_name": schema.StringAttribute{
				Required: true,
				MarkdownDescription: "The application whose streams are pulled: 1 to 255 letters, digits, `-` and `_`. " +
					"`" + lazypull.AllApps + "` applies to every application of the domain, and destroying it removes the lazy-pull configurations of every application of the domain. " +
					"Changing it replaces the configuration.",
				Validators:    []validator.String{validators.AppName()},
				PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
			},
			"pull_domain_name": schema.StringAttribute{
				Required: true,
				MarkdownDescription: "The origin servers to pull from, separated by `;`, e.g. `origin1.example.net;203.0.113.10:1935`. " +
					"Each is a DNS host name or an IPv4 address with an optional `:port` (1-65535); no scheme, path, spaces or duplicates. IPv6 is not supported by the API.",
				Validators: []validator.String{validators.OriginList()},
			},
			"pull_app_name": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "The application name to use on the origin servers (1 to 255 letters, digits, `-` and `_`). " +
					"Leave it unset to use the application of the playback URL.",
				Validators: []validator.String{validators.AppName()},
			},
			"pull_protocol": schema.StringAttribute{
				Required: true,
				MarkdownDescription: "The protocol used to pull from the origin: `rtmp`, `httpflv` (HTTP-FLV) or `hls`. " +
					"The API displays these as `RTMP`, `HTTP-FLV` and `HLS`; the provider maps them back, so they never show as a change.",
				Validators: []validator.String{stringvalidator.OneOf(lazypull.Protocols...)},
			},
			"transcode_lazy": schema.BoolAttribute{
				Optional:            true,
				Computed:            true,
				Default:             booldefault.StaticBool(false),
				MarkdownDescription: "Whether playing a transcoded stream also triggers the pull. Default `false`.",
			},
		},
		Blocks: map[string]schema.Block{
			"timeouts": timeouts.Block(ctx, timeouts.Opts{Create: true, Read: true, Update: true, Delete: true}),
		},
	}
}

// Configure implements resource.ResourceWithConfigure.
func (r *LazyPullConfigResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.client = clientFrom(req.ProviderData, &resp.Diagnostics)
}

// ValidateConfig implements resource.ResourceWithValidateConfig: rules that
// span attributes.
func (r *LazyPullConfigResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	var domain, origins types.String
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("domain_name"), &domain)...)
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("pull_domain_name"), &origins)...)
	if domain.IsNull() || domain.IsUnknown() || origins.IsNull() || origins.IsUnknown() {
		return
	}
	for i, origin := range validators.SplitOrigins(origins.ValueString()) {
		host, _, _ := strings.Cut(origin, ":")
		if strings.EqualFold(host, domain.ValueString()) {
			resp.Diagnostics.AddAttributeError(path.Root("pull_domain_name"), "Origin Is the Streaming Domain Itself",
				fmt.Sprintf("Attribute pull_domain_name origin %d (%q) is the streaming domain %q itself: pulling from it would loop back into ApsaraVideo Live. "+
					"Give the address of the origin server instead.", i+1, origin, domain.ValueString()))
		}
	}
}

// ModifyPlan implements resource.ResourceWithModifyPlan: it warns when a
// plan touches the ali_all_app wildcard.
func (r *LazyPullConfigResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	var stateApp, stateDomain, app, domain types.String
	if !req.State.Raw.IsNull() {
		resp.Diagnostics.Append(req.State.GetAttribute(ctx, path.Root("app_name"), &stateApp)...)
		resp.Diagnostics.Append(req.State.GetAttribute(ctx, path.Root("domain_name"), &stateDomain)...)
	}
	if !req.Plan.Raw.IsNull() {
		resp.Diagnostics.Append(req.Plan.GetAttribute(ctx, path.Root("app_name"), &app)...)
		resp.Diagnostics.Append(req.Plan.GetAttribute(ctx, path.Root("domain_name"), &domain)...)
	}
	// Destroying the wildcard, on its own or to replace it, deletes every
	// application's configuration.
	replaced := !req.Plan.Raw.IsNull() && (!app.Equal(stateApp) || !domain.Equal(stateDomain))
	if stateApp.ValueString() == lazypull.AllApps && (req.Plan.Raw.IsNull() || replaced) {
		resp.Diagnostics.AddWarning("Destroying ali_all_app Removes Every Application's Configuration",
			fmt.Sprintf("Destroying the lazy-pull configuration with app_name = %q on %q (to delete or to replace it) deletes the lazy-pull configurations of EVERY application of the domain, "+
				"including ones that other resources or tools manage.", lazypull.AllApps, stateDomain.ValueString()))
	}
	if req.Plan.Raw.IsNull() {
		return
	}
	if app.ValueString() == lazypull.AllApps && req.State.Raw.IsNull() {
		resp.Diagnostics.AddAttributeWarning(path.Root("app_name"), "ali_all_app Applies to Every Application of the Domain",
			fmt.Sprintf("app_name = %q makes this configuration apply to every application of %q. Destroying it later deletes the lazy-pull configurations of every application of the domain, not only this one.",
				lazypull.AllApps, domain.ValueString()))
	}
}

// Create implements resource.Resource.
func (r *LazyPullConfigResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan lazyPullConfigModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() || !configured(r.client, &resp.Diagnostics) {
		return
	}
	timeout, d := plan.Timeouts.Create(ctx, DefaultCreateTimeout)
	resp.Diagnostics.Append(d...)
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	want := plan.config()
	existing, err := r.client.Get(ctx, want.DomainName, want.AppName)
	if err != nil {
		addError(&resp.Diagnostics, "Cannot Create Lazy-Pull Configuration", err)
		return
	}
	if existing != nil {
		resp.Diagnostics.AddError("Lazy-Pull Configuration Already Exists",
			fmt.Sprintf("The domain %q already has a lazy-pull configuration for app_name %q (origins %q, protocol %s). "+
				"The provider does not overwrite a configuration it does not manage. To manage it with Terraform, import it:\n\n"+
				"  terraform import <resource address> %s\n\n"+
				"or, with Terraform 1.5 and later, add an import block with id = %q.",
				want.DomainName, want.AppName, existing.PullDomainName, existing.PullProtocol,
				lazypull.ID(want.DomainName, want.AppName), lazypull.ID(want.DomainName, want.AppName)))
		return
	}

	if err := r.client.Set(ctx, want); err != nil {
		if !r.appliedDespite(ctx, err, want) {
			addError(&resp.Diagnostics, "Cannot Create Lazy-Pull Configuration", err)
			return
		}
	}
	r.readBack(ctx, want, &plan, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

// appliedDespite reports whether a write whose answer was lost or failed
// after retries reached the service all the same, as a fresh Describe shows.
// Then the state records what the service holds, and a rerun neither fails
// with "already exists" nor writes twice.
func (r *LazyPullConfigResource) appliedDespite(ctx context.Context, err error, want lazypull.Config) bool {
	var apiErr *liveapi.APIError
	var tErr *liveapi.TransportError
	ambiguous := errors.As(err, &tErr) || (errors.As(err, &apiErr) && apiErr.HTTPStatus >= 500)
	if !ambiguous {
		return false
	}
	checkCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	got, ferr := r.client.Fresh(checkCtx, want.DomainName, want.AppName)
	if ferr != nil || got == nil || !sameConfig(*got, want) {
		return false
	}
	tflog.Info(ctx, "the write's answer was lost, but the service holds the configuration as written", map[string]any{"domain": want.DomainName, "app": want.AppName})
	return true
}

func sameConfig(a, b lazypull.Config) bool {
	return a.DomainName == b.DomainName && a.AppName == b.AppName && a.PullDomainName == b.PullDomainName &&
		a.PullAppName == b.PullAppName && a.PullProtocol == b.PullProtocol && a.TranscodeLazy == b.TranscodeLazy
}

// readBack reads the configuration after a write and fills model with it.
func (r *LazyPullConfigResource) readBack(ctx context.Context, want lazypull.Config, model *lazyPullConfigModel, diags *diag.Diagnostics) {
	got, err := r.client.Get(ctx, want.DomainName, want.AppName)
	if err != nil {
		addError(diags, "Cannot Read Lazy-Pull Configuration After Writing It", err)
		return
	}
	if got == nil {
		diags.AddError("Lazy-Pull Configuration Missing After Writing It",
			fmt.Sprintf("The Live API accepted the configuration of %q, but Describe does not return it. Another tool may have deleted it at the same time; run terraform apply again.",
				lazypull.ID(want.DomainName, want.AppName)))
		return
	}
	model.setFrom(*got)
}

// Read implements resource.Resource.
func (r *LazyPullConfigResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state lazyPullConfigModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() || !configured(r.client, &resp.Diagnostics) {
		return
	}
	timeout, d := state.Timeouts.Read(ctx, DefaultReadTimeout)
	resp.Diagnostics.Append(d...)
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	domain, app := state.DomainName.ValueString(), state.AppName.ValueString()
	got, err := r.client.Get(ctx, domain, app)
	if liveapi.IsDomainNotFound(err) || (err == nil && got == nil) {
		tflog.Info(ctx, "lazy-pull configuration is gone; removing it from state", map[string]any{"domain": domain, "app": app})
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		addError(&resp.Diagnostics, "Cannot Read Lazy-Pull Configuration", err)
		return
	}
	state.setFrom(*got)
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

// Update implements resource.Resource.
func (r *LazyPullConfigResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan lazyPullConfigModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() || !configured(r.client, &resp.Diagnostics) {
		return
	}
	timeout, d := plan.Timeouts.Update(ctx, DefaultUpdateTimeout)
	resp.Diagnostics.Append(d...)
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	want := plan.config()
	if err := r.client.Set(ctx, want); err != nil && !r.appliedDespite(ctx, err, want) {
		addError(&resp.Diagnostics, "Cannot Update Lazy-Pull Configuration", err)
		return
	}
	r.readBack(ctx, want, &plan, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

// Delete implements resource.Resource.
func (r *LazyPullConfigResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state lazyPullConfigModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() || !configured(r.client, &resp.Diagnostics) {
		return
	}
	timeout, d := state.Timeouts.Delete(ctx, DefaultDeleteTimeout)
	resp.Diagnostics.Append(d...)
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	if err := r.client.Delete(ctx, state.DomainName.ValueString(), state.AppName.ValueString()); err != nil {
		addError(&resp.Diagnostics, "Cannot Delete Lazy-Pull Configuration", err)
	}
}

// ImportState implements resource.ResourceWithImportState.
func (r *LazyPullConfigResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	domain, app, err := lazypull.ParseID(req.ID)
	if err == nil {
		if derr := validators.CheckDomainName(domain); derr != nil {
			err = fmt.Errorf("the domain part is not valid: %w", derr)
		} else if aerr := validators.CheckAppName(app); aerr != nil {
			err = fmt.Errorf("the application part is not valid: %w", aerr)
		}
	}
	if err != nil {
		resp.Diagnostics.AddError("Unexpected Format of ID",
			fmt.Sprintf("Cannot import %q: %s.\n\nThe import ID is <domain_name>:<app_name>, for example:\n\n  terraform import alicloud_live_lazy_pull_config.example live.example.com:live_app", req.ID, err))
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), req.ID)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("domain_name"), domain)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("app_name"), app)...)
}
