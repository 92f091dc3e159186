package certify

import (
	"fmt"
	"strings"

	"github.com/hookcheck/hookcheck/target"
)

// known are the records the receiver knows: the registry's records when
// given, else the callbacks file's; nil when neither says (fresh records
// are then made).
func (c *Config) known() []string {
	if c.Registry != nil && len(c.Registry.Records) > 0 {
		ids := make([]string, len(c.Registry.Records))
		for i, r := range c.Registry.Records {
			ids[i] = r.ORCID
		}
		return ids
	}
	return c.Callbacks.Records()
}

// checkRecords checks that every record the receiver knows has a callback,
// and fills the registry with the callbacks file's records when it was
// given none.
func (c *Config) checkRecords() error {
	rows := c.Callbacks.Records()
	if rows == nil {
		return nil
	}
	if c.Registry != nil && len(c.Registry.Records) == 0 {
		for _, id := range rows {
			c.Registry.Records = append(c.Registry.Records, target.Record{ORCID: id})
		}
		return nil
	}
	has := make(map[string]bool, len(rows))
	for _, id := range rows {
		has[id] = true
	}
	var missing []string
	for _, id := range c.known() {
		if !has[id] {
			missing = append(missing, id)
		}
	}
	if len(missing) > 0 {
		more := ""
		if len(missing) > 3 {
			more = fmt.Sprintf(" and %d more", len(missing)-3)
			missing = missing[:3]
		}
		return fmt.Errorf("--registry-records lists records that %s has no row for: %s%s", c.Callbacks.Name(), strings.Join(missing, ", "), more)
	}
	return nil
}
