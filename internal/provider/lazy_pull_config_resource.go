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
	"github.com/hashicorp/terraform-plugin-framework/resource/identityschema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
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
	_ resource.ResourceWithIdentity       = &LazyPullConfigResource{}
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
	data *providerData
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
				CustomType: hostNamesType{},
				Required:   true,
				MarkdownDescription: "The main streaming domain the configuration belongs to, e.g. `live.example.com`. It must be an ApsaraVideo Live domain of the account. " +
					"A bare DNS host name: no scheme, port or path. Changing it replaces the configuration; a service that holds it in another case shows no change.",
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
				CustomType: hostNamesType{},
				Required:   true,
				MarkdownDescription: "The origin servers to pull from, separated by `;`, e.g. `origin1.example.net;203.0.113.10:1935`. " +
					"Each is a DNS host name or an IPv4 address with an optional `:port` (1-65535); no scheme, path, spaces or duplicates. IPv6 is not supported by the API. " +
					"Host names compare without regard to case, so a service that holds them in another case shows no change (the state keeps your spelling); ports and the order of the origins count.",
				Validators: []validator.String{validators.OriginList()},
			},
			"pull_app_name": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "The application name to use on the origin servers (1 to 255 letters, digits, `-` and `_`). " +
					"Leave it unset to use the application of the playback URL. Unsetting it once set replaces the configuration, and so does setting it from a value known only at apply, which may turn out null: " +
					"the API cannot send an empty value, and whether a service keeps a value a write leaves out is not documented.",
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
			"pull_args": schema.StringAttribute{
				Optional: true,
				Computed: true,
				MarkdownDescription: "Back-to-origin parameters, such as `k=v`, which the ApsaraVideo Live console can also set. " +
					"Left unset, the provider shows what the service holds and keeps it: every write carries the value the service holds, " +
					"so it survives whether or not the service keeps a parameter a write leaves out. `\"\"` clears it, which replaces the configuration " +
					"(the API cannot send an empty value).",
				Validators:    []validator.String{validators.PullArgs()},
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
		},
		Blocks: map[string]schema.Block{
			"timeouts": timeouts.Block(ctx, timeouts.Opts{Create: true, Read: true, Update: true, Delete: true}),
		},
	}
}

// Configure implements resource.ResourceWithConfigure.
func (r *LazyPullConfigResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.data = dataFrom(req.ProviderData, &resp.Diagnostics)
}

