package web

import (
	"errors"
	"fmt"
	"math"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/spie-parcours/parcours/internal/access"
	"github.com/spie-parcours/parcours/internal/audit"
	"github.com/spie-parcours/parcours/internal/employment"
	"github.com/spie-parcours/parcours/internal/matching"
	"github.com/spie-parcours/parcours/internal/person"
	"github.com/spie-parcours/parcours/internal/problem"
	"github.com/spie-parcours/parcours/internal/store"
)

// Matching both ways and the proposal of a person to an offer: the team
// finds the open offers that suit a person and proposes them to one, with
// their consent for this employer; the référent agrees that the person be
// found by the professionals looking for people for an offer, who see the
// names of their own people only and, for the others, whom to ask.

const (
	offersShown    = 20 // offers ranked for a person on the page
	peopleShown    = 50 // people ranked for an offer on the page
	maxMatches     = 200
	maxProposalMsg = 2000
)

// --- The ranking, for pages and the API ----------------------------------

// offerMatch is an offer ranked for a person, with the application of the
// person to it, if any is open.
type offerMatch struct {
	matching.Result
	Offer       employment.Offer
	Application *employment.Application
}

// rankOffers ranks the territory's open offers for the person of the
// record. The person's need of an adapted post counts only for a reader
// who may know of their health.
func (s *Server) rankOffers(r *http.Request, rc *record, n int) ([]offerMatch, employment.ProfileSource, error) {
	ctx := r.Context()
	src, err := s.store.ProfileSource(ctx, rc.p.ID)
	if err != nil {
		return nil, src, err
	}
	idx, err := s.matchingIndex(ctx, rc.p.TerritoryID)
	if err != nil {
		return nil, src, err
	}
	p := employment.ProfileOf(src, s.cfg.Referential, rc.can(person.SectionHealth))
	results := matching.TopOffers(s.cfg.Matching, p, idx.Offers(), s.now(), n)
	ids := make([]int64, len(results))
	for i, res := range results {
		ids[i] = res.ID
	}
	offers, err := s.store.OffersByID(ctx, ids)
	if err != nil {
		return nil, src, err
	}
	apps, err := s.openApplications(r, store.ApplicationFilter{PersonID: rc.p.ID}, func(a employment.Application) int64 { return a.OfferID })
	if err != nil {
		return nil, src, err
	}
	out := make([]offerMatch, 0, len(results))
	for _, res := range results {
		o, ok := offers[res.ID]
		if !ok || o.Status != employment.OfferOpen { // closed since the index read it
			continue
		}
		out = append(out, offerMatch{Result: res, Offer: o, Application: apps[res.ID]})
	}
	return out, src, nil
}

// openApplications returns the open applications the filter selects, by
// the key given (the offer, or the person).
func (s *Server) openApplications(r *http.Request, f store.ApplicationFilter, key func(employment.Application) int64) (map[int64]*employment.Application, error) {
	f.Limit = 1000
	apps, err := s.store.Applications(r.Context(), f)
	if err != nil {
		return nil, err
	}
	out := map[int64]*employment.Application{}
	for i := range apps {
		a := &apps[i]
		if a.State == employment.StateRefused || a.State == employment.StateCancelled || a.State == employment.StateObsolete {
			continue
		}
		if _, seen := out[key(*a)]; !seen {
			out[key(*a)] = a
		}
	}
	return out, nil
}

// personMatch is a person ranked for an offer. Name is set for the
// viewer's own people only; the others are shown by their référent.
type personMatch struct {
	matching.Result
	Named               bool
	FirstName, LastName string
	Referent            *person.TeamMember
	Application         *employment.Application
}

