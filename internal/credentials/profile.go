package credentials

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
)

// DefaultProfileFile is where the Alibaba Cloud CLI keeps its profiles,
// relative to the home directory.
const DefaultProfileFile = ".aliyun/config.json"

// Profile is one profile of the Alibaba Cloud CLI's config.json, reduced to
// what the provider uses.
type Profile struct {
	Name            string `json:"name"`
	Mode            string `json:"mode"`
	AccessKeyID     string `json:"access_key_id"`
	AccessKeySecret string `json:"access_key_secret"`
	StsToken        string `json:"sts_token"`
	RegionID        string `json:"region_id"`
	RAMRoleArn      string `json:"ram_role_arn"`
	RAMSessionName  string `json:"ram_session_name"`
	ExpiredSeconds  int    `json:"expired_seconds"`
}

type cliConfig struct {
	Current  string    `json:"current"`
	Profiles []Profile `json:"profiles"`
}

// ProfilePath returns the file to read: path when given, else
// ~/.aliyun/config.json.
func ProfilePath(path string) (string, error) {
	if path != "" {
		if len(path) > 1 && path[0] == '~' && (path[1] == '/' || path[1] == filepath.Separator) {
			home, err := os.UserHomeDir()
			if err != nil {
				return "", fmt.Errorf("cannot expand %q: %w", path, err)
			}
			return filepath.Join(home, path[2:]), nil
		}
		return path, nil
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", fmt.Errorf("cannot find the home directory for %s: %w", DefaultProfileFile, err)
	}
	return filepath.Join(home, DefaultProfileFile), nil
}

// LoadProfile reads the named profile from an Alibaba Cloud CLI config
// file. The error names the file and the profile, never a key.
func LoadProfile(path, name string) (Profile, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return Profile{}, fmt.Errorf("cannot read the Alibaba Cloud CLI configuration %s for profile %q: %w", path, name, err)
	}
	var cfg cliConfig
	if err := json.Unmarshal(data, &cfg); err != nil {
		return Profile{}, fmt.Errorf("the Alibaba Cloud CLI configuration %s is not valid JSON: %w", path, err)
	}
	var names []string
	for _, p := range cfg.Profiles {
		if p.Name == name {
			return p, p.check(path)
		}
		names = append(names, strconv.Quote(p.Name))
	}
	return Profile{}, fmt.Errorf("the Alibaba Cloud CLI configuration %s has no profile %q (it has %v)", path, name, names)
}

func (p Profile) check(path string) error {
	where := fmt.Sprintf("profile %q in %s", p.Name, path)
	switch p.Mode {
	case "", "AK", "StsToken", "RamRoleArn":
	default:
		return fmt.Errorf("%s has mode %q; the provider supports AK, StsToken and RamRoleArn profiles", where, p.Mode)
	}
	if p.AccessKeyID == "" || p.AccessKeySecret == "" {
		return fmt.Errorf("%s has no access_key_id or access_key_secret", where)
	}
	if p.Mode == "StsToken" && p.StsToken == "" {
		return fmt.Errorf("%s has mode StsToken but no sts_token", where)
	}
	if p.Mode == "RamRoleArn" && p.RAMRoleArn == "" {
		return fmt.Errorf("%s has mode RamRoleArn but no ram_role_arn", where)
	}
	return nil
}

// Static returns the profile's keys as a static source, each value
// attributed to the profile.
func (p Profile) Static(path string) Static {
	from := fmt.Sprintf("profile %q in %s", p.Name, path)
	s := Static{
		AccessKey: Value{Value: p.AccessKeyID, From: from},
		SecretKey: Value{Value: p.AccessKeySecret, From: from},
	}
	if p.Mode == "StsToken" {
		s.SecurityToken = Value{Value: p.StsToken, From: from}
	}
	return s
}
