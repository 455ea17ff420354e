// Package person holds the person accompanied and their shared record.
package person

import "time"

// Person is the identity of a person accompanied. NIR is never held.
type Person struct {
	ID              int64
	TerritoryID     int64
	FirstName       string
	LastName        string
	BirthName       string
	BirthDate       time.Time // date only, UTC midnight
	Sex             string    // "F", "M" or ""
	Email           string
	Phone           string
	Address         string
	CommuneINSEE    string
	CAFNumber       string
	FranceTravailID string
	CreatedAt       time.Time
}
