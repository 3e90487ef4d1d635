package models

import (
	"errors"
	"regexp"
	"strconv"
	"strings"
)

// An xAPI account's homePage is the identity an LMS gives an organisation: statements
// name a person by (homePage, name). Two spellings of one URL must be one homePage, or a
// tenant could bind a spelling of another's URL and receive (or, by making a statement
// match twice, block) that organisation's statements. NormalHomePage writes a URL in one
// form, and organisations store and match home pages in that form only.
//
// The same rule exists in SQL (normal_home_page, migration 0017), which the migration
// used on stored home pages and which a check constraint applies to every write; a test
// runs both on one table of URLs.

var (
	homePageShape = regexp.MustCompile(`^([A-Za-z][A-Za-z0-9+.-]*)://([^/?#]*)([^?#]*)$`)
	homePageHost  = regexp.MustCompile(`^([A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*\.?|\[[0-9A-Fa-f:.]+\])(?::([0-9]*))?$`)
)

// NormalHomePage returns the normal form of an http or https URL used as an xAPI
// homePage (RFC 3986 section 6.2.2, plus the scheme-based rules of 6.2.3):
//   - scheme and host in lower case, a host's trailing dot dropped;
//   - the port in decimal without leading zeros, dropped when it is the scheme's default
//     (80 for http, 443 for https) or empty;
//   - percent-encoding normalised: escapes of unreserved characters (letters, digits,
//     "-", ".", "_", "~") decoded, other escapes in upper case, and characters a URI
//     path cannot hold (spaces, non-ASCII) encoded as their UTF-8 bytes;
//   - "." and ".." segments resolved, and trailing slashes dropped ("/orgs/T01/" is
//     "/orgs/T01", and "https://lms.example/" is "https://lms.example").
//
// It refuses what would make one identity ambiguous or is no web address: another scheme,
// user information, a query string, a fragment, a host that is not a DNS name or an
// IPv6 literal (percent-encoded or non-ASCII hosts included: write them in punycode).
func NormalHomePage(s string) (string, error) {
	m := homePageShape.FindStringSubmatch(s)
	switch {
	case m == nil && strings.Contains(s, "?"):
		return "", errors.New("must not have a query string")
	case m == nil && strings.Contains(s, "#"):
		return "", errors.New("must not have a fragment")
	case m == nil:
		return "", errors.New("must be an absolute http or https URL")
	}
	scheme, authority, path := strings.ToLower(m[1]), m[2], m[3]
	if scheme != "http" && scheme != "https" {
		return "", errors.New("must be an http or https URL")
	}
	if strings.Contains(authority, "@") {
		return "", errors.New("must not carry a user name or password")
	}
	h := homePageHost.FindStringSubmatch(authority)
	if h == nil {
		return "", errors.New("must name its host by a DNS name (in ASCII) or an IPv6 address")
	}
	host := strings.TrimSuffix(strings.ToLower(h[1]), ".")
	port, err := normalPort(h[2], scheme)
	if err != nil {
		return "", err
	}
	path, err = normalPath(path)
	if err != nil {
		return "", err
	}
	return scheme + "://" + host + port + path, nil
}

// normalPort is ":port" without leading zeros, or "" for no port or the scheme's default.
func normalPort(p, scheme string) (string, error) {
	if p == "" {
		return "", nil
	}
	p = strings.TrimLeft(p, "0")
	if p == "" {
		p = "0"
	}
	if n, err := strconv.Atoi(p); err != nil || n > 65535 {
		return "", errors.New("has a port beyond 65535")
	}
	if (scheme == "http" && p == "80") || (scheme == "https" && p == "443") {
		return "", nil
	}
	return ":" + p, nil
}

// normalPath normalises the percent-encoding of a path, resolves its dot segments and
// drops its trailing slashes.
func normalPath(raw string) (string, error) {
	var b strings.Builder
	for i := 0; i < len(raw); i++ {
		c := raw[i]
		switch {
		case c == '%':
			if i+2 >= len(raw) || !isHex(raw[i+1]) || !isHex(raw[i+2]) {
				return "", errors.New("has a % that does not begin an escape (%XX)")
			}
			v, _ := strconv.ParseUint(raw[i+1:i+3], 16, 8)
			if unreserved(byte(v)) {
				b.WriteByte(byte(v))
			} else {
				b.WriteString("%" + strings.ToUpper(raw[i+1:i+3]))
			}
			i += 2
		case unreserved(c) || strings.IndexByte("!$&'()*+,;=:@/", c) >= 0:
			b.WriteByte(c)
		default:
			b.WriteString("%" + strings.ToUpper(strconv.FormatUint(uint64(c)|0x100, 16)[1:]))
		}
	}
	segments := strings.Split(b.String(), "/")
	var kept []string
	for _, seg := range segments[1:] { // the path is empty or starts with "/"
		switch seg {
		case ".":
		case "..":
			if len(kept) > 0 {
				kept = kept[:len(kept)-1]
			}
		default:
			kept = append(kept, seg)
		}
	}
	return strings.TrimRight("/"+strings.Join(kept, "/"), "/"), nil
}

func unreserved(c byte) bool {
	return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '.' || c == '_' || c == '~'
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}
