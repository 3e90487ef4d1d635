package repository

// Translate exposes the one error translation to the external tests.
var Translate = translate

// ConstraintField exposes the constraint table to the external tests.
var ConstraintField = constraintField
