package main

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/spie-parcours/parcours/internal/account"
	"github.com/spie-parcours/parcours/internal/demo"
	"github.com/spie-parcours/parcours/internal/employment"
	"github.com/spie-parcours/parcours/internal/person"
	"github.com/spie-parcours/parcours/internal/referential"
	"github.com/spie-parcours/parcours/internal/store"
	"github.com/spie-parcours/parcours/internal/territory"
)

// The demo's job market: the partner employers of demo.Employers with a
// référent of the consortium for each partnership, their offers and
// immersions (demo.Offers), the followed people their référents agreed to
// propose, and a dozen applications at every stage of Les emplois'
// workflow, proposed by the référents to offers of the person's project.
// No message is written: the demo's past was never sent.

// demoProposable is the share of the followed demo people, in fifths,
// their référent agreed to propose to the partners' offers.
const demoProposable = 3

// seedEmployment gives the demo territory its partner employers, their
// offers and immersions, the people who may be proposed to them, and a
// history of applications. It does nothing when the territory has
// employers beyond the consortium's, or offers.
func seedEmployment(ctx context.Context, st *store.Store, ref *referential.Referential, t territory.Territory) error {
	if err := seedJobs(ctx, st, ref, t); err != nil {
		return fmt.Errorf("emploi de démonstration : %w", err)
	}
	return nil
}

// seedJobs writes what seedEmployment describes.
func seedJobs(ctx context.Context, st *store.Store, ref *referential.Referential, t territory.Territory) error {
	have, err := st.Employers(ctx, t.ID)
	if err != nil {
		return err
	}
	consortium := map[string]bool{}
	for _, s := range demo.Structures {
		if s.Kind == territory.KindEmployer {
			consortium[s.Name] = true
		}
	}
	for _, e := range have {
		if !consortium[e.Name] {
			return nil
		}
	}
	if _, n, err := st.Offers(ctx, store.OfferFilter{TerritoryID: t.ID, Limit: 1}); err != nil || n > 0 {
		return err
	}
	s := &jobSeeder{st: st, ref: ref, t: t, now: time.Now().UTC(), employers: map[string]employment.Employer{}}
	if err := s.accounts(ctx); err != nil {
		return err
	}
	if err := s.saveEmployers(ctx); err != nil {
		return fmt.Errorf("employeurs : %w", err)
	}
	if err := s.saveOffers(ctx); err != nil {
		return fmt.Errorf("offres : %w", err)
	}
	people, err := s.profiles(ctx)
	if err != nil {
		return fmt.Errorf("personnes proposables : %w", err)
	}
	if err := s.applications(ctx, people); err != nil {
		return fmt.Errorf("candidatures : %w", err)
	}
	return nil
}

// jobSeeder writes the demo's job market.
type jobSeeder struct {
	st  *store.Store
	ref *referential.Referential
	t   territory.Territory
	now time.Time

	admin store.Actor
	// pros are the demo professionals by e-mail, acting in their
	// structure.
	pros      map[string]store.Actor
	contact   store.Actor // the employer contact of the consortium
	employers map[string]employment.Employer
	offers    []employment.Offer
}

// accounts finds the demo administrator, professionals and employer
// contact.
func (s *jobSeeder) accounts(ctx context.Context) error {
	var err error
	if s.admin, err = adminActor(ctx, s.st, s.t); err != nil {
		return err
	}
	s.pros = map[string]store.Actor{}
	for _, m := range demo.Members {
		a, err := s.st.AccountByEmail(ctx, m.Email)
		if err != nil {
			return err
		}
		for _, ms := range a.Memberships {
			if ms.TerritoryID != s.t.ID {
				continue
			}
			switch ms.Role {
			case account.RoleProfessional:
				s.pros[m.Email] = store.Actor{AccountID: a.ID, StructureID: ms.StructureID}
			case account.RoleEmployerContact:
				s.contact = store.Actor{AccountID: a.ID, StructureID: ms.StructureID}
			}
		}
	}
	if len(s.pros) == 0 {
		return fmt.Errorf("aucun professionnel de démonstration")
	}
	return nil
}

// partnerReferents are the professionals in charge of partnerships, in
// turn: France Travail and the Département most often.
var partnerReferents = []string{"conseiller@francetravail.example", "referent@cd90.example", "conseiller@missionlocale.example",
	"conseiller@francetravail.example", "accompagnant@association.example", "referent@cd90.example",
	"travailleur.social@ccas-belfort.example"}

