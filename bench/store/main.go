// Command store serves the PrestaShop emulator the connector tests use, on
// loopback, for benchmarks of whole processes (storelink test against curl).
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
	flag.Parse()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	h := pstest.Handler(pstest.Options{Key: *key})
	fmt.Println(ln.Addr())
	_ = http.Serve(ln, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(*latency)
		h.ServeHTTP(w, r)
	}))
}
