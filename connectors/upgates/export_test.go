package upgates

import "storelink/connectors"

// Decode exposes decode to the conformance suite in package upgates_test.
func Decode(v connectors.Values) any { return decode(v) }

// HoldDecodes takes every place for decoding, as bodies being decompressed
// would, until release is called.
func HoldDecodes(h *Handler) (release func()) {
	for range cap(h.decodes) {
		h.decodes <- struct{}{}
	}
	return func() {
		for range cap(h.decodes) {
			<-h.decodes
		}
	}
}