// rankPeople ranks for an open offer the people of the territory whose
// référent agreed to propose them, and audits that each was shown, named
// or not.
func (s *Server) rankPeople(r *http.Request, o employment.Offer, n int) ([]personMatch, error) {
	ctx := r.Context()
	v := viewerOf(ctx)
	idx, err := s.matchingIndex(ctx, o.TerritoryID)
	if err != nil {
		return nil, err
	}
	results := matching.TopPeople(s.cfg.Matching, employment.OfferOf(o, s.cfg.Referential), idx.Profiles(), s.now(), n)
	ids := make([]int64, len(results))
	for i, res := range results {
		ids[i] = res.ID
	}
	briefs, err := s.store.PeopleBriefs(ctx, ids)
	if err != nil {
		return nil, err
	}
	apps, err := s.openApplications(r, store.ApplicationFilter{OfferID: o.ID}, func(a employment.Application) int64 { return a.PersonID })
	if err != nil {
		return nil, err
	}
	set, err := s.settings(ctx, o.TerritoryID)
	if err != nil {
		return nil, err
	}
	av := accessViewer(v)
	out := make([]personMatch, 0, len(results))
	var entries []audit.Entry
	for _, res := range results {
		b, ok := briefs[res.ID]
		if !ok { // deleted since the index read them
			continue
		}
		pm := personMatch{Result: res}
		// Named to those who may read the record's identity (need to
		// know), shown by their référent to the others.
		d := access.Read(av, access.Record{PersonID: b.PersonID, TerritoryID: b.TerritoryID, Team: b.Team, Objection: b.Objection},
			person.SectionIdentity, set)
		if d.Allowed {
			pm.Named, pm.FirstName, pm.LastName, pm.Application = true, b.FirstName, b.LastName, apps[res.ID]
		}
		if ref, ok := b.Referent(); ok {
			pm.Referent = &ref
		}
		reason := "matching for an offer, not named: " + d.Reason
		if d.Allowed {
			reason = "matching for an offer, named: " + d.Reason
		}
		entries = append(entries, audit.Entry{At: s.now(), AccountID: v.Account.ID, StructureID: actingStructure(v, b.Team, o.TerritoryID),
			PersonID: res.ID, Section: string(person.SectionProject), Action: audit.ActionRead, Outcome: audit.Allowed, Reason: reason})
		out = append(out, pm)
	}
	if err := s.store.Audit(ctx, entries...); err != nil {
		return nil, err
	}
	return out, nil
}

// matchLimit reads the limit parameter of the API's rankings.
func matchLimit(r *http.Request, def int) (int, error) {
	v := r.URL.Query().Get("limit")
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > maxMatches {
		return 0, fieldErr("limit", "limit : un nombre de 1 à %d est attendu.", maxMatches)
	}
	return n, nil
}

// --- Proposing a person, and the référent's agreement ----------------------

// proposal is a professional's proposal of a person to an offer, from the
// page or the API.
type proposal struct {
	OfferID       int64    `json:"offer_id"`
	Consent       bool     `json:"consent"`
	ConsentMethod string   `json:"consent_method"`
	Shares        []string `json:"shares"`
	Message       string   `json:"message"`
}

// propose checks and records a proposal by a member of the person's team:
// the person's consent for this employer, how it was given, what they
// agreed to share, an open offer of their territory.
func (s *Server) propose(r *http.Request, rc *record, in proposal) (employment.Application, error) {
	var fs problem.Fields
	a := employment.Application{OfferID: in.OfferID, PersonID: rc.p.ID, ConsentMethod: strings.TrimSpace(in.ConsentMethod),
		Message: strings.TrimSpace(strings.ReplaceAll(in.Message, "\r\n", "\n"))}
	if in.OfferID <= 0 {
		fs.Add("offer_id", "Choisissez l'offre à laquelle proposer la personne.")
	}
	if !in.Consent {
		fs.Add("consent", "La personne doit avoir accepté que sa candidature soit transmise à cet employeur.")
	}
	if _, ok := person.ConsentMethods[a.ConsentMethod]; !ok {
		fs.Add("consent_method", "Indiquez comment la personne a donné son accord : "+optionList(person.ConsentMethodOptions)+".")
	}
	for _, sh := range in.Shares {
		if optionLabel(employment.ShareOptions, sh) == sh {
			fs.Add("shares", "Élément à partager inconnu : "+sh+". Attendus : "+optionCodes(employment.ShareOptions)+".")
			break
		}
		if !slices.Contains(a.Shares, employment.Share(sh)) {
			a.Shares = append(a.Shares, employment.Share(sh))
		}
	}
	if utf8.RuneCountInString(a.Message) > maxProposalMsg {
		fs.Add("message", fmt.Sprintf("Le message à l'employeur compte %d caractères au plus.", maxProposalMsg))
	}
	if err := fs.Err(); err != nil {
		return a, err
	}
	if in.OfferID > 0 {
		o, err := s.store.Offer(r.Context(), in.OfferID)
		if errors.Is(err, store.ErrNotFound) || (err == nil && o.TerritoryID != rc.p.TerritoryID) {
			return a, fieldErr("offer_id", "Cette offre n'existe pas sur le territoire de la personne.")
		}
		if err != nil {
			return a, err
		}
	}
	err := s.store.CreateApplication(r.Context(), &a, s.actor(rc), s.cfg.BaseURL)
	switch {
	case errors.Is(err, store.ErrOfferNotOpen):
		return a, problem.New(problem.Conflict, "L'offre n'est plus ouverte aux candidatures : elle est pourvue, fermée ou en brouillon.")
	case errors.Is(err, store.ErrConflict):
		return a, problem.New(problem.Conflict, "La personne est déjà proposée à cette offre : suivez sa candidature.")
	}
	return a, err
}

