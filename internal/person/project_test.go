package person_test

import (
	"strings"
	"testing"

	"github.com/spie-parcours/parcours/internal/person"
)

func TestProjectValidate(t *testing.T) {
	ref := loadRef(t)
	// Five real OGR codes of the ROME appellations.
	jobs := []string{"10200", "10201", "11573", "12722", "16868"}
	for _, c := range jobs {
		if _, ok := ref.Appellation(c); !ok {
			t.Fatalf("test fixture: appellation %s is not in the referential", c)
		}
	}
	tests := []struct {
		name   string
		change func(pr *person.Project)
		want   []string
	}{
		{"valid", func(pr *person.Project) {}, nil},
		{"empty project", func(pr *person.Project) { *pr = person.Project{} }, nil},
		{"five jobs", func(pr *person.Project) { pr.TargetJobs = jobs }, nil},
		{"six jobs", func(pr *person.Project) { pr.TargetJobs = append(jobs[:5:5], "10202") }, []string{"target_jobs"}},
		{"unknown appellation", func(pr *person.Project) { pr.TargetJobs = []string{"10200", "99999999"} }, []string{"target_jobs[1]"}},
		{"ROME code instead of appellation", func(pr *person.Project) { pr.TargetJobs = []string{"M1607"} }, []string{"target_jobs[0]"}},
		{"empty code", func(pr *person.Project) { pr.TargetJobs = []string{"10200", " "} }, []string{"target_jobs[1]"}},
		{"same job twice", func(pr *person.Project) { pr.TargetJobs = []string{"10200", "10201", "10200"} }, []string{"target_jobs[2]"}},
		{"48 hours", func(pr *person.Project) { pr.HoursWanted = 48 }, nil},
		{"49 hours", func(pr *person.Project) { pr.HoursWanted = 49 }, []string{"hours_wanted"}},
		{"negative hours", func(pr *person.Project) { pr.HoursWanted = -1 }, []string{"hours_wanted"}},
		{"200 km", func(pr *person.Project) { pr.MobilityKm = 200 }, nil},
		{"201 km", func(pr *person.Project) { pr.MobilityKm = 201 }, []string{"mobility_km"}},
		{"negative km", func(pr *person.Project) { pr.MobilityKm = -5 }, []string{"mobility_km"}},
		{"experience of 2000 characters", func(pr *person.Project) { pr.Experience = strings.Repeat("é", 2000) }, nil},
		{"experience of 2001 characters", func(pr *person.Project) { pr.Experience = strings.Repeat("é", 2001) }, []string{"experience"}},
		{"skills of 2001 characters", func(pr *person.Project) { pr.Skills = strings.Repeat("a", 2001) }, []string{"skills"}},
		{"everything wrong", func(pr *person.Project) {
			pr.TargetJobs = []string{"1", "10200", "10200", "10201", "11573", "12722"}
			pr.HoursWanted, pr.MobilityKm = 100, 1000
			pr.Experience, pr.Skills = strings.Repeat("a", 3000), strings.Repeat("a", 3000)
		}, []string{"target_jobs", "target_jobs[0]", "target_jobs[2]", "hours_wanted", "mobility_km", "experience", "skills"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pr := person.Project{TargetJobs: []string{"10200"}, Experience: "Dix ans en cuisine.", Skills: "Travail en équipe.",
				HoursWanted: 35, MobilityKm: 30, DrivingLicence: true}
			tt.change(&pr)
			checkFields(t, pr.Validate(ref), tt.want...)
		})
	}
}
