package disclosure

import (
	"fmt"
	"testing"
)

func TestStaffCountSuppressesSmallAndRounds(t *testing.T) {
	for _, tc := range []struct {
		n    int
		want string
	}{
		{0, "0"}, {1, "-"}, {7, "-"}, {8, "10"}, {12, "10"}, {13, "15"}, {102, "100"}, {103, "105"},
	} {
		if got := show(StaffCount(tc.n)); got != tc.want {
			t.Errorf("StaffCount(%d) = %s, want %s", tc.n, got, tc.want)
		}
	}
}

func TestShareUsesPublishedFigures(t *testing.T) {
	// 13 of 22 would be 59.1%; published 15 of 20 is 75%.
	if s := Share(StaffCount(13), StaffCount(22)); s == nil || *s != 75 {
		t.Errorf("share %v, want 75", s)
	}
	if s := Share(StaffCount(3), StaffCount(22)); s != nil {
		t.Errorf("share of a suppressed figure %v, want nil", *s)
	}
	if s := Share(Raw(1), Raw(0)); s != nil {
		t.Errorf("share of zero %v", *s)
	}
}

func TestProtectLine(t *testing.T) {
	cases := []struct {
		name string
		raw  []int
		want string
	}{
		{"nothing small: nothing suppressed", []int{20, 30, 40}, "20 30 40"},
		{"a lone suppressed cell takes the smallest other with it", []int{3, 30, 40, 12}, "- 30 40 -"},
		{"two small cells summing under the threshold take a third", []int{1, 2, 30, 40}, "- - - 40"},
		{"two small cells summing to the threshold suffice", []int{5, 4, 30, 40}, "- - 30 40"},
		{"zeros are never needed as complements", []int{3, 0, 0, 50}, "- 0 0 -"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			line := make([]*Figure, len(tc.raw))
			for i, n := range tc.raw {
				f := StaffCount(n)
				line[i] = &f
			}
			ProtectLine(line, SuppressBelow)
			if got := showAll(line); got != tc.want {
				t.Errorf("got %s, want %s", got, tc.want)
			}
		})
	}
}

// TestDifferencingAcrossTwoGroupings plays an attacker who knows a breakdown by region
// and by region x tier, and the national total: no suppressed cell can be recovered by
// subtracting the published cells from a published total.
func TestDifferencingAcrossTwoGroupings(t *testing.T) {
	// Staff demand by region (rows) and tier (columns).
	raw := [][]int{
		{40, 25, 3},  // London: 3 in the advanced tier
		{55, 30, 20}, // Midlands
		{60, 35, 12}, // North West
	}
	table := make([][]*Figure, len(raw))
	for i, row := range raw {
		for _, n := range row {
			f := StaffCount(n)
			table[i] = append(table[i], &f)
		}
	}
	ProtectTable(table, SuppressBelow)
	// Every row and column with a suppressed cell has at least two, summing to the threshold.
	lines := [][]*Figure{}
	for _, row := range table {
		lines = append(lines, row)
	}
	for j := range table[0] {
		col := []*Figure{}
		for _, row := range table {
			col = append(col, row[j])
		}
		lines = append(lines, col)
	}
	for _, line := range lines {
		n, sum := 0, 0
		for _, c := range line {
			if c.Suppressed {
				n++
				sum += c.raw
			}
		}
		if needsComplement(line, SuppressBelow) {
			t.Fatalf("line %s leaves a suppressed cell recoverable", showAll(line))
		}
	}
	if !table[0][2].Suppressed {
		t.Fatal("London's 3 is published")
	}
	// The attacker's best, a row or column total minus its published cells, gives only a
	// sum of two or more cells; and no more is withheld than needed.
	withheld := 0
	for _, row := range table {
		for _, c := range row {
			if c.Suppressed {
				withheld++
			}
		}
	}
	if withheld != 4 { // the fewest that protect London's 3 along its row and column
		t.Fatalf("%d cells withheld: %s / %s / %s", withheld, showAll(table[0]), showAll(table[1]), showAll(table[2]))
	}
}

func show(f Figure) string {
	if f.Suppressed {
		return "-"
	}
	return fmt.Sprint(f.Int())
}

func showAll(fs []*Figure) string {
	s := ""
	for i, f := range fs {
		if i > 0 {
			s += " "
		}
		s += show(*f)
	}
	return s
}
