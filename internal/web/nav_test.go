package web

import "testing"

func TestNavCurrent(t *testing.T) {
	home := navItem{Href: "/"}
	offers := navItem{Href: "/offres", Under: []string{"/employeurs"}}
	for _, c := range []struct {
		it   navItem
		path string
		want bool
	}{
		{home, "/", true},
		{home, "/personnes", false},
		{offers, "/offres", true},
		{offers, "/offres/12/personnes", true},
		{offers, "/employeurs", true},
		{offers, "/employeurs/3/modifier", true},
		{offers, "/offresx", false},
		{offers, "/personnes/4/offres", false},
	} {
		if got := c.it.current(c.path); got != c.want {
			t.Errorf("%s on %s: current = %v, want %v", c.it.Href, c.path, got, c.want)
		}
	}
}
