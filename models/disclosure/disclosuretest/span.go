// Package disclosuretest is what the tests of disclosure control share: an exact linear
// span, in which an attacker (or an auditor) puts every figure it knows as a sum of parts
// and asks whether a withheld figure follows by addition and subtraction. Only tests
// import it; it is a package of its own because test files cannot be shared between
// packages, and the api package's attack test and models/disclosure's audit both use it.
package disclosuretest

import "math/bits"

// Span is a row-echelon basis of integer vectors (coordinate -> coefficient), kept modulo
// a large prime: exact, with overwhelming probability, for systems of small integers.
type Span struct {
	pivots map[int]map[int]uint64 // pivot coordinate -> basis vector (pivot coefficient 1)
}

// NewSpan is an empty span.
func NewSpan() *Span { return &Span{pivots: map[int]map[int]uint64{}} }

const prime = 1<<61 - 1

func mulMod(a, b uint64) uint64 {
	hi, lo := bits.Mul64(a, b)
	_, rem := bits.Div64(hi, lo, prime)
	return rem
}

func invMod(a uint64) uint64 {
	r, e := uint64(1), uint64(prime-2)
	for ; e > 0; e >>= 1 {
		if e&1 == 1 {
			r = mulMod(r, a)
		}
		a = mulMod(a, a)
	}
	return r
}

// reduce is v less its part in the span, eliminating v's smallest pivot first: every basis
// vector's pivot is its smallest coordinate, so each step leaves only larger ones.
func (m *Span) reduce(v map[int]int64) map[int]uint64 {
	r := map[int]uint64{}
	for x, c := range v {
		if c%prime != 0 {
			r[x] = uint64((c%prime + prime) % prime)
		}
	}
	for {
		pivot := -1
		for x := range r {
			if _, ok := m.pivots[x]; ok && (pivot < 0 || x < pivot) {
				pivot = x
			}
		}
		if pivot < 0 {
			return r
		}
		f := r[pivot]
		for x, c := range m.pivots[pivot] {
			if r[x] = (r[x] + prime - mulMod(f, c)) % prime; r[x] == 0 {
				delete(r, x)
			}
		}
	}
}

// Add puts v in the span.
func (m *Span) Add(v map[int]int64) {
	r := m.reduce(v)
	if len(r) == 0 {
		return
	}
	pivot := -1
	for x := range r {
		if pivot < 0 || x < pivot {
			pivot = x
		}
	}
	inv := invMod(r[pivot])
	for x := range r {
		r[x] = mulMod(r[x], inv)
	}
	m.pivots[pivot] = r
}

// Contains reports whether v is a linear combination of what the span holds.
func (m *Span) Contains(v map[int]int64) bool { return len(m.reduce(v)) == 0 }