// optionList is the labels of options, for a message.
func optionList(list []person.Option) string {
	labels := make([]string, len(list))
	for i, o := range list {
		labels[i] = strings.ToLower(o.Label)
	}
	return strings.Join(labels, ", ")
}

// optionCodes is the codes of options, for a message.
func optionCodes(list []person.Option) string {
	codes := make([]string, len(list))
	for i, o := range list {
		codes[i] = o.Code
	}
	return strings.Join(codes, ", ")
}

// employmentProfile is the référent's agreement to propose the person to
// the offers of partner employers, and the contracts the person wants.
type employmentProfile struct {
	Proposable bool     `json:"proposable"`
	Contracts  []string `json:"contracts"`
}

// saveEmploymentProfile records the référent's agreement; only the
// référent gives it.
func (s *Server) saveEmploymentProfile(r *http.Request, rc *record, in employmentProfile) (employmentProfile, error) {
	if !rc.referent() {
		return in, forbidden("Seul le référent unique de la personne décide qu'elle peut être proposée aux offres des employeurs partenaires.")
	}
	var contracts []string
	for _, c := range in.Contracts {
		if optionLabel(employment.ContractOptions, c) == c {
			return in, fieldErr("contracts", "Contrat inconnu : %s. Attendus : %s.", c, optionCodes(employment.ContractOptions))
		}
		if !slices.Contains(contracts, c) {
			contracts = append(contracts, c)
		}
	}
	if err := s.store.SaveEmploymentProfile(r.Context(), rc.p.ID, in.Proposable, contracts, s.actor(rc)); err != nil {
		return in, err
	}
	return employmentProfile{Proposable: in.Proposable, Contracts: append([]string{}, contracts...)}, nil
}

// --- Pages -----------------------------------------------------------------

type offerMatchRow struct {
	offerRow
	Score                int
	Reasons              []string
	ApplicationID        int64
	StateLabel, StateCSS string
}

type personMatchesData struct {
	page
	ID             int64
	Name           string
	Jobs           []string // the project's target jobs
	Commune        string
	Results        []offerMatchRow
	Applications   []candidateRow
	Exits          []store.Exit
	CanPropose     bool
	Referent       bool
	Proposable     bool
	ProposableNote string
	Contracts      []fieldOption
	// The proposal form, for the offer chosen with ?proposer=.
	Proposal *proposalForm
	Fields   problem.Fields
	Alert    string
}

type proposalForm struct {
	Offer   offerRow
	Methods []fieldOption
	Shares  []fieldOption
	Message string
	Consent bool
}

func (s *Server) personMatchesPage(w http.ResponseWriter, r *http.Request) error {
	rc, err := s.loadRecord(r, person.SectionProject, "read")
	if err != nil {
		return err
	}
	data, err := s.personMatchesData(r, rc)
	if err != nil {
		return err
	}
	if v := r.URL.Query().Get("proposer"); v != "" && data.CanPropose {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return notFound("Cette offre n'existe pas ou n'est plus ouverte.")
		}
		if err := s.proposalData(r, rc, data, proposal{OfferID: id, ConsentMethod: "oral"}); err != nil {
			return err
		}
	}
	s.render(w, r, http.StatusOK, "person_offers", data)
	return nil
}

