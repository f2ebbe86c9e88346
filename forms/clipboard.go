package forms

// clipboard.go: SecretClipboard, how a secret reaches the clipboard and
// leaves it again, as password managers do.

import (
	"crypto/sha256"
	"fmt"
	"time"

	"fyne.io/fyne/v2"
)

// ClearAfter is how long a copied secret stays on the clipboard.
const ClearAfter = 30 * time.Second

// AfterFunc runs f once after d unless stop is called first (time.AfterFunc's
// shape; tests pass a clock of their own).
type AfterFunc func(d time.Duration, f func()) (stop func() bool)

// SecretClipboard puts a secret on the clipboard and clears it ClearAfter
// later if the clipboard still holds it; what the user copied meanwhile is
// left alone. One per window, so quitting can clear at once (ClearNow).
// Its methods run on the UI goroutine; the timer comes back through fyne.Do.
type SecretClipboard struct {
	clipboard fyne.Clipboard
	after     AfterFunc

	// sum is the SHA-256 of the secret on the clipboard (the secret itself
	// is not kept); pending is false when there is nothing to clear.
	sum     [sha256.Size]byte
	pending bool
	stop    func() bool
	done    func(cleared bool)
	// round tells a timer that fired for an earlier copy from the current one.
	round int
}

// NewSecretClipboard clears secrets from cb; after nil is time.AfterFunc.
func NewSecretClipboard(cb fyne.Clipboard, after AfterFunc) *SecretClipboard {
	if after == nil {
		after = func(d time.Duration, f func()) func() bool { return time.AfterFunc(d, f).Stop }
	}
	return &SecretClipboard{clipboard: cb, after: after}
}

// Copy puts secret on the clipboard. done hears how it ended: true when
// Storelink cleared it, false when something else replaced it first.
func (c *SecretClipboard) Copy(secret string, done func(cleared bool)) {
	c.finish(false) // an earlier secret is replaced by this one: nothing to clear
	c.clipboard.SetContent(secret)
	c.sum, c.pending, c.done = sha256.Sum256([]byte(secret)), true, done
	c.round++
	round := c.round
	c.stop = c.after(ClearAfter, func() {
		fyne.Do(func() {
			if round == c.round {
				c.ClearNow()
			}
		})
	})
}

// ClearNow clears the clipboard if it still holds the copied secret (the
// timer's end, and quitting).
func (c *SecretClipboard) ClearNow() {
	if !c.pending {
		return
	}
	ours := sha256.Sum256([]byte(c.clipboard.Content())) == c.sum
	if ours {
		c.clipboard.SetContent("")
	}
	c.finish(ours)
}

// finish forgets the pending secret and tells its Copy how it ended.
func (c *SecretClipboard) finish(cleared bool) {
	if !c.pending {
		return
	}
	if c.stop != nil {
		c.stop()
	}
	done := c.done
	c.pending, c.stop, c.done, c.sum = false, nil, nil, [sha256.Size]byte{}
	if done != nil {
		done(cleared)
	}
}

// copiedNote is what the field says after Copy.
func copiedNote() string {
	return fmt.Sprintf("Copied. Storelink clears the clipboard in %d seconds.", int(ClearAfter/time.Second))
}

// clearedNote is what the field says once Storelink cleared the clipboard.
const clearedNote = "Storelink cleared the clipboard."
