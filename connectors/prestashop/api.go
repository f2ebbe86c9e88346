package prestashop

// api.go: requests a saved PrestaShop connection makes of its webservice
// (`storelink api`, Try a request): under /api, the key as the user name
// of Basic authentication, as the test sends it first.

import (
	"context"
	"encoding/base64"
	"errors"

	"storelink/connectors"
)

func api() *connectors.API {
	return &connectors.API{
		Root:   apiRoot,
		Open:   openSession,
		Fields: "xml",
		Examples: []connectors.APIExample{
			{Label: "What the key may use", Method: "GET", Path: "/"},
			{Label: "Products", Method: "GET", Path: "/products?display=[id,name,reference]&limit=5"},
			{Label: "Orders", Method: "GET", Path: "/orders?display=[id,reference,total_paid]&limit=5"},
		},
	}
}

func apiRoot(v connectors.Values) (string, error) {
	o := decode(v)
	if o.Store == "" {
		return "", errors.New("The connection has no valid Shop address.")
	}
	return o.base() + "/api", nil
}

func openSession(_ context.Context, cfg connectors.Config) (connectors.Session, error) {
	o := decode(cfg.Values)
	if o.Key == "" {
		return nil, &connectors.ResultError{Result: connectors.Fail(connectors.CodeInvalidInput,
			"The connection has no API key.", "Edit the connection and enter its API key.")}
	}
	return session{auth: "Basic " + base64.StdEncoding.EncodeToString([]byte(o.Key+":"))}, nil
}

type session struct{ auth string }

func (s session) Authorize(r *connectors.Request) error {
	r.Header.Set("Authorization", s.auth)
	return nil
}

func (session) Done(connectors.Request, *connectors.Response) {}