// proposalData sets the proposal form for the offer of in, which must be
// open and of the person's territory.
func (s *Server) proposalData(r *http.Request, rc *record, data *personMatchesData, in proposal) error {
	o, err := s.store.Offer(r.Context(), in.OfferID)
	if errors.Is(err, store.ErrNotFound) || (err == nil && (o.TerritoryID != rc.p.TerritoryID || o.Status != employment.OfferOpen)) {
		return notFound("Cette offre n'existe pas ou n'est plus ouverte.")
	}
	if err != nil {
		return err
	}
	f := &proposalForm{Offer: s.offerRow(offerHit{Offer: o, km: -1}), Message: in.Message, Consent: in.Consent,
		Methods: options(person.ConsentMethodOptions, "", in.ConsentMethod)[1:]}
	for _, o := range employment.ShareOptions {
		f.Shares = append(f.Shares, fieldOption{Value: o.Code, Label: o.Label, Selected: slices.Contains(in.Shares, o.Code)})
	}
	data.Proposal = f
	return nil
}

func (s *Server) personMatchesData(r *http.Request, rc *record) (*personMatchesData, error) {
	ctx := r.Context()
	name := rc.p.FirstName + " " + rc.p.LastName
	data := &personMatchesData{page: s.page(r, "Offres pour "+name), ID: rc.p.ID, Name: name,
		CanPropose: rc.canWrite(person.SectionProject), Referent: rc.referent()}
	matches, src, err := s.rankOffers(r, rc, offersShown)
	if err != nil {
		return nil, err
	}
	for _, code := range src.Appellations {
		data.Jobs = append(data.Jobs, s.jobLabel(code))
	}
	if c, ok := s.cfg.Referential.Commune(src.CommuneINSEE); ok {
		data.Commune = c.Name
	}
	for _, m := range matches {
		km := -1.0
		if m.HasDistance {
			km = m.DistanceKm
		}
		row := offerMatchRow{offerRow: s.offerRow(offerHit{Offer: m.Offer, km: km}), Score: int(math.Round(m.Score)), Reasons: m.Reasons}
		if a := m.Application; a != nil {
			row.ApplicationID, row.StateLabel, row.StateCSS = a.ID, a.State.Label(), stateBadge(a.State)
		}
		data.Results = append(data.Results, row)
	}
	data.Proposable = src.Proposable
	switch {
	case src.Proposable:
		data.ProposableNote = "Les professionnels qui cherchent des candidats pour une offre peuvent trouver la personne ; ils voient son référent, pas son nom."
	case !rc.p.ObjectionAt.IsZero():
		data.ProposableNote = "La personne s'est opposée au partage de son dossier : elle n'est pas proposée aux professionnels qui cherchent des candidats."
	default:
		data.ProposableNote = "Les professionnels qui cherchent des candidats pour une offre ne trouvent pas la personne."
	}
	for _, o := range employment.ContractOptions {
		data.Contracts = append(data.Contracts, fieldOption{Value: o.Code, Label: o.Label, Selected: slices.Contains(src.Contracts, o.Code)})
	}
	apps, err := s.store.Applications(ctx, store.ApplicationFilter{PersonID: rc.p.ID, Limit: 100})
	if err != nil {
		return nil, err
	}
	for _, a := range apps {
		data.Applications = append(data.Applications, s.candidateRow(a, false))
	}
	if data.Exits, err = s.store.Exits(ctx, rc.p.ID); err != nil {
		return nil, err
	}
	return data, nil
}

func (s *Server) proposePage(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	rc, err := s.loadRecord(r, person.SectionProject, "create")
	if err != nil {
		return err
	}
	in := proposal{Consent: r.PostFormValue("consent") == "1", ConsentMethod: r.PostFormValue("consent_method"),
		Shares: r.PostForm["share"], Message: r.PostFormValue("message")}
	in.OfferID, _ = strconv.ParseInt(r.PostFormValue("offer_id"), 10, 64)
	if _, err := s.propose(r, rc, in); err != nil {
		p, ok := problem.As(err)
		if !ok || (p.Kind != problem.Invalid && p.Kind != problem.Conflict) {
			return err
		}
		data, derr := s.personMatchesData(r, rc)
		if derr != nil {
			return derr
		}
		if in.OfferID > 0 {
			if derr := s.proposalData(r, rc, data, in); derr != nil && p.Kind != problem.Conflict {
				return derr
			}
		}
		data.Fields = p.Fields
		switch {
		case len(p.Fields) == 0:
			data.Alert = p.Detail
		case data.Proposal == nil:
			data.Alert = p.Fields[0].Message
		}
		s.render(w, r, kinds[p.Kind].status, "person_offers", data)
		return nil
	}
	s.redirectWithFlash(w, r, "/personnes/"+strconv.FormatInt(rc.p.ID, 10)+"/offres", "application-proposed")
	return nil
}

