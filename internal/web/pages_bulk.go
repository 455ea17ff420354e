package web

import (
	"errors"
	"net/http"
	"slices"
	"strconv"

	"github.com/spie-parcours/parcours/internal/orientation"
	"github.com/spie-parcours/parcours/internal/problem"
	"github.com/spie-parcours/parcours/internal/store"
)

// A coordinator decides on several pending requests at once from the
// queue: the same decision, applied to each request through
// decideOrientation, one transaction per request. A request a colleague
// decided in the meantime is reported with the others left undecided; the
// rest are decided.

// selectionAnchors are the controls of the queue's selection form, for the
// error summary.
var selectionAnchors = map[string][2]string{
	"ids":            {"selection-ids", "Demandes sélectionnées"},
	"outcome":        {"selection-outcome", "Traiter la sélection"},
	"type":           {"selection-type", "Type d'orientation"},
	"structure_id":   {"selection-structure", "Structure d'accompagnement"},
	"dispositif":     {"selection-dispositif", "Dispositif"},
	"referent_email": {"selection-referent", "Référent unique"},
	"reason":         {"selection-reason", "Motif du refus"},
}

// decideSelectionPage applies the decision of the queue's selection form
// to every request selected.
func (s *Server) decideSelectionPage(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	tid, err := s.coordinator(ctx)
	if err != nil {
		return err
	}
	if err := parseForm(r); err != nil {
		return err
	}
	filter := s.queueFilter(r)
	filter.Status = orientation.StatusPending
	f, in := decisionFormOf(r)

	var fs problem.Fields
	var ids []int64
	for _, v := range r.PostForm["ids"] {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil || id <= 0 {
			continue // the checkboxes only send ids: ignore anything else
		}
		if !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
	}
	if len(ids) == 0 {
		fs.Add("ids", "Sélectionnez au moins une demande dans le tableau.")
	}
	if in.Outcome == "" { // decideOrientation reads no outcome as a refusal: the form must choose
		fs.Add("outcome", "Choisissez d'orienter les demandes sélectionnées ou de les refuser.")
	} else if _, _, _, err := s.resolve(ctx, tid, in, ""); err != nil {
		p, ok := problem.As(err)
		if !ok || p.Kind != problem.Invalid {
			return err
		}
		fs = append(fs, p.Fields...)
	}
	if len(fs) > 0 {
		f.Fields, f.Errors = fs, errorLinks(fs, selectionAnchors)
		return s.renderSelection(w, r, tid, filter, http.StatusBadRequest, f, ids, "", nil)
	}

	done := 0
	var failures []string
	for _, id := range ids {
		if why := s.decideOne(r, tid, id, in); why != "" {
			failures = append(failures, "Demande n° "+strconv.FormatInt(id, 10)+" : "+why)
			continue
		}
		done++
	}
	key := "orientations-accepted"
	if in.Outcome == string(orientation.StatusRefused) {
		key = "orientations-refused"
	}
	key = countFlash(key, done)
	if len(failures) == 0 {
		filter.Offset = 0
		s.redirectWithFlash(w, r, queueURL(filter), key)
		return nil
	}
	// Some were left: the queue as it now stands, with what was done and
	// the list of the others.
	filter.Offset = 0
	var flash string
	status := http.StatusConflict
	if done > 0 {
		flash, status = flashText(key), http.StatusOK
	}
	return s.renderSelection(w, r, tid, filter, status, decisionForm{}, nil, flash, failures)
}

// decideOne applies the decision to one request of the selection, and
// returns why it was not, for the coordinator: a request of another
// territory, already decided, or that the decision does not fit.
func (s *Server) decideOne(r *http.Request, tid, id int64, in decisionInput) string {
	ctx := r.Context()
	o, err := s.store.Orientation(ctx, id)
	switch {
	case errors.Is(err, store.ErrNotFound) || (err == nil && o.TerritoryID != tid):
		return "cette demande n'existe pas dans votre territoire."
	case err != nil:
		s.log.ErrorContext(ctx, "demande de la sélection non lue", "orientation", id, "error", err.Error())
		return "une erreur technique l'a empêchée d'être traitée, recommencez."
	case o.Status != orientation.StatusPending:
		return "elle a déjà été traitée (" + o.Status.Label() + ")."
	}
	if err := s.decideOrientation(r, tid, &o, in); err != nil {
		if p, ok := problem.As(err); ok && (p.Kind == problem.Invalid || p.Kind == problem.Conflict) {
			return p.Detail
		}
		s.log.ErrorContext(ctx, "décision de la sélection non enregistrée", "orientation", id, "error", err.Error())
		return "une erreur technique l'a empêchée d'être traitée, recommencez."
	}
	return ""
}

// renderSelection shows the queue again with the selection form as the
// coordinator filled it, its selected rows checked, and what was done.
func (s *Server) renderSelection(w http.ResponseWriter, r *http.Request, tid int64, filter store.QueueFilter, status int,
	f decisionForm, ids []int64, flash string, failures []string) error {
	data, err := s.queueData(r, tid, filter, f)
	if err != nil {
		return err
	}
	for i := range data.Rows {
		data.Rows[i].Selected = slices.Contains(ids, data.Rows[i].ID)
	}
	if flash != "" {
		data.Flash = flash
	}
	data.Failures = failures
	s.render(w, r, status, "orientations", data)
	return nil
}
