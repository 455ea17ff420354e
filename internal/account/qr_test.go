package account

import (
	"encoding/xml"
	"fmt"
	"io"
	"strconv"
	"strings"
	"testing"

	"rsc.io/qr"
)

// svgDoc is the part of the SVG document the tests look at.
type svgDoc struct {
	XMLName   xml.Name `xml:"http://www.w3.org/2000/svg svg"`
	ViewBox   string   `xml:"viewBox,attr"`
	Rendering string   `xml:"shape-rendering,attr"`
	Role      string   `xml:"role,attr"`
	AriaLabel string   `xml:"aria-label,attr"`
	Title     string   `xml:"title"`
	Rects     []struct {
		Width  string `xml:"width,attr"`
		Height string `xml:"height,attr"`
		Fill   string `xml:"fill,attr"`
	} `xml:"rect"`
	Paths []struct {
		D    string `xml:"d,attr"`
		Fill string `xml:"fill,attr"`
	} `xml:"path"`
}

func TestQRCodeSVG(t *testing.T) {
	texts := []string{
		"0123456789",
		"HELLO WORLD",
		TOTPURI("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ", "marie.dupont@cd93.fr", "Parcours"),
		TOTPURI("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ", "jean-baptiste.de-la-fontaine+test@conseil-departemental-seine-saint-denis.fr", "Parcours : Seine-Saint-Denis"),
	}
	for _, text := range texts {
		t.Run(text, func(t *testing.T) {
			svg, err := QRCodeSVG(text)
			if err != nil {
				t.Fatal(err)
			}
			code, err := qr.Encode(text, qr.M)
			if err != nil {
				t.Fatal(err)
			}

			var doc svgDoc
			if err := xml.Unmarshal([]byte(svg), &doc); err != nil {
				t.Fatalf("SVG does not parse as XML: %v\n%s", err, svg)
			}
			checkNoStyle(t, svg)

			side := code.Size + 2*4
			if want := fmt.Sprintf("0 0 %d %d", side, side); doc.ViewBox != want {
				t.Errorf("viewBox = %q, want %q (%d modules and a 4-module quiet zone each side)", doc.ViewBox, want, code.Size)
			}
			if doc.Rendering != "crispEdges" {
				t.Errorf("shape-rendering = %q, want crispEdges", doc.Rendering)
			}
			const label = "QR code à scanner avec votre application d'authentification"
			if doc.Role != "img" || doc.AriaLabel != label || doc.Title != label {
				t.Errorf("role, aria-label, title = %q, %q, %q; want img and %q", doc.Role, doc.AriaLabel, doc.Title, label)
			}
			if len(doc.Rects) != 1 || doc.Rects[0].Fill != "#fff" || doc.Rects[0].Width != strconv.Itoa(side) || doc.Rects[0].Height != strconv.Itoa(side) {
				t.Errorf("background rects = %+v, want one white %d×%d", doc.Rects, side, side)
			}
			if len(doc.Paths) != 1 {
				t.Fatalf("%d paths, want 1", len(doc.Paths))
			}
			if doc.Paths[0].Fill != "#000" {
				t.Errorf("path fill = %q, want #000", doc.Paths[0].Fill)
			}

			grid := rasterize(t, doc.Paths[0].D, side)
			for y := range side {
				for x := range side {
					want := code.Black(x-4, y-4) // false in the quiet zone
					if grid[y][x] != want {
						t.Fatalf("module (%d, %d) dark = %v, want %v", x-4, y-4, grid[y][x], want)
					}
				}
			}
		})
	}
}

func TestQRCodeSVGTooLong(t *testing.T) {
	if _, err := QRCodeSVG(strings.Repeat("é", 3000)); err == nil {
		t.Error("QRCodeSVG(6000 bytes) = nil error, want too long")
	}
}

// checkNoStyle fails on any style attribute or element, which the
// Content-Security-Policy would block.
func checkNoStyle(t *testing.T, svg string) {
	t.Helper()
	dec := xml.NewDecoder(strings.NewReader(svg))
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			return
		}
		if err != nil {
			t.Fatal(err)
		}
		if el, ok := tok.(xml.StartElement); ok {
			if el.Name.Local == "style" {
				t.Error("SVG has a <style> element")
			}
			for _, a := range el.Attr {
				if a.Name.Local == "style" {
					t.Errorf("<%s> has a style attribute", el.Name.Local)
				}
			}
		}
	}
}

// rasterize paints the path data of QRCodeSVG, a list of "Mx yhNv1h-Nz"
// rectangles one module high, on a side×side grid. Overlapping or
// out-of-bounds rectangles fail the test.
func rasterize(t *testing.T, d string, side int) [][]bool {
	t.Helper()
	grid := make([][]bool, side)
	for i := range grid {
		grid[i] = make([]bool, side)
	}
	segs := strings.Split(d, "z")
	if segs[len(segs)-1] != "" {
		t.Fatalf("path data does not end with z: %q", d)
	}
	for _, seg := range segs[:len(segs)-1] {
		var x, y, w, back int
		if n, err := fmt.Sscanf(seg, "M%d %dh%dv1h-%d", &x, &y, &w, &back); n != 4 || err != nil {
			t.Fatalf("segment %q: %v", seg, err)
		}
		if fmt.Sprintf("M%d %dh%dv1h-%d", x, y, w, back) != seg {
			t.Fatalf("segment %q is not in canonical form", seg)
		}
		if w < 1 || back != w || y < 0 || y >= side || x < 0 || x+w > side {
			t.Fatalf("segment %q: not a one-module-high rectangle inside the %d×%d grid", seg, side, side)
		}
		if x > 0 && grid[y][x-1] {
			t.Errorf("segment %q continues a run on its left: horizontal runs are not merged", seg)
		}
		for i := x; i < x+w; i++ {
			if grid[y][i] {
				t.Fatalf("segment %q overlaps another", seg)
			}
			grid[y][i] = true
		}
	}
	return grid
}
