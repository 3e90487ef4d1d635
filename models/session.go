package models

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"time"
)

// SessionPolicy bounds a dashboard session: it ends after Idle without a request, and at
// Lifetime after sign-in whatever happens, and never outlives its token.
type SessionPolicy struct {
	Idle     time.Duration
	Lifetime time.Duration
}

// DefaultSessionPolicy is a working day: 8 hours idle, 12 hours in all.
var DefaultSessionPolicy = SessionPolicy{Idle: 8 * time.Hour, Lifetime: 12 * time.Hour}

// Expiry is when a session begun at now ends at the latest: its lifetime, or its token's
// expiry when that comes first.
func (p SessionPolicy) Expiry(now time.Time, tokenExpires *time.Time) time.Time {
	end := now.Add(p.Lifetime)
	if tokenExpires != nil && tokenExpires.Before(end) {
		return *tokenExpires
	}
	return end
}

// Session is a dashboard session as a caller holds it: the secret for the cookie (never
// stored; only its hash is) and when it ends at the latest.
type Session struct {
	Secret    string
	ExpiresAt time.Time
}

// NewSessionSecret returns a fresh session secret (32 random bytes) and the hash under
// which it is stored.
func NewSessionSecret() (secret string, hash []byte) {
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic("crypto/rand failed: " + err.Error())
	}
	secret = base64.RawURLEncoding.EncodeToString(b[:])
	return secret, HashSession(secret)
}

// HashSession is the stored form of a session secret.
func HashSession(secret string) []byte {
	h := sha256.Sum256([]byte("session\x00" + secret))
	return h[:]
}

// CSRFToken is the anti-forgery token of the session with this secret: the form a page
// carries and every write must send back. It is derived from the secret, which only the
// HttpOnly cookie holds, by a one-way hash, so it needs no storage, is bound to the
// session, and reveals nothing of the secret when a page is seen.
func CSRFToken(secret string) string {
	h := sha256.Sum256([]byte("csrf\x00" + secret))
	return base64.RawURLEncoding.EncodeToString(h[:])
}

// SameSecret compares two secrets in constant time.
func SameSecret(a, b string) bool {
	return a != "" && subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1
}
