package api

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"reflect"
	"strings"

	"github.com/gin-gonic/gin"

	"cyberskills/api/problem"
	"cyberskills/models"
)

// validatable is implemented by request bodies that check themselves after decoding.
type validatable interface{ Validate() error }

// bindJSON decodes the JSON body into dst strictly: the media type must be JSON, unknown
// fields are rejected by name, the body must hold exactly one value, and the size limit
// set by middleware applies. Then dst validates itself when it can.
func bindJSON(c *gin.Context, dst any) error {
	if err := requireMediaType(c, "application/json"); err != nil {
		return err
	}
	if err := decodeJSON(c.Request.Body, dst); err != nil {
		return err
	}
	if v, ok := dst.(validatable); ok {
		return v.Validate()
	}
	return nil
}

// requireMediaType answers 415 unless the request's Content-Type is one of types
// (parameters such as charset are ignored).
func requireMediaType(c *gin.Context, types ...string) error {
	mt, _, err := mime.ParseMediaType(c.GetHeader("Content-Type"))
	if err == nil {
		for _, t := range types {
			if mt == t {
				return nil
			}
		}
	}
	return models.Errorf(problem.EMEDIATYPE, "Content-Type must be %s", strings.Join(types, " or "))
}

// mediaType returns the request's media type without parameters.
func mediaType(c *gin.Context) string {
	mt, _, _ := mime.ParseMediaType(c.GetHeader("Content-Type"))
	return mt
}

func decodeJSON(r io.Reader, dst any) error {
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		return jsonError(err)
	}
	if _, err := dec.Token(); err != io.EOF {
		var maxErr *http.MaxBytesError
		if errors.As(err, &maxErr) {
			return jsonError(err)
		}
		return models.Errorf(models.EINVALID, "the body must hold a single JSON value")
	}
	return nil
}

// jsonError explains a decoding failure in terms of the request, naming the field at fault.
func jsonError(err error) error {
	var (
		syntaxErr *json.SyntaxError
		typeErr   *json.UnmarshalTypeError
		maxErr    *http.MaxBytesError
	)
	switch {
	case errors.As(err, &maxErr):
		return models.Errorf(problem.ETOOLARGE, "the request body exceeds the limit of %d bytes", maxErr.Limit)
	case errors.Is(err, io.EOF):
		return models.Errorf(models.EINVALID, "the request body is empty")
	case errors.Is(err, io.ErrUnexpectedEOF):
		return models.Errorf(models.EINVALID, "malformed JSON: the body ends too early")
	case errors.As(err, &syntaxErr):
		return models.Errorf(models.EINVALID, "malformed JSON at byte %d: %s", syntaxErr.Offset, syntaxErr.Error())
	case errors.As(err, &typeErr):
		field := typeErr.Field
		if field == "" {
			field = "body"
		}
		return models.Invalid(models.FieldError{Field: field, Message: fmt.Sprintf("must be %s", jsonTypeName(typeErr.Type))})
	case models.UnknownJSONField(err) != "":
		return models.Invalid(models.FieldError{Field: models.UnknownJSONField(err), Message: "is not a known field"})
	}
	var mErr *models.Error
	if errors.As(err, &mErr) {
		return mErr // a custom UnmarshalJSON rejected a value
	}
	return models.Errorf(models.EINVALID, "malformed JSON: %s", err.Error())
}

// namedJSONType is a type that says how its JSON form should be described, such as
// models.Date ("a date (YYYY-MM-DD)").
type namedJSONType interface{ JSONTypeName() string }

func jsonTypeName(t reflect.Type) string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if n, ok := reflect.Zero(t).Interface().(namedJSONType); ok {
		return n.JSONTypeName()
	}
	switch t.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "an integer"
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Slice, reflect.Array:
		return "an array"
	}
	return "an object"
}
