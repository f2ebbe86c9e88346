package connectors_test

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"storelink/connectors"
)

// A finished test leaves no connection open: the store sees each one closed
// when the test ends, not when the keep-alive timeout runs out.
func TestFinishClosesTheKeptAliveConnections(t *testing.T) {
	var open atomic.Int64
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("ok")) }))
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		switch s {
		case http.StateNew:
			open.Add(1)
		case http.StateClosed, http.StateHijacked:
			open.Add(-1)
		}
	}
	srv.Start()
	defer srv.Close()
	for range 5 {
		c := connectors.NewClient(connectors.ClientOptions{})
		if _, err := c.Do(context.Background(), connectors.Request{Method: http.MethodGet, URL: srv.URL}); err != nil {
			t.Fatal(err)
		}
		var r connectors.Result
		c.Finish(&r)
	}
	deadline := time.Now().Add(5 * time.Second)
	for open.Load() != 0 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if n := open.Load(); n != 0 {
		t.Errorf("%d connections still open after five finished tests", n)
	}
}
