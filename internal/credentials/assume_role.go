package credentials

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk"
	sdkcredentials "github.com/aliyun/alibaba-cloud-sdk-go/sdk/auth/credentials"
	sdkerrors "github.com/aliyun/alibaba-cloud-sdk-go/sdk/errors"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/sts"

	"github.com/alicloud-live/terraform-provider-alicloud/internal/liveapi"
	_ "github.com/alicloud-live/terraform-provider-alicloud/internal/sdkquiet" // must initialize before the SDK
)

// DefaultSTSEndpoint is the public STS endpoint.
const DefaultSTSEndpoint = "https://sts.aliyuncs.com"

// Defaults of an assume_role block, as the official provider has them.
const (
	DefaultSessionName       = "terraform"
	DefaultSessionExpiration = 3600
)

// AssumeRole obtains temporary credentials of a RAM role through STS
// AssumeRole, signed with the Base credentials. It calls STS through the
// SDK's services/sts client, whose endpoint can be overridden (the SDK's
// built-in RAM-role credential provider always speaks https to the public
// STS endpoint, which no test server and no private endpoint can stand in
// for).
type AssumeRole struct {
	Base              liveapi.CredentialSource
	RoleArn           string
	SessionName       string
	SessionExpiration int // seconds, 900 to 43200
	Policy            string
	ExternalID        string
	Endpoint          *url.URL
	Region            string

	mu      sync.Mutex
	secrets []string
}

var _ liveapi.CredentialSource = &AssumeRole{}

// Describe implements liveapi.CredentialSource.
func (a *AssumeRole) Describe() string {
	return fmt.Sprintf("role %s assumed through STS at %s with the %s", a.RoleArn, a.Endpoint.Host, a.Base.Describe())
}

// Secrets implements liveapi.CredentialSource.
func (a *AssumeRole) Secrets() []string {
	a.mu.Lock()
	defer a.mu.Unlock()
	return append(append([]string{}, a.Base.Secrets()...), a.secrets...)
}

// Credentials implements liveapi.CredentialSource: one AssumeRole call.
func (a *AssumeRole) Credentials(ctx context.Context) (liveapi.Credentials, error) {
	base, err := a.Base.Credentials(ctx)
	if err != nil {
		return liveapi.Credentials{}, fmt.Errorf("assume_role needs credentials to call STS with: %w", err)
	}
	config := sdk.NewConfig().WithAutoRetry(false).WithTimeout(30 * time.Second)
	var cred interface{}
	if base.SecurityToken != "" {
		cred = sdkcredentials.NewStsTokenCredential(base.AccessKeyID, base.AccessKeySecret, base.SecurityToken)
	} else {
		cred = sdkcredentials.NewAccessKeyCredential(base.AccessKeyID, base.AccessKeySecret)
	}
	client, err := sts.NewClientWithOptions(a.Region, config, cred)
	if err != nil {
		return liveapi.Credentials{}, fmt.Errorf("assume_role: %w", err)
	}
	req := sts.CreateAssumeRoleRequest()
	req.SetDomain(a.Endpoint.Host)
	req.SetScheme(strings.ToUpper(a.Endpoint.Scheme))
	req.RoleArn = a.RoleArn
	req.RoleSessionName = a.SessionName
	req.DurationSeconds = requests.NewInteger(a.SessionExpiration)
	req.Policy = a.Policy
	req.ExternalId = a.ExternalID

	type result struct {
		resp *sts.AssumeRoleResponse
		err  error
	}
	done := make(chan result, 1)
	go func() {
		resp, err := client.AssumeRole(req)
		done <- result{resp, err}
	}()
	var r result
	select {
	case r = <-done:
	case <-ctx.Done():
		return liveapi.Credentials{}, fmt.Errorf("assume_role %s: %w", a.RoleArn, ctx.Err())
	}
	if r.err != nil {
		return liveapi.Credentials{}, a.describeError(r.err)
	}
	c := r.resp.Credentials
	a.mu.Lock()
	a.secrets = append(a.secrets, c.AccessKeySecret, c.SecurityToken)
	a.mu.Unlock()
	out := liveapi.Credentials{AccessKeyID: c.AccessKeyId, AccessKeySecret: c.AccessKeySecret, SecurityToken: c.SecurityToken}
	if exp, err := time.Parse(time.RFC3339, c.Expiration); err == nil {
		out.Expires = exp
	}
	return out, nil
}

func (a *AssumeRole) describeError(err error) error {
	var serverErr *sdkerrors.ServerError
	if errors.As(err, &serverErr) {
		msg := serverErr.Message()
		msg, _, _ = strings.Cut(msg, " server string to sign is:")
		return fmt.Errorf("assume_role: STS AssumeRole of %s failed: %s: %s (HTTP %d, RequestId %s). The call was signed with the %s",
			a.RoleArn, serverErr.ErrorCode(), msg, serverErr.HttpStatus(), serverErr.RequestId(), a.Base.Describe())
	}
	var clientErr *sdkerrors.ClientError
	if errors.As(err, &clientErr) {
		return fmt.Errorf("assume_role: STS AssumeRole of %s: no answer from %s: %s", a.RoleArn, a.Endpoint.Host, clientErr.ErrorCode())
	}
	return fmt.Errorf("assume_role: STS AssumeRole of %s: no answer from %s", a.RoleArn, a.Endpoint.Host)
}
