package plan

// Course is a course the training planner may propose.
type Course struct {
	Code    string
	Cost    *float64       // nil: unknown
	Hours   *float64       // nil: unknown
	Confers map[string]int // skill code -> level a pass confers
}

// Person is a member of staff the planner may enrol.
type Person struct {
	ID     string          // staff external id, unique within the plan
	Levels map[string]int  // current verified level per skill; missing means 0
	Needs  []Need          // essential role requirements they do not meet
	Busy   map[string]bool // course codes they are already enrolled on
}

// Need is a required level a person lacks.
type Need struct {
	Skill string
	Level int
}

// Target is a capability target of the organisation: at least MinHeadcount of the
// people hold Skill at MinLevel or above.
type Target struct {
	Skill        string
	MinLevel     int
	MinHeadcount int
}

// Input is everything Train reads.
type Input struct {
	People  []Person // the organisation's active staff
	Courses []Course
	Targets []Target
	// Budget caps the total of the metric minimised (see Metric); nil: no cap.
	Budget *float64
	// SearchLimit bounds the exact search, in steps (nodes visited and bounds computed);
	// 0 means DefaultSearchLimit.
	SearchLimit int
}

// DefaultSearchLimit is how many steps the exact search takes before Train
// settles for the best plan found so far: about half a second on one core.
const DefaultSearchLimit = 1_000_000

// Metric names what a training plan minimises.
type Metric string

// Plan metrics: cost when every course that could be proposed has a cost, else hours when
// they all have hours, else the number of enrolments.
const (
	MetricCost       Metric = "cost"
	MetricHours      Metric = "hours"
	MetricEnrolments Metric = "enrolments"
)

// Valid reports whether m is a known metric.
func (m Metric) Valid() bool {
	return m == MetricCost || m == MetricHours || m == MetricEnrolments
}

// Enrolment is one proposed enrolment and what it helps close.
type Enrolment struct {
	Person string   `json:"person" example:"E1001"`
	Course string   `json:"course" example:"FW-301"`
	Cost   *float64 `json:"cost" example:"450" extensions:"x-nullable"`
	Hours  *float64 `json:"hours" example:"14" extensions:"x-nullable"`
	// Closes names the needs ("need:<skill>") and targets ("target:<skill>") it helps close.
	Closes []string `json:"closes" example:"need:firewall-config,target:firewall-config"`
}

// UncoveredNeed is a need the plan leaves open.
type UncoveredNeed struct {
	Person string `json:"person" example:"E1002"`
	Skill  string `json:"skill" example:"forensics"`
	Level  int    `json:"level" example:"3"`
}

// UncoveredTarget is a capability target the plan leaves short of holders.
type UncoveredTarget struct {
	Skill    string `json:"skill" example:"backup-recovery"`
	MinLevel int    `json:"min_level" example:"3"`
	Missing  int    `json:"missing" example:"1"`
}

// Result is a proposed training plan.
type Result struct {
	Enrolments []Enrolment `json:"enrolments"`
	TotalCost  *float64    `json:"total_cost" example:"1350" extensions:"x-nullable"` // nil when a proposed course has no cost
	TotalHours *float64    `json:"total_hours" example:"42" extensions:"x-nullable"`  // nil when a proposed course has no hours
	Metric     Metric      `json:"metric" enums:"cost,hours,enrolments" example:"cost"`
	// Closed is what the plan maximised first: needs closed plus target holders gained.
	Closed           int               `json:"closed" example:"5"`
	UncoveredNeeds   []UncoveredNeed   `json:"uncovered_needs"`
	UncoveredTargets []UncoveredTarget `json:"uncovered_targets"`
	// Optimal says the search proved the plan best; false when it stopped at its limits.
	Optimal bool `json:"optimal" example:"true"`
}

// Train proposes enrolments that close essential role needs and capability targets.
//
// Model. A pass sets each conferred skill to max(current, conferred): levels never add up
// across courses, so a need (person, skill, level) is closed when one of the person's
// courses confers the skill at that level or above, and a person becomes a holder of a
// target when one of their courses confers its skill at MinLevel or above. Every proposed
// enrolment is assumed to pass (the projection weighs pass rates). Enrolments under way
// (Busy) are assumed to complete too: their levels count as held, they are never proposed
// again, and a target's deficit is MinHeadcount minus the holders after them.
//
// Objective, lexicographic:
//  1. close the most units: needs closed plus, per target, new holders up to its deficit
//     (with no budget, everything closable is closed);
//  2. the least total of the metric: cost when every course that could be proposed has a
//     cost, else hours when they all have hours, else enrolments; then the fewest enrolments;
//  3. the least total depth (levels lacking before training) over the needs closed and the
//     new target holders, so staff closest to the level go first;
//  4. of two plans still tied, the one holding the first enrolment (by person id, then
//     course code) that the other lacks.
//
// The budget caps the metric's total: money, hours, or the number of enrolments.
//
// Algorithm. Candidates are the (person, course) pairs that close at least one of the
// person's needs or target deficits, less those another course beats for that person
// (closing a superset for strictly less, or the same for the same and an earlier code).
// Needs decompose per person; only targets couple persons. Per person, a dynamic programme
// over their candidates keeps, for every set of their items, the best courses closing
// exactly that set, less options another beats outright. A depth-first branch and bound
// then picks one option per person in id order, trying the most promising first, from
// the greedy plan below as incumbent. Its bound on a branch is the most units the rest
// could close and, for plans closing that many, the least cost (2)-(3) they could have:
// each remaining person's cheapest option plus the cheapest extra for the holders the
// targets miss; within a budget, also the tighter of two knapsack relaxations: items
// priced at their cheapest share of a course, and a table, by dynamic programming over
// persons, of the least cost of u more units given the remaining deficits of the targets
// it can afford to track (the others pooled). Costs are exact integers (money and hours in
// millionths), so a branch that can only tie is cut unless it would win (4).
//
// Limits. Set cover is NP-hard, so the exact search is capped: 62 items, 62 candidate
// courses and 1024 options per person, SearchLimit steps. Past a cap the result is the
// best plan found, never worse than greedy, with Optimal false. Greedy takes the
// candidate closing the most units per unit of metric (ties: more units, less depth,
// person and course order) while the budget allows; local moves then drop enrolments the
// rest makes useless, swap one for another of the same person or target when the plan
// improves, and refill the budget freed. Without a budget the bound is usually tight at
// the root: 5,000 staff with a few needs each and eight targets solve exactly in about
// 0.2 s. A budget makes it a knapsack whose bound is looser when many targets are open:
// on the same kind of data, exact for teams of about 30 staff in training, often not from
// 50; the search then stops after about 0.25 s with the best plan found.
func Train(in Input) Result {
	pp := newPlanProblem(in)
	plan := pp.greedy(nil)
	optimal := false
	if s := pp.newSearch(); s != nil {
		limit := in.SearchLimit
		if limit <= 0 {
			limit = DefaultSearchLimit
		}
		plan, optimal = s.run(plan, limit)
	}
	if !optimal {
		plan = pp.improve(plan)
	}
	return pp.result(plan, optimal)
}
