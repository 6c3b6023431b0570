package lazypull

// The lazy-pull vocabulary: protocol display forms, transcode_lazy
// values and the import ID, with a fuzz target for ParseID.

import "testing"

func TestNormalizeProtocol(t *testing.T) {
	cases := []struct {
		in, want string
		known    bool
	}{
		{"RTMP", "rtmp", true},
		{"rtmp", "rtmp", true},
		{"HTTP-FLV", "httpflv", true},
		{"httpflv", "httpflv", true},
		{"Http-Flv", "httpflv", true},
		{"FLV", "httpflv", true},
		{"HLS", "hls", true},
		{" hls ", "hls", true},
		{"SRT", "srt", false},
		{"", "", false},
	}
	for _, c := range cases {
		got, known := NormalizeProtocol(c.in)
		if got != c.want || known != c.known {
			t.Errorf("NormalizeProtocol(%q) = %q, %v; want %q, %v", c.in, got, known, c.want, c.known)
		}
	}
}

func TestTranscodeLazy(t *testing.T) {
	if FormatTranscodeLazy(true) != "yes" || FormatTranscodeLazy(false) != "no" {
		t.Fatal("FormatTranscodeLazy must render yes/no")
	}
	for in, want := range map[string]bool{"yes": true, "YES": true, "no": false, "": false, "true": false} {
		if got := ParseTranscodeLazy(in); got != want {
			t.Errorf("ParseTranscodeLazy(%q) = %v, want %v", in, got, want)
		}
	}
}

func TestParseID(t *testing.T) {
	good := map[string][2]string{
		"live.example.com:app":         {"live.example.com", "app"},
		"live.example.com:ali_all_app": {"live.example.com", AllApps},
	}
	for id, want := range good {
		d, a, err := ParseID(id)
		if err != nil || d != want[0] || a != want[1] {
			t.Errorf("ParseID(%q) = %q, %q, %v; want %q, %q", id, d, a, err, want[0], want[1])
		}
		if ID(d, a) != id {
			t.Errorf("ID(%q, %q) = %q, want round trip to %q", d, a, ID(d, a), id)
		}
	}
	for _, id := range []string{"", "live.example.com", ":app", "live.example.com:", "a:b:c", ":", "live.example.com/app"} {
		if _, _, err := ParseID(id); err == nil {
			t.Errorf("ParseID(%q) succeeded, want an error", id)
		}
	}
}

func FuzzParseID(f *testing.F) {
	for _, s := range []string{"live.example.com:app", "a:b:c", "", ":", "x:", ":y", "live.example.com:ali_all_app"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, id string) {
		d, a, err := ParseID(id)
		if err != nil {
			if d != "" || a != "" {
				t.Fatalf("ParseID(%q) returned parts with an error", id)
			}
			return
		}
		if d == "" || a == "" {
			t.Fatalf("ParseID(%q) returned an empty part without an error", id)
		}
		if ID(d, a) != id {
			t.Fatalf("ParseID(%q) does not round-trip: %q", id, ID(d, a))
		}
	})
}

func TestSameHosts(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want bool
	}{
		{"Origin.Example.NET;backup.example.net:1935", "origin.example.net;backup.example.net:1935", true},
		{"LIVE.example.com", "live.example.com", true},
		{"a.example.net;b.example.net", "b.example.net;a.example.net", false}, // order counts
		{"a.example.net:1935", "a.example.net:1936", false},
		{"a.example.net:1935", "a.example.net", false},
		{"a.example.net;b.example.net", "a.example.net", false},
		{"203.0.113.10", "203.0.113.1", false},
		{"", "", true},
	} {
		if got := SameHosts(tc.a, tc.b); got != tc.want {
			t.Errorf("SameHosts(%q, %q) = %v, want %v", tc.a, tc.b, got, tc.want)
		}
	}
}

func TestSame(t *testing.T) {
	base := Config{DomainName: "live.example.com", AppName: "app", PullDomainName: "o.example.net", PullProtocol: "rtmp", PullArgs: "k=V"}
	upper := base
	upper.DomainName, upper.PullDomainName = "Live.Example.COM", "O.Example.NET"
	if !Same(base, upper) {
		t.Errorf("Same(%+v, %+v) = false, want true", base, upper)
	}
	for name, change := range map[string]func(*Config){
		"app_name":      func(c *Config) { c.AppName = "App" },
		"pull_args":     func(c *Config) { c.PullArgs = "k=v" },
		"pull_app_name": func(c *Config) { c.PullAppName = "x" },
		"origins":       func(c *Config) { c.PullDomainName = "p.example.net" },
	} {
		other := upper
		change(&other)
		if Same(base, other) {
			t.Errorf("%s: Same(%+v, %+v) = true, want false", name, base, other)
		}
	}
}
