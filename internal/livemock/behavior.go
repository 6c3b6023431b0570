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
	// StoredForm is the form in which a Set stores what it was sent.
	StoredForm StoredForm
}

// StoredForm says in which form a Set stores the values it was sent, which
// Describe then returns.
type StoredForm int

const (
	// StoredAsSent stores every value exactly as sent.
	StoredAsSent StoredForm = iota
	// StoredLowerCase stores host names in lower case, an equivalent form:
	// DomainName (whose lookups then ignore case) and the host of every
	// origin of PullDomainName.
	StoredLowerCase
	// StoredFirstOrigin keeps only the first origin of PullDomainName: a
	// service that stores something other than what it was sent.
	StoredFirstOrigin
)

// String returns "as-sent", "lower-case" or "first-origin".
func (f StoredForm) String() string {
	switch f {
	case StoredLowerCase:
		return "lower-case"
	case StoredFirstOrigin:
		return "first-origin"
	}
	return "as-sent"
}

// MarshalText returns String.
func (f StoredForm) MarshalText() ([]byte, error) { return []byte(f.String()), nil }

// UnmarshalText reads "as-sent", "lower-case" or "first-origin".
func (f *StoredForm) UnmarshalText(b []byte) error {
	switch string(b) {
	case "as-sent":
		*f = StoredAsSent
	case "lower-case":
		*f = StoredLowerCase
	case "first-origin":
		*f = StoredFirstOrigin
	default:
		return fmt.Errorf("want as-sent, lower-case or first-origin, got %q", b)
	}
	return nil
}

// origins returns PullDomainName in the form f stores it.
func (f StoredForm) origins(sent string) string {
	switch f {
	case StoredLowerCase:
		return strings.ToLower(sent)
	case StoredFirstOrigin:
		first, _, _ := strings.Cut(sent, ";")
		return first
	}
	return sent
}

// domain returns DomainName as the service looks it up and stores it.
func (f StoredForm) domain(sent string) string {
	if f == StoredLowerCase {
		return strings.ToLower(sent)
	}
	return sent
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
// "omitted=clear delete-missing=succeed order=sorted describe-lag=0s stored-form=as-sent".
func (b Behavior) String() string {
	return fmt.Sprintf("omitted=%s delete-missing=%s order=%s describe-lag=%s stored-form=%s",
		b.OmittedParams, b.DeleteMissing, b.ListOrder, b.DescribeLag, b.StoredForm)
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
	"lower-case-hosts":     {StoredForm: StoredLowerCase},
	"all-alternatives": {
		OmittedParams: OmittedKeep,
		DeleteMissing: DeleteMissing{Code: DefaultDeleteMissingCode, Status: http.StatusNotFound},
		ListOrder:     ListRandom,
		DescribeLag:   2 * time.Second,
		StoredForm:    StoredLowerCase,
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
