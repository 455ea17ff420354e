package referential

import (
	"encoding/csv"
	"errors"
	"io/fs"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"
)

// embedded returns a copy of the embedded data that a test may break.
func embedded(t *testing.T) fstest.MapFS {
	t.Helper()
	m := fstest.MapFS{}
	err := fs.WalkDir(data, "data", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(data, name)
		m[name] = &fstest.MapFile{Data: b}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestLoadEmbedded(t *testing.T) {
	r, err := load(embedded(t))
	if err != nil {
		t.Fatalf("load: %v", err)
	}
	if got, want := len(r.communes), 35_014; got != want {
		t.Errorf("%d communes, want %d", got, want)
	}
	if got, want := len(r.appellations), 11_061; got != want {
		t.Errorf("%d appellations, want %d", got, want)
	}
	if got, want := len(r.romeJobs), 532; got != want {
		t.Errorf("%d ROME jobs, want %d", got, want)
	}
	if got, want := len(r.departements), 109; got != want {
		t.Errorf("%d départements, want %d", got, want)
	}
}

// TestLoadMalformed checks that a broken data file makes load return an error
// naming the file and the line, and never panic.
func TestLoadMalformed(t *testing.T) {
	const communesHeader = "code_insee,nom,codes_postaux,departement,region,latitude,longitude,population,type,commune_parente,siren,zone\r\n"
	const belfort = "90010,Belfort,90000,90,27,47.6458,6.841,45912,commune-actuelle,,219000106,metro\r\n"
	const situationsHeader = "theme_code,situation,objectifs\n"
	const aidant = "contraintes_familiales,Aidant familial (s’occuper d’un proche),contraintes_familiales:Obtenir le statut d’aidant familial\n"
	const objectivesHeader = "theme_code,objectif,thematiques,action\n"
	const garde = "contraintes_familiales,Trouver des solutions de garde d’enfant,famille--garde-denfants,contraintes_familiales:Accès à un mode de garde\n"
	tests := []struct {
		name    string
		file    string // file to replace
		content string
		remove  bool   // delete file instead
		wantMsg string // the error must start with this
		wantErr error  // and match it with errors.Is, if not nil
	}{
		{
			name: "bad latitude", file: "communes.csv",
			content: communesHeader + belfort + "90001,Andelnans,90400,90,27,nord,6.8628,1093,commune-actuelle,,219000015,metro\r\n",
			wantMsg: "referential: communes: line 3: latitude: ", wantErr: strconv.ErrSyntax,
		},
		{
			name: "missing field", file: "communes.csv",
			content: communesHeader + belfort + "90001,Andelnans,90400\r\n",
			wantMsg: "referential: communes: line 3: ", wantErr: csv.ErrFieldCount,
		},
		{
			name: "bare quote", file: "communes.csv",
			content: communesHeader + "90010,Bel\"fort,90000,90,27,47.6458,6.841,45912,commune-actuelle,,219000106,metro\r\n",
			wantMsg: "referential: communes: line 2: ", wantErr: csv.ErrBareQuote,
		},
		{
			name: "unknown département", file: "communes.csv",
			content: communesHeader + "90010,Belfort,90000,00,27,47.6458,6.841,45912,commune-actuelle,,219000106,metro\r\n",
			wantMsg: `referential: communes: line 2: unknown departement "00"`,
		},
		{
			name: "duplicate commune", file: "communes.csv",
			content: communesHeader + belfort + belfort,
			wantMsg: `referential: communes: line 3: duplicate code_insee "90010"`,
		},
		{
			name: "bad population", file: "communes.csv",
			content: communesHeader + "90010,Belfort,90000,90,27,47.6458,6.841,beaucoup,commune-actuelle,,219000106,metro\r\n",
			wantMsg: "referential: communes: line 2: population: ",
		},
		{
			name: "truncated gzip", file: "communes.csv.gz",
			content: "\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\x03",
			wantMsg: "referential: communes: ",
		},
		{
			name: "missing column", file: "departements.csv",
			content: "code,name,region\r\n90,Territoire de Belfort,27\r\n",
			wantMsg: `referential: departements: line 1: missing column "nom"`,
		},
		{
			name: "empty file", file: "regions.csv", content: "",
			wantMsg: "referential: regions: line 1: empty file",
		},
		{
			name: "unknown ROME code", file: "rome_appellations.csv",
			content: "code_ogr,libelle,code_rome\r\n10200,Abatteur / Abatteuse de carrière,F1402\r\n1,Inconnu,Z9999\r\n",
			wantMsg: `referential: rome_appellations: line 3: unknown code_rome "Z9999"`,
		},
		{
			name: "unknown theme", file: "cdb_situations.csv",
			content: "theme_code,theme_libelle,libelle\r\nlogement,Logement,Sans domicile\r\ninconnu,Inconnu,Quelque chose\r\n",
			wantMsg: `referential: cdb_situations: line 3: unknown theme_code "inconnu"`,
		},
		{
			name: "empty label", file: "datainclusion_v1_frais.csv",
			content: "code,libelle,description\r\ngratuit,,\r\n",
			wantMsg: "referential: datainclusion_v1_frais: line 2: empty libelle",
		},
		{
			name: "unknown thématique category", file: "datainclusion_v1_thematiques_categories.csv",
			content: "code,libelle\r\nmobilite,Mobilité\r\n",
			wantMsg: "referential: datainclusion_v1_thematiques: thématique ",
		},
		{
			name: "duplicate objective", file: "cdb_objectifs.csv",
			content: "theme_code,theme_libelle,libelle\r\nlogement,Logement,Changer de logement\r\nlogement,Logement,Changer de logement\r\n",
			wantMsg: `referential: cdb_objectifs: line 3: duplicate objective "Changer de logement"`,
		},
		{
			name: "situation with a straight apostrophe", file: "parcours_situations_objectifs.csv",
			content: situationsHeader + "contraintes_familiales,Aidant familial (s'occuper d'un proche),\n",
			wantMsg: `referential: parcours_situations_objectifs: line 2: unknown situation "Aidant familial (s'occuper d'un proche)" of theme "contraintes_familiales"`,
		},
		{
			name: "situation under another theme", file: "parcours_situations_objectifs.csv",
			content: situationsHeader + aidant + "logement,Permis B,\n",
			wantMsg: `referential: parcours_situations_objectifs: line 3: unknown situation "Permis B" of theme "logement"`,
		},
		{
			name: "objective with a straight apostrophe", file: "parcours_situations_objectifs.csv",
			content: situationsHeader + aidant + "contraintes_familiales,Enfant(s) de moins de 3 ans sans solution de garde,contraintes_familiales:Trouver des solutions de garde d'enfant\n",
			wantMsg: `referential: parcours_situations_objectifs: line 3: unknown objective "contraintes_familiales:Trouver des solutions de garde d'enfant"`,
		},
		{
			name: "objective under another theme", file: "parcours_situations_objectifs.csv",
			content: situationsHeader + "mobilite,Permis B,logement:Accéder à un véhicule\n",
			wantMsg: `referential: parcours_situations_objectifs: line 2: unknown objective "logement:Accéder à un véhicule"`,
		},
		{
			name: "objective without its theme", file: "parcours_situations_objectifs.csv",
			content: situationsHeader + "mobilite,Aucun moyen de transport à disposition,mobilite:Accéder à un véhicule|Obtenir le permis de conduire (code / conduite)\n",
			wantMsg: `referential: parcours_situations_objectifs: line 2: objectifs: "Obtenir le permis de conduire (code / conduite)" is not theme_code:label`,
		},
		{
			name: "objective cited twice", file: "parcours_situations_objectifs.csv",
			content: situationsHeader + "mobilite,Aucun moyen de transport à disposition,mobilite:Accéder à un véhicule|mobilite:Accéder à un véhicule\n",
			wantMsg: `referential: parcours_situations_objectifs: line 2: duplicate objective "mobilite:Accéder à un véhicule"`,
		},
		{
			name: "duplicate situation row", file: "parcours_situations_objectifs.csv",
			content: situationsHeader + aidant + aidant,
			wantMsg: `referential: parcours_situations_objectifs: line 3: duplicate situation "Aidant familial (s’occuper d’un proche)"`,
		},
		{
			name: "situation without a row", file: "parcours_situations_objectifs.csv",
			content: situationsHeader + aidant,
			wantMsg: `referential: parcours_situations_objectifs: no row for situation "Attend un enfant ou plus" of theme "contraintes_familiales"`,
		},
		{
			name: "missing objectifs column", file: "parcours_situations_objectifs.csv",
			content: "theme_code,situation\nmobilite,Permis B\n",
			wantMsg: `referential: parcours_situations_objectifs: line 1: missing column "objectifs"`,
		},
		{
			name: "unknown thématique", file: "parcours_objectifs_thematiques.csv",
			content: objectivesHeader + "contraintes_familiales,Trouver des solutions de garde d’enfant,famille--garde-d-enfants,\n",
			wantMsg: `referential: parcours_objectifs_thematiques: line 2: unknown thématique "famille--garde-d-enfants"`,
		},
		{
			name: "thématique category instead of a code", file: "parcours_objectifs_thematiques.csv",
			content: objectivesHeader + garde + "mobilite,Accéder à un véhicule,mobilite,\n",
			wantMsg: `referential: parcours_objectifs_thematiques: line 3: unknown thématique "mobilite"`,
		},
		{
			name: "no thématique", file: "parcours_objectifs_thematiques.csv",
			content: objectivesHeader + "mobilite,Accéder à un véhicule,,\n",
			wantMsg: "referential: parcours_objectifs_thematiques: line 2: empty thematiques",
		},
		{
			name: "unknown objective row", file: "parcours_objectifs_thematiques.csv",
			content: objectivesHeader + "contraintes_familiales,Trouver des solutions de garde d'enfant,famille--garde-denfants,\n",
			wantMsg: `referential: parcours_objectifs_thematiques: line 2: unknown objective "Trouver des solutions de garde d'enfant" of theme "contraintes_familiales"`,
		},
		{
			name: "unknown action", file: "parcours_objectifs_thematiques.csv",
			content: objectivesHeader + "contraintes_familiales,Trouver des solutions de garde d’enfant,famille--garde-denfants,contraintes_familiales:Accès à une crèche\n",
			wantMsg: `referential: parcours_objectifs_thematiques: line 2: unknown action "contraintes_familiales:Accès à une crèche"`,
		},
		{
			name: "action without its theme", file: "parcours_objectifs_thematiques.csv",
			content: objectivesHeader + "contraintes_familiales,Trouver des solutions de garde d’enfant,famille--garde-denfants,Accès à un mode de garde\n",
			wantMsg: `referential: parcours_objectifs_thematiques: line 2: action: "Accès à un mode de garde" is not theme_code:label`,
		},
		{
			name: "duplicate objective row", file: "parcours_objectifs_thematiques.csv",
			content: objectivesHeader + garde + garde,
			wantMsg: `referential: parcours_objectifs_thematiques: line 3: duplicate objective "Trouver des solutions de garde d’enfant"`,
		},
		{
			name: "objective without a row", file: "parcours_objectifs_thematiques.csv",
			content: objectivesHeader + garde,
			wantMsg: `referential: parcours_objectifs_thematiques: no row for objective "Confirmer son choix de métier" of theme "choisir_un_metier"`,
		},
		{
			name: "missing file", file: "regions.csv",
			remove: true, wantMsg: "referential: regions: ", wantErr: fs.ErrNotExist,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fsys := embedded(t)
			name := "data/" + tt.file
			if tt.file == "communes.csv" {
				delete(fsys, "data/communes.csv.gz")
			}
			if tt.remove {
				delete(fsys, name)
			} else {
				fsys[name] = &fstest.MapFile{Data: []byte(tt.content)}
			}

			r, err := load(fsys)
			if err == nil {
				t.Fatalf("load = %p, nil; want an error", r)
			}
			if !strings.HasPrefix(err.Error(), tt.wantMsg) {
				t.Errorf("load error = %q, want it to start with %q", err, tt.wantMsg)
			}
			if tt.wantErr != nil && !errors.Is(err, tt.wantErr) {
				t.Errorf("load error = %v, want it to wrap %v", err, tt.wantErr)
			}
		})
	}
}

func BenchmarkLoad(b *testing.B) {
	for b.Loop() {
		if _, err := load(data); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkSearchCommunes(b *testing.B) {
	r, err := load(data)
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		r.SearchCommunes("saint", "", 10)
	}
}

func BenchmarkSearchAppellations(b *testing.B) {
	r, err := load(data)
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		r.SearchAppellations("aide a dom", 10)
	}
}
