package directory

import (
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/spie-parcours/parcours/internal/referential"
)

func TestDistanceKm(t *testing.T) {
	// Paris (Notre-Dame) to Lyon (Bellecour): 391.5 km as the crow flies.
	if d := DistanceKm(48.8566, 2.3522, 45.7640, 4.8357); math.Abs(d-391.5) > 0.5 {
		t.Errorf("Paris–Lyon = %.1f km, want 391.5", d)
	}
	if d := DistanceKm(47.64, 6.86, 47.64, 6.86); d != 0 {
		t.Errorf("same point = %v", d)
	}
	b := BoxAround(47.64, 6.86, 15)
	for _, p := range [][2]float64{{47.64 + 0.13, 6.86}, {47.64, 6.86 + 0.19}, {47.64 - 0.13, 6.86 - 0.19}} {
		if d := DistanceKm(47.64, 6.86, p[0], p[1]); d <= 15 && (p[0] < b.MinLat || p[0] > b.MaxLat || p[1] < b.MinLon || p[1] > b.MaxLon) {
			t.Errorf("point %v at %.1f km is outside the box %+v", p, d, b)
		}
	}
}

func validService() Service {
	return Service{Name: "Garage solidaire", Description: "Réparations à prix solidaire.", Thematiques: []string{"mobilite--entretenir-reparer-son-vehicule"},
		CommuneINSEE: "90010", Email: "garage@exemple.example", Status: StatusPublished, Publics: []string{"tous-publics"}}
}

func TestServiceValidate(t *testing.T) {
	ref := loadRef(t)
	now := time.Date(2026, 12, 6, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name   string
		change func(*Service)
		field  string
	}{
		{"valid", func(*Service) {}, ""},
		{"remote without commune", func(s *Service) { s.CommuneINSEE, s.ReceptionModes = "", []string{"a-distance"} }, ""},
		{"no name", func(s *Service) { s.Name = "" }, "nom"},
		{"name ending with a point", func(s *Service) { s.Name = "Garage solidaire." }, "nom"},
		{"unknown thématique", func(s *Service) { s.Thematiques = []string{"mobilite--teleporter"} }, "thematiques[0]"},
		{"no thématique", func(s *Service) { s.Thematiques = nil }, "thematiques"},
		{"tous-publics with others", func(s *Service) { s.Publics = []string{"jeunes", "tous-publics"} }, "publics"},
		{"unknown commune", func(s *Service) { s.CommuneINSEE = "99999" }, "code_insee"},
		{"bad email", func(s *Service) { s.Email = "garage@" }, "courriel"},
		{"bad link", func(s *Service) { s.MobilisationLink = "javascript:alert(1)" }, "lien_mobilisation"},
		{"zone of a département", func(s *Service) { s.EligibilityZone = []string{"90", "25"} }, ""},
		{"unknown zone", func(s *Service) { s.EligibilityZone = []string{"Belfort"} }, "zone_eligibilite[0]"},
		{"published without contact", func(s *Service) { s.Email = "" }, "courriel"},
		{"draft without contact", func(s *Service) { s.Email, s.Status = "", StatusDraft }, ""},
		{"published without place", func(s *Service) { s.CommuneINSEE = "" }, "code_insee"},
		{"future update", func(s *Service) { s.UpdatedAt = now.AddDate(0, 1, 0) }, "date_maj"},
		{"unknown status", func(s *Service) { s.Status = "ouvert" }, "statut"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := validService()
			tt.change(&s)
			s.Normalize(ref)
			fs := s.Validate(ref, now)
			switch {
			case tt.field == "" && len(fs) > 0:
				t.Errorf("got %v, want valid", fs)
			case tt.field != "" && fs.For(tt.field) == "":
				t.Errorf("got %v, want a message on %s", fs, tt.field)
			}
			for _, f := range fs {
				if f.Message == "" {
					t.Errorf("field %s has no message", f.Field)
				}
			}
		})
	}
}

func TestNormalizeFillsFromCommune(t *testing.T) {
	ref := loadRef(t)
	s := Service{Name: " Garage ", CommuneINSEE: "90010", Thematiques: []string{"b", "a", "b", " "}, Email: "A@B.example"}
	s.Normalize(ref)
	if s.Name != "Garage" || s.PostalCode != "90000" || !s.HasCoords() || strings.Join(s.Thematiques, ",") != "a,b" ||
		s.Email != "a@b.example" || s.Status != StatusDraft {
		t.Errorf("normalized = %+v", s)
	}
}

