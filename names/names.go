// Package names is what makes two names of connections or agents one name:
// the form a name is kept in (trimmed, NFC), the characters a name may not
// hold (controls, invisible and text-direction characters), and the
// look-alike key that the engine and the vault both compare, so "café"
// typed two ways, "shop" and "ѕhop" (Cyrillic ѕ) are one name. Fyne-free.
package names

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/mtibben/confusables"
	"golang.org/x/text/cases"
	"golang.org/x/text/unicode/norm"
)

// MaxLen is the longest name, in bytes.
const MaxLen = 200

// Tidy is the form a name is kept in: trimmed and composed (NFC), so the
// same letters typed as one code point or as a letter and an accent are
// the same text.
func Tidy(name string) string {
	return norm.NFC.String(strings.TrimSpace(name))
}

// Check says what is wrong with a tidied name, or "": names are printed in
// terminals and lists, so invalid UTF-8, control characters, invisible
// characters (zero-width space or joiner, soft hyphen, BOM, fillers,
// variation selectors) and text-direction controls, which fake rows or
// make two different names look alike, are refused.
func Check(name string) string {
	if !utf8.ValidString(name) {
		return "must be valid text (UTF-8)"
	}
	for _, r := range name {
		if unicode.IsControl(r) || IsBidiControl(r) {
			return fmt.Sprintf("must not contain control characters (found %U); type the name again", r)
		}
		if IsInvisible(r) {
			return fmt.Sprintf("must not contain invisible characters (found %U); type the name again without it", r)
		}
	}
	if len(name) > MaxLen {
		return fmt.Sprintf("must be at most %d characters long", MaxLen)
	}
	return ""
}

// IsBidiControl: the characters that reorder displayed text (U+202A-U+202E,
// U+2066-U+2069, U+200E, U+200F, U+061C).
func IsBidiControl(r rune) bool {
	return r >= 0x202A && r <= 0x202E || r >= 0x2066 && r <= 0x2069 || r == 0x200E || r == 0x200F || r == 0x061C
}

// IsInvisible: format characters (Unicode Cf: zero-width space and joiners,
// soft hyphen, BOM...), the other default-ignorable code points (Hangul
// fillers, U+034F), variation selectors, line and paragraph separators and
// private-use characters: none shows as itself.
func IsInvisible(r rune) bool {
	return unicode.In(r, unicode.Cf, unicode.Other_Default_Ignorable_Code_Point, unicode.Variation_Selector,
		unicode.Zl, unicode.Zp, unicode.Co)
}

// fold is full Unicode case folding ("Straße" and "STRASSE" fold alike).
var fold = cases.Fold()

// Equal reports whether a and b are the same name: the same letters once
// composed, whatever their case.
func Equal(a, b string) bool {
	return fold.String(Tidy(a)) == fold.String(Tidy(b))
}

// Key is what two names that look the same share: case folded, then the
// UTS #39 confusables skeleton (Cyrillic "а" becomes Latin "a", "ﬁ" becomes
// "fi"), folded again, runs of spaces as one. It is for comparing only,
// never for showing.
func Key(name string) string {
	s := confusables.Skeleton(fold.String(Tidy(name)))
	return strings.Join(strings.Fields(fold.String(s)), " ")
}

// LookAlike reports whether a and b look the same to a person.
func LookAlike(a, b string) bool { return Key(a) == Key(b) }
