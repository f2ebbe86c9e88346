package app

import (
	"testing"

	"fyne.io/fyne/v2/theme"
)

// Each status has its own icon and colour: a pass with warnings is not
// drawn like an unverified connection, nor like a verified one.
func TestEveryStatusHasItsOwnIconAndColour(t *testing.T) {
	type look struct {
		icon   string
		colour string
	}
	seen := map[look]statusKind{}
	for kind, res := range statusIcons() {
		l := look{icon: res.Name()}
		if tr, ok := res.(*theme.ThemedResource); ok {
			l.colour = string(tr.ColorName)
		}
		if other, dup := seen[l]; dup {
			t.Errorf("status %d looks like status %d (%+v)", kind, other, l)
		}
		seen[l] = statusKind(kind)
	}
	warned, unverified := statusIcons()[statusWarned], statusIcons()[statusUnverified]
	if w, ok := warned.(*theme.ThemedResource); !ok || w.ColorName != theme.ColorNameWarning {
		t.Errorf("a pass with warnings is not in the warning colour: %v", warned)
	}
	if u, ok := unverified.(*theme.ThemedResource); ok && u.ColorName == theme.ColorNameWarning {
		t.Error("unverified shares the warning colour of a pass with warnings")
	}
}
