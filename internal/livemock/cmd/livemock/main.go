// Command livemock serves the ApsaraVideo Live / STS mock of package
// livemock on a local address. It prints one line,
//
//	endpoint=http://127.0.0.1:PORT access_key=... secret_key=...
//
// to stdout and serves until SIGINT or SIGTERM. The account holds the demo
// key pair, the Live domains live.example.com and demo.example.com, the
// non-Live domain cdn.example.com and the STS role livemock.DemoRoleArn.
package main

import (
	"context"
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

	mock := livemock.New(
		livemock.WithDemoAccount(),
		livemock.WithLatency(*latency),
		livemock.WithRateLimit(*rateLimit, *rateWindow),
	)
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: mock, ReadHeaderTimeout: 10 * time.Second}
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
