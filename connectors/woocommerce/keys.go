package woocommerce

// keys.go: the format of WooCommerce's REST API keys. WC_Auth and the
// admin's key screen make them as "ck_" or "cs_" followed by wc_rand_hash(),
// a SHA-1 in lower-case hexadecimal: 40 characters.

import (
	"errors"
	"fmt"
	"strings"
)

// HashLength is the number of hexadecimal characters after the prefix.
const HashLength = 40

const (
	keyPrefix    = "ck_"
	secretPrefix = "cs_"
)

// errSwappedKey and errSwappedSecret recognise a key and a secret pasted
// into each other's field; they never quote the value.
var (
	errSwappedKey    = errors.New("holds a consumer secret (it starts with cs_); paste it into Consumer secret and the value starting with ck_ here")
	errSwappedSecret = errors.New("holds a consumer key (it starts with ck_); paste it into Consumer key and the value starting with cs_ here")
)

func validateConsumerKey(v string) error {
	return checkCredential(strings.TrimSpace(v), keyPrefix, secretPrefix, errSwappedKey)
}

func validateConsumerSecret(v string) error {
	return checkCredential(strings.TrimSpace(v), secretPrefix, keyPrefix, errSwappedSecret)
}

// checkCredential says in words what is wrong with s, or nil.
func checkCredential(s, prefix, other string, swapped error) error {
	if strings.HasPrefix(s, other) && isHash(s[len(other):]) {
		return swapped
	}
	if !strings.HasPrefix(s, prefix) {
		return fmt.Errorf("must start with %s followed by %d hexadecimal characters; copy it again from %s", prefix, HashLength, keysPage)
	}
	rest := s[len(prefix):]
	if len(rest) != HashLength {
		return fmt.Errorf("must be %s followed by %d hexadecimal characters; this one has %d after %s, so part of it is missing or extra: copy it again from %s", prefix, HashLength, len(rest), prefix, keysPage)
	}
	if !isHash(rest) {
		return fmt.Errorf("must be %s followed by %d hexadecimal characters (0-9 and a-f, lower case); copy it again from %s", prefix, HashLength, keysPage)
	}
	return nil
}

func isHash(s string) bool {
	if len(s) != HashLength {
		return false
	}
	for _, c := range []byte(s) {
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return false
		}
	}
	return true
}
