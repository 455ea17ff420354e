package web

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/spie-parcours/parcours/internal/access"
	"github.com/spie-parcours/parcours/internal/account"
	"github.com/spie-parcours/parcours/internal/notify"
	"github.com/spie-parcours/parcours/internal/orientation"
	"github.com/spie-parcours/parcours/internal/person"
	"github.com/spie-parcours/parcours/internal/problem"
	"github.com/spie-parcours/parcours/internal/store"
)

type apiQueuePerson struct {
	FirstName    string `json:"first_name"`
	LastName     string `json:"last_name"`
	BirthDate    string `json:"birth_date"`
	CommuneINSEE string `json:"commune_insee"`
}

type apiOrientation struct {
	ID                    int64           `json:"id"`
	PersonID              int64           `json:"person_id"`
	Status                string          `json:"status"`
	DueDate               string          `json:"due_date"`
	Overdue               bool            `json:"overdue"`
	DaysLeft              int             `json:"days_left"`
	SuggestedType         string          `json:"suggested_type"`
	Source                string          `json:"source"`
	Reason                string          `json:"reason"`
	RequestedAt           time.Time       `json:"requested_at"`
	Type                  string          `json:"type,omitempty"`
	StructureID           int64           `json:"structure_id,omitempty"`
	Dispositif            string          `json:"dispositif,omitempty"`
	ReferentID            int64           `json:"referent_id,omitempty"`
	RefusalReason         string          `json:"refusal_reason,omitempty"`
	DecidedAt             *time.Time      `json:"decided_at,omitempty"`
	ContractDueDate       string          `json:"contract_due_date,omitempty"`
	AppointmentDueDate    string          `json:"appointment_due_date,omitempty"`
	AppointmentTargetDate string          `json:"appointment_target_date,omitempty"`
	Person                *apiQueuePerson `json:"person,omitempty"`
}

func (s *Server) orientationJSON(o orientation.Request) apiOrientation {
	now := s.now()
	out := apiOrientation{ID: o.ID, PersonID: o.PersonID, Status: string(o.Status), DueDate: formatDate(o.DueOn),
		Overdue: orientation.Overdue(o, now), SuggestedType: string(o.SuggestedType), Source: string(o.Source),
		Reason: o.Reason, RequestedAt: o.RequestedAt.UTC(), Type: string(o.Type), StructureID: o.StructureID,
		Dispositif: o.Dispositif, ReferentID: o.ReferentID, RefusalReason: o.RefusalReason, DecidedAt: timePtr(o.DecidedAt),
		ContractDueDate: formatDate(o.ContractDueOn), AppointmentDueDate: formatDate(o.AppointmentDueOn),
		AppointmentTargetDate: formatDate(o.AppointmentTargetOn)}
	if o.Status == orientation.StatusPending {
		out.DaysLeft = orientation.DaysLeft(o, now)
	}
	return out
}

// requestOrientation asks for a person's orientation: any active team
// member may, since whoever meets the person first is the right door. A
// note, when given, is attached as a team note of the record, so that the
// coordinator and the future référent read it.
func (s *Server) requestOrientation(r *http.Request, rc *record, suggested, reason, note string) (orientation.Request, error) {
	o := orientation.Request{PersonID: rc.p.ID, TerritoryID: rc.p.TerritoryID, SuggestedType: orientation.Type(suggested),
		Reason: strings.TrimSpace(reason), Source: orientation.SourceProfessional}
	fs := o.Validate()
	note = strings.TrimSpace(note)
	if note != "" {
		for _, f := range person.ValidateNote(note, person.VisibilityTeam, "") {
			fs.Add("note", f.Message)
		}
	}
	if err := fs.Err(); err != nil {
		return o, err
	}
	rules, err := s.store.OrientationRules(r.Context(), rc.p.TerritoryID)
	if err != nil {
		return o, err
	}
	o.DueOn = rules.DecisionDue(s.now(), rc.p.RSAOpenedOn)
	if err := s.store.CreateOrientation(r.Context(), &o, s.actor(rc)); err != nil {
		if errors.Is(err, store.ErrConflict) {
			return o, problem.New(problem.Conflict, "Une demande d'orientation est déjà en attente pour cette personne.")
		}
		return o, err
	}
	if note != "" {
		n := person.Note{Body: note, Visibility: person.VisibilityTeam}
		if err := s.addNote(r, rc, &n); err != nil {
			return o, err
		}
	}
	return o, nil
}

