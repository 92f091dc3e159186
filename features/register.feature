@register
Feature: Registering a webhook
  PUT /{orcid}/webhook/{url-encoded callback} with a "/webhook" token registers
  a callback for a record: 201 Created for a new hook, 204 when it exists.
  See docs/orcid-behaviour.md §1; the @F tags name the facts each scenario
  proves.

  Background:
    Given the member client has a "/webhook" token
    And a record on the target
    And a callback at the harness that answers "204"

  @core @F001 @F003 @F005 @F035
  Scenario: REG-01 Registering a new hook answers 201 Created
    When the client registers the callback for the record
    Then the answer is 201
    And the answer has an empty body

  @core @profile-orcid @F012 @F016
  Scenario: REG-02 The 201 Created names the hook in its Location header
    When the client registers the callback for the record
    Then the answer is 201
    And the answer has a Location header with the request URL
    And the answer has an empty body

  @core
  Scenario: REG-03 Registering the same hook again answers 204 No Content
    Given the client has registered the callback for the record
    When the client registers the callback for the record
    Then the answer is 204
    And the answer has an empty body

  @extended
  Scenario: REG-04 Two callbacks on one record are two hooks
    Given the client has registered the callback for the record
    And a second callback at the harness that answers "204"
    When the client registers the second callback for the record
    Then the answer is 201

  @extended @F002
  Scenario: REG-05 There is no webhook resource under /v3.0
    When the client registers the callback for the record under "/v3.0"
    Then the answer is not a success
    When the client registers the callback for the record
    Then the answer is 201

  @extended @F050
  Scenario: REG-06 Hooks are the exact decoded callback
    When the client registers the callback "http://hookcheck.example/orcid/x" for the record
    Then the answer is 201
    When the client registers the callback "http://hookcheck.example/orcid/x/" for the record
    Then the answer is 201
    When the client registers the callback "http://hookcheck.example/orcid/x" for the record, encoded differently
    Then the answer is 204
