// Package version is the harness's version, as reports and requests name it.
package version

import "runtime/debug"

// Version is the harness version written into conformance reports.
const Version = "0.1.0"

// Harness is Version with the VCS revision the binary was built
// from, when the build recorded one.
func Harness() string {
	v := "hookcheck " + Version
	if bi, ok := debug.ReadBuildInfo(); ok {
		rev, dirty := "", false
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				rev = s.Value
			case "vcs.modified":
				dirty = s.Value == "true"
			}
		}
		if len(rev) > 12 {
			rev = rev[:12]
		}
		if rev != "" {
			v += " (" + rev
			if dirty {
				v += ", modified"
			}
			v += ")"
		}
	}
	return v
}
