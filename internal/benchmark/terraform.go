package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

type tfResult struct {
	wall     time.Duration
	exitCode int
	output   []byte
	peakKB   int64
	cpu      time.Duration
	provCPU  time.Duration
}

var logSeq int

func (b *bench) terraform(k kind, dir, label string, args ...string) (tfResult, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, b.tf, args...)
	cmd.Dir = dir
	cmd.Env = b.env(k, dir, label)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out

	var sampler *memSampler
	if bin, ok := b.bins[k]; ok {
		sampler = startMemSampler(bin)
	}
	start := time.Now()
	err := cmd.Run()
	wall := time.Since(start)
	res := tfResult{wall: wall, output: out.Bytes()}
	if sampler != nil {
		res.peakKB, res.provCPU = sampler.stop()
	}
	if ps := cmd.ProcessState; ps != nil {
		// wait4's usage of terraform includes the plugins it waited for.
		res.cpu = ps.UserTime() + ps.SystemTime()
	}
	if b.opts.keep {
		logSeq++
		_ = os.WriteFile(filepath.Join(dir, fmt.Sprintf("%03d-%s.out", logSeq, label)), out.Bytes(), 0o644)
	}
	var exitErr *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &exitErr) && ctx.Err() == nil:
		res.exitCode = exitErr.ExitCode()
	default:
		return res, fmt.Errorf("terraform %s: %w\n%s", strings.Join(args, " "), err, tail(out.Bytes()))
	}
	return res, nil
}

// env is the process environment without any TF_*, ALICLOUD_* or
// ALIBABA_CLOUD_* variable of the caller, plus the benchmark's own.
func (b *bench) env(k kind, dir, label string) []string {
	var env []string
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(name, "TF_") || strings.HasPrefix(name, "ALICLOUD_") || strings.HasPrefix(name, "ALIBABA_CLOUD_") || name == "CHECKPOINT_DISABLE" {
			continue
		}
		env = append(env, kv)
	}
	env = append(env, "TF_CLI_CONFIG_FILE="+b.rcs[k], "CHECKPOINT_DISABLE=1", "TF_IN_AUTOMATION=1")
	if b.opts.cpuProfile != "" && k == kindReal {
		env = append(env, "BENCH_CPUPROFILE_DIR="+b.opts.cpuProfile)
	}
	if b.opts.tfLog {
		env = append(env, "TF_LOG=trace", "TF_LOG_PATH="+filepath.Join(dir, fmt.Sprintf("%03d-%s.tflog", logSeq+1, label)))
	}
	return env
}

// tail returns the last lines of a command's output, for error messages.
func tail(b []byte) string {
	const lines = 40
	ls := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	if len(ls) > lines {
		ls = append([]string{"..."}, ls[len(ls)-lines:]...)
	}
	return strings.Join(ls, "\n")
}
