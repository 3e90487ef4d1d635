package models

import "strconv"

// Count writes a number with its noun, singular or plural as English wants it ("1 row",
// "3 rows"), so that no message says "1 rows are invalid" or "2 problem(s)".
func Count(n int, singular, plural string) string {
	if n == 1 || n == -1 {
		return strconv.Itoa(n) + " " + singular
	}
	return strconv.Itoa(n) + " " + plural
}

// IsOrAre is the verb that agrees with a count: "1 of 2 rows is", "3 of 4 rows are".
func IsOrAre(n int) string {
	if n == 1 {
		return "is"
	}
	return "are"
}