func (s *Server) apiCreateOrientation(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		PersonID      int64  `json:"person_id"`
		SuggestedType string `json:"suggested_type"`
		Reason        string `json:"reason"`
		Note          string `json:"note"`
	}
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	r.SetPathValue("id", strconv.FormatInt(in.PersonID, 10))
	rc, err := s.loadRecord(r, person.SectionIdentity, "update")
	if err != nil {
		return err
	}
	o, err := s.requestOrientation(r, rc, in.SuggestedType, in.Reason, in.Note)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, s.orientationJSON(o))
}

// coordinator checks the viewer coordinates its territory, and returns it.
func (s *Server) coordinator(ctx context.Context) (int64, error) {
	v := viewerOf(ctx)
	t := s.territory(ctx)
	if d := access.Coordinate(accessViewer(v), t.ID); !d.Allowed {
		return 0, forbidden("Réservé aux chargés d'orientation du territoire.")
	}
	return t.ID, nil
}

func (s *Server) apiQueue(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	tid, err := s.coordinator(ctx)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	var fs problem.Fields
	f := store.QueueFilter{Status: orientation.Status(q.Get("status")), SuggestedType: orientation.Type(q.Get("type")),
		Source: orientation.Source(q.Get("source")), Commune: q.Get("commune_insee"), Today: s.now()}
	switch f.Status {
	case "", orientation.StatusPending, orientation.StatusAccepted, orientation.StatusRefused:
	default:
		fs.Add("status", "Statut attendu : pending, accepted ou refused.")
	}
	for name, dst := range map[string]*int{"older_than_days": &f.OlderThanDays, "limit": &f.Limit, "offset": &f.Offset} {
		if v := q.Get(name); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil || n < 0 {
				fs.Add(name, "Nombre entier positif attendu.")
			}
			*dst = n
		}
	}
	if err := fs.Err(); err != nil {
		return err
	}
	items, total, err := s.store.Queue(ctx, tid, f)
	if err != nil {
		return err
	}
	v := viewerOf(ctx)
	e := s.auditEntry(v, actingStructure(v, nil, tid), 0, "orientation_queue", "read", access.Decision{Allowed: true, Reason: access.ReasonCoordinator})
	if err := s.store.Audit(ctx, e); err != nil {
		return err
	}
	out := struct {
		list[apiOrientation]
		Total int `json:"total"`
	}{list[apiOrientation]{Items: []apiOrientation{}}, total}
	if f.Offset+len(items) < total {
		out.NextCursor = strconv.Itoa(f.Offset + len(items))
	}
	for _, it := range items {
		o := s.orientationJSON(it.Request)
		o.Person = &apiQueuePerson{it.FirstName, it.LastName, formatDate(it.BirthDate), it.CommuneINSEE}
		out.Items = append(out.Items, o)
	}
	return writeJSON(w, http.StatusOK, out)
}

// decisionInput is the body of a decision on an orientation or a
// reorientation.
type decisionInput struct {
	Outcome       string `json:"outcome"`
	Type          string `json:"type"`
	StructureID   int64  `json:"structure_id"`
	Dispositif    string `json:"dispositif"`
	ReferentEmail string `json:"referent_email"`
	Reason        string `json:"reason"`
}

