package orientation_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/spie-parcours/parcours/internal/orientation"
	"github.com/spie-parcours/parcours/internal/problem"
)

// checkFields fails unless fs names exactly the want fields, in order, each
// with a French sentence.
func checkFields(t *testing.T, fs problem.Fields, want ...string) {
	t.Helper()
	var got []string
	for _, f := range fs {
		got = append(got, f.Field)
		if f.Message == "" || !strings.HasSuffix(f.Message, ".") {
			t.Errorf("%s: message %q is not a sentence", f.Field, f.Message)
		}
	}
	if !slices.Equal(got, want) {
		t.Fatalf("fields = %v, want %v (messages: %v)", got, want, fs)
	}
	if (fs.Err() == nil) != (len(want) == 0) {
		t.Errorf("Err() = %v with fields %v", fs.Err(), want)
	}
}

func TestLabels(t *testing.T) {
	tests := []struct{ got, want string }{
		{orientation.TypePro.Label(), "Professionnelle"},
		{orientation.TypeSocioPro.Label(), "Socio-professionnelle"},
		{orientation.TypeSocial.Label(), "Sociale"},
		{orientation.Type("autre").Label(), "autre"},
		{orientation.StatusPending.Label(), "À orienter"},
		{orientation.StatusAccepted.Label(), "Orientée"},
		{orientation.StatusRefused.Label(), "Refusée"},
		{orientation.ReorientationPending.Label(), "En attente"},
		{orientation.ReorientationAccepted.Label(), "Acceptée"},
		{orientation.ReorientationDenied.Label(), "Refusée"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("Label() = %q, want %q", tt.got, tt.want)
		}
	}
	for _, s := range orientation.Sources {
		if l := s.Label(); l == "" || l == string(s) {
			t.Errorf("source %q has no French label", s)
		}
	}
	if len(orientation.Types) != 3 {
		t.Errorf("Types = %v, want the three types", orientation.Types)
	}
}

func TestParseType(t *testing.T) {
	tests := []struct {
		in   string
		want orientation.Type
		ok   bool
	}{
		{"pro", orientation.TypePro, true},
		{" Pro ", orientation.TypePro, true},
		{"Professionnelle", orientation.TypePro, true},
		{"professionnel", orientation.TypePro, true},
		{"sociopro", orientation.TypeSocioPro, true},
		{"Socio-pro", orientation.TypeSocioPro, true},
		{"socio_pro", orientation.TypeSocioPro, true},
		{"Socio-professionnelle", orientation.TypeSocioPro, true},
		{"SOCIAL", orientation.TypeSocial, true},
		{"Sociale", orientation.TypeSocial, true},
		{"", "", false},
		{"  ", "", false},
		{"autre", "", false},
		{"pro social", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := orientation.ParseType(tt.in)
			if (err == nil) != tt.ok || got != tt.want {
				t.Fatalf("ParseType(%q) = %q, %v; want %q, ok %v", tt.in, got, err, tt.want, tt.ok)
			}
			if err != nil && problem.KindOf(err) != problem.Invalid {
				t.Errorf("error kind = %v, want Invalid", problem.KindOf(err))
			}
		})
	}
}

func TestRequestValidate(t *testing.T) {
	long := strings.Repeat("é", orientation.MaxReasonLen+1)
	tests := []struct {
		name string
		edit func(*orientation.Request)
		want []string
	}{
		{"complete", func(*orientation.Request) {}, nil},
		{"no suggested type", func(r *orientation.Request) { r.SuggestedType = "" }, nil},
		{"import without author", func(r *orientation.Request) {
			r.Source, r.RequestedBy, r.RequestedStructure = orientation.SourceImport, 0, 0
		}, nil},
		{"reason of 2000 accented characters", func(r *orientation.Request) { r.Reason = long[len("é"):] }, nil},
		{"no person", func(r *orientation.Request) { r.PersonID = 0 }, []string{"person_id"}},
		{"unknown suggested type", func(r *orientation.Request) { r.SuggestedType = "autre" }, []string{"suggested_type"}},
		{"reason too long", func(r *orientation.Request) { r.Reason = long }, []string{"reason"}},
		{"no source", func(r *orientation.Request) { r.Source = "" }, []string{"source"}},
		{"everything wrong", func(r *orientation.Request) {
			r.PersonID, r.SuggestedType, r.Reason, r.Source = -1, "x", long, "fax"
		}, []string{"person_id", "suggested_type", "reason", "source"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := pending()
			tt.edit(&req)
			checkFields(t, req.Validate(), tt.want...)
		})
	}
}

