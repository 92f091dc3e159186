@errors
Feature: Error bodies
  The webhook path answers errors as ORCID's API v2.0 error: in XML, the root
  <error xmlns="http://www.orcid.org/ns/error"> with response-code,
  developer-message, user-message, error-code and more-info in that order; in
  JSON the same keys. Accept decides the format (with its q-values); without
  one, an ORCID, XML or JSON Content-Type stands in, else XML. See
  docs/orcid-behaviour.md §4; the @F tags name the facts each scenario proves.

  Background:
    Given the member client has a "/webhook" token
    And a record on the target
    And a callback at the harness that answers "204"

  @core @F037 @F040 @F043
  Scenario: ERR-01 Without Accept an error is ORCID's XML
    When the client registers the callback for an unknown record accepting ""
    Then the answer is 404 with ORCID error code 9011
    And the error body is XML

  @core @F038 @F040
  Scenario: ERR-02 Asked for JSON an error is JSON with the same fields
    When the client registers the callback for an unknown record accepting "application/json"
    Then the answer is 404 with ORCID error code 9011
    And the error body is JSON

  @extended @F043
  Scenario Outline: ERR-03-<case> Accept "<accept>" gives <format>
    When the client registers the callback for an unknown record accepting "<accept>"
    Then the answer is 404 with ORCID error code 9011
    And the error body is <format>

    Examples:
      | case        | accept                                          | format |
      | orcidxml    | application/vnd.orcid+xml                       | XML    |
      | orcidjson   | application/vnd.orcid+json                      | JSON   |
      | qxml        | application/json;q=0.1, application/xml;q=0.9   | XML    |
      | qjson       | application/xml;q=0.2, application/json         | JSON   |
      | wildcard    | application/*;q=0.5, application/json;q=0.1     | XML    |
      | any         | */*                                             | XML    |

  @extended @F042
  Scenario: ERR-04 An internal failure is a 500 with error code 9008
    # Needs the control API to make the registry's store fail.
    Given a store failure is planted for the record's next webhook change through the control API
    When the client registers the callback for the record
    Then the answer is 500 with ORCID error code 9008
    When the client registers the callback for the record
    Then the answer is 201
