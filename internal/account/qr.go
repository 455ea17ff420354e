package account

import (
	"fmt"
	"strconv"
	"strings"

	"rsc.io/qr"
)

const (
	qrQuiet = 4 // modules of quiet zone on each side, as ISO/IEC 18004 requires
	qrScale = 5 // default CSS pixels per module; a stylesheet may resize the image
	qrLabel = "QR code à scanner avec votre application d'authentification"
)

// QRCodeSVG renders text as a QR code (error-correction level M) in a
// standalone SVG document: a white background and one path holding the dark
// modules, each horizontal run drawn as one rectangle. Colours are fill
// attributes rather than inline styles, which the Content-Security-Policy
// forbids. The result can be served as image/svg+xml or inlined in a page.
func QRCodeSVG(text string) (string, error) {
	code, err := qr.Encode(text, qr.M)
	if err != nil {
		return "", fmt.Errorf("account: QR code: %w", err)
	}
	side := strconv.Itoa(code.Size + 2*qrQuiet)
	px := strconv.Itoa((code.Size + 2*qrQuiet) * qrScale)

	var d strings.Builder
	for y := range code.Size {
		for x := 0; x < code.Size; {
			if !code.Black(x, y) {
				x++
				continue
			}
			start := x
			for x < code.Size && code.Black(x, y) {
				x++
			}
			n := strconv.Itoa(x - start)
			fmt.Fprintf(&d, "M%d %dh%sv1h-%sz", start+qrQuiet, y+qrQuiet, n, n)
		}
	}

	var b strings.Builder
	b.WriteString(`<svg xmlns="http://www.w3.org/2000/svg" width="` + px + `" height="` + px +
		`" viewBox="0 0 ` + side + ` ` + side + `" shape-rendering="crispEdges" role="img" aria-label="` + qrLabel + `">`)
	b.WriteString(`<title>` + qrLabel + `</title>`)
	b.WriteString(`<rect width="` + side + `" height="` + side + `" fill="#fff"/>`)
	b.WriteString(`<path fill="#000" d="` + d.String() + `"/>`)
	b.WriteString(`</svg>`)
	return b.String(), nil
}
