package web

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/spie-parcours/parcours/internal/audit"
	"github.com/spie-parcours/parcours/internal/directory"
	"github.com/spie-parcours/parcours/internal/person"
	"github.com/spie-parcours/parcours/internal/problem"
	"github.com/spie-parcours/parcours/internal/store"
)

// The referral pages: the list (received by the viewer's structures, sent
// by the viewer), one referral with the answer of the receiving structure
// or the follow-up of the team, and the page of the single-use link for a
// structure without accounts.

type referralsPageData struct {
	page
	Received []referralListRow
	Sent     []referralListRow
	Answers  bool // the viewer answers for a structure
}

type referralListRow struct {
	referralRow
	Person string // the receiving structure sees the person's name; the sender too
}

func (s *Server) referralsPage(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	v := viewerOf(ctx)
	data := &referralsPageData{page: s.page(r, "Adressages"), Answers: len(receivingStructures(v)) > 0}
	rs, err := s.received(ctx, v)
	if err != nil {
		return err
	}
	for _, rf := range rs {
		data.Received = append(data.Received, referralListRow{s.referralRow(rf), rf.PersonFirstName + " " + rf.PersonLastName})
	}
	sent, err := s.store.SentReferrals(ctx, v.Account.ID, 200)
	if err != nil {
		return err
	}
	for _, rf := range sent {
		// The sender may have left the team since: the list names the
		// service, not the person, unless the record is still theirs.
		row := referralListRow{referralRow: s.referralRow(rf)}
		rc, err := s.newRecord(ctx, v, rf.PersonID)
		if err != nil {
			return err
		}
		if rc.can(person.SectionPlan) && (rf.Section == "" || rc.can(rf.Section)) {
			row.Person = rf.PersonFirstName + " " + rf.PersonLastName
		}
		data.Sent = append(data.Sent, row)
	}
	s.render(w, r, http.StatusOK, "referrals", data)
	return nil
}

type referralPageData struct {
	page
	R           directory.Referral
	StatusLabel string
	Refusal     string
	Contact     *store.ReferralContact
	Commune     string
	PersonID    int64 // set for the team, which links to the record
	Can         map[string]bool
	Reasons     []fieldOption
	Fields      problem.Fields
	Alert       string
	Comment     string
	// Link is the single-use link's page: it posts back to itself.
	Link   string
	Answer string // after a link's answer: what was recorded
}

func (s *Server) referralData(r *http.Request, rv referralView) *referralPageData {
	data := &referralPageData{page: s.page(r, "Adressage n° "+strconv.FormatInt(rv.ID, 10)), R: rv.Referral,
		StatusLabel: rv.Status.Label(), Contact: rv.Contact, Can: map[string]bool{},
		Reasons: options(directory.RefusalReasonOptions, "Choisir un motif", r.PostFormValue("reason"))}
	if rv.Status == directory.ReferralRefused {
		data.Refusal = directory.RefusalLabel(rv.RefusalReason)
	}
	if rv.Contact != nil {
		if c, ok := s.cfg.Referential.Commune(rv.Contact.CommuneINSEE); ok {
			data.Commune = c.Name
		}
	}
	if rv.Team != nil {
		data.PersonID = rv.PersonID
	}
	for _, to := range []directory.ReferralStatus{directory.ReferralAccepted, directory.ReferralRefused, directory.ReferralDone, directory.ReferralCancelled} {
		data.Can[string(to)] = rv.can(to)
	}
	return data
}

func (s *Server) referralPage(w http.ResponseWriter, r *http.Request) error {
	id, ok := pathID(r, "id")
	if !ok {
		return errUnknownReferral
	}
	rv, err := s.loadReferral(r, id)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "referral", s.referralData(r, rv))
	return nil
}