// resolve turns the input into a decision, checking that the structure is
// of the territory and that the référent is a professional of it.
func (s *Server) resolve(ctx context.Context, tid int64, in decisionInput, refusal orientation.Status) (orientation.Decision, string, account.Account, error) {
	d := orientation.Decision{Outcome: orientation.Status(in.Outcome), Type: orientation.Type(in.Type), StructureID: in.StructureID,
		Dispositif: strings.TrimSpace(in.Dispositif), Reason: strings.TrimSpace(in.Reason)}
	if refusal != "" && d.Outcome == refusal {
		d.Outcome = orientation.StatusRefused
	}
	fs := d.Validate()
	if d.Outcome == orientation.StatusAccepted && d.Dispositif != "" {
		// When the territory lists its dispositifs, a decision names one of them.
		ds, err := s.store.Dispositifs(ctx, tid)
		if err != nil {
			return d, "", account.Account{}, err
		}
		if len(ds) > 0 && !slices.Contains(ds, d.Dispositif) {
			fs.Add("dispositif", "Dispositif inconnu dans ce territoire : choisissez parmi "+strings.Join(ds, ", ")+".")
		}
	}
	var structureName string
	var ref account.Account
	if d.Outcome == orientation.StatusAccepted && d.StructureID > 0 {
		st, err := s.store.Structure(ctx, d.StructureID)
		if err != nil || st.TerritoryID != tid {
			fs.Add("structure_id", "Structure inconnue dans ce territoire.")
		} else {
			structureName = st.Name
		}
		if email := strings.TrimSpace(in.ReferentEmail); email != "" && structureName != "" {
			addr, err := account.NormalizeEmail(email)
			if err == nil {
				ref, err = s.store.AccountByEmail(ctx, addr)
			}
			ok := err == nil && !ref.Disabled()
			if ok {
				ok = false
				for _, m := range ref.Memberships {
					if m.StructureID == d.StructureID && m.Role == account.RoleProfessional {
						ok = true
					}
				}
			}
			if !ok {
				fs.Add("referent_email", "Le référent doit être un professionnel actif de la structure choisie.")
			} else {
				d.ReferentID = ref.ID
			}
		}
	}
	return d, structureName, ref, fs.Err()
}

func (s *Server) apiDecideOrientation(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	tid, err := s.coordinator(ctx)
	if err != nil {
		return err
	}
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	o, err := s.store.Orientation(ctx, id)
	if errors.Is(err, store.ErrNotFound) || (err == nil && o.TerritoryID != tid) {
		return notFound("Cette demande d'orientation n'existe pas.")
	}
	if err != nil {
		return err
	}
	var in decisionInput
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	if err := s.decideOrientation(r, tid, &o, in); err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, s.orientationJSON(o))
}

// decideOrientation applies a coordinator's decision, updates the team and
// timeline, and tells the référent and the structure.
func (s *Server) decideOrientation(r *http.Request, tid int64, o *orientation.Request, in decisionInput) error {
	ctx := r.Context()
	v := viewerOf(ctx)
	d, structureName, ref, err := s.resolve(ctx, tid, in, "")
	if err != nil {
		return err
	}
	rules, err := s.store.OrientationRules(ctx, tid)
	if err != nil {
		return err
	}
	if err := rules.Decide(o, d, v.Account.ID, s.now()); err != nil {
		return err
	}
	by := store.Actor{AccountID: v.Account.ID, StructureID: actingStructure(v, nil, tid), At: s.now()}
	var msgs []notify.Message
	if o.Status == orientation.StatusAccepted {
		msgs = s.orientedMessages(ctx, "orientation:"+strconv.FormatInt(o.ID, 10), o.PersonID, o.StructureID, ref)
	}
	if err := s.store.DecideOrientation(ctx, o, o.Explain(structureName, ref.Name()), by, msgs...); err != nil {
		if errors.Is(err, store.ErrConflict) {
			return problem.New(problem.Conflict, "Cette demande a déjà été traitée.")
		}
		return err
	}
	return nil
}

// orientedMessages tell the référent and the structure that a person was
// oriented to them, and nothing about the person: the link asks for
// sign-in. They go to the outbox with the decision (key: the decision's
// event, then the recipient).
func (s *Server) orientedMessages(ctx context.Context, event string, personID, structureID int64, ref account.Account) []notify.Message {
	link := strings.TrimRight(s.cfg.BaseURL, "/") + "/personnes/" + strconv.FormatInt(personID, 10)
	body := "Bonjour,\n\nUne personne vient d'être orientée vers votre structure dans Parcours. Connectez-vous pour voir son dossier :\n" +
		link + "\n\nCe message ne contient aucune information sur la personne.\n"
	const subject = "Parcours : nouvelle personne orientée"
	var msgs []notify.Message
	if ref.Email != "" {
		msgs = append(msgs, notify.Message{To: ref.Email, Subject: subject, Body: body,
			Key: event + ":account:" + strconv.FormatInt(ref.ID, 10)})
	}
	if st, err := s.store.Structure(ctx, structureID); err == nil && st.Email != "" {
		msgs = append(msgs, notify.Message{To: st.Email, Subject: subject, Body: body,
			Key: event + ":structure:" + strconv.FormatInt(structureID, 10)})
	}
	return msgs
}

