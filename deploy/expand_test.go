package deploy

import (
	"strings"
	"testing"
)

// expand replaces $(NAME) in s by env[NAME], as the kubelet does in a
// container's command, args and env values: $$ is a literal $, and a
// reference to a name that is not defined stays as written.
func expand(s string, env map[string]string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != '$' || i+1 == len(s) {
			b.WriteByte(s[i])
			continue
		}
		switch s[i+1] {
		case '$':
			b.WriteByte('$')
			i++
		case '(':
			end := strings.IndexByte(s[i+2:], ')')
			if end < 0 {
				b.WriteString(s[i:])
				return b.String()
			}
			name := s[i+2 : i+2+end]
			if v, ok := env[name]; ok {
				b.WriteString(v)
			} else {
				b.WriteString("$(" + name + ")")
			}
			i += 2 + end
		default:
			b.WriteByte('$')
		}
	}
	return b.String()
}

// references lists the $(NAME) references in s that expand would replace.
func references(s string) []string {
	var names []string
	for i := 0; i+1 < len(s); i++ {
		switch {
		case s[i] == '$' && s[i+1] == '$':
			i++
		case s[i] == '$' && s[i+1] == '(':
			if end := strings.IndexByte(s[i+2:], ')'); end >= 0 {
				names = append(names, s[i+2:i+2+end])
				i += 2 + end
			}
		}
	}
	return names
}

func TestExpand(t *testing.T) {
	env := map[string]string{"I": "3", "TARGET": "https://r.example", "EMPTY": ""}
	tests := []struct {
		in, want string
		refs     []string
	}{
		{"--shard=$(I)/4", "--shard=3/4", []string{"I"}},
		{"$(TARGET)/oauth/token", "https://r.example/oauth/token", []string{"TARGET"}},
		{"--x=$(UNDEFINED)", "--x=$(UNDEFINED)", []string{"UNDEFINED"}},
		{"$$(I) is escaped", "$(I) is escaped", nil},
		{"$$$(I)", "$3", []string{"I"}},
		{"cost $5, $", "cost $5, $", nil},
		{"$(I", "$(I", nil},
		{"a$(EMPTY)b", "ab", []string{"EMPTY"}},
		{"$(I)$(I)", "33", []string{"I", "I"}},
	}
	for _, tt := range tests {
		if got := expand(tt.in, env); got != tt.want {
			t.Errorf("expand(%q) = %q, want %q", tt.in, got, tt.want)
		}
		if got := references(tt.in); strings.Join(got, ",") != strings.Join(tt.refs, ",") {
			t.Errorf("references(%q) = %v, want %v", tt.in, got, tt.refs)
		}
	}
}
