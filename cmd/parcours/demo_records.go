package main

import (
	"context"
	"fmt"
	"time"

	"github.com/spie-parcours/parcours/internal/account"
	"github.com/spie-parcours/parcours/internal/demo"
	"github.com/spie-parcours/parcours/internal/orientation"
	"github.com/spie-parcours/parcours/internal/person"
	"github.com/spie-parcours/parcours/internal/referential"
	"github.com/spie-parcours/parcours/internal/store"
	"github.com/spie-parcours/parcours/internal/territory"
)

// demoRecords is how many demo people get a full record (team, diagnostic,
// project, notes); the others are identities only, for volume.
const demoRecords = 120

// demoNotes are fictional notes, none sensitive: sensitive ones are written
// under their section below.
var demoNotes = []string{
	"Premier entretien : la personne souhaite reprendre une activité à temps partiel près de chez elle.",
	"Dossier de demande de logement social déposé ; en attente de la commission.",
	"Atelier CV réalisé ; prochaine étape : candidatures dans la logistique.",
	"Orientation vers l'auto-école sociale évoquée, à confirmer au prochain rendez-vous.",
	"Point sur les démarches en ligne : accompagnement au numérique à prévoir.",
}

// seedRecords gives the first demo people a record: a référent from one of
// the accompanying structures (turning over them), a second member for one
// in three, two or three diagnostic situations, a project, and notes.
func seedRecords(ctx context.Context, st *store.Store, ref *referential.Referential, t territory.Territory) error {
	followed, err := st.CountFollowed(ctx, t.ID)
	if err != nil || followed > 0 {
		return err
	}
	ids, err := st.PersonIDs(ctx, t.ID, demoRecords)
	if err != nil {
		return err
	}
	type pro struct{ accountID, structureID int64 }
	var pros []pro
	for _, m := range demo.Members {
		a, err := st.AccountByEmail(ctx, m.Email)
		if err != nil {
			return err
		}
		for _, ms := range a.Memberships {
			if ms.Role == account.RoleProfessional {
				pros = append(pros, pro{a.ID, ms.StructureID})
			}
		}
	}
	if len(pros) == 0 {
		return fmt.Errorf("aucun professionnel de démonstration")
	}
	themes := []string{"mobilite", "logement", "contraintes_familiales", "numerique", "maitrise_langue", "sante", "difficulte_financiere", "emploi"}
	// ROME appellations: archivage en entrepôt, agent à domicile, restauration rapide,
	// assemblage mécanique, nettoyage industriel.
	jobs := []string{"10386", "10348", "10594", "10390", "10537"}
	now := time.Now().UTC()
	for i, id := range ids {
		r := pros[i%len(pros)]
		by := store.Actor{AccountID: r.accountID, StructureID: r.structureID, At: now.Add(-time.Duration(len(ids)-i) * 6 * time.Hour)}
		if _, err := st.AddTeamMember(ctx, id, r.accountID, r.structureID, true, by); err != nil {
			return err
		}
		if i%3 == 0 {
			o := pros[(i+3)%len(pros)]
			if o.accountID != r.accountID {
				if _, err := st.AddTeamMember(ctx, id, o.accountID, o.structureID, false, by); err != nil {
					return err
				}
			}
		}
		var entries []person.DiagnosticEntry
		for k := 0; k < 2+i%2; k++ {
			theme := themes[(i+k*3)%len(themes)]
			ss := ref.Situations(theme)
			if len(ss) == 0 {
				continue
			}
			in := person.SituationInput{Theme: theme, Label: ss[(i+k)%len(ss)].Label}
			entries = append(entries, person.DiagnosticEntry{Theme: in.Theme, Situation: in.Label, Section: in.Section()})
		}
		if err := st.SaveDiagnostic(ctx, id, entries, nil, by); err != nil {
			return err
		}
		pr := person.Project{PersonID: id, TargetJobs: []string{jobs[i%len(jobs)]}, HoursWanted: 20 + 5*(i%4), MobilityKm: 10 + 5*(i%5),
			DrivingLicence: i%3 != 0, Vehicle: i%4 == 0}
		if err := st.SaveProject(ctx, &pr, by); err != nil {
			return err
		}
		note := person.Note{PersonID: id, Body: demoNotes[i%len(demoNotes)], Visibility: person.VisibilityTeam}
		if err := st.AddNote(ctx, &note, by); err != nil {
			return err
		}
		if i%5 == 0 {
			health := person.Note{PersonID: id, Visibility: person.VisibilityTeam, Section: person.SectionHealth,
				Body: "Suivi médical en cours ; reprise progressive conseillée (note de démonstration, section santé)."}
			if err := st.AddNote(ctx, &health, by); err != nil {
				return err
			}
		}
	}
	return nil
}

// demoQueue is how many demo people wait in the orientation queue.
const demoQueue = 60

// seedQueue fills the coordinator's queue: requests of every age, from 0 to
// 70 days (the legal delay is 42: some are overdue), from every entry point
// (a professional of the team, an import, the CAF, France Travail).
func seedQueue(ctx context.Context, st *store.Store, t territory.Territory) error {
	if n, err := st.CountOrientations(ctx, t.ID); err != nil || n > 0 {
		return err
	}
	ids, err := st.PersonIDs(ctx, t.ID, demoRecords+demoQueue)
	if err != nil {
		return err
	}
	rules, err := st.OrientationRules(ctx, t.ID)
	if err != nil {
		return err
	}
	cd, err := st.StructureByName(ctx, t.ID, demo.Structures[0].Name)
	if err != nil {
		return err
	}
	types := []orientation.Type{orientation.TypePro, orientation.TypeSocioPro, orientation.TypeSocial, ""}
	reasons := []string{
		"Nouvel allocataire du RSA, sans accompagnement à ce jour.",
		"Souhaite reprendre une formation ; freins de mobilité à lever.",
		"Situation familiale à stabiliser avant une recherche d'emploi.",
		"Orienté par le CCAS après un premier rendez-vous.",
	}
	now := time.Now().UTC()
	for k := 0; k < demoQueue && k < len(ids); k++ {
		// The first requests come from team members of recorded people,
		// the others from lists (import, CAF, France Travail).
		var id int64
		by := store.Actor{StructureID: cd.ID}
		o := orientation.Request{TerritoryID: t.ID, SuggestedType: types[k%len(types)], Reason: reasons[k%len(reasons)]}
		if k < 20 && k < demoRecords && k < len(ids) {
			id = ids[k]
			team, err := st.Team(ctx, id)
			if err != nil || len(team) == 0 {
				continue
			}
			by = store.Actor{AccountID: team[0].AccountID, StructureID: team[0].StructureID}
			o.Source = orientation.SourceProfessional
		} else {
			if demoRecords+k >= len(ids) {
				break
			}
			id = ids[demoRecords+k]
			o.Source = []orientation.Source{orientation.SourceImport, orientation.SourceCAF, orientation.SourceFranceTravail}[k%3]
			o.SuggestedType = ""
		}
		by.At = now.Add(-time.Duration(k*70/demoQueue) * 24 * time.Hour)
		o.PersonID = id
		o.DueOn = rules.DecisionDue(by.At, time.Time{})
		if err := st.CreateOrientation(ctx, &o, by); err != nil {
			return err
		}
	}
	return nil
}
