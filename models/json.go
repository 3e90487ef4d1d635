package models

import (
	"encoding/json"
	"errors"
	"io"
)

// ErrTrailingContent is DecodeOne's error for anything after the one value.
var ErrTrailingContent = errors.New("more than one JSON value")

// DecodeOne decodes the decoder's one value into dst and refuses anything after it: a
// body, a line or a batch item is one JSON value, and trailing content is an error
// (ErrTrailingContent), not something to ignore.
func DecodeOne(dec *json.Decoder, dst any) error {
	if err := dec.Decode(dst); err != nil {
		return err
	}
	if _, err := dec.Token(); err != io.EOF {
		return ErrTrailingContent
	}
	return nil
}
