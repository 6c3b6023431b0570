package main

import (
	"fmt"
	"sort"
	"time"

	"github.com/alicloud-live/terraform-provider-alicloud/internal/lazypull"
)

func median(ds []time.Duration) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := append([]time.Duration(nil), ds...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

func walls(ss []sample) []time.Duration {
	out := make([]time.Duration, len(ss))
	for i, s := range ss {
		out[i] = s.wall
	}
	return out
}

// matrixMedian is the median wall time of one cell of the N x phase matrix.
func (b *bench) matrixMedian(k kind, n int, p phase) (time.Duration, bool) {
	ss := b.results[key{"matrix", k, n, p}]
	if len(ss) == 0 {
		return 0, false
	}
	return median(walls(ss)), true
}

// meanCalls is the average over runs of calls per resource by action.
func meanCalls(ss []sample, n int) (map[string]float64, float64) {
	out := map[string]float64{}
	var total float64
	if len(ss) == 0 || n == 0 {
		return out, 0
	}
	for _, s := range ss {
		for a, c := range s.calls {
			out[a] += float64(c) / float64(n) / float64(len(ss))
		}
		total += float64(s.total) / float64(n) / float64(len(ss))
	}
	return out, total
}

func medianPeakKB(ss []sample) int64 {
	var v []int64
	for _, s := range ss {
		if s.peakKB > 0 {
			v = append(v, s.peakKB)
		}
	}
	if len(v) == 0 {
		return 0
	}
	sort.Slice(v, func(i, j int) bool { return v[i] < v[j] })
	return v[len(v)/2]
}

func sumMap(m map[string]int) int {
	t := 0
	for _, v := range m {
		t += v
	}
	return t
}

func formatCalls(calls map[string]int, total int) string {
	return fmt.Sprintf("Set %d Describe %d Delete %d (total %d)", calls[lazypull.ActionSet], calls[lazypull.ActionDescribe], calls[lazypull.ActionDelete], total)
}

// medianCPU is the median CPU time of the provider processes over samples.
func medianCPU(ss []sample) time.Duration {
	ds := make([]time.Duration, 0, len(ss))
	for _, s := range ss {
		ds = append(ds, s.provCPU)
	}
	return median(ds)
}
