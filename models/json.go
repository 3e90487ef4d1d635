package models

import (
	"encoding/json"
	"errors"
	"io"
)

// DecodeOne decodes the decoder's one value into dst and refuses anything after it: a
// body, a line or a batch item is one JSON value, and trailing content is an error, not
// something to ignore.
func DecodeOne(dec *json.Decoder, dst any) error {
	if err := dec.Decode(dst); err != nil {
		return err
	}
	if _, err := dec.Token(); err != io.EOF {
		return errors.New("more than one JSON value")
	}
	return nil
}
