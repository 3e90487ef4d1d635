package disclosure

import (
	"slices"
	"sort"
)

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
//
// A Release (release.go) applies them to every table of an organisation type at once, and
// makes sure no withheld figure can be worked out from the others (suppress.go).
const (
	SuppressBelow    = 8 // staff counts 1..SuppressBelow-1 are suppressed
	RoundTo          = 5
	MinOrganisations = 5 // groups with fewer organisations are suppressed
)

// Figure is a published number: a value, or null with suppressed set.
type Figure struct {
	Value      *int `json:"value" extensions:"x-nullable"`
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
// published total: when one cell is suppressed, or the suppressed cells together hold
// less than threshold, the smallest published non-zero cells are suppressed too, one by
// one, until neither is true or nothing is left.
func ProtectLine(cells []*Figure, threshold int) {
	ProtectLines([][]*Figure{cells}, threshold)
}

// ProtectLines protects every line (a row or column of a table, a breakdown against its
// total) until none changes. Among the smallest candidates it first takes cells that also
// sit on another line needing a complement, so that one suppression protects two lines.
func ProtectLines(lines [][]*Figure, threshold int) {
	totalled := make([]Line, len(lines))
	for i, cells := range lines {
		totalled[i] = Line{Cells: cells}
	}
	ProtectTotalled(totalled, threshold)
}

// A Line is figures that add up to a total: nil when the total is always published.
type Line struct {
	Total *Figure
	Cells []*Figure
}

// ProtectTotalled is ProtectLines for lines whose total may be suppressed too: a line
// whose total is suppressed cannot give away its cells by subtraction, so it needs no
// complement, and suppressing the total is a way to protect a line, taken when the total
// needs suppressing anyway as a complement in another line.
func ProtectTotalled(lines []Line, threshold int) {
	member := map[*Figure][]int{}
	for i, line := range lines {
		for _, c := range line.Cells {
			member[c] = append(member[c], i)
		}
	}
	needs := func(i int) bool {
		t := lines[i].Total
		return (t == nil || !t.Suppressed) && needsComplement(lines[i].Cells, threshold)
	}
	helps := func(c *Figure, self int) bool {
		for _, i := range member[c] {
			if i != self && needs(i) {
				return true
			}
		}
		return false
	}
	for changed := true; changed; {
		changed = false
		for i, line := range lines {
			for needs(i) {
				var candidates []*Figure
				for _, c := range append(slices.Clip(line.Cells), line.Total) {
					if c != nil && !c.Suppressed && c.raw > 0 {
						candidates = append(candidates, c)
					}
				}
				if len(candidates) == 0 {
					break
				}
				sort.SliceStable(candidates, func(a, b int) bool {
					ha, hb := helps(candidates[a], i), helps(candidates[b], i)
					if ha != hb {
						return ha
					}
					return candidates[a].raw < candidates[b].raw
				})
				*candidates[0] = Suppressed(candidates[0].raw)
				changed = true
			}
		}
	}
}

// ProtectTable protects a table whose rows and columns both add up to published totals.
func ProtectTable(table [][]*Figure, threshold int) {
	var lines [][]*Figure
	cols := 0
	for _, row := range table {
		lines = append(lines, row)
		cols = max(cols, len(row))
	}
	for j := 0; j < cols; j++ {
		var col []*Figure
		for _, row := range table {
			if j < len(row) {
				col = append(col, row[j])
			}
		}
		lines = append(lines, col)
	}
	ProtectLines(lines, threshold)
}

// needsComplement reports whether a line's suppressed cells could be recovered from its
// total: one alone, or several holding less than threshold together.
func needsComplement(line []*Figure, threshold int) bool {
	n, sum := 0, 0
	for _, c := range line {
		if c.Suppressed {
			n++
			sum += c.raw
		}
	}
	return n == 1 || (n > 1 && sum < threshold)
}
