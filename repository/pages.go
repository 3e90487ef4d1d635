package repository

import (
	"context"

	"cyberskills/models"
)

// Every list is a keyset page: rows after the cursor's key, in the key's order, limit
// of them; the last row's key is the next page's cursor. Never OFFSET, so that a page
// costs the same wherever it is in the list.

// pageStart normalises a page and decodes its cursor into the list's key type; the zero
// key is the first page.
func pageStart[K any](page models.Page) (models.Page, K, error) {
	page = page.Normalize()
	var after K
	err := models.DecodeCursor(page.After, &after)
	return page, after, err
}

// selectPage reads one page: query with w's conditions, ordered by order, limit+1 rows
// (the extra one says whether there is a next page), each turned into a models value by
// conv, and the cursor of the next page made of key.
func selectPage[R, T any](ctx context.Context, db *DB, query string, w *filter, order string, page models.Page,
	conv func(R) (T, error), key func(T) any) ([]T, string, error) {
	w.args = append(w.args, page.Limit+1)
	var rows []R
	if err := db.SelectContext(ctx, &rows, db.Rebind(query+w.where()+" ORDER BY "+order+" LIMIT ?"), w.args...); err != nil {
		return nil, "", translate(err)
	}
	out := make([]T, len(rows))
	for i, r := range rows {
		var err error
		if out[i], err = conv(r); err != nil {
			return nil, "", err
		}
	}
	return paginate(out, page.Limit, key)
}

// always adapts a conversion that cannot fail.
func always[R, T any](conv func(R) T) func(R) (T, error) {
	return func(r R) (T, error) { return conv(r), nil }
}
