package deploy

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hookcheck/hookcheck/fixtures/container"
	"github.com/hookcheck/hookcheck/fixtures/container/dockertest"
	"github.com/hookcheck/hookcheck/fixtures/registry"
	"github.com/hookcheck/hookcheck/fixtures/timing"
	"github.com/hookcheck/hookcheck/loadgen"
	"github.com/hookcheck/hookcheck/report"
	batchv1 "k8s.io/api/batch/v1"
)

// The local runs' registry timing: ORCID's scaled down 1000×. The runs'
// ConfigMap declares the same.
var jobTiming = timing.Timing{
	Window:          300 * time.Millisecond,
	Retry:           timing.Retry{Kind: timing.Doubling, Base: 300 * time.Millisecond, MaxAttempts: 25},
	CallbackTimeout: time.Second,
	Tolerance:       150 * time.Millisecond,
}

// contractLoad is the contract test's run: 200 records (divisible by 1, 2
// and 4 shards, so that each shard's round robin visits the same records at
// the same instants as one unsharded run), each changed once a second.
var contractLoad = jobLoad{records: 200, rate: 200, duration: 2 * time.Second}

// jobLoad is the size of a local run of the Jobs.
type jobLoad struct {
	records, rate int // rate: changes per second over all shards
	duration      time.Duration
}

const (
	jobFailRatio  = "0.1"
	jobFailScript = "500,500,500,204" // the load command's default, which the Job keeps
	jobClientID   = "APP-HOOKCHECKJOB01"
	jobSecret     = "job-secret-5e1f0c2a9d"
	podIP         = "127.0.0.1" // host networking: every pod's IP is the loopback
)

// localCluster runs deploy/'s Jobs on this machine: one registry, the
// Secrets the README creates, the harness image.
type localCluster struct {
	load     jobLoad
	m        *manifests
	image    string
	registry *registry.Server
	records  []byte // records.json, the hookcheck-records Secret's file
}

// jobRun is what one run of the Jobs left.
type jobRun struct {
	shardCodes []int64
	mergeCode  int64
	mergeOut   string
	merged     *report.Summary
	outputs    []string // every container's stdout and stderr
}

