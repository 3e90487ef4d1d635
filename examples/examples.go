// Package examples holds the files the README's quick start sends, embedded for the demo
// loader (cyberskills demo), which builds its organisations from the same ODS slice.
package examples

import _ "embed" // the files below

// TrustsExtract is ods/etr-south-london.csv: the NHS trusts of two London ICBs, as the
// NHS Organisation Data Service publishes them (Open Government Licence v3.0; see
// README.md here).
//
//go:embed ods/etr-south-london.csv
var TrustsExtract []byte
