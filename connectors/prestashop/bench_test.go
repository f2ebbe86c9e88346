package prestashop

import (
	"context"
	"testing"

	"storelink/connectors"
	"storelink/connectors/prestashop/pstest"
)

// BenchmarkTestHappyPath is one whole connection test against a local
// PrestaShop 8 emulator: the request, the root listing parsed (every
// resource's permissions) and the result built.
func BenchmarkTestHappyPath(b *testing.B) {
	s := pstest.New(pstest.Options{})
	defer s.Close()
	cfg := connectors.Config{Values: connectors.Values{FieldStoreURL: s.StoreURL(), FieldUseHTTPS: "false", FieldAPIKey: s.Key()}}
	b.ReportAllocs()
	for b.Loop() {
		if r := connectors.Run(context.Background(), Info(), cfg); !r.OK {
			b.Fatalf("%s: %s", r.Code, r.Message)
		}
	}
}
