package redact

import "testing"

// Every test of a saved connection adds its secrets again: a value already
// known costs no work (no forms made again: no allocation), and masking is
// the same as after the first Add.
func TestAddingAKnownSecretAgainIsFree(t *testing.T) {
	r := New()
	r.Add("K3Y-0123456789", "other-secret-42")
	r.AddPair("shopuser", "s3cret-api-key")
	if n := testing.AllocsPerRun(100, func() { r.Add("K3Y-0123456789") }); n != 0 {
		t.Errorf("Add of a known secret: %.0f allocations, want 0", n)
	}
	if n := testing.AllocsPerRun(100, func() { r.AddPair("shopuser", "s3cret-api-key") }); n != 0 {
		t.Errorf("AddPair of a known pair: %.0f allocations, want 0", n)
	}
	r.Add("a-new-secret-7") // a new value among known ones is still added
	r.Add("K3Y-0123456789", "a-newer-secret-8")
	r.AddPair("otheruser", "s3cret-api-key") // a known secret with a new user
	for in, want := range map[string]string{
		"K3Y-0123456789 other-secret-42 a-new-secret-7 a-newer-secret-8": "**** **** **** ****",
		"got c2hvcHVzZXI6czNjcmV0LWFwaS1rZXk= back":                      "got **** back",
		"got b3RoZXJ1c2VyOnMzY3JldC1hcGkta2V5 back":                      "got **** back",
	} {
		if got := r.String(in); got != want {
			t.Errorf("String(%q) = %q, want %q", in, got, want)
		}
	}
}
