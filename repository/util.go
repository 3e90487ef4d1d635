package repository

import "cyberskills/models"

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
