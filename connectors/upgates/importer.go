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

func (c *Connector) importer() *connectors.Importer {
	return &connectors.Importer{
		Label: "Import installation request...",
		Params: []connectors.Field{
			{Key: ParamSignatureToken, Label: "Signature token", Kind: connectors.KindSecret, Required: true,
				Help: "The add-on's signature_token, from Marketplace > Add-on details > Add-on development in Upgates. It proves the request was signed for this add-on."},
			{Key: ParamPublicKeyFile, Label: "Signature public key file", Kind: connectors.KindFile,
				Help: "A PEM file with Upgates' signature public key, for use offline. Empty: the key is fetched from " + DefaultPublicKeyURL + "."},
		},
		Import: c.Import,
	}
}

// publishedKeySource is the KeySource of Upgates' published key for
// env.CacheDir, shared by the imports made through c.
func (c *Connector) publishedKeySource(env connectors.ImportEnv) *KeySource {
	ks, _ := c.keys.LoadOrStore(env.CacheDir, &KeySource{URL: c.keyURL, CacheDir: env.CacheDir, Client: env.Client})
	return ks.(*KeySource)
}

// Import verifies an installation request and returns the connection values
// it carries. The time check uses the wall clock: a request saved earlier
// than its validity is refused as expired.
func (c *Connector) Import(ctx context.Context, data []byte, params connectors.Values, env connectors.ImportEnv) (connectors.Values, error) {
	var keys *KeySource
	if file := params.String(ParamPublicKeyFile); file != "" {
		if _, err := os.Stat(file); err != nil {
			return nil, fmt.Errorf("upgates: the public key file: %w", err)
		}
		keys = &KeySource{File: file}
	} else {
		keys = c.publishedKeySource(env)
	}
	in, err := keys.Verify(ctx, data, params.String(ParamSignatureToken), time.Now())
	if err != nil {
		return nil, err
	}
	return in.Values(), nil
}
