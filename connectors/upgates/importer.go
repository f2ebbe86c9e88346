package upgates

// "Import installation request...": the window fills the Upgates form from a
// saved or pasted installation request, verified like the endpoint does.

import (
	"context"
	"fmt"
	"os"
	"time"

	"storelink/connectors"
)

// Keys of the importer's parameters.
const (
	ParamSignatureToken = "signature_token"
	ParamPublicKeyFile  = FieldPublicKeyFile
)

func importer() *connectors.Importer {
	return &connectors.Importer{
		Label: "Import installation request...",
		Params: []connectors.Field{
			{Key: ParamSignatureToken, Label: "Signature token", Kind: connectors.KindSecret, Required: true,
				Help: "The add-on's signature_token, from Marketplace > Add-on details > Add-on development in Upgates. It proves the request was signed for this add-on."},
			{Key: ParamPublicKeyFile, Label: "Signature public key file", Kind: connectors.KindFile,
				Help: "A PEM file with Upgates' signature public key, for use offline. Empty: the key is fetched from " + DefaultPublicKeyURL + "."},
		},
		Import: Import,
	}
}

// Import verifies an installation request and returns the connection values
// it carries. The time check uses the wall clock: a request saved earlier
// than its validity is refused as expired.
func Import(ctx context.Context, data []byte, params connectors.Values) (connectors.Values, error) {
	keys := &KeySource{File: params.String(ParamPublicKeyFile)}
	if keys.File != "" {
		if _, err := os.Stat(keys.File); err != nil {
			return nil, fmt.Errorf("upgates: the public key file: %w", err)
		}
	}
	in, err := keys.Verify(ctx, data, params.String(ParamSignatureToken), time.Now())
	if err != nil {
		return nil, err
	}
	return in.Values(), nil
}
