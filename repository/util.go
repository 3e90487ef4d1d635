package repository

import (
	"database/sql"
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/lib/pq"

	"cyberskills/models"
)

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func derefInt(n *int64) int64 {
	if n == nil {
		return 0
	}
	return *n
}

// paginate trims a list fetched with limit+1 rows to limit and returns the cursor of the
// next page, empty when this was the last.
func paginate[T any](items []T, limit int, key func(T) any) ([]T, string, error) {
	if len(items) <= limit {
		return items, "", nil
	}
	items = items[:limit]
	return items, models.EncodeCursor(key(items[limit-1])), nil
}

// int64Array and stringArray pass Go slices as PostgreSQL arrays.
func int64Array(v []int64) any   { return pq.Array(v) }
func stringArray(v []string) any { return pq.Array(v) }

// nullableStringArray passes a slice with NULLs as a PostgreSQL text array.
func nullableStringArray(v []*string) any {
	arr := make([]sql.NullString, len(v))
	for i, s := range v {
		if s != nil {
			arr[i] = sql.NullString{String: *s, Valid: true}
		}
	}
	return pq.GenericArray{A: arr}
}

func float64Array(v []float64) any { return pq.Array(v) }

func itoa(n int) string { return strconv.Itoa(n) }

// formatFloat writes a number as its shortest decimal, for numeric parameters.
func formatFloat(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

// jsonText encodes a value of our own types as JSON text for a json or jsonb parameter.
// It is text, not []byte: with binary parameters a []byte is sent in binary form, which
// only bytea reads as is. The types passed here always encode.
func jsonText(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic("encoding " + fmt.Sprintf("%T", v) + " as JSON: " + err.Error())
	}
	return string(b)
}
