package livemock

import "time"

// version is one state of a configuration key: the configuration, or a
// tombstone when present is false, applied at time at.
type version struct {
	at      time.Time
	config  Config
	present bool
}

// The functions below assume s.mu is held.

// storeLocked writes c to the configuration of k, or deletes it when c is
// nil. The write applies at once; when Describe lags, it is also recorded
// in k's history so that Describe goes on showing the previous version
// until the lag has passed.
func (s *Server) storeLocked(k configKey, c *Config) {
	s.written = true
	if s.behavior.DescribeLag > 0 {
		if len(s.history[k]) == 0 {
			// The state before the first recorded write, visible since
			// forever.
			old, ok := s.configs[k]
			s.history[k] = []version{{config: old, present: ok}}
		}
		now := s.now()
		v := version{at: now, present: c != nil}
		if c != nil {
			v.config = *c
		}
		s.history[k] = append(s.history[k], v)
		s.pruneHistoryLocked(k, now.Add(-s.behavior.DescribeLag))
	}
	if c == nil {
		delete(s.configs, k)
	} else {
		s.configs[k] = *c
	}
}

// forgetHistoryLocked makes the current configuration of k visible to
// Describe at once.
func (s *Server) forgetHistoryLocked(k configKey) {
	delete(s.history, k)
}

// pruneHistoryLocked drops the versions of k that Describe can no longer
// show at cutoff or later: every version older than the newest one applied
// at or before cutoff. A history left with only that version is dropped, as
// it is then the current configuration.
func (s *Server) pruneHistoryLocked(k configKey, cutoff time.Time) {
	h := s.history[k]
	base := 0
	for i, v := range h {
		if !v.at.After(cutoff) {
			base = i
		}
	}
	h = h[base:]
	if len(h) == 1 {
		delete(s.history, k)
		return
	}
	s.history[k] = h
}

// visibleLocked returns the configuration of k that Describe shows now:
// the newest version applied at least DescribeLag ago.
func (s *Server) visibleLocked(k configKey) (Config, bool) {
	if _, lagging := s.history[k]; !lagging {
		c, ok := s.configs[k]
		return c, ok
	}
	s.pruneHistoryLocked(k, s.now().Add(-s.behavior.DescribeLag))
	h, lagging := s.history[k]
	if !lagging {
		c, ok := s.configs[k]
		return c, ok
	}
	return h[0].config, h[0].present
}
