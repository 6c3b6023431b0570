package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

type mock struct {
	name     string
	cmd      *exec.Cmd
	endpoint string
	stderr   bytes.Buffer
	stopped  bool
}

type mockStats struct {
	Calls            map[string]int `json:"calls"`
	Total            int            `json:"total"`
	Rejected         map[string]int `json:"rejected"`
	Configs          int            `json:"configs"`
	ConfigsPerDomain map[string]int `json:"configs_per_domain"`
}

func (b *bench) startMock(name string, args ...string) (*mock, error) {
	m := &mock{name: name}
	m.cmd = exec.Command(filepath.Join(b.work, "livemock"), append([]string{"-addr", "127.0.0.1:0", "-stats"}, args...)...)
	m.cmd.Stderr = &m.stderr
	stdout, err := m.cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := m.cmd.Start(); err != nil {
		return nil, err
	}
	b.mocks = append(b.mocks, m)
	lines := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		if sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
		_, _ = io.Copy(io.Discard, stdout)
	}()
	select {
	case line, ok := <-lines:
		for _, f := range strings.Fields(line) {
			if v, ok := strings.CutPrefix(f, "endpoint="); ok {
				m.endpoint = v
			}
		}
		if !ok || m.endpoint == "" {
			return nil, fmt.Errorf("the mock (%s) did not start: %q %s", name, line, m.stderr.String())
		}
	case <-time.After(15 * time.Second):
		return nil, fmt.Errorf("the mock (%s) printed no endpoint within 15s", name)
	}
	logf("==> mock %q at %s (%s)", name, m.endpoint, strings.Join(args, " "))
	return m, nil
}

func (m *mock) stop() {
	if m.stopped {
		return
	}
	m.stopped = true
	logf("==> stopping mock %q", m.name)
	_ = m.cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan struct{})
	go func() { _ = m.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		_ = m.cmd.Process.Kill()
		<-done
	}
}

var httpClient = &http.Client{Timeout: 30 * time.Second}

func (m *mock) reset() error {
	resp, err := httpClient.Post(m.endpoint+"/_stats/reset", "text/plain", nil)
	if err != nil {
		return fmt.Errorf("resetting the mock's counts: %w", err)
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, resp.Body)
	if resp.StatusCode != http.StatusNoContent {
		return fmt.Errorf("resetting the mock's counts: HTTP %d (is cmd/livemock built with -stats?)", resp.StatusCode)
	}
	return nil
}

// getJSON decodes the JSON answer to GET path into v; what names what is
// read in errors.
func (m *mock) getJSON(path, what string, v any) error {
	resp, err := httpClient.Get(m.endpoint + path)
	if err != nil {
		return fmt.Errorf("reading the mock's %s: %w", what, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("reading the mock's %s: HTTP %d", what, resp.StatusCode)
	}
	if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
		return fmt.Errorf("reading the mock's %s: %w", what, err)
	}
	return nil
}

func (m *mock) stats() (mockStats, error) {
	var st mockStats
	err := m.getJSON("/_stats", "counts", &st)
	return st, err
}

// checkUpdated checks that the mock holds n configurations, each with the
// origin that the update phase adds.
func (m *mock) checkUpdated(n int) error {
	var configs []struct {
		DomainName, AppName, PullDomainName string
	}
	if err := m.getJSON("/_configs", "configurations", &configs); err != nil {
		return err
	}
	updated := 0
	for _, c := range configs {
		if strings.Contains(c.PullDomainName, ";"+updatedOrigin) {
			updated++
		}
	}
	if len(configs) != n || updated != n {
		return fmt.Errorf("after the update the mock holds %d configurations, %d of them updated; want %d, all updated", len(configs), updated, n)
	}
	return nil
}
