package ratelimit

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"
)

// journal records when the calls of one account completed, per action, in a
// file that every provider process of the account on this machine appends
// to. Terraform starts a provider process for each walk of a command (the
// plan, then the apply) and for each command, one after the other; a new
// process reads the journal to start with the calls its predecessors made
// in the current window, which the service still counts.
//
// Each record is one line, "<action> <unix nanoseconds>", written with one
// append, so that processes need no lock. When the file grows past
// maxJournal it is renamed to <file>.old and a new one begins; readers read
// both.
type journal struct {
	path string
}

// maxJournal bounds a journal file: about 25,000 records, 25 minutes of
// calls at the documented quota of 1,000 per minute.
const maxJournal = 1 << 20

// journalAge is how long a journal of an account that made no call since is
// kept.
const journalAge = 24 * time.Hour

// openJournal returns the journal of key in dir, or nil when dir is "" or
// cannot be created: the limiter then counts only its own process's calls.
// Journals of other accounts untouched for journalAge are removed.
func openJournal(dir, key string) *journal {
	if dir == "" || os.MkdirAll(dir, 0o700) != nil {
		return nil
	}
	if entries, err := os.ReadDir(dir); err == nil {
		for _, e := range entries {
			if info, err := e.Info(); err == nil && time.Since(info.ModTime()) > journalAge {
				_ = os.Remove(filepath.Join(dir, e.Name()))
			}
		}
	}
	sum := sha256.Sum256([]byte(key))
	return &journal{path: filepath.Join(dir, hex.EncodeToString(sum[:12])+".calls")}
}

// record appends that a call of action completed at at. A failure to write
// is not an error of the call: the journal only helps the next process.
func (j *journal) record(action string, at time.Time) {
	if j == nil {
		return
	}
	if info, err := os.Stat(j.path); err == nil && info.Size() > maxJournal {
		_ = os.Rename(j.path, j.path+".old")
	}
	f, err := os.OpenFile(j.path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o600)
	if err != nil {
		return
	}
	_, _ = fmt.Fprintf(f, "%s %d\n", action, at.UnixNano())
	_ = f.Close()
}

// recent returns the completion times of action's calls since since, the
// newest at most limit of them, oldest first.
func (j *journal) recent(action string, since time.Time, limit int) []time.Time {
	if j == nil || limit <= 0 {
		return nil
	}
	var out []time.Time
	for _, p := range []string{j.path + ".old", j.path} {
		f, err := os.Open(p)
		if err != nil {
			continue
		}
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			name, ns, ok := strings.Cut(sc.Text(), " ")
			if !ok || name != action {
				continue
			}
			n, err := strconv.ParseInt(ns, 10, 64)
			if err != nil {
				continue
			}
			if at := time.Unix(0, n); at.After(since) {
				out = append(out, at)
			}
		}
		_ = f.Close()
	}
	sort.Slice(out, func(a, b int) bool { return out[a].Before(out[b]) })
	if len(out) > limit {
		out = out[len(out)-limit:]
	}
	return out
}
