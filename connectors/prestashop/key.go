package prestashop

import (
	"crypto/rand"
	"fmt"
	"strings"
)

// KeyLength is the only key length PrestaShop accepts: WebserviceRequest::authenticate
// answers error 18 "Invalid authentication key format" to any other.
const KeyLength = 32

// KeyAlphabet is what the back office's "Generate!" button draws from:
// digits 1-9 and capital letters without O, so that no key shows O next to 0
// (admin-dev/themes/new-theme/js/components/generatable-input.ts generateValue,
// and gencode() in js/admin.js on 1.6).
const KeyAlphabet = "123456789ABCDEFGHIJKLMNPQRSTUVWXYZ"

// keyChars are the characters the 1.7+ key form accepts
// (TypedRegexValidator, TYPE_WEBSERVICE_KEY: /^[a-zA-Z0-9@\#\?\-\_]+$/i).
const keySpecials = "@#?-_"

// GenerateKey returns a new 32-character webservice key drawn uniformly from
// KeyAlphabet with crypto/rand, to paste into Advanced Parameters > Webservice
// > Add new webservice key.
func GenerateKey() (string, error) {
	n := len(KeyAlphabet)
	limit := 256 - 256%n // bytes at or above limit would favour the first letters
	out := make([]byte, 0, KeyLength)
	buf := make([]byte, 2*KeyLength)
	for len(out) < KeyLength {
		if _, err := rand.Read(buf); err != nil {
			return "", fmt.Errorf("prestashop: reading random bytes: %w", err)
		}
		for _, b := range buf {
			if int(b) >= limit {
				continue
			}
			out = append(out, KeyAlphabet[int(b)%n])
			if len(out) == KeyLength {
				break
			}
		}
	}
	return string(out), nil
}

// errKeyLength is the exact wording the issue asks for.
const keyLengthMessage = "must be exactly 32 characters (PrestaShop rejects other lengths with \"Invalid authentication key format\")"

func validateKey(v string) error {
	if len(strings.TrimSpace(v)) != KeyLength {
		return fmtError(keyLengthMessage)
	}
	return nil
}

// warnKey flags characters the back office form would refuse; such a key was
// most likely copied with something extra. The key itself is never echoed.
func warnKey(v string) string {
	bad := 0
	for _, r := range strings.TrimSpace(v) {
		if !keyCharOK(r) {
			bad++
		}
	}
	switch bad {
	case 0:
		return ""
	case 1:
		return "contains 1 character PrestaShop keys do not use (only letters, digits and @ # ? - _); check that it was copied exactly"
	default:
		return fmt.Sprintf("contains %d characters PrestaShop keys do not use (only letters, digits and @ # ? - _); check that it was copied exactly", bad)
	}
}

func keyCharOK(r rune) bool {
	return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune(keySpecials, r)
}

// fieldError is a plain-words validation message without the field label.
type fieldError string

func (e fieldError) Error() string { return string(e) }

func fmtError(format string, args ...any) error { return fieldError(fmt.Sprintf(format, args...)) }
