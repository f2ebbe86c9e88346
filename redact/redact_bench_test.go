package redact

import (
	"strconv"
	"strings"
	"testing"
)

// A typical log line with 20 known secrets: the cost every log line pays.
func BenchmarkRedactLogLine(b *testing.B) {
	r := New()
	for i := 0; i < 20; i++ {
		r.Add("secret-value-number-" + strconv.Itoa(i) + "-xxxxxxxxxxxx")
	}
	line := `time="2026-11-23T10:00:00Z" level=info msg="test finished" app=prestashop code=ok connection="My shop" requests=1`
	b.ReportAllocs()
	b.SetBytes(int64(len(line)))
	for b.Loop() {
		_ = r.String(line)
	}
}

// A line that triggers the patterns (an exchange with a header dump).
func BenchmarkRedactExchange(b *testing.B) {
	r := New()
	line := "GET https://shop.example/api/?ws_key=ABCDEFGHIJKLMNOPQRSTUVWXYZ123456 Authorization: Basic " + strings.Repeat("Q", 44)
	b.ReportAllocs()
	for b.Loop() {
		_ = r.String(line)
	}
}

// A 4 MiB JSON product list whose objects have fields named "key" and
// "token" (the hints of the field-name pattern) and no secret: the body of
// a large `storelink api` answer.
func BenchmarkRedactLargeJSON(b *testing.B) {
	r := New()
	r.Add("BENCHKEYBENCHKEYBENCHKEYBENCHKEY")
	var body strings.Builder
	body.WriteString(`{"products":[`)
	for i := 0; body.Len() < 4<<20; i++ {
		if i > 0 {
			body.WriteByte(',')
		}
		n := strconv.Itoa(i)
		body.WriteString(`{"id":` + n + `,"key":"sku-` + n + `","token":"t` + n + `","name":"Product ` + n + ` – blue","price":"19.90","description":"A product with a key feature and a token gift"}`)
	}
	body.WriteString(`]}`)
	s := body.String()
	b.ReportAllocs()
	b.SetBytes(int64(len(s)))
	for b.Loop() {
		_ = r.String(s)
	}
}

// What one Magento OAuth 1.0 connection's secrets cost a new redactor, as
// the vault and the engine add them: each secret, then paired with the
// consumer key (Basic forms).
func BenchmarkRedactAddConnection(b *testing.B) {
	secrets := []string{"2rxrwgl2ph9wk8bh8v3kf6s7ovj9g1sa", "ik4p0qbd7ye5oxnyl2gv0sdw4vh3ifkr", "xb0ws2kx6x6hsbm6snqv6ybaadhbr8xa"}
	b.ReportAllocs()
	for b.Loop() {
		r := New()
		r.Add(secrets...)
		for _, s := range secrets {
			r.Add(s)
			r.AddPair("u1hvkyzeqs3ykcxfq6lzd3uu8uw9b0q2", s)
		}
	}
}
