package report

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"os"
	"strconv"
)

// JUnit XML as godog writes it, read loosely: every attribute and the
// content of each testcase are kept as they are.
type (
	junitSuites struct {
		XMLName xml.Name     `xml:"testsuites"`
		Attrs   []xml.Attr   `xml:",any,attr"`
		Suites  []junitSuite `xml:"testsuite"`
	}
	junitSuite struct {
		Attrs []xml.Attr  `xml:",any,attr"`
		Cases []junitCase `xml:"testcase"`
	}
	junitCase struct {
		Attrs []xml.Attr `xml:",any,attr"`
		Inner []byte     `xml:",innerxml"`
	}
)

// TidyJUnit rewrites the JUnit XML file at path (godog's) the way CI
// viewers read it: every testcase gets a classname (its suite, i.e. its
// feature), and every suite a time no less than the sum of its cases'
// (scenarios run concurrently, so godog's suite times can be shorter), the
// whole run no less than the sum of its suites.
func TidyJUnit(path string) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("junit: %w", err)
	}
	var doc junitSuites
	if err := xml.Unmarshal(b, &doc); err != nil {
		return fmt.Errorf("junit %s: %w", path, err)
	}
	var total float64
	for i := range doc.Suites {
		s := &doc.Suites[i]
		var sum float64
		for j := range s.Cases {
			c := &s.Cases[j]
			c.Attrs = setAttr(c.Attrs, "classname", attr(s.Attrs, "name"), false)
			t, _ := strconv.ParseFloat(attr(c.Attrs, "time"), 64)
			sum += t
		}
		s.Attrs = setTime(s.Attrs, sum)
		t, _ := strconv.ParseFloat(attr(s.Attrs, "time"), 64)
		total += t
	}
	doc.Attrs = setTime(doc.Attrs, total)
	out, err := xml.MarshalIndent(doc, "", "  ")
	if err != nil {
		return fmt.Errorf("junit: %w", err)
	}
	out = append([]byte(xml.Header), append(bytes.TrimSpace(out), '\n')...)
	if err := os.WriteFile(path, out, 0o644); err != nil {
		return fmt.Errorf("junit: %w", err)
	}
	return nil
}

// attr is the value of the attribute name ("" when absent).
func attr(attrs []xml.Attr, name string) string {
	for _, a := range attrs {
		if a.Name.Local == name {
			return a.Value
		}
	}
	return ""
}

// setAttr sets name to value, replacing an existing value only if replace.
func setAttr(attrs []xml.Attr, name, value string, replace bool) []xml.Attr {
	for i, a := range attrs {
		if a.Name.Local == name {
			if replace {
				attrs[i].Value = value
			}
			return attrs
		}
	}
	return append(attrs, xml.Attr{Name: xml.Name{Local: name}, Value: value})
}

// setTime raises the time attribute to at least least seconds.
func setTime(attrs []xml.Attr, least float64) []xml.Attr {
	if t, err := strconv.ParseFloat(attr(attrs, "time"), 64); err == nil && t >= least {
		return attrs
	}
	return setAttr(attrs, "time", strconv.FormatFloat(least, 'f', 6, 64), true)
}
