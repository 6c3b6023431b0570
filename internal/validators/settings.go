package validators

import (
	"fmt"
	"strconv"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/alicloud-live/terraform-provider-alicloud/internal/liveapi"
)

// Endpoint returns a validator.String accepting an API endpoint: an http or
// https URL with a host and an optional port, or a bare host meaning https.
func Endpoint() validator.String {
	return stringValidator{
		check: func(s string) error {
			_, err := liveapi.ParseEndpoint(s)
			return err
		},
		summary:      "Invalid Endpoint",
		rule:         "a URL like https://live.aliyuncs.com or http://127.0.0.1:8080, or a host name (meaning https)",
		ruleMarkdown: "a URL like `https://live.aliyuncs.com` or `http://127.0.0.1:8080`, or a host name (meaning https)",
	}
}

// Duration returns a validator.String accepting a positive Go duration
// such as "1m" or "30s".
func Duration() validator.String {
	return stringValidator{
		check: func(s string) error {
			d, err := time.ParseDuration(s)
			if err != nil {
				return fmt.Errorf("%s is not a duration", strconv.Quote(s))
			}
			if d <= 0 {
				return fmt.Errorf("%s is not positive", strconv.Quote(s))
			}
			return nil
		},
		summary:      "Invalid Duration",
		rule:         "a positive duration such as 1m, 30s or 1h30m",
		ruleMarkdown: "a positive duration such as `1m`, `30s` or `1h30m`",
	}
}
