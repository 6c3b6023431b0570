package livemock

import (
	"crypto/tls"
	"crypto/x509"
	"net/http"
	"net/http/httptest"
	"net/url"
)

// TrustInProcess prepares a test process whose code under test (a provider
// served in-process) calls the mock's STS over TLS and reaches the
// metadata service through proxy variables that tests set later:
//
//   - http.DefaultTransport trusts the certificate of httptest's TLS
//     servers, besides the system's roots: credentials-go clones that
//     transport for each request;
//   - Go reads the proxy variables into its once-per-process cache now,
//     before any test sets them, so that only code that reads them itself
//     (the provider does, at every Configure) sees a test's proxy.
//
// Call it once, from TestMain, before any test runs.
func TrustInProcess() {
	ts := httptest.NewTLSServer(http.NotFoundHandler())
	pool, err := x509.SystemCertPool()
	if err != nil {
		pool = x509.NewCertPool()
	}
	pool.AddCert(ts.Certificate())
	ts.Close()
	if tr, ok := http.DefaultTransport.(*http.Transport); ok {
		tr.TLSClientConfig = &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}
	}
	_, _ = http.ProxyFromEnvironment(&http.Request{URL: &url.URL{Scheme: "http", Host: MetadataHost}})
}
