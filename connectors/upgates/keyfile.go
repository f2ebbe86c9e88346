package upgates

import (
	"fmt"
	"strings"

	"storelink/connectors"
)

// validatePublicKeyFile is the public_key_file field's check when a
// connection is saved: an existing PEM file with an RSA public key, the
// kind Upgates signs installation requests with.
func validatePublicKeyFile(path string) error {
	data, err := connectors.CheckLocalFile("Signature public key file", path, connectors.MaxKeyFileSize)
	if err != nil {
		return err
	}
	if _, err := ParsePublicKey(data); err != nil {
		return fmt.Errorf("%s holds no RSA public key (%s); choose the PEM file of Upgates' signature public key, from %s", path, strings.TrimPrefix(err.Error(), "upgates: "), DefaultPublicKeyURL)
	}
	return nil
}
