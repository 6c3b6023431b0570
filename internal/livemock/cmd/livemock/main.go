// Command livemock serves the ApsaraVideo Live / STS mock of package
// livemock on a local address. It prints one line,
//
//	endpoint=http://127.0.0.1:PORT access_key=... secret_key=...
//
// to stdout, the active behavior to stderr, and serves until SIGINT or
// SIGTERM. The account holds the demo key pair, the Live domains
// live.example.com and demo.example.com (plus those of -domain), the
// non-Live domain cdn.example.com and the STS role livemock.DemoRoleArn.
//
// Where the API reference is silent, -variant selects a preset behavior
// (livemock.Variants) and -omitted, -delete-missing, -order, -describe-lag
// and -stored-form override one answer each. -gateway-error answers an
// action's first requests with a gateway's HTML page, and -deny answers
// every request of an action with a RAM denial. -config seeds a
// configuration, e.g. -config 'live.example.com:live:a.example.net;b.example.net:rtmp'
// (quote the ';' from the shell).
//
// With -stats it also answers three paths that the API (which is served at
// "/") never uses, for loopback clients only:
//
//	GET  /_stats        JSON counts: calls per action, total calls, answers
//	                    per error code, configurations held per domain
//	POST /_stats/reset  clears the counts (Server.ResetRequests)
//	GET  /_configs      JSON array of every configuration held, as written
//	                    (Describe may lag behind it)
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"maps"
	"net"
	"net/http"
	"os"
	"os/signal"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/alicloud-live/terraform-provider-alicloud/internal/lazypull"
	"github.com/alicloud-live/terraform-provider-alicloud/internal/livemock"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "livemock:", err)
		}
		stop()
		os.Exit(2)
	}
}

// settings are the parsed command line.
type settings struct {
	addr       string
	latency    time.Duration
	rateLimit  int
	rateWindow time.Duration
	stats      bool
	variant    string // name of the preset, with " (overridden)" when a flag changed it
	behavior   livemock.Behavior
	domains    []string
	configs    []livemock.Config
	gateway    []gatewayError
	denied     map[string]string // action: error code
}

