package web

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/spie-parcours/parcours/internal/access"
	"github.com/spie-parcours/parcours/internal/account"
	"github.com/spie-parcours/parcours/internal/directory"
	"github.com/spie-parcours/parcours/internal/person"
	"github.com/spie-parcours/parcours/internal/problem"
	"github.com/spie-parcours/parcours/internal/referential"
	"github.com/spie-parcours/parcours/internal/store"
)

// Referrals (adressages) of a person to a service. Two sides read them:
// the person's team, through the plan (access.Read on the plan and the
// referral's section), and the receiving structure (access.AnswerReferral),
// which sees what the referral needs — the person's name and contact, the
// motive, the sender — and never the record.

var errUnknownReferral = notFound("Cet adressage n'existe pas, ou ne vous est pas accessible.")

type apiReferralPerson struct {
	FirstName string `json:"first_name"`
	LastName  string `json:"last_name"`
	Phone     string `json:"phone"`
	Email     string `json:"email"`
}

type apiReferralSender struct {
	Name      string `json:"name"`
	Structure string `json:"structure"`
	Email     string `json:"email"`
}

type apiReferral struct {
	ID            int64              `json:"id"`
	PersonID      int64              `json:"person_id,omitempty"`
	ActionID      int64              `json:"action_id,omitempty"`
	Status        string             `json:"status"`
	ServiceID     int64              `json:"service_id"`
	ServiceName   string             `json:"service_name"`
	StructureID   int64              `json:"structure_id"`
	StructureName string             `json:"structure_name"`
	Motive        string             `json:"motive"`
	SentAt        time.Time          `json:"sent_at"`
	ExpiresAt     time.Time          `json:"expires_at"`
	RemindedAt    *time.Time         `json:"reminded_at,omitempty"`
	AnsweredAt    *time.Time         `json:"answered_at,omitempty"`
	RefusalReason string             `json:"refusal_reason,omitempty"`
	Comment       string             `json:"comment,omitempty"`
	ClosedAt      *time.Time         `json:"closed_at,omitempty"`
	Sender        apiReferralSender  `json:"sender"`
	Person        *apiReferralPerson `json:"person,omitempty"`
}

// referralJSON writes a referral; contact is given to the receiving
// structure only, and the record's ids to the team only.
func (s *Server) referralJSON(r directory.Referral, contact *store.ReferralContact) apiReferral {
	out := apiReferral{ID: r.ID, Status: string(r.Status), ServiceID: r.ServiceID, ServiceName: r.ServiceName,
		StructureID: r.StructureID, StructureName: r.StructureName, Motive: r.Motive, SentAt: r.SentAt, ExpiresAt: r.ExpiresAt(),
		RemindedAt: timePtr(r.RemindedAt), AnsweredAt: timePtr(r.AnsweredAt), RefusalReason: r.RefusalReason, Comment: r.Comment,
		ClosedAt: timePtr(r.ClosedAt), Sender: apiReferralSender{r.SenderName, r.SenderStructure, r.SenderEmail}}
	if contact != nil {
		out.Person = &apiReferralPerson{contact.FirstName, contact.LastName, contact.Phone, contact.Email}
	} else {
		out.PersonID, out.ActionID = r.PersonID, r.ActionID
	}
	return out
}

// referralView is a referral as the viewer may see it.
type referralView struct {
	directory.Referral
	Receiver bool    // the viewer answers for the receiving structure
	Team     *record // set when the viewer reads it through the person's plan
	Contact  *store.ReferralContact
}

// canClose tells whether the viewer may move the referral to a state.
func (rv referralView) can(to directory.ReferralStatus) bool {
	if !directory.Transition(rv.Status, to) {
		return false
	}
	teamWrites := rv.Team != nil && rv.Team.canWrite(person.SectionPlan) && (rv.Section == "" || rv.Team.canWrite(rv.Section))
	switch to {
	case directory.ReferralAccepted, directory.ReferralRefused:
		return rv.Receiver
	case directory.ReferralDone:
		return rv.Receiver || teamWrites
	case directory.ReferralCancelled:
		return teamWrites
	}
	return false
}