// ValidateConfig implements resource.ResourceWithValidateConfig: rules that
// span attributes.
func (r *LazyPullConfigResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	var domain, origins hostNamesValue
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

// IdentitySchema implements resource.ResourceWithIdentity: the identity is
// the configuration's domain and application, for import blocks with an
// identity and for terraform query (Terraform 1.12 and later).
func (r *LazyPullConfigResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = identityschema.Schema{
		Attributes: map[string]identityschema.Attribute{
			"domain_name": identityschema.StringAttribute{
				RequiredForImport: true,
				Description:       "The streaming domain, e.g. live.example.com.",
			},
			"app_name": identityschema.StringAttribute{
				RequiredForImport: true,
				Description:       "The application, or " + lazypull.AllApps + " for every application of the domain.",
			},
		},
	}
}

// lazyPullConfigIdentity is the identity of one configuration.
type lazyPullConfigIdentity struct {
	DomainName types.String `tfsdk:"domain_name"`
	AppName    types.String `tfsdk:"app_name"`
}

func identityOf(domain, app string) lazyPullConfigIdentity {
	return lazyPullConfigIdentity{DomainName: types.StringValue(domain), AppName: types.StringValue(app)}
}

// setIdentity records the identity of (domain, app) in a response. Every
// response that returns state sets it, so that no Terraform version finds
// it missing after any operation.
func setIdentity(ctx context.Context, identity *tfsdk.ResourceIdentity, domain, app string, diags *diag.Diagnostics) {
	if identity == nil {
		return
	}
	diags.Append(identity.Set(ctx, identityOf(domain, app))...)
}

// privateReplaces is the private-state key under which every plan of an
// existing object records that it claimed and checked its configuration.
// Terraform plans a replacement (forced with -replace, or required by a
// change) in two calls: the first with the prior state, the second with
// none and the first call's private state. The second call finds the key
// there and knows that it creates the configuration again after this
// resource destroyed it, and that the first call already claimed and
// checked it. A tainted resource is planned in one call, with neither.
const privateReplaces = "replace"

// privateFailedCreate is the private-state key under which a create that
// failed after it saved state (the object Terraform then taints) marks the
// object. A tainted object is planned with neither its state nor its
// private state, but Terraform refreshes it first, in the same step, with
// both: the refresh records the mark, and the plan that replaces the
// object knows the configuration in the way as its own.
const privateFailedCreate = "failed_create"

// ModifyPlan implements resource.ResourceWithModifyPlan. It plans as a
// replacement what the API cannot change in place, warns when a plan
// touches the ali_all_app wildcard, refuses two resources for one
// configuration, and checks a planned create against the service, so that
// a plan shows what its apply would meet.
func (r *LazyPullConfigResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	var state, plan lazyPullConfigModel
	if !req.State.Raw.IsNull() {
		resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	}
	if !req.Plan.Raw.IsNull() {
		resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	}
	if resp.Diagnostics.HasError() {
		return
	}
	quiet := applyTime(req)
	if req.Plan.Raw.IsNull() {
		if !quiet {
			warnDestroyAllApps(state.lazyPullConfigAttrs, resp)
		}
		return
	}
	// timeouts.read bounds the reads of the plan-time check.
	timeout, d := plan.Timeouts.Read(ctx, DefaultReadTimeout)
	resp.Diagnostics.Append(d...)
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	if req.State.Raw.IsNull() {
		r.planCreate(ctx, req, plan.lazyPullConfigAttrs, quiet, resp)
		return
	}

	// In-place changes the API cannot make: it cannot send an empty value,
	// and whether a service keeps a value a write leaves out is not
	// documented. Deleting and creating again gives the same result on
	// every service, and the plan shows it. A value known only at apply
	// may turn out empty: the plan replaces then too, so that apply does
	// what the plan showed.
	if !state.PullAppName.IsNull() && (plan.PullAppName.IsNull() || plan.PullAppName.IsUnknown()) {
		resp.RequiresReplace.Append(path.Root("pull_app_name"))
	}
	if state.PullArgs.ValueString() != "" && (plan.PullArgs.IsUnknown() || plan.PullArgs.ValueString() == "") {
		resp.RequiresReplace.Append(path.Root("pull_args"))
	}
	r.claim(plan.lazyPullConfigAttrs, resp)
	if resp.Private != nil {
		resp.Diagnostics.Append(resp.Private.SetKey(ctx, privateReplaces, []byte("true"))...)
	}
	moved := !plan.DomainName.Equal(state.DomainName) || !plan.AppName.Equal(state.AppName)
	if !moved && len(resp.RequiresReplace) == 0 {
		return
	}
	if !quiet {
		warnDestroyAllApps(state.lazyPullConfigAttrs, resp)
	}
	// Warnings of the second plan of a replacement are not shown: check the
	// new configuration now. An unset pull_args is the old object's in this
	// plan; the new one keeps what the service holds at the new key.
	if moved {
		check := plan.lazyPullConfigAttrs
		args := types.StringValue(check.PullArgs.ValueString())
		if !req.Config.Raw.IsNull() {
			resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("pull_args"), &args)...)
		}
		if args.IsNull() {
			check.PullArgs = types.StringUnknown()
		}
		r.checkCreate(ctx, check, quiet, resp)
	}
}

// applyTime reports whether Terraform plans a change again during apply,
// to plan it with the values learnt since. Terraform 1.9 and later allow
// deferrals in that plan, and in a normal plan only when deferrals are
// enabled. Checks and warnings the plan showed are not repeated then:
// apply says what it did, in the past tense.
func applyTime(req resource.ModifyPlanRequest) bool {
	return req.ClientCapabilities.DeferralAllowed
}

// planCreate handles a plan with no prior state: a create, a tainted
// resource, or the second plan of a replacement.
func (r *LazyPullConfigResource) planCreate(ctx context.Context, req resource.ModifyPlanRequest, plan lazyPullConfigAttrs, quiet bool, resp *resource.ModifyPlanResponse) {
	replaces, d := req.Private.GetKey(ctx, privateReplaces)
	resp.Diagnostics.Append(d...)
	if len(replaces) > 0 {
		return // claimed and checked by the first plan of the replacement
	}
	r.claim(plan, resp)
	if plan.AppName.ValueString() == lazypull.AllApps && !quiet {
		resp.Diagnostics.AddAttributeWarning(path.Root("app_name"), "ali_all_app Applies to Every Application of the Domain",
			fmt.Sprintf("app_name = %q makes this configuration apply to every application of %q. Destroying it later deletes the lazy-pull configurations of every application of the domain, not only this one.",
				lazypull.AllApps, plan.DomainName.ValueString()))
	}
	r.checkCreate(ctx, plan, quiet, resp)
}

