package steps

import (
	"reflect"

	"github.com/hookcheck/hookcheck/internal/redact"
)

var errorType = reflect.TypeFor[error]()

// redacted is fn (a step function returning an error last) with its error
// redacted before godog prints or stores it: godog cannot replace a
// step's error from a hook, only add to it. Steps bind it where they are
// defined, sc.Step(expr, s.redacted(fn)), so that godog's step locations
// (file:line) name that line.
func (s *scenario) redacted(fn any) any { return redacted(s.suite.redact, fn) }

// redacted is fn with its error redacted by r.
func redacted(r *redact.Redactor, fn any) any {
	v := reflect.ValueOf(fn)
	t := v.Type()
	if t.Kind() != reflect.Func || t.NumOut() == 0 || t.Out(t.NumOut()-1) != errorType {
		panic("steps: a step function must return an error last, got " + t.String())
	}
	return reflect.MakeFunc(t, func(args []reflect.Value) []reflect.Value {
		out := v.Call(args)
		last := len(out) - 1
		if err, _ := out[last].Interface().(error); err != nil {
			red := r.Error(err)
			out[last] = reflect.ValueOf(&red).Elem()
		}
		return out
	}).Interface()
}
