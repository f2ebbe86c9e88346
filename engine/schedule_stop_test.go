package engine_test

import (
	"testing"
	"time"
)

// StartSchedule's stop ends the schedule and returns; a second call does nothing.
func TestStartScheduleStops(t *testing.T) {
	f := newFixture(t, 1)
	stop := f.eng.StartSchedule(time.Hour)
	stop()
	stop()
}
