package livemock

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
}

// Add returns the sum of q and o.
func (q Questions) Add(o Questions) Questions {
	return Questions{
		Omitted:         q.Omitted + o.Omitted,
		DeleteMissing:   q.DeleteMissing + o.DeleteMissing,
		Order:           q.Order + o.Order,
		ReadsAfterWrite: q.ReadsAfterWrite + o.ReadsAfterWrite,
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
		(b.DescribeLag > 0 && q.ReadsAfterWrite > 0)
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
