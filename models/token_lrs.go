package models

import "strconv"

// LRSCredentials are a token as an LMS's LRS settings want it: HTTP Basic key and secret
// for the xAPI routes. The key names the token (its id) and the secret is the token.
type LRSCredentials struct {
	Key    string `json:"key" example:"12"`
	Secret string `json:"secret" example:"csk_4XKQ7JH3L2M5N6P7Q8R9S2T3U4V5W6X7Y8Z2A3B4C5D6E7F8G9H"`
}

// LRSKey is the HTTP Basic user name (the LRS key) of a token: its id.
func LRSKey(tokenID int64) string { return strconv.FormatInt(tokenID, 10) }

// NewCreatedToken is a freshly minted token with its secret; a trainer token comes with
// its LRS credentials too, since that is how an LMS sends statements.
func NewCreatedToken(t Token, secret string) CreatedToken {
	out := CreatedToken{Token: t, Secret: secret}
	if t.Role == RoleTrainer && secret != "" {
		out.LRS = &LRSCredentials{Key: LRSKey(t.ID), Secret: secret}
	}
	return out
}