// saveEmployers creates the demo employers, or completes the consortium's
// employer structures, each with the référent of its partnership: Cap
// emploi for the adapted company, the Département for the SIAE, the others
// in turn. They joined over the last year.
func (s *jobSeeder) saveEmployers(ctx context.Context) error {
	emps := demo.Employers()
	for i, e := range emps {
		referent := partnerReferents[i%len(partnerReferents)]
		switch {
		case slices.Contains(e.Labels, "ea"):
			referent = "conseiller@capemploi.example"
		case slices.Contains(e.Labels, "siae"):
			referent = "referent@cd90.example"
		}
		e.TerritoryID, e.PartnerReferentID = s.t.ID, s.pros[referent].AccountID
		if got, err := s.st.StructureByName(ctx, s.t.ID, e.Name); err == nil {
			if got.Kind != territory.KindEmployer {
				return fmt.Errorf("%q n'est pas un employeur", e.Name)
			}
			e.StructureID = got.ID
		}
		if fs := employment.ValidateEmployer(s.ref, e); len(fs) > 0 {
			return fmt.Errorf("%q : %v", e.Name, fs)
		}
		by := s.admin
		by.At = s.now.Add(-time.Duration(360-i*5) * demoDay)
		if err := s.st.SaveEmployer(ctx, &e, by); err != nil {
			return fmt.Errorf("%q : %w", e.Name, err)
		}
		s.employers[e.Name] = e
	}
	return nil
}

// saveOffers writes the offers of the demo employers in four imports, by
// how long ago they were published: the ones that started weeks ago
// first, the ones to start next month last. An offer takes the ROME fiche
// of its appellation and the centre of its commune, moved a few hundred
// metres by employer so that a map does not pile them up.
func (s *jobSeeder) saveOffers(ctx context.Context) error {
	today := demoDate(s.now)
	spread := map[string]int{}
	batches := map[int][]employment.Offer{}
	for _, o := range demo.Offers(s.now) {
		e, ok := s.employers[o.EmployerName]
		if !ok {
			continue // an employer left out
		}
		o.EmployerID, o.TerritoryID = e.StructureID, s.t.ID
		a, _ := s.ref.Appellation(o.Appellation)
		o.ROMECode = a.ROMECode
		if c, ok := s.ref.Commune(o.CommuneINSEE); ok {
			if _, seen := spread[o.EmployerName]; !seen {
				spread[o.EmployerName] = len(spread)
			}
			i := spread[o.EmployerName]
			o.Lat, o.Lon = c.Lat+float64(i%7-3)*0.002, c.Lon+float64((i/7)%7-3)*0.003
		}
		if fs := employment.ValidateOffer(s.ref, o); len(fs) > 0 {
			return fmt.Errorf("offre %s (%s) : %v", o.ExternalRef, o.Title, fs)
		}
		// Days before now it was published.
		var ago int
		switch days := int(o.StartOn.Sub(today) / demoDay); {
		case days < -5:
			ago = 50
		case days < 10:
			ago = 35
		case days < 30:
			ago = 14
		default:
			ago = 4
		}
		batches[ago] = append(batches[ago], o)
	}
	for _, ago := range []int{50, 35, 14, 4} {
		by := s.admin
		by.At = s.now.Add(-time.Duration(ago) * demoDay)
		if _, _, err := s.st.ImportOffers(ctx, s.t.ID, batches[ago], by); err != nil {
			return err
		}
		s.offers = append(s.offers, batches[ago]...)
	}
	return nil
}

// jobPerson is a followed demo person whom their référent may propose.
type jobPerson struct {
	id       int64
	referent store.Actor
	rome     string // the ROME fiche of the first target job
	// seeking reports an employment objective in progress in the plan,
	// which a hire reaches.
	seeking bool
}

// demoContracts are the contracts the proposable people want, in turn
// (none: any contract).
var demoContracts = [][]string{
	nil,
	{"cdi", "cdd", "interim"},
	{"cdi", "cdd", "cddi", "pmsmp"},
	nil,
	{"cdi", "apprentissage", "professionnalisation", "pmsmp"},
}

