package app

// preferences.go: File > Preferences: re-test every connection on a
// schedule while Storelink runs, and desktop notifications on or off. Both
// are kept in Fyne's preferences, so they hold from one start to the next.

import (
	"fmt"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"
)

// The preference keys. The schedule is in hours, 0 for off; chosen says the
// user picked a schedule once (the empty state then stops offering one).
const (
	prefScheduleHours   = "schedule_hours"
	prefScheduleChosen  = "schedule_chosen"
	prefNotifications   = "desktop_notifications"
	offeredScheduleHour = 6
)

// scheduleHours are the intervals offered, 0 being off.
var scheduleHours = []int{0, 1, 6, 12, 24}

func scheduleLabel(h int) string {
	switch h {
	case 0:
		return "Off"
	case 1:
		return "Every hour"
	}
	return fmt.Sprintf("Every %d hours", h)
}

// preferences is the window's part of the settings: the schedule running
// now and how to start one (the engine's StartSchedule; tests record it).
type preferences struct {
	start func(every time.Duration) (stop func())
	// mu guards stopNow: the window's end stops the schedule from its own goroutine.
	mu       sync.Mutex
	stopNow  func()
	dialog   *dialog.CustomDialog
	interval *widget.Select
	notices  *widget.Check
	// offer is the empty state's line offering a schedule, until one is chosen.
	offer       *fyne.Container
	offerButton *widget.Button
}

func (u *UI) scheduleHours() int { return u.App.Preferences().IntWithFallback(prefScheduleHours, 0) }

func (u *UI) notificationsOn() bool {
	return u.App.Preferences().BoolWithFallback(prefNotifications, true)
}

// applySchedule starts the schedule the preference asks for, stopping the
// one running; it runs at start, on every change and ends with the window.
func (u *UI) applySchedule() {
	p := &u.prefs
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.stopNow != nil {
		p.stopNow()
		p.stopNow = nil
	}
	if h := u.scheduleHours(); h > 0 && u.ctx.Err() == nil {
		p.stopNow = p.start(time.Duration(h) * time.Hour)
	}
}

// setSchedule keeps the chosen interval and applies it.
func (u *UI) setSchedule(hours int) {
	prefs := u.App.Preferences()
	prefs.SetInt(prefScheduleHours, hours)
	prefs.SetBool(prefScheduleChosen, true)
	if u.prefs.offer != nil {
		u.prefs.offer.Hide()
	}
	u.applySchedule()
}

// ShowPreferences is File > Preferences: each choice applies at once.
func (u *UI) ShowPreferences() {
	p := &u.prefs
	labels := make([]string, len(scheduleHours))
	for i, h := range scheduleHours {
		labels[i] = scheduleLabel(h)
	}
	p.interval = widget.NewSelect(labels, func(label string) {
		for _, h := range scheduleHours {
			if scheduleLabel(h) == label && h != u.scheduleHours() {
				u.setSchedule(h)
			}
		}
	})
	p.interval.SetSelected(scheduleLabel(u.scheduleHours()))
	p.notices = widget.NewCheck("Desktop notifications when a connection starts or stops failing", func(on bool) {
		u.App.Preferences().SetBool(prefNotifications, on)
	})
	p.notices.SetChecked(u.notificationsOn())
	explain := widget.NewLabel("While Storelink runs, it re-tests every saved connection whose last test is older than this, " +
		"a few at a time and never one you are testing yourself.")
	explain.Wrapping = fyne.TextWrapWord
	form := widget.NewForm(widget.NewFormItem("Re-test connections", p.interval))
	p.dialog = dialog.NewCustom("Preferences", "Close", container.NewVBox(form, explain, p.notices), u.Window)
	p.dialog.Resize(fyne.NewSize(520, 240))
	p.dialog.Show()
}

// offerSchedule adds to the connections' empty state a line offering a
// schedule, shown until the user chose one (here or in Preferences).
func (u *UI) offerSchedule() {
	if u.App.Preferences().BoolWithFallback(prefScheduleChosen, false) {
		return
	}
	words := widget.NewLabel("Storelink can re-test your connections while it runs and tell you when one breaks.")
	words.Wrapping = fyne.TextWrapWord
	words.Alignment = fyne.TextAlignCenter
	button := widget.NewButton(fmt.Sprintf("Re-test my connections every %d hours", offeredScheduleHour),
		func() { u.setSchedule(offeredScheduleHour) })
	u.prefs.offer, u.prefs.offerButton = container.NewVBox(words, container.NewCenter(button)), button
	empty := u.Connections.empty // spacer, mark, title, words, button, spacer: the offer goes before the last spacer
	n := len(empty.Objects)
	empty.Objects = append(empty.Objects[:n-1:n-1], u.prefs.offer, empty.Objects[n-1])
	empty.Refresh()
}
