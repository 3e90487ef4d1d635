package models

// CreatedToken is a new token with its secret, shown this once.
type CreatedToken struct {
	Token
	Secret string `json:"token" example:"csk_4XKQ7JH3L2M5N6P7Q8R9S2T3U4V5W6X7Y8Z2A3B4C5D6E7F8G9H"`
	// LRS is the token as HTTP Basic credentials for the xAPI routes (trainer tokens).
	LRS *LRSCredentials `json:"lrs,omitempty"`
}
