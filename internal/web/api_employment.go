package web

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/spie-parcours/parcours/internal/access"
	"github.com/spie-parcours/parcours/internal/employment"
	"github.com/spie-parcours/parcours/internal/importer"
	"github.com/spie-parcours/parcours/internal/person"
	"github.com/spie-parcours/parcours/internal/problem"
	"github.com/spie-parcours/parcours/internal/store"
)

// The JSON API of employers, offers and applications (issue 7), with the
// rules of the pages (pages_employers.go).

// --- API: employers ---------------------------------------------------------

// apiEmployer is an employer in the JSON of the API.
type apiEmployer struct {
	ID                  int64          `json:"id"`
	Name                string         `json:"name"`
	SIRET               string         `json:"siret"`
	NAF                 string         `json:"naf"`
	CommuneINSEE        string         `json:"commune_insee"`
	Commune             string         `json:"commune"`
	Address             string         `json:"address"`
	Size                string         `json:"size"`
	Labels              []string       `json:"labels"`
	PartnerReferentID   *int64         `json:"partner_referent_id"`
	PartnerReferentName string         `json:"partner_referent_name"`
	ContactName         string         `json:"contact_name"`
	ContactEmail        string         `json:"contact_email"`
	ContactPhone        string         `json:"contact_phone"`
	CreatedAt           time.Time      `json:"created_at"`
	UpdatedAt           time.Time      `json:"updated_at"`
	Editable            bool           `json:"editable"`
	ApplicationsByState map[string]int `json:"applications_by_state,omitempty"`
}

func (s *Server) employerJSON(ev empViewer, e employment.Employer) apiEmployer {
	out := apiEmployer{ID: e.StructureID, Name: e.Name, SIRET: e.SIRET, NAF: e.NAF, CommuneINSEE: e.CommuneINSEE, Address: e.Address,
		Size: e.Size, Labels: jsonList(e.Labels), PartnerReferentName: e.PartnerReferentName, ContactName: e.ContactName,
		ContactEmail: e.ContactEmail, ContactPhone: e.ContactPhone, CreatedAt: e.CreatedAt.UTC(), UpdatedAt: e.UpdatedAt.UTC(),
		Editable: ev.canEdit(e)}
	if c, ok := s.cfg.Referential.Commune(e.CommuneINSEE); ok {
		out.Commune = c.Name
	}
	if e.PartnerReferentID != 0 {
		id := e.PartnerReferentID
		out.PartnerReferentID = &id
	}
	return out
}

// employerInput is the body of POST and PATCH /api/v1/employers; every
// field optional in PATCH.
type employerInput struct {
	Name              *string   `json:"name"`
	SIRET             *string   `json:"siret"`
	NAF               *string   `json:"naf"`
	CommuneINSEE      *string   `json:"commune_insee"`
	Address           *string   `json:"address"`
	Size              *string   `json:"size"`
	Labels            *[]string `json:"labels"`
	PartnerReferentID *int64    `json:"partner_referent_id"`
	ContactName       *string   `json:"contact_name"`
	ContactEmail      *string   `json:"contact_email"`
	ContactPhone      *string   `json:"contact_phone"`
}

func (in employerInput) apply(e *employment.Employer) {
	for _, f := range []struct {
		dst *string
		v   *string
	}{{&e.Name, in.Name}, {&e.SIRET, in.SIRET}, {&e.NAF, in.NAF}, {&e.CommuneINSEE, in.CommuneINSEE}, {&e.Address, in.Address},
		{&e.Size, in.Size}, {&e.ContactName, in.ContactName}, {&e.ContactEmail, in.ContactEmail}, {&e.ContactPhone, in.ContactPhone}} {
		if f.v != nil {
			*f.dst = strings.TrimSpace(*f.v)
		}
	}
	e.CommuneINSEE = strings.ToUpper(e.CommuneINSEE)
	if in.Labels != nil {
		e.Labels = slices.Clone(*in.Labels)
	}
	if in.PartnerReferentID != nil {
		e.PartnerReferentID = *in.PartnerReferentID
	}
}

