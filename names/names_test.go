package names

import (
	"strings"
	"testing"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

func TestTidyComposes(t *testing.T) {
	nfd := "cafe\u0301"
	if got := Tidy("  " + nfd + " "); got != "caf\u00e9" {
		t.Errorf("Tidy(NFD café) = %q, want the composed form", got)
	}
}

func TestCheckRefusesInvisibleAndControls(t *testing.T) {
	for _, s := range []string{"sh\u200bop", "sh\u200dop", "sh\u00adop", "\ufeffshop", "shop\u202e", "shop\u2066", "shop\u200e", "shop\x1b[31m", "sh\u3164op", "shop\ufe0f", "shop\u2028x", "shop\ue000"} {
		if Check(Tidy(s)) == "" {
			t.Errorf("Check(%q) accepted it", s)
		}
	}
	for _, s := range []string{"shop", "Café Praha", "Obchod – Brno (test)", "ѕhop", strings.Repeat("a", MaxLen)} {
		if msg := Check(Tidy(s)); msg != "" {
			t.Errorf("Check(%q) = %q", s, msg)
		}
	}
}

func TestLookAlike(t *testing.T) {
	for _, p := range [][2]string{
		{"café", "cafe\u0301"},    // composed and decomposed
		{"shop", "SHOP"},          // case
		{"paypal", "p\u0430ypal"}, // Cyrillic а
		{"shop", "\u0455hop"},     // Cyrillic ѕ
		{"Straße", "STRASSE"},     // full case folding
		{"my shop", "my  shop"},   // a doubled space
		{"office", "o\ufb03ce"},   // the ﬃ ligature
	} {
		if !LookAlike(p[0], p[1]) {
			t.Errorf("LookAlike(%q, %q) = false", p[0], p[1])
		}
	}
	for _, p := range [][2]string{{"shop", "shop2"}, {"café", "cafe"}, {"Brno", "Praha"}} {
		if LookAlike(p[0], p[1]) {
			t.Errorf("LookAlike(%q, %q) = true", p[0], p[1])
		}
	}
	if !Equal("café", "CAFE\u0301") || Equal("paypal", "p\u0430ypal") {
		t.Error("Equal is about the same letters, not look-alikes")
	}
}

// FuzzNameTidy: a tidied name that Check accepts is NFC, holds no invisible
// or control character, tidies to itself, and every name that looks like it
// has the same key (so the engine and the vault refuse it as a duplicate).
func FuzzNameTidy(f *testing.F) {
	for _, s := range []string{"shop", " café ", "cafe\u0301", "sh\u200bop", "p\u0430ypal", "Straße", "a\u202eb", "\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		name := Tidy(in)
		if Tidy(name) != name {
			t.Fatalf("Tidy not idempotent: %q -> %q -> %q", in, name, Tidy(name))
		}
		if Check(name) != "" {
			return
		}
		if !norm.NFC.IsNormalString(name) {
			t.Fatalf("%q accepted but not NFC", name)
		}
		for _, r := range name {
			if unicode.Is(unicode.Cf, r) || unicode.IsControl(r) || IsBidiControl(r) {
				t.Fatalf("%q accepted with %U", name, r)
			}
		}
		// The same name in other forms must collide with it.
		for _, other := range []string{norm.NFD.String(name), strings.ToUpper(name), strings.ToLower(name), " " + name + " "} {
			if !LookAlike(name, other) {
				t.Fatalf("%q and %q are one name to a reader but keys %q, %q", name, other, Key(name), Key(other))
			}
		}
		if k := Key(name); Key(k) != k {
			t.Fatalf("the key of %q, %q, has another key %q", name, k, Key(k))
		}
	})
}
