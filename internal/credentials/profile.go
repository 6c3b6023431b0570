package credentials

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"

	"github.com/aliyun/credentials-go/credentials/providers"

	"github.com/alicloud-live/terraform-provider-alicloud/internal/liveapi"
)

// DefaultProfileFile is where the Alibaba Cloud CLI keeps its profiles,
// relative to the home directory.
const DefaultProfileFile = ".aliyun/config.json"

// ProfileModes are the modes of the Alibaba Cloud CLI's profiles.
var ProfileModes = []string{"AK", "StsToken", "RamRoleArn", "EcsRamRole", "OIDC", "ChainableRamRoleArn", "CloudSSO", "OAuth", "External"}

// profileHeader is what the provider reads of a profile itself: the mode,
// the region, and for the modes that call STS or the metadata service what
// those calls need, so that they go to the configured STS endpoint through
// the configured proxy. credentials-go reads everything else.
type profileHeader struct {
	Name            string `json:"name"`
	Mode            string `json:"mode"`
	RegionID        string `json:"region_id"`
	AccessKeyID     string `json:"access_key_id"`
	AccessKeySecret string `json:"access_key_secret"`
	RoleArn         string `json:"ram_role_arn"`
	RoleSessionName string `json:"ram_session_name"`
	DurationSeconds int    `json:"expired_seconds"`
	SourceProfile   string `json:"source_profile"`
	RoleName        string `json:"ram_role_name"`
	OIDCTokenFile   string `json:"oidc_token_file"`
	OIDCProviderARN string `json:"oidc_provider_arn"`
	Policy          string `json:"policy"`
	ExternalID      string `json:"external_id"`
}

// ProfilePath returns the file to read: path when given, else
// ALIBABA_CLOUD_CONFIG_FILE, else ~/.aliyun/config.json.
func ProfilePath(path string) (string, error) {
	if path == "" {
		path = os.Getenv("ALIBABA_CLOUD_CONFIG_FILE")
	}
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

// loadProfiles reads the CLI configuration. Errors name the file, never
// its content.
func loadProfiles(path string) (map[string]profileHeader, []string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, fmt.Errorf("cannot read the Alibaba Cloud CLI configuration %s: %w", path, err)
	}
	var cfg struct {
		Profiles []profileHeader `json:"profiles"`
	}
	if err := json.Unmarshal(data, &cfg); err != nil {
		return nil, nil, fmt.Errorf("the Alibaba Cloud CLI configuration %s is not valid JSON", path)
	}
	out := map[string]profileHeader{}
	var names []string
	for _, p := range cfg.Profiles {
		out[p.Name] = p
		names = append(names, strconv.Quote(p.Name))
	}
	return out, names, nil
}

// profileSource builds the source of the profile s names.
func profileSource(s Settings) (liveapi.CredentialSource, error) {
	path, err := ProfilePath(s.ProfileFile.Value)
	if err != nil {
		return nil, err
	}
	profiles, names, err := loadProfiles(path)
	if err != nil {
		return nil, err
	}
	return buildProfile(s, path, profiles, names, s.Profile.Value, 0)
}

func buildProfile(s Settings, path string, profiles map[string]profileHeader, names []string, name string, depth int) (liveapi.CredentialSource, error) {
	p, ok := profiles[name]
	if !ok {
		return nil, fmt.Errorf("the Alibaba Cloud CLI configuration %s has no profile %q (it has %v)", path, name, names)
	}
	where := fmt.Sprintf("profile %q in %s", name, path)
	if depth > 8 {
		return nil, fmt.Errorf("%s: source_profile chains loop", where)
	}
	switch p.Mode {
	case "AK", "", "StsToken", "CloudSSO", "OAuth", "External":
		// Read by the library: CloudSSO, OAuth and External write renewed
		// tokens back into the file, as the CLI does.
		lib, err := providers.NewCLIProfileCredentialsProviderBuilder().WithProfileFile(path).WithProfileName(name).Build()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", where, err)
		}
		return newSource(lib, where, p.AccessKeySecret), nil
	case "EcsRamRole":
		if p.RoleName == "" {
			return nil, fmt.Errorf("%s has mode EcsRamRole but no ram_role_name: the provider asks the metadata service only for a named role", where)
		}
		return ecsSource(s, p.RoleName, " (from "+where+")")
	case "OIDC":
		o := OIDCSettings{
			ProviderArn: Value{p.OIDCProviderARN, where}, RoleArn: Value{p.RoleArn, where}, TokenFile: Value{p.OIDCTokenFile, where},
			SessionName: Value{p.RoleSessionName, where}, SessionExpiration: p.DurationSeconds, Policy: p.Policy,
		}
		s.OIDC = &o
		src, err := oidcSource(s)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", where, err)
		}
		return src, nil
	case "RamRoleArn", "ChainableRamRoleArn":
		if p.RoleArn == "" {
			return nil, fmt.Errorf("%s has mode %s but no ram_role_arn", where, p.Mode)
		}
		var base liveapi.CredentialSource
		if p.Mode == "RamRoleArn" {
			if p.AccessKeyID == "" || p.AccessKeySecret == "" {
				return nil, fmt.Errorf("%s has no access_key_id or access_key_secret", where)
			}
			base = Static{AccessKey: Value{p.AccessKeyID, where}, SecretKey: Value{p.AccessKeySecret, where}}
		} else {
			if p.SourceProfile == "" {
				return nil, fmt.Errorf("%s has mode ChainableRamRoleArn but no source_profile", where)
			}
			var err error
			if base, err = buildProfile(s, path, profiles, names, p.SourceProfile, depth+1); err != nil {
				return nil, err
			}
		}
		session := p.RoleSessionName
		return assumeRole(base, RoleSettings{RoleArn: p.RoleArn, SessionName: session, SessionExpiration: p.DurationSeconds, Policy: p.Policy, ExternalID: p.ExternalID}, s), nil
	default:
		return nil, fmt.Errorf("%s has mode %q, which the Alibaba Cloud CLI does not write; the modes are %v", where, p.Mode, ProfileModes)
	}
}

// ProfileRegion returns the region_id of the profile that supplies the
// credentials, or "" when there is none or it cannot be read: the error
// surfaces when credentials are needed.
func ProfileRegion(s Settings) string {
	if !s.Static.Empty() || s.Profile.Value == "" {
		return ""
	}
	path, err := ProfilePath(s.ProfileFile.Value)
	if err != nil {
		return ""
	}
	profiles, _, err := loadProfiles(path)
	if err != nil {
		return ""
	}
	return profiles[s.Profile.Value].RegionID
}
