package steps

import (
	"reflect"

	"github.com/cucumber/godog"
	"github.com/hookcheck/hookcheck/internal/redact"
)

var errorType = reflect.TypeFor[error]()

// step binds expr to fn (a step function returning an error last) so that
// the error it returns is redacted before godog prints or stores it: godog
// cannot replace a step's error from a hook, only add to it.
func (s *scenario) step(sc *godog.ScenarioContext, expr string, fn any) {
	redactedStep(sc, s.suite.redact, expr, fn)
}

// redactedStep binds expr to fn with fn's error redacted by redact.
func redactedStep(sc *godog.ScenarioContext, redact *redact.Redactor, expr string, fn any) {
	v := reflect.ValueOf(fn)
	t := v.Type()
	if t.Kind() != reflect.Func || t.NumOut() == 0 || t.Out(t.NumOut()-1) != errorType {
		panic("steps: step function for " + expr + " must return an error last")
	}
	wrapped := reflect.MakeFunc(t, func(args []reflect.Value) []reflect.Value {
		out := v.Call(args)
		last := len(out) - 1
		if err, _ := out[last].Interface().(error); err != nil {
			red := redact.Error(err)
			out[last] = reflect.ValueOf(&red).Elem()
		}
		return out
	})
	sc.Step(expr, wrapped.Interface())
}
