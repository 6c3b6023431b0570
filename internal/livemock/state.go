package livemock

import (
	"math/rand/v2"
	"net/http"
	"sort"

	"github.com/alicloud-live/terraform-provider-alicloud/internal/lazypull"
)

// Config is one lazy-pull configuration, keyed by (DomainName, AppName).
// PullProtocol is stored in API form (rtmp|httpflv|hls); TranscodeLazy is
// "yes" or "no".
type Config struct {
	DomainName, AppName, PullDomainName, PullAppName, PullProtocol, TranscodeLazy, PullArgs string
}

type configKey struct{ domain, app string }

// The functions below assume s.mu is held.

func (s *Server) checkDomainLocked(domain string) *apiError {
	if s.liveDomains[domain] {
		return nil
	}
	if s.nonLiveDomains[domain] {
		return newAPIError(http.StatusForbidden, "IllegalOperation", "Illegal domain operate is not permitted.")
	}
	return newAPIError(http.StatusNotFound, "InvalidDomain.NotFound", "The domain provided does not exist in our records.")
}

func sortConfigs(cs []Config) {
	sort.Slice(cs, func(i, j int) bool {
		if cs[i].DomainName != cs[j].DomainName {
			return cs[i].DomainName < cs[j].DomainName
		}
		return cs[i].AppName < cs[j].AppName
	})
}

// Configs returns the configurations of domain, sorted by AppName. Like
// Config and AllConfigs, it returns what the writes applied, which Describe
// shows only DescribeLag later.
func (s *Server) Configs(domain string) []Config {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Config
	for k, c := range s.configs {
		if k.domain == domain {
			out = append(out, c)
		}
	}
	sortConfigs(out)
	return out
}

// AllConfigs returns every configuration, sorted by domain then application.
func (s *Server) AllConfigs() []Config {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Config, 0, len(s.configs))
	for _, c := range s.configs {
		out = append(out, c)
	}
	sortConfigs(out)
	return out
}

// Config returns the configuration of (domain, app), if any.
func (s *Server) Config(domain, app string) (Config, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.configs[configKey{domain, app}]
	return c, ok
}

// PutConfig writes a configuration out of band (no request is recorded and
// no validation is done). The domain is not required to be registered. The
// configuration is visible to Describe at once, whatever the DescribeLag.
func (s *Server) PutConfig(c Config) {
	s.mu.Lock()
	defer s.mu.Unlock()
	k := configKey{c.DomainName, c.AppName}
	s.configs[k] = c
	s.forgetHistoryLocked(k)
}

// RemoveConfig deletes the configuration of (domain, app) out of band. Unlike
// the API, AppName ali_all_app removes only that exact entry. The removal is
// visible to Describe at once, whatever the DescribeLag.
func (s *Server) RemoveConfig(domain, app string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	k := configKey{domain, app}
	delete(s.configs, k)
	s.forgetHistoryLocked(k)
}

// AddLiveDomains registers ApsaraVideo Live domains of the account.
func (s *Server) AddLiveDomains(domains ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, d := range domains {
		delete(s.nonLiveDomains, d)
		s.liveDomains[d] = true
	}
}

// AddNonLiveDomains registers domains that exist in the account but are not
// ApsaraVideo Live domains (the API answers 403 IllegalOperation for them).
func (s *Server) AddNonLiveDomains(domains ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, d := range domains {
		delete(s.liveDomains, d)
		s.nonLiveDomains[d] = true
	}
}

// RemoveDomain forgets a domain (Live or not); its configurations are kept.
func (s *Server) RemoveDomain(domain string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.liveDomains, domain)
	delete(s.nonLiveDomains, domain)
}

// ---- actions ----

const (
	ActionAssumeRole = "AssumeRole"
	// ActionAssumeRoleWithOIDC is STS AssumeRoleWithOIDC.
	ActionAssumeRoleWithOIDC = "AssumeRoleWithOIDC"
	STSVersion               = "2015-04-01"
)

func errMissingDomainName() *apiError {
	return newAPIError(http.StatusBadRequest, "MissingDomainName", "DomainName is mandatory for this action.")
}

