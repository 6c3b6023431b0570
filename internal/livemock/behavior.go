package livemock

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Behavior selects the answer the mock gives wherever Alibaba Cloud's API
// reference is silent. The zero value is the default behavior.
type Behavior struct {
	// OmittedParams says what a Set does with an optional parameter it
	// does not carry.
	OmittedParams OmittedParams
	// DeleteMissing says how a Delete of a configuration that does not
	// exist is answered.
	DeleteMissing DeleteMissing
	// ListOrder is the order in which Describe lists a domain's
	// configurations.
	ListOrder ListOrder
	// DescribeLag is how long a write (Set or Delete) takes to become
	// visible to Describe; 0 makes every write visible at once. The write
	// itself applies at once: the next Set or Delete, and Config, Configs
	// and AllConfigs, see it.
	DescribeLag time.Duration
}

// OmittedParams says what a Set on an existing (DomainName, AppName) does
// with an optional parameter (PullAppName, TranscodeLazy, PullArgs) that the
// request does not carry or carries empty.
type OmittedParams int

const (
	// OmittedClear rebuilds the whole configuration: an omitted parameter
	// becomes empty (TranscodeLazy becomes "no").
	OmittedClear OmittedParams = iota
	// OmittedKeep keeps the stored value of an omitted parameter.
	OmittedKeep
)

// String returns "clear" or "keep".
func (o OmittedParams) String() string {
	if o == OmittedKeep {
		return "keep"
	}
	return "clear"
}

// MarshalText returns String.
func (o OmittedParams) MarshalText() ([]byte, error) { return []byte(o.String()), nil }

// UnmarshalText reads "clear" or "keep".
func (o *OmittedParams) UnmarshalText(b []byte) error {
	switch string(b) {
	case "clear":
		*o = OmittedClear
	case "keep":
		*o = OmittedKeep
	default:
		return fmt.Errorf("want keep or clear, got %q", b)
	}
	return nil
}

// ListOrder is the order of Describe's list of a domain's configurations.
type ListOrder int

const (
	// ListSorted lists by AppName.
	ListSorted ListOrder = iota
	// ListRandom shuffles the list, differently on each call.
	ListRandom
)

// String returns "sorted" or "random".
func (l ListOrder) String() string {
	if l == ListRandom {
		return "random"
	}
	return "sorted"
}

// MarshalText returns String.
func (l ListOrder) MarshalText() ([]byte, error) { return []byte(l.String()), nil }

// UnmarshalText reads "sorted" or "random".
func (l *ListOrder) UnmarshalText(b []byte) error {
	switch string(b) {
	case "sorted":
		*l = ListSorted
	case "random":
		*l = ListRandom
	default:
		return fmt.Errorf("want sorted or random, got %q", b)
	}
	return nil
}

// DeleteMissing says how a Delete of a configuration that does not exist
// (or of ali_all_app on a domain without any configuration) is answered.
// The zero value succeeds.
type DeleteMissing struct {
	// Code is the error code of the answer; "" makes the Delete succeed.
	Code string
	// Status is the HTTP status of the error answer; 0 means 404.
	Status int
}

// DefaultDeleteMissingCode is the error code of the "delete-missing-fails"
// variant. The real code, if there is one, is not documented.
const DefaultDeleteMissingCode = "InvalidLazyPullConfig.NotFound"

// Fails reports whether such a Delete is answered with an error.
func (d DeleteMissing) Fails() bool { return d.Code != "" }

func (d DeleteMissing) status() int {
	if d.Status == 0 {
		return http.StatusNotFound
	}
	return d.Status
}

// String returns "succeed" or "CODE:STATUS".
func (d DeleteMissing) String() string {
	if !d.Fails() {
		return "succeed"
	}
	return d.Code + ":" + strconv.Itoa(d.status())
}

// MarshalText returns String.
func (d DeleteMissing) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText reads "succeed", "CODE" (HTTP 404) or "CODE:STATUS" with a
// 4xx or 5xx STATUS.
func (d *DeleteMissing) UnmarshalText(b []byte) error {
	s := string(b)
	if s == "succeed" {
		*d = DeleteMissing{}
		return nil
	}
	code, st, hasStatus := strings.Cut(s, ":")
	if code == "" || strings.ContainsAny(code, " \t") {
		return fmt.Errorf("want succeed, CODE or CODE:STATUS, got %q", s)
	}
	status := http.StatusNotFound
	if hasStatus {
		n, err := strconv.Atoi(st)
		if err != nil || n < 400 || n > 599 {
			return fmt.Errorf("want an HTTP status from 400 to 599 after the code, got %q", st)
		}
		status = n
	}
	*d = DeleteMissing{Code: code, Status: status}
	return nil
}

func (d DeleteMissing) apiError() *apiError {
	return newAPIError(d.status(), d.Code, "The specified lazy pull configuration does not exist.")
}

// String renders the behavior in the syntax of cmd/livemock's flags, e.g.
// "omitted=clear delete-missing=succeed order=sorted describe-lag=0s".
func (b Behavior) String() string {
	return fmt.Sprintf("omitted=%s delete-missing=%s order=%s describe-lag=%s",
		b.OmittedParams, b.DeleteMissing, b.ListOrder, b.DescribeLag)
}

// Variants are named behaviors, one per undocumented answer plus one with
// every alternative answer at once, so that a test or cmd/livemock can
// select a whole variant by name.
var Variants = map[string]Behavior{
	"default":              {},
	"keep-omitted":         {OmittedParams: OmittedKeep},
	"delete-missing-fails": {DeleteMissing: DeleteMissing{Code: DefaultDeleteMissingCode, Status: http.StatusNotFound}},
	"random-order":         {ListOrder: ListRandom},
	"lagging-describe":     {DescribeLag: 2 * time.Second},
	"all-alternatives": {
		OmittedParams: OmittedKeep,
		DeleteMissing: DeleteMissing{Code: DefaultDeleteMissingCode, Status: http.StatusNotFound},
		ListOrder:     ListRandom,
		DescribeLag:   2 * time.Second,
	},
}

// VariantNames returns the names of Variants, sorted.
func VariantNames() []string {
	names := make([]string, 0, len(Variants))
	for n := range Variants {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

// ParseVariant returns the behavior of the variant called name.
func ParseVariant(name string) (Behavior, error) {
	b, ok := Variants[name]
	if !ok {
		return Behavior{}, fmt.Errorf("unknown variant %q; known variants: %s", name, strings.Join(VariantNames(), ", "))
	}
	return b, nil
}

// WithBehavior selects the answers to the questions the API reference
// leaves open (default: the zero Behavior).
func WithBehavior(b Behavior) Option {
	return func(s *Server) { s.behavior = b }
}
