package upgates

import "storelink/connectors"

// Decode exposes decode to the conformance suite in package upgates_test.
func Decode(v connectors.Values) any { return decode(v) }