func TestRank(t *testing.T) {
	ref := loadRef(t)
	belfort, _ := ref.Commune("90010")
	valdoie, _ := ref.Commune("90099")
	delle, _ := ref.Commune("90033")
	at := func(c referential.Commune) (float64, float64) { return c.Lat, c.Lon }
	svc := func(id int64, name string, c referential.Commune, them ...string) Service {
		lat, lon := at(c)
		return Service{ID: id, Name: name, Description: "Un service.", Thematiques: them, Lat: lat, Lon: lon, CommuneINSEE: c.INSEE,
			Status: StatusPublished, ReceptionModes: []string{"en-presentiel"}}
	}
	garde := "famille--garde-denfants"
	parent := "famille--soutien-a-la-parentalite-et-a-leducation"
	cands := []Service{
		svc(1, "Crèche de Delle", delle, garde),
		svc(2, "Crèche de Valdoie", valdoie, garde),
		svc(3, "Maison des familles", belfort, garde, parent),
		svc(4, "Garage", belfort, "mobilite--acceder-a-un-vehicule"),
		{ID: 5, Name: "Parentalité en ligne", Description: "À distance.", Thematiques: []string{parent}, Status: StatusPublished, ReceptionModes: []string{"a-distance"}},
		func() Service { s := svc(6, "Crèche fermée", belfort, garde); s.Status = StatusSuspended; return s }(),
		func() Service {
			s := svc(7, "Crèche de Valdoie réservée", valdoie, garde)
			s.EligibilityZone = []string{"90099"}
			return s
		}(),
	}
	ids := func(hs []Hit) []int64 {
		var out []int64
		for _, h := range hs {
			out = append(out, h.ID)
		}
		return out
	}
	from := Query{HasFrom: true, FromLat: belfort.Lat, FromLon: belfort.Lon, CommuneINSEE: "90010", Departement: "90"}
	tests := []struct {
		name string
		q    Query
		want []int64
	}{
		{"category, nearest first, relevance first", func() Query { q := from; q.Thematiques = []string{"famille"}; return q }(), []int64{3, 2, 1, 5}},
		{"within 10 km; remote kept", func() Query { q := from; q.Thematiques = []string{"famille"}; q.RadiusKm = 10; return q }(), []int64{3, 2, 5}},
		{"one thématique", func() Query { q := from; q.Thematiques = []string{garde}; q.Limit = 2; return q }(), []int64{3, 2}},
		{"text, accents ignored", Query{Text: "creche valdoie"}, []int64{2, 7}},
		{"text of a word start only", Query{Text: "arage"}, nil},
		{"eligibility zone for a person of Valdoie", Query{Thematiques: []string{garde}, CommuneINSEE: "90099", Departement: "90"}, []int64{1, 2, 7, 3}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := ids(Rank(ref, cands, tt.q))
			if !slices.Equal(got, tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}

func TestTransition(t *testing.T) {
	all := []ReferralStatus{ReferralSent, ReferralAccepted, ReferralRefused, ReferralExpired, ReferralDone, ReferralCancelled}
	allowed := map[[2]ReferralStatus]bool{
		{ReferralSent, ReferralAccepted}: true, {ReferralSent, ReferralRefused}: true, {ReferralSent, ReferralExpired}: true,
		{ReferralSent, ReferralCancelled}: true, {ReferralAccepted, ReferralDone}: true, {ReferralAccepted, ReferralCancelled}: true,
	}
	for _, from := range all {
		for _, to := range all {
			if got := Transition(from, to); got != allowed[[2]ReferralStatus{from, to}] {
				t.Errorf("%s → %s: %v", from, to, got)
			}
		}
	}
}

func TestMessagesCarryNothingSensitive(t *testing.T) {
	sent := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	r := Referral{ID: 42, PersonID: 7, ServiceName: "Consultation en addictologie", StructureName: "CSAPA du Lion", Status: ReferralRefused,
		RefusalReason: "complet", NotifyPerson: true, SentAt: sent, PersonFirstName: "Louise", PersonLastName: "Fictive", Motive: "Sevrage"}
	to := Recipients{Sender: Account{1, "pro@a.example"}, Referent: Account{2, "ref@a.example"}, PersonEmail: "louise@b.example"}
	msgs := Messages("https://parcours.test/", EventRefused, r, to, "")
	if len(msgs) != 3 {
		t.Fatalf("%d messages, want sender, référent and person", len(msgs))
	}
	for _, m := range msgs {
		for _, secret := range []string{"Louise", "Fictive", "Sevrage"} {
			if strings.Contains(m.Body+m.Subject, secret) {
				t.Errorf("message to %s holds %q", m.To, secret)
			}
		}
		if m.PersonID == 7 && (strings.Contains(m.Body, "addictologie") || strings.Contains(m.Body, "CSAPA")) {
			t.Errorf("the person's message names the service: %q", m.Body)
		}
		if m.PersonID == 0 && !strings.Contains(m.Body, "https://parcours.test/adressages/42") {
			t.Errorf("the professional's message has no link to sign in: %q", m.Body)
		}
	}
	// A structure without accounts gets its link; one with accounts never.
	link := "https://parcours.test/reponse-adressage/42/adr_x"
	r.Status = ReferralSent
	msgs = Messages("https://parcours.test", EventSent, r, Recipients{ContactEmail: "accueil@csapa.example"}, link)
	if len(msgs) != 1 || !strings.Contains(msgs[0].Body, link) || !strings.Contains(msgs[0].Body, "31/12/2026") {
		t.Errorf("message to the contact: %+v", msgs)
	}
	msgs = Messages("https://parcours.test", EventSent, r, Recipients{Structure: []Account{{3, "a@csapa.example"}, {3, "a@csapa.example"}}}, link)
	if len(msgs) != 1 || strings.Contains(msgs[0].Body, "reponse-adressage") || msgs[0].Key != "referral:42:sent:account:3" {
		t.Errorf("message to the structure's account: %+v", msgs)
	}
}

func TestDelayString(t *testing.T) {
	for _, tt := range []struct {
		d    Delay
		want string
	}{
		{Delay{}, "Pas encore de réponse"},
		{Delay{Days: 1, Answered: 1}, "1 jour en moyenne (1 réponse)"},
		{Delay{Days: 3.5, Answered: 12}, "3,5 jours en moyenne (12 réponses)"},
	} {
		if got := tt.d.String(); got != tt.want {
			t.Errorf("%+v = %q, want %q", tt.d, got, tt.want)
		}
	}
}
