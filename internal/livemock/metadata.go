package livemock

import (
	"encoding/json"
	"net/http"
	"strings"
	"sync"
	"time"
)

// MetadataHost is the address of the ECS metadata service. The fake below
// never listens there: clients reach it as their forward proxy, so that a
// test sends nothing past loopback.
const MetadataHost = "100.100.100.200"

// Issuer hands out temporary credentials that the Server accepts: the
// ECS metadata service of an instance with RAM roles attached, and a
// credentials URI (a credential agent or sidecar).
type Issuer struct {
	server *Server
	// Lifetime of the credentials issued; default one hour. Credentials-go
	// renews credentials that expire within three minutes, so a lifetime
	// below that makes every request of credentials issue new ones.
	Lifetime time.Duration

	mu     sync.Mutex
	roles  map[string]bool
	tokens map[string]bool
	issued []Issued
	secret []string // every secret, security token and metadata token handed out
	v1     int      // metadata requests without an IMDSv2 token
	body   string
}

// Issued is one set of credentials an Issuer handed out.
type Issued struct {
	Role        string // "" for the credentials URI
	AccessKeyID string
	Expiration  time.Time
}

// NewIssuer returns an Issuer whose credentials s accepts.
func (s *Server) NewIssuer() *Issuer {
	return &Issuer{server: s, roles: map[string]bool{}, tokens: map[string]bool{}}
}

// AttachRoles makes the metadata service know these RAM roles.
func (i *Issuer) AttachRoles(roles ...string) {
	i.mu.Lock()
	defer i.mu.Unlock()
	for _, r := range roles {
		i.roles[r] = true
	}
}

// AnswerGarbage makes the credentials URI answer body instead.
func (i *Issuer) AnswerGarbage(body string) {
	i.mu.Lock()
	defer i.mu.Unlock()
	i.body = body
}

// Issued returns the credentials handed out, in order.
func (i *Issuer) Issued() []Issued {
	i.mu.Lock()
	defer i.mu.Unlock()
	return append([]Issued(nil), i.issued...)
}

// Secrets returns every secret, security token and metadata token handed
// out, for tests that search logs for them.
func (i *Issuer) Secrets() []string {
	i.mu.Lock()
	defer i.mu.Unlock()
	return append([]string(nil), i.secret...)
}

// IMDSv1Requests counts metadata requests that came without a token.
func (i *Issuer) IMDSv1Requests() int {
	i.mu.Lock()
	defer i.mu.Unlock()
	return i.v1
}

func (i *Issuer) issue(role string) map[string]string {
	lifetime := i.Lifetime
	if lifetime <= 0 {
		lifetime = time.Hour
	}
	now := time.Now().UTC()
	exp := now.Add(lifetime)
	// The Server checks expiry on its own clock; it is time.Now unless a
	// test set another.
	id, secret, token := i.server.mintTemporaryKey(i.server.now().Add(lifetime))
	i.issued = append(i.issued, Issued{Role: role, AccessKeyID: id, Expiration: exp})
	i.secret = append(i.secret, secret, token)
	return map[string]string{
		"Code": "Success", "AccessKeyId": id, "AccessKeySecret": secret, "SecurityToken": token,
		"Expiration": exp.Format(timestampLayout), "LastUpdated": now.Format(timestampLayout),
	}
}

// Metadata is the ECS metadata service, IMDSv2 only, as a forward proxy:
// it answers absolute-form requests for MetadataHost and refuses the rest.
func (i *Issuer) Metadata() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Host != MetadataHost && r.Host != MetadataHost {
			http.Error(w, "this proxy serves only "+MetadataHost, http.StatusBadGateway)
			return
		}
		i.mu.Lock()
		defer i.mu.Unlock()
		if r.Method == http.MethodPut && r.URL.Path == "/latest/api/token" {
			if r.Header.Get("X-aliyun-ecs-metadata-token-ttl-seconds") == "" {
				http.Error(w, "missing ttl", http.StatusBadRequest)
				return
			}
			t := randomString(32, alnum)
			i.tokens[t] = true
			i.secret = append(i.secret, t)
			_, _ = w.Write([]byte(t))
			return
		}
		if !i.tokens[r.Header.Get("X-aliyun-ecs-metadata-token")] {
			i.v1++
			http.Error(w, "IMDSv2 only: a metadata token is required", http.StatusForbidden)
			return
		}
		const prefix = "/latest/meta-data/ram/security-credentials/"
		role, ok := strings.CutPrefix(r.URL.Path, prefix)
		if !ok || role == "" {
			http.NotFound(w, r)
			return
		}
		if !i.roles[role] {
			http.NotFound(w, r)
			return
		}
		_ = json.NewEncoder(w).Encode(i.issue(role))
	})
}

// CredentialsURI is a credential agent answering on any path.
func (i *Issuer) CredentialsURI() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		i.mu.Lock()
		defer i.mu.Unlock()
		if i.body != "" {
			_, _ = w.Write([]byte(i.body))
			return
		}
		_ = json.NewEncoder(w).Encode(i.issue(""))
	})
}
