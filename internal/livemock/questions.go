package livemock

import (
	"strings"

	"github.com/alicloud-live/terraform-provider-alicloud/internal/lazypull"
)

// Questions counts the requests whose answer a Behavior decides: the points
// where a mock with another Behavior could have answered a client
// differently. Up to the first such request, a client that behaves the
// same way makes the same requests and gets the same answers whatever the
// Behavior, so a run that met none of the requests Changes counts for a
// Behavior would have gone the same way against it.
type Questions struct {
	// Omitted counts Sets on an existing configuration that leave out an
	// optional parameter whose stored value is not the default: keeping
	// and clearing it store different configurations.
	Omitted int `json:"omitted,omitempty"`
	// DeleteMissing counts Deletes that found nothing to delete.
	DeleteMissing int `json:"delete_missing,omitempty"`
	// Order counts Describes that listed two configurations or more.
	Order int `json:"order,omitempty"`
	// ReadsAfterWrite counts Describes after the first Set or Delete that
	// changed a configuration: a lagging Describe may show an older state.
	ReadsAfterWrite int `json:"reads_after_write,omitempty"`
	// UpperCase counts requests whose DomainName, or a Set's PullDomainName,
	// holds an upper-case letter: a service that stores host names in lower
	// case stores and looks up something else.
	UpperCase int `json:"upper_case,omitempty"`
	// SeveralOrigins counts Sets of more than one origin: a service that
	// keeps only the first stores something else.
	SeveralOrigins int `json:"several_origins,omitempty"`
}

// Add returns the sum of q and o.
func (q Questions) Add(o Questions) Questions {
	return Questions{
		Omitted:         q.Omitted + o.Omitted,
		DeleteMissing:   q.DeleteMissing + o.DeleteMissing,
		Order:           q.Order + o.Order,
		ReadsAfterWrite: q.ReadsAfterWrite + o.ReadsAfterWrite,
		UpperCase:       q.UpperCase + o.UpperCase,
		SeveralOrigins:  q.SeveralOrigins + o.SeveralOrigins,
	}
}

// Changes reports whether a mock answering as b could have answered one of
// the requests q counts otherwise than the default Behavior does: whether
// a run that met q against the default Behavior could take another path
// against b.
func (b Behavior) Changes(q Questions) bool {
	return (b.OmittedParams != OmittedClear && q.Omitted > 0) ||
		(b.DeleteMissing.Fails() && q.DeleteMissing > 0) ||
		(b.ListOrder != ListSorted && q.Order > 0) ||
		(b.DescribeLag > 0 && q.ReadsAfterWrite > 0) ||
		(b.StoredForm == StoredLowerCase && q.UpperCase > 0) ||
		(b.StoredForm == StoredFirstOrigin && q.SeveralOrigins > 0)
}

// askedStoredFormLocked counts a request of action with parameters p whose
// answer depends on the form in which the service stores host names.
func (s *Server) askedStoredFormLocked(action string, p map[string]string) {
	hasUpper := func(v string) bool { return strings.ToLower(v) != v }
	if hasUpper(p["DomainName"]) || (action == lazypull.ActionSet && hasUpper(p["PullDomainName"])) {
		s.questions.UpperCase++
	}
	if action == lazypull.ActionSet && strings.Contains(p["PullDomainName"], ";") {
		s.questions.SeveralOrigins++
	}
}

// Questions returns the counts of the requests served so far whose answer
// depends on the Behavior. ResetRequests does not clear them.
func (s *Server) Questions() Questions {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.questions
}

// askedOmittedLocked counts a Set on k that leaves out a parameter whose
// stored value is not the default, p being the Set's parameters.
func (s *Server) askedOmittedLocked(k configKey, p map[string]string) {
	old, ok := s.configs[k]
	if !ok {
		return
	}
	if (p["PullAppName"] == "" && old.PullAppName != "") ||
		(p["PullArgs"] == "" && old.PullArgs != "") ||
		(p["TranscodeLazy"] == "" && old.TranscodeLazy != "" && old.TranscodeLazy != "no") {
		s.questions.Omitted++
	}
}
