package models

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base32"
	"strconv"
	"strings"
	"time"
)

// Role is what a token may do.
type Role string

// The four roles. See README "Access control".
const (
	RoleAdmin   Role = "admin"   // everything, including tokens, frameworks and audit
	RoleHR      Role = "hr"      // one organisation's subtree: staff, roles, evidence, plans, gaps
	RoleTrainer Role = "trainer" // a training provider: its courses and completions
	RoleAnalyst Role = "analyst" // aggregate statistics only, with disclosure control
)

// Roles lists every role.
var Roles = []Role{RoleAdmin, RoleHR, RoleTrainer, RoleAnalyst}

// Valid reports whether r is a known role.
func (r Role) Valid() bool {
	switch r {
	case RoleAdmin, RoleHR, RoleTrainer, RoleAnalyst:
		return true
	}
	return false
}

// WithArticle names the role in a sentence: "an admin", "an hr", "a trainer", "an
// analyst" (hr is read as letters, aitch-ar).
func (r Role) WithArticle() string {
	switch r {
	case RoleAdmin, RoleHR, RoleAnalyst:
		return "an " + string(r)
	}
	return "a " + string(r)
}

// Scope limits which organisations' rows a caller may touch. The zero value matches no
// organisation at all, so a forgotten scope fails closed.
type Scope struct {
	all   bool
	orgID int64
}

// ScopeAll is the administrator's scope: every organisation.
func ScopeAll() Scope { return Scope{all: true} }

// ScopeSubtree limits access to one organisation and everything below it.
func ScopeSubtree(orgID int64) Scope { return Scope{orgID: orgID} }

// All reports whether the scope is unrestricted.
func (s Scope) All() bool { return s.all }

// OrgID is the root of the permitted subtree, or 0 when the scope is unrestricted or empty.
func (s Scope) OrgID() int64 { return s.orgID }

// Principal is the authenticated caller.
type Principal struct {
	TokenID  int64
	Name     string
	Role     Role
	OrgID    int64  // hr tokens: the organisation whose subtree they may see
	OrgCode  string // hr tokens
	Provider string // trainer tokens: the training provider they act for
	// ExpiresAt is when the token stops working; nil when it does not expire.
	ExpiresAt *time.Time
}

// Scope is the organisations whose tenant data the caller may read and change: all of
// them for admin, a subtree for hr, none for trainers and analysts (who see tenant data
// only through routes built for them).
func (p Principal) Scope() Scope {
	switch p.Role {
	case RoleAdmin:
		return ScopeAll()
	case RoleHR:
		return ScopeSubtree(p.OrgID)
	}
	return Scope{}
}

// Token is an API token as stored: never the secret itself, only its hash.
type Token struct {
	ID         int64      `json:"id" example:"12"`
	Name       string     `json:"name" example:"ESR integration"`
	Role       Role       `json:"role" example:"hr"`
	OrgCode    string     `json:"organisation,omitempty" example:"RJ1"`
	Provider   string     `json:"provider,omitempty" example:"nhs-digital-academy"`
	Prefix     string     `json:"prefix" example:"csk_4XKQ"`
	CreatedAt  time.Time  `json:"created_at"`
	ExpiresAt  *time.Time `json:"expires_at,omitempty"`
	RevokedAt  *time.Time `json:"revoked_at,omitempty"`
	LastUsedAt *time.Time `json:"last_used_at,omitempty"`
}

// NewToken is a request to mint a token.
type NewToken struct {
	Name      string
	Role      Role
	OrgCode   string
	Provider  string
	ExpiresIn time.Duration // 0: never expires
	CreatedBy int64         // the token that minted it; 0 from the command line
}

// Validate checks the combination of role, organisation and provider.
func (n NewToken) Validate() error {
	var v Validator
	v.Check(strings.TrimSpace(n.Name) != "" && len(n.Name) <= 200, "name", "is required (at most 200 characters)")
	v.Check(n.Role.Valid(), "role", "must be one of admin, hr, trainer, analyst")
	v.Check(n.Role != RoleHR || n.OrgCode != "", "organisation", "is required for an hr token")
	v.Check(n.Role == RoleHR || n.OrgCode == "", "organisation", "is only for hr tokens")
	v.Check(n.Role != RoleTrainer || n.Provider != "", "provider", "is required for a trainer token")
	v.Check(n.Role == RoleTrainer || n.Provider == "", "provider", "is only for trainer tokens")
	v.Check(n.ExpiresIn >= 0, "expires_in", "must not be negative")
	return v.Err()
}

// TokenPrefix starts every token, so that secret scanners and humans recognise one.
const TokenPrefix = "csk_"

var tokenEncoding = base32.StdEncoding.WithPadding(base32.NoPadding)

// GenerateToken returns a new secret of 32 random bytes and the SHA-256 hash under which
// it is stored. A fast hash is enough: the secret has 256 bits of entropy.
func GenerateToken() (secret string, hash []byte) {
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic("crypto/rand failed: " + err.Error())
	}
	secret = TokenPrefix + tokenEncoding.EncodeToString(b[:])
	return secret, HashToken(secret)
}

// HashToken is the stored form of a secret.
func HashToken(secret string) []byte {
	h := sha256.Sum256([]byte(secret))
	return h[:]
}

// DisplayPrefix is the part of a secret that may be shown to identify it.
func DisplayPrefix(secret string) string {
	if len(secret) < len(TokenPrefix)+4 {
		return secret
	}
	return secret[:len(TokenPrefix)+4]
}

// MaxLifetimeDays is the longest lifetime in days: the most a time.Duration holds.
const MaxLifetimeDays = int(1<<63-1) / int(24*time.Hour)

// ParseLifetime reads a token lifetime such as "90d", "12h" or "30m"; "" and "never" mean
// no expiry. A number of days beyond MaxLifetimeDays is refused: it would overflow into a
// negative lifetime, which means no expiry at all.
func ParseLifetime(s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	if s == "" || s == "never" {
		return 0, nil
	}
	if strings.HasSuffix(s, "d") {
		n, err := strconv.Atoi(strings.TrimSuffix(s, "d"))
		if err != nil || n <= 0 || n > MaxLifetimeDays {
			return 0, Invalid(FieldError{Field: "expires_in", Message: "must be a positive number of days such as 90d, at most " + strconv.Itoa(MaxLifetimeDays)})
		}
		return time.Duration(n) * 24 * time.Hour, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil || d <= 0 {
		return 0, Invalid(FieldError{Field: "expires_in", Message: "must be a lifetime such as 90d, 12h or never"})
	}
	return d, nil
}