func (s *Server) employmentProfilePage(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	rc, err := s.loadRecord(r, person.SectionProject, "update")
	if err != nil {
		return err
	}
	in := employmentProfile{Proposable: r.PostFormValue("proposable") == "1", Contracts: r.PostForm["contract"]}
	if _, err := s.saveEmploymentProfile(r, rc, in); err != nil {
		return err
	}
	s.redirectWithFlash(w, r, "/personnes/"+strconv.FormatInt(rc.p.ID, 10)+"/offres", "employment-profile-saved")
	return nil
}

type personMatchRow struct {
	PersonID            int64
	Named               bool
	Name                string
	Score               int
	Reasons             []string
	Distance            string
	Referent, Structure string
	ReferentEmail       string
	StateLabel          string
	StateCSS            string
	ApplicationID       int64
}

type offerPeopleData struct {
	page
	O       offerRow
	OfferID int64
	Open    bool
	Results []personMatchRow
	Hidden  int // people ranked but not followed by the viewer
}

// matchingOffer returns the offer of the path for a professional of its
// territory (never an employer's contact: it sees its candidates only).
func (s *Server) matchingOffer(r *http.Request) (employment.Offer, error) {
	ev := s.employmentViewer(r)
	if !ev.seesOffers() {
		return employment.Offer{}, errUnknownOffer
	}
	o, _, err := s.offerOf(r, ev, "id")
	return o, err
}

func (s *Server) offerMatchesPage(w http.ResponseWriter, r *http.Request) error {
	o, err := s.matchingOffer(r)
	if err != nil {
		return err
	}
	data := &offerPeopleData{page: s.page(r, "Candidats possibles — "+o.Title), O: s.offerRow(offerHit{Offer: o, km: -1}),
		OfferID: o.ID, Open: o.Status == employment.OfferOpen}
	if data.Open {
		matches, err := s.rankPeople(r, o, peopleShown)
		if err != nil {
			return err
		}
		for _, m := range matches {
			row := personMatchRow{PersonID: m.ID, Named: m.Named, Score: int(math.Round(m.Score)), Reasons: m.Reasons}
			if m.HasDistance {
				row.Distance = distanceText(m.DistanceKm)
			}
			if m.Named {
				row.Name = m.FirstName + " " + m.LastName
			} else {
				data.Hidden++
			}
			if m.Referent != nil {
				row.Referent, row.Structure, row.ReferentEmail = m.Referent.AccountName, m.Referent.StructureName, m.Referent.AccountEmail
			}
			if m.Application != nil {
				row.ApplicationID, row.StateLabel, row.StateCSS = m.Application.ID, m.Application.State.Label(), stateBadge(m.Application.State)
			}
			data.Results = append(data.Results, row)
		}
	}
	s.render(w, r, http.StatusOK, "offer_people", data)
	return nil
}

// --- API ---------------------------------------------------------------------

type apiOfferMatch struct {
	Offer         apiOffer `json:"offer"`
	Score         float64  `json:"score"`
	Reasons       []string `json:"reasons"`
	DistanceKm    *float64 `json:"distance_km,omitempty"`
	ApplicationID int64    `json:"application_id,omitempty"`
	State         string   `json:"application_state,omitempty"`
}