// parseFlags parses args; flag errors and -h output go to stderr.
func parseFlags(args []string, stderr io.Writer) (settings, error) {
	var st settings
	fs := flag.NewFlagSet("livemock", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&st.addr, "addr", "127.0.0.1:0", "listen address")
	fs.DurationVar(&st.latency, "latency", 0, "delay added to every answer")
	fs.IntVar(&st.rateLimit, "rate-limit", 1000, "calls allowed per AccessKeyId per action within -rate-window (0 disables)")
	fs.DurationVar(&st.rateWindow, "rate-window", time.Minute, "sliding rate-limit window")
	fs.BoolVar(&st.stats, "stats", false, "also serve GET /_stats (JSON call counts), POST /_stats/reset and GET /_configs (JSON configurations) to loopback clients")
	fs.StringVar(&st.variant, "variant", "default", "preset behavior where the API reference is silent: "+strings.Join(livemock.VariantNames(), ", "))
	var (
		omitted       livemock.OmittedParams
		deleteMissing livemock.DeleteMissing
		order         livemock.ListOrder
		lag           time.Duration
		storedForm    livemock.StoredForm
	)
	fs.TextVar(&omitted, "omitted", livemock.OmittedClear, "keep|clear: what a Set does with an optional parameter it does not carry (overrides -variant)")
	fs.TextVar(&deleteMissing, "delete-missing", livemock.DeleteMissing{}, "succeed|CODE[:STATUS]: the answer to a Delete of a configuration that does not exist; STATUS defaults to 404 (overrides -variant)")
	fs.TextVar(&order, "order", livemock.ListSorted, "sorted|random: the order of Describe's list (overrides -variant)")
	fs.DurationVar(&lag, "describe-lag", 0, "how long a write takes to become visible to Describe (overrides -variant)")
	fs.TextVar(&storedForm, "stored-form", livemock.StoredAsSent, "as-sent|lower-case|first-origin: the form in which a Set stores what it was sent: as sent, host names in lower case, or only the first origin of PullDomainName (overrides -variant)")
	fs.Func("domain", "add a Live domain beyond the demo ones (repeatable)", func(v string) error {
		if v == "" || strings.ContainsAny(v, ": \t") {
			return fmt.Errorf("want a domain name, got %q", v)
		}
		st.domains = append(st.domains, v)
		return nil
	})
	fs.Func("config", "DOMAIN:APP:ORIGINS:PROTOCOL: seed a configuration on a Live domain (repeatable); ORIGINS may hold ';' and ':', PROTOCOL is rtmp, httpflv or hls", func(v string) error {
		c, err := parseConfig(v)
		st.configs = append(st.configs, c)
		return err
	})
	fs.Func("gateway-error", "ACTION:STATUS[:COUNT]: the first COUNT (default 1) requests of ACTION answer STATUS (403, 502, 503 or 504) with an HTML page, as a gateway or firewall does, and apply nothing (repeatable)", func(v string) error {
		g, err := parseGatewayError(v)
		st.gateway = append(st.gateway, g)
		return err
	})
	fs.Func("deny", "ACTION[:CODE]: every request of ACTION answers HTTP 403 with CODE, Forbidden.RAM (the default) or NoPermission, as RAM does for a missing live:ACTION permission (repeatable)", func(v string) error {
		action, code, err := parseDeny(v)
		if st.denied == nil {
			st.denied = map[string]string{}
		}
		st.denied[action] = code
		return err
	})
	if err := fs.Parse(args); err != nil {
		return st, err
	}
	if fs.NArg() > 0 {
		return st, fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	if st.rateLimit > 0 && st.rateWindow <= 0 {
		return st, errors.New("-rate-window must be positive")
	}
	if st.latency < 0 {
		return st, errors.New("-latency must not be negative")
	}
	if lag < 0 {
		return st, errors.New("-describe-lag must not be negative")
	}
	b, err := livemock.ParseVariant(st.variant)
	if err != nil {
		return st, fmt.Errorf("-variant: %w", err)
	}
	preset := b
	fs.Visit(func(f *flag.Flag) {
		switch f.Name {
		case "omitted":
			b.OmittedParams = omitted
		case "delete-missing":
			b.DeleteMissing = deleteMissing
		case "order":
			b.ListOrder = order
		case "describe-lag":
			b.DescribeLag = lag
		case "stored-form":
			b.StoredForm = storedForm
		}
	})
	if b != preset {
		st.variant += " (overridden)"
	}
	st.behavior = b
	live := append(slices.Clone(livemock.DemoLiveDomains), st.domains...)
	for _, c := range st.configs {
		if !slices.Contains(live, c.DomainName) {
			return st, fmt.Errorf("-config %s:%s: %s is not a Live domain of the mock (%s; add one with -domain)",
				c.DomainName, c.AppName, c.DomainName, strings.Join(live, ", "))
		}
	}
	return st, nil
}

// parseConfig reads DOMAIN:APP:ORIGINS:PROTOCOL. Neither a domain, an
// application nor a protocol holds ':', so ORIGINS is everything between
// the second ':' and the last one.
func parseConfig(v string) (livemock.Config, error) {
	domain, rest, ok1 := strings.Cut(v, ":")
	app, rest, ok2 := strings.Cut(rest, ":")
	i := strings.LastIndex(rest, ":")
	if !ok1 || !ok2 || i < 0 || domain == "" || app == "" || i == 0 {
		return livemock.Config{}, fmt.Errorf("want DOMAIN:APP:ORIGINS:PROTOCOL, got %q", v)
	}
	origins, protocol := rest[:i], rest[i+1:]
	if !slices.Contains(lazypull.Protocols, protocol) {
		return livemock.Config{}, fmt.Errorf("protocol %q in %q: want one of %s", protocol, v, strings.Join(lazypull.Protocols, ", "))
	}
	return livemock.Config{DomainName: domain, AppName: app, PullDomainName: origins, PullProtocol: protocol, TranscodeLazy: "no"}, nil
}

// gatewayError is one -gateway-error flag.
type gatewayError struct {
	action string
	status int
	count  int
}

// actions are the API actions that -gateway-error and -deny accept.
var actions = []string{lazypull.ActionSet, lazypull.ActionDescribe, lazypull.ActionDelete}

func checkAction(action string) error {
	if !slices.Contains(actions, action) {
		return fmt.Errorf("unknown action %q: want one of %s", action, strings.Join(actions, ", "))
	}
	return nil
}

// parseGatewayError reads ACTION:STATUS[:COUNT].
func parseGatewayError(v string) (gatewayError, error) {
	parts := strings.Split(v, ":")
	if len(parts) < 2 || len(parts) > 3 {
		return gatewayError{}, fmt.Errorf("want ACTION:STATUS[:COUNT], got %q", v)
	}
	g := gatewayError{action: parts[0], count: 1}
	if err := checkAction(g.action); err != nil {
		return g, err
	}
	var err error
	g.status, err = strconv.Atoi(parts[1])
	if err != nil || !slices.Contains(livemock.GatewayStatuses, g.status) {
		return g, fmt.Errorf("status %q in %q: want 403, 502, 503 or 504", parts[1], v)
	}
	if len(parts) == 3 {
		if g.count, err = strconv.Atoi(parts[2]); err != nil || g.count < 1 {
			return g, fmt.Errorf("count %q in %q: want a positive number", parts[2], v)
		}
	}
	return g, nil
}

// parseDeny reads ACTION[:CODE].
func parseDeny(v string) (action, code string, err error) {
	action, code, _ = strings.Cut(v, ":")
	if err := checkAction(action); err != nil {
		return action, code, err
	}
	switch code {
	case "":
		code = "Forbidden.RAM"
	case "Forbidden.RAM", "NoPermission":
	default:
		return action, code, fmt.Errorf("code %q in %q: want Forbidden.RAM or NoPermission", code, v)
	}
	return action, code, nil
}

// newMock builds the mock that st describes.
func newMock(st settings) *livemock.Server {
	mock := livemock.New(livemock.WithBehavior(st.behavior))
	mock.AddDemoAccount()
	mock.AddLiveDomains(st.domains...)
	mock.SetLatency(st.latency)
	mock.SetRateLimit(st.rateLimit, st.rateWindow)
	for _, c := range st.configs {
		mock.PutConfig(c)
	}
	for _, g := range st.gateway {
		mock.InjectGatewayError(g.action, g.count, g.status)
	}
	for action, code := range st.denied {
		mock.DenyAction(action, code)
	}
	return mock
}

// run parses args, serves the mock until ctx is done, and prints the
// endpoint line to stdout once listening.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	st, err := parseFlags(args, stderr)
	if err != nil {
		return err
	}
	mock := newMock(st)
	ln, err := net.Listen("tcp", st.addr)
	if err != nil {
		return err
	}
	var handler http.Handler = mock
	if st.stats {
		handler = withStats(mock)
	}
	srv := &http.Server{Handler: handler, ReadHeaderTimeout: 10 * time.Second}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()

	fmt.Fprintf(stderr, "livemock: variant %s: %s\n", st.variant, st.behavior)
	for _, g := range st.gateway {
		fmt.Fprintf(stderr, "livemock: the first %d %s requests answer HTTP %d with an HTML page\n", g.count, g.action, g.status)
	}
	for _, action := range slices.Sorted(maps.Keys(st.denied)) {
		fmt.Fprintf(stderr, "livemock: every %s request answers HTTP 403 %s\n", action, st.denied[action])
	}
	fmt.Fprintf(stdout, "endpoint=http://%s access_key=%s secret_key=%s\n",
		ln.Addr().String(), livemock.DemoAccessKeyID, livemock.DemoAccessKeySecret)

	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return err
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// statsReport is the body of GET /_stats.
type statsReport struct {
	Calls            map[string]int `json:"calls"`    // per action, any outcome
	Total            int            `json:"total"`    // every request
	Rejected         map[string]int `json:"rejected"` // answers per error code
	Configs          int            `json:"configs"`  // configurations held
	ConfigsPerDomain map[string]int `json:"configs_per_domain"`
}

// withStats serves /_stats, /_stats/reset and /_configs to loopback
// clients and hands every other request to the mock.
func withStats(mock *livemock.Server) http.Handler {
	actions := []string{lazypull.ActionSet, lazypull.ActionDescribe, lazypull.ActionDelete, livemock.ActionAssumeRole}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/_stats" && r.URL.Path != "/_stats/reset" && r.URL.Path != "/_configs" {
			mock.ServeHTTP(w, r)
			return
		}
		host, _, err := net.SplitHostPort(r.RemoteAddr)
		if ip := net.ParseIP(host); err != nil || ip == nil || !ip.IsLoopback() {
			http.Error(w, "forbidden", http.StatusForbidden)
			return
		}
		switch {
		case r.URL.Path == "/_stats/reset" && r.Method == http.MethodPost:
			mock.ResetRequests()
			w.WriteHeader(http.StatusNoContent)
		case r.URL.Path == "/_stats" && r.Method == http.MethodGet:
			rep := statsReport{Calls: map[string]int{}, Rejected: mock.RejectedByCode(), ConfigsPerDomain: map[string]int{}}
			for _, a := range actions {
				if n := mock.Calls(a); n > 0 {
					rep.Calls[a] = n
				}
			}
			rep.Total = mock.TotalCalls()
			for _, c := range mock.AllConfigs() {
				rep.Configs++
				rep.ConfigsPerDomain[c.DomainName]++
			}
			w.Header().Set("Content-Type", "application/json")
			_ = json.NewEncoder(w).Encode(rep)
		case r.URL.Path == "/_configs" && r.Method == http.MethodGet:
			w.Header().Set("Content-Type", "application/json")
			_ = json.NewEncoder(w).Encode(mock.AllConfigs())
		default:
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		}
	})
}
