// Command livemock serves the ApsaraVideo Live / STS mock of package
// livemock on a local address. It prints one line,
//
//	endpoint=http://127.0.0.1:PORT access_key=... secret_key=...
//
// to stdout and serves until SIGINT or SIGTERM. The account holds the demo
// key pair, the Live domains live.example.com and demo.example.com, the
// non-Live domain cdn.example.com and the STS role livemock.DemoRoleArn.
//
// With -stats it also answers two paths that the API (which is served at
// "/") never uses, for loopback clients only:
//
//	GET  /_stats        JSON counts: calls per action, total calls, answers
//	                    per error code, configurations held per domain
//	POST /_stats/reset  clears the counts (Server.ResetRequests)
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
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

// run parses args, serves the mock until ctx is done, and prints the
// endpoint line to stdout once listening.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("livemock", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", "127.0.0.1:0", "listen address")
	latency := fs.Duration("latency", 0, "delay added to every answer")
	rateLimit := fs.Int("rate-limit", 1000, "calls allowed per AccessKeyId per action within -rate-window (0 disables)")
	rateWindow := fs.Duration("rate-window", time.Minute, "sliding rate-limit window")
	stats := fs.Bool("stats", false, "also serve GET /_stats (JSON call counts) and POST /_stats/reset to loopback clients")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	if *rateLimit > 0 && *rateWindow <= 0 {
		return errors.New("-rate-window must be positive")
	}
	if *latency < 0 {
		return errors.New("-latency must not be negative")
	}

	mock := livemock.New()
	mock.AddDemoAccount()
	mock.SetLatency(*latency)
	mock.SetRateLimit(*rateLimit, *rateWindow)
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	var handler http.Handler = mock
	if *stats {
		handler = withStats(mock)
	}
	srv := &http.Server{Handler: handler, ReadHeaderTimeout: 10 * time.Second}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()

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

// withStats serves /_stats and /_stats/reset to loopback clients and hands
// every other request to the mock.
func withStats(mock *livemock.Server) http.Handler {
	actions := []string{lazypull.ActionSet, lazypull.ActionDescribe, lazypull.ActionDelete, livemock.ActionAssumeRole}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/_stats" && r.URL.Path != "/_stats/reset" {
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
		default:
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		}
	})
}