func (s *Server) decideReferralPage(w http.ResponseWriter, r *http.Request) error {
	id, ok := pathID(r, "id")
	if !ok {
		return errUnknownReferral
	}
	if err := parseForm(r); err != nil {
		return err
	}
	rv, err := s.loadReferral(r, id)
	if err != nil {
		return err
	}
	outcome := r.PostFormValue("outcome")
	if _, err := s.decideReferral(r, rv, outcome, r.PostFormValue("reason"), r.PostFormValue("comment")); err != nil {
		p, ok := problem.As(err)
		if !ok || (p.Kind != problem.Invalid && p.Kind != problem.Conflict) {
			return err
		}
		data := s.referralData(r, rv)
		data.Fields, data.Comment = p.Fields, r.PostFormValue("comment")
		if len(p.Fields) == 0 {
			data.Alert = p.Detail
		}
		s.render(w, r, kinds[p.Kind].status, "referral", data)
		return nil
	}
	s.redirectWithFlash(w, r, "/adressages/"+strconv.FormatInt(id, 10), "referral-"+outcome)
	return nil
}

// errLinkSpent is the one answer of a single-use link that cannot serve:
// used, expired, for another referral, or of a referral already closed.
var errLinkSpent = notFound("Ce lien n'est plus valable : il a déjà servi, il a expiré (8 jours), ou l'adressage est clos. Si vous devez encore répondre, contactez le professionnel qui vous l'a adressé.")

// linkReferral reads the referral a single-use link opens, and audits the
// read under the receiving structure, with no account.
func (s *Server) linkReferral(r *http.Request) (referralView, string, error) {
	id, ok := pathID(r, "id")
	token := r.PathValue("token")
	if !ok || !strings.HasPrefix(token, "adr_") || len(token) > 80 {
		return referralView{}, "", errLinkSpent
	}
	rf, err := s.store.ReferralByLink(r.Context(), id, token, s.now())
	if errors.Is(err, store.ErrLinkInvalid) || errors.Is(err, store.ErrNotFound) {
		return referralView{}, "", errLinkSpent
	}
	if err != nil {
		return referralView{}, "", err
	}
	c, err := s.store.ReferralContact(r.Context(), rf.PersonID)
	if err != nil {
		return referralView{}, "", err
	}
	e := audit.Entry{At: s.now(), StructureID: rf.StructureID, PersonID: rf.PersonID, Section: string(person.SectionReferral), Action: audit.ActionRead,
		Outcome: audit.Allowed, Reason: "single-use link"}
	if err := s.store.Audit(r.Context(), e); err != nil {
		return referralView{}, "", err
	}
	return referralView{Referral: rf, Receiver: true, Contact: &c}, token, nil
}

func (s *Server) linkReferralPage(w http.ResponseWriter, r *http.Request) error {
	rv, token, err := s.linkReferral(r)
	if err != nil {
		return err
	}
	data := s.referralData(r, rv)
	data.Link = "/reponse-adressage/" + strconv.FormatInt(rv.ID, 10) + "/" + token
	s.render(w, r, http.StatusOK, "referral", data)
	return nil
}

// linkAnswerPage records the answer given through a single-use link, which
// it spends.
func (s *Server) linkAnswerPage(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	rv, token, err := s.linkReferral(r)
	if err != nil {
		return err
	}
	ans := directory.Answer{Accept: r.PostFormValue("outcome") == string(directory.ReferralAccepted),
		Reason: r.PostFormValue("reason"), Comment: strings.TrimSpace(r.PostFormValue("comment"))}
	fs := ans.Validate()
	if o := r.PostFormValue("outcome"); o != string(directory.ReferralAccepted) && o != string(directory.ReferralRefused) {
		fs.Add("outcome", "Choisissez d'accepter ou de refuser l'adressage.")
	}
	if len(fs) > 0 {
		data := s.referralData(r, rv)
		data.Link = "/reponse-adressage/" + strconv.FormatInt(rv.ID, 10) + "/" + token
		data.Fields, data.Comment = fs, ans.Comment
		s.render(w, r, http.StatusBadRequest, "referral", data)
		return nil
	}
	by := store.Actor{StructureID: rv.StructureID, At: s.now()}
	out, err := s.store.AnswerReferral(r.Context(), rv.ID, ans, token, by, s.cfg.BaseURL)
	if errors.Is(err, store.ErrLinkInvalid) || errors.Is(err, store.ErrConflict) {
		return errLinkSpent
	}
	if err != nil {
		return err
	}
	rv.Referral = out
	data := s.referralData(r, rv)
	data.Contact = nil // the link is spent: the page shows no more of the person
	data.Answer = out.Status.Label()
	s.render(w, r, http.StatusOK, "referral", data)
	return nil
}
