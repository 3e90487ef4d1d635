package xapi

import (
	"regexp"
	"strings"
)

// The versions of the specification this LRS speaks: xAPI 1.0.3 and xAPI 2.0.0 (IEEE
// 9274.1.1). Every answer names the latest patch of the version the request asked for.
const (
	Version1 = "1.0.3"
	Version2 = "2.0.0"
)

// Versions are the versions the About resource lists.
var Versions = []string{Version1, Version2}

var xapiVersion = regexp.MustCompile(`^(1|2)\.0(\.[0-9]+)?$`)

// VersionSupported reports whether an X-Experience-API-Version header names a
// version this service speaks: 1.0, 1.0.x, 2.0 or 2.0.x.
func VersionSupported(v string) bool { return xapiVersion.MatchString(v) }

// AnswerVersion is the version an answer to a request of version v states: the latest
// patch of v's version, or the latest version when v names none this service speaks.
func AnswerVersion(v string) string {
	if VersionSupported(v) && strings.HasPrefix(v, "1.") {
		return Version1
	}
	return Version2
}

// StoredVersion is the version a statement is stored with when it states none: 1.0.0 for
// a 1.0.x request, 2.0.0 for a 2.0.x one (Data 2.4.10).
func StoredVersion(statement, request string) string {
	switch {
	case statement != "":
		return statement
	case strings.HasPrefix(request, "1."):
		return "1.0.0"
	}
	return "2.0.0"
}
