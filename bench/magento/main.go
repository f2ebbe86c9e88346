// Command magento serves the Magento 2 emulator the connector tests use
// (magentotest, default credentials) on loopback, for benchmarks of whole
// processes against curl; it prints its REST base and serves until killed.
// With -sign N URL it prints N Authorization headers for GET URL instead,
// each with its own nonce, signed HMAC-SHA256 by connectors/oauth1 as
// Storelink signs them: curl, which cannot sign OAuth 1.0, sends one each run
// and so pays nothing for signing.
package main

import (
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"storelink/connectors/magento2/magentotest"
	"storelink/connectors/oauth1"
)

func main() {
	sign := flag.Int("sign", 0, "print this many Authorization headers for GET URL, then exit")
	products := flag.Int("products", 20, "how many products GET /V1/products lists")
	flag.Parse()
	if *sign > 0 {
		if err := headers(*sign, flag.Arg(0)); err != nil {
			fmt.Fprintln(os.Stderr, "magento:", err)
			os.Exit(1)
		}
		return
	}
	srv := magentotest.New(magentotest.Options{Products: *products})
	defer srv.Close()
	fmt.Println(srv.BaseURI())
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, syscall.SIGINT, syscall.SIGTERM)
	<-stop
}

func headers(n int, url string) error {
	creds := oauth1.Credentials{
		ConsumerKey: magentotest.DefaultConsumerKey,
		Token:       magentotest.DefaultAccessToken,
		TokenSecret: magentotest.DefaultTokenSecret,
		Signer:      oauth1.NewHMACSHA256Signer(magentotest.DefaultConsumerSecret),
	}
	for range n {
		s, err := oauth1.Sign(oauth1.Request{Method: "GET", URL: url}, creds, oauth1.Options{})
		if err != nil {
			return err
		}
		fmt.Println("Authorization: " + s.Header)
	}
	return nil
}
