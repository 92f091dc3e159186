package steps

import (
	"bytes"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"sync"

	"github.com/cucumber/godog"
	"github.com/cucumber/godog/colors"
	messages "github.com/cucumber/messages/go/v21"
)

// prettyFormat is the console's pretty format: godog's own prints each
// step as it ends, so scenarios that run at once interleave under whichever
// feature heading came last. This one prints each scenario whole when it
// ends, under a heading of its own feature (repeated when the previous
// scenario printed was another feature's), each step with the file:line
// that binds it.
const prettyFormat = "hookcheck-pretty"

func init() {
	godog.Format(prettyFormat, "each scenario whole, under its own feature, when it ends", newPretty)
}

type pretty struct {
	*godog.BaseFmt
	out     io.Writer
	mu      sync.Mutex
	running map[string]*bytes.Buffer // by pickle id
	last    string                   // the feature of the scenario printed last
}

func newPretty(suite string, out io.Writer) godog.Formatter {
	return &pretty{BaseFmt: godog.NewBaseFmt(suite, out), out: out, running: map[string]*bytes.Buffer{}}
}

// Pickle starts a scenario's buffer with its heading.
func (f *pretty) Pickle(p *messages.Pickle) {
	f.mu.Lock()
	defer f.mu.Unlock()
	b := &bytes.Buffer{}
	line, keyword := 0, "Scenario"
	if sc := f.Storage.MustGetFeature(p.Uri).FindScenario(p.AstNodeIds[0]); sc != nil {
		line, keyword = int(sc.Location.Line), sc.Keyword
	}
	fmt.Fprintf(b, "\n  %s: %s  %s\n", keyword, p.Name, colors.Black(fmt.Sprintf("# %s:%d", filepath.Base(p.Uri), line)))
	f.running[p.Id] = b
	if len(p.Steps) == 0 {
		fmt.Fprintln(b, "    "+colors.Yellow("no steps"))
		f.print(p)
	}
}

func (f *pretty) Passed(p *messages.Pickle, s *messages.PickleStep, d *godog.StepDefinition) {
	f.step(p, s, colors.Green, nil)
}

func (f *pretty) Skipped(p *messages.Pickle, s *messages.PickleStep, d *godog.StepDefinition) {
	f.step(p, s, colors.Cyan, nil)
}

func (f *pretty) Undefined(p *messages.Pickle, s *messages.PickleStep, d *godog.StepDefinition) {
	f.step(p, s, colors.Yellow, fmt.Errorf("undefined step"))
}

func (f *pretty) Pending(p *messages.Pickle, s *messages.PickleStep, d *godog.StepDefinition) {
	f.step(p, s, colors.Yellow, fmt.Errorf("pending step"))
}

func (f *pretty) Failed(p *messages.Pickle, s *messages.PickleStep, d *godog.StepDefinition, err error) {
	f.step(p, s, colors.Red, err)
}

func (f *pretty) Ambiguous(p *messages.Pickle, s *messages.PickleStep, d *godog.StepDefinition, err error) {
	f.step(p, s, colors.Yellow, err)
}

// step adds one step's line (and its error) to the scenario's buffer and
// prints the scenario after its last step.
func (f *pretty) step(p *messages.Pickle, s *messages.PickleStep, colour colors.ColorFunc, err error) {
	feature := f.Storage.MustGetFeature(p.Uri)
	res := f.Storage.MustGetPickleStepResult(s.Id)
	keyword := "*"
	if ast := feature.FindStep(s.AstNodeIds[0]); ast != nil {
		keyword = strings.TrimSpace(ast.Keyword)
	}
	where := ""
	if res.Def != nil {
		where = colors.Black(fmt.Sprintf("  # %s:%d", filepath.Base(res.Def.File), res.Def.Line))
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	b := f.running[p.Id]
	if b == nil {
		return
	}
	fmt.Fprintf(b, "    %s%s\n", colour(keyword+" "+s.Text), where)
	if err != nil {
		for _, l := range strings.Split(strings.TrimRight(err.Error(), "\n"), "\n") {
			fmt.Fprintln(b, "      "+colors.Red(l))
		}
	}
	if s.Id == p.Steps[len(p.Steps)-1].Id {
		f.print(p)
	}
}

// print writes a finished scenario under its feature's heading.
func (f *pretty) print(p *messages.Pickle) {
	if f.last != p.Uri {
		name := p.Uri
		if ft := f.Storage.MustGetFeature(p.Uri).Feature; ft != nil {
			name = ft.Keyword + ": " + ft.Name
		}
		fmt.Fprintf(f.out, "\n%s  %s\n", colors.Bold(colors.Cyan)(name), colors.Black("# "+filepath.Base(p.Uri)))
		f.last = p.Uri
	}
	f.out.Write(f.running[p.Id].Bytes())
	delete(f.running, p.Id)
}