// writeEmployer answers with an employer, with its applications counted
// by state for those who may change it.
func (s *Server) writeEmployer(w http.ResponseWriter, r *http.Request, ev empViewer, status int, e employment.Employer) error {
	out := s.employerJSON(ev, e)
	if out.Editable {
		counts, err := s.applicationCounts(r.Context(), e.StructureID)
		if err != nil {
			return err
		}
		out.ApplicationsByState = map[string]int{}
		for _, c := range counts {
			out.ApplicationsByState[c.State] = c.N
		}
	}
	if status == http.StatusCreated {
		w.Header().Set("Location", "/api/v1/employers/"+strconv.FormatInt(e.StructureID, 10))
	}
	return writeJSON(w, status, out)
}

func (s *Server) apiEmployers(w http.ResponseWriter, r *http.Request) error {
	ev, err := s.employmentReader(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	commune := q.Get("commune_insee")
	if commune == "" {
		commune = q.Get("commune")
	}
	es, fs, err := s.visibleEmployers(r.Context(), ev, q.Get("q"), commune, q.Get("label"))
	if err != nil {
		return err
	}
	if err := fs.Err(); err != nil {
		return err
	}
	out := list[apiEmployer]{Items: []apiEmployer{}}
	for _, e := range es {
		out.Items = append(out.Items, s.employerJSON(ev, e))
	}
	return writeJSON(w, http.StatusOK, out)
}

func (s *Server) apiEmployer(w http.ResponseWriter, r *http.Request) error {
	ev, err := s.employmentReader(r)
	if err != nil {
		return err
	}
	e, err := s.employerOf(r, ev, "id")
	if err != nil {
		return err
	}
	return s.writeEmployer(w, r, ev, http.StatusOK, e)
}

func (s *Server) apiCreateEmployer(w http.ResponseWriter, r *http.Request) error {
	ev := s.employmentViewer(r)
	if !ev.canRegister() {
		return forbidden("Seuls les professionnels et les administrateurs du territoire ajoutent des employeurs partenaires.")
	}
	var in employerInput
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	var e employment.Employer
	in.apply(&e)
	if err := s.saveEmployerAs(r.Context(), ev, &e, employment.Employer{}, nil); err != nil {
		return err
	}
	e, err := s.store.Employer(r.Context(), e.StructureID)
	if err != nil {
		return err
	}
	return s.writeEmployer(w, r, ev, http.StatusCreated, e)
}

func (s *Server) apiPatchEmployer(w http.ResponseWriter, r *http.Request) error {
	ev, prev, err := s.editableEmployer(r)
	if err != nil {
		return err
	}
	var in employerInput
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	e := prev
	in.apply(&e)
	if err := s.saveEmployerAs(r.Context(), ev, &e, prev, nil); err != nil {
		return err
	}
	e, err = s.store.Employer(r.Context(), e.StructureID)
	if err != nil {
		return err
	}
	return s.writeEmployer(w, r, ev, http.StatusOK, e)
}

// --- API: offers ------------------------------------------------------------

// apiOffer is an offer in the JSON of the API.
type apiOffer struct {
	ID                int64      `json:"id"`
	EmployerID        int64      `json:"employer_id"`
	EmployerName      string     `json:"employer_name"`
	ExternalRef       string     `json:"external_ref"`
	Appellation       string     `json:"appellation"`
	AppellationLabel  string     `json:"appellation_label"`
	ROMECode          string     `json:"rome_code"`
	Title             string     `json:"title"`
	Description       string     `json:"description"`
	CommuneINSEE      string     `json:"commune_insee"`
	Commune           string     `json:"commune"`
	DistanceKm        *float64   `json:"distance_km,omitempty"`
	Contract          string     `json:"contract"`
	Immersion         bool       `json:"immersion"`
	WeeklyHours       int        `json:"weekly_hours"`
	Night             bool       `json:"night"`
	Weekend           bool       `json:"weekend"`
	StartOn           string     `json:"start_on,omitempty"`
	Positions         int        `json:"positions"`
	NeedsLicence      bool       `json:"needs_licence"`
	NeedsVehicle      bool       `json:"needs_vehicle"`
	TransitReachable  bool       `json:"transit_reachable"`
	DisabilityAdapted bool       `json:"disability_adapted"`
	Status            string     `json:"status"`
	CreatedAt         time.Time  `json:"created_at"`
	UpdatedAt         time.Time  `json:"updated_at"`
	PublishedAt       *time.Time `json:"published_at"`
}

func (s *Server) offerJSON(h offerHit) apiOffer {
	o := h.Offer
	out := apiOffer{ID: o.ID, EmployerID: o.EmployerID, EmployerName: o.EmployerName, ExternalRef: o.ExternalRef, Appellation: o.Appellation,
		ROMECode: o.ROMECode, Title: o.Title, Description: o.Description, CommuneINSEE: o.CommuneINSEE, Contract: string(o.Contract),
		Immersion: o.Immersion(), WeeklyHours: o.WeeklyHours, Night: o.Night, Weekend: o.Weekend, StartOn: formatDate(o.StartOn),
		Positions: o.Positions, NeedsLicence: o.NeedsLicence, NeedsVehicle: o.NeedsVehicle, TransitReachable: o.TransitReachable,
		DisabilityAdapted: o.DisabilityAdapted, Status: string(o.Status), CreatedAt: o.CreatedAt.UTC(), UpdatedAt: o.UpdatedAt.UTC(),
		PublishedAt: timePtr(o.PublishedAt)}
	if a, ok := s.cfg.Referential.Appellation(o.Appellation); ok {
		out.AppellationLabel = a.Label
	}
	if c, ok := s.cfg.Referential.Commune(o.CommuneINSEE); ok {
		out.Commune = c.Name
	}
	if h.km >= 0 {
		km := float64(int(h.km*10+0.5)) / 10
		out.DistanceKm = &km
	}
	return out
}

// offerInput is the body of POST and PATCH /api/v1/offers; every field
// optional in PATCH.
type offerInput struct {
	EmployerID        *int64  `json:"employer_id"`
	ExternalRef       *string `json:"external_ref"`
	Appellation       *string `json:"appellation"`
	Title             *string `json:"title"`
	Description       *string `json:"description"`
	CommuneINSEE      *string `json:"commune_insee"`
	Contract          *string `json:"contract"`
	WeeklyHours       *int    `json:"weekly_hours"`
	Night             *bool   `json:"night"`
	Weekend           *bool   `json:"weekend"`
	StartOn           *string `json:"start_on"`
	Positions         *int    `json:"positions"`
	NeedsLicence      *bool   `json:"needs_licence"`
	NeedsVehicle      *bool   `json:"needs_vehicle"`
	TransitReachable  *bool   `json:"transit_reachable"`
	DisabilityAdapted *bool   `json:"disability_adapted"`
	Status            *string `json:"status"`
}

func (in offerInput) apply(o *employment.Offer, fs *problem.Fields) {
	for _, f := range []struct {
		dst *string
		v   *string
	}{{&o.ExternalRef, in.ExternalRef}, {&o.Appellation, in.Appellation}, {&o.Title, in.Title}, {&o.Description, in.Description},
		{&o.CommuneINSEE, in.CommuneINSEE}} {
		if f.v != nil {
			*f.dst = strings.TrimSpace(*f.v)
		}
	}
	o.CommuneINSEE = strings.ToUpper(o.CommuneINSEE)
	for _, f := range []struct {
		dst *bool
		v   *bool
	}{{&o.Night, in.Night}, {&o.Weekend, in.Weekend}, {&o.NeedsLicence, in.NeedsLicence}, {&o.NeedsVehicle, in.NeedsVehicle},
		{&o.TransitReachable, in.TransitReachable}, {&o.DisabilityAdapted, in.DisabilityAdapted}} {
		if f.v != nil {
			*f.dst = *f.v
		}
	}
	if in.EmployerID != nil {
		o.EmployerID = *in.EmployerID
	}
	if in.Contract != nil {
		o.Contract = employment.ContractType(strings.TrimSpace(*in.Contract))
	}
	if in.Status != nil {
		o.Status = employment.OfferStatus(strings.TrimSpace(*in.Status))
	}
	if in.WeeklyHours != nil {
		o.WeeklyHours = *in.WeeklyHours
	}
	if in.Positions != nil {
		o.Positions = *in.Positions
	}
	if in.StartOn != nil {
		o.StartOn = parseDate(fs, "start_on", *in.StartOn)
	}
}

// apiOfferSearch reads the search of the offers' list and export.
func apiOfferSearch(r *http.Request) offerSearch {
	q := r.URL.Query()
	return offerSearch{Query: q.Get("q"), Commune: q.Get("commune"), Radius: q.Get("radius_km"), Contract: q.Get("contract"),
		Appellation: q.Get("appellation"), Status: q.Get("status"), EmployerID: q.Get("employer_id")}
}

func (s *Server) apiOffers(w http.ResponseWriter, r *http.Request) error {
	ev, err := s.employmentReader(r)
	if err != nil {
		return err
	}
	q, fs := s.readOfferSearch(ev, apiOfferSearch(r), "radius_km")
	limit, offset := offersAPILimit, 0
	if v := r.URL.Query().Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > searchMaxLimit {
			fs.Add("limit", "Nombre de résultats attendu : de 1 à "+strconv.Itoa(searchMaxLimit)+".")
		}
		limit = n
	}
	if v := r.URL.Query().Get("cursor"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			fs.Add("cursor", "Curseur invalide : reprenez la valeur next_cursor de la page précédente.")
		}
		offset = n
	}
	if err := fs.Err(); err != nil {
		return err
	}
	hits, total, err := s.findOffers(r.Context(), ev, q, offset, limit)
	if err != nil {
		return err
	}
	out := list[apiOffer]{Items: []apiOffer{}}
	for _, h := range hits {
		out.Items = append(out.Items, s.offerJSON(h))
	}
	if offset+len(hits) < total {
		out.NextCursor = strconv.Itoa(offset + len(hits))
	}
	return writeJSON(w, http.StatusOK, out)
}

