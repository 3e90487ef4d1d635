package xapi

// The verbs that can earn a course's evidence; every other verb is stored and earns nothing.
const (
	VerbCompleted = "http://adlnet.gov/expapi/verbs/completed"
	VerbPassed    = "http://adlnet.gov/expapi/verbs/passed"
	VerbFailed    = "http://adlnet.gov/expapi/verbs/failed"
	// VerbSatisfied is cmi5's: the LMS says a learner met the moveOn criteria of a course
	// or block (cmi5 9.3.9).
	VerbSatisfied = "https://w3id.org/xapi/adl/verbs/satisfied"
)

// Facts are what a statement says about the learner's outcome, read from its verb and
// result; a course's completion rule (models.CompletionRule) says which facts earn its
// evidence. A failure is never a completion or a pass: failed, or result.success false,
// outweighs the verb.
type Facts struct {
	Completed bool // completed (unless result.completion is false), or passed with result.completion true
	Passed    bool // passed, or completed with result.success true
	Failed    bool // failed, or result.success false
	Satisfied bool // cmi5 satisfied
}

// Names lists the facts by name, as they are stored: completed, passed, failed, satisfied.
func (f Facts) Names() []string {
	out := []string{}
	for _, x := range []struct {
		on   bool
		name string
	}{{f.Completed, "completed"}, {f.Passed, "passed"}, {f.Failed, "failed"}, {f.Satisfied, "satisfied"}} {
		if x.on {
			out = append(out, x.name)
		}
	}
	return out
}

// factsOf reads the facts of a valid statement.
func factsOf(m map[string]any) Facts {
	verb := m["verb"].(map[string]any)["id"].(string)
	res, _ := m["result"].(map[string]any)
	success, hasSuccess := res["success"].(bool)
	completion, hasCompletion := res["completion"].(bool)
	f := Facts{Failed: verb == VerbFailed || (hasSuccess && !success), Satisfied: verb == VerbSatisfied}
	if f.Failed {
		return f
	}
	f.Passed = verb == VerbPassed || (verb == VerbCompleted && hasSuccess && success)
	f.Completed = (verb == VerbCompleted && (!hasCompletion || completion)) || (verb == VerbPassed && hasCompletion && completion)
	return f
}