func TestDecisionValidate(t *testing.T) {
	long := strings.Repeat("a", orientation.MaxReasonLen+1)
	tests := []struct {
		name string
		d    orientation.Decision
		want []string
	}{
		{"accepted", orientation.Decision{Outcome: orientation.StatusAccepted, Type: orientation.TypePro, StructureID: 5}, nil},
		{"accepted, référent left to the structure", orientation.Decision{Outcome: orientation.StatusAccepted, Type: orientation.TypeSocial, StructureID: 5, ReferentID: 0}, nil},
		{"accepted with a comment", orientation.Decision{Outcome: orientation.StatusAccepted, Type: orientation.TypePro, StructureID: 5, Reason: "ok"}, nil},
		{"refused", orientation.Decision{Outcome: orientation.StatusRefused, Reason: "Hors département."}, nil},
		{"refused, five characters", orientation.Decision{Outcome: orientation.StatusRefused, Reason: "  décès "}, nil},
		{"no outcome", orientation.Decision{Type: orientation.TypePro, StructureID: 5}, []string{"outcome"}},
		{"pending is no outcome", orientation.Decision{Outcome: orientation.StatusPending}, []string{"outcome"}},
		{"accepted without type", orientation.Decision{Outcome: orientation.StatusAccepted, StructureID: 5}, []string{"type"}},
		{"accepted with unknown type", orientation.Decision{Outcome: orientation.StatusAccepted, Type: "autre", StructureID: 5}, []string{"type"}},
		{"accepted without structure", orientation.Decision{Outcome: orientation.StatusAccepted, Type: orientation.TypePro}, []string{"structure_id"}},
		{"accepted with nothing", orientation.Decision{Outcome: orientation.StatusAccepted}, []string{"type", "structure_id"}},
		{"accepted, dispositif too long", orientation.Decision{Outcome: orientation.StatusAccepted, Type: orientation.TypePro, StructureID: 5,
			Dispositif: strings.Repeat("d", orientation.MaxDispositifLen+1)}, []string{"dispositif"}},
		{"refused without reason", orientation.Decision{Outcome: orientation.StatusRefused}, []string{"reason"}},
		{"refused, four characters", orientation.Decision{Outcome: orientation.StatusRefused, Reason: " non. "}, []string{"reason"}},
		{"refused, reason too long", orientation.Decision{Outcome: orientation.StatusRefused, Reason: long}, []string{"reason"}},
		{"accepted, comment too long", orientation.Decision{Outcome: orientation.StatusAccepted, Type: orientation.TypePro, StructureID: 5, Reason: long}, []string{"reason"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkFields(t, tt.d.Validate(), tt.want...)
		})
	}
}

func TestExplain(t *testing.T) {
	decided := func(edit func(*orientation.Request)) orientation.Request {
		r := pending()
		r.Status, r.Type, r.StructureID, r.ReferentID = orientation.StatusAccepted, orientation.TypePro, 5, 9
		r.DecidedAt, r.DecidedBy = at(2026, 11, 3, 14, 0), 4
		if edit != nil {
			edit(&r)
		}
		return r
	}
	tests := []struct {
		name                string
		req                 orientation.Request
		structure, referent string
		want                string
	}{
		{"accepted", decided(nil), "France Travail Belfort", "Julien Conseiller",
			"Orientation professionnelle vers France Travail Belfort (référent : Julien Conseiller), décidée le 03/11/2026 : Recherche d'un emploi de cariste."},
		{"date in Paris, not UTC", decided(func(r *orientation.Request) { r.DecidedAt = utc(2026, 11, 2, 23, 30) }), "France Travail Belfort", "Julien Conseiller",
			"Orientation professionnelle vers France Travail Belfort (référent : Julien Conseiller), décidée le 03/11/2026 : Recherche d'un emploi de cariste."},
		{"référent left to the structure, with a dispositif", decided(func(r *orientation.Request) {
			r.Type, r.ReferentID, r.Dispositif = orientation.TypeSocial, 0, "Accompagnement global"
		}), "CCAS de Belfort", "",
			"Orientation sociale vers CCAS de Belfort (dispositif : Accompagnement global ; référent à désigner par la structure), décidée le 03/11/2026 : Recherche d'un emploi de cariste."},
		{"socio-pro, reason on several lines without final stop", decided(func(r *orientation.Request) {
			r.Type, r.Reason = orientation.TypeSocioPro, "Logement à stabiliser\n\net projet de formation"
		}), "Mission locale du Nord Franche-Comté", "Awa Diallo",
			"Orientation socio-professionnelle vers Mission locale du Nord Franche-Comté (référent : Awa Diallo), décidée le 03/11/2026 : Logement à stabiliser et projet de formation."},
		{"no reason", decided(func(r *orientation.Request) { r.Reason = "" }), "France Travail Belfort", "Julien Conseiller",
			"Orientation professionnelle vers France Travail Belfort (référent : Julien Conseiller), décidée le 03/11/2026."},
		{"refused", func() orientation.Request {
			r := pending()
			r.Status, r.RefusalReason, r.DecidedAt = orientation.StatusRefused, "La personne a déménagé dans le Doubs.", at(2026, 11, 3, 14, 0)
			return r
		}(), "", "", "Demande d'orientation refusée : La personne a déménagé dans le Doubs."},
		{"pending", pending(), "", "",
			"Demande d'orientation professionnelle à décider au plus tard le 12/11/2026 : Recherche d'un emploi de cariste."},
		{"pending without suggestion nor due date", func() orientation.Request {
			r := pending()
			r.SuggestedType, r.DueOn, r.Reason = "", time.Time{}, ""
			return r
		}(), "", "", "Demande d'orientation en attente de décision."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.req.Explain(tt.structure, tt.referent); got != tt.want {
				t.Errorf("Explain =\n%q\nwant\n%q", got, tt.want)
			}
		})
	}
}

