package exchange

import (
	"slices"
	"strconv"
	"strings"

	"cyberskills/models"
)

// rowErrors turns a validator's field errors into errors of one row.
func rowErrors(line int, code string, v *models.Validator) []models.RowError {
	out := make([]models.RowError, 0, len(v.Fields()))
	for _, f := range v.Fields() {
		out = append(out, models.RowError{Line: line, Code: code, Field: f.Field, Message: f.Message})
	}
	return out
}

// orderByLevel sets each row's Level from the parents named inside the file, reports
// the rows that form a cycle, and sorts the rows so that parents come first.
func orderByLevel(rows []models.ImportRow) []models.RowError {
	index := make(map[string]int, len(rows))
	for i, r := range rows {
		index[r.Org.Code] = i
	}
	parentOf := func(i int) (int, bool) {
		r := rows[i]
		if r.Fields&models.SetParent == 0 || r.Org.Parent == "" {
			return 0, false
		}
		p, ok := index[r.Org.Parent]
		return p, ok
	}
	const (
		unvisited = iota
		visiting
		done
	)
	state := make([]int8, len(rows))
	var errs []models.RowError
	for i := range rows {
		// Walk up until a root of the file, a row already placed, or a row of this walk.
		var path []int
		j, ok := i, true
		for ok && state[j] == unvisited {
			state[j] = visiting
			path = append(path, j)
			j, ok = parentOf(j)
		}
		next := 0
		if ok && state[j] == done {
			next = rows[j].Level + 1
		} else if ok {
			k := slices.Index(path, j)
			errs = append(errs, cycleErrors(rows, path[k:])...)
			for _, c := range path[k:] {
				state[c] = done
			}
			path = path[:k]
		}
		for x := len(path) - 1; x >= 0; x-- {
			rows[path[x]].Level = next
			state[path[x]] = done
			next++
		}
	}
	// A closed row of an ODS extract goes under one of its ParentChoices, decided when
	// it is applied: it comes after each of them that the file holds. (Such rows are the
	// extract's own organisations, which no row of an extract names as its parent.)
	for i, r := range rows {
		for _, c := range r.ParentChoices {
			if j, ok := index[c]; ok && rows[j].ParentChoices == nil {
				rows[i].Level = max(rows[i].Level, rows[j].Level+1)
			}
		}
	}
	slices.SortStableFunc(rows, func(a, b models.ImportRow) int { return a.Level - b.Level })
	return errs
}

// maxCycleListed is how many organisations a cycle's message names: every row of the
// cycle carries the message, so naming them all would grow with the square of its length.
const maxCycleListed = 5

func cycleErrors(rows []models.ImportRow, cycle []int) []models.RowError {
	codes := make([]string, 0, len(cycle)+1)
	for _, c := range cycle {
		codes = append(codes, rows[c].Org.Code)
	}
	codes = append(codes, rows[cycle[0]].Org.Code)
	msg := "forms a cycle: " + strings.Join(codes, " under ")
	if len(cycle) > maxCycleListed {
		msg = "forms a cycle of " + strconv.Itoa(len(cycle)) + " organisations: " +
			strings.Join(codes[:maxCycleListed], " under ") + " under …"
	}
	out := make([]models.RowError, 0, len(cycle))
	for _, c := range cycle {
		out = append(out, models.RowError{Line: rows[c].Line, Code: rows[c].Org.Code, Field: "parent", Message: msg})
	}
	return out
}
