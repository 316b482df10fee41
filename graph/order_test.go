package graph

import (
	"fmt"
	"testing"
)

func TestAgendaKey(t *testing.T) {
	for _, order := range []int{0, 7, 42, 99999, 100000, 999999, 1000000, 12345678, -1, -100000} {
		if got, want := agendaKey(order, "Round  Table"), fmt.Sprintf("%06d %s", order, "round table"); got != want {
			t.Errorf("agendaKey(%d) = %q, want %q", order, got, want)
		}
	}
}
