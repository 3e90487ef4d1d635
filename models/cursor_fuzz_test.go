package models_test

import (
	"reflect"
	"testing"
	"unicode/utf8"

	"cyberskills/models"
	"cyberskills/models/fuzzcheck"
)

// The key types the repository's lists decode cursors into.
type (
	fuzzRankKey struct {
		Depth int   `json:"d"`
		Level int   `json:"l"`
		ID    int64 `json:"i"`
	}
	fuzzPositionKey struct {
		Position int   `json:"p"`
		ID       int64 `json:"id"`
	}
)

// FuzzDecodeCursor sends arbitrary ?cursor= values to every kind of key a list uses:
// a cursor is either refused as EINVALID naming the cursor (with a message that repeats
// nothing of it) or decodes to a key that encodes back to a cursor of the same key.
func FuzzDecodeCursor(f *testing.F) {
	for _, seed := range []string{"", models.EncodeCursor("RJ1"), models.EncodeCursor(int64(4711)), models.EncodeCursor(fuzzRankKey{2, 1, 99}),
		models.EncodeCursor(&fuzzPositionKey{3, 7}), models.EncodeCursor(nil), models.EncodeCursor("\u0000é"), "not a cursor", "eyJ9", "=="} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, cursor string) {
		checkCursorInto[string](t, cursor)
		checkCursorInto[int64](t, cursor)
		checkCursorInto[fuzzRankKey](t, cursor)
		checkCursorInto[*fuzzPositionKey](t, cursor)
	})
}

func checkCursorInto[K any](t *testing.T, cursor string) {
	t.Helper()
	var key K
	err := models.DecodeCursor(cursor, &key)
	if err != nil {
		e := fuzzcheck.RequireInvalid(t, err)
		if len(e.Fields) != 1 || e.Fields[0].Field != "cursor" {
			t.Fatalf("cursor error %+v does not name the cursor", e)
		}
		return
	}
	if cursor == "" && !reflect.ValueOf(key).IsZero() {
		t.Fatalf("an empty cursor set the key to %v", key)
	}
	var back K
	if err := models.DecodeCursor(models.EncodeCursor(key), &back); err != nil || !reflect.DeepEqual(key, back) {
		t.Fatalf("%T key %v encodes to a cursor of %v (%v)", key, key, back, err)
	}
}

// FuzzCursorRoundTrip encodes the keys a page ends on: every key decodes back to itself.
// Keys come from the database, so strings are UTF-8.
func FuzzCursorRoundTrip(f *testing.F) {
	f.Add("RJ1", int64(0), 0)
	f.Add("network-engineer", int64(-1), 3)
	f.Add("\u2028<&>\"\\", int64(1<<62), -1)
	f.Fuzz(func(t *testing.T, s string, id int64, n int) {
		if !utf8.ValidString(s) {
			return
		}
		var gotS string
		if err := models.DecodeCursor(models.EncodeCursor(s), &gotS); err != nil || gotS != s {
			t.Fatalf("string %q came back as %q (%v)", s, gotS, err)
		}
		var gotID int64
		if err := models.DecodeCursor(models.EncodeCursor(id), &gotID); err != nil || gotID != id {
			t.Fatalf("id %d came back as %d (%v)", id, gotID, err)
		}
		key := fuzzRankKey{Depth: n, Level: n % 5, ID: id}
		var gotKey fuzzRankKey
		if err := models.DecodeCursor(models.EncodeCursor(key), &gotKey); err != nil || gotKey != key {
			t.Fatalf("key %+v came back as %+v (%v)", key, gotKey, err)
		}
	})
}
