package validators

import (
	"context"
	"errors"
	"fmt"
	"strconv"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
)

// Diagnostic summaries added by the framework validators.
const (
	SummaryDomainName = "Invalid Domain Name"
	SummaryAppName    = "Invalid App Name"
	SummaryOriginList = "Invalid Origin List"
	SummaryPullArgs   = "Invalid Pull Args"
)

// stringValidator adapts a Check* function to validator.String.
type stringValidator struct {
	check        func(string) error
	summary      string
	rule         string // plain-text statement of what is allowed
	ruleMarkdown string
}

var _ validator.String = stringValidator{}

// PullArgs returns a validator.String accepting what CheckPullArgs
// accepts. Null and unknown values are skipped.
func PullArgs() validator.String {
	return stringValidator{
		check:        CheckPullArgs,
		summary:      SummaryPullArgs,
		rule:         pullArgsRule,
		ruleMarkdown: pullArgsRuleM,
	}
}

// DomainName returns a validator.String accepting the DNS domain names that
// CheckDomainName accepts. Null and unknown values are skipped.
func DomainName() validator.String {
	return stringValidator{
		check:        CheckDomainName,
		summary:      SummaryDomainName,
		rule:         domainNameRule,
		ruleMarkdown: domainNameRuleM,
	}
}

// AppName returns a validator.String accepting the application names that
// CheckAppName accepts. Null and unknown values are skipped.
func AppName() validator.String {
	return stringValidator{
		check:        CheckAppName,
		summary:      SummaryAppName,
		rule:         appNameRule,
		ruleMarkdown: appNameRuleM,
	}
}

// OriginList returns a validator.String accepting the ";"-separated origin
// lists that CheckOriginList accepts. Null and unknown values are skipped.
func OriginList() validator.String {
	return stringValidator{
		check:        CheckOriginList,
		summary:      SummaryOriginList,
		rule:         originListRule,
		ruleMarkdown: originListRuleM,
	}
}

// Description implements validator.Describer.
func (v stringValidator) Description(_ context.Context) string {
	return "value must be " + v.rule
}

// MarkdownDescription implements validator.Describer.
func (v stringValidator) MarkdownDescription(_ context.Context) string {
	return "value must be " + v.ruleMarkdown
}

// ValidateString implements validator.String.
func (v stringValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	value := req.ConfigValue.ValueString()
	err := v.check(value)
	if err == nil {
		return
	}
	resp.Diagnostics.AddAttributeError(req.Path, v.summary, detail(req.Path.String(), value, err, v.rule))
}

// detail renders the diagnostic detail:
//
//	Attribute <path> value "<value>" is not valid: <reason>. Allowed: <rule>.
func detail(path, value string, err error, rule string) string {
	reason := err.Error()
	var ve *ValidationError
	if errors.As(err, &ve) {
		reason = ve.Reason
		if ve.Index > 0 {
			reason = ve.Subject + ": " + ve.Reason
		}
	}
	return fmt.Sprintf("Attribute %s value %s is not valid: %s. Allowed: %s.", path, strconv.Quote(value), reason, rule)
}