func (s *Server) apiCreateReorientation(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		PersonID      int64  `json:"person_id"`
		ToType        string `json:"to_type"`
		ToStructureID int64  `json:"to_structure_id"`
		Reason        string `json:"reason"`
	}
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	r.SetPathValue("id", strconv.FormatInt(in.PersonID, 10))
	rc, err := s.loadRecord(r, person.SectionTeam, "update") // the référent
	if err != nil {
		return err
	}
	ro, err := s.requestReorientation(r, rc, in.ToType, in.ToStructureID, in.Reason)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, reorientationJSON(ro))
}

type apiReorientation struct {
	ID            int64  `json:"id"`
	PersonID      int64  `json:"person_id"`
	Status        string `json:"status"`
	ToType        string `json:"to_type"`
	ToStructureID int64  `json:"to_structure_id,omitempty"`
	Reason        string `json:"reason"`
	DenialReason  string `json:"denial_reason,omitempty"`
}

func reorientationJSON(ro orientation.Reorientation) apiReorientation {
	return apiReorientation{ro.ID, ro.PersonID, string(ro.Status), string(ro.ToType), ro.ToStructure, ro.Reason, ro.DenialReason}
}

func (s *Server) apiDecideReorientation(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	tid, err := s.coordinator(ctx)
	if err != nil {
		return err
	}
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	ro, err := s.store.Reorientation(ctx, id)
	if err == nil {
		if p, perr := s.store.Person(ctx, ro.PersonID); perr != nil || p.TerritoryID != tid {
			err = store.ErrNotFound
		}
	}
	if errors.Is(err, store.ErrNotFound) {
		return notFound("Cette demande de réorientation n'existe pas.")
	}
	if err != nil {
		return err
	}
	var in decisionInput
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	if err := s.decideReorientation(r, tid, &ro, in); err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, reorientationJSON(ro))
}

// decideReorientation answers a reorientation: denied with a reason, or
// accepted with the new orientation (type, structure, référent), recorded
// as an orientation of the person with its due dates.
func (s *Server) decideReorientation(r *http.Request, tid int64, ro *orientation.Reorientation, in decisionInput) error {
	ctx := r.Context()
	v := viewerOf(ctx)
	now := s.now()
	by := store.Actor{AccountID: v.Account.ID, StructureID: actingStructure(v, nil, tid), At: now}
	if in.Outcome == "denied" || in.Outcome == string(orientation.StatusRefused) {
		if err := ro.Deny(in.Reason, v.Account.ID, now); err != nil {
			return err
		}
		return s.store.DecideReorientation(ctx, ro, nil, "Demande de réorientation refusée : "+ro.DenialReason, by)
	}
	d, structureName, ref, err := s.resolve(ctx, tid, in, "denied")
	if err != nil {
		return err
	}
	rules, err := s.store.OrientationRules(ctx, tid)
	if err != nil {
		return err
	}
	o := orientation.Request{PersonID: ro.PersonID, TerritoryID: tid, SuggestedType: ro.ToType, Reason: ro.Reason,
		Source: orientation.SourceProfessional, RequestedAt: ro.RequestedAt, DueOn: rules.DecisionDue(ro.RequestedAt, time.Time{}),
		Status: orientation.StatusPending}
	if err := rules.Accept(&o, d, v.Account.ID, now); err != nil {
		return err
	}
	if err := ro.Accept(v.Account.ID, now); err != nil {
		return err
	}
	msgs := s.orientedMessages(ctx, "reorientation:"+strconv.FormatInt(ro.ID, 10), o.PersonID, o.StructureID, ref)
	if err := s.store.DecideReorientation(ctx, ro, &o, "Réorientation acceptée. "+o.Explain(structureName, ref.Name()), by, msgs...); err != nil {
		if errors.Is(err, store.ErrConflict) {
			return problem.New(problem.Conflict, "Cette demande a déjà été traitée.")
		}
		return err
	}
	return nil
}