// warnDestroyAllApps warns when the wildcard is destroyed, on its own or to
// replace it: that deletes every application's configuration.
func warnDestroyAllApps(state lazyPullConfigAttrs, resp *resource.ModifyPlanResponse) {
	if state.AppName.ValueString() != lazypull.AllApps {
		return
	}
	resp.Diagnostics.AddWarning("Destroying ali_all_app Removes Every Application's Configuration",
		fmt.Sprintf("Destroying the lazy-pull configuration with app_name = %q on %q (to delete or to replace it) deletes the lazy-pull configurations of EVERY application of the domain, "+
			"including ones that other resources or tools manage.", lazypull.AllApps, state.DomainName.ValueString()))
}

// claim refuses a second resource of this plan for the same configuration.
func (r *LazyPullConfigResource) claim(plan lazyPullConfigAttrs, resp *resource.ModifyPlanResponse) {
	if r.data == nil || !plan.keyKnown() || r.data.claim(plan.key()) {
		return
	}
	resp.Diagnostics.AddError("Two Resources Manage One Lazy-Pull Configuration",
		fmt.Sprintf("Another alicloud_live_lazy_pull_config of this configuration already manages %s (domain_name %q, app_name %q). "+
			"One configuration of the service can be managed by one resource only: remove one of them, or give them different app_name or domain_name values.",
			plan.key(), plan.DomainName.ValueString(), plan.AppName.ValueString()))
}

// checkCreate reads the domain's configurations (one Describe per domain
// and plan, shared with refresh) and turns what apply would meet into plan
// diagnostics: a domain that cannot hold configurations, or an unmanaged
// configuration in the way. Without credentials the check is skipped, and
// the plan says so once. The resource's timeouts.read bounds it (ctx).
// During apply (quiet) nothing is checked: Create checks what the service
// holds then, and says what it did.
func (r *LazyPullConfigResource) checkCreate(ctx context.Context, plan lazyPullConfigAttrs, quiet bool, resp *resource.ModifyPlanResponse) {
	if r.data == nil || !plan.keyKnown() {
		return
	}
	client := r.data.client
	if err := client.CheckCredentials(ctx); err != nil {
		if !quiet && r.data.firstSkippedCheck() {
			resp.Diagnostics.AddWarning("Plan-Time Checks Skipped",
				"The provider cannot call the Live API, so this plan does not check the domains of new lazy-pull configurations, "+
					"or whether unmanaged configurations stand in their way: apply will. "+err.Error())
		}
		return
	}
	if quiet {
		return // Create checks again, on what the service holds then
	}
	domain, app := plan.DomainName.ValueString(), plan.AppName.ValueString()
	existing, err := client.Get(ctx, domain, app)
	if err != nil {
		addError(&resp.Diagnostics, "Cannot Create Lazy-Pull Configuration", err)
		return
	}
	if !plan.fullyKnown() {
		return // apply decides, once every value is known
	}
	if d := r.existence(plan, existing, true); d != nil {
		resp.Diagnostics.Append(d)
	}
}

