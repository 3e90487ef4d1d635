package models

import (
	"encoding/base64"
	"encoding/json"
)

// DefaultPageSize and MaxPageSize bound every list.
const (
	DefaultPageSize = 50
	MaxPageSize     = 1000
)

// Page asks for one page of a keyset-paginated list: the items after a cursor.
type Page struct {
	After string // opaque cursor from the previous page; empty for the first
	Limit int
}

// Normalize clamps the limit into range.
func (p Page) Normalize() Page {
	if p.Limit <= 0 {
		p.Limit = DefaultPageSize
	}
	if p.Limit > MaxPageSize {
		p.Limit = MaxPageSize
	}
	return p
}

// EncodeCursor turns the sort key of the last item of a page into an opaque cursor.
func EncodeCursor(key any) string {
	b, _ := json.Marshal(key)
	return base64.RawURLEncoding.EncodeToString(b)
}

// DecodeCursor reads a cursor made by EncodeCursor into key. An empty cursor leaves key alone.
func DecodeCursor(cursor string, key any) error {
	if cursor == "" {
		return nil
	}
	b, err := base64.RawURLEncoding.DecodeString(cursor)
	if err == nil {
		err = json.Unmarshal(b, key)
	}
	if err != nil {
		return Invalid(FieldError{Field: "cursor", Message: "is not a cursor returned by this list"})
	}
	return nil
}