func (s *Server) apiPersonMatches(w http.ResponseWriter, r *http.Request) error {
	n, err := matchLimit(r, offersShown)
	if err != nil {
		return err
	}
	rc, err := s.loadRecord(r, person.SectionProject, "read")
	if err != nil {
		return err
	}
	matches, _, err := s.rankOffers(r, rc, n)
	if err != nil {
		return err
	}
	out := make([]apiOfferMatch, 0, len(matches))
	for _, m := range matches {
		km := -1.0
		if m.HasDistance {
			km = m.DistanceKm
		}
		am := apiOfferMatch{Offer: s.offerJSON(offerHit{Offer: m.Offer, km: km}), Score: roundScore(m.Score), Reasons: m.Reasons,
			DistanceKm: resultKm(m.Result)}
		if m.Application != nil {
			am.ApplicationID, am.State = m.Application.ID, string(m.Application.State)
		}
		out = append(out, am)
	}
	return writeJSON(w, http.StatusOK, map[string]any{"person_id": rc.p.ID, "results": out})
}

func roundScore(x float64) float64 { return math.Round(x*10) / 10 }

// resultKm is the distance of a result, rounded, when both places are
// known.
func resultKm(res matching.Result) *float64 {
	if !res.HasDistance {
		return nil
	}
	return distancePtr(res.DistanceKm)
}

// fieldErr is the error of one invalid field.
func fieldErr(field, format string, args ...any) error {
	var fs problem.Fields
	fs.Add(field, fmt.Sprintf(format, args...))
	return fs.Err()
}

type apiPersonMatch struct {
	PersonID      int64        `json:"person_id"`
	Named         bool         `json:"named"`
	FirstName     string       `json:"first_name,omitempty"`
	LastName      string       `json:"last_name,omitempty"`
	Score         float64      `json:"score"`
	Reasons       []string     `json:"reasons"`
	DistanceKm    *float64     `json:"distance_km,omitempty"`
	Referent      *apiReferent `json:"referent,omitempty"`
	ApplicationID int64        `json:"application_id,omitempty"`
	State         string       `json:"application_state,omitempty"`
}

type apiReferent struct {
	Name      string `json:"name"`
	Email     string `json:"email"`
	Structure string `json:"structure"`
}

func (s *Server) apiOfferMatches(w http.ResponseWriter, r *http.Request) error {
	n, err := matchLimit(r, peopleShown)
	if err != nil {
		return err
	}
	o, err := s.matchingOffer(r)
	if err != nil {
		return err
	}
	if o.Status != employment.OfferOpen {
		return problem.New(problem.Conflict, "L'offre n'est pas ouverte : seules les offres ouvertes sont rapprochées des personnes.")
	}
	matches, err := s.rankPeople(r, o, n)
	if err != nil {
		return err
	}
	out := make([]apiPersonMatch, 0, len(matches))
	for _, m := range matches {
		pm := apiPersonMatch{PersonID: m.ID, Named: m.Named, FirstName: m.FirstName, LastName: m.LastName, Score: roundScore(m.Score),
			Reasons: m.Reasons, DistanceKm: resultKm(m.Result)}
		if m.Referent != nil {
			pm.Referent = &apiReferent{Name: m.Referent.AccountName, Email: m.Referent.AccountEmail, Structure: m.Referent.StructureName}
		}
		if m.Application != nil {
			pm.ApplicationID, pm.State = m.Application.ID, string(m.Application.State)
		}
		out = append(out, pm)
	}
	return writeJSON(w, http.StatusOK, map[string]any{"offer_id": o.ID, "results": out})
}

func (s *Server) apiPutEmploymentProfile(w http.ResponseWriter, r *http.Request) error {
	var in employmentProfile
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	rc, err := s.loadRecord(r, person.SectionProject, "update")
	if err != nil {
		return err
	}
	out, err := s.saveEmploymentProfile(r, rc, in)
	if err != nil {
		return err
	}
	if out.Contracts == nil {
		out.Contracts = []string{}
	}
	return writeJSON(w, http.StatusOK, map[string]any{"person_id": rc.p.ID, "proposable": out.Proposable, "contracts": out.Contracts})
}

func (s *Server) apiCreateApplication(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		PersonID int64 `json:"person_id"`
		proposal
	}
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	r.SetPathValue("id", strconv.FormatInt(in.PersonID, 10))
	rc, err := s.loadRecord(r, person.SectionProject, "create")
	if err != nil {
		return err
	}
	a, err := s.propose(r, rc, in.proposal)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, applicationJSON(a, false, true))
}