func newLocalCluster(t testing.TB, load jobLoad) *localCluster {
	t.Helper()
	m, err := loadManifests(".")
	if err != nil {
		t.Fatal(err)
	}
	image, err := container.BuildImage(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	srv, err := registry.Listen(context.Background(), "127.0.0.1:0", registry.Config{Timing: jobTiming, Clients: []registry.Client{{ID: jobClientID, Secret: jobSecret}}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	recs, err := srv.Registry().CreateRecords(load.records)
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(map[string]any{"records": recs})
	if err != nil {
		t.Fatal(err)
	}
	return &localCluster{load: load, m: m, image: image, registry: srv, records: b}
}

// mergeWait bounds the merge's wait: start-up (hook registration
// included), the attack, and the drain the declared timing and fail script
// allow.
func (l jobLoad) mergeWait() time.Duration {
	cfg := loadgen.Config{Timing: jobTiming, FailRatio: 0.1, FailScript: jobFailScript}
	return 15*time.Second + time.Duration(l.records)*time.Millisecond + l.duration + cfg.DrainTime()
}

// scaled is m with the load Job scaled to n shards, as an operator edits it:
// completions, parallelism and the n of --shard.
func scaled(t testing.TB, m *manifests, n int) (load, merge *batchv1.Job) {
	t.Helper()
	c := m.clone()
	load, merge, err := c.roles()
	if err != nil {
		t.Fatal(err)
	}
	k := int32(n)
	load.Spec.Completions, load.Spec.Parallelism = &k, &k
	a := load.Spec.Template.Spec.Containers[0].Args
	i := slices.IndexFunc(a, func(s string) bool { return shardArg.MatchString(s) })
	if i < 0 {
		t.Fatalf("load Job has no --shard=$(JOB_COMPLETION_INDEX)/N: %q", a)
	}
	a[i] = "--shard=$(JOB_COMPLETION_INDEX)/" + strconv.Itoa(n)
	return load, merge
}

// settings is the run's ConfigMap, every key of deploy/'s given a local value.
func (lc *localCluster) settings(t testing.TB, runID string) map[string]string {
	t.Helper()
	local := map[string]string{
		"RUN_ID": runID, "TARGET": lc.registry.URL(), "RATE": strconv.Itoa(lc.load.rate), "DURATION": lc.load.duration.String(),
		"FAIL_RATIO": jobFailRatio, "WINDOW": jobTiming.Window.String(), "RETRY_BASE": jobTiming.Retry.Base.String(),
		"TOLERANCE": jobTiming.Tolerance.String(), "CALLBACK_TIMEOUT": jobTiming.CallbackTimeout.String(), "MERGE_WAIT": lc.load.mergeWait().String(),
	}
	if len(lc.m.configs) != 1 {
		t.Fatalf("want one ConfigMap in deploy/, got %d", len(lc.m.configs))
	}
	for k := range lc.m.configs[0].Data {
		if _, ok := local[k]; !ok {
			t.Fatalf("ConfigMap key %s has no local value: add it to the local run", k)
		}
	}
	for k := range local {
		if _, ok := lc.m.configs[0].Data[k]; !ok {
			t.Fatalf("the local run sets %s, which the ConfigMap does not have", k)
		}
	}
	return local
}

// run applies the load Job scaled to n shards and the merge Job at once,
// as kubectl apply -f deploy/ does, and waits for all of them. kill ≥ 0
// kills that shard with SIGKILL (an OOM kill, a lost node) midway through
// its attack.
func (lc *localCluster) run(t testing.TB, n, kill int) jobRun {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*lc.load.mergeWait()+time.Minute)
	defer cancel()
	load, merge := scaled(t, lc.m, n)
	began := time.Now()
	defer func() {
		t.Logf("%d shard(s), shard %d killed: the Jobs took %s", n, kill, time.Since(began).Round(100*time.Millisecond))
	}()
	runID := fmt.Sprintf("local-%d-%d", n, time.Now().UnixNano())
	results := resultsDir(t)
	cl := &cluster{
		configMaps: map[string]map[string]string{lc.m.configs[0].Name: lc.settings(t, runID)},
		secrets: map[string]map[string]string{
			"hookcheck-client":  {"id": jobClientID, "secret": jobSecret},
			"hookcheck-records": {"records.json": string(lc.records)},
		},
		claims:    map[string]string{lc.m.claims[0].Name: results},
		secretDir: t.TempDir(),
	}
	start := func(job *batchv1.Job, idx int) *container.Process {
		spec, err := cl.spec(job, lc.image, idx, podIP)
		if err != nil {
			t.Fatal(err)
		}
		p, err := container.Run(ctx, spec)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { p.Close() })
		return p
	}
	mp := start(merge, 0)
	shards := make([]*container.Process, n)
	for i := range shards {
		shards[i] = start(load, i)
	}
	if kill >= 0 {
		placeholder := filepath.Join(results, runID+"-shard-"+strconv.Itoa(kill)+".json")
		for deadline := time.Now().Add(lc.load.mergeWait()); ; time.Sleep(20 * time.Millisecond) {
			if _, err := os.Stat(placeholder); err == nil {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("shard %d never wrote its placeholder %s", kill, placeholder)
			}
		}
		time.Sleep(lc.load.duration / 2) // hooks registered in milliseconds: midway through the attack
		if err := shards[kill].Signal(ctx, "KILL"); err != nil {
			t.Fatal(err)
		}
	}
	var r jobRun
	collect := func(p *container.Process) int64 {
		code, err := p.Wait(ctx)
		if err != nil {
			t.Fatal(err)
		}
		o, e, err := p.Output(ctx)
		if err != nil {
			t.Fatal(err)
		}
		r.outputs = append(r.outputs, string(o)+string(e))
		return code
	}
	for _, p := range shards {
		r.shardCodes = append(r.shardCodes, collect(p))
	}
	r.mergeCode = collect(mp)
	r.mergeOut = r.outputs[len(r.outputs)-1]
	if b, err := os.ReadFile(filepath.Join(results, runID+"-merged.json")); err == nil {
		if err := report.ValidateFile(report.SchemaLoad, filepath.Join(results, runID+"-merged.json")); err != nil {
			t.Error(err)
		}
		r.merged = new(report.Summary)
		if err := json.Unmarshal(b, r.merged); err != nil {
			t.Fatal(err)
		}
	}
	for i, out := range r.outputs {
		if strings.Contains(out, jobSecret) {
			t.Errorf("container %d printed the client secret", i)
		}
	}
	files, _ := filepath.Glob(filepath.Join(results, "*"))
	for _, f := range files {
		if b, _ := os.ReadFile(f); strings.Contains(string(b), jobSecret) {
			t.Errorf("%s holds the client secret", f)
		}
	}
	return r
}

// resultsDir is the claim's volume: writable by the pods' group, as
// fsGroup 65532 makes it in a cluster.
func resultsDir(t testing.TB) string {
	t.Helper()
	dir := t.TempDir()
	mode := os.FileMode(0o775) | os.ModeSetgid
	if err := os.Chown(dir, -1, 65532); err != nil {
		mode = 0o777 // not root: open to all instead
	}
	if err := os.Chmod(dir, mode); err != nil {
		t.Fatal(err)
	}
	return dir
}

// TestJobContract runs deploy/'s Jobs as a cluster would, in containers of
// the harness image with the manifests' own commands and environment: n
// shards, each with its JOB_COMPLETION_INDEX, against one registry, and
// the merge Job beside them. The merged verdict and counts equal one
// unsharded run's over the same records; a shard killed midway leaves the
// merge PARTIAL, naming the shard.
func TestJobContract(t *testing.T) {
	dockertest.Need(t)
	began := time.Now()
	lc := newLocalCluster(t, contractLoad)
	t.Logf("image and registry ready in %s", time.Since(began).Round(100*time.Millisecond))
	whole := lc.run(t, 1, -1)
	sharded := lc.run(t, 4, -1)
	for name, r := range map[string]jobRun{"unsharded": whole, "4 shards": sharded} {
		if r.mergeCode != 0 || r.merged == nil || r.merged.Partial || slices.ContainsFunc(r.shardCodes, func(c int64) bool { return c != 0 }) {
			t.Fatalf("%s: shards exited %v, merge %d:\n%s", name, r.shardCodes, r.mergeCode, r.mergeOut)
		}
	}
	if got := strings.Join(sharded.merged.Shards, " "); got != "0/4 1/4 2/4 3/4" {
		t.Errorf("merged shards %q", got)
	}
	if d := sameRun(whole.merged, sharded.merged); d != "" {
		t.Fatalf("4 shards merged differ from the unsharded run: %s\nunsharded:\n%s\n4 shards:\n%s", d, whole.mergeOut, sharded.mergeOut)
	}

	t.Logf("4 shards merged:\n%s", sharded.mergeOut)
	killed := lc.run(t, 4, 2)
	t.Logf("4 shards, one killed, merged:\n%s", killed.mergeOut)
	if killed.shardCodes[2] != 137 {
		t.Errorf("killed shard exited %d, want 137 (SIGKILL)", killed.shardCodes[2])
	}
	for _, want := range []string{"PARTIAL: shards missing: 2/4 (", "never finished"} {
		if !strings.Contains(killed.mergeOut, want) {
			t.Errorf("merge output lacks %q:\n%s", want, killed.mergeOut)
		}
	}
	if killed.mergeCode != 1 || killed.merged == nil || !killed.merged.Partial || len(killed.merged.Missing) != 1 || slices.Contains(killed.merged.Shards, "2/4") {
		t.Fatalf("a merge without shard 2: exit %d, summary %+v; want 1 and a partial summary of the other shards", killed.mergeCode, killed.merged)
	}
}

// sameRun names the first way a and b differ in verdict or counts ("" if
// none): what sharding must not change.
func sameRun(a, b *report.Summary) string {
	verdicts := func(s *report.Summary) string {
		var v []string
		for _, c := range s.Checks {
			v = append(v, fmt.Sprintf("%s=%v", c.Name, !c.Failed()))
		}
		for _, l := range s.Limits {
			v = append(v, fmt.Sprintf("%s=%v", l.Threshold, l.OK))
		}
		return strings.Join(v, " ")
	}
	for _, f := range []struct {
		name string
		a, b any
	}{
		{"verdicts", verdicts(a), verdicts(b)},
		{"records", a.Records, b.Records}, {"failing hooks", a.Failing, b.Failing},
		{"rate", a.Pacing.Rate, b.Pacing.Rate},
		{"planned sends", a.Sends.Planned, b.Sends.Planned}, {"sent", a.Sends.Sent, b.Sends.Sent},
		{"change requests", a.API.Requests, b.API.Requests}, {"accepted", a.API.OK, b.API.OK},
		{"changes", a.Notify.Changes, b.Notify.Changes}, {"hooks", a.Notify.Hooks, b.Notify.Hooks},
		{"calls", a.Notify.Calls, b.Notify.Calls}, {"failed calls", a.Notify.Failed, b.Notify.Failed},
		{"covered", a.Notify.Covered, b.Notify.Covered}, {"late", a.Notify.Late, b.Notify.Late},
		{"lost", a.Notify.Lost, b.Notify.Lost}, {"retry gaps", a.Notify.RetryGaps, b.Notify.RetryGaps},
		{"duplicates", a.Notify.Duplicates, b.Notify.Duplicates}, {"batching", a.Notify.Batching, b.Notify.Batching},
	} {
		if f.a != f.b {
			return fmt.Sprintf("%s: %v unsharded, %v sharded", f.name, f.a, f.b)
		}
	}
	return ""
}
