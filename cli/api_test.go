package cli

import (
	"encoding/base64"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"storelink/connectors/prestashop"
	"storelink/connectors/prestashop/pstest"
)

// apiHarness has a saved PrestaShop connection "Shop" to srv.
func apiHarness(t *testing.T, o pstest.Options) (*harness, *pstest.Server) {
	t.Helper()
	h := newHarness(t)
	h.reg.Register(prestashop.Info())
	srv := pstest.New(o)
	t.Cleanup(srv.Close)
	code, out, errs := h.run(`{"api_key":"`+srv.Key()+`"}`, "create", "--app", "prestashop", "--name", "Shop",
		"--set", "store_url="+srv.Host(), "--set", "use_https=false", "--secrets-stdin", "--no-verify")
	if code != 0 {
		t.Fatalf("create: %d %s %s", code, out, errs)
	}
	return h, srv
}

func TestAPIGetPrintsTheBodyAsReceived(t *testing.T) {
	h, srv := apiHarness(t, pstest.Options{})
	code, out, errs := h.run("", "api", "Shop", "/products?display=[id,reference]")
	if code != 0 || !strings.HasPrefix(out, "<?xml") || !strings.Contains(out, "<reference><![CDATA[demo_3]]></reference>") {
		t.Fatalf("api GET: %d %q %q", code, out, errs)
	}
	if hits := srv.Hits(); len(hits) != 1 || hits[0].Method != "GET" || !hits[0].Authorization {
		t.Errorf("hits %+v", hits)
	}
	// -i: the status and headers first; the key never shows.
	code, out, _ = h.run("", "api", "Shop", "-i", "/products")
	if code != 0 || !strings.HasPrefix(out, "HTTP/1.1 200 OK\n") || !strings.Contains(out, "Psws-Version: 8.1.4\n") {
		t.Errorf("api -i: %d %q", code, out)
	}
	// --silent prints nothing, --output writes a new file only.
	if code, out, _ = h.run("", "api", "Shop", "/products", "--silent"); code != 0 || out != "" {
		t.Errorf("--silent: %d %q", code, out)
	}
	file := filepath.Join(t.TempDir(), "products.xml")
	if code, out, errs = h.run("", "api", "Shop", "/products", "--output", file); code != 0 || out != "" {
		t.Fatalf("--output: %d %q %q", code, out, errs)
	}
	if data, _ := os.ReadFile(file); !strings.Contains(string(data), `<product id="1"`) {
		t.Errorf("--output wrote %q", data)
	}
	if code, _, errs = h.run("", "api", "Shop", "/products", "--output", file); code != ExitInvalid || !strings.Contains(errs, "already exists") {
		t.Errorf("--output over a file: %d %q", code, errs)
	}
}

func TestAPIVerboseMasksTheKey(t *testing.T) {
	h, srv := apiHarness(t, pstest.Options{})
	code, out, errs := h.run("", "api", "Shop", "/", "--verbose")
	if code != 0 || !strings.Contains(out, "<api shopName=") {
		t.Fatalf("%d %q %q", code, out, errs)
	}
	if !strings.Contains(errs, "> GET http://"+srv.Host()+"/api/\n") || !strings.Contains(errs, "> Authorization: Basic ") || !strings.Contains(errs, "< 200 OK") {
		t.Errorf("--verbose shows the request and answer: %q", errs)
	}
	encoded := base64.StdEncoding.EncodeToString([]byte(srv.Key() + ":"))
	for _, s := range []string{srv.Key()[:8], encoded[:12]} {
		if strings.Contains(out+errs+h.logText(), s) {
			t.Errorf("the key shows: %q", errs)
		}
	}
}

func TestAPIWritesNeedYesWithoutATerminal(t *testing.T) {
	h, srv := apiHarness(t, pstest.Options{})
	code, _, errs := h.run("", "api", "Shop", "/products", "-f", "reference=mug")
	if code != ExitInvalid || !strings.Contains(errs, "--yes") || srv.Requests() != 0 {
		t.Fatalf("a POST without --yes: %d %q, %d requests", code, errs, srv.Requests())
	}
	// -f fields become PrestaShop's document; the method is POST for a body.
	code, out, errs := h.run("", "api", "Shop", "/products", "--yes", "-f", "reference=mug", "-f", "name[1]=Mug <big>", "-f", "price=4.5")
	if code != 0 || !strings.Contains(out, "<id><![CDATA[4]]></id>") {
		t.Fatalf("POST -f: %d %q %q", code, out, errs)
	}
	// --input - reads the document from standard input.
	doc := `<prestashop><product><reference>cup</reference><name><language id="1">Cup</language></name></product></prestashop>`
	if code, out, errs = h.run(doc, "api", "Shop", "POST", "/products", "--input", "-", "--yes"); code != 0 || !strings.Contains(out, "<id><![CDATA[5]]></id>") {
		t.Fatalf("POST --input -: %d %q %q", code, out, errs)
	}
	got := srv.Products()
	if len(got) != 5 || got[3].Reference != "mug" || got[3].Name != "Mug <big>" || got[3].Price != "4.5" || got[4].Name != "Cup" {
		t.Errorf("created %+v", got[3:])
	}
	if code, _, errs = h.run(doc, "api", "Shop", "/products", "--input", "-"); code != ExitInvalid || !strings.Contains(errs, "add --yes") {
		t.Errorf("--input - without --yes: %d %q", code, errs)
	}
	if code, _, errs = h.run("", "api", "Shop", "/products", "-f", "a=1", "--input", "-", "--yes"); code != ExitInvalid || !strings.Contains(errs, "not both") {
		t.Errorf("-f and --input: %d %q", code, errs)
	}
}