// reorientation returns a pending reorientation request.
func reorientation() orientation.Reorientation {
	return orientation.Reorientation{
		ID: 3, PersonID: 12, OrientationID: 7, RequestedBy: 9, FromStructure: 5,
		ToType: orientation.TypeSocial, Reason: "Problèmes de santé à traiter d'abord.",
		Status: orientation.ReorientationPending, RequestedAt: at(2026, 12, 1, 9, 0),
	}
}

func TestReorientationValidate(t *testing.T) {
	tests := []struct {
		name string
		edit func(*orientation.Reorientation)
		want []string
	}{
		{"complete", func(*orientation.Reorientation) {}, nil},
		{"no person", func(r *orientation.Reorientation) { r.PersonID = 0 }, []string{"person_id"}},
		{"no type", func(r *orientation.Reorientation) { r.ToType = "" }, []string{"to_type"}},
		{"unknown type", func(r *orientation.Reorientation) { r.ToType = "autre" }, []string{"to_type"}},
		{"no reason", func(r *orientation.Reorientation) { r.Reason = "   " }, []string{"reason"}},
		{"reason too long", func(r *orientation.Reorientation) { r.Reason = strings.Repeat("a", orientation.MaxReasonLen+1) }, []string{"reason"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := reorientation()
			tt.edit(&r)
			checkFields(t, r.Validate(), tt.want...)
		})
	}
}

func TestReorientationDecide(t *testing.T) {
	when := at(2026, 12, 2, 10, 0)

	r := reorientation()
	if err := r.Accept(4, when); err != nil {
		t.Fatalf("Accept: %v", err)
	}
	if r.Status != orientation.ReorientationAccepted || r.DecidedBy != 4 || !r.DecidedAt.Equal(when) {
		t.Errorf("after Accept: %+v", r)
	}
	if err := r.Deny("Trop tard.", 4, when); problem.KindOf(err) != problem.Conflict {
		t.Errorf("Deny after Accept = %v, want a Conflict", err)
	}

	r = reorientation()
	err := r.Deny(" non ", 4, when)
	if e, ok := problem.As(err); !ok || e.Kind != problem.Invalid {
		t.Fatalf("Deny without reason = %v, want Invalid", err)
	} else {
		checkFields(t, e.Fields, "reason")
	}
	if r.Status != orientation.ReorientationPending {
		t.Errorf("a refused denial changed the status to %q", r.Status)
	}
	if err := r.Deny("  L'orientation sociale est en cours depuis un mois. ", 4, when); err != nil {
		t.Fatalf("Deny: %v", err)
	}
	if r.Status != orientation.ReorientationDenied || r.DenialReason != "L'orientation sociale est en cours depuis un mois." {
		t.Errorf("after Deny: %+v", r)
	}
	if err := r.Accept(4, when); problem.KindOf(err) != problem.Conflict {
		t.Errorf("Accept after Deny = %v, want a Conflict", err)
	}
}