// existence is the one check of a configuration to create against what
// the service holds (existing, nil when nothing): nil when nothing stands
// in the way, else an error for a different configuration, or a warning
// that the create adopts an identical one. planned says whether a plan
// asks, which warns of what apply will do; else Create asks, which says
// what it did.
//
// A configuration this walk deleted (a replacement's destroy half, or
// ali_all_app) is not in the way, though Describe may show it a while. Nor
// is an identical configuration that this walk's refresh found in the
// state of a resource: a tainted resource creates again what it holds,
// and another resource's configuration that this plan takes over is
// refused by the claims or destroyed by the plan.
func (r *LazyPullConfigResource) existence(plan lazyPullConfigAttrs, existing *lazypull.Config, planned bool) diag.Diagnostic {
	domain, app := plan.DomainName.ValueString(), plan.AppName.ValueString()
	if existing == nil || r.data.client.DeletedHere(domain, app) {
		return nil
	}
	id := plan.key()
	if !plan.matches()(existing) {
		if r.data.failedCreate(id) {
			// The tainted object of a failed create: this plan replaces it.
			return nil
		}
		return diag.NewErrorDiagnostic("Lazy-Pull Configuration Already Exists", alreadyExists(plan, *existing, r.data.held(id), planned))
	}
	switch {
	case r.data.held(id):
		return nil
	case planned:
		return diag.NewWarningDiagnostic("Apply Will Adopt an Existing Lazy-Pull Configuration",
			fmt.Sprintf("%s already exists on the service, exactly as planned. Apply will record it in state without writing it. "+
				"The usual cause is an earlier run that was stopped after its write and before it saved state.", id))
	default:
		return diag.NewWarningDiagnostic("Adopted an Existing Lazy-Pull Configuration",
			fmt.Sprintf("%s already existed on the service exactly as planned, so the provider recorded it in state without writing it. "+
				"The usual cause is an earlier run that was stopped after its write and before it saved state.", id))
	}
}

// alreadyExists explains an unmanaged configuration that differs from the
// plan, and how to adopt it. held says that this walk's refresh found the
// configuration in the state of a resource; planned, that a plan asks.
func alreadyExists(planned lazyPullConfigAttrs, existing lazypull.Config, held, plan bool) string {
	id := lazypull.ID(existing.DomainName, existing.AppName)
	var b strings.Builder
	fmt.Fprintf(&b, "The domain %q already has a lazy-pull configuration for app_name %q that no other change of this plan creates, and it differs from this one:\n%s\n\n",
		existing.DomainName, existing.AppName, planned.differences(existing))
	if held {
		fmt.Fprintf(&b, "Another resource of this state manages %s, or this resource does and is tainted. "+
			"Terraform does not order the destroy of one resource before the create of another, so this plan cannot create it while the other one destroys it. "+
			"If the resource was renamed (a for_each key, a count index, a resource name), add a moved block from the old address to the new one: "+
			"Terraform then changes the configuration in place.\n\n"+
			"  moved {\n    from = <old resource address>\n    to   = <resource address>\n  }\n\n"+
			"If this resource is tainted, untaint it and run terraform apply -replace=<resource address>.", id)
		return b.String()
	}
	fmt.Fprintf(&b, "The provider does not overwrite a configuration it does not manage. To manage it with Terraform, import it:\n\n"+
		"  terraform import <resource address> %s\n\n"+
		"or add an import block (Terraform 1.5 and later):\n\n"+
		"  import {\n    to = <resource address>\n    id = %q\n  }\n\n"+
		"then make the configuration match what the service holds, or let the next apply change it. "+
		"If another resource of this state manages it under an address that changed (a for_each key, a count index, a resource name), add a moved block from the old address to the new one instead:\n\n"+
		"  moved {\n    from = <old resource address>\n    to   = <resource address>\n  }", id, id)
	if !plan {
		b.WriteString("\n\nIf this resource replaces its own configuration (same domain_name and app_name, for example to unset pull_app_name) and has create_before_destroy, " +
			"the configuration in the way is its own: the service holds one configuration per application, so it cannot be created before the old one is destroyed. " +
			"Remove create_before_destroy from the resource's lifecycle block.")
	}
	return b.String()
}