func (s *Server) setConfigLocked(p map[string]string, requestID string) (any, *apiError) {
	if p["DomainName"] == "" {
		return nil, errMissingDomainName()
	}
	for _, name := range []string{"AppName", "PullDomainName", "PullProtocol"} {
		if p[name] == "" {
			return nil, errMissingParameter(name)
		}
	}
	switch p["PullProtocol"] {
	case "rtmp", "httpflv", "hls":
	default:
		return nil, errInvalidParameter("PullProtocol")
	}
	switch p["TranscodeLazy"] {
	case "", "yes", "no":
	default:
		return nil, errInvalidParameter("TranscodeLazy")
	}
	if e := s.checkDomainLocked(p["DomainName"]); e != nil {
		return nil, e
	}
	k := configKey{p["DomainName"], p["AppName"]}
	// An optional parameter that is absent or empty takes its default, or
	// with OmittedKeep the value stored for k, if any.
	s.askedOmittedLocked(k, p)
	c := Config{TranscodeLazy: "no"}
	if old, ok := s.configs[k]; ok && s.behavior.OmittedParams == OmittedKeep {
		c = old
	}
	c.DomainName, c.AppName = k.domain, k.app
	c.PullDomainName, c.PullProtocol = s.behavior.StoredForm.origins(p["PullDomainName"]), p["PullProtocol"]
	setIfGiven(&c.PullAppName, p["PullAppName"])
	setIfGiven(&c.TranscodeLazy, p["TranscodeLazy"])
	setIfGiven(&c.PullArgs, p["PullArgs"])
	s.storeLocked(k, &c)
	return &requestIDResponse{RequestID: requestID}, nil
}

func (s *Server) describeConfigLocked(p map[string]string, requestID string) (any, *apiError) {
	if p["DomainName"] == "" {
		return nil, errMissingDomainName()
	}
	if e := s.checkDomainLocked(p["DomainName"]); e != nil {
		return nil, e
	}
	described := s.describedLocked(p["DomainName"], p["AppName"])
	if len(described) > 1 {
		s.questions.Order++
	}
	if s.written {
		s.questions.ReadsAfterWrite++
	}
	list := []lazyPullConfigJSON{}
	for _, c := range described {
		list = append(list, lazyPullConfigJSON{
			DomainName:     c.DomainName,
			AppName:        c.AppName,
			PullDomainName: c.PullDomainName,
			PullAppName:    c.PullAppName,
			PullProtocol:   displayProtocol(c.PullProtocol),
			TranscodeLazy:  c.TranscodeLazy,
			PullArgs:       c.PullArgs,
		})
	}
	return &describeResponse{RequestID: requestID, LiveLazyPullConfigList: lazyPullConfigList{LiveLazyPullConfig: list}}, nil
}

func (s *Server) deleteConfigLocked(p map[string]string, requestID string) (any, *apiError) {
	if p["DomainName"] == "" {
		return nil, errMissingDomainName()
	}
	if p["AppName"] == "" {
		return nil, errMissingParameter("AppName")
	}
	if e := s.checkDomainLocked(p["DomainName"]); e != nil {
		return nil, e
	}
	domain, app := p["DomainName"], p["AppName"]
	var doomed []configKey
	for k := range s.configs {
		if k.domain == domain && (app == lazypull.AllApps || k.app == app) {
			doomed = append(doomed, k)
		}
	}
	if len(doomed) == 0 {
		s.questions.DeleteMissing++
	}
	if len(doomed) == 0 && s.behavior.DeleteMissing.Fails() {
		return nil, s.behavior.DeleteMissing.apiError()
	}
	for _, k := range doomed {
		s.storeLocked(k, nil)
	}
	return &requestIDResponse{RequestID: requestID}, nil
}

// setIfGiven sets *field to v unless v is empty.
func setIfGiven(field *string, v string) {
	if v != "" {
		*field = v
	}
}

// describedLocked returns the configurations of domain (only that of app
// when app is not "") as Describe shows them: DescribeLag behind the
// writes, in the ListOrder.
func (s *Server) describedLocked(domain, app string) []Config {
	var out []Config
	add := func(k configKey) {
		if k.domain != domain || (app != "" && k.app != app) {
			return
		}
		if c, ok := s.visibleLocked(k); ok {
			out = append(out, c)
		}
	}
	for k := range s.configs {
		add(k)
	}
	// A key deleted by a write Describe does not show yet is only in the
	// history.
	for k := range s.history {
		if _, ok := s.configs[k]; !ok {
			add(k)
		}
	}
	sortConfigs(out)
	if s.behavior.ListOrder == ListRandom {
		rand.Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
	}
	return out
}
