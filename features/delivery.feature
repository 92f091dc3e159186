@delivery
Feature: Delivering notifications
  After a record changes, each of its hooks gets a POST with an empty body and
  "Content-Length: 0". Any 2xx answer is success. Registering a hook does not
  call it. See docs/orcid-behaviour.md §7–§9; the @F tags name the facts each
  scenario proves.

  Background:
    Given the member client has a "/webhook" token
    And a record on the target

  @core @F006 @F081 @F082 @F083 @F085 @F086
  Scenario: DEL-01 A change is notified with an empty POST
    Given a callback at the harness that answers "204"
    And the client has registered the callback for the record
    When the record changes
    Then the callback is called within one window
    And the call is a POST with an empty body and "Content-Length: 0"
    And the call is HTTP/1.1 and carries no Content-Type, Accept, authentication or signature header

  @core @F047 @F077
  Scenario: DEL-02 Registering a hook does not call it
    Given a callback at the harness that answers "204"
    When the client registers the callback for the record
    Then the callback is not called within one window

  @core @F090
  Scenario Outline: DEL-03-<status> A <status> answer is a success
    Given a callback at the harness that answers "<status>"
    And the client has registered the callback for the record
    When the record changes
    Then the callback is called within one window
    And the callback is not called again within the first retry delay

    Examples:
      | status |
      | 200    |
      | 201    |
      | 202    |
      | 204    |
      | 299    |

  @extended
  Scenario: DEL-04 Every hook of a changed record is notified once
    Given a callback at the harness that answers "204"
    And the client has registered the callback for the record
    And a second callback at the harness that answers "204"
    And the client has registered the second callback for the record
    When the record changes
    Then each callback is called exactly once within one window

  @extended @F048
  Scenario: DEL-05 A callback stored without a scheme is called over http
    Given a callback at the harness without a scheme that answers "204"
    And the client has registered the callback for the record
    When the record changes
    Then the callback is called within one window

  @extended @F074 @F107
  Scenario Outline: DEL-06-<case> Hooks of <whose> are skipped silently
    # Needs the control API to switch clients and hooks off. Skipped means
    # not failed: once switched on again, the owed change is notified.
    Given a member client made through the control API
    And a callback at the harness that answers "204"
    And that client has registered the callback for the record
    And <off> through the control API
    When the record changes
    Then the callback is not called within one window
    When <on> through the control API
    Then the callback is called within one window from now

    Examples:
      | case         | whose                                | off                                 | on                                       |
      | deactivated  | a deactivated client                 | that client is deactivated          | that client is active again              |
      | nowebhooks   | a client with webhooks disabled      | that client's webhooks are disabled | that client's webhooks are enabled again |
      | hookoff      | a disabled hook                      | the hook is disabled                | the hook is enabled again                |