func (s *Server) apiOffer(w http.ResponseWriter, r *http.Request) error {
	ev, err := s.employmentReader(r)
	if err != nil {
		return err
	}
	o, _, err := s.offerOf(r, ev, "id")
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, s.offerJSON(offerHit{Offer: o, km: -1}))
}

func (s *Server) apiCreateOffer(w http.ResponseWriter, r *http.Request) error {
	ev, err := s.employmentReader(r)
	if err != nil {
		return err
	}
	var in offerInput
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	var fs problem.Fields
	o := employment.Offer{Positions: 1, Status: employment.OfferOpen}
	if own := ev.own(); len(own) == 1 && !ev.seesOffers() {
		o.EmployerID = own[0]
	}
	in.apply(&o, &fs)
	if err := s.saveOfferAs(r.Context(), ev, &o, 0, fs); err != nil {
		return err
	}
	o, err = s.store.Offer(r.Context(), o.ID)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/offers/"+strconv.FormatInt(o.ID, 10))
	return writeJSON(w, http.StatusCreated, s.offerJSON(offerHit{Offer: o, km: -1}))
}

func (s *Server) apiPatchOffer(w http.ResponseWriter, r *http.Request) error {
	ev, prev, _, err := s.editableOffer(r)
	if err != nil {
		return err
	}
	var in offerInput
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	var fs problem.Fields
	o := prev
	in.apply(&o, &fs)
	if err := s.saveOfferAs(r.Context(), ev, &o, prev.EmployerID, fs); err != nil {
		return err
	}
	o, err = s.store.Offer(r.Context(), o.ID)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, s.offerJSON(offerHit{Offer: o, km: -1}))
}