// profiles marks three in five of the followed demo people whose project
// names a target job as proposable to the partners' offers, by their
// référent, a month or two ago, and returns them.
func (s *jobSeeder) profiles(ctx context.Context) ([]jobPerson, error) {
	ids, err := s.st.PersonIDs(ctx, s.t.ID, demoRecords)
	if err != nil {
		return nil, err
	}
	var out []jobPerson
	n := 0 // the followed people with a target job
	for _, id := range ids {
		team, err := s.st.Team(ctx, id)
		if err != nil {
			return nil, err
		}
		var p jobPerson
		for _, m := range team {
			if m.Referent && m.Active() {
				p.referent = store.Actor{AccountID: m.AccountID, StructureID: m.StructureID}
			}
		}
		if p.referent.AccountID == 0 {
			continue
		}
		pr, err := s.st.Project(ctx, id)
		if err != nil {
			return nil, err
		}
		if len(pr.TargetJobs) == 0 {
			continue
		}
		n++
		// Three in five, shifted every five people so that every target
		// job of the demo records (which turn over five) has some.
		if (n-1+(n-1)/5)%5 >= demoProposable {
			continue
		}
		p.id = id
		if a, ok := s.ref.Appellation(pr.TargetJobs[0]); ok {
			p.rome = a.ROMECode
		}
		by := p.referent
		by.At = s.now.Add(-time.Duration(40+n%20) * demoDay)
		if err := s.st.SaveEmploymentProfile(ctx, id, true, demoContracts[n%len(demoContracts)], by); err != nil {
			return nil, err
		}
		plan, err := s.st.Plan(ctx, id)
		if err != nil {
			return nil, err
		}
		p.seeking = slices.ContainsFunc(plan, func(o person.Objective) bool {
			return o.Theme == demoJobObjective.ThemeCode && o.Status == person.ObjectiveInProgress
		})
		out = append(out, p)
	}
	return out, nil
}

// jobStep is a transition of a demo application, days after it was
// proposed.
type jobStep struct {
	action employment.Action
	days   float64
	reason string // the refusal reason
	answer string
}

// jobStory is the history of a demo application: proposed days ago, then
// its steps. seeking asks for a person whose plan has an employment
// objective (a hire reaches it); hired is the hire date, days from now.
type jobStory struct {
	days    int
	steps   []jobStep
	seeking bool
	hired   int
}

// jobStories are the demo's applications: three new, two being studied,
// one postponed, two before the hire, two hires (one started last week,
// one to start soon), two refusals and one kept in the pool. The first
// hire's person was also proposed elsewhere: that application becomes
// obsolete.
var jobStories = []jobStory{
	{days: 2},
	{days: 6},
	{days: 11},
	{days: 12, steps: []jobStep{{employment.ActionProcess, 2, "", ""}}},
	{days: 20, steps: []jobStep{{employment.ActionProcess, 1, "", "Entretien prévu la semaine prochaine."}}},
	{days: 24, steps: []jobStep{{employment.ActionProcess, 2, "", ""}, {employment.ActionPostpone, 6, "", "Recrutement suspendu jusqu'à la fin du mois, nous revenons vers vous."}}},
	{days: 18, steps: []jobStep{{employment.ActionProcess, 1, "", ""}, {employment.ActionPriorToHire, 6, "", "Visite médicale et formation sécurité avant l'embauche."}}},
	{days: 26, steps: []jobStep{{employment.ActionPriorToHire, 5, "", "Immersion d'une semaine avant la signature du contrat."}}},
	{days: 30, seeking: true, hired: -7, steps: []jobStep{{employment.ActionProcess, 2, "", ""}, {employment.ActionPriorToHire, 8, "", ""},
		{employment.ActionAccept, 14, "", "Bienvenue dans l'équipe : prise de poste le lundi à 8 h."}}},
	{days: 21, seeking: true, hired: 5, steps: []jobStep{{employment.ActionProcess, 3, "", ""},
		{employment.ActionAccept, 12, "", "Contrat signé, démarrage dans quelques jours."}}},
	{days: 28, steps: []jobStep{{employment.ActionProcess, 3, "", ""},
		{employment.ActionRefuse, 9, "lacking_skills", "Le poste demande une première expérience en atelier ; une immersion pourrait aider."}}},
	{days: 16, steps: []jobStep{{employment.ActionRefuse, 6, "did_not_come_to_interview", "La personne ne s'est pas présentée à l'entretien du mardi."}}},
	{days: 25, steps: []jobStep{{employment.ActionProcess, 2, "", ""},
		{employment.ActionAddToPool, 7, "", "Profil intéressant : nous le gardons pour le prochain pic d'activité."}}},
}

// demoShares are the items the people agreed to share, in turn.
var demoShares = [][]employment.Share{
	{employment.ShareContact, employment.ShareExperience, employment.ShareAvailable},
	{employment.ShareContact, employment.ShareExperience, employment.ShareAvailable, employment.ShareLicence},
	{employment.ShareContact, employment.ShareAvailable},
	{employment.ShareExperience, employment.ShareAvailable},
}

// demoConsentMethods are the ways the consent was collected, in turn.
var demoConsentMethods = []string{"oral", "written", "digital"}

