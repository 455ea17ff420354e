package directory_test

import (
	"testing"
	"time"

	"github.com/spie-parcours/parcours/internal/demo"
	"github.com/spie-parcours/parcours/internal/directory"
	"github.com/spie-parcours/parcours/internal/referential"
)

// TestDemoDirectoryExportValidates exports the whole demo directory (every
// structure, every service, as the API's export writes them) and validates
// each item against the official data·inclusion v1 JSON Schemas.
func TestDemoDirectoryExportValidates(t *testing.T) {
	ref, err := referential.Load()
	if err != nil {
		t.Fatal(err)
	}
	const source = "parcours-90"
	updated := time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)
	diIDs := map[string]string{}
	var structures []directory.DIStructure
	for i, ds := range demo.DirectoryStructures {
		st := ds.Directory()
		st.ID, st.UpdatedAt = int64(i+1), updated
		st.Normalize(ref)
		d := directory.ExportStructure(st, source)
		diIDs[st.Name] = d.ID
		structures = append(structures, d)
	}
	var services []directory.DIService
	for i, sv := range demo.Services() {
		sv.ID, sv.UpdatedAt = int64(i+1), updated
		sv.Normalize(ref)
		id, ok := diIDs[sv.StructureName]
		if !ok {
			t.Fatalf("service %q of an unknown structure %q", sv.Name, sv.StructureName)
		}
		services = append(services, directory.ExportService(sv, source, id))
	}
	if len(structures) < 50 || len(services) < 150 {
		t.Fatalf("%d structures and %d services: the demo directory shrank", len(structures), len(services))
	}
	if err := directory.SchemaErr("structure", structures); err != nil {
		t.Errorf("structures: %v", err)
	}
	if err := directory.SchemaErr("service", services); err != nil {
		t.Errorf("services: %v", err)
	}
}