func (s *Server) apiImportOffers(w http.ResponseWriter, r *http.Request) error {
	ev, es, err := s.offerImporter(r)
	if err != nil {
		return err
	}
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != "text/csv" {
		return invalid("Type de contenu attendu : text/csv (le fichier CSV des offres).")
	}
	var employerID int64
	switch v := r.URL.Query().Get("employer_id"); {
	case v != "":
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil || id <= 0 {
			return problem.InvalidFields("Employeur invalide.", problem.Field{Field: "employer_id", Message: "Identifiant d'employeur attendu : un nombre entier."})
		}
		employerID = id
	case len(es) == 1:
		employerID = es[0].StructureID
	default:
		return problem.InvalidFields("Employeur manquant.", problem.Field{Field: "employer_id", Message: "Précisez employer_id, l'employeur des offres."})
	}
	b, err := readBody(r)
	if err != nil {
		return err
	}
	created, updated, err := s.importOffers(r.Context(), ev, employerID, b)
	var fe *offerFileError
	if errors.As(err, &fe) {
		w.Header().Set("Content-Type", "application/problem+json")
		w.WriteHeader(http.StatusUnprocessableEntity)
		return json.NewEncoder(w).Encode(map[string]any{"type": "about:blank", "status": http.StatusUnprocessableEntity,
			"title": "Données invalides", "detail": fe.detail(), "errors": fe.Errors})
	}
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, map[string]int{"created": created, "updated": updated})
}