// loadReferral reads a referral for the viewer and audits the read: the
// receiving structure's members read what it needs; the person's team reads
// it through the plan. Anyone else is answered as for an unknown referral,
// and the refusal is audited.
func (s *Server) loadReferral(r *http.Request, id int64) (referralView, error) {
	ctx := r.Context()
	v := viewerOf(ctx)
	rf, err := s.store.Referral(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return referralView{}, errUnknownReferral
	}
	if err != nil {
		return referralView{}, err
	}
	rv := referralView{Referral: rf}
	av := accessViewer(v)
	if d := access.AnswerReferral(av, rf.StructureID); d.Allowed {
		rv.Receiver = true
		c, err := s.store.ReferralContact(ctx, rf.PersonID)
		if err != nil {
			return rv, err
		}
		rv.Contact = &c
		if err := s.store.Audit(ctx, s.auditEntry(v, rf.StructureID, rf.PersonID, string(person.SectionReferral), "read", d)); err != nil {
			return rv, err
		}
	}
	rc, err := s.newRecord(ctx, v, rf.PersonID)
	if err != nil {
		return rv, err
	}
	d := rc.decide(func(rec access.Record) access.Decision { return access.Read(rc.av, rec, person.SectionPlan, rc.set) })
	if d.Allowed && rf.Section != "" {
		d = rc.decide(func(rec access.Record) access.Decision { return access.Read(rc.av, rec, rf.Section, rc.set) })
	}
	if d.Allowed {
		rv.Team = rc
	}
	if rv.Receiver {
		return rv, nil
	}
	if err := s.store.Audit(ctx, s.auditEntry(v, actingStructure(v, rc.team, rc.p.TerritoryID), rf.PersonID, string(planSection(rf.Section)), "read", d)); err != nil {
		return rv, err
	}
	if !d.Allowed {
		return rv, errUnknownReferral
	}
	return rv, nil
}

// planSection is the section a referral or plan item is read under.
func planSection(sec person.Section) person.Section {
	if sec != "" {
		return sec
	}
	return person.SectionPlan
}

// referralActor is who acts on a referral: from the receiving structure, or
// from the viewer's place in the team.
func (s *Server) referralActor(rv referralView, v *viewer, receiving bool) store.Actor {
	if receiving || rv.Team == nil {
		return store.Actor{AccountID: v.Account.ID, StructureID: rv.StructureID, At: s.now()}
	}
	return s.actor(rv.Team)
}

// decideReferral applies an outcome: accepted or refused (with a reason)
// by the receiving structure; done by either side; cancelled by the team.
func (s *Server) decideReferral(r *http.Request, rv referralView, outcome, reason, comment string) (directory.Referral, error) {
	v := viewerOf(r.Context())
	to := directory.ReferralStatus(outcome)
	switch to {
	case directory.ReferralAccepted, directory.ReferralRefused, directory.ReferralDone, directory.ReferralCancelled:
	default:
		return rv.Referral, problem.InvalidFields("Décision inconnue.", problem.Field{Field: "outcome", Message: "Attendu : accepted, refused, done ou cancelled."})
	}
	if !rv.can(to) {
		if !directory.Transition(rv.Status, to) {
			return rv.Referral, problem.New(problem.Conflict, "Cet adressage est "+strings.ToLower(rv.Status.Label())+" : cette décision n'est plus possible.")
		}
		return rv.Referral, forbidden("Cette décision revient à l'autre partie de l'adressage.")
	}
	if to == directory.ReferralAccepted || to == directory.ReferralRefused {
		ans := directory.Answer{Accept: to == directory.ReferralAccepted, Reason: strings.TrimSpace(reason), Comment: strings.TrimSpace(comment)}
		if err := ans.Validate().Err(); err != nil {
			return rv.Referral, err
		}
		out, err := s.store.AnswerReferral(r.Context(), rv.ID, ans, "", s.referralActor(rv, v, true), s.cfg.BaseURL)
		if errors.Is(err, store.ErrConflict) {
			return out, problem.New(problem.Conflict, "Cet adressage a déjà reçu une réponse, ou a expiré.")
		}
		return out, err
	}
	out, err := s.store.CloseReferral(r.Context(), rv.ID, to, s.referralActor(rv, v, rv.Receiver && to == directory.ReferralDone), s.cfg.BaseURL)
	if errors.Is(err, store.ErrConflict) {
		return out, problem.New(problem.Conflict, "Cet adressage a changé entre-temps : rechargez la page.")
	}
	return out, err
}

