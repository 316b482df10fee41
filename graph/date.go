package graph

import (
	"fmt"
	"strconv"
	"strings"
)

// PartialDate is a calendar date of which only some parts are known; a zero
// part is unknown. Sources often give a day and month with no year, and the
// graph never invents one.
type PartialDate struct {
	Year, Month, Day int
}

// IsZero reports whether nothing of the date is known.
func (d PartialDate) IsZero() bool { return d == PartialDate{} }

// String formats d in ISO 8601 style: "2024-11-22", "2024-11", "2024", or
// "--11-22" when the year is unknown; "" for the zero date.
func (d PartialDate) String() string {
	switch {
	case d.IsZero():
		return ""
	case d.Year == 0:
		return fmt.Sprintf("--%02d-%02d", d.Month, d.Day)
	case d.Month == 0:
		return fmt.Sprintf("%04d", d.Year)
	case d.Day == 0:
		return fmt.Sprintf("%04d-%02d", d.Year, d.Month)
	}
	return fmt.Sprintf("%04d-%02d-%02d", d.Year, d.Month, d.Day)
}

// ParsePartialDate parses the forms String produces.
func ParsePartialDate(s string) (PartialDate, error) {
	if s == "" {
		return PartialDate{}, nil
	}
	bad := Errorf(EINVALID, "date %q is not YYYY-MM-DD, YYYY-MM, YYYY or --MM-DD", s)
	var d PartialDate
	var parts []string
	if rest, ok := strings.CutPrefix(s, "--"); ok {
		parts = append([]string{"0000"}, strings.Split(rest, "-")...)
		if len(parts) != 3 {
			return PartialDate{}, bad
		}
	} else {
		parts = strings.Split(s, "-")
	}
	widths := []int{4, 2, 2}
	fields := []*int{&d.Year, &d.Month, &d.Day}
	if len(parts) > 3 {
		return PartialDate{}, bad
	}
	for i, p := range parts {
		n, err := strconv.Atoi(p)
		if err != nil || len(p) != widths[i] || n < 0 {
			return PartialDate{}, bad
		}
		*fields[i] = n
	}
	if d.Month > 12 || d.Day > 31 || (len(parts) > 1 && d.Month == 0) || (len(parts) > 2 && d.Day == 0) {
		return PartialDate{}, bad
	}
	return d, nil
}