// Create implements resource.Resource.
func (r *LazyPullConfigResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan lazyPullConfigModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() || !configured(r.data, &resp.Diagnostics) {
		return
	}
	timeout, d := plan.Timeouts.Create(ctx, DefaultCreateTimeout)
	resp.Diagnostics.Append(d...)
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	resp.Diagnostics.Append(resp.Private.SetKey(ctx, privateReplaces, nil)...)
	defer func() {
		if resp.Diagnostics.HasError() && !resp.State.Raw.IsNull() {
			resp.Diagnostics.Append(resp.Private.SetKey(ctx, privateFailedCreate, []byte("true"))...)
		}
	}()

	client := r.data.client
	want := plan.config()
	r.data.awaitDelete(ctx, plan.key())
	var existing *lazypull.Config
	var err error
	if client.DeletedHere(want.DomainName, want.AppName) {
		// The create half of a replacement, after its delete. A Describe
		// that lags shows the old object for a while; were the new one
		// identical, the read after the write would take the old for the
		// new, and a later refresh would find the gap between them. Wait
		// until Describe shows the delete: then only the write ends the
		// read-back's wait.
		_, err = client.Await(ctx, want.DomainName, want.AppName, func(c *lazypull.Config) bool { return c == nil })
	} else {
		existing, err = client.Get(ctx, want.DomainName, want.AppName)
	}
	if err != nil {
		addError(&resp.Diagnostics, "Cannot Create Lazy-Pull Configuration", err)
		return
	}
	if d := r.existence(plan.lazyPullConfigAttrs, existing, false); d != nil {
		resp.Diagnostics.Append(d)
		if d.Severity() == diag.SeverityError {
			return
		}
	}
	if existing != nil && !client.DeletedHere(want.DomainName, want.AppName) {
		// The configuration is there exactly as planned: record it.
		plan.setFrom(*existing)
		r.save(ctx, &plan, &resp.State, resp.Identity, &resp.Diagnostics)
		return
	}

	if err := client.Set(ctx, want); err != nil && !r.appliedDespite(ctx, err, plan.lazyPullConfigAttrs) {
		addError(&resp.Diagnostics, "Cannot Create Lazy-Pull Configuration", err)
		return
	}
	r.readBack(ctx, &plan, replaced(existing), &resp.State, resp.Identity, &resp.Diagnostics)
}

// appliedDespite reports whether a write that failed with err (its answer
// lost, or 5xx after every retry) reached the service all the same, as
// Describe shows. Then the state records what the service holds, and a
// rerun neither fails nor writes twice.
func (r *LazyPullConfigResource) appliedDespite(ctx context.Context, err error, planned lazyPullConfigAttrs) bool {
	var apiErr *liveapi.APIError
	ambiguous := lostAnswer(err) || (errors.As(err, &apiErr) && apiErr.HTTPStatus >= 500)
	if !ambiguous {
		return false
	}
	want := planned.config()
	if !r.showsDespite(ctx, want.DomainName, want.AppName, planned.matches(), lostAnswer(err)) {
		return false
	}
	tflog.Info(ctx, "the write failed, but the service holds the configuration as written", map[string]any{"domain": want.DomainName, "app": want.AppName, "error": err.Error()})
	return true
}

// lostAnswer reports whether a call got no answer at all, so that the
// service may or may not have applied it.
func lostAnswer(err error) bool {
	var tErr *liveapi.TransportError
	return errors.As(err, &tErr)
}

// settleWait bounds how long the provider reads, after a failed write, for
// what the write may have done all the same: Describe may lag behind writes
// for a few seconds.
const settleWait = 30 * time.Second

// showsDespite reports whether the service shows what a failed write meant
// to do (done). With wait, when the write may have been applied and a
// lagging Describe may not show it yet, it reads until done or for up to
// settleWait; else one fresh read decides. The operation's context bounds
// it: it never reads past the operation's timeout or after a cancellation,
// and then reports false, so that the write's own error is shown.
func (r *LazyPullConfigResource) showsDespite(ctx context.Context, domain, app string, done func(*lazypull.Config) bool, wait bool) bool {
	checkCtx, cancel := context.WithTimeout(ctx, settleWait)
	defer cancel()
	client := r.data.client
	var got *lazypull.Config
	var err error
	if wait {
		got, err = client.Await(checkCtx, domain, app, done)
	} else {
		got, err = client.Fresh(checkCtx, domain, app)
	}
	return err == nil && done(got)
}

