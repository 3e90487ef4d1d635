package repository

import (
	"context"

	"cyberskills/models"
)

// Every list is a keyset page: rows after the cursor's key, in the key's order, limit
// of them; the last row's key is the next page's cursor. Never OFFSET, so that a page
// costs the same wherever it is in the list.

// keyset is the order of a list: by the column that holds its key, ascending, or
// descending for the newest first.
type keyset struct {
	column string
	desc   bool
}

func ascending(column string) keyset   { return keyset{column: column} }
func newestFirst(column string) keyset { return keyset{column: column, desc: true} }

// after is the condition on the key that keeps the rows after the cursor's.
func (k keyset) after() string {
	if k.desc {
		return k.column + " < ?"
	}
	return k.column + " > ?"
}

func (k keyset) orderBy() string {
	if k.desc {
		return " ORDER BY " + k.column + " DESC"
	}
	return " ORDER BY " + k.column
}

// checkCursor refuses a cursor that no list of keys of type K made, for a list that must
// look something up before it reads its page.
func checkCursor[K any](page models.Page) error {
	var after K
	return models.DecodeCursor(page.After, &after)
}

// selectPage reads one page of a list: the rows query selects with w's conditions whose
// key comes after the cursor's (the zero key is the first page), in order, limit+1 of them
// (the extra one says whether there is a next page), each turned into a models value by
// conv; the next page's cursor is made of the last one's key.
func selectPage[K comparable, R, T any](ctx context.Context, db *DB, query string, w *filter, order keyset, page models.Page,
	conv func(R) (T, error), key func(T) K) ([]T, string, error) {
	page = page.Normalize()
	var after, first K
	if err := models.DecodeCursor(page.After, &after); err != nil {
		return nil, "", err
	}
	if after != first {
		w.add(order.after(), after)
	}
	w.args = append(w.args, page.Limit+1)
	var rows []R
	if err := db.SelectContext(ctx, &rows, db.Rebind(query+w.where()+order.orderBy()+" LIMIT ?"), w.args...); err != nil {
		return nil, "", translate(err)
	}
	out := make([]T, len(rows))
	for i, r := range rows {
		var err error
		if out[i], err = conv(r); err != nil {
			return nil, "", err
		}
	}
	return paginate(out, page.Limit, func(t T) any { return key(t) })
}

// always adapts a conversion that cannot fail.
func always[R, T any](conv func(R) T) func(R) (T, error) {
	return func(r R) (T, error) { return conv(r), nil }
}
