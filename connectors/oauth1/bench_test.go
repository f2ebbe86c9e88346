package oauth1

import (
	"crypto/rand"
	"crypto/rsa"
	"testing"
)

// BenchmarkSign signs one Magento REST request (a query string, a token)
// with each of the seven methods: what every request of a test costs.
func BenchmarkSign(b *testing.B) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		b.Fatal(err)
	}
	req := Request{Method: "GET", URL: "https://shop.example/rest/default/V1/store/storeConfigs?searchCriteria[pageSize]=1"}
	for _, m := range Methods {
		signer, err := NewSigner(SignerConfig{Method: m, ConsumerSecret: "2rxrwgl2ph9wk8bh8v3kf6s7ovj9g1sa", PrivateKey: key})
		if err != nil {
			b.Fatal(err)
		}
		creds := Credentials{ConsumerKey: "u1hvkyzeqs3ykcxfq6lzd3uu8uw9b0q2", Token: "ik4p0qbd7ye5oxnyl2gv0sdw4vh3ifkr",
			TokenSecret: "xb0ws2kx6x6hsbm6snqv6ybaadhbr8xa", Signer: signer}
		b.Run(m, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Sign(req, creds, Options{}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