// readBack reads the configuration from the service after a write, and
// saves what the service holds. It waits while Describe shows what the
// write replaced (stale: a lagging Describe), until it shows what was
// written or the operation's time runs out; a third configuration ends the
// wait at once, as the service stored something else. The state never
// records what was sent unless the service shows it.
func (r *LazyPullConfigResource) readBack(ctx context.Context, model *lazyPullConfigModel, stale func(*lazypull.Config) bool, state *tfsdk.State, identity *tfsdk.ResourceIdentity, diags *diag.Diagnostics) {
	want := model.config()
	id := lazypull.ID(want.DomainName, want.AppName)
	got, err := r.data.client.AwaitFrom(ctx, want.DomainName, want.AppName, model.matches(), stale)
	var notSettled *liveapi.NotSettledError
	switch {
	case errors.As(err, &notSettled) && got != nil:
		diff := model.differences(*got)
		model.setFrom(*got)
		r.save(ctx, model, state, identity, diags)
		detail := fmt.Sprintf("The Live API accepted the write of %s, but %s:\n%s\n\n"+
			"The state records what the service holds. Either the service has not caught up yet, or something else changed the configuration at the same time. "+
			"Run terraform apply again; if the difference stays, the service does not accept these values.", id, notSettled, diff)
		if notSettled.Other {
			detail = fmt.Sprintf("The Live API accepted the write of %s, but the service holds something else:\n%s\n\n"+
				"Describe shows neither the configuration before the write nor the one written, so waiting longer would not change it. "+
				"The state records what the service holds, so the next plan shows the change still to make. "+
				"Either the service stores these values in another form than it was sent (it may not accept them), or something else changed the configuration at the same time.", id, diff)
		}
		diags.AddError("Lazy-Pull Configuration Did Not Take Effect", detail)
	case errors.As(err, &notSettled):
		diags.AddError("Lazy-Pull Configuration Missing After Writing It",
			fmt.Sprintf("The Live API accepted the configuration of %s, but %s: Describe does not return it. "+
				"Another tool may have deleted it at the same time; run terraform apply again.", id, notSettled))
	case err != nil:
		addError(diags, "Cannot Read Lazy-Pull Configuration After Writing It", err)
	default:
		model.setFrom(*got)
		r.save(ctx, model, state, identity, diags)
	}
}

// save records model and its identity.
func (r *LazyPullConfigResource) save(ctx context.Context, model *lazyPullConfigModel, state *tfsdk.State, identity *tfsdk.ResourceIdentity, diags *diag.Diagnostics) {
	diags.Append(state.Set(ctx, model)...)
	setIdentity(ctx, identity, model.DomainName.ValueString(), model.AppName.ValueString(), diags)
}

// Read implements resource.Resource.
func (r *LazyPullConfigResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state lazyPullConfigModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() || !configured(r.data, &resp.Diagnostics) {
		return
	}
	timeout, d := state.Timeouts.Read(ctx, DefaultReadTimeout)
	resp.Diagnostics.Append(d...)
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	domain, app := state.DomainName.ValueString(), state.AppName.ValueString()
	// The framework wants an identity even from a read that removes the
	// resource.
	setIdentity(ctx, resp.Identity, domain, app, &resp.Diagnostics)
	got, err := r.data.client.Get(ctx, domain, app)
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
	failed, d := req.Private.GetKey(ctx, privateFailedCreate)
	resp.Diagnostics.Append(d...)
	r.data.hold(lazypull.ID(got.DomainName, got.AppName), len(failed) > 0)
	r.save(ctx, &state, &resp.State, resp.Identity, &resp.Diagnostics)
}

// Update implements resource.Resource. A change that leaves every value
// the service holds as it is (of timeouts only) is saved without a write:
// a write would need permission and quota, and would overwrite a change
// made since the refresh.
func (r *LazyPullConfigResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state lazyPullConfigModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() || !configured(r.data, &resp.Diagnostics) {
		return
	}
	timeout, d := plan.Timeouts.Update(ctx, DefaultUpdateTimeout)
	resp.Diagnostics.Append(d...)
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	resp.Diagnostics.Append(resp.Private.SetKey(ctx, privateReplaces, nil)...)
	// An object that an update succeeds on is no longer tainted.
	resp.Diagnostics.Append(resp.Private.SetKey(ctx, privateFailedCreate, nil)...)

	before := state.config()
	if !plan.PullArgs.IsUnknown() && lazypull.Same(plan.config(), before) {
		tflog.Info(ctx, "no value the service holds changes: saving the new state without writing", map[string]any{"id": plan.key()})
		r.save(ctx, &plan, &resp.State, resp.Identity, &resp.Diagnostics)
		return
	}
	if err := r.data.client.Set(ctx, plan.config()); err != nil && !r.appliedDespite(ctx, err, plan.lazyPullConfigAttrs) {
		addError(&resp.Diagnostics, "Cannot Update Lazy-Pull Configuration", err)
		return
	}
	r.readBack(ctx, &plan, replaced(&before), &resp.State, resp.Identity, &resp.Diagnostics)
}

