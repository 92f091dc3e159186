@unregister
Feature: Unregistering a webhook
  DELETE /{orcid}/webhook/{url-encoded callback} removes a hook: 204 No Content,
  404 (error 9028) when there is none. See docs/orcid-behaviour.md §1; the @F
  tags name the facts each scenario proves.

  Background:
    Given the member client has a "/webhook" token
    And a record on the target
    And a callback at the harness that answers "204"

  @core @F001 @F021
  Scenario: UNR-01 Unregistering a hook answers 204 and stops its notifications
    Given the client has registered the callback for the record
    When the client unregisters the callback for the record
    Then the answer is 204
    When the record changes
    Then the callback is not called within one window

  @core @F019 @F039 @F041
  Scenario: UNR-02 Unregistering a hook that does not exist answers 404
    When the client unregisters the callback for the record
    Then the answer is 404 with ORCID error code 9028
    And the developer message says no webhook was found for the record and the callback

  @extended
  Scenario: UNR-03 A hook registered again after unregistering is new
    Given the client has registered the callback for the record
    And the client has unregistered the callback for the record
    When the client registers the callback for the record
    Then the answer is 201

  @extended @F018
  Scenario: UNR-04 Unregistering on an unknown record is not found
    When the client unregisters the callback for an unknown record
    Then the answer is 404 with ORCID error code 9011
