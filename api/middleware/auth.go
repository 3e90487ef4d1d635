package middleware

// TokenIDKey is the gin context key holding the authenticated token's id.
const TokenIDKey = "token_id"
