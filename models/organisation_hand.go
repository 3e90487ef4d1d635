package models

import "slices"

// HandField is a field that people and the NHS ODS extracts both write. What a person
// sets wins: an extract, re-imported every month, must not undo a correction (a trust
// that is in fact an independent provider, a sector the name did not reveal). The
// extracts carry no size band or headcount, so those are always a person's.
type HandField string

// The fields whose author is tracked.
const (
	HandType   HandField = "type"
	HandSector HandField = "sector"
)

// HandFields lists them, in the order SetByHand lists them.
var HandFields = []HandField{HandType, HandSector}

// Valid reports whether f is a tracked field.
func (f HandField) Valid() bool { return oneOf(f, HandFields) }

// ByHand reports whether a person set f on the organisation.
func (o Organisation) ByHand(f HandField) bool { return slices.Contains(o.SetByHand, f) }

// TrackHand records in after.SetByHand what a person's write leaves to that person: a
// type or sector the write changes (or gives, when it creates the organisation) becomes
// theirs, a sector it clears goes back to the extracts, and a field it leaves as it was
// keeps its author. before is the stored organisation, nil for a new one.
func TrackHand(before *Organisation, after *Organisation) {
	hand := map[HandField]bool{}
	if before != nil {
		for _, f := range before.SetByHand {
			hand[f] = true
		}
	}
	if before == nil || before.Type != after.Type {
		hand[HandType] = true
	}
	if before == nil || before.Sector != after.Sector {
		hand[HandSector] = after.Sector != ""
	}
	after.SetByHand = handList(hand)
}

// NormalizeHand returns fields in HandFields order, each once.
func NormalizeHand(fields []HandField) []HandField {
	hand := map[HandField]bool{}
	for _, f := range fields {
		hand[f] = true
	}
	return handList(hand)
}

func handList(hand map[HandField]bool) []HandField {
	var out []HandField
	for _, f := range HandFields {
		if hand[f] {
			out = append(out, f)
		}
	}
	return out
}
