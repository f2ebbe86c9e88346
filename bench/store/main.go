// Command store serves the PrestaShop emulator the connector tests use, on
// loopback: for benchmarks of whole processes (storelink test against curl)
// and for the window test's screenshots.
// It prints its address and serves until killed.
package main

import (
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"time"

	"storelink/connectors/prestashop/pstest"
)

func main() {
	key := flag.String("key", "BENCHKEYBENCHKEYBENCHKEYBENCHKEY", "the webservice key the store accepts")
	latency := flag.Duration("latency", 0, "added before every answer")
	strip := flag.Bool("strip-auth", false, "drop the Authorization header, as PHP as CGI does (the key then only works as ws_key)")
	shop := flag.String("shop-name", "", "PS_SHOP_NAME")
	flag.Parse()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	h := pstest.Handler(pstest.Options{Key: *key, StripAuthHeader: *strip, ShopName: *shop})
	fmt.Println(ln.Addr())
	_ = http.Serve(ln, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(*latency)
		h.ServeHTTP(w, r)
	}))
}