// applications writes jobStories: each person proposed by their référent
// to an open job of their project's ROME fiche (the consortium's employers
// first, each offer once), published before, with their consent; the
// employer answering in its account when it has one, else through the
// référent of the partnership.
func (s *jobSeeder) applications(ctx context.Context, people []jobPerson) error {
	// The offers people may be proposed to, the consortium's first.
	offers := slices.Clone(s.offers)
	first := func(o employment.Offer) int {
		if o.EmployerID == s.contact.StructureID {
			return 0
		}
		return 1
	}
	slices.SortStableFunc(offers, func(a, b employment.Offer) int { return cmp.Compare(first(a), first(b)) })
	usedOffer, usedPerson := map[int64]bool{}, map[int64]bool{}
	// offersFor returns the first n unused open jobs of the person's
	// ROME fiche published the day before created, or none.
	offersFor := func(p jobPerson, created time.Time, n int) []employment.Offer {
		var out []employment.Offer
		for _, o := range offers {
			if !usedOffer[o.ID] && o.Status == employment.OfferOpen && !o.Immersion() && o.ROMECode == p.rome &&
				o.PublishedAt.Before(created.Add(-demoDay)) {
				if out = append(out, o); len(out) == n {
					return out
				}
			}
		}
		return nil
	}
	for k, story := range jobStories {
		created := s.now.Add(-time.Duration(story.days)*demoDay - time.Duration(k%5)*time.Hour)
		// The first hired person was also proposed elsewhere, the next
		// day: that application becomes obsolete with the hire.
		n := 1
		if story.hired < 0 {
			n = 2
		}
		for _, p := range people {
			if usedPerson[p.id] || story.seeking && !p.seeking {
				continue
			}
			picked := offersFor(p, created, n)
			if picked == nil {
				continue
			}
			usedPerson[p.id] = true
			var a *employment.Application
			for i, o := range picked {
				usedOffer[o.ID] = true
				b, err := s.propose(ctx, k+i, p, o, created.Add(time.Duration(i)*demoDay))
				if err != nil {
					return err
				}
				if i == 0 {
					a = b
				}
			}
			if err := s.move(ctx, story, a, picked[0], created); err != nil {
				return err
			}
			break
		}
	}
	return nil
}

// propose proposes person p to offer o at created, by their référent,
// with their consent.
func (s *jobSeeder) propose(ctx context.Context, k int, p jobPerson, o employment.Offer, created time.Time) (*employment.Application, error) {
	by := p.referent
	by.At = created
	a := &employment.Application{OfferID: o.ID, PersonID: p.id, Shares: demoShares[k%len(demoShares)],
		ConsentAt: created.Add(-time.Duration(1+k%3) * time.Hour), ConsentMethod: demoConsentMethods[k%len(demoConsentMethods)],
		Message: demoApplicationMessage(k, o.Title)}
	if err := s.st.CreateApplication(ctx, a, by, ""); err != nil {
		return nil, fmt.Errorf("%s : %w", o.Title, err)
	}
	return a, nil
}

// move applies the story's steps to application a of offer o, proposed
// at created: by the employer's contact in their account when the
// employer has one, else by the référent of the partnership, who records
// the employer's answers.
func (s *jobSeeder) move(ctx context.Context, story jobStory, a *employment.Application, o employment.Offer, created time.Time) error {
	employer := s.contact
	if o.EmployerID != s.contact.StructureID || s.contact.AccountID == 0 {
		e := s.employers[o.EmployerName]
		employer = store.Actor{AccountID: e.PartnerReferentID}
		for _, pro := range s.pros {
			if pro.AccountID == e.PartnerReferentID {
				employer = pro
			}
		}
	}
	for _, step := range story.steps {
		by := employer
		by.At = demoLater(created, step.days, s.now)
		var hired time.Time
		if step.action == employment.ActionAccept {
			hired = demoDate(s.now.Add(time.Duration(story.hired) * demoDay))
		}
		if _, err := s.st.TransitionApplication(ctx, a.ID, step.action, step.reason, step.answer, hired, by, ""); err != nil {
			return fmt.Errorf("%s, %s : %w", o.Title, step.action, err)
		}
	}
	return nil
}

// demoApplicationMessage is what the référent tells the employer, without
// any diagnostic.
func demoApplicationMessage(k int, title string) string {
	switch k % 3 {
	case 0:
		return "Je vous propose une personne que j'accompagne, motivée par le poste « " + title + " » et disponible rapidement."
	case 1:
		return "Candidature travaillée ensemble lors de notre dernier entretien ; la personne peut venir à un entretien en semaine."
	default:
		return "La personne a déjà une expérience proche de ce poste et souhaite reprendre une activité près de chez elle."
	}
}
