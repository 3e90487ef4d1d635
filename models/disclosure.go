package models

import "sort"

// Disclosure control for statistics read by analysts, so that no individual can be
// identified from published figures:
//
//  1. a staff count of 1 to 7 is suppressed; 0 is shown; others are rounded to the
//     nearest 5;
//  2. a group of fewer than 5 organisations is suppressed whole;
//  3. complementary suppression: wherever cells add up to a published total (a row or a
//     column of a table, or the groups of a breakdown against the national figure), a
//     suppressed cell never stands alone and the suppressed cells together hold at least
//     the threshold, so that subtracting the others from the total cannot reveal it;
//  4. percentages are computed from the published (rounded) figures.
const (
	SuppressBelow    = 8 // staff counts 1..SuppressBelow-1 are suppressed
	RoundTo          = 5
	MinOrganisations = 5 // groups with fewer organisations are suppressed
)

// Figure is a published number: a value, or null with suppressed set.
type Figure struct {
	Value      *int `json:"value"`
	Suppressed bool `json:"suppressed,omitempty"`
	raw        int
}

// Raw is an unsuppressed figure, as admins may see it.
func Raw(n int) Figure { v := n; return Figure{Value: &v, raw: n} }

// StaffCount applies rules 1: suppress 1-7, round the rest to the nearest 5.
func StaffCount(n int) Figure {
	if n > 0 && n < SuppressBelow {
		return Figure{Suppressed: true, raw: n}
	}
	v := RoundNearest(n, RoundTo)
	return Figure{Value: &v, raw: n}
}

// Suppressed is a figure withheld whatever its value (a group of too few organisations,
// or a complementary suppression).
func Suppressed(raw int) Figure { return Figure{Suppressed: true, raw: raw} }

// RoundNearest rounds n to the nearest multiple of step (halves up).
func RoundNearest(n, step int) int {
	if n < 0 {
		return -RoundNearest(-n, step)
	}
	return (n + step/2) / step * step
}

// Int returns the published value, 0 when suppressed.
func (f Figure) Int() int {
	if f.Value == nil {
		return 0
	}
	return *f.Value
}

// Share is a published percentage of part in whole, computed from the published values;
// nil when either is suppressed or the whole is zero.
func Share(part, whole Figure) *float64 {
	if part.Suppressed || whole.Suppressed || whole.Value == nil || *whole.Value == 0 {
		return nil
	}
	p := 100 * float64(part.Int()) / float64(*whole.Value)
	p = float64(int(p*10+0.5)) / 10
	return &p
}

// ProtectLine applies complementary suppression (rule 3) to cells that add up to a
// published total. When one cell is suppressed, or the suppressed cells together hold
// less than the threshold, the smallest published non-zero cells are suppressed too, one
// by one, until neither is true or nothing is left. It reports whether it changed
// anything, so that tables can iterate rows and columns until stable.
func ProtectLine(cells []*Figure) bool { return protectLine(cells, nil) }

// protectLine is ProtectLine choosing, among the smallest cells, first those for which
// prefer is true: in a table, cells whose crossing line needs a complement too, so that
// one suppression protects two lines.
func protectLine(cells []*Figure, prefer func(*Figure) bool) bool {
	changed := false
	for {
		suppressed, sum := 0, 0
		var candidates []*Figure
		for _, c := range cells {
			if c.Suppressed {
				suppressed++
				sum += c.raw
			} else if c.raw > 0 {
				candidates = append(candidates, c)
			}
		}
		if suppressed == 0 || (suppressed >= 2 && sum >= SuppressBelow) || len(candidates) == 0 {
			return changed
		}
		sort.SliceStable(candidates, func(i, j int) bool {
			if prefer != nil && prefer(candidates[i]) != prefer(candidates[j]) {
				return prefer(candidates[i])
			}
			return candidates[i].raw < candidates[j].raw
		})
		*candidates[0] = Suppressed(candidates[0].raw)
		changed = true
	}
}

// ProtectTable applies complementary suppression to a table whose rows and columns both
// add up to published totals, iterating until no row or column changes.
func ProtectTable(table [][]*Figure) {
	cols := 0
	for _, row := range table {
		if len(row) > cols {
			cols = len(row)
		}
	}
	column := func(j int) []*Figure {
		var col []*Figure
		for _, row := range table {
			if j < len(row) {
				col = append(col, row[j])
			}
		}
		return col
	}
	rowOf, colOf := map[*Figure]int{}, map[*Figure]int{}
	for i, row := range table {
		for j, f := range row {
			rowOf[f], colOf[f] = i, j
		}
	}
	for changed := true; changed; {
		changed = false
		for j := 0; j < cols; j++ {
			if protectLine(column(j), func(f *Figure) bool { return needsComplement(table[rowOf[f]]) }) {
				changed = true
			}
		}
		for _, row := range table {
			if protectLine(row, func(f *Figure) bool { return needsComplement(column(colOf[f])) }) {
				changed = true
			}
		}
	}
}

// needsComplement reports whether a line's suppressed cells could be recovered.
func needsComplement(line []*Figure) bool {
	n, sum := 0, 0
	for _, c := range line {
		if c.Suppressed {
			n++
			sum += c.raw
		}
	}
	return n == 1 || (n > 1 && sum < SuppressBelow)
}
