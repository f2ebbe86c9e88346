package pretty

import "testing"

func TestBody(t *testing.T) {
	for _, c := range []struct {
		ct, in, want string
		changed      bool
	}{
		{"application/json", `{"a":[1,2]}`, "{\n  \"a\": [\n    1,\n    2\n  ]\n}\n", true},
		{"", `{"a":[1,2]}`, "{\n  \"a\": [\n    1,\n    2\n  ]\n}\n", true},
		{"text/xml", `<?xml version="1.0"?><p xmlns:xlink="x"><a xlink:href="h&amp;"><![CDATA[t<]]></a><b/></p>`,
			"<?xml version=\"1.0\"?>\n<p xmlns:xlink=\"x\">\n  <a xlink:href=\"h&amp;\">t&lt;</a>\n  <b/>\n</p>\n", true},
		// PrestaShop's listing: empty elements stay empty elements, CDATA
		// becomes text, prefixes stay as written.
		{"", "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<prestashop xmlns:xlink=\"http://www.w3.org/1999/xlink\">\n<products>\n<product id=\"1\" xlink:href=\"http://s/api/products/1\"/>\n<product><id><![CDATA[2]]></id></product>\n</products>\n</prestashop>\n",
			"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<prestashop xmlns:xlink=\"http://www.w3.org/1999/xlink\">\n  <products>\n    <product id=\"1\" xlink:href=\"http://s/api/products/1\"/>\n    <product>\n      <id>2</id>\n    </product>\n  </products>\n</prestashop>\n", true},
		{"", "<a>x<b/>y</a>", "<a>x\n  <b/>\n  y\n</a>\n", true},
		{"", "<a><!-- c --><b>1</b></a>", "<a>\n  <!-- c -->\n  <b>1</b>\n</a>\n", true},
		{"text/html", "<html><body>x</body>", "<html><body>x</body>", false},
		{"application/json", `{"cut":`, `{"cut":`, false},
		{"", "<unclosed>", "<unclosed>", false},
		{"", "</a>", "</a>", false}, // used to panic both programs (a negative indent)
		{"", "plain text", "plain text", false},
		{"text/plain", "", "", false},
	} {
		got, changed := Body(c.ct, []byte(c.in))
		if string(got) != c.want || changed != c.changed {
			t.Errorf("%s %q:\n got %q (%v)\nwant %q (%v)", c.ct, c.in, got, changed, c.want, c.changed)
		}
	}
}

func FuzzXMLKeepsTheText(f *testing.F) {
	f.Add([]byte(`<a x="1"><b>t</b><c/></a>`))
	f.Fuzz(func(t *testing.T, in []byte) {
		out, err := XML(in)
		if err != nil {
			return
		}
		// What was indented parses again, to the same indentation.
		again, err := XML(out)
		if err != nil {
			t.Fatalf("XML(%q) = %q does not parse again: %v", in, out, err)
		}
		if string(again) != string(out) {
			t.Fatalf("not stable:\n%q\n%q", out, again)
		}
	})
}
