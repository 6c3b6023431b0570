package main

import (
	"bufio"
	"bytes"
	"os"
	"strconv"
	"strings"
	"time"
)

// memSampler polls /proc for processes running one binary (terraform starts
// the provider as its child, possibly several times per command) and keeps
// the highest VmHWM (or VmRSS, should VmHWM be missing) it saw, and the last
// CPU time it saw of each process. A process's last 20 ms may go unseen.
type memSampler struct {
	done chan struct{}
	res  chan samplerResult
}

type samplerResult struct {
	peakKB int64
	cpu    time.Duration
}

// clockTick is the unit of utime and stime in /proc/PID/stat: USER_HZ, 100
// on every Linux architecture Go runs on.
const clockTick = 10 * time.Millisecond

// sampleEvery is how often memSampler polls.
const sampleEvery = 20 * time.Millisecond

func startMemSampler(bin string) *memSampler {
	s := &memSampler{done: make(chan struct{}), res: make(chan samplerResult, 1)}
	go func() {
		var peak int64
		cpu := map[string]time.Duration{}
		t := time.NewTicker(sampleEvery)
		defer t.Stop()
		for {
			if v := sampleProcs(bin, cpu); v > peak {
				peak = v
			}
			select {
			case <-s.done:
				var total time.Duration
				for _, c := range cpu {
					total += c
				}
				s.res <- samplerResult{peak, total}
				return
			case <-t.C:
			}
		}
	}()
	return s
}

func (s *memSampler) stop() (int64, time.Duration) {
	close(s.done)
	r := <-s.res
	return r.peakKB, r.cpu
}

// sampleProcs returns the largest memory figure of the processes running bin
// and records their CPU time in cpu, by PID.
func sampleProcs(bin string, cpu map[string]time.Duration) int64 {
	entries, err := os.ReadDir("/proc")
	if err != nil {
		return 0
	}
	var peak int64
	for _, e := range entries {
		if e.Name()[0] < '0' || e.Name()[0] > '9' {
			continue
		}
		dir := "/proc/" + e.Name()
		exe, err := os.Readlink(dir + "/exe")
		if err != nil || exe != bin {
			continue
		}
		if v := procMemKB(dir + "/status"); v > peak {
			peak = v
		}
		if c, ok := procCPU(dir + "/stat"); ok && c > cpu[e.Name()] {
			cpu[e.Name()] = c
		}
	}
	return peak
}

// procMemKB returns max(VmHWM, VmRSS) of a /proc/PID/status file, in KiB.
func procMemKB(path string) int64 {
	f, err := os.Open(path)
	if err != nil {
		return 0
	}
	defer f.Close()
	var best int64
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if !strings.HasPrefix(line, "VmHWM:") && !strings.HasPrefix(line, "VmRSS:") {
			continue
		}
		fields := strings.Fields(line)
		if len(fields) >= 2 {
			if v, err := strconv.ParseInt(fields[1], 10, 64); err == nil && v > best {
				best = v
			}
		}
	}
	return best
}

// procCPU returns utime+stime of a /proc/PID/stat file.
func procCPU(path string) (time.Duration, bool) {
	data, err := os.ReadFile(path)
	if err != nil {
		return 0, false
	}
	// The command name (field 2) may hold spaces; fields after it do not.
	i := bytes.LastIndexByte(data, ')')
	if i < 0 {
		return 0, false
	}
	fields := strings.Fields(string(data[i+1:]))
	// fields[0] is field 3 (state); utime and stime are fields 14 and 15.
	if len(fields) < 13 {
		return 0, false
	}
	u, err1 := strconv.ParseInt(fields[11], 10, 64)
	st, err2 := strconv.ParseInt(fields[12], 10, 64)
	if err1 != nil || err2 != nil {
		return 0, false
	}
	return time.Duration(u+st) * clockTick, true
}
