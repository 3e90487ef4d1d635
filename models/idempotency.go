package models

import "time"

// IdempotentRequest is what an Idempotency-Key stands for: one request of one token, which
// a retry repeats exactly. The path and query string are kept as hashes: they name staff
// (external ids), and a key's record should hold no more about a person than it must.
type IdempotentRequest struct {
	Method    string
	Route     string // the route pattern, which names nobody
	PathHash  []byte // SHA-256 of the escaped path
	QueryHash []byte // SHA-256 of the raw query string
}

// StoredResponse is the first request made with a key and its response, kept for replay.
type StoredResponse struct {
	IdempotentRequest
	RequestHash []byte // SHA-256 of the body, once the first request has finished
	Status      int
	ContentType string
	// Headers are the answer's headers that are part of it: an asynchronous import's
	// Location (its job) and Preference-Applied.
	Headers   map[string]string
	Body      []byte
	Completed bool
	Age       time.Duration
	// Erased: the answer named a person since erased, and was emptied (nothing is kept
	// of the request either): the key answers 410 and never runs again.
	Erased bool
}
