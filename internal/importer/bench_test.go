package importer_test

import (
	"bytes"
	"fmt"
	"runtime"
	"testing"

	"github.com/spie-parcours/parcours/internal/importer"
)

// letters writes n in base 26 with letters, to make distinct names.
func letters(n int) string {
	b := []byte{}
	for {
		b = append(b, byte('a'+n%26))
		n /= 26
		if n == 0 {
			return string(b)
		}
	}
}

// csv100k returns a CAF-like CSV file of 100,000 distinct, valid persons of
// the Territoire de Belfort, in Windows-1252 as French Excel writes it.
func csv100k() []byte {
	communes := [][2]string{{"90000", "BELFORT"}, {"90800", "Bavilliers"}, {"90110", "ST GERMAIN LE CHATELET"},
		{"90300", "Valdoie"}, {"90400", "Danjoutin"}, {"90500", "Beaucourt"}, {"25200", "Montbéliard"}}
	rsa := []string{"Droit ouvert et versable", "2", "Droit clos", "Ouvert", "Droit ouvert et suspendu"}
	var b bytes.Buffer
	b.WriteString("N° allocataire;Rôle;NOM;Prénom;Date de naissance;Sexe;Adresse;Code postal;Ville;Téléphone;Mail;Droits RSA;Date d'ouverture de droit\r\n")
	for i := range 100_000 {
		c := communes[i%len(communes)]
		role := "DEM" // a household of two, the same CAF number
		if i%2 == 1 {
			role = "CJT"
		}
		fmt.Fprintf(&b, "%07d;%s;Lefèvre-%s;Élodie;%02d/%02d/%d;%s;%d rue de la Gare;%s;%s;06%08d;p%d@exemple.fr;%s;%d-%02d-01\r\n",
			1000000+i/2, role, letters(i), 1+i%28, 1+i%12, 1950+i%50, "FM"[i%2:i%2+1], 1+i%200, c[0], c[1],
			i, i, rsa[i%len(rsa)], 2010+i%15, 1+i%12)
	}
	out, err := encode1252(b.String())
	if err != nil {
		panic(err)
	}
	return out
}

// encode1252 encodes Latin text in Windows-1252.
func encode1252(s string) ([]byte, error) {
	out := make([]byte, 0, len(s))
	for _, r := range s {
		if r >= 0x100 {
			return nil, fmt.Errorf("%q is not in Windows-1252's Latin-1 part", r)
		}
		out = append(out, byte(r))
	}
	return out, nil
}

// BenchmarkParse100k reads and parses a file of 100,000 persons, as one
// import does. Besides time and allocations per import, it reports the heap
// the table and the rows hold once parsed (live-MB).
func BenchmarkParse100k(b *testing.B) {
	ref := mustRef(b)
	data := csv100k()
	parse := func() (*importer.Table, []importer.Row) {
		tab, err := importer.ReadCSV(bytes.NewReader(data))
		if err != nil {
			b.Fatal(err)
		}
		m := importer.GuessMapping(tab.Header)
		if fs := m.Validate(tab.Header); len(fs) > 0 {
			b.Fatal(fs)
		}
		return tab, importer.ParseRows(tab, m, ref, "90", now)
	}

	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		parse()
	}
	b.StopTimer()

	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	tab, rows := parse()
	runtime.GC()
	runtime.ReadMemStats(&after)
	for _, r := range rows {
		if len(r.Errors) > 0 {
			b.Fatalf("line %d: %v", r.Line, r.Errors)
		}
	}
	if len(rows) != 100_000 {
		b.Fatalf("%d rows", len(rows))
	}
	b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/(1<<20), "live-MB")
	runtime.KeepAlive(tab)
	runtime.KeepAlive(rows)
}