func TestAPIPaginatesByLimit(t *testing.T) {
	h, srv := apiHarness(t, pstest.Options{Products: 5})
	code, out, errs := h.run("", "api", "Shop", "/products?limit=0,2", "--paginate")
	if code != 0 || strings.Count(out, "<?xml") != 3 || strings.Count(out, "<product id=") != 5 || srv.Requests() != 3 {
		t.Fatalf("--paginate: %d, %d requests, %q %q", code, srv.Requests(), out, errs)
	}
}

func TestAPIHTTPErrorSaysWhatATestWould(t *testing.T) {
	h, _ := apiHarness(t, pstest.Options{Disabled: true})
	code, out, errs := h.run("", "api", "Shop", "/products")
	if code != ExitFailed || !strings.Contains(out, "<errors>") {
		t.Fatalf("%d %q %q", code, out, errs)
	}
	for _, want := range []string{"the store answered 503 Service Unavailable.", "The shop's webservice is switched off (api_disabled)", "What to do: "} {
		if !strings.Contains(errs, want) {
			t.Errorf("stderr lacks %q: %q", want, errs)
		}
	}
}

func TestAPIUsage(t *testing.T) {
	h, srv := apiHarness(t, pstest.Options{})
	_, _, notFound := h.run("", "test", "Nope")
	testCode, _, _ := h.run("", "test", "Nope")
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"api", "Nope", "/products"}, "no saved connection"},
		{[]string{"api", "Shop"}, "NAME [METHOD] PATH"},
		{[]string{"api", "Shop", "GE T", "/x"}, "not an HTTP method"},
		{[]string{"api", "Shop", "/products", "-H", "nocolon"}, "-H 'Name: value'"},
		{[]string{"api", "Shop", "/products", "-H", "Authorization: Basic x"}, "credentials"},
		{[]string{"api", "Shop", "//evil.example/x"}, "another host"},
		{[]string{"api", "Shop", "/products", "--input", "/nonexistent/file"}, "--input"},
	} {
		code, _, errs := h.run("", c.args...)
		if code != ExitInvalid || !strings.Contains(errs, c.want) {
			t.Errorf("%v: %d %q, want 2 and %q", c.args, code, errs, c.want)
		}
	}
	if testCode != ExitInvalid || !strings.Contains(notFound, "no saved connection") {
		t.Errorf("test Nope: %d %q: api follows it", testCode, notFound)
	}
	if srv.Requests() != 0 {
		t.Errorf("%d requests for invalid usage", srv.Requests())
	}
}

func TestFieldsBodies(t *testing.T) {
	b, err := fieldsBody("json", "/V1/products", [][2]string{{"product[sku]", "a"}, {"product[name]", "A"}, {"x", "1"}})
	if err != nil || string(b) != `{"product":{"name":"A","sku":"a"},"x":"1"}` {
		t.Errorf("json: %s %v", b, err)
	}
	b, _ = fieldsBody("form", "/x", [][2]string{{"a b", "c&d"}})
	if string(b) != "a+b=c%26d" {
		t.Errorf("form: %s", b)
	}
	b, err = fieldsBody("xml", "/categories?x=1", [][2]string{{"active", "1"}, {"name[1]", "a]]>b"}, {"name[2]", "c"}})
	want := "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<prestashop xmlns:xlink=\"http://www.w3.org/1999/xlink\">\n<category>\n<active><![CDATA[1]]></active>\n<name>\n<language id=\"1\"><![CDATA[a]]]]><![CDATA[>b]]></language>\n<language id=\"2\"><![CDATA[c]]></language>\n</name>\n</category>\n</prestashop>\n"
	if err != nil || string(b) != want {
		t.Errorf("xml:\n%s %v", b, err)
	}
	for in, out := range map[string]string{"products": "product", "addresses": "address", "taxes": "tax", "stock_availables": "stock_available", "order_histories": "order_history"} {
		if singular(in) != out {
			t.Errorf("singular(%s) = %s", in, singular(in))
		}
	}
	if _, err := fieldsBody("xml", "/", [][2]string{{"a", "b"}}); err == nil {
		t.Error("xml -f without a resource in the path")
	}
}

// An answer longer than the cap is printed as far as it came, and the
// command fails: a script must not take a cut document for the whole.
func TestAPICutAnswerFails(t *testing.T) {
	h, _ := apiHarness(t, pstest.Options{Products: 40})
	defer func(n int64) { apiMaxBody = n }(apiMaxBody)
	apiMaxBody = 1 << 10
	code, out, errs := h.run("", "api", "Shop", "/products?display=full")
	if code != ExitFailed || len(out) != 1<<10 || !strings.Contains(errs, "longer than 1 KiB") {
		t.Errorf("a cut answer: exit %d, %d bytes printed, %q", code, len(out), errs)
	}
}
