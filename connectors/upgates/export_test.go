package upgates

import "storelink/connectors"

// Decode exposes decode to the conformance suite in package upgates_test.
func Decode(v connectors.Values) any { return decode(v) }

// UsePublishedKeyURL points the importer's published-key sources at url and
// forgets them (as a new process would) until the test ends.
func UsePublishedKeyURL(t interface{ Cleanup(func()) }, url string) {
	old := publishedKeyURL
	publishedKeyURL = url
	ForgetPublishedKeys()
	t.Cleanup(func() {
		publishedKeyURL = old
		ForgetPublishedKeys()
	})
}

// ForgetPublishedKeys drops the in-memory key sources, as a restart does.
func ForgetPublishedKeys() { publishedKeys.Clear() }
