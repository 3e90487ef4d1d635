package models

// Internals that the external tests (package models_test) check against. Those tests
// are external because they share models/fuzzcheck, which imports models.
var (
	DateType  = dateType
	Printable = printable
)
