package livemock

import (
	"encoding/json"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// AssumeRoleCall records one successful STS AssumeRole call.
type AssumeRoleCall struct {
	RoleArn, RoleSessionName, ExternalId, Policy string
	DurationSeconds                              int
	AccessKeyID                                  string // long-term key that called AssumeRole; "" for AssumeRoleWithOIDC
	OIDCProviderArn                              string // AssumeRoleWithOIDC only
	TemporaryAccessKeyID                         string // STS.xxx key that was issued
	TemporarySecret, SecurityToken               string // issued with it, for tests that search logs for them
	Expiration                                   time.Time
}

// credential is a key pair the mock accepts. Temporary ones come from
// AssumeRole and also need the matching SecurityToken.
type credential struct {
	secret    string
	temporary bool
	token     string
	expires   time.Time
}

const (
	alnum         = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
	tokenAlphabet = alnum + "+/"
)

var roleSessionNameRE = regexp.MustCompile(`^[\w.@-]{2,64}$`)

// AddOIDCProvider registers an OIDC identity provider for
// AssumeRoleWithOIDC and the one token it accepts.
func (s *Server) AddOIDCProvider(providerArn, token string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.oidc[providerArn] = token
}

// mintTemporaryKey issues a temporary key, as STS, the metadata service and
// a credentials URI do, and accepts it until expires by the mock's clock.
func (s *Server) mintTemporaryKey(expires time.Time) (id, secret, token string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.mintTemporaryKeyLocked(expires)
}

func (s *Server) mintTemporaryKeyLocked(expires time.Time) (id, secret, token string) {
	id, secret, token = "STS."+randomString(24, alnum), randomString(44, alnum), "CAIS"+randomString(200, tokenAlphabet)
	s.keys[id] = credential{secret: secret, temporary: true, token: token, expires: expires}
	return id, secret, token
}

// assumeRoleWithOIDCLocked implements STS AssumeRoleWithOIDC.
func (s *Server) assumeRoleWithOIDCLocked(p map[string]string, now time.Time, requestID string) (any, *apiError) {
	for _, name := range []string{"OIDCProviderArn", "RoleArn", "OIDCToken"} {
		if p[name] == "" {
			return nil, errMissingParameter(name)
		}
	}
	want, ok := s.oidc[p["OIDCProviderArn"]]
	if !ok {
		return nil, newAPIError(http.StatusNotFound, "EntityNotExist.OIDCProvider", "The specified OIDCProvider does not exist.")
	}
	if strings.TrimSpace(p["OIDCToken"]) != want {
		return nil, newAPIError(http.StatusBadRequest, "InvalidParameter.OIDCToken", "The OIDCToken is invalid.")
	}
	resp, e := s.issueLocked(p, "", now, requestID)
	if e != nil {
		return nil, e
	}
	s.assumed[len(s.assumed)-1].OIDCProviderArn = p["OIDCProviderArn"]
	return resp, nil
}

// AssumedRoles returns the successful AssumeRole calls, in order.
func (s *Server) AssumedRoles() []AssumeRoleCall {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]AssumeRoleCall(nil), s.assumed...)
}

// issueLocked checks the role parameters and issues temporary credentials:
// STS AssumeRole, by any key the mock knows. Temporary credentials may
// assume a role too (role chaining), as an ECS instance's role or an OIDC
// session does before assume_role.
func (s *Server) issueLocked(p map[string]string, caller string, now time.Time, requestID string) (any, *apiError) {
	roleArn := p["RoleArn"]
	if roleArn == "" {
		return nil, errMissingParameter("RoleArn")
	}
	if !s.roles[roleArn] {
		return nil, newAPIError(http.StatusNotFound, "EntityNotExist.Role", "The specified Role not exists .")
	}
	session := p["RoleSessionName"]
	if !roleSessionNameRE.MatchString(session) {
		return nil, newAPIError(http.StatusBadRequest, "InvalidParameter.RoleSessionName",
			"The parameter RoleSessionName is wrongly formed.")
	}
	duration := 3600
	if d := p["DurationSeconds"]; d != "" {
		n, err := strconv.Atoi(d)
		if err != nil || n < 900 || n > 43200 {
			return nil, newAPIError(http.StatusBadRequest, "InvalidParameter.DurationSeconds",
				"The DurationSeconds is invalid, the valid range is 900 to 43200.")
		}
		duration = n
	}
	if pol := p["Policy"]; pol != "" && !json.Valid([]byte(pol)) {
		return nil, newAPIError(http.StatusBadRequest, "InvalidParameter.PolicyGrammar",
			"The parameter Policy has not passed grammar check.")
	}

	expires := now.Add(time.Duration(duration) * time.Second).UTC()
	tempID, tempSecret, token := s.mintTemporaryKeyLocked(expires)
	s.pruneExpiredKeysLocked(now)

	s.assumed = append(s.assumed, AssumeRoleCall{
		RoleArn:              roleArn,
		RoleSessionName:      session,
		ExternalId:           p["ExternalId"],
		Policy:               p["Policy"],
		DurationSeconds:      duration,
		AccessKeyID:          caller,
		TemporaryAccessKeyID: tempID,
		TemporarySecret:      tempSecret,
		SecurityToken:        token,
		Expiration:           expires,
	})

	roleName := roleArn[strings.LastIndex(roleArn, "/")+1:]
	return &assumeRoleResponse{
		RequestID: requestID,
		AssumedRoleUser: assumedRoleUser{
			Arn:           roleArn + "/" + session,
			AssumedRoleID: roleIDFor(roleName) + ":" + session,
		},
		Credentials: credentialsBody{
			AccessKeyID:     tempID,
			AccessKeySecret: tempSecret,
			SecurityToken:   token,
			Expiration:      expires.Format(timestampLayout),
		},
	}, nil
}

// roleIDFor derives a stable numeric-looking role id from the role name.
func roleIDFor(name string) string {
	var h uint64 = 14695981039346656037
	for i := 0; i < len(name); i++ {
		h ^= uint64(name[i])
		h *= 1099511628211
	}
	return "3" + strconv.FormatUint(h%1e17, 10)
}

// pruneExpiredKeysLocked forgets temporary keys that expired long ago.
func (s *Server) pruneExpiredKeysLocked(now time.Time) {
	for id, c := range s.keys {
		if c.temporary && now.Sub(c.expires) > time.Hour {
			delete(s.keys, id)
		}
	}
}

// checkSecurityTokenLocked validates the SecurityToken of a request signed
// with temporary credentials; long-term keys ignore it.
func checkSecurityToken(cred credential, token string, now time.Time) *apiError {
	if !cred.temporary {
		return nil
	}
	if token == "" {
		return newAPIError(http.StatusBadRequest, "InvalidSecurityToken.Malformed",
			"The security token you provided is malformed.")
	}
	if token != cred.token {
		return newAPIError(http.StatusBadRequest, "InvalidSecurityToken.Mismatch",
			"The security token you provided does not match the access key id.")
	}
	if !now.Before(cred.expires) {
		return newAPIError(http.StatusBadRequest, "InvalidSecurityToken.Expired",
			"The security token you provided has expired.")
	}
	return nil
}