// Delete implements resource.Resource. Whatever the service answers, the
// delete succeeds when a fresh read shows the configuration gone: what the
// service answers for deleting a configuration that is already gone is not
// documented.
func (r *LazyPullConfigResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state lazyPullConfigModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() || !configured(r.data, &resp.Diagnostics) {
		return
	}
	timeout, d := state.Timeouts.Delete(ctx, DefaultDeleteTimeout)
	resp.Diagnostics.Append(d...)
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	client := r.data.client
	domain, app := state.DomainName.ValueString(), state.AppName.ValueString()
	id := lazypull.ID(domain, app)
	done, ok := r.data.startDelete(id)
	if !ok {
		// Another change of this apply writes the same configuration: the
		// create half of a replacement with create_before_destroy, whose
		// old object this is, or a resource that took it over. Deleting it
		// would delete what that change wrote.
		resp.Diagnostics.AddWarning("Lazy-Pull Configuration Left in Place",
			fmt.Sprintf("%s was removed from state without deleting it on the service, because another change of this apply manages it now.", id))
		return
	}
	defer done()
	// A configuration this run already deleted (through ali_all_app, say)
	// may still show for a while after the service forgot it.
	deletedBefore := client.DeletedHere(domain, app)
	err := client.Delete(ctx, domain, app)
	if err == nil {
		return
	}
	gone := func(c *lazypull.Config) bool { return c == nil }
	// Unless the service refused the request outright, the failure may say
	// that the configuration is gone (how the service answers a delete of a
	// missing configuration is not documented), or hide an earlier attempt
	// that deleted it; a lagging Describe may show it a while longer.
	if r.showsDespite(ctx, domain, app, gone, deletedBefore || !liveapi.Refused(err)) {
		tflog.Info(ctx, "the delete failed, but the configuration is gone", map[string]any{"domain": domain, "app": app, "error": err.Error()})
		return
	}
	addError(&resp.Diagnostics, "Cannot Delete Lazy-Pull Configuration", err)
}

// ImportState implements resource.ResourceWithImportState: by the ID
// "<domain_name>:<app_name>", or by identity.
func (r *LazyPullConfigResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	var domain, app string
	var err error
	if req.ID != "" {
		domain, app, err = lazypull.ParseID(req.ID)
	} else {
		var identity lazyPullConfigIdentity
		resp.Diagnostics.Append(req.Identity.Get(ctx, &identity)...)
		if resp.Diagnostics.HasError() {
			return
		}
		domain, app = identity.DomainName.ValueString(), identity.AppName.ValueString()
	}
	if err == nil {
		if derr := validators.CheckDomainName(domain); derr != nil {
			err = fmt.Errorf("the domain part is not valid: %w", derr)
		} else if aerr := validators.CheckAppName(app); aerr != nil {
			err = fmt.Errorf("the application part is not valid: %w", aerr)
		}
	}
	what := fmt.Sprintf("%q", req.ID)
	if req.ID == "" {
		what = fmt.Sprintf("the identity {domain_name = %q, app_name = %q}", domain, app)
	}
	if err != nil {
		if req.ID == "" {
			resp.Diagnostics.AddError("Invalid Import Identity",
				fmt.Sprintf("Cannot import %s: %s.\n\nThe identity names the streaming domain and the application, for example:\n\n"+
					"  import {\n    to = alicloud_live_lazy_pull_config.example\n    identity = {\n      domain_name = \"live.example.com\"\n      app_name    = \"live_app\"\n    }\n  }", what, err))
			return
		}
		resp.Diagnostics.AddError("Unexpected Format of ID",
			fmt.Sprintf("Cannot import %s: %s.\n\nThe import ID is <domain_name>:<app_name>, for example:\n\n  terraform import alicloud_live_lazy_pull_config.example live.example.com:live_app", what, err))
		return
	}
	// A domain that is not in the account would read as "nothing there",
	// and Terraform would say only that the object does not exist: name
	// the real cause.
	if r.data != nil {
		var apiErr *liveapi.APIError
		if _, err := r.data.client.Get(ctx, domain, app); liveapi.IsDomainNotFound(err) && errors.As(err, &apiErr) {
			resp.Diagnostics.AddError("Cannot Import Lazy-Pull Configuration",
				fmt.Sprintf("Cannot import %s: the domain %q is not in this Alibaba Cloud account.\n\n%s", what, domain, apiErr.Detail()))
			return
		}
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), lazypull.ID(domain, app))...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("domain_name"), domain)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("app_name"), app)...)
	setIdentity(ctx, resp.Identity, domain, app, &resp.Diagnostics)
}