func (s *Server) apiReferral(w http.ResponseWriter, r *http.Request) error {
	id, ok := pathID(r, "id")
	if !ok {
		return errUnknownReferral
	}
	rv, err := s.loadReferral(r, id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, s.referralJSON(rv.Referral, rv.Contact))
}

func (s *Server) apiDecideReferral(w http.ResponseWriter, r *http.Request) error {
	id, ok := pathID(r, "id")
	if !ok {
		return errUnknownReferral
	}
	var in struct {
		Outcome string `json:"outcome"`
		Reason  string `json:"reason"`
		Comment string `json:"comment"`
	}
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	rv, err := s.loadReferral(r, id)
	if err != nil {
		return err
	}
	out, err := s.decideReferral(r, rv, in.Outcome, in.Reason, in.Comment)
	if err != nil {
		return err
	}
	rv.Referral = out
	return writeJSON(w, http.StatusOK, s.referralJSON(rv.Referral, rv.Contact))
}

func (s *Server) apiCreateReferral(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		PersonID     int64            `json:"person_id"`
		ServiceID    int64            `json:"service_id"`
		ActionID     int64            `json:"action_id"`
		Situation    *apiSituationRef `json:"situation"`
		Motive       string           `json:"motive"`
		Consent      bool             `json:"consent"`
		NotifyPerson bool             `json:"notify_person"`
	}
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	r.SetPathValue("id", strconv.FormatInt(in.PersonID, 10))
	rc, err := s.loadRecord(r, person.SectionPlan, "update")
	if err != nil {
		return err
	}
	ri := referInput{ServiceID: in.ServiceID, ActionID: in.ActionID, Motive: in.Motive, Consent: in.Consent, NotifyPerson: in.NotifyPerson}
	if in.Situation != nil {
		ri.Situation = referential.Situation{ThemeCode: in.Situation.Theme, Label: in.Situation.Label}
	}
	rf, err := s.refer(r, rc, ri)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, s.referralJSON(*rf, nil))
}

// receivingStructures are the structures whose referrals the viewer
// answers.
func receivingStructures(v *viewer) []int64 {
	var out []int64
	for _, m := range v.Account.Memberships {
		if (m.Role == account.RoleProfessional || m.Role == account.RoleStructureManager) && !containsID(out, m.StructureID) {
			out = append(out, m.StructureID)
		}
	}
	return out
}

func containsID(ids []int64, id int64) bool {
	for _, x := range ids {
		if x == id {
			return true
		}
	}
	return false
}

// received lists the referrals received by the viewer's structures, and
// audits one read per person listed.
func (s *Server) received(ctx context.Context, v *viewer) ([]directory.Referral, error) {
	var out []directory.Referral
	for _, id := range receivingStructures(v) {
		rs, err := s.store.StructureReferrals(ctx, id, 200)
		if err != nil {
			return nil, err
		}
		out = append(out, rs...)
	}
	seen := map[int64]bool{}
	for _, rf := range out {
		if seen[rf.PersonID] {
			continue
		}
		seen[rf.PersonID] = true
		e := s.auditEntry(v, rf.StructureID, rf.PersonID, string(person.SectionReferral), "read", access.Decision{Allowed: true, Reason: access.ReasonReceiver})
		if err := s.store.Audit(ctx, e); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func (s *Server) apiReferrals(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	out := list[apiReferral]{Items: []apiReferral{}}
	if pid := r.URL.Query().Get("person_id"); pid != "" {
		r.SetPathValue("id", pid)
		rc, err := s.loadRecord(r, person.SectionPlan, "read")
		if err != nil {
			return err
		}
		v, err := s.loadPlan(ctx, rc)
		if err != nil {
			return err
		}
		for _, rf := range v.Referrals {
			out.Items = append(out.Items, s.referralJSON(rf, nil))
		}
		return writeJSON(w, http.StatusOK, out)
	}
	rs, err := s.received(ctx, viewerOf(ctx))
	if err != nil {
		return err
	}
	for _, rf := range rs {
		c, err := s.store.ReferralContact(ctx, rf.PersonID)
		if err != nil {
			return err
		}
		out.Items = append(out.Items, s.referralJSON(rf, &c))
	}
	return writeJSON(w, http.StatusOK, out)
}
