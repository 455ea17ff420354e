package matching

import (
	"encoding/json"
	"errors"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestDefaultConfigValid(t *testing.T) {
	if err := DefaultConfig().Validate(); err != nil {
		t.Fatalf("DefaultConfig().Validate() = %v", err)
	}
}

func TestConfigValidate(t *testing.T) {
	cases := []struct {
		name  string
		tweak func(*Config)
		want  []string // fragments of the message, one per wrong field
	}{
		{"negative weight", func(c *Config) { c.Distance = -1 },
			[]string{"distance : la valeur doit être un nombre positif ou nul"}},
		{"NaN weight", func(c *Config) { c.Freshness = math.NaN() },
			[]string{"freshness : la valeur doit être un nombre positif ou nul"}},
		{"negative penalty", func(c *Config) { c.LicencePenalty = -5 },
			[]string{"licence_penalty : la valeur doit être"}},
		{"job levels out of order", func(c *Config) { c.SameROME = 50 },
			[]string{"same_appellation : un même métier doit valoir au moins une même fiche ROME"}},
		{"grand domaine above domaine", func(c *Config) { c.SameGrandDomaine = 20 },
			[]string{"same_domaine : un même domaine doit valoir au moins un même grand domaine"}},
		{"unknown policy", func(c *Config) { c.LicenceMissing = "ignore" },
			[]string{"licence_missing : la règle doit être « exclude » (exclure) ou « penalize » (pénaliser), pas « ignore »."}},
		{"empty policy", func(c *Config) { c.ScheduleConflict = "" },
			[]string{"schedule_conflict : la règle doit être"}},
		{"no default radius", func(c *Config) { c.DefaultRadiusKm = 0 },
			[]string{"default_radius_km : le rayon par défaut doit être compris entre 0 (exclu) et 1 000 km."}},
		{"no freshness period", func(c *Config) { c.FreshDays = 0 },
			[]string{"fresh_days : la durée de fraîcheur"}},
		{"no hours gap", func(c *Config) { c.HoursGap = -3 },
			[]string{"hours_gap : l'écart d'heures"}},
		{"NaN minimum", func(c *Config) { c.MinScore = math.NaN() },
			[]string{"min_score : le score minimal"}},
		{"several fields, several messages", func(c *Config) { c.Hours, c.BeyondRadius = -1, "drop" },
			[]string{"hours : la valeur doit être", "beyond_radius : la règle doit être"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := DefaultConfig()
			tc.tweak(&c)
			err := c.Validate()
			if err == nil {
				t.Fatal("Validate() = nil, want an error")
			}
			lines := strings.Split(err.Error(), "\n")
			if len(lines) != len(tc.want) {
				t.Errorf("Validate() = %q, want %d messages", err, len(tc.want))
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("Validate() = %q, want it to contain %q", err, w)
				}
			}
		})
	}
}

func writeConfig(t *testing.T, text string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "matching.json")
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestLoadConfigPartialKeepsDefaults(t *testing.T) {
	path := writeConfig(t, `{
		"distance": 30,
		"licence_missing": "penalize",
		"licence_penalty": 25,
		"min_score": 10
	}`)
	got, err := LoadConfig(path)
	if err != nil {
		t.Fatalf("LoadConfig: %v", err)
	}
	want := DefaultConfig()
	want.Distance = 30
	want.LicenceMissing = Penalize
	want.LicencePenalty = 25
	want.MinScore = 10
	if got != want {
		t.Errorf("LoadConfig = %+v\nwant %+v", got, want)
	}
}

// TestDefaultsFile keeps testdata/defaults.json, every key with its default
// value, the file an operator copies to change the weights, in step with
// DefaultConfig.
func TestDefaultsFile(t *testing.T) {
	got, err := LoadConfig(filepath.Join("testdata", "defaults.json"))
	if err != nil {
		t.Fatalf("LoadConfig: %v", err)
	}
	if got != DefaultConfig() {
		t.Errorf("testdata/defaults.json = %+v\nwant DefaultConfig() %+v", got, DefaultConfig())
	}
	b, err := os.ReadFile(filepath.Join("testdata", "defaults.json"))
	if err != nil {
		t.Fatal(err)
	}
	var keys map[string]any
	if err := json.Unmarshal(b, &keys); err != nil {
		t.Fatal(err)
	}
	if want := reflect.TypeFor[Config]().NumField(); len(keys) != want {
		t.Errorf("testdata/defaults.json has %d keys, Config %d fields: list them all", len(keys), want)
	}
}

func TestLoadConfigEmptyObjectIsDefault(t *testing.T) {
	got, err := LoadConfig(writeConfig(t, `{}`))
	if err != nil {
		t.Fatalf("LoadConfig: %v", err)
	}
	if got != DefaultConfig() {
		t.Errorf("LoadConfig({}) = %+v, want the defaults", got)
	}
}

func TestLoadConfigRefuses(t *testing.T) {
	cases := []struct {
		name, text, want string
	}{
		{"unknown field", `{"distance": 30, "distnce_km": 10}`, `unknown field "distnce_km"`},
		{"wrong type", `{"distance": "far"}`, "distance"},
		{"invalid value", `{"vehicle_missing": "maybe"}`, "vehicle_missing : la règle doit être"},
		{"levels out of order", `{"same_rome": 45}`, "same_appellation : un même métier"},
		{"trailing data", `{"distance": 30} {"hours": 2}`, "données après l'objet JSON"},
		{"not JSON", `distance = 30`, "invalid character"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			path := writeConfig(t, tc.text)
			_, err := LoadConfig(path)
			if err == nil {
				t.Fatal("LoadConfig = nil error, want one")
			}
			if !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), path) {
				t.Errorf("LoadConfig = %q, want it to name %q and the file", err, tc.want)
			}
		})
	}
}

func TestLoadConfigMissingFile(t *testing.T) {
	_, err := LoadConfig(filepath.Join(t.TempDir(), "absent.json"))
	if !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("LoadConfig(absent) = %v, want a not-exist error", err)
	}
}
