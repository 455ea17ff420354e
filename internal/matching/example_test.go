package matching_test

import (
	"fmt"
	"time"

	"github.com/spie-parcours/parcours/internal/matching"
)

// A person of Belfort looking for work as an aide à domicile, without a
// driving licence, and three offers: the same job 12 km away, the same job
// needing a licence, and a job of the same domaine next door.
func ExampleTopOffers() {
	now := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	person := matching.Profile{
		PersonID: 1, HasPlace: true, Lat: 47.6380, Lon: 6.8628, RadiusKm: 20,
		Appellations: []string{"aide-a-domicile"}, ROMECodes: []string{"K1302"},
		Domaines: []string{"K13"}, GrandDomaines: []string{"K"},
		HoursWanted: 24, Contracts: []string{"cdi"},
	}
	offers := []matching.Offer{
		{OfferID: 10, Appellation: "aide-a-domicile", ROMECode: "K1302", Domaine: "K13", GrandDomaine: "K",
			Lat: 47.5100, Lon: 6.7983, WeeklyHours: 24, Contract: "cdi", PublishedAt: now.AddDate(0, 0, -3)}, // Montbéliard
		{OfferID: 11, Appellation: "aide-a-domicile", ROMECode: "K1302", Domaine: "K13", GrandDomaine: "K",
			Lat: 47.6500, Lon: 6.8500, NeedsLicence: true, PublishedAt: now},
		{OfferID: 12, Appellation: "accompagnant-educatif", ROMECode: "K1301", Domaine: "K13", GrandDomaine: "K",
			Lat: 47.6400, Lon: 6.8600, WeeklyHours: 35, Contract: "cdd", PublishedAt: now.AddDate(0, 0, -1)},
	}
	for _, r := range matching.TopOffers(matching.DefaultConfig(), person, offers, now, 20) {
		fmt.Println(r.ID, r.Reasons)
	}
	// Output:
	// 10 [même métier à 15 km, dans votre rayon de 20 km 24 h par semaine, comme souhaité CDI, comme souhaité publiée il y a 3 jours]
	// 12 [même domaine professionnel à moins d'1 km, dans votre rayon de 20 km 35 h par semaine pour 24 h souhaitées CDD : contrat non souhaité publiée hier]
}
