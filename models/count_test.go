package models

import "testing"

func TestCountAgreesWithItsNumber(t *testing.T) {
	for _, tc := range []struct {
		n    int
		want string
	}{{0, "0 rows"}, {1, "1 row"}, {2, "2 rows"}, {-1, "-1 row"}, {1000, "1000 rows"}} {
		if got := Count(tc.n, "row", "rows"); got != tc.want {
			t.Errorf("Count(%d) = %q, want %q", tc.n, got, tc.want)
		}
	}
	if IsOrAre(1) != "is" || IsOrAre(0) != "are" || IsOrAre(2) != "are" {
		t.Error("IsOrAre disagrees with its number")
	}
}