func (s *Server) apiExportOffers(w http.ResponseWriter, r *http.Request) error {
	ev, err := s.employmentReader(r)
	if err != nil {
		return err
	}
	q, fs := s.readOfferSearch(ev, apiOfferSearch(r), "radius_km")
	if err := fs.Err(); err != nil {
		return err
	}
	hits, _, err := s.findOffers(r.Context(), ev, q, 0, offersExportMax)
	if err != nil {
		return err
	}
	header := make([]string, len(offerCSVColumns))
	for i, c := range offerCSVColumns {
		header[i] = c.Name
	}
	return writeCSVFile(w, "offres-"+ev.t.Code+".csv", func(w io.Writer) error { return importer.WriteCSV(w, header, offerCSVRows(hits)) })
}

// --- API: applications ------------------------------------------------------

// apiApplication is an application in the JSON of the API. The employer
// reads the candidate (what the person agreed to share) and never the
// person's ID; the team reads the person's ID and names.
type apiApplication struct {
	ID            int64                 `json:"id"`
	OfferID       int64                 `json:"offer_id"`
	OfferTitle    string                `json:"offer_title"`
	EmployerID    int64                 `json:"employer_id"`
	EmployerName  string                `json:"employer_name"`
	PersonID      int64                 `json:"person_id,omitempty"`
	FirstName     string                `json:"first_name,omitempty"`
	LastName      string                `json:"last_name,omitempty"`
	State         string                `json:"state"`
	StateLabel    string                `json:"state_label"`
	RefusalReason string                `json:"refusal_reason,omitempty"`
	Answer        string                `json:"answer,omitempty"`
	HiredOn       string                `json:"hired_on,omitempty"`
	Message       string                `json:"message,omitempty"`
	Shares        []string              `json:"shares"`
	Actions       []string              `json:"actions,omitempty"`
	CreatedAt     time.Time             `json:"created_at"`
	UpdatedAt     time.Time             `json:"updated_at"`
	Candidate     *apiCandidate         `json:"candidate,omitempty"`
	Events        []apiApplicationEvent `json:"events,omitempty"`
}

