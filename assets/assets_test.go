package assets

import (
	"bytes"
	"image"
	"image/png"
	"testing"
)

func TestIconsAreEmbedded(t *testing.T) {
	for _, name := range []string{"prestashop.svg", "magento2.svg", "upgates.svg", "woocommerce.svg", "shopify.svg"} {
		r := Icon(name)
		if r == nil || r.Name() != name || !bytes.Contains(r.Content(), []byte("<svg")) {
			t.Errorf("Icon(%q) = %v, want the embedded SVG", name, r)
		}
	}
	if r := Icon("unknown.svg"); r == nil || r.Name() != "icon.svg" {
		t.Errorf("Icon(unknown) = %v, want the app icon as a fallback", r)
	}
	img, err := png.Decode(bytes.NewReader(AppIcon().Content()))
	if err != nil {
		t.Fatal(err)
	}
	if _, eightBits := img.(*image.NRGBA); !eightBits {
		t.Errorf("window-icon.png decodes to %T, want 8 bits a channel (*image.NRGBA)", img)
	}
	if b := img.Bounds(); b.Dx() != 128 || b.Dy() != 128 {
		t.Errorf("window-icon.png is %dx%d, want 128x128", b.Dx(), b.Dy())
	}
}
