package repository

// Translate exposes the one error translation to the external tests.
var Translate = translate