// apiCandidate is what an employer reads of a candidate: the name and the
// target jobs, and only what the person agreed to share.
type apiCandidate struct {
	FirstName      string   `json:"first_name"`
	LastName       string   `json:"last_name"`
	TargetJobs     []apiJob `json:"target_jobs"`
	Shares         []string `json:"shares"`
	Phone          *string  `json:"phone,omitempty"`
	Email          *string  `json:"email,omitempty"`
	Experience     *string  `json:"experience,omitempty"`
	Skills         *string  `json:"skills,omitempty"`
	AvailableFrom  *string  `json:"available_from,omitempty"`
	HoursWanted    *int     `json:"hours_wanted,omitempty"`
	DrivingLicence *bool    `json:"driving_licence,omitempty"`
	Vehicle        *bool    `json:"vehicle,omitempty"`
}

type apiJob struct {
	Code     string `json:"code"`
	Label    string `json:"label"`
	ROMECode string `json:"rome_code"`
}

type apiApplicationEvent struct {
	At            time.Time `json:"at"`
	Action        string    `json:"action"`
	From          string    `json:"from"`
	To            string    `json:"to"`
	AccountName   string    `json:"account_name,omitempty"`
	RefusalReason string    `json:"refusal_reason,omitempty"`
}

func sharesJSON(shares []employment.Share) []string {
	out := make([]string, 0, len(shares))
	for _, sh := range shares {
		out = append(out, string(sh))
	}
	return out
}

func applicationJSON(a employment.Application, employer, named bool) apiApplication {
	out := apiApplication{ID: a.ID, OfferID: a.OfferID, OfferTitle: a.OfferTitle, EmployerID: a.EmployerID, EmployerName: a.EmployerName,
		State: string(a.State), StateLabel: a.State.Label(), RefusalReason: a.RefusalReason, Answer: a.Answer, HiredOn: formatDate(a.HiredOn),
		Message: a.Message, Shares: sharesJSON(a.Shares), CreatedAt: a.CreatedAt.UTC(), UpdatedAt: a.UpdatedAt.UTC()}
	if named {
		out.FirstName, out.LastName = a.PersonFirstName, a.PersonLastName
	}
	if employer {
		for _, act := range employment.Actions(a.State) {
			out.Actions = append(out.Actions, string(act))
		}
	} else if named {
		out.PersonID = a.PersonID
	}
	return out
}

func (s *Server) candidateJSON(c store.Candidate) *apiCandidate {
	out := &apiCandidate{FirstName: c.FirstName, LastName: c.LastName, TargetJobs: []apiJob{}, Shares: sharesJSON(c.Shares)}
	for _, code := range c.Appellations {
		j := apiJob{Code: code}
		if a, ok := s.cfg.Referential.Appellation(code); ok {
			j.Label, j.ROMECode = a.Label, a.ROMECode
		}
		out.TargetJobs = append(out.TargetJobs, j)
	}
	for _, sh := range c.Shares {
		switch sh {
		case employment.ShareContact:
			out.Phone, out.Email = &c.Phone, &c.Email
		case employment.ShareExperience:
			out.Experience, out.Skills = &c.Experience, &c.Skills
		case employment.ShareAvailable:
			from, hours := formatDate(c.AvailableFrom), c.HoursWanted
			out.AvailableFrom, out.HoursWanted = &from, &hours
		case employment.ShareLicence:
			out.DrivingLicence, out.Vehicle = &c.DrivingLicence, &c.Vehicle
		}
	}
	return out
}

func (s *Server) apiApplications(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	v := viewerOf(ctx)
	ev := s.employmentViewer(r)
	own, pro := ev.own(), access.Caseload(ev.av)
	if len(own) == 0 && !pro {
		return forbidden("Les candidatures sont suivies par les employeurs partenaires et par les professionnels qui accompagnent les personnes.")
	}
	qs := r.URL.Query()
	var fs problem.Fields
	var states []employment.ApplicationState
	if st := strings.TrimSpace(qs.Get("state")); st != "" {
		if optionLabel(employment.StateOptions, st) == st {
			fs.Add("state", "État attendu : new, processing, postponed, prior_to_hire, accepted, refused, cancelled, obsolete ou pool.")
		}
		states = []employment.ApplicationState{employment.ApplicationState(st)}
	}
	var offerID int64
	if v := qs.Get("offer_id"); v != "" {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil || id <= 0 {
			fs.Add("offer_id", "Identifiant d'offre attendu : un nombre entier.")
		}
		offerID = id
	}
	offset := 0
	if c := qs.Get("cursor"); c != "" {
		n, err := strconv.Atoi(c)
		if err != nil || n < 0 {
			fs.Add("cursor", "Curseur invalide : reprenez la valeur next_cursor de la page précédente.")
		}
		offset = n
	}
	if err := fs.Err(); err != nil {
		return err
	}
	var items []apiApplication
	seen := map[int64]bool{}
	for _, id := range own {
		apps, err := s.store.Applications(ctx, store.ApplicationFilter{EmployerID: id, OfferID: offerID, States: states, Limit: applicationsScan})
		if err != nil {
			return err
		}
		for _, a := range apps {
			seen[a.ID] = true
			items = append(items, applicationJSON(a, true, true))
		}
	}
	if pro {
		apps, err := s.followedApps(ctx, v, states)
		if err != nil {
			return err
		}
		readable := map[int64]bool{}
		for _, a := range apps {
			if seen[a.ID] || (offerID != 0 && a.OfferID != offerID) {
				continue
			}
			ok, known := readable[a.PersonID]
			if !known {
				rc, err := s.newRecord(ctx, v, a.PersonID)
				if err != nil {
					return err
				}
				ok = rc.can(person.SectionProject)
				readable[a.PersonID] = ok
			}
			items = append(items, applicationJSON(a, false, ok))
		}
	}
	out := list[apiApplication]{Items: []apiApplication{}}
	if offset < len(items) {
		end := min(len(items), offset+searchMaxLimit)
		out.Items = items[offset:end]
		if end < len(items) {
			out.NextCursor = strconv.Itoa(end)
		}
	}
	return writeJSON(w, http.StatusOK, out)
}

// applicationOut is the JSON of one application for the viewer: the
// candidate for the employer (the read is audited by the store), the
// history for both.
func (s *Server) applicationOut(ctx context.Context, av appView, candidate bool) (apiApplication, error) {
	out := applicationJSON(av.Application, av.employer, true)
	events, err := s.store.ApplicationEvents(ctx, av.ID)
	if err != nil {
		return out, err
	}
	for _, e := range events {
		ev := apiApplicationEvent{At: e.At.UTC(), Action: e.Action, From: string(e.From), To: string(e.To), AccountName: e.AccountName,
			RefusalReason: e.Reason}
		out.Events = append(out.Events, ev)
	}
	if av.employer && candidate {
		v := viewerOf(ctx)
		c, err := s.store.CandidateView(ctx, av.ID, store.Actor{AccountID: v.Account.ID, StructureID: av.EmployerID, At: s.now()})
		if err != nil {
			return out, err
		}
		out.Candidate = s.candidateJSON(c)
	}
	return out, nil
}

func (s *Server) apiApplication(w http.ResponseWriter, r *http.Request) error {
	av, err := s.loadApplication(r, "id")
	if err != nil {
		return err
	}
	out, err := s.applicationOut(r.Context(), av, true)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, out)
}

func (s *Server) apiTransitionApplication(w http.ResponseWriter, r *http.Request) error {
	av, err := s.loadApplication(r, "id")
	if err != nil {
		return err
	}
	var in transitionInput
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	a, err := s.transition(r, av, in)
	if err != nil {
		return err
	}
	av.Application = a
	out, err := s.applicationOut(r.Context(), av, false)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, out)
}
